"""On a phone the Donate button is in the first screen and leads to the form; the donate flow
and the trust pages have no serious accessibility problem."""

import pytest
from playwright.sync_api import expect

from home.models import InformationPage
from tests.browser.conftest import foreign
from tests.browser.test_accessibility import blocking_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}


def test_the_donate_button_is_in_the_first_screen_on_a_phone_and_jumps_to_the_form(
    page, live_server, xiao_fang, requests_seen
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + xiao_fang.url)
    button = page.locator("[data-donate-jump]")
    expect(button).to_be_in_viewport()
    box = button.bounding_box()
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= PHONE["height"]
    assert box["width"] > 300  # a full-width bar, easy to hit
    # Still in reach after scrolling into the story.
    page.mouse.wheel(0, 2500)
    page.wait_for_timeout(200)
    expect(button).to_be_in_viewport()
    button.click()
    expect(page.locator("#donate form.donate-form")).to_be_in_viewport()
    expect(page.get_by_label("Your e-mail address")).to_be_visible()
    assert foreign(requests_seen, live_server) == []


@pytest.mark.parametrize("width", [375, 1280])
def test_the_donate_flow_has_no_serious_violations(page, live_server, xiao_fang, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + xiao_fang.url)
    page.locator("#donate").scroll_into_view_if_needed()
    assert blocking_violations(page) == []
    page.get_by_label("Other amount").fill("3")
    page.get_by_label("Your e-mail address").fill("donor@example.org")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.locator(".donate-form__error").first).to_be_visible()
    assert blocking_violations(page) == []
    page.get_by_label("Other amount").fill("25")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("heading", name="Payment")).to_be_visible()
    assert blocking_violations(page) == []


def test_trust_pages_and_filters_have_no_serious_violations(page, live_server, xiao_fang):
    page.set_viewport_size(PHONE)
    for info in InformationPage.objects.live():
        page.goto(live_server.url + info.url)
        assert blocking_violations(page) == [], info.url
    page.goto(live_server.url + xiao_fang.get_parent().url + "?origin=indonesia")
    expect(page.get_by_label("Country of origin")).to_have_value("indonesia")
    assert blocking_violations(page) == []
