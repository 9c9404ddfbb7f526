"""`check_page`: the public entry point, its report and the configured list of checks."""

import json

import pytest
from django.core.checks import run_checks

from sixdegree_cases.privacy import check_page
from sixdegree_cases.privacy.checks import PrivacyCheck
from sixdegree_cases.privacy.report import PrivacyReport, Severity
from tests.factories import make_case_page

DEFAULT_IDS = ["sensitive_terms", "contact_details", "images", "locations", "consent", "funding"]


class ShoutingCheck(PrivacyCheck):
    """A deployment's own check: block any summary written in capitals."""

    id = "shouting"
    label = "Shouting"

    def check(self, context):
        if context.page.summary.isupper():
            return [self.finding("Summary", "summary", "", "Do not shout.")]
        return []


class BrokenCheck(PrivacyCheck):
    id = "broken"
    label = "Broken"

    def check(self, context):
        raise RuntimeError("the detector crashed")


def test_a_clean_case_has_no_finding_and_runs_every_check(case):
    report = check_page(case)
    assert report.findings == []
    assert report.blocking is False
    assert report.checks_run == DEFAULT_IDS


def test_the_report_says_finding_nothing_is_not_proof_of_safety(case):
    assert "not proof of safety" in str(check_page(case).note)
    assert "not proof of safety" in check_page(case).as_dict()["note"]


def test_a_revision_is_checked_as_the_page_it_holds(case):
    case.summary = "Call her on +62 812-3456-789."
    revision = case.save_revision()
    case.refresh_from_db()
    assert check_page(case).blocking is False
    report = check_page(revision)
    assert report.blocking is True
    assert report.revision_id == revision.pk
    assert report.page_id == case.pk


def test_a_page_is_checked_as_given_not_as_saved(case):
    case.summary = "Write to maya@example.org."
    assert check_page(case).blocking is True


def test_a_generic_page_row_is_checked_as_its_specific_type(case):
    from wagtail.models import Page

    assert check_page(Page.objects.get(pk=case.pk)).checks_run == DEFAULT_IDS


def test_the_case_index_runs_only_the_text_checks(case_index):
    report = check_page(case_index)
    assert report.checks_run == ["sensitive_terms", "contact_details", "images"]
    assert report.blocking is False


def test_a_blocking_finding_makes_the_report_blocking(case):
    case.dream = "Her passport A1234567 is still with the agent."
    report = check_page(case)
    assert [f.severity for f in report.findings] == [Severity.BLOCK]
    assert report.blocking is True


def test_as_dict_is_json_and_round_trips(case):
    case.summary = "Her number is +62 812-3456-789."
    report = check_page(case)
    data = json.loads(json.dumps(report.as_dict()))
    assert data["blocking"] is True
    assert data["findings"][0]["check"] == "contact_details"
    assert data["findings"][0]["where"] == "Summary"
    again = PrivacyReport.from_dict(data)
    assert again.findings == report.findings
    assert again.blocking is True


def test_a_deployment_can_add_a_check_by_dotted_path(settings, case):
    settings.SIXDEGREE_PRIVACY_CHECKS = [*settings.SIXDEGREE_PRIVACY_CHECKS, f"{__name__}.ShoutingCheck"]
    case.summary = "HELP"
    report = check_page(case)
    assert report.checks_run[-1] == "shouting"
    assert [f.message for f in report.findings] == ["Do not shout."]


def test_a_check_that_crashes_blocks_instead_of_passing(settings, case):
    settings.SIXDEGREE_PRIVACY_CHECKS = [f"{__name__}.BrokenCheck"]
    report = check_page(case)
    assert report.blocking is True
    assert report.findings[0].check == "broken"


def test_system_check_reports_a_path_that_is_not_a_check(settings):
    settings.SIXDEGREE_PRIVACY_CHECKS = ["sixdegree_cases.privacy.nothing.Here", "json.dumps"]
    ids = [message.id for message in run_checks()]
    assert ids.count("sixdegree_privacy.E001") == 2


def test_check_page_refuses_what_is_not_a_page():
    with pytest.raises(TypeError, match="a page or a revision"):
        check_page("her-story")


def test_a_case_without_consent_blocks_on_consent_alone(case_index):
    page = make_case_page(case_index, slug="other")
    assert [f.check for f in check_page(page).findings] == ["consent"]
