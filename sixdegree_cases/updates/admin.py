"""The case officer's screen for a case's lifecycle (Wagtail's `ModelViewSet`)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet

from .lifecycle import CaseLifecycle


class CaseLifecycleForm(WagtailAdminModelForm):
    """Status and, optionally, corrected dates; a step reached without a date gets today's."""

    class Meta:
        model = CaseLifecycle
        fields = ["case", "status", "funded_on", "in_progress_on", "completed_on"]
        widgets = {"status": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A lifecycle belongs to one case for good.
            self.fields["case"].disabled = True

    def save(self, commit=True):
        # Saving drops the case's cached pages (`caching.signal_handlers.lifecycle_changed`).
        lifecycle = super().save(commit=False)
        lifecycle.set_status(self.cleaned_data["status"])
        if commit:
            lifecycle.save()
        return lifecycle


class CaseLifecycleViewSet(ModelViewSet):
    model = CaseLifecycle

    def get_form_class(self, for_update=False):
        return CaseLifecycleForm

    icon = "tasks"
    menu_label = _("Case status")
    menu_order = 310
    add_to_admin_menu = True
    name = "case_status"
    list_display = ["case", "status", "funded_on", "in_progress_on", "completed_on"]
    list_filter = ["status"]
