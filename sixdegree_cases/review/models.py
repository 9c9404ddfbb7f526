"""The privacy review task, its per-revision report and the approvals that let a case go live."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState

from ..compat import user_in_task_groups
from .forms import ApprovalForm, RequestChangesForm
from .records import PrivacyReviewTaskState, ReviewApproval
from .services import approve, check_task_state, is_author, request_changes

__all__ = [
    "LiveCaseAlert",
    "PrivacyReviewTask",
    "PrivacyReviewTaskState",
    "ReviewApproval",
    "ViewRestrictionPin",
]


class PrivacyReviewTask(AbstractGroupApprovalTask):
    """A privacy reviewer reads the automated report on the submitted revision and approves it
    with the checklist, or requests changes with a comment.

    Approval is refused while a check blocks, and only its members may approve (superusers
    included only when they belong to one of the groups): approving is the one way a case
    goes live.
    """

    task_state_class = PrivacyReviewTaskState

    class Meta:
        verbose_name = _("privacy review task")
        verbose_name_plural = _("privacy review tasks")

    @transaction.atomic
    def start(self, workflow_state, user=None):
        # The checks run inside this block so that the submission e-mail, sent on commit,
        # sees the report.
        task_state = super().start(workflow_state, user=user)
        check_task_state(task_state)
        return task_state

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        task_state = task_state.specific
        if action_name == "approve":
            approve(task_state, user, **kwargs)
        elif action_name == "reject":
            request_changes(task_state, user, comment=kwargs.get("comment", ""))
        else:
            return super().on_action(task_state, user, action_name, **kwargs)
        return None

    def get_actions(self, obj, user):
        if not user_in_task_groups(self, user):
            return []
        actions = [("reject", _("Request changes"), True)]
        # Four eyes: whoever wrote, changed or submitted it since the last approval does not
        # approve it.
        task_state = getattr(obj, "current_workflow_task_state", None)
        if task_state is None or not is_author(task_state, user):
            actions.append(("approve", _("Approve"), True))
        return actions

    def get_form_for_action(self, action):
        if action == "approve":
            return ApprovalForm
        if action == "reject":
            return RequestChangesForm
        return super().get_form_for_action(action)

    def get_template_for_action(self, action):
        if action in ("approve", "reject"):
            return "sixdegree_review/workflow_action_modal.html"
        return super().get_template_for_action(action)

    def user_can_access_editor(self, obj, user):
        return user.is_superuser or user_in_task_groups(self, user)

    def locked_for_user(self, obj, user):
        return not (user.is_superuser or user_in_task_groups(self, user))

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if user_in_task_groups(self, user):
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups read the automated privacy report and approve with the "
            "checklist, or request changes. Only the approved revision goes live."
        )


from .alerts import LiveCaseAlert  # noqa: E402 - a model of this app, kept in its own module
from .audience import ViewRestrictionPin  # noqa: E402 - likewise
