"""The basemap's place names in a real browser: countries, regions and towns, legible (none
overlapping another or a marker) at the zooms the story uses, from the site itself only."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import foreign

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "build" / "screens"
LABELS = "[data-story-map] .sixdegree-label"
# Where the name cells are served: CELLS + "band/x/y.json".
CELLS = "/api/v2/basemap/labels/"


def story_map(page):
    return page.locator("[data-story]")


def label_boxes(page, selector):
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map((node) => {
            const box = node.getBoundingClientRect();
            return {text: node.textContent, kind: node.dataset.labelKind,
                    left: box.left, top: box.top, right: box.right, bottom: box.bottom};
        })""",
        selector,
    )


def assert_apart(boxes):
    for index, a in enumerate(boxes):
        for b in boxes[index + 1 :]:
            apart = a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"]
            apart = apart or b["bottom"] <= a["top"]
            assert apart, f"{a['text']!r} overlaps {b['text']!r}"


def wait_for_labels(page, kind):
    # The first request to a new server process builds the names file (a second or more).
    expect(page.locator(f"{LABELS}--{kind}").first).to_be_attached(timeout=20_000)


@pytest.mark.parametrize("width", [375, 1280])
def test_names_are_drawn_apart_at_every_zoom_of_the_story(page, live_server, xiao_fang, requests_seen, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + xiao_fang.url)
    # The overview of the journey names countries.
    expect(page.locator("[data-story-map][data-settled]")).to_be_attached()
    wait_for_labels(page, "country")
    # Retried until drawn: names are redrawn after every move, and one read between two draws
    # sees a name whose styles (capitals) are not applied yet.
    indonesia = page.locator(f"{LABELS}--country").filter(has_text=re.compile(r"^\s*indonesia\s*$", re.I))
    expect(indonesia).to_be_visible()
    expect(indonesia).to_have_css("text-transform", "uppercase")
    assert_apart(label_boxes(page, LABELS))
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-story-map]").scroll_into_view_if_needed()
    page.screenshot(path=SCREENS / f"story-map-overview-{width}.png")

    # At a milestone (the story's focus zoom) regions and towns are named, still apart.
    page.locator("[data-story-next]").click()
    page.locator("[data-story-next]").click()
    expect(page.locator("[data-story-map][data-settled]")).to_be_attached()
    wait_for_labels(page, "town")
    wait_for_labels(page, "region")
    # Surabaya itself is under its marker, so its name gives way to the towns around it.
    towns = page.locator(f"{LABELS}--town").all_inner_texts()
    assert len(towns) >= 2
    assert "Surabaya" not in towns
    boxes = label_boxes(page, LABELS)
    assert_apart(boxes)
    # No name sits on a marker of the story.
    markers = label_boxes(page, "[data-story-map] .story-marker")
    assert markers
    for marker in markers:
        for label in boxes:
            apart = label["right"] <= marker["left"] or marker["right"] <= label["left"]
            apart = apart or label["bottom"] <= marker["top"] or marker["bottom"] <= label["top"]
            assert apart, f"{label['text']!r} covers a marker"
    page.screenshot(path=SCREENS / f"story-map-milestone-{width}.png")

    assert foreign(requests_seen, live_server) == []
    assert any(CELLS in url for url in requests_seen)


def test_without_the_names_file_the_map_still_works(page, live_server, xiao_fang):
    """Name cells that fail (a server error, a bad deploy) leave the countries' names, the
    markers and the route: the story is still told."""
    page.route(f"**{CELLS}**", lambda route: route.fulfill(status=500, body="broken"))
    page.goto(live_server.url + xiao_fang.url)
    places = {(m["lat"], m["lng"]) for m in xiao_fang.milestones}
    expect(page.locator("[data-story-map] .story-marker")).to_have_count(len(places))
    expect(page.locator("[data-story-map] .story-map__route").first).to_be_attached()
    wait_for_labels(page, "country")
    expect(page.locator(f"{LABELS}--town")).to_have_count(0)
    page.locator("[data-story-next]").click()
    expect(page.locator("[data-story-panel]")).to_contain_text(f"2 of {len(xiao_fang.milestones)}")


def test_names_are_text_never_markup(page, live_server, xiao_fang):
    """The name cells are the site's own, but they are still read as text: a name holding
    markup (a tampered file, a poisoned package) shows as characters and runs nothing."""
    payload = '{"regions": [], "towns": [["<img src=x onerror=alert(1)>Evil", -9.0, 110.0, 1, 0]]}'
    page.route(
        f"**{CELLS}**",
        lambda route: route.fulfill(status=200, body=payload, content_type="application/json"),
    )
    page.goto(live_server.url + xiao_fang.url)
    page.locator("[data-story-next]").click()
    expect(page.locator("[data-story-map][data-settled]")).to_be_attached()
    evil = page.locator(f"{LABELS}--town")
    expect(evil.first).to_contain_text("<img src=x onerror=alert(1)>Evil")
    expect(page.locator("[data-story-map] .sixdegree-labels img")).to_have_count(0)
