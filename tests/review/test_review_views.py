"""The review in the admin: Wagtail's action modal, the review screen and the cases by state."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import make_case_page

from .helpers import FULL_CHECKLIST, messages_of, submit


@pytest.fixture
def in_review(case_index, staff, fake_checks):
    page = make_case_page(case_index, publish=False, title="Her story", slug="her-story")
    fake_checks.block()
    return page, submit(page, staff)


def checklist_post(task_state, **extra):
    data = dict.fromkeys(FULL_CHECKLIST, "on")
    data.update({"task_state_id": task_state.pk, "comment": ""}, **extra)
    return data


def review_post(task_state, action, **extra):
    """POST data of the review screen, whose forms are prefixed."""
    data = checklist_post(task_state, **extra) if action == "approve" else {"comment": "", **extra}
    return {
        "action": action,
        **{f"{'approve' if action == 'approve' else 'changes'}-{key}": value for key, value in data.items()},
    }


def test_the_approve_modal_shows_the_report_and_the_checklist(client, reviewer, in_review):
    page, task_state = in_review
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.json()["html"]
    assert "+62 8** **** *89" in html
    assert "Milestone 1 · narrative" in html
    assert "A check that finds nothing is not proof of safety." in html
    assert "No identifiable person appears in any image." in html


def test_the_approve_modal_refuses_while_a_finding_blocks(client, reviewer, in_review, fake_checks):
    page, task_state = in_review
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, checklist_post(task_state), headers={"x-requested-with": "XMLHttpRequest"})
    assert "Approval is refused while 1 blocking finding remains" in response.json()["html"]
    page.refresh_from_db()
    assert not page.live

    fake_checks.clear()
    response = client.post(url, checklist_post(task_state), headers={"x-requested-with": "XMLHttpRequest"})
    assert response.json()["step"] == "success"
    page.refresh_from_db()
    assert page.live
    assert page.live_revision_id == task_state.revision_id


def test_request_changes_through_the_modal_needs_a_comment(client, reviewer, in_review):
    page, task_state = in_review
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk])
    response = client.post(url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"})
    assert "Say what must change." in response.json()["html"]
    response = client.post(
        url, {"comment": "Remove the number."}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.json()["step"] == "success"
    assert page.current_workflow_state.status == "needs_changes"


def test_the_review_screen_lists_findings_and_refuses_a_blocked_approval(client, reviewer, in_review):
    page, task_state = in_review
    client.force_login(reviewer)
    url = reverse("sixdegree_review:review", args=[page.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "contacts",
        "Blocks approval",
        "Milestone 1 · narrative",
        "+62 8** **** *89",
        "not proof of safety",
    ):
        assert text in html
    response = client.post(url, review_post(task_state, "approve"))
    assert response.status_code == 200
    assert "Approval is refused while 1 blocking finding remains" in response.content.decode()
    page.refresh_from_db()
    assert not page.live


def test_the_review_screen_approves_with_the_checklist(client, reviewer, in_review, fake_checks):
    page, task_state = in_review
    fake_checks.clear()
    client.force_login(reviewer)
    url = reverse("sixdegree_review:review", args=[page.pk])
    incomplete = review_post(task_state, "approve")
    del incomplete["approve-locations_coarse"]
    response = client.post(url, incomplete)
    assert "Confirm this before approving." in response.content.decode()
    response = client.post(url, review_post(task_state, "approve"), follow=True)
    assert any("Approved" in message for message in messages_of(response))
    page.refresh_from_db()
    assert page.live


def test_editors_read_the_report_but_cannot_decide(client, staff, in_review):
    page, task_state = in_review
    client.force_login(staff)
    url = reverse("sixdegree_review:review", args=[page.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "+62 8** **** *89" in response.content.decode()
    assert 'value="approve"' not in response.content.decode()
    response = client.post(url, review_post(task_state, "approve"))
    assert response.status_code in (302, 403)  # Wagtail's admin turns a refusal into a redirect
    page.refresh_from_db()
    assert not page.live


def test_the_review_screen_is_closed_to_others(client, in_review):
    page, _task_state = in_review
    outsider = get_user_model().objects.create_user("outsider", "o@example.org", "pw")
    client.force_login(outsider)
    assert client.get(reverse("sixdegree_review:review", args=[page.pk])).status_code in (302, 403)


def test_cases_are_listed_by_review_state(client, reviewer, in_review, case_index):
    page, _task_state = in_review
    make_case_page(case_index, title="Live story", slug="live-story")
    make_case_page(case_index, publish=False, title="Plain draft", slug="plain-draft")
    client.force_login(reviewer)
    response = client.get(reverse("sixdegree_review:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Her story") < html.index("Plain draft")
    for label in ("In privacy review", "Approved and live", "Draft, not submitted"):
        assert label in html
    response = client.get(reverse("sixdegree_review:index"), {"review_state": "in_review"})
    html = response.content.decode()
    assert "Her story" in html
    assert "Live story" not in html


def test_the_menu_item_is_shown_to_the_roles_only(client, staff, reviewer, officer):
    for user in (staff, reviewer, officer):
        client.force_login(user)
        assert client.get(reverse("sixdegree_review:index")).status_code == 200
        assert reverse("sixdegree_review:index") in client.get(reverse("wagtailadmin_home")).content.decode()
    outsider = get_user_model().objects.create_user("outsider", "o@example.org", "pw", is_staff=True)
    outsider.user_permissions.add(*staff.groups.get().permissions.filter(codename="access_admin"))
    client.force_login(outsider)
    assert client.get(reverse("sixdegree_review:index")).status_code in (302, 403)
    assert reverse("sixdegree_review:index") not in client.get(reverse("wagtailadmin_home")).content.decode()
