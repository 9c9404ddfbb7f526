"""What communications staff see on a case's edit screen, and the messages the admin gives."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.admin_forms import case_form_data
from tests.factories import make_case_page
from tests.privacy.helpers import record_consent

from .helpers import act, messages_of, submit


@pytest.fixture
def draft(case_index):
    return make_case_page(case_index, publish=False, slug="her-story")


def status_panel(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("[data-case-review-status]")


def test_staff_see_whether_consent_is_recorded_but_not_the_record(client, staff, draft):
    client.force_login(staff)
    assert "not recorded yet" in status_panel(client, draft).get_text()
    record_consent(draft, notes="CANARY-consent-note")
    panel = status_panel(client, draft)
    assert "Consent: recorded" in panel.get_text()
    response = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert "CANARY-consent-note" not in response
    assert "Indonesian" not in panel.get_text()


def test_staff_see_the_reviewers_last_requested_changes(client, staff, reviewer, draft, fake_checks):
    task_state = submit(draft, staff)
    act(task_state, reviewer, "reject", comment="First: remove the district name.")
    draft.summary = "Edited."
    task_state = submit(draft, staff)
    act(task_state, reviewer, "reject", comment="Second: the period is an exact date.")
    client.force_login(staff)
    comment = status_panel(client, draft).select_one("[data-reviewer-comment]")
    assert comment.get_text(strip=True) == "Second: the period is an exact date."


def test_submitting_says_what_happens_next(client, staff, draft, fake_checks):
    client.force_login(staff)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        case_form_data(slug="her-story", **{"action-submit": "action-submit"}),
        follow=True,
    )
    texts = messages_of(response)
    assert any("is with the privacy reviewers" in text for text in texts), texts
    assert not any("submitted for moderation" in text for text in texts)


def test_the_submitted_message_keeps_wagtails_buttons(client, staff, draft, fake_checks):
    """The reworded message is still HTML: its "View draft" and "Edit" buttons are links, not
    escaped markup shown as text."""
    client.force_login(staff)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        case_form_data(slug="her-story", **{"action-submit": "action-submit"}),
        follow=True,
    )
    messages = BeautifulSoup(response.content, "html.parser").select_one(".messages")
    assert "is with the privacy reviewers" in messages.get_text()
    assert "<span" not in messages.get_text()
    links = {link["href"] for link in messages.select("a")}
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in links
