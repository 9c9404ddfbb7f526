"""axe-core finds no serious or critical accessibility problem on the editor's case form.

The form mixes Wagtail's own markup (Draftail rich-text editors) with the site's map picker;
both must be usable with a screen reader: every input, and every rich-text editor, has a name.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import foreign
from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_admin_map import editor, open_editor  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def test_editor_case_form_has_no_serious_violations(page, live_server, xiao_fang, editor, requests_seen):  # noqa: F811
    story_panel = open_editor(page, live_server, xiao_fang)
    expect(page.locator(".Draftail-Editor [role=textbox]").first).to_be_attached()
    assert blocking_violations(page) == []
    # The story tab holds the maps and the milestones' rich text: checked shown, too.
    page.locator("#tab-label-story").click()
    expect(story_panel.locator(".leaflet-container").first).to_be_visible()
    assert blocking_violations(page) == []
    assert foreign(requests_seen, live_server) == []


def test_each_rich_text_editor_is_named_by_its_fields_label(page, live_server, xiao_fang, editor):  # noqa: F811
    open_editor(page, live_server, xiao_fang)
    textboxes = page.locator(".Draftail-Editor [role=textbox]")
    expect(textboxes.first).to_be_attached()
    for index in range(textboxes.count()):
        textbox = textboxes.nth(index)
        label_id = textbox.get_attribute("aria-labelledby")
        assert label_id, index
        # The name is the field's own label, read out as the editor sees it.
        assert page.locator(f"[id='{label_id}']").inner_text().startswith("Narrative"), index
