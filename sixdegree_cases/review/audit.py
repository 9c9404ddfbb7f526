"""The tripwire: every live page shows an approved version and passes today's checks.

The publishing guard stops every path that goes through a model's `save()` or `publish()`.
`QuerySet.update()`, `loaddata`, raw SQL and edits of the stored files go around it; this
audit finds what they changed. It is run by `manage.py privacy_audit` (from cron) or the
`tasks.privacy_audit` job, and takes down what fails, logging why with no case text.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.signals import page_unpublished

from ..images.renditions import discard, tampered_renditions
from ..privacy import check_page
from .audience import covers, pin_of, view_restriction_pins
from .constants import LOG_AUDIT_UNPUBLISH
from .fingerprint import shown_image_ids
from .guard import (
    UnreviewedRevisionError,
    WiderAudienceError,
    assert_revision_approved,
    is_reviewed_model,
)

logger = logging.getLogger(__name__)

FINGERPRINT = "fingerprint"
CHECKS = "checks"
RENDITIONS = "renditions"
RESTRICTIONS = "restrictions"
CHECKS_ERROR = "checks_could_not_run"
REASON_LABELS = {
    FINGERPRINT: _("its content is not an approved version"),
    CHECKS: _("a blocking finding of today's checks"),
    RENDITIONS: _("an image file it serves changed in storage"),
    RESTRICTIONS: _("more people can read it than its approval and its privacy settings allow"),
}


@dataclass
class AuditResult:
    """What the audit found on one live page. Ids and check names only: no case text."""

    page_id: int
    reasons: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    unpublished: bool = False
    # Renditions of its images: written over since they were generated (a reason to take the
    # page down), or generated before digests were recorded (unverifiable: regenerated).
    tampered_renditions: list = field(default_factory=list)
    unverified_renditions: list = field(default_factory=list)

    @property
    def passed(self):
        return not self.reasons

    def describe(self):
        """One line for people (the command's output, the error log)."""
        if self.passed:
            return f"page {self.page_id}: passed"
        reasons = "; ".join(str(REASON_LABELS[reason]) for reason in self.reasons)
        checks = f" ({', '.join(self.checks)})" if self.checks else ""
        action = "unpublished" if self.unpublished else "still live"
        return f"page {self.page_id}: {reasons}{checks}: {action}"


def approval_problem(page):
    """None when live `page` is exactly what a reviewer approved, for no more readers than
    approved and than the guarded paths last left it with; else the reason (`FINGERPRINT` or
    `RESTRICTIONS`).

    Pages outside privacy review have no approvals and pass this part.
    """

    if not is_reviewed_model(type(page)):
        return None
    revision = page.live_revision if page.live_revision_id else None
    if revision is not None and str(revision.object_id) != str(page.pk):
        # A live revision pointer moved to another page's revision (only SQL can do that).
        return FINGERPRINT
    try:
        assert_revision_approved(revision, content=page)
    except WiderAudienceError:
        return RESTRICTIONS
    except UnreviewedRevisionError:
        return FINGERPRINT
    pinned = pin_of(page)
    # Publishing pins a page (and migration 0005 pinned every page live before), so a live
    # reviewed page without a pin had it removed around the guard, like a loosened restriction.
    if pinned is None or not covers(view_restriction_pins(page), pinned):
        # A restriction changed around the guard (QuerySet.update, loaddata, SQL).
        return RESTRICTIONS
    return None


def blocking_checks(page):
    """Ids of the checks that block `page` as it is stored now (a check that fails blocks)."""

    report = check_page(page)
    return sorted({finding.check for finding in report.findings if finding.blocking})


def served_renditions(page, result):
    """Sort the renditions of the images `page` shows into the result's tampered and unverified."""

    for rendition, recorded in tampered_renditions(shown_image_ids(page)):
        (result.tampered_renditions if recorded else result.unverified_renditions).append(rendition)


def audit_page(page):
    """An `AuditResult` for one live, specific page (nothing is changed)."""
    result = AuditResult(page_id=page.pk)
    try:
        problem = approval_problem(page)
    except Exception as error:  # noqa: BLE001 - any failure reads as not approved
        # An unreadable stored file or revision must read as "not approved", never as a pass.
        # The error's class only: its message could quote tampered content.
        logger.error("privacy_audit could not fingerprint page %s (%s)", page.pk, type(error).__name__)
        problem = FINGERPRINT
    if problem:
        result.reasons.append(problem)
    try:
        result.checks = blocking_checks(page)
    except Exception as error:  # noqa: BLE001 - any failure is a failed check, never a pass
        # The checks could not even start on this page: that is a failure, not a pass.
        logger.error("privacy_audit could not check page %s (%s)", page.pk, type(error).__name__)
        result.checks = [CHECKS_ERROR]
    if result.checks:
        result.reasons.append(CHECKS)
    try:
        served_renditions(page, result)
    except Exception as error:  # noqa: BLE001 - any failure is a failed check, never a pass
        logger.error(
            "privacy_audit could not read the renditions of page %s (%s)", page.pk, type(error).__name__
        )
        result.reasons.append(RENDITIONS)
    if result.tampered_renditions:
        result.reasons.append(RENDITIONS)
    return result


def take_down(page, *, user=None, action=LOG_AUDIT_UNPUBLISH, data=None):
    """Unpublish `page` at once, whatever its stored content, and log `action` with `data`.

    Wagtail's unpublish is used (aliases, signals, the page cache and search follow); if it
    cannot run on tampered content, the page is taken down with one UPDATE instead.
    """
    page = page.specific
    with transaction.atomic():
        try:
            with transaction.atomic():
                UnpublishPageAction(page, user=user).execute(skip_permission_checks=True)
        except Exception as error:  # noqa: BLE001 - the page must come down whatever went wrong
            logger.error(
                "Unpublishing page %s failed (%s); taking it down directly", page.pk, type(error).__name__
            )
            Page.objects.filter(pk=page.pk).update(
                live=False, has_unpublished_changes=True, live_revision=None
            )
            page.live = False
            page.live_revision = None
            page_unpublished.send(sender=page.specific_class, instance=page)
        log(instance=page, action=action, user=user, data=data or {})


def audit_live_pages(*, dry_run=False):
    """Audit every live page of every site; unpublish each that fails unless `dry_run`.

    Returns one `AuditResult` per live page.
    """
    results = []
    pages = Page.objects.live().filter(depth__gt=1).order_by("path").specific(defer=False)
    for page in pages.iterator(chunk_size=100):
        result = audit_page(page)
        results.append(result)
        if not dry_run:
            # Never served again: the next request regenerates them from the original, whose
            # bytes the approval pins (a changed original fails the fingerprint above).
            for rendition in result.tampered_renditions + result.unverified_renditions:
                discard(rendition)
        if result.passed:
            continue
        if not dry_run:
            take_down(page, data={"reasons": result.reasons, "checks": result.checks})
            result.unpublished = True
        logger.warning("privacy_audit: %s", result.describe())
    return results
