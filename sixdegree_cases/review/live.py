"""Live cases are re-checked when what the checks know changes.

A new or changed sensitive term, or a consent record that changes (withdrawn, deleted), can
make content that passed its review unsafe while it is live. `recheck_live_case` runs the
checks on the live content; a blocking finding raises a `LiveCaseAlert`, shown on the
dashboard of the case's privacy reviewers and case officers and e-mailed to them without any
case text, with a one-action unpublish. The periodic `privacy_audit` unpublishes what is
still failing when it next runs.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..privacy import check_page
from ..privacy.permissions import can_see_privacy
from .alerts import LiveCaseAlert
from .audit import take_down
from .constants import LOG_ALERT_UNPUBLISH
from .guard import is_reviewed_model
from .models import PrivacyReviewTask, ReviewApproval

logger = logging.getLogger(__name__)

# Case officers are the people who may withdraw consent; reviewers are the case's workflow's.
OFFICER_PERMISSION = ("sixdegree_privacy", "withdraw_consent")


def live_case(case_id):
    from wagtail.models import Page

    page = Page.objects.filter(pk=case_id, live=True).first()
    if page is None:
        return None
    page = page.specific
    return page if is_reviewed_model(type(page)) else None


def live_pages_below(case_id):
    """Ids of the live pages below case `case_id` (its updates), which share its private records."""
    from wagtail.models import Page

    case = Page.objects.filter(pk=case_id).first()
    if case is None:
        return []
    return list(Page.objects.descendant_of(case).live().order_by("pk").values_list("pk", flat=True))


def recheck_live_case(case_id, reason):
    """Run the checks on the live content of case `case_id`; return the alert raised, or None.

    Does nothing for a case that is not live (its next review runs the checks anyway).
    """

    page = live_case(case_id)
    if page is None:
        return None
    report = check_page(page)
    blocking = [finding for finding in report.findings if finding.blocking]
    if not blocking:
        return None
    checks = sorted({finding.check for finding in blocking})
    places = sorted({finding.where for finding in blocking})
    alert = LiveCaseAlert.objects.open().filter(page_id=page.pk).select_for_update().first()
    if alert is not None:
        # One open alert per case: ten terms added in a row make one alert, not ten e-mails.
        news = set(checks) - set(alert.checks)
        alert.checks, alert.places, alert.blocking_count = checks, places, len(blocking)
        alert.save(update_fields=["checks", "places", "blocking_count"])
        if news:
            transaction.on_commit(lambda: notify(alert))
        return alert
    alert = LiveCaseAlert.objects.create(
        page_id=page.pk, reason=reason, checks=checks, places=places, blocking_count=len(blocking)
    )
    logger.warning(
        "Live case %s fails the checks %s after a change (%s): alert %s raised",
        page.pk,
        ", ".join(alert.checks),
        reason,
        alert.pk,
    )
    transaction.on_commit(lambda: notify(alert))
    return alert


def recipients(page):
    """Active users to tell about `page`: its workflow's privacy reviewers and the case officers."""

    user_model = get_user_model()
    workflow = page.get_workflow()
    tasks = PrivacyReviewTask.objects.filter(workflow_tasks__workflow=workflow) if workflow else []
    reviewer_groups = [group.pk for task in tasks for group in task.groups.all()]
    app_label, codename = OFFICER_PERMISSION
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    approvers = ReviewApproval.objects.filter(page_id=page.pk).values("approved_by")
    people = Q(groups__in=reviewer_groups) | Q(pk__in=approvers)
    if permission is not None:
        people |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    return user_model.objects.filter(people, is_active=True).exclude(email="").distinct().order_by("pk")


def admin_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def notify(alert):
    """E-mail the alert to the case's people: its number, the checks and links, no case text."""
    from wagtail.models import Page

    page = Page.objects.filter(pk=alert.page_id).first()
    if page is None:
        return 0
    context = {
        "alert": alert,
        "case_id": alert.page_id,
        "dashboard_url": admin_url(reverse("wagtailadmin_home")),
        "privacy_url": admin_url(reverse("sixdegree_privacy_case:overview", args=[alert.page_id])),
    }
    subject = render_to_string("sixdegree_review/alerts/live_alert_subject.txt", context).strip()
    body = render_to_string("sixdegree_review/alerts/live_alert.txt", context)
    sent = 0
    for user in recipients(page):
        try:
            sent += send_mail(subject, body, None, [user.email])
        except Exception:
            # The alert stays on the dashboard; a mail server's failure must not hide it.
            logger.exception("Could not e-mail alert %s to user %s", alert.pk, user.pk)
    return sent


def can_act_on_alerts(user):
    """Privacy reviewers, case officers and superusers see alerts and may unpublish from them."""

    return bool(user and user.is_active and (user.is_superuser or can_see_privacy(user)))


def resolve_alerts(page_id, *, user=None, resolution=LiveCaseAlert.Resolution.UNPUBLISHED):
    """Close the open alerts of `page_id` (the case is down)."""
    return (
        LiveCaseAlert.objects.filter(page_id=page_id)
        .open()
        .update(resolved_at=timezone.now(), resolved_by=user, resolution=resolution)
    )


class NothingToUnpublish(ValueError):
    """The alert's case is not live any more."""


@transaction.atomic
def unpublish_from_alert(alert, user):
    """The one action of an alert: take its case down now and close its alerts."""
    page = live_case(alert.page_id)
    if page is None:
        resolve_alerts(alert.page_id, user=user)
        raise NothingToUnpublish(alert.page_id)
    # Closed first, so the unpublish signal (which closes alerts for any path) keeps who acted.
    resolve_alerts(alert.page_id, user=user)
    take_down(
        page, user=user, action=LOG_ALERT_UNPUBLISH, data={"alert_id": alert.pk, "checks": alert.checks}
    )
    return page
