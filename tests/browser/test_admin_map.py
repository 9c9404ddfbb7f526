"""The editor's milestone maps: the site's own basemap, a draggable marker, and not one request
to a tile server, a CDN or a geocoder (unpkg, OpenStreetMap, Nominatim…)."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.conftest import foreign

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "build" / "screens"
USERNAME = "editor"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(site_db):
    return get_user_model().objects.create_superuser(USERNAME, "editor@example.org", PASSWORD)


def log_in(page, live_server):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def open_editor(page, live_server, case):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/pages/{case.pk}/edit/")
    return page.locator("#tab-story")


def settled_box(page, locator, still_reads=3):
    """The locator's box once it stops moving.

    wagtailgeowidget re-centres each map about a second after it becomes visible (its
    checkVisibility timer); a drag that starts while the map pans would miss the marker.
    """
    page.wait_for_timeout(1200)
    previous, still = None, 0
    for _attempt in range(40):
        box = locator.bounding_box()
        still = still + 1 if box == previous else 0
        if still >= still_reads:
            return box
        previous = box
        page.wait_for_timeout(100)
    raise AssertionError("the marker kept moving")


def add_milestone(page, story_panel):
    """Add a milestone block at the end of the story."""
    story_panel.locator("button.c-sf-add-button").last.click()
    chooser_item = page.get_by_role("option", name="Milestone")
    if chooser_item.count():
        chooser_item.first.click()


def drag(page, marker):
    """Drag `marker` once it has settled, after checking nothing covers it."""
    box = settled_box(page, marker)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert page.evaluate(
        "([x, y]) => Boolean(document.elementFromPoint(x, y)?.closest('.leaflet-marker-draggable'))",
        [x, y],
    ), "something covers the marker"
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 30, steps=8)
    page.mouse.move(x + 80, y + 60, steps=8)
    page.mouse.up()


def test_milestone_maps_use_the_sites_own_basemap(page, live_server, xiao_fang, editor, requests_seen):
    story_panel = open_editor(page, live_server, xiao_fang)
    maps = story_panel.locator(".leaflet-container")
    expect(maps).to_have_count(len(xiao_fang.milestones))
    first_map = maps.first
    first_map.scroll_into_view_if_needed()
    expect(first_map).to_have_attribute("data-basemap", "drawn")
    expect(first_map.locator(".leaflet-sixdegree-basemap-pane canvas")).to_have_count(1)
    expect(first_map.locator(".leaflet-marker-icon.leaflet-marker-draggable")).to_have_count(1)
    expect(page.locator(".leaflet-tile")).to_have_count(0)
    expect(story_panel.locator(".sixdegree-map-note").first).to_contain_text("snapped to a coarse place")

    assert foreign(requests_seen, live_server) == []
    # One download of the country shapes serves every milestone's map.
    basemaps = [url for url in requests_seen if url.endswith("/world-atlas/countries-110m.json")]
    assert len(basemaps) == 1


def test_marker_can_still_be_dragged_to_a_new_point(page, live_server, xiao_fang, editor, requests_seen):
    story_panel = open_editor(page, live_server, xiao_fang)
    first_map = story_panel.locator(".leaflet-container").first
    first_map.scroll_into_view_if_needed()
    field_id = first_map.get_attribute("id").removesuffix("_map")
    field = page.locator(f"[id='{field_id}']")
    before = field.input_value()
    assert before.startswith("SRID=4326;POINT(")

    marker = first_map.locator(".leaflet-marker-draggable")
    drag(page, marker)

    expect(field).not_to_have_value(before)
    assert field.input_value().startswith("SRID=4326;POINT(")
    assert foreign(requests_seen, live_server) == []


def test_preview_panel_shows_the_story_map(page, live_server, xiao_fang, editor, requests_seen):
    open_editor(page, live_server, xiao_fang)
    page.locator('[data-side-panel-toggle="preview"]').click()
    preview = page.frame_locator("#w-preview-iframe")
    # One marker per place (milestones at one place share one).
    places = {(m["lat"], m["lng"]) for m in xiao_fang.milestones}
    expect(preview.locator("[data-story-map] [data-milestone-number]")).to_have_count(len(places))
    expect(preview.locator("ol[data-story-list] > li")).to_have_count(len(xiao_fang.milestones))
    assert foreign(requests_seen, live_server) == []


def test_a_new_milestone_has_no_location_until_one_is_picked(
    page, live_server, xiao_fang, editor, requests_seen
):
    """An untouched picker submits nothing: where the map opens is not a location."""
    story_panel = open_editor(page, live_server, xiao_fang)
    maps = story_panel.locator(".leaflet-container")
    expect(maps).to_have_count(len(xiao_fang.milestones))
    add_milestone(page, story_panel)
    expect(maps).to_have_count(len(xiao_fang.milestones) + 1)

    new_map = maps.last
    new_map.scroll_into_view_if_needed()
    field_id = new_map.get_attribute("id").removesuffix("_map")
    field = page.locator(f"[id='{field_id}']")
    typed = page.locator(f"[id='{field_id}_latlng']")
    page.wait_for_timeout(1200)  # wagtailgeowidget's visibility timer runs once a second
    expect(field).to_have_value("")
    expect(typed).to_have_value("")
    expect(typed).to_have_attribute("placeholder", re.compile("drag the marker", re.IGNORECASE))

    marker = new_map.locator(".leaflet-marker-draggable")
    # The whole marker on screen (the new block is the last of the form), then a drag from it.
    marker.scroll_into_view_if_needed()
    drag(page, marker)
    expect(field).to_have_value(re.compile(r"^SRID=4326;POINT\("))
    assert foreign(requests_seen, live_server) == []


def test_an_existing_milestone_keeps_its_stored_place(page, live_server, xiao_fang, editor):
    story_panel = open_editor(page, live_server, xiao_fang)
    first_map = story_panel.locator(".leaflet-container").first
    field_id = first_map.get_attribute("id").removesuffix("_map")
    expect(page.locator(f"[id='{field_id}']")).to_have_value(re.compile(r"^SRID=4326;POINT\("))


def test_the_picker_finds_a_place_places_it_and_says_how_it_will_be_shown(
    page, live_server, xiao_fang, editor, requests_seen
):
    story_panel = open_editor(page, live_server, xiao_fang)
    maps = story_panel.locator(".leaflet-container")
    expect(maps).to_have_count(len(xiao_fang.milestones))
    add_milestone(page, story_panel)
    expect(maps).to_have_count(len(xiao_fang.milestones) + 1)
    new_map = maps.last
    new_map.scroll_into_view_if_needed()
    field_id = new_map.get_attribute("id").removesuffix("_map")
    field = page.locator(f"[id='{field_id}']")
    precision = page.locator(f"[id='{field_id.removesuffix('location')}precision']")
    shown_as = page.locator(f"[id='{field_id}_map'] ~ [data-shown-as-note]")
    page.wait_for_timeout(1200)  # wagtailgeowidget's visibility timer runs once a second
    # No point until one is picked, and the note says so.
    expect(field).to_have_value("")
    expect(shown_as).to_contain_text("nothing yet")

    search = page.locator(f"[id='{field_id}_map-place-search']")
    search.fill("Surabaya")
    result = search.locator("xpath=..").get_by_role("button", name="Surabaya, Indonesia")
    result.click()
    expect(field).to_have_value("SRID=4326;POINT(112.7508 -7.2492)")
    expect(shown_as).to_have_text("Shown as: Surabaya, Indonesia")
    marker = new_map.locator(".leaflet-marker-draggable")
    map_box, marker_box = new_map.bounding_box(), marker.bounding_box()
    assert map_box["x"] < marker_box["x"] < map_box["x"] + map_box["width"]
    assert map_box["y"] < marker_box["y"] < map_box["y"] + map_box["height"]
    # The picker's basemap names places too.
    expect(new_map.locator(".sixdegree-label").first).to_be_attached()

    # The precision changes what the public sees, before anything is saved.
    precision.select_option("region")
    expect(shown_as).to_have_text("Shown as: East Java, Indonesia")
    precision.select_option("town")
    expect(shown_as).to_have_text("Shown as: Surabaya, Indonesia")

    # A region found is placed at its own precision.
    search.fill("Henan")
    search.locator("xpath=..").get_by_role("button", name="Henan, China").click()
    expect(precision).to_have_value("region")
    expect(shown_as).to_have_text("Shown as: Henan, China")

    # A click on the map places the marker there.
    before = field.input_value()
    box = settled_box(page, new_map)
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.3)
    expect(field).not_to_have_value(before)
    expect(shown_as).to_contain_text("Shown as: ")
    new_map.scroll_into_view_if_needed()
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / "editor-picker.png")
    assert foreign(requests_seen, live_server) == []
