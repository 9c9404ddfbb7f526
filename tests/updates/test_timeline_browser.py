"""The "What happened next" timeline and the update e-mail in a real browser, phone and desktop.

Screenshots go to build/screens/ (timeline at 375 and 1280 px, the e-mail's HTML at both).
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sixdegree_cases.donations.update_mail import message_for
from sixdegree_cases.updates.lifecycle import CaseStatus, set_case_status
from tests.browser.conftest import ensure_wagtail_roots, foreign
from tests.factories import make_case_index, make_case_page, make_home
from tests.privacy.helpers import jpeg_bytes, landscape, record_consent, upload_image

from .helpers import make_update, update_milestone

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "build" / "screens"
WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case_with_updates(transactional_db):
    from sixdegree_cases.review.roles import ensure_review_setup

    ensure_wagtail_roots()
    home = make_home()
    ensure_review_setup()
    index = make_case_index(home)
    case = make_case_page(index, title="Mawar's journey", slug="mawar")
    record_consent(case)
    make_update(
        case,
        title="Sewing course finished",
        slug="course",
        period_part="early",
        period_year=2026,
        narrative="<p>She finished the six-month sewing course with the highest marks of her group.</p>",
    )
    illustration = upload_image(jpeg_bytes(landscape()), title="A sewing table by a window")
    make_update(
        case,
        title="Her own sewing corner",
        slug="corner",
        period_part="09",
        period_year=2026,
        narrative="<p>With the savings from her first orders she rented a <b>corner of a market stall</b> "
        "and takes alterations from neighbours.</p>",
        illustration=illustration,
        illustration_alt="A sewing table by a window, with folded cloth",
        milestone=update_milestone("Her own sewing corner", lat=-7.25, lng=112.75),
    )
    set_case_status(case, CaseStatus.IN_PROGRESS)
    return case


@pytest.mark.parametrize("screen", list(WIDTHS))
def test_the_timeline_renders_on_phone_and_desktop(page, live_server, case_with_updates, screen):
    requests_seen = []
    page.on("request", lambda request: requests_seen.append(request.url))
    width, height = WIDTHS[screen]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + case_with_updates.url)
    timeline = page.locator("#updates")
    expect(timeline).to_be_visible()
    expect(timeline.locator(".update__title")).to_have_text(
        ["Her own sewing corner", "Sewing course finished"]
    )
    expect(timeline.locator(".case-status")).to_contain_text("In progress")
    expect(timeline.locator(".update__illustration img")).to_have_attribute(
        "alt", "A sewing table by a window, with folded cloth"
    )
    # The update's milestone is the journey's fourth stop on the map.
    # (Milestones at one place share a marker, which lists every number it stands for.)
    fourth = page.locator('[data-story-map] [data-milestone-numbers~="4"]')
    expect(fourth).to_have_count(1)
    expect(fourth).to_have_attribute("aria-label", re.compile("Milestone 4: Dream — Her own sewing corner"))
    expect(page.locator('[data-story-map] [data-milestone-numbers~="5"]')).to_have_count(0)
    # Nothing wider than the screen.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    box = timeline.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
    SCREENS.mkdir(parents=True, exist_ok=True)
    timeline.scroll_into_view_if_needed()
    timeline.screenshot(path=str(SCREENS / f"timeline-{width}.png"))
    assert not foreign(requests_seen, live_server)


@pytest.mark.parametrize("screen", list(WIDTHS))
def test_the_update_email_renders_on_phone_and_desktop(page, case_with_updates, screen):
    from sixdegree_cases.models import CaseUpdate

    width, height = WIDTHS[screen]
    update = CaseUpdate.objects.get(slug="corner")
    message = message_for(update, case_with_updates, "donor@example.org")
    html = message.alternatives[0][0]
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    page.set_viewport_size({"width": width, "height": height})
    page.set_content(html)
    expect(page.locator("h1")).to_have_text("Her own sewing corner")
    expect(page.get_by_role("link", name="Stop updates about this survivor")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    # The e-mail asks for nothing from anywhere (no images, fonts or trackers).
    assert [url for url in seen if not url.startswith(("data:", "about:"))] == []
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"update-email-{width}.png"), full_page=True)
