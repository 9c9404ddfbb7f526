"""Finance in the Wagtail admin: read-only listings of donations and case totals, CSV export,
and a dashboard panel. Registered in `wagtail_hooks`.

Nobody, superusers included, can add, edit or delete a donation here: donations change only
through their provider's callbacks. Finance staff need the "Can view donation" permission.
The donor's e-mail appears only on a donation's own inspect page, never in the listing or the
export. The one change finance can make is to hide a donor's public name (permission
"Can hide a donor's public name"): the gift and its figures stay as they are.
"""

import statistics

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from laces.components import Component
from payments import PaymentStatus
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy

from ..caching import invalidate_case
from ..models import SurvivorCasePage
from .exports import FinanceIndexView
from .models import CaseFunding, Donation, DonorAccount

WRITE_ACTIONS = frozenset({"add", "change", "delete"})


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view" can ever be granted: the records are written by the payment flow alone."""

    def user_has_permission(self, user, action):
        if action in WRITE_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(set(actions) - WRITE_ACTIONS)


HIDE_PERMISSION = "sixdegree_donations.hide_donor_name"


def hide_donor_name(donation):
    """Take a donor's name off the site: the gift, its status and the totals stay as they are.
    Written with an UPDATE, so no stale copy of the donation can be saved along with it."""
    with transaction.atomic():
        Donation.objects.filter(pk=donation.pk).update(name_hidden=True)
        invalidate_case(donation.case_id)
    donation.name_hidden = True


class DonationInspectView(InspectView):
    """A donation's details, with "Hide name from the site" for finance users who may."""

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.request.user.has_perm(HIDE_PERMISSION) and self.object.public_name:
            buttons.append(
                Button(
                    gettext("Hide name from the site"),
                    url=reverse("sixdegree_donations_admin:hide_name", args=[self.object.pk]),
                    icon_name="view",
                    priority=30,
                )
            )
        return buttons


class HideDonorNameView(WagtailAdminTemplateMixin, TemplateView):
    """GET asks for confirmation (it shows the name at stake), POST hides the name."""

    template_name = "sixdegree_donations/admin/hide_name.html"
    page_title = _("Hide a donor's name")
    header_icon = "view"
    http_method_names = ["get", "post"]

    def dispatch(self, request, pk):
        if not request.user.has_perm(HIDE_PERMISSION):
            raise PermissionDenied
        self.donation = get_object_or_404(Donation.objects.select_related("case"), pk=pk)
        return super().dispatch(request, pk)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "donation": self.donation}

    def post(self, request, pk):
        hide_donor_name(self.donation)
        messages.success(request, gettext("The donor's name no longer appears on the site."))
        return redirect("donations:inspect", pk)


class DonationViewSet(ModelViewSet):
    model = Donation
    index_view_class = FinanceIndexView
    inspect_view_class = DonationInspectView
    icon = "list-ul"
    menu_label = _("Donations")
    add_to_admin_menu = False
    copy_view_enabled = False
    # No create or edit view is ever reachable (see ReadOnlyPermissionPolicy); Wagtail still
    # builds a form class, so it gets an empty one.
    form_fields = []
    inspect_view_enabled = True
    list_per_page = 50
    ordering = ["-created"]
    list_display = ["created", "case", "total", "currency", "status", "counted_amount", "confirmed_at"]
    list_filter = {
        "case": ["exact"],
        "status": ["exact"],
        "created": ["date__gte", "date__lte"],
    }
    # No e-mail, no display name: the export is for accounting, not a mailing list.
    list_export = [
        "pk",
        "created",
        "confirmed_at",
        "case_id",
        "case_pseudonym",
        "total",
        "currency",
        "status",
        "counted_amount",
        "refunded_amount",
        "variant",
        "transaction_id",
        "anonymous",
        "billing_country_code",
    ]
    # Column names a person reads at a glance, stable for accounting imports.
    export_headings = {
        "pk": _("Donation"),
        "created": _("Started (UTC)"),
        "confirmed_at": _("Confirmed (UTC)"),
        "case_id": _("Case ID"),
        "case_pseudonym": _("Pseudonym"),
        "total": _("Amount"),
        "currency": _("Currency"),
        "status": _("Status"),
        "counted_amount": _("Counted"),
        "refunded_amount": _("Refunded"),
        "variant": _("Provider"),
        "transaction_id": _("Provider transaction"),
        "anonymous": _("Anonymous"),
        "billing_country_code": _("Country"),
    }
    export_filename = "sixdegree-donations"
    inspect_view_fields = [
        "created",
        "modified",
        "case",
        "total",
        "currency",
        "status",
        "message",
        "counted_amount",
        "refunded_amount",
        "captured_amount",
        "confirmed_at",
        "receipted_at",
        "receipt_sent_at",
        "variant",
        "transaction_id",
        "billing_email",
        "anonymous",
        "display_name",
        "show_country",
        "name_hidden",
        "billing_country_code",
    ]

    def get_queryset(self, request):
        return Donation.objects.select_related("case")


