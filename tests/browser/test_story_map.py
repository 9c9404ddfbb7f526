"""The story map in a real browser: markers, panel, keyboard, no JavaScript, a phone's width,
and not one request to any host other than the site."""

import re
import time

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from tests.browser.conftest import foreign

pytestmark = pytest.mark.browser


# story-map.js zooms in to this level on a milestone; the overview of a journey is wider.
FOCUS_ZOOM = 6


def wait_for_zoom(page, condition, timeout=5.0):
    """Poll the map's zoom (page.wait_for_function would need eval, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while True:
        zoom = page.evaluate("() => document.querySelector('[data-story]').storyMap.map.getZoom()")
        if condition(zoom):
            return zoom
        assert time.monotonic() < deadline, f"zoom stayed at {zoom}"
        page.wait_for_timeout(100)


def text_of(html):
    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)


def places_of(case):
    """The distinct places of a case's milestones: one marker each."""
    return {(m["lat"], m["lng"]) for m in case.milestones if m["lat"] is not None}


def open_story(page, live_server, case):
    page.goto(live_server.url + case.url)
    expect(page.locator("[data-story-map] [data-milestone-number]")).to_have_count(len(places_of(case)))
    # The basemap is drawn from the site's own country shapes, on one canvas.
    expect(page.locator('[data-story-map][data-basemap="drawn"]')).to_be_attached()
    expect(page.locator("[data-story-map] .leaflet-sixdegree-basemap-pane canvas")).to_have_count(1)


def test_markers_panel_and_arrow_keys(page, live_server, xiao_fang, requests_seen):
    milestones = xiao_fang.milestones
    assert len(milestones) >= 4
    open_story(page, live_server, xiao_fang)
    panel = page.locator("[data-story-panel]")
    narrative = panel.locator("[data-story-narrative]")
    expect(narrative).to_have_text(text_of(milestones[0]["narrative"]))

    second = page.locator('[data-story-map] [data-milestone-numbers~="2"]')
    # A marker shared by several milestones names each of them.
    expect(second).to_have_attribute(
        "aria-label",
        re.compile(re.escape(f"Milestone 2: {milestones[1]['stage_label']} — {milestones[1]['title']}")),
    )
    second.click()
    expect(narrative).to_have_text(text_of(milestones[1]["narrative"]))
    expect(panel).to_contain_text(f"2 of {len(milestones)}")
    expect(panel).to_contain_text(milestones[1]["title"])
    expect(second).to_have_attribute("aria-current", "step")

    page.keyboard.press("ArrowRight")
    expect(narrative).to_have_text(text_of(milestones[2]["narrative"]))
    expect(panel).to_contain_text(f"3 of {len(milestones)}")
    # Focus follows the journey from marker to marker.
    expect(page.locator('[data-story-map] [data-milestone-numbers~="3"]')).to_be_focused()

    assert foreign(requests_seen, live_server) == []
    assert any(
        url.endswith("/static/sixdegree_cases/vendor/world-atlas/countries-110m.json")
        for url in requests_seen
    )


def test_buttons_overview_and_keys_on_the_map(page, live_server, xiao_fang, requests_seen):
    milestones = xiao_fang.milestones
    open_story(page, live_server, xiao_fang)
    narrative = page.locator("[data-story-panel] [data-story-narrative]")
    previous = page.locator("[data-story-prev]")
    next_ = page.locator("[data-story-next]")

    expect(previous).to_have_attribute("aria-disabled", "true")
    next_.click()
    next_.click()
    expect(narrative).to_have_text(text_of(milestones[2]["narrative"]))
    previous.click()
    expect(narrative).to_have_text(text_of(milestones[1]["narrative"]))

    # The map flew to milestone 2; the overview shows the whole journey again.
    wait_for_zoom(page, lambda zoom: zoom >= FOCUS_ZOOM)
    page.locator("[data-story-overview]").click()
    expect(page.locator("[data-story-map][data-settled]")).to_be_attached()
    assert page.evaluate(
        "() => { const s = document.querySelector('[data-story]').storyMap;"
        " return s.map.getBounds().contains(s.bounds); }"
    )

    # With the map itself focused, Left/Right walk the story instead of panning the map.
    page.locator("[data-story-map]").focus()
    page.keyboard.press("ArrowLeft")
    expect(narrative).to_have_text(text_of(milestones[0]["narrative"]))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(narrative).to_have_text(text_of(milestones[2]["narrative"]))
    expect(page.locator("[data-story-map]")).to_be_focused()

    # Enter on a focused marker opens it.
    last = page.locator(f'[data-story-map] [data-milestone-numbers~="{milestones[-1]["number"]}"]')
    last.focus()
    # A marker shared by several milestones opens the next of them at each press.
    for _press in last.get_attribute("data-milestone-numbers").split():
        page.keyboard.press("Enter")
        if page.locator("[data-story-panel]").get_attribute("data-current-milestone") == str(
            milestones[-1]["number"]
        ):
            break
    expect(narrative).to_have_text(text_of(milestones[-1]["narrative"]))
    expect(next_).to_have_attribute("aria-disabled", "true")

    assert foreign(requests_seen, live_server) == []


