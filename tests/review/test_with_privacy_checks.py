"""The review with the real automated checks (sixdegree_cases.privacy) rather than a stand-in."""

import pytest

from sixdegree_cases.privacy.models import ConsentRecord
from sixdegree_cases.review.services import ApprovalRefused
from tests.factories import make_case_page, milestone
from tests.privacy.helpers import record_consent

from .helpers import FULL_CHECKLIST, act, submit

PHONE = "+62 812 3456 789"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(case_index):
    page = make_case_page(case_index, publish=False, title="Her story", slug="her-story")
    record_consent(page)
    return page


def test_a_planted_phone_number_blocks_with_a_masked_finding(draft, staff, reviewer):
    draft.story = [
        milestone("recruitment", "Recruited", narrative=f"<p>Call her broker on {PHONE}.</p>"),
        milestone("escape", "Escape"),
    ]
    task_state = submit(draft, staff)
    blocking = [finding for finding in task_state.findings if finding["severity"] == "block"]
    assert blocking, task_state.findings
    assert any("1" in finding["where"] or "ilestone" in finding["where"] for finding in blocking)
    assert all(PHONE not in finding["masked"] and "812 3456" not in finding["masked"] for finding in blocking)
    with pytest.raises(ApprovalRefused, match="blocking finding"):
        act(task_state, reviewer, "approve", **FULL_CHECKLIST)


def test_a_clean_case_with_consent_is_approved_and_published(draft, staff, reviewer):
    task_state = submit(draft, staff)
    assert task_state.blocking_count == 0, task_state.findings
    assert task_state.report["checks_run"]
    act(task_state, reviewer, "approve", **FULL_CHECKLIST)
    draft.refresh_from_db()
    assert draft.live
    assert draft.live_revision_id == task_state.revision_id


def test_consent_withdrawn_after_submission_blocks_approval(draft, staff, reviewer):
    task_state = submit(draft, staff)
    assert task_state.blocking_count == 0
    ConsentRecord.objects.filter(case=draft).delete()
    with pytest.raises(ApprovalRefused, match="blocking finding"):
        act(task_state, reviewer, "approve", **FULL_CHECKLIST)


def test_the_review_keeps_the_privacy_report_itself(draft, staff, reviewer):
    """One report: what the task state and the approval keep is `PrivacyReport.as_dict()`, and
    their counts are the report's own."""
    from sixdegree_cases.privacy.report import PrivacyReport, Severity
    from sixdegree_cases.review.models import ReviewApproval

    draft.story = [milestone("recruitment", "Recruited", narrative=f"<p>Call her broker on {PHONE}.</p>")]
    task_state = submit(draft, staff)
    report = PrivacyReport.from_dict(task_state.report)
    assert report.revision_id == task_state.revision_id
    assert report.page_id == draft.pk
    assert (task_state.blocking_count, task_state.warning_count) == (
        report.blocking_count,
        report.warning_count,
    )
    assert task_state.blocking_count >= 1
    assert {finding.severity for finding in report.findings} <= set(Severity)
    assert "not proof of safety" in task_state.report["note"]

    act(task_state, reviewer, "reject", comment="Remove the number.")
    draft.story = [milestone("recruitment", "Recruited")]
    task_state = submit(draft, staff)
    assert task_state.blocking_count == 0, task_state.findings
    act(task_state, reviewer, "approve", **FULL_CHECKLIST)
    approval = ReviewApproval.objects.get(revision_id=task_state.revision_id)
    assert PrivacyReport.from_dict(approval.report).checks_run == task_state.report["checks_run"]
    assert approval.report["blocking"] is False