class CaseTotalsIndexView(FinanceIndexView):
    def get_base_queryset(self):
        ensure_case_totals()
        return super().get_base_queryset().select_related("case")


class CaseFundingViewSet(ModelViewSet):
    """Every live case's totals, those without a gift yet included (at zero)."""

    model = CaseFunding
    index_view_class = CaseTotalsIndexView
    icon = "table"
    menu_label = _("Case totals")
    add_to_admin_menu = False
    copy_view_enabled = False
    # No create or edit view is ever reachable (see ReadOnlyPermissionPolicy); Wagtail still
    # builds a form class, so it gets an empty one.
    form_fields = []
    inspect_view_enabled = False
    list_display = [
        "case",
        "currency",
        "raised",
        "target",
        "surplus",
        "donors",
        "funded_in_days",
        "fully_funded_at",
    ]
    list_filter = {"fully_funded_at": ["isnull"]}
    list_export = [
        "case_id",
        "case",
        "currency",
        "raised",
        "target",
        "surplus",
        "donors",
        "funded_in_days",
        "fully_funded_at",
    ]
    export_headings = {
        "case_id": _("Case ID"),
        "case": _("Case"),
        "currency": _("Currency"),
        "raised": _("Raised"),
        "target": _("Target"),
        "surplus": _("Surplus"),
        "donors": _("Donors"),
        "funded_in_days": _("Days to funding"),
        "fully_funded_at": _("Fully funded (UTC)"),
    }
    export_filename = "sixdegree-case-totals"
    ordering = ["-updated_at"]


def ensure_case_totals():
    """Give every live case its (zero) totals row, so finance sees cases nobody gave to yet.

    The same empty row the first donation attempt creates (`giving.start_donation`); the
    totals stay written only by `totals.record_status`.
    """
    missing = SurvivorCasePage.objects.live().filter(funding__isnull=True).values_list("pk", flat=True)
    CaseFunding.objects.bulk_create([CaseFunding(case_id=pk) for pk in missing], ignore_conflicts=True)


class FinanceViewSetGroup(ViewSetGroup):
    menu_label = _("Finance")
    menu_icon = "form"
    menu_order = 400
    items = (DonationViewSet("donations"), CaseFundingViewSet("case_totals"))


def finance_figures(now=None):
    """The dashboard's figures. Amounts are per currency: they are never added across."""
    now = now or timezone.now()
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    raised = (
        Donation.objects.filter(status=PaymentStatus.CONFIRMED, confirmed_at__gte=month_start)
        .values("currency")
        .annotate(amount=Sum("counted_amount"))
        .order_by("currency")
    )
    days = list(CaseFunding.objects.exclude(funded_in_days=None).values_list("funded_in_days", flat=True))
    return {
        "raised_this_month": [(row["currency"], row["amount"]) for row in raised],
        "live_cases": SurvivorCasePage.objects.live().count(),
        "fully_funded_cases": CaseFunding.objects.exclude(fully_funded_at=None).count(),
        "registered_donors": DonorAccount.objects.exclude(confirmed_at=None).count(),
        "median_days_to_funding": statistics.median(days) if days else None,
    }


class FinancePanel(Component):
    """Dashboard panel for users who may view donations."""

    name = "sixdegree_finance"
    order = 150
    template_name = "sixdegree_donations/admin/finance_panel.html"

    def get_context_data(self, parent_context=None):
        return {"figures": finance_figures()}
