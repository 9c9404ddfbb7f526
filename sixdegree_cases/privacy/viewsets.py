"""Admin viewsets: sensitive terms and the consent ledger (listed and filtered by case), and the
per-case privacy overview with the withdrawal action."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .forms import ConsentRecordForm, SensitiveTermForm
from .models import ConsentRecord, SensitiveTerm
from .views import CasePrivacyView, WithdrawConsentView


class CaseFromQueryMixin:
    """`?case=<id>` (from a case's Privacy page) preselects the case."""

    def get_initial(self):
        initial = super().get_initial()
        case = self.request.GET.get("case", "")
        if case.isdigit():
            initial["case"] = int(case)
        return initial


class SensitiveTermCreateView(CaseFromQueryMixin, generic.CreateView):
    def save_instance(self):
        # Set before Wagtail's save, which also writes the audit log entry.
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class ConsentRecordCreateView(CaseFromQueryMixin, generic.CreateView):
    def save_instance(self):
        self.form.instance.recorded_by = self.request.user
        return super().save_instance()


class SensitiveTermViewSet(ModelViewSet):
    """A case's private list of real names, villages, employers: what the checks block."""

    model = SensitiveTerm
    add_view_class = SensitiveTermCreateView
    icon = "warning"
    menu_label = _("Sensitive terms")
    name = "sixdegree_privacy_terms"
    url_prefix = "privacy/terms"
    list_display = ["term", "kind", "case", "created_by", "created_at"]
    list_filter = ["case", "kind"]
    inspect_view_enabled = True
    # References to a case would otherwise be listed on the page's usage screen.
    add_to_reference_index = False

    def get_form_class(self, for_update=False):
        return SensitiveTermForm


class ConsentRecordViewSet(ModelViewSet):
    """The consent ledger: when, for what and in which language each survivor consented."""

    model = ConsentRecord
    add_view_class = ConsentRecordCreateView
    icon = "tick-inverse"
    menu_label = _("Consent records")
    name = "sixdegree_privacy_consent"
    url_prefix = "privacy/consent"
    list_display = ["case", "given_on", "language", "recorded_by", "withdrawn_at"]
    list_filter = ["case", "withdrawn_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "case",
        "given_on",
        "scope_story",
        "scope_map",
        "scope_amounts",
        "language",
        "recorded_by",
        "recorded_at",
        "notes",
        "withdrawn_at",
        "withdrawn_by",
    ]
    add_to_reference_index = False

    def get_form_class(self, for_update=False):
        return ConsentRecordForm


class PrivacyViewSetGroup(ModelViewSetGroup):
    """The "Privacy" menu: shown to users who hold a permission on either model."""

    menu_label = _("Privacy")
    menu_icon = "lock"
    menu_order = 260
    items = (SensitiveTermViewSet, ConsentRecordViewSet)


class CasePrivacyViewSet(ViewSet):
    """A case's privacy overview and its "Withdraw consent" action."""

    name = "sixdegree_privacy_case"
    url_prefix = "privacy/case"

    def get_urlpatterns(self):
        return [
            path("<int:page_id>/", CasePrivacyView.as_view(), name="overview"),
            path("<int:page_id>/withdraw/", WithdrawConsentView.as_view(), name="withdraw"),
        ]
