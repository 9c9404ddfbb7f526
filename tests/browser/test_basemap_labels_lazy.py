"""The basemap's names file (regions and towns, a few hundred KB) is fetched only when a map
needs it, and a second page view takes it from the browser's cache, not from the site."""

import pytest
from django.core.signals import request_started
from playwright.sync_api import expect

from tests.browser.test_basemap_labels import LABELS, wait_for_labels

pytestmark = pytest.mark.browser

LABELS_PATH = "/api/v2/basemap/labels.json"


@pytest.fixture
def labels_served():
    """Every request for the names file the live server answers (it runs in this process)."""
    served = []

    def seen(sender, environ, **kwargs):
        if environ.get("PATH_INFO") == LABELS_PATH:
            served.append(environ.get("HTTP_IF_NONE_MATCH", ""))

    request_started.connect(seen, weak=False)
    yield served
    request_started.disconnect(seen)


def test_the_names_file_waits_until_the_page_has_loaded(page, live_server, xiao_fang, requests_seen):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + xiao_fang.url, wait_until="load")
    # Everything the page asked for until its load event: the map and its shapes, not the names.
    asked_before_load = page.evaluate(
        """() => {
            const loaded = performance.getEntriesByType('navigation')[0].loadEventStart;
            return performance.getEntriesByType('resource')
                .filter((entry) => entry.startTime < loaded).map((entry) => entry.name);
        }"""
    )
    assert any(url.endswith("countries-110m.json") for url in asked_before_load)
    assert not any(LABELS_PATH in url for url in asked_before_load)
    # Once needed (the map is on screen at a zoom that draws them), the names still come.
    expect(page.locator("[data-story-map][data-settled]")).to_be_attached()
    page.locator("[data-story-next]").click()
    wait_for_labels(page, "region")
    assert [url for url in requests_seen if LABELS_PATH in url] == [live_server.url + LABELS_PATH]


def test_a_map_out_of_sight_does_not_fetch_the_names(page, live_server, xiao_fang, requests_seen):
    """A map hidden from view (here: the whole story map section) never asks for names."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => {"
        " const map = document.querySelector('[data-story-map]');"
        " if (map) map.closest('[data-story]').style.display = 'none'; });"
    )
    page.goto(live_server.url + xiao_fang.url, wait_until="load")
    page.wait_for_timeout(1500)
    assert not [url for url in requests_seen if LABELS_PATH in url]
    # Country names come from the shapes already loaded; regions and towns never came.
    expect(page.locator(f"{LABELS}--region")).to_have_count(0)
    expect(page.locator(f"{LABELS}--town")).to_have_count(0)


def test_a_second_page_view_does_not_fetch_the_names_again(page, live_server, xiao_fang, labels_served):
    page.set_viewport_size({"width": 1280, "height": 900})
    for _view in range(2):
        page.goto(live_server.url + xiao_fang.url, wait_until="load")
        expect(page.locator("[data-story-map][data-settled]")).to_be_attached()
        page.locator("[data-story-next]").click()
        wait_for_labels(page, "region")
    # One download; the second view is served from the browser's cache (max-age, ETag).
    assert len(labels_served) == 1
