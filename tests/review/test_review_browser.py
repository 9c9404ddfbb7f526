"""The review path in a real browser: staff submit a case with a planted phone number, a
privacy reviewer sees the blocking finding and requests changes, staff fix and resubmit, the
reviewer approves with the checklist, and the public page shows the case.

The draft case is built with the factories (its map milestones and funding items would take
most of this test to enter by hand, and tests/browser covers the editor's map); every step of
the review itself happens in the admin, through the buttons people use.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.review.constants import COMMUNICATIONS_STAFF, PRIVACY_REVIEWERS
from sixdegree_cases.review.roles import ensure_review_setup
from tests.browser import conftest as browser_fixtures
from tests.factories import make_case_index, make_case_page, make_home
from tests.privacy.helpers import record_consent

pytestmark = pytest.mark.browser

# The browser tests' fixtures: a database restored with Wagtail's root page, and a request log.
site_db = browser_fixtures.site_db
requests_seen = browser_fixtures.requests_seen
foreign = browser_fixtures.foreign

PASSWORD = "correct horse battery staple"
PHONE = "+62 812 3456 789"


def member(username, group_name):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def draft(site_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_review_setup()
    index = make_case_index(make_home())
    staff = member("staff", COMMUNICATIONS_STAFF)
    member("reviewer", PRIVACY_REVIEWERS)
    case = make_case_page(
        index, publish=False, owner=staff, title="Her story", slug="her-story", pseudonym="Melati"
    )
    record_consent(case)
    return case


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def submit_for_review(page, live_server, case, summary):
    page.goto(f"{live_server.url}/admin/pages/{case.pk}/edit/")
    page.locator("textarea[name=summary]").fill(summary)
    submit_button = page.locator("button[name=action-submit]")
    if not submit_button.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    submit_button.click()
    expect(page.locator(".messages")).to_contain_text("is with the privacy reviewers")


def test_submit_request_changes_fix_and_approve(page, live_server, draft, requests_seen):
    review_url = f"{live_server.url}/admin/privacy-review/{draft.pk}/"

    # Communications staff plant a phone number and submit the case.
    log_in(page, live_server, "staff")
    submit_for_review(page, live_server, draft, f"She can be reached on {PHONE}.")

    # The privacy reviewer sees the blocking finding, masked, and requests changes.
    log_in(page, live_server, "reviewer")
    page.goto(review_url)
    findings = page.locator("table.sixdegree-review-findings")
    expect(findings).to_contain_text("Blocks approval")
    expect(findings).not_to_contain_text(PHONE)
    expect(page.get_by_role("alert")).to_contain_text("Approval is refused")
    expect(page.get_by_text("A check that finds nothing is not proof of safety.")).to_be_visible()
    page.get_by_label("What must change").fill("Remove the phone number from the summary.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.locator(".messages")).to_contain_text("Changes requested")

    # Staff read the comment, fix the summary and resubmit.
    log_in(page, live_server, "staff")
    page.goto(review_url)
    expect(page.get_by_role("note").first).to_contain_text("Remove the phone number")
    submit_for_review(page, live_server, draft, "Recruited at 16 with a promise of restaurant work.")

    # The reviewer approves with the checklist: all four items.
    log_in(page, live_server, "reviewer")
    page.goto(review_url)
    expect(page.locator("[data-review-summary]")).to_contain_text("0 blocking findings")
    for checkbox in page.locator("input[type=checkbox]").all():
        checkbox.check()
    page.get_by_role("button", name="Approve this version").click()
    expect(page.locator(".messages")).to_contain_text("Approved and published")

    case = SurvivorCasePage.objects.get(pk=draft.pk)
    assert case.live
    assert case.summary == "Recruited at 16 with a promise of restaurant work."

    # The public page shows the case, to a visitor who is not signed in.
    page.context.clear_cookies()
    response = page.goto(live_server.url + case.url)
    assert response.status == 200
    expect(page.locator("main")).to_contain_text("Melati")
    assert foreign(requests_seen, live_server) == []