def test_without_javascript_the_list_tells_the_whole_story(browser, live_server, xiao_fang):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + xiao_fang.url)
        items = page.locator("ol[data-story-list] > li")
        expect(items).to_have_count(len(xiao_fang.milestones))
        for item, milestone in zip(items.all(), xiao_fang.milestones, strict=True):
            expect(item).to_be_visible()
            expect(item).to_contain_text(milestone["title"])
            expect(item).to_contain_text(milestone["stage_label"])
            expect(item).to_contain_text(milestone["period"])
            expect(item).to_contain_text(milestone["place_label"])
            expect(item).to_contain_text(text_of(milestone["narrative"]))
        # The interactive part needs the script: without it, it stays out of the way and keeps
        # no room (the box kept for the map is for pages whose scripts run).
        interactive = page.locator("[data-story-interactive]")
        expect(interactive).to_be_hidden()
        assert interactive.evaluate("(node) => getComputedStyle(node).display") == "none"
    finally:
        context.close()


def test_building_the_map_moves_nothing_a_phone_shows(page, live_server, xiao_fang):
    """The map's box is kept from the first paint: when the script reveals the map, the list
    under it does not jump (Lighthouse measured a layout shift of 0.036 on a phone)."""
    page.set_viewport_size({"width": 412, "height": 823})
    page.add_init_script(
        "window.layoutShifts = [];"
        "new PerformanceObserver((list) => { for (const entry of list.getEntries())"
        " window.layoutShifts.push(entry.value); }).observe({type: 'layout-shift', buffered: true});"
    )

    # A slow phone paints the page before the story map's script has run: so does this one.
    def late(route):
        time.sleep(0.6)
        route.continue_()

    page.route("**/story-map*.js", late)
    page.goto(live_server.url + xiao_fang.url)
    expect(page.locator('[data-story-map][data-basemap="drawn"]')).to_be_attached()
    page.wait_for_load_state("networkidle")
    assert sum(page.evaluate("window.layoutShifts")) < 0.005


def test_phone_width_shows_map_and_cards_without_horizontal_scroll(page, live_server, xiao_fang):
    page.set_viewport_size({"width": 375, "height": 812})
    open_story(page, live_server, xiao_fang)
    # On a phone the milestones are a strip of cards (it scrolls inside itself, not the page).
    for selector in ("[data-story-map]", "[data-story-strip]"):
        box = page.locator(selector).bounding_box()
        assert box["width"] > 300, selector
        assert box["x"] >= 0, selector
        assert box["x"] + box["width"] <= 375, selector
    for selector in ("[data-story-prev]", "[data-story-overview]", "[data-story-next]"):
        box = page.locator(selector).bounding_box()
        # On one line, each wide and tall enough to tap.
        assert box["width"] >= 44, selector
        assert box["height"] >= 44, selector
        assert box["x"] + box["width"] <= 375, selector
    expect(page.locator("[data-story-map]")).to_be_visible()
    expect(page.locator("[data-story-strip]")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator('[data-story-map] [data-milestone-numbers~="2"]').click()
    current = page.locator("[data-story-strip] > [aria-current=step]")
    expect(current).to_contain_text(f"2 of {len(xiao_fang.milestones)}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
