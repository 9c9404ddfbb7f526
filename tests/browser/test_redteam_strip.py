"""Red team: the phone's strip of milestone cards and the lazily loaded name cells.

A story of one milestone and one of fifty, milestones sharing a marker, keyboard only under
reduced motion at 375 px, and a map below the fold that must not fetch any name cell.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import foreign
from tests.browser.test_story_map_hero import TOWNS
from tests.factories import make_case_page, milestone

pytestmark = pytest.mark.browser

STRIP = "[data-story-strip]"
CARDS = f"{STRIP} > .story-card"
MAP = "[data-story-map]"
SETTLED = "[data-story-map][data-settled]"
PHONE = {"width": 375, "height": 740}
LABELS_PATH = "/api/v2/basemap/labels/"


def story_of(count, places=TOWNS):
    return [
        milestone("journey", f"Step {n + 1}", lat=places[n % len(places)][0], lng=places[n % len(places)][1])
        for n in range(count)
    ]


def open_strip(page, live_server, case, errors):
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.emulate_media(reduced_motion="reduce")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + case.url)
    expect(page.locator(SETTLED)).to_be_attached()
    strip = page.locator(STRIP)
    strip.scroll_into_view_if_needed()
    return strip


def current_index(page):
    expect(page.locator(f"{CARDS}[aria-current=step]")).to_have_count(1)
    return int(page.locator(f"{CARDS}[aria-current=step]").get_attribute("data-strip-index"))


def test_a_story_of_one_milestone_survives_the_keyboard(page, live_server, site_db, requests_seen):
    case = make_case_page(slug="one-step", pseudonym="One", story=story_of(1))
    errors = []
    strip = open_strip(page, live_server, case, errors)
    expect(page.locator(CARDS)).to_have_count(1)
    strip.focus()
    for key in ("ArrowRight", "ArrowLeft", "ArrowLeft", "End", "Home", "ArrowRight"):
        page.keyboard.press(key)
    assert current_index(page) == 0
    expect(strip).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []
    assert foreign(requests_seen, live_server) == []


def test_fifty_milestones_keyboard_only_at_375(page, live_server, site_db, requests_seen):
    case = make_case_page(slug="fifty-steps", pseudonym="Fifty", story=story_of(50))
    errors = []
    strip = open_strip(page, live_server, case, errors)
    expect(page.locator(CARDS)).to_have_count(50)
    # A screen reader hears a named ordered list of fifty steps, one of them current.
    assert page.evaluate("(s) => document.querySelector(s).tagName", STRIP) == "OL"
    assert strip.get_attribute("aria-label")
    strip.focus()
    for _ in range(55):  # past the end: it stops on the last, never wraps or throws
        page.keyboard.press("ArrowRight")
    assert current_index(page) == 49
    expect(page.locator("[data-story-panel]")).to_have_attribute("data-current-milestone", "50")
    # Reduced motion: the last card is already in view, no smooth scroll to wait for.
    last = page.locator(CARDS).nth(49).bounding_box()
    view = strip.bounding_box()
    assert view["x"] - 1 <= last["x"]
    assert last["x"] + last["width"] <= view["x"] + view["width"] + 1
    for _ in range(55):
        page.keyboard.press("ArrowLeft")
    assert current_index(page) == 0
    expect(strip).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []
    assert foreign(requests_seen, live_server) == []


def test_milestones_sharing_a_marker_keep_strip_and_map_in_step(page, live_server, site_db):
    # Steps 1 and 3 at one place, 2 elsewhere: one marker names both 1 and 3.
    places = [TOWNS[0], TOWNS[1], TOWNS[0]]
    case = make_case_page(slug="back-home", pseudonym="Back", story=story_of(3, places))
    errors = []
    strip = open_strip(page, live_server, case, errors)
    expect(page.locator(f"{MAP} .story-marker")).to_have_count(2)
    strip.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert current_index(page) == 2
    current = page.locator(f"{MAP} .story-marker.is-current").get_attribute("data-milestone-numbers").split()
    assert sorted(current) == ["1", "3"]
    # Choosing the other marker moves the strip to its milestone.
    page.locator(f'{MAP} .story-marker[data-milestone-numbers="2"]').click()
    assert current_index(page) == 1
    assert errors == []


def test_a_map_below_the_fold_never_fetches_the_names(page, live_server, site_db, requests_seen):
    case = make_case_page(slug="far-below", pseudonym="Below", story=story_of(4))
    page.set_viewport_size(PHONE)
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => {"
        " const map = document.querySelector('[data-story-map]');"
        " const spacer = document.createElement('div'); spacer.style.height = '6000px';"
        " map.closest('[data-story]').before(spacer); });"
    )
    page.goto(live_server.url + case.url, wait_until="load")
    page.wait_for_timeout(2500)
    assert not [url for url in requests_seen if LABELS_PATH in url]
    assert foreign(requests_seen, live_server) == []
    # The control: brought on screen and moved to a milestone, the same map does ask, once.
    page.locator(MAP).scroll_into_view_if_needed()
    expect(page.locator(SETTLED)).to_be_attached()
    page.locator("[data-story-next]").click()
    page.wait_for_function(
        "(path) => performance.getEntriesByType('resource').some((e) => e.name.includes(path))",
        arg=LABELS_PATH,
    )
    # Each cell it needs, once.
    cells = [url for url in requests_seen if LABELS_PATH in url]
    assert cells
    assert len(cells) == len(set(cells))
