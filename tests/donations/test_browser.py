"""A real browser gives with the dummy provider and sees the progress bar move."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from sixdegree_cases.donations.models import CaseFunding
from tests.factories import make_case_index, make_case_page, make_home

from .conftest import launch_date

pytestmark = pytest.mark.browser


@pytest.fixture
def live_case(site_db):
    index = make_case_index(make_home())
    return make_case_page(
        index,
        slug="lestari",
        pseudonym="Lestari",
        launch_date=launch_date(3),
        items=[("vocational_training", "Sewing course", Decimal("200.00"))],
    )


def test_giving_with_the_dummy_provider_moves_the_progress_bar(page, live_server, live_case):
    case_url = f"{live_server.url}{live_case.url}"
    page.goto(case_url)
    expect(page.locator("[data-test-mode-banner]")).to_be_visible()
    bar = page.locator(".donation-progress__bar").first
    expect(bar).to_have_attribute("value", "0")
    expect(page.locator(".donation-progress__donors").first).to_contain_text("0 donors")

    page.locator('input[name="amount_choice"][value="50.00"]').check()
    page.get_by_label("Your e-mail address").fill("browser-donor@example.org")
    page.get_by_role("button", name="Continue to payment").click()

    expect(page.get_by_role("heading", name="Payment")).to_be_visible()
    expect(page.locator("select[name=status]")).to_have_value("confirmed")
    page.get_by_role("button", name="Pay", exact=True).click()

    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.locator("body")).to_contain_text("has been received")
    expect(page).to_have_url(re.compile(r"/donations/[0-9a-f-]+/thanks/$"))

    page.goto(case_url)
    expect(bar).to_have_attribute("value", "25")
    expect(page.locator(".donation-progress__raised").first).to_contain_text("50.00")
    expect(page.locator(".donation-progress__donors").first).to_contain_text("1 donor")
    expect(page.locator("body")).to_contain_text("150.00\N{NO-BREAK SPACE}USD still to raise")
    assert CaseFunding.objects.get(case_id=live_case.pk).raised == Decimal("50.00")


def test_a_bad_amount_is_explained_in_the_browser(page, live_server, live_case):
    page.goto(f"{live_server.url}{live_case.url}")
    page.get_by_label("Other amount").fill("2000")
    page.get_by_label("Your e-mail address").fill("browser-donor@example.org")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("Only 200.00\N{NO-BREAK SPACE}USD remains to be raised")
