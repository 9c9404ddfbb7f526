"""The dashboard panel of live-case alerts and its one-action unpublish."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from .alerts import LiveCaseAlert
from .live import NothingToUnpublish, can_act_on_alerts, unpublish_from_alert


class LiveAlertsPanel(Component):
    """Open alerts on live cases, each with an "Unpublish now" button (reviewers, case officers)."""

    name = "sixdegree_live_alerts"
    # Above every other panel: a live case that fails its checks is the most urgent thing.
    order = 10
    template_name = "sixdegree_review/alerts/live_alerts_panel.html"

    def __init__(self, alerts):
        self.alerts = alerts

    def get_context_data(self, parent_context=None):
        titles = dict(
            Page.objects.filter(pk__in=[alert.page_id for alert in self.alerts]).values_list(
                "pk", "draft_title"
            )
        )
        parent_context = parent_context or {}
        return {
            "alerts": [(alert, titles.get(alert.page_id, "")) for alert in self.alerts],
            # The panel's own template context: the unpublish form needs the page's token.
            "csrf_token": parent_context.get("csrf_token"),
        }


def live_alerts_panel(request):
    """The panel for `request.user`, or None when there is nothing to show them."""
    if not can_act_on_alerts(request.user):
        return None
    alerts = list(LiveCaseAlert.objects.open().filter(page__live=True)[:50])
    return LiveAlertsPanel(alerts) if alerts else None


@require_POST
def unpublish_alerted_case(request, alert_id):
    """Take the alert's case down at once (POST only) and say what happened."""
    if not can_act_on_alerts(request.user):
        raise PermissionDenied
    alert = get_object_or_404(LiveCaseAlert, pk=alert_id)
    try:
        unpublish_from_alert(alert, request.user)
    except NothingToUnpublish:
        messages.warning(
            request, _("Case #%(id)s is not live: there was nothing to unpublish.") % {"id": alert.page_id}
        )
    else:
        messages.success(
            request,
            _(
                "Case #%(id)s is no longer public. Fix what the checks found and submit it to privacy "
                "review again."
            )
            % {"id": alert.page_id},
        )
    return redirect("wagtailadmin_home")
