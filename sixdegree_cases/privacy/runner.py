"""Run every configured privacy check against one page or revision."""

import logging

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Revision

from .checks import CheckContext, get_checks
from .report import Finding, PrivacyReport, Severity

logger = logging.getLogger(__name__)


def _context_for(page_or_revision):
    if isinstance(page_or_revision, Revision):
        page = page_or_revision.as_object()
        return CheckContext(page, case_id=int(page_or_revision.object_id), revision=page_or_revision)
    if isinstance(page_or_revision, Page):
        page = page_or_revision
        if type(page) is Page and page.pk:
            # A generic Page row: its specific type decides which checks apply.
            page = page.specific
        return CheckContext(page, case_id=page.pk)
    raise TypeError(f"check_page() takes a page or a revision, not {type(page_or_revision).__name__}.")


def check_page(page_or_revision):
    """Run the checks of SIXDEGREE_PRIVACY_CHECKS and return a `PrivacyReport`.

    A page is checked as given (its current fields, saved or not); a `Revision` is checked as the
    page it holds, i.e. exactly what would go live. Sensitive terms and consent come from the
    case (by page id), never from the revision. A check that fails to run counts as blocking:
    an error must never read as "nothing found".
    """
    context = _context_for(page_or_revision)
    report = PrivacyReport(
        page_id=context.case_id,
        revision_id=context.revision.pk if context.revision else None,
    )
    for check in get_checks():
        if not check.applies(context):
            continue
        report.checks_run.append(check.id)
        try:
            found = list(check.check(context))
            if not all(isinstance(finding, Finding) for finding in found):
                # Everything that reads a report relies on its findings being `Finding`s.
                raise TypeError("A privacy check returns Finding objects (PrivacyCheck.finding()).")
            report.findings.extend(found)
        except Exception:
            logger.exception("Privacy check %s failed on page %s", check.id, context.case_id)
            report.findings.append(
                Finding(
                    check=check.id,
                    severity=Severity.BLOCK,
                    where=str(check.label),
                    field="",
                    masked="",
                    message=str(_("This check could not run; an administrator must look at the error log.")),
                )
            )
    return report
