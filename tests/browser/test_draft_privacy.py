"""Contact details are flagged in the case editor while a milestone's narrative is written.

Typing a phone number into a Draftail narrative shows a warning under that field, tied to the
editor by aria-describedby in a polite live region; removing the number removes the warning.
Nothing is requested from another host.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import foreign
from tests.browser.test_admin_map import SCREENS, editor, open_editor  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

PHONE = "+62 812 3456 7890"


def narrative_editor(story_panel, index=0):
    return story_panel.locator(".Draftail-Editor [role=textbox]").nth(index)


def findings_for(page, textbox):
    """The note the textbox names in aria-describedby (None while it names none)."""
    ids = (textbox.get_attribute("aria-describedby") or "").split()
    notes = [note for note in ids if note.endswith("-privacy-findings")]
    return page.locator(f"[id='{notes[0]}']") if notes else None


def test_a_phone_number_typed_into_a_narrative_is_flagged_then_cleared(
    page,
    live_server,
    xiao_fang,
    editor,  # noqa: F811
    requests_seen,
):
    story_panel = open_editor(page, live_server, xiao_fang)
    page.locator("#tab-label-story").click()
    textbox = narrative_editor(story_panel, 1)
    textbox.scroll_into_view_if_needed()
    # The form's first check (of the text as loaded) finds nothing in Xiao Fang's story.
    checks = []
    page.on("request", lambda request: checks.append(request) if "draft-check" in request.url else None)
    expect(page.locator(".sixdegree-draft-findings:not(:empty)")).to_have_count(0)

    textbox.click()
    page.keyboard.press("End")
    page.keyboard.type(f" Call {PHONE}.")
    expect(textbox).to_have_attribute("aria-describedby", re.compile(r"-privacy-findings"), timeout=10_000)
    note = findings_for(page, textbox)
    expect(note).to_have_attribute("aria-live", "polite")
    expect(note).to_have_attribute("role", "status")
    expect(note).to_contain_text("A phone number. Remove it.")
    # Masked as in the review: the editor sees which number, not the whole number again.
    expect(note).to_contain_text("+62 8")
    expect(note).not_to_contain_text("3456")
    SCREENS.mkdir(parents=True, exist_ok=True)
    note.scroll_into_view_if_needed()
    page.screenshot(path=SCREENS / "editor-draft-privacy.png")

    # The text went by POST with the CSRF token, never in a URL.
    assert checks
    assert all(request.method == "POST" for request in checks)
    assert all("3456" not in request.url for request in checks)
    assert all(request.headers.get("x-csrftoken") for request in checks)

    for _ in range(len(f" Call {PHONE}.")):
        page.keyboard.press("Backspace")
    expect(note).to_be_empty(timeout=10_000)
    assert "-privacy-findings" not in (textbox.get_attribute("aria-describedby") or "")
    assert foreign(requests_seen, live_server) == []


def test_a_plain_field_is_flagged_too(page, live_server, xiao_fang, editor):  # noqa: F811
    open_editor(page, live_server, xiao_fang)
    summary = page.locator("textarea[name=summary]")
    summary.fill("Write to her at xiao@example.org")
    note = page.locator("[id='id_summary-privacy-findings']")
    expect(note).to_contain_text("An e-mail address. Remove it.", timeout=10_000)
    expect(summary).to_have_attribute("aria-describedby", re.compile(r"\bid_summary-privacy-findings\b"))


STATUS = "#sixdegree-draft-status"


def first_check(page):
    return page.expect_response(lambda response: "draft-check" in response.url)


def test_a_paused_check_says_why_then_resumes_after_retry_after(
    page,
    live_server,
    xiao_fang,
    editor,  # noqa: F811
    settings,
):
    """A 429 is said in the form's live region; the script retries after Retry-After."""
    settings.SIXDEGREE_DRAFT_CHECK_RATE_LIMIT = 1
    # The page's timers run on a clock the test can move: a minute passes at once.
    page.clock.install()
    with first_check(page) as answer:
        open_editor(page, live_server, xiao_fang)
    assert answer.value.status == 200
    summary = page.locator("textarea[name=summary]")
    with first_check(page) as refused:
        summary.fill("Write to her at xiao@example.org")
    assert refused.value.status == 429
    status = page.locator(STATUS)
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text(
        "Checking while you write is paused: too many checks this minute; it resumes in a minute."
    )
    expect(page.locator("[id='id_summary-privacy-findings']")).to_be_empty()

    # The minute is over: the script checks again by itself, without a key pressed.
    settings.SIXDEGREE_DRAFT_CHECK_RATE_LIMIT = 0
    with first_check(page) as resumed:
        page.clock.fast_forward(61_000)
    assert resumed.value.status == 200
    expect(page.locator("[id='id_summary-privacy-findings']")).to_contain_text(
        "An e-mail address. Remove it.", timeout=10_000
    )
    expect(status).to_be_empty()


