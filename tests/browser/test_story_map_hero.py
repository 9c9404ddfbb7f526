"""The story map as the page's hero: the overview frames every marker, milestones at one place
share a marker with their numbers, the map pans on a touch screen after a tap (and the page
scrolls before it), each milestone has a link, moves respect reduced motion, and a story of
50 milestones still works on a phone."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from sixdegree_cases.models import SurvivorCasePage
from tests.browser.conftest import foreign
from tests.factories import make_case_page, milestone

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "build" / "screens"
MAP = "[data-story-map]"
SETTLED = "[data-story-map][data-settled]"
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
# Twenty towns of the region, visited in turn: 50 milestones, some places more than once.
TOWNS = [
    (13.75, 100.5),
    (18.79, 98.98),
    (16.43, 102.83),
    (7.01, 100.47),
    (11.56, 104.92),
    (13.36, 103.86),
    (10.82, 106.63),
    (21.03, 105.85),
    (16.05, 108.2),
    (17.97, 102.6),
    (16.87, 96.2),
    (3.14, 101.69),
    (1.35, 103.82),
    (-6.2, 106.82),
    (-7.25, 112.75),
    (-0.03, 109.33),
    (14.6, 120.98),
    (10.31, 123.89),
    (22.32, 114.17),
    (23.13, 113.26),
]


def marker_boxes_inside_map(page):
    """Every marker's box lies inside the map's box."""
    map_box = page.locator(MAP).bounding_box()
    markers = page.locator(f"{MAP} .story-marker")
    assert markers.count()
    for marker in markers.all():
        box = marker.bounding_box()
        assert box["x"] >= map_box["x"], marker.get_attribute("aria-label")
        assert box["y"] >= map_box["y"], marker.get_attribute("aria-label")
        assert box["x"] + box["width"] <= map_box["x"] + map_box["width"], marker.get_attribute("aria-label")
        assert box["y"] + box["height"] <= map_box["y"] + map_box["height"], marker.get_attribute(
            "aria-label"
        )


@pytest.mark.parametrize("width", [375, 1280])
def test_the_overview_frames_every_marker_of_every_case(page, live_server, xiao_fang, width):
    page.set_viewport_size({"width": width, "height": 800})
    cases = list(SurvivorCasePage.objects.live())
    assert len(cases) >= 2
    for case in cases:
        page.goto(live_server.url + case.url)
        places = {(m["lat"], m["lng"]) for m in case.milestones}
        expect(page.locator(f"{MAP} .story-marker")).to_have_count(len(places))
        expect(page.locator(SETTLED)).to_be_attached()
        marker_boxes_inside_map(page)
        # After moving along the journey, Overview frames them all again.
        page.locator("[data-story-next]").click()
        page.locator("[data-story-overview]").click()
        expect(page.locator(SETTLED)).to_be_attached()
        marker_boxes_inside_map(page)
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.locator(MAP).scroll_into_view_if_needed()
    page.screenshot(path=SCREENS / f"story-map-hero-{width}.png")


def test_milestones_at_one_place_share_a_marker_with_their_numbers(page, live_server, xiao_fang):
    page.goto(live_server.url + xiao_fang.url)
    by_place = {}
    for m in xiao_fang.milestones:
        by_place.setdefault((m["lat"], m["lng"]), []).append(m["number"])
    shared = next(numbers for numbers in by_place.values() if len(numbers) > 1)
    marker = page.locator(f'{MAP} [data-milestone-numbers="{" ".join(map(str, shared))}"]')
    expect(marker).to_have_count(1)
    numbers = marker.locator(".story-marker__number")
    expect(numbers).to_be_visible()
    text = numbers.inner_text()
    assert str(shared[0]) in text
    assert str(shared[-1]) in text

    panel = page.locator("[data-story-panel]")
    total = len(xiao_fang.milestones)
    # Each activation opens the next milestone at that place after the current one, then
    # starts again from the first there.
    current = 1
    for _click in range(len(shared) + 1):
        current = next((number for number in shared if number > current), shared[0])
        marker.click()
        expect(panel).to_contain_text(f"{current} of {total}")
    # The panel lists the milestones there; choosing one opens it.
    buttons = panel.locator("[data-story-goto]")
    expect(buttons).to_have_count(len(shared))
    buttons.first.click()
    expect(panel).to_contain_text(f"{shared[0]} of {total}")


def test_each_milestone_has_a_link(page, live_server, xiao_fang):
    total = len(xiao_fang.milestones)
    page.goto(f"{live_server.url}{xiao_fang.url}#milestone-3")
    panel = page.locator("[data-story-panel]")
    expect(panel).to_contain_text(f"3 of {total}")
    expect(panel.locator("a.story-panel__link")).to_have_attribute("href", "#milestone-3")
    page.locator("[data-story-next]").click()
    expect(panel).to_contain_text(f"4 of {total}")
    assert page.evaluate("location.hash") == "#milestone-4"
    # The list item the link names exists without JavaScript too.
    expect(page.locator("ol[data-story-list] > li#milestone-4")).to_have_count(1)


def test_moves_animate_unless_the_reader_asks_for_reduced_motion(page, live_server, xiao_fang):
    click_and_read = (
        "() => { document.querySelector('[data-story-next]').click();"
        " return 'settled' in document.querySelector('[data-story-map]').dataset; }"
    )
    page.goto(live_server.url + xiao_fang.url)
    expect(page.locator(SETTLED)).to_be_attached()
    assert page.evaluate(click_and_read) is False  # still flying
    page.emulate_media(reduced_motion="reduce")
    page.goto(live_server.url + xiao_fang.url)
    expect(page.locator(SETTLED)).to_be_attached()
    assert page.evaluate(click_and_read) is True  # there at once


def touch_drag(cdp, x, y, dx, dy, steps=8):
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, steps + 1):
        point = {"x": x + dx * step / steps, "y": y + dy * step / steps}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_touch_pans_the_map_after_a_tap_and_scrolls_the_page_before(browser, live_server, xiao_fang):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True, user_agent=PHONE_UA
    )
    try:
        page = context.new_page()
        seen = []
        page.on("request", lambda request: seen.append(request.url))
        page.goto(live_server.url + xiao_fang.url)
        expect(page.locator(SETTLED)).to_be_attached()
        page.locator(MAP).scroll_into_view_if_needed()
        centre = (
            "() => { const c = document.querySelector('[data-story]').storyMap.map.getCenter();"
            " return [c.lat, c.lng]; }"
        )
        cdp = context.new_cdp_session(page)
        box = page.locator(MAP).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

        before = page.evaluate(centre)
        touch_drag(cdp, x, y, 0, -120)
        page.wait_for_timeout(500)
        assert page.evaluate(centre) == before, "one finger moved the map before the tap"

        toggle = page.locator("[data-story-touch-toggle]")
        expect(toggle).to_have_attribute("aria-pressed", "false")
        toggle.tap()
        expect(toggle).to_have_attribute("aria-pressed", "true")
        box = page.locator(MAP).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        touch_drag(cdp, x, y, -100, -60)
        page.wait_for_timeout(500)
        assert page.evaluate(centre) != before, "the map did not pan after the tap"
        assert foreign(seen, live_server) == []
    finally:
        context.close()


def test_fifty_milestones_stay_usable_on_a_phone(page, live_server, site_db):
    stages = ["recruitment", "journey", "exploitation", "escape", "recovery", "dream"]
    story = [
        milestone(
            stages[n % len(stages)],
            f"Step {n + 1}",
            lat=TOWNS[n % len(TOWNS)][0],
            lng=TOWNS[n % len(TOWNS)][1],
        )
        for n in range(50)
    ]
    case = make_case_page(slug="long-road", pseudonym="Long Road", story=story)
    places = {(m["lat"], m["lng"]) for m in case.milestones}
    page.emulate_media(reduced_motion="reduce")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + case.url)
    expect(page.locator(f"{MAP} .story-marker")).to_have_count(len(places))
    expect(page.locator(SETTLED)).to_be_attached()
    marker_boxes_inside_map(page)
    # One route arrow per leg at most, and a bounded number of names: the work per move stays
    # the same however long the story is.
    assert page.locator(f"{MAP} .story-route__arrow").count() <= 49
    assert page.locator(f"{MAP} .sixdegree-label").count() <= 120
    panel = page.locator("[data-story-panel]")
    for _ in range(49):
        page.locator("[data-story-next]").click()
    expect(panel).to_contain_text("50 of 50")
    expect(panel).to_contain_text("Step 50")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator("[data-story-overview]").click()
    expect(page.locator(SETTLED)).to_be_attached()
    marker_boxes_inside_map(page)
