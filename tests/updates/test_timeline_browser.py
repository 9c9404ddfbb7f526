"""The "What happened next" timeline and the update e-mail in a real browser, phone and desktop.

Screenshots go to build/screens/ (`update-timeline-*.png` at 375 and 1280 px, `update-email-*.png`
the e-mail's HTML at both).
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
    # The whole timeline in one view at the same width (on a phone the sticky "Donate" bar
    # would cover its end), with a margin: its dots sit just left of the section's box.
    margin = 16
    page.set_viewport_size({"width": width, "height": max(height, int(box["height"]) + 2 * margin + 120)})
    top = page.evaluate("() => document.querySelector('#updates').getBoundingClientRect().top + scrollY")
    page.evaluate(f"window.scrollTo(0, {top - margin})")
    box = timeline.bounding_box()
    clip = {
        "x": max(0, box["x"] - margin),
        "y": max(0, box["y"] - margin),
        "width": min(width, box["width"] + 2 * margin),
        "height": box["height"] + 2 * margin,
    }
    page.screenshot(path=str(SCREENS / f"update-timeline-{width}.png"), clip=clip)
    assert not foreign(requests_seen, live_server)


@pytest.mark.parametrize("where", ["index", "home"])
def test_the_status_on_a_case_card_is_styled_like_the_case_page(page, live_server, case_with_updates, where):
    """The index and the home page show the status on cards: a compact box, steps side by side
    (not a bare numbered list)."""
    url = case_with_updates.get_parent().url if where == "index" else "/"
    if where == "home":
        # A case in progress is not in the home page's default list (it no longer takes
        # gifts): it shows there when an editor features it.
        from home.models import FeaturedCase

        home = case_with_updates.get_parent().get_parent().specific
        FeaturedCase.objects.create(page=home, case=case_with_updates)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + url)
    status = page.locator(".case-card .case-status").first
    expect(status).to_contain_text("In progress")
    steps = status.locator(".case-status__steps")
    assert steps.evaluate("node => getComputedStyle(node).listStyleType") == "none"
    assert steps.evaluate("node => getComputedStyle(node).display") == "flex"
    assert status.evaluate("node => getComputedStyle(node).borderLeftStyle") == "solid"
    recent = page.locator(".recent-updates")
    expect(recent).to_contain_text("Her own sewing corner")


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
    # The plain-text part beside it, for the same reader.
    (SCREENS / "update-email.txt").write_text(f"Subject: {message.subject}\n\n{message.body}")
