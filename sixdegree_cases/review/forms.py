"""The reviewer's forms: approve with the checklist, or request changes with a comment."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .constants import CHECKLIST
from .records import PrivacyReviewTaskState
from .services import approval_problems


class ApprovalForm(forms.Form):
    """Approve a version: all four checklist items must be confirmed.

    Wagtail builds task action forms from POST data alone, so the template sends the task
    state's id; `clean()` then runs the checks again and refuses while one blocks. The task's
    `on_action` checks everything again: this form is for clear messages, not the guard.
    """

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Never quote identifying details here."),
    )
    task_state_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, task_state=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task_state = task_state
        checklist_fields = {
            key: forms.BooleanField(
                label=label,
                required=True,
                error_messages={"required": _("Confirm this before approving.")},
            )
            for key, label in CHECKLIST.items()
        }
        # The checklist comes first, in its own order.
        self.fields = {**checklist_fields, **self.fields}

    @property
    def checklist_fields(self):
        return [self[key] for key in CHECKLIST]

    def get_task_state(self):
        if self.task_state is not None:
            return self.task_state
        task_state_id = self.cleaned_data.get("task_state_id")
        if not task_state_id:
            return None
        return PrivacyReviewTaskState.objects.filter(pk=task_state_id).first()

    def clean(self):
        cleaned_data = super().clean()
        task_state = self.get_task_state()
        if task_state is None or self.errors:
            return cleaned_data
        problems = approval_problems(task_state, cleaned_data)
        if problems:
            raise ValidationError([ValidationError(str(problem)) for problem in problems])
        return cleaned_data


class RequestChangesForm(forms.Form):
    """Return the version to its editors, saying what to change."""

    comment = forms.CharField(
        label=_("What must change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Point to the finding or field. Never quote identifying details here."),
        error_messages={"required": _("Say what must change.")},
    )
    task_state_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, task_state=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task_state = task_state
