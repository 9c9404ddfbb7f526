"""Door 3: nobody approves content they wrote or changed since the last approval, and the
reviewer is told what an approval actually did."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.review.services import ApprovalRefused, last_approval
from tests.factories import make_case_page

from .helpers import FULL_CHECKLIST, act, messages_of, submit
from .test_review_views import review_post


@pytest.fixture
def draft(case_index):
    return make_case_page(case_index, publish=False, title="Her story", slug="her-story")


def latest(page):
    return SurvivorCasePage.objects.get(pk=page.pk).get_latest_revision_as_object()


def edit(page, user, summary):
    content = latest(page)
    content.summary = summary
    content.save_revision(user=user)


def action_names(task_state, user):
    page = SurvivorCasePage.objects.get(pk=task_state.workflow_state.object_id)
    return [name for name, _label, _modal in task_state.task.specific.get_actions(page, user)]


def edited_during_review_then_resubmitted(draft, staff, reviewer):
    """The attack: the reviewer edits during review, the submitter cancels and resubmits unchanged."""
    task_state = submit(draft, staff)
    edit(draft, reviewer, "The reviewer's own words.")
    task_state.workflow_state.cancel(user=staff)
    return submit(latest(draft), staff)


def test_a_reviewer_who_edited_during_review_cannot_approve_the_resubmission(
    draft, staff, reviewer, fake_checks
):
    task_state = edited_during_review_then_resubmitted(draft, staff, reviewer)

    with pytest.raises(ApprovalRefused, match="another privacy reviewer"):
        act(task_state, reviewer, "approve", **FULL_CHECKLIST)

    assert not SurvivorCasePage.objects.get(pk=draft.pk).live


def test_the_approve_action_is_not_offered_to_an_author(draft, staff, reviewer, fake_checks):
    task_state = edited_during_review_then_resubmitted(draft, staff, reviewer)

    assert "approve" not in action_names(task_state, reviewer)


def test_another_reviewer_approves_the_resubmission(draft, staff, reviewer, second_reviewer, fake_checks):
    task_state = edited_during_review_then_resubmitted(draft, staff, reviewer)

    act(task_state, second_reviewer, "approve", **FULL_CHECKLIST)

    assert SurvivorCasePage.objects.get(pk=draft.pk).live


def test_an_edit_before_the_last_approval_does_not_count(
    draft, staff, reviewer, second_reviewer, fake_checks
):
    edit(draft, reviewer, "An early edit by the reviewer.")
    act(submit(latest(draft), staff), second_reviewer, "approve", **FULL_CHECKLIST)
    edit(draft, staff, "A later edit by the staff.")

    act(submit(latest(draft), staff), reviewer, "approve", **FULL_CHECKLIST)

    assert SurvivorCasePage.objects.get(pk=draft.pk).live_revision.as_object().summary == (
        "A later edit by the staff."
    )


def test_the_review_screen_shows_who_wrote_each_change_and_the_version_in_review(
    client, draft, staff, reviewer, second_reviewer, fake_checks
):
    task_state = edited_during_review_then_resubmitted(draft, staff, reviewer)
    client.force_login(second_reviewer)

    html = client.get(reverse("sixdegree_review:review", args=[draft.pk])).content.decode()

    assert f"Version in review: {task_state.revision_id}" in html
    assert "<td data-author>reviewer</td>" in html
    assert "<td data-author>staff</td>" in html
    # Never approved: the link says what it compares, not "the last approved version".
    assert "Compare the first version with the version in review (this case was never approved)" in html
    assert "Compare the last approved version" not in html


def test_the_comparison_starts_at_the_last_approval_once_there_is_one(
    client, draft, staff, reviewer, second_reviewer, fake_checks
):
    act(submit(latest(draft), staff), reviewer, "approve", **FULL_CHECKLIST)
    approved = last_approval(draft.pk).revision_id
    edit(draft, staff, "A later edit by the staff.")
    task_state = submit(latest(draft), staff)
    client.force_login(reviewer)

    html = client.get(reverse("sixdegree_review:review", args=[draft.pk])).content.decode()

    assert "Compare the last approved version with the version in review" in html
    assert f"/compare/{approved}...{task_state.revision_id}/" in html


def test_the_reviewer_is_told_the_version_is_live(client, draft, staff, reviewer, fake_checks):
    task_state = submit(draft, staff)
    client.force_login(reviewer)

    response = client.post(
        reverse("sixdegree_review:review", args=[draft.pk]), review_post(task_state, "approve"), follow=True
    )

    assert any(message.startswith("Approved and published") for message in messages_of(response))


def test_a_scheduled_approval_does_not_say_published(client, draft, staff, reviewer, fake_checks):
    draft.go_live_at = timezone.now() + timedelta(days=2)
    task_state = submit(draft, staff)
    client.force_login(reviewer)

    response = client.post(
        reverse("sixdegree_review:review", args=[draft.pk]), review_post(task_state, "approve"), follow=True
    )

    messages = messages_of(response)
    assert any("scheduled to go live" in message for message in messages)
    assert not any("published" in message for message in messages)
    assert not SurvivorCasePage.objects.get(pk=draft.pk).live