@pytest.mark.parametrize("script_knows_the_bound", [True, False], ids=["skipped", "refused"])
def test_a_field_too_long_is_said_and_the_others_are_still_checked(
    page,
    live_server,
    xiao_fang,
    editor,  # noqa: F811
    script_knows_the_bound,
):
    refusals = []
    page.on(
        "response",
        lambda response: (
            refusals.append(response.status)
            if "draft-check" in response.url and response.status == 400
            else None
        ),
    )
    if not script_knows_the_bound:
        # A page told a higher bound than the server's (a stale page after a deploy): the
        # server's 400 naming the field is what the script hears, and it checks the others.
        def told_more(route):
            if route.request.method != "GET":
                route.continue_()  # Wagtail's own form validation posts here too
                return
            response = route.fetch()
            body = response.text().replace('data-max-field-chars="50000"', 'data-max-field-chars="9999999"')
            assert 'data-max-field-chars="9999999"' in body
            route.fulfill(response=response, body=body)

        page.route(re.compile(r"/admin/pages/\d+/edit/$"), told_more)
    open_editor(page, live_server, xiao_fang)
    # A paste of more than 50,000 characters. The summary's maxlength would cut it in the
    # browser; a narrative has none, but typing 50,000 characters into Draftail takes minutes.
    page.locator("textarea[name=summary]").evaluate(
        """(element) => {
            element.removeAttribute("maxlength");
            element.value = "She wrote to xiao@example.org. ".repeat(1700);
            element.dispatchEvent(new Event("input", { bubbles: true }));
        }"""
    )
    note = page.locator("[id='id_summary-privacy-findings']")
    expect(note).to_have_text(
        "This field is too long to check while you write; the review will check it.", timeout=10_000
    )
    expect(page.locator("textarea[name=summary]")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_summary-privacy-findings\b")
    )
    # Checking goes on for every other field.
    page.locator("input[name=title]").fill(f"Call {PHONE}")
    expect(page.locator("[id='id_title-privacy-findings']")).to_contain_text(
        "A phone number. Remove it.", timeout=10_000
    )
    expect(page.locator(STATUS)).to_be_empty()
    assert refusals == ([] if script_knows_the_bound else [400])


def test_a_long_case_is_sent_in_batches_under_the_cap(
    page,
    live_server,
    xiao_fang,
    editor,  # noqa: F811
    settings,
):
    """The first check of a case longer than one request may carry goes in several requests."""
    settings.SIXDEGREE_DRAFT_CHECK_MAX_CHARS = 2_000
    sizes, names = [], []

    def record(request):
        if "draft-check" in request.url:
            fields = request.post_data_json["fields"]
            sizes.append(sum(len(field["value"]) for field in fields.values()))
            names.append(set(fields))

    page.on("request", record)
    answers = []
    page.on(
        "response",
        lambda response: answers.append(response.status) if "draft-check" in response.url else None,
    )
    open_editor(page, live_server, xiao_fang)
    # Let the first check (the case as loaded, over 2,000 characters) finish before typing:
    # a title typed earlier would ride along in those batches and the test would race.
    for _ in range(200):
        if len(answers) >= 2 and len(answers) == len(sizes):
            break
        page.wait_for_timeout(50)
    first_check = len(sizes)
    assert first_check >= 2, sizes
    page.locator("input[name=title]").fill(f"Call {PHONE}")
    expect(page.locator("[id='id_title-privacy-findings']")).to_contain_text(
        "A phone number. Remove it.", timeout=10_000
    )
    assert len(sizes) > first_check
    assert all(size <= 2_000 for size in sizes), sizes
    assert set(answers) == {200}, answers
    # After the first check, only what changed is sent: the title, not the whole case again.
    assert "title" in names[-1]
    assert len(names[-1]) < len(set().union(*names[:-1]))
