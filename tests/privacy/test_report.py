"""The one report of the privacy checks (`PrivacyReport`, `Finding`, `Severity`).

Review, the privacy screen, the `privacy_check` command and the live re-check all read this
report, so what it accepts decides whether a case can get through: a finding whose weight is
unknown, or a check that returns something that is not a finding, must block.
"""

import json
import logging

import pytest

from sixdegree_cases.privacy import check_page
from sixdegree_cases.privacy.checks import PrivacyCheck
from sixdegree_cases.privacy.report import Finding, PrivacyReport, Severity

SECRET = "Desa Contoh"


def finding(severity="block", **parts):
    return Finding(
        **{
            "check": "contacts",
            "where": "Summary",
            "field": "summary",
            "masked": "+62 8••",
            "message": "A phone.",
        }
        | parts,
        severity=severity,
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("block", Severity.BLOCK),
        ("BLOCK", Severity.BLOCK),
        (" Warn ", Severity.WARN),
        (Severity.WARN, Severity.WARN),
    ],
)
def test_a_severity_is_read_in_any_case(given, expected):
    assert Severity.of(given) is expected
    assert finding(given).severity is expected


@pytest.mark.parametrize("given", ["error", "", None, "blocking", "high"])
def test_an_unknown_severity_is_refused_never_read_as_a_warning(given):
    with pytest.raises(ValueError, match="'block' or 'warn'"):
        finding(given)


def test_the_refusal_of_a_severity_does_not_quote_it():
    with pytest.raises(ValueError, match="severity") as error:
        Severity.of(SECRET)
    assert SECRET not in str(error.value)


def test_a_finding_s_parts_are_display_strings():
    loose = finding(where=None, masked=["+62 8••", "•••9"], field={"milestone": 2, "part": ""})
    assert (loose.where, loose.masked, loose.field) == ("", "+62 8••, •••9", "milestone 2")


def test_the_report_counts_what_blocks_and_what_warns():
    report = PrivacyReport(findings=[finding("block"), finding("warn"), finding("BLOCK")])
    assert report.blocking is True
    assert (report.blocking_count, report.warning_count) == (2, 1)
    assert [f.severity for f in report.blocking_findings] == [Severity.BLOCK, Severity.BLOCK]
    assert [f.severity for f in report.warnings] == [Severity.WARN]


def test_a_report_of_warnings_only_does_not_block():
    report = PrivacyReport(findings=[finding("warn")])
    assert (report.blocking, report.blocking_count, report.warning_count) == (False, 0, 1)
    assert PrivacyReport().blocking is False


def test_a_failed_run_blocks_and_says_so():
    report = PrivacyReport.failed("The checks failed to run.", check="review", revision_id=7)
    assert report.blocking is True
    assert report.blocking_count == 1
    assert report.revision_id == 7
    assert report.findings[0].check == "review"
    assert report.as_dict()["findings"][0]["severity"] == "block"


def test_the_stored_form_is_plain_json_and_round_trips():
    report = PrivacyReport(findings=[finding("block"), finding("warn")], checks_run=["contacts"], page_id=3)
    data = json.loads(json.dumps(report.as_dict()))
    assert [item["severity"] for item in data["findings"]] == ["block", "warn"]
    assert data["blocking"] is True
    again = PrivacyReport.from_dict(data)
    assert again.findings == report.findings
    assert (again.blocking_count, again.warning_count, again.page_id) == (1, 1, 3)


def test_a_report_stored_by_the_review_before_the_merge_still_reads():
    """Task states and approvals stored before the two reports were one kept only findings,
    checks_run and blocking."""
    stored = {"findings": [finding("warn").as_dict()], "checks_run": ["contacts"], "blocking": False}
    report = PrivacyReport.from_dict(stored)
    assert (report.blocking, report.warning_count, report.checks_run) == (False, 1, ["contacts"])


# --- What a deployment's own check can get wrong -------------------------------------------


class LooseSeverityCheck(PrivacyCheck):
    """A deployment's check that spells its severity its own way."""

    id = "loose"
    label = "Loose"

    def check(self, context):
        return [self.finding("Summary", "summary", "", "Shouting.", severity="BLOCK")]


class UnknownSeverityCheck(PrivacyCheck):
    id = "unknown_severity"
    label = "Unknown severity"

    def check(self, context):
        return [self.finding("Summary", "summary", "", "Looks bad.", severity="critical")]


class DictCheck(PrivacyCheck):
    """A deployment's check that returns plain dicts instead of `Finding`s."""

    id = "dicts"
    label = "Dicts"

    def check(self, context):
        return [{"check": self.id, "severity": "block", "where": "Summary", "message": "Found."}]


def test_a_check_s_upper_case_severity_blocks(settings, case):
    settings.SIXDEGREE_PRIVACY_CHECKS = [f"{__name__}.LooseSeverityCheck"]
    report = check_page(case)
    assert report.blocking is True
    assert report.findings[0].message == "Shouting."


@pytest.mark.parametrize("check", ["UnknownSeverityCheck", "DictCheck"])
def test_a_check_that_returns_no_valid_finding_blocks_as_a_failed_check(settings, case, caplog, check):
    settings.SIXDEGREE_PRIVACY_CHECKS = [f"{__name__}.{check}"]
    with caplog.at_level(logging.ERROR, logger="sixdegree_cases.privacy.runner"):
        report = check_page(case)
    assert report.blocking is True
    assert len(report.findings) == 1
    assert isinstance(report.findings[0], Finding)
    assert "could not run" in report.findings[0].message
    assert caplog.records, "the failure is logged for an administrator"


def test_the_privacy_screen_shows_a_broken_check_as_blocking(settings, client, case):
    """Before, a check returning dicts left dicts in the report: the screen listed them as if
    they were findings and the review failed on them (AttributeError)."""
    from django.urls import reverse

    from tests.privacy.helpers import OFFICER_PERMISSIONS, user_with

    settings.SIXDEGREE_PRIVACY_CHECKS = [f"{__name__}.DictCheck"]
    client.force_login(user_with("officer", OFFICER_PERMISSIONS))
    response = client.get(reverse("sixdegree_privacy_case:overview", args=[case.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-severity="block"' in html
    assert "could not run" in html
    assert "No finding." not in html
