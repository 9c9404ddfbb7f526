"""The basemap's name cells are fetched only when a map draws them: after the page has loaded,
only the cells its view and zoom show, and a second page view takes them from the browser's
cache, not from the site."""

import re
import time

import pytest
from django.core.signals import request_started
from playwright.sync_api import expect

from sixdegree_cases.geo.basemap import BANDS, cell_of
from tests.browser.test_basemap_labels import CELLS, LABELS, wait_for_labels

pytestmark = pytest.mark.browser

CELL = re.compile(re.escape(CELLS) + r"(\d+)/(\d+)/(\d+)\.json$")
PHONE = {"width": 390, "height": 844}
VIEW = """() => {
    const map = document.querySelector('[data-story]').storyMap.map;
    const b = map.getBounds();
    return {zoom: map.getZoom(), west: b.getWest(), east: b.getEast(),
            south: b.getSouth(), north: b.getNorth()};
}"""


@pytest.fixture
def labels_served():
    """Every request for a name cell the live server answers (it runs in this process)."""
    served = []

    def seen(sender, environ, **kwargs):
        if environ.get("PATH_INFO", "").startswith(CELLS):
            served.append((environ["PATH_INFO"], environ.get("HTTP_IF_NONE_MATCH", "")))

    request_started.connect(seen, weak=False)
    yield served
    request_started.disconnect(seen)


def cells_asked(urls):
    return [tuple(map(int, match.groups())) for url in urls if (match := CELL.search(url))]


def cells_drawn(view):
    """The cells a map showing `view` draws names from: of each band drawn at its zoom, those
    overlapping the view (worked out here from the grid, not by the page's script)."""
    west, east = max(view["west"], -180), min(view["east"], 180)
    south, north = max(view["south"], -90), min(view["north"], 90)
    cells = set()
    for band in BANDS:
        if band.zoom > view["zoom"]:
            continue
        x0, y0 = cell_of(band, south, west)
        x1, y1 = cell_of(band, north, east)
        cells |= {(band.zoom, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)}
    return cells


def settle(page):
    expect(page.locator("[data-story-map][data-settled]")).to_be_attached()
    page.wait_for_load_state("networkidle")


def test_a_phones_first_view_loads_no_cell_it_does_not_draw(page, live_server, xiao_fang, requests_seen):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + xiao_fang.url)
    settle(page)
    view = page.evaluate(VIEW)
    asked = cells_asked(requests_seen)
    # The overview draws names (this is not a test of a map that loads nothing)...
    assert asked, f"no name cell at zoom {view['zoom']}"
    wait_for_labels(page, "town")
    # ...from exactly the cells its view and zoom show, each asked for once.
    assert len(asked) == len(set(asked))
    assert set(asked) == cells_drawn(view)
    # A whole-journey view draws no band finer than its zoom.
    assert all(band <= view["zoom"] for band, _x, _y in asked)

    # Closer in, the finer band's cells of that view come too, and no others.
    page.locator("[data-story-map] .leaflet-control-zoom-in").click()
    # Leaflet starts the zoom on the next frame, so `data-settled` may still be there from the
    # first view: wait for the new zoom, then for the move to end.
    page.wait_for_function(
        "zoom => document.querySelector('[data-story]').storyMap.map.getZoom() > zoom", arg=view["zoom"]
    )
    settle(page)
    closer = page.evaluate(VIEW)
    wanted = cells_drawn(closer) - set(asked)
    # The page asks for the new view's cells after the move has ended (networkidle was reached
    # once already and is not waited for again): give them a few seconds to be asked for.
    deadline = time.monotonic() + 10
    while not wanted <= set(cells_asked(requests_seen)) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    page.wait_for_timeout(300)  # and a moment more, for a cell it should not ask for
    now = cells_asked(requests_seen)
    assert len(now) == len(set(now))
    assert set(now) - set(asked) == cells_drawn(closer) - set(asked)
    assert any(band > view["zoom"] for band, _x, _y in now)


def test_the_cells_wait_until_the_page_has_loaded(page, live_server, xiao_fang, requests_seen):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + xiao_fang.url, wait_until="load")
    # Everything the page asked for until its load event: never the names. (The shapes are
    # fetched by script, which does not hold the load event back: on a busy machine they may
    # start after it, so they are looked for among everything asked, not before the load.)
    asked_before_load = page.evaluate(
        """() => {
            const loaded = performance.getEntriesByType('navigation')[0].loadEventStart;
            return performance.getEntriesByType('resource')
                .filter((entry) => entry.startTime < loaded).map((entry) => entry.name);
        }"""
    )
    assert not any(CELLS in url for url in asked_before_load)
    expect(page.locator('[data-story-map][data-basemap="drawn"]')).to_be_attached(timeout=15_000)
    expect(page.locator("[data-story-map][data-settled]")).to_be_attached()
    asked = page.evaluate("() => performance.getEntriesByType('resource').map((entry) => entry.name)")
    assert any(url.endswith(".json") and "countries-110m" in url for url in asked)
    # Once needed (the map is on screen at a zoom that draws them), the names still come.
    page.locator("[data-story-next]").click()
    wait_for_labels(page, "region")
    assert cells_asked(requests_seen)


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
    assert not [url for url in requests_seen if CELLS in url]
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
        page.wait_for_load_state("networkidle")
    # One download of each cell; the second view is served from the browser's cache.
    paths = [path for path, _etag in labels_served]
    assert paths
    assert len(paths) == len(set(paths))
