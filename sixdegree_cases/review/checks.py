"""Run the automated privacy checks on a revision and keep their report as plain data.

The checks themselves live in `sixdegree_cases.privacy` (`check_page`, the one entry point that
runs them). This module only runs them and fails closed: when they crash, the report carries a
blocking finding, so a case can never be approved without them.
"""

import logging
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .. import privacy

logger = logging.getLogger(__name__)

BLOCK = "block"
WARN = "warn"
FINDING_KEYS = ("check", "severity", "where", "field", "masked", "message")


@dataclass
class ReviewReport:
    """What the checks found on one revision, as JSON-ready data."""

    findings: list = field(default_factory=list)
    checks_run: list = field(default_factory=list)
    blocking: bool = False

    @property
    def blocking_count(self):
        return sum(1 for finding in self.findings if finding["severity"] == BLOCK)

    @property
    def warning_count(self):
        return sum(1 for finding in self.findings if finding["severity"] != BLOCK)

    @property
    def data(self):
        return {"findings": self.findings, "checks_run": self.checks_run, "blocking": self.blocking}


def _text(value):
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{key} {item}" for key, item in value.items() if item not in (None, ""))
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    return str(value)


def normalise_finding(finding):
    """A finding (object or dict) as a dict of the six display strings."""
    if not isinstance(finding, dict):
        finding = {key: getattr(finding, key, "") for key in FINDING_KEYS}
    normalised = {key: _text(finding.get(key)) for key in FINDING_KEYS}
    normalised["severity"] = BLOCK if normalised["severity"].lower() == BLOCK else WARN
    return normalised


def failure_report(message, check="review"):
    """A report that blocks approval because the checks could not give an answer."""
    finding = {"check": check, "severity": BLOCK, "where": "", "field": "", "masked": "", "message": message}
    return ReviewReport(findings=[finding], checks_run=[], blocking=True)


def _report(result):
    """A `privacy.check_page` result as the review keeps it."""
    findings = [normalise_finding(finding) for finding in result.findings]
    checks_run = [_text(check) for check in getattr(result, "checks_run", [])]
    blocking = bool(result.blocking) or any(finding["severity"] == BLOCK for finding in findings)
    return ReviewReport(findings=findings, checks_run=checks_run, blocking=blocking)


def _failed():
    return failure_report(_("The automated privacy checks failed to run: ask a developer to look."))


# Both run `privacy.check_page`, the one entry point of the checks, and fail closed.


def run_checks_on_page(page):
    """Run the checks on a page instance as it stands (saved or not); fails closed like `run_checks`."""
    try:
        return _report(privacy.check_page(page))
    except Exception:
        logger.exception("The privacy checks failed on page %s", page.pk)
        return _failed()


def run_checks(revision):
    """Run `sixdegree_cases.privacy.check_page` on exactly this revision."""
    try:
        return _report(privacy.check_page(revision))
    except Exception:
        logger.exception("The privacy checks failed on revision %s", revision.pk)
        return _failed()
