"""The Content-Security-Policy in a real browser: the public story map runs under the strict
policy, and the Wagtail admin (editor, inline panels, choosers, preview) under its own."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

USERNAME = "editor"
PASSWORD = "correct horse battery staple"

# Recorded before any script of the page runs: every report the browser makes of a blocked
# script, style, image, frame or connection.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}` +
      ` in ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def violations(page):
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on(
        "console",
        lambda message: console.append(message.text) if "Content Security Policy" in message.text else None,
    )

    def seen():
        recorded = []
        for frame in page.frames:
            try:
                recorded += frame.evaluate("window.__cspViolations || []")
            except PlaywrightError:
                continue
        return recorded + console

    return seen


@pytest.fixture
def editor(site_db):
    return get_user_model().objects.create_superuser(USERNAME, "editor@example.org", PASSWORD)


def test_the_story_map_runs_under_the_strict_policy(page, live_server, xiao_fang, violations):
    response = page.goto(live_server.url + xiao_fang.url)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    expect(page.locator("[data-story-map] [data-milestone-number]").first).to_be_visible()
    expect(page.locator('[data-story-map][data-basemap="drawn"]')).to_be_attached()
    page.locator('[data-story-map] [data-milestone-number="2"]').click()
    page.wait_for_timeout(300)
    assert violations() == []


def test_the_admin_works_under_its_policy(page, live_server, xiao_fang, editor, violations):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.locator("main")).to_be_visible()

    page.goto(f"{live_server.url}/admin/pages/{xiao_fang.pk}/edit/")
    expect(page.locator("#tab-story .leaflet-container").first).to_be_visible()
    # The funding tab: an inline panel (its script is inline in Wagtail's template).
    page.get_by_role("tab", name="Funding").click()
    page.locator("#id_funding_items-ADD").click()
    expect(page.locator("#id_funding_items-TOTAL_FORMS")).to_have_value(
        str(xiao_fang.funding_items.count() + 1)
    )
    # The image chooser of a milestone's illustration: a modal loaded from the admin.
    page.get_by_role("tab", name="Story").click()
    page.locator("#tab-story").get_by_role("button", name="Choose an image").first.click()
    dialog = page.locator(".modal-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").first.click()
    expect(dialog).to_be_hidden()
    # The live preview, framed by the editor.
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1").first).to_be_visible(timeout=15_000)
    page.wait_for_timeout(500)

    page.goto(f"{live_server.url}/admin/images/")
    expect(page.locator("main")).to_be_visible()
    assert violations() == []


def test_the_userbar_shown_to_editors_on_public_pages_works(page, live_server, xiao_fang, editor, violations):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(live_server.url + xiao_fang.url)
    userbar = page.locator("wagtail-userbar")
    expect(userbar).to_be_attached()
    userbar.locator("button").first.click()
    page.wait_for_timeout(1000)
    assert violations() == []
