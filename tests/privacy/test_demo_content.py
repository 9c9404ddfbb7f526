"""Every demo case records consent, a funding determination and sensitive terms, and passes the
privacy checks (its latest revision, as a reviewer would see it)."""

import io

import pytest
from django.core.management import call_command

from home.demo.cases import CASES
from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.privacy import check_page, current_consent
from sixdegree_cases.privacy.models import sensitive_terms


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_USERNAME", raising=False)
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    call_command("load_demo_content", force=True, no_admin=True, stdout=io.StringIO())
    return list(SurvivorCasePage.objects.order_by("pk"))


def test_every_demo_case_is_recorded_and_passes_the_checks(demo):
    assert [case.slug for case in demo] == [data["slug"] for data in CASES]
    for case in demo:
        assert current_consent(case) is not None
        assert sensitive_terms(case).count() >= 3
        assert case.case_officer_reference
        report = check_page(case.get_latest_revision())
        assert report.findings == [], case.slug
        assert report.checks_run[-2:] == ["consent", "funding"]


def test_the_demo_terms_would_be_caught(demo):
    """The checks see the demo's terms: one planted in a story blocks."""
    case = demo[0]
    term = sensitive_terms(case).first()
    case.summary = f"{case.summary} {term.term.upper()}"
    assert [finding.check for finding in check_page(case).findings] == ["sensitive_terms"]


def test_the_loader_names_a_blocking_finding_masked(demo):
    """When a demo page fails the checks, the loader says where and what, masked."""
    from home.demo.loader import blocking_findings

    case = demo[0]
    term = sensitive_terms(case).first()
    case.summary = f"{case.summary} {term.term}"
    line = blocking_findings(case.save_revision())
    assert line.startswith("Summary: ")
    assert "[Latin] " in line
    assert term.term not in line
