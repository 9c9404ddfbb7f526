"""On a phone the milestones below the map are a strip of cards scrolled sideways, the next one
peeking, kept on the same milestone as the map both ways, usable by keyboard, and moved without
animation for readers who ask for reduced motion."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "build" / "screens"
STRIP = "[data-story-strip]"
CARDS = f"{STRIP} > .story-card"
SETTLED = "[data-story-map][data-settled]"
PHONE = {"width": 375, "height": 812}


def open_on_phone(page, live_server, case):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + case.url)
    expect(page.locator(SETTLED)).to_be_attached()
    strip = page.locator(STRIP)
    strip.scroll_into_view_if_needed()
    return strip


def centred_card(page):
    """The number of the card nearest the strip's middle, as the reader sees it."""
    return page.evaluate(
        """(selector) => {
            const strip = document.querySelector(selector);
            const box = strip.getBoundingClientRect();
            const middle = box.left + strip.clientWidth / 2;
            let best = null, distance = Infinity;
            for (const card of strip.children) {
                const b = card.getBoundingClientRect();
                const away = Math.abs(b.left + b.width / 2 - middle);
                if (away < distance) { distance = away; best = Number(card.dataset.stripIndex) + 1; }
            }
            return best;
        }""",
        STRIP,
    )


def current_marker_numbers(page):
    return (
        page.locator("[data-story-map] .story-marker.is-current")
        .get_attribute("data-milestone-numbers")
        .split()
    )


def test_the_strip_holds_every_milestone_with_the_next_card_peeking(page, live_server, xiao_fang):
    strip = open_on_phone(page, live_server, xiao_fang)
    total = len(xiao_fang.milestones)
    expect(page.locator(CARDS)).to_have_count(total)
    # The single panel gives way to the strip on a phone.
    expect(page.locator("[data-story-panel]")).to_be_hidden()
    assert page.evaluate(
        "(s) => getComputedStyle(document.querySelector(s)).scrollSnapType", STRIP
    ).startswith("x")
    first, second = page.locator(CARDS).nth(0).bounding_box(), page.locator(CARDS).nth(1).bounding_box()
    view = strip.bounding_box()
    assert first["x"] >= view["x"] - 1
    # The next card shows at the edge: a reader sees there is more to the side.
    assert view["x"] < second["x"] < view["x"] + view["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.locator(CARDS).nth(0)).to_have_attribute("aria-current", "step")
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "story-strip-375.png")


def test_scrolling_the_strip_selects_its_milestone_on_the_map(page, live_server, xiao_fang):
    open_on_phone(page, live_server, xiao_fang)
    page.evaluate(
        """(selector) => {
            const strip = document.querySelector(selector);
            const card = strip.children[3];
            strip.scrollTo({left: card.offsetLeft - (strip.clientWidth - card.offsetWidth) / 2});
        }""",
        STRIP,
    )
    expect(page.locator(f"{CARDS}[aria-current=step]")).to_have_attribute("data-strip-index", "3")
    expect(page.locator("[data-story-panel]")).to_have_attribute("data-current-milestone", "4")
    assert "4" in current_marker_numbers(page)
    assert page.evaluate("location.hash") == "#milestone-4"


def test_selecting_on_the_map_scrolls_the_strip(page, live_server, xiao_fang):
    open_on_phone(page, live_server, xiao_fang)
    # Milestone 2's marker opens milestone 2 (test_story_map does the same at this width).
    chosen = 2
    page.locator(f'[data-story-map] [data-milestone-numbers~="{chosen}"]').click()
    expect(page.locator(f"{CARDS}[aria-current=step]")).to_have_attribute("data-strip-index", str(chosen - 1))
    page.wait_for_function(
        """([selector, index]) => {
            const strip = document.querySelector(selector);
            const card = strip.children[index];
            const middle = strip.getBoundingClientRect().left + strip.clientWidth / 2;
            const b = card.getBoundingClientRect();
            return Math.abs(b.left + b.width / 2 - middle) < 30;
        }""",
        arg=[STRIP, chosen - 1],
    )
    page.wait_for_timeout(400)  # a scroll's end selects nothing else
    assert centred_card(page) == chosen
    expect(page.locator("[data-story-panel]")).to_have_attribute("data-current-milestone", str(chosen))


def test_the_keyboard_moves_along_the_strip(page, live_server, xiao_fang):
    strip = open_on_phone(page, live_server, xiao_fang)
    strip.focus()
    expect(strip).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"{CARDS}[aria-current=step]")).to_have_attribute("data-strip-index", "2")
    page.wait_for_function(
        "(selector) => Math.abs(document.querySelector(selector).children[2].getBoundingClientRect().left"
        " - document.querySelector(selector).getBoundingClientRect().left) < 60",
        arg=STRIP,
    )
    # The strip has a name, and each card's link names its milestone.
    assert strip.get_attribute("aria-label")
    expect(page.locator(CARDS).nth(2).locator("a.story-panel__link")).to_have_attribute(
        "href", "#milestone-3"
    )


def test_reduced_motion_moves_the_strip_at_once(page, live_server, xiao_fang):
    page.emulate_media(reduced_motion="reduce")
    open_on_phone(page, live_server, xiao_fang)
    # Read in the same task as the click: a smooth scroll would not have moved yet.
    moved = page.evaluate(
        """(selector) => {
            const strip = document.querySelector(selector);
            const before = strip.scrollLeft;
            document.querySelector('[data-story-next]').click();
            document.querySelector('[data-story-next]').click();
            return [before, strip.scrollLeft];
        }""",
        STRIP,
    )
    assert moved[1] > moved[0]
    assert centred_card(page) == 3


def test_wide_screens_keep_the_panel_beside_the_map(page, live_server, xiao_fang):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + xiao_fang.url)
    expect(page.locator(SETTLED)).to_be_attached()
    expect(page.locator("[data-story-panel]")).to_be_visible()
    expect(page.locator(STRIP)).to_be_hidden()
