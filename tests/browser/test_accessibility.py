"""axe-core finds no serious or critical accessibility problem on the public pages.

axe-playwright-python injects the copy of axe-core it ships in its own package: the check
itself asks no other host for anything (asserted below, like for every page of the site).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import foreign

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def blocking_violations(page):
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("width", [1280, 375])
def test_public_pages_have_no_serious_violations(page, live_server, xiao_fang, requests_seen, width):
    page.set_viewport_size({"width": width, "height": 900})
    index = xiao_fang.get_parent()
    for url in ("/", index.url, xiao_fang.url, "/search/?query=sewing", "/no-such-page/"):
        page.goto(live_server.url + url)
        if url == xiao_fang.url:
            # Checked with the story map drawn, markers and panel included.
            expect(page.locator("[data-story-map] [data-milestone-number]").first).to_be_visible()
            expect(page.locator("[data-story-panel] [data-story-narrative]")).not_to_be_empty()
        assert blocking_violations(page) == [], url
    assert foreign(requests_seen, live_server) == []


def test_story_panel_after_moving_on_has_no_serious_violations(page, live_server, xiao_fang):
    page.goto(live_server.url + xiao_fang.url)
    page.locator('[data-story-map] [data-milestone-number="2"]').click()
    page.locator("[data-story-next]").click()
    expect(page.locator("[data-story-panel]")).to_contain_text("3 of")
    assert blocking_violations(page) == []


def test_map_credit_links_are_judged_distinguishable_while_the_map_moves(page, live_server, xiao_fang):
    # On Leaflet's translucent credits axe could judge the links only when the moving map
    # beneath happened to let it, which made the test above flaky: it must always judge them.
    page.goto(live_server.url + xiao_fang.url)
    page.locator("[data-story-next]").click()
    expect(page.locator(".leaflet-control-attribution a").first).to_be_visible()
    results = (
        Axe()
        .run(
            page,
            context=".leaflet-control-attribution",
            options={"runOnly": ["link-in-text-block"], "resultTypes": ["violations", "incomplete"]},
        )
        .response
    )
    assert results["violations"] == []
    assert results["incomplete"] == []
    assert [rule["id"] for rule in results["passes"]] == ["link-in-text-block"]
