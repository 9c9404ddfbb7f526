"""Run the automated privacy checks on what the review looks at, and fail closed.

The checks and their report (`PrivacyReport`) live in `sixdegree_cases.privacy`; `check_page`
is the one entry point that runs them. This module only adds the review's rule: when the run
itself crashes, the report carries a blocking finding, so a case can never be approved without
the checks.
"""

import logging

from django.utils.translation import gettext as _

from .. import privacy
from ..privacy.report import PrivacyReport

logger = logging.getLogger(__name__)


def _failed(**ids):
    return PrivacyReport.failed(
        _("The automated privacy checks failed to run: ask a developer to look."), check="review", **ids
    )


def run_checks_on_page(page):
    """Run the checks on a page instance as it stands (saved or not); fails closed like `run_checks`."""
    try:
        return privacy.check_page(page)
    except Exception:
        logger.exception("The privacy checks failed on page %s", page.pk)
        return _failed(page_id=page.pk)


def run_checks(revision):
    """Run `sixdegree_cases.privacy.check_page` on exactly this revision."""
    try:
        return privacy.check_page(revision)
    except Exception:
        logger.exception("The privacy checks failed on revision %s", revision.pk)
        return _failed(revision_id=revision.pk)
