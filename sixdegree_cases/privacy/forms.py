"""Admin forms for sensitive terms and consent records: clear messages, nothing half-saved."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .. import get_case_model
from .models import ConsentRecord, SensitiveTerm


def _case_queryset():
    SurvivorCasePage = get_case_model()

    return SurvivorCasePage.objects.order_by("title")


class SensitiveTermForm(WagtailAdminModelForm):
    class Meta:
        model = SensitiveTerm
        fields = ["case", "term", "kind", "variants"]
        error_messages = {"term": {"required": _("Enter the term to block.")}}
        widgets = {"variants": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = _case_queryset()


class ConsentRecordForm(WagtailAdminModelForm):
    class Meta:
        model = ConsentRecord
        fields = ["case", "given_on", "scope_story", "scope_map", "scope_amounts", "language", "notes"]
        error_messages = {
            "given_on": {
                "required": _("Enter the date consent was given."),
                "invalid": _("Enter the date consent was given as a valid date."),
            },
            "language": {"required": _("Enter the language consent was given in.")},
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = _case_queryset()
        if self.instance.pk:
            # A consent record belongs to one case for good.
            self.fields["case"].disabled = True
