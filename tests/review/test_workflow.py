"""The privacy review task: submission, report, approval with the checklist, changes requested."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import PageLogEntry, WorkflowState

from sixdegree_cases.review.constants import CHECKLIST, LOG_APPROVE
from sixdegree_cases.review.models import PrivacyReviewTask, ReviewApproval
from sixdegree_cases.review.services import ApprovalRefused
from tests.factories import make_case_page

from .helpers import FULL_CHECKLIST, act, current_task_state, submit


@pytest.fixture
def draft(case_index):
    return make_case_page(case_index, publish=False, title="Her story", slug="her-story")


def test_every_case_index_uses_the_privacy_review_workflow(draft):
    workflow = draft.get_workflow()
    assert workflow.name == "Privacy review"
    assert isinstance(workflow.tasks.first().specific, PrivacyReviewTask)


def test_submission_runs_the_checks_on_exactly_that_revision(draft, staff, fake_checks):
    fake_checks.block()
    task_state = submit(draft, staff)
    assert fake_checks.runs == [task_state.revision_id]
    assert task_state.blocking_count == 1
    assert task_state.findings[0]["masked"] == "+62 8** **** *89"
    assert task_state.content_fingerprint


def test_reviewers_are_told_of_a_submission_without_any_case_text(
    draft, staff, reviewer, fake_checks, django_capture_on_commit_callbacks
):
    fake_checks.block()
    with django_capture_on_commit_callbacks(execute=True):
        submit(draft, staff)
    assert [message.to for message in mail.outbox] == [["reviewer@example.org"]]
    message = mail.outbox[0]
    assert "1 blocking finding" in message.body
    assert reverse("sixdegree_review:review", args=[draft.pk]) in message.body
    for text in ("Her story", "Mawar", "Recruited"):
        assert text not in message.subject + message.body


def test_approval_needs_every_checklist_item(draft, staff, reviewer, fake_checks):
    task_state = submit(draft, staff)
    checklist = {**FULL_CHECKLIST, "consent_verified": False}
    with pytest.raises(ApprovalRefused, match="checklist"):
        act(task_state, reviewer, "approve", **checklist)
    draft.refresh_from_db()
    assert not draft.live


def test_approval_is_refused_while_a_blocking_finding_remains(draft, staff, reviewer, fake_checks):
    fake_checks.block()
    task_state = submit(draft, staff)
    with pytest.raises(ApprovalRefused, match="blocking finding"):
        act(task_state, reviewer, "approve", **FULL_CHECKLIST)
    draft.refresh_from_db()
    assert not draft.live
    assert not ReviewApproval.objects.filter(page_id=draft.pk).exists()


def test_a_finding_that_appears_after_submission_blocks_approval(draft, staff, reviewer, fake_checks):
    task_state = submit(draft, staff)
    fake_checks.block()  # e.g. a sensitive term added by the case officer since
    with pytest.raises(ApprovalRefused, match="blocking finding"):
        act(task_state, reviewer, "approve", **FULL_CHECKLIST)


def test_only_privacy_reviewers_approve_and_never_their_own_submission(
    draft, staff, reviewer, superuser, fake_checks
):
    task_state = submit(draft, reviewer)
    task = task_state.task.specific
    assert [name for name, *_ in task.get_actions(draft, reviewer)] == ["reject"]
    assert task.get_actions(draft, staff) == []
    assert task.get_actions(draft, superuser) == []
    with pytest.raises(ApprovalRefused):
        act(task_state, reviewer, "approve", **FULL_CHECKLIST)
    with pytest.raises(ApprovalRefused):
        act(task_state, superuser, "approve", **FULL_CHECKLIST)


def test_approval_publishes_exactly_the_approved_revision(
    draft, staff, reviewer, fake_checks, django_capture_on_commit_callbacks
):
    task_state = submit(draft, staff)
    with django_capture_on_commit_callbacks(execute=True):
        act(task_state, reviewer, "approve", comment="Fine.", **FULL_CHECKLIST)
    draft.refresh_from_db()
    assert draft.live
    assert draft.live_revision_id == task_state.revision_id
    assert draft.current_workflow_state is None
    approval = ReviewApproval.objects.get(page_id=draft.pk)
    assert approval.revision_id == task_state.revision_id
    assert approval.approved_by == reviewer
    assert approval.checklist == dict.fromkeys(CHECKLIST, True)
    entry = PageLogEntry.objects.get(page=draft, action=LOG_APPROVE)
    assert entry.user == reviewer
    assert entry.data["checklist"] == dict.fromkeys(CHECKLIST, True)
    assert PageLogEntry.objects.filter(page=draft, action="wagtail.publish").exists()
    # The submitter hears of the decision.
    assert [message.to for message in mail.outbox] == [["staff@example.org"]]
    assert "approved" in mail.outbox[0].subject


def test_an_edit_made_during_review_needs_its_own_approval(
    draft, staff, reviewer, second_reviewer, fake_checks
):
    task_state = submit(draft, staff)
    # Reviewers may edit during review (staff are locked out): the edit is a new revision.
    draft.summary = "Edited while in review."
    edited = draft.save_revision(user=second_reviewer)
    act(task_state, reviewer, "approve", **FULL_CHECKLIST)
    draft.refresh_from_db()
    assert not draft.live
    restarted = current_task_state(draft)
    assert restarted.revision_id == edited.pk
    assert restarted.status == restarted.STATUS_IN_PROGRESS
    # The author of the edit does not approve it.
    with pytest.raises(ApprovalRefused):
        act(restarted, second_reviewer, "approve", **FULL_CHECKLIST)
    act(restarted, reviewer, "approve", **FULL_CHECKLIST)
    draft.refresh_from_db()
    assert draft.live
    assert draft.live_revision_id == edited.pk
    assert draft.summary == "Edited while in review."


def test_request_changes_returns_the_case_with_a_comment(
    draft, staff, reviewer, fake_checks, django_capture_on_commit_callbacks
):
    fake_checks.block()
    task_state = submit(draft, staff)
    with pytest.raises(ApprovalRefused):
        act(task_state, reviewer, "reject", comment="  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(task_state, reviewer, "reject", comment="Remove the phone number in milestone 1.")
    workflow_state = draft.current_workflow_state
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert [message.to for message in mail.outbox] == [["staff@example.org"]]
    assert "phone" not in mail.outbox[0].body  # the comment stays in the admin

    # Fixed and resubmitted: the checks run again on the new revision.
    fake_checks.clear()
    draft.summary = "Fixed."
    resubmitted = submit(draft, staff)
    assert resubmitted.pk != task_state.pk
    assert resubmitted.blocking_count == 0
    act(resubmitted, reviewer, "approve", **FULL_CHECKLIST)
    draft.refresh_from_db()
    assert draft.live
    assert draft.summary == "Fixed."


def test_checks_that_are_missing_or_crash_block(draft, staff, reviewer, monkeypatch):
    from sixdegree_cases.review import checks

    def crash(revision):
        raise RuntimeError("boom")

    monkeypatch.setattr("sixdegree_cases.privacy.check_page", crash)
    report = checks.run_checks(draft.get_latest_revision())
    assert report.blocking
    assert "failed" in report.findings[0].message
