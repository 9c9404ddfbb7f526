"""The editor's check-while-writing endpoint: the review's text checks on unsaved text.

It answers only staff who may edit (or add) the page, refuses bad input with a message, stores
and logs nothing of the text, and is limited per user.
"""

import json
import logging

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupPagePermission

from sixdegree_cases.privacy import drafts
from sixdegree_cases.privacy.checks import PrivacyCheck
from sixdegree_cases.privacy.checks.contacts import ContactDetailsCheck
from sixdegree_cases.privacy.drafts import is_public_input
from tests.privacy.helpers import STAFF_PERMISSIONS, add_term, user_with
from tests.updates.helpers import make_update

URL_NAME = "sixdegree_privacy_draft_check"
PHONE = "+62 812-3456-7890"
CANARY = "Kartika Wulandari"


def rich(text):
    """A Draftail value (Draft.js content state) holding `text` in one paragraph."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "text": text,
                    "type": "unstyled",
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": [],
                    "data": {},
                }
            ],
            "entityMap": {},
        }
    )


def rich_with_link(text, url):
    value = json.loads(rich(text))
    value["blocks"][0]["entityRanges"] = [{"offset": 0, "length": len(text), "key": 0}]
    value["entityMap"] = {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}}
    return json.dumps(value)


def post(client, payload, **extra):
    return client.post(reverse(URL_NAME), data=json.dumps(payload), content_type="application/json", **extra)


def editor_of(page, username="writer"):
    """A communications staff member who may edit pages below `page`, nothing private."""
    user = user_with(username, STAFF_PERMISSIONS)
    group = Group.objects.create(name=f"{username} pages")
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=page,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    user.groups.add(group)
    return user


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    drafts._local_counts.clear()


@pytest.fixture
def writer(client, case_index):
    user = editor_of(case_index)
    client.force_login(user)
    return user


def test_a_phone_number_in_a_milestone_narrative_is_flagged_masked(client, case, writer):
    response = post(
        client,
        {
            "page": case.pk,
            "fields": {"story-0-value-narrative": {"value": rich(f"Call me on {PHONE}"), "rich": True}},
        },
    )
    assert response.status_code == 200
    findings = response.json()["fields"]["story-0-value-narrative"]
    assert [finding["check"] for finding in findings] == ["contact_details"]
    assert findings[0]["message"] == "A phone number. Remove it."
    # Masked as in the review: the country code and last digits only.
    assert findings[0]["masked"].startswith("+62 8")
    assert "3456" not in json.dumps(response.json())


def test_each_kind_the_review_blocks_is_flagged_in_plain_fields(client, case, writer):
    add_term(case, CANARY)
    fields = {
        "title": {"value": "Write to kartika@example.org"},
        "summary": {"value": "Born on 3 March 2001 in the hills."},
        "dream": {"value": "Follow @kartika_sews on her page https://example.org/k"},
        "story-1-value-title": {"value": f"{CANARY} leaves home"},
        "funding_items-0-description": {"value": "Call 0812 3456 7890 for the course"},
    }
    found = post(client, {"page": case.pk, "fields": fields}).json()["fields"]
    messages = {name: [finding["message"] for finding in findings] for name, findings in found.items()}
    assert messages["title"] == ["An e-mail address. Remove it."]
    assert messages["summary"] == ["An exact date (day, month and year). Use an approximate period."]
    assert "A social media handle. Remove it." in messages["dream"]
    assert "A web address. Remove it." in messages["dream"]
    assert messages["story-1-value-title"] == ["A sensitive term (name) appears here. Remove or change it."]
    assert messages["funding_items-0-description"] == ["A phone number. Remove it."]
    # The term never comes back readable.
    assert "Kartika" not in json.dumps(found)


def test_clean_text_gives_no_findings(client, case, writer):
    fields = {
        "story-0-value-narrative": {"value": rich("At 16 she was promised work in the city."), "rich": True}
    }
    assert post(client, {"page": case.pk, "fields": fields}).json() == {"fields": {}, "more": []}


def test_a_tel_link_in_rich_text_is_read_like_the_review_reads_it(client, case, writer):
    value = rich_with_link("ring the shop", f"tel:{PHONE}")
    found = post(
        client, {"page": case.pk, "fields": {"story-2-value-narrative": {"value": value, "rich": True}}}
    )
    assert [f["message"] for f in found.json()["fields"]["story-2-value-narrative"]] == [
        "A phone number. Remove it."
    ]


def test_internal_and_non_text_inputs_are_not_read(client, case, writer):
    fields = {
        # The case officer's reference is never public: it may hold what public fields may not.
        "case_officer_reference": {"value": f"Officer phone {PHONE}"},
        "story-0-value-location": {"value": "SRID=4326;POINT(112.7 -7.3)"},
        "story-0-id": {"value": "12345678-1234-1234-1234-123456789012"},
        "funding_items-0-amount": {"value": "81234567890"},
    }
    assert post(client, {"page": case.pk, "fields": fields}).json() == {"fields": {}, "more": []}


def test_public_inputs_follow_the_reviews_field_list():
    public = {"title", "story", "funding_items", "dream"}
    assert is_public_input("story-3-value-narrative", public)
    assert is_public_input("story-3-value-illustration-alt_text", public)
    assert not is_public_input("story-3-value-location", public)
    assert not is_public_input("story-3-type", public)
    assert not is_public_input("funding_items-0-amount", public)
    assert not is_public_input("case_officer_reference", public)


def test_a_new_case_is_checked_without_any_cases_terms(client, case, case_index, writer):
    """A case being created has no terms; another case's terms are never an oracle."""
    add_term(case, CANARY)
    payload = {
        "parent": case_index.pk,
        "type": "sixdegree_cases.survivorcasepage",
        "fields": {"title": {"value": f"{CANARY}, call {PHONE}"}},
    }
    found = post(client, payload).json()["fields"]["title"]
    assert [finding["check"] for finding in found] == ["contact_details"]


def test_an_update_is_checked_with_its_cases_terms(client, case, writer):
    add_term(case, CANARY)
    update = make_update(case, publish=False)
    found = post(
        client, {"page": update.pk, "fields": {"narrative": {"value": rich(f"{CANARY} sews"), "rich": True}}}
    )
    assert [f["check"] for f in found.json()["fields"]["narrative"]] == ["sensitive_terms"]
    new = {
        "parent": case.pk,
        "type": "sixdegree_cases.caseupdate",
        "fields": {"title": {"value": f"News from {CANARY}"}},
    }
    assert [f["check"] for f in post(client, new).json()["fields"]["title"]] == ["sensitive_terms"]


def test_staff_who_may_not_edit_the_page_are_refused(client, case):
    client.force_login(user_with("bystander", STAFF_PERMISSIONS))
    response = post(client, {"page": case.pk, "fields": {"title": {"value": PHONE}}})
    assert response.status_code == 403
    assert "fields" not in response.json()
    response = post(client, {"parent": case.pk, "type": "sixdegree_cases.caseupdate", "fields": {}})
    assert response.status_code == 403


def test_a_page_that_does_not_exist_reads_as_refused(client, writer):
    assert post(client, {"page": 999_999, "fields": {}}).status_code == 403


def test_anonymous_visitors_never_reach_the_checks(client, case):
    response = post(client, {"page": case.pk, "fields": {"title": {"value": PHONE}}})
    assert response.status_code in (302, 403)
    assert b"contact_details" not in response.content


def test_a_post_without_the_csrf_token_is_refused(case, writer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(writer)
    response = post(strict, {"page": case.pk, "fields": {"title": {"value": PHONE}}})
    assert response.status_code == 403


def test_get_is_not_allowed(client, case, writer):
    assert client.get(reverse(URL_NAME), {"page": case.pk}).status_code == 405


def test_other_page_types_are_not_checked(client, case_index, writer):
    response = post(client, {"page": case_index.pk, "fields": {"title": {"value": PHONE}}})
    assert response.status_code == 400
    assert "Only cases" in response.json()["error"]


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"page": 1}',
        b'{"page": "x", "fields": {}}',
        b'{"page": true, "fields": {}}',
        b'{"fields": {"title": {"value": 5}}}',
        b'{"fields": {"title": "plain"}}',
        b'{"fields": {}, "parent": null}',
        b"\xff\xfe",
    ],
)
def test_bad_input_gets_a_message_not_a_500(client, case, writer, body):
    response = client.post(reverse(URL_NAME), data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]


def test_broken_rich_text_gets_a_message(client, case, writer):
    fields = {"story-0-value-narrative": {"value": '{"blocks": "nope"}', "rich": True}}
    response = post(client, {"page": case.pk, "fields": fields})
    assert response.status_code == 400
    assert response.json()["error"] == "A rich-text field could not be read."
    # The field at fault is named: the script leaves it to the review and checks the others.
    assert response.json()["field"] == "story-0-value-narrative"
    assert response.json()["code"] == "unreadable_field"


def test_too_much_text_is_refused(client, case, writer):
    long_field = {"title": {"value": "a" * (drafts.MAX_FIELD_CHARACTERS + 1)}}
    assert post(client, {"page": case.pk, "fields": long_field}).status_code == 400
    many = {f"story-{index}-value-title": {"value": "x"} for index in range(drafts.MAX_FIELDS + 1)}
    assert post(client, {"page": case.pk, "fields": many}).status_code == 400
    huge = {"title": {"value": "a" * 1_100_000}}
    assert post(client, {"page": case.pk, "fields": huge}).status_code == 413


def test_too_much_text_in_all_is_a_clear_400_before_any_check(client, case, writer, settings):
    settings.SIXDEGREE_DRAFT_CHECK_MAX_CHARS = 1_000
    fields = {f"story-{index}-value-title": {"value": f"Call {PHONE} " + "a" * 300} for index in range(4)}
    with CaptureQueriesContext(connection) as queries:
        response = post(client, {"page": case.pk, "fields": fields})
    assert response.status_code == 400
    assert response.json() == {
        "error": "Too much text in one check (at most 1,000 characters): send fewer fields.",
        "code": "too_much_text",
    }
    # Refused before the page or the terms are read.
    assert not any("wagtailcore_page" in q["sql"] or "sensitiveterm" in q["sql"] for q in queries)
    # The same fields in two checks under the cap are checked.
    first, second = dict(list(fields.items())[:2]), dict(list(fields.items())[2:])
    for batch in (first, second):
        found = post(client, {"page": case.pk, "fields": batch}).json()["fields"]
        assert set(found) == set(batch)


def test_the_default_cap_is_200000_characters(client, case, writer):
    assert drafts.get_setting("SIXDEGREE_DRAFT_CHECK_MAX_CHARS") == 200_000
    at_cap = {f"story-{index}-value-title": {"value": "a" * 40_000} for index in range(5)}
    assert post(client, {"page": case.pk, "fields": at_cap}).status_code == 200
    at_cap["title"] = {"value": "a"}
    assert post(client, {"page": case.pk, "fields": at_cap}).json()["code"] == "too_much_text"


def test_a_field_too_long_is_named_so_the_others_can_be_checked(client, case, writer):
    fields = {"summary": {"value": "a" * (drafts.MAX_FIELD_CHARACTERS + 1)}, "title": {"value": PHONE}}
    response = post(client, {"page": case.pk, "fields": fields})
    assert response.status_code == 400
    assert response.json()["code"] == "field_too_long"
    assert response.json()["field"] == "summary"
    assert "too long to check while you write" in response.json()["error"]


def test_findings_stop_after_the_bound_per_field_and_say_so(client, case, writer):
    many = " ".join(f"Write to maya{n}@example.org or call +62 812-3456-{n:04d}." for n in range(200))
    fields = {
        "summary": {"value": many},
        "title": {"value": f"Call {PHONE}"},
        "story-0-value-narrative": {"value": rich(many), "rich": True},
    }
    answer = post(client, {"page": case.pk, "fields": fields}).json()
    assert answer["more"] == ["story-0-value-narrative", "summary"]
    assert len(answer["fields"]["summary"]) == drafts.MAX_FINDINGS_PER_FIELD
    assert len(answer["fields"]["story-0-value-narrative"]) == drafts.MAX_FINDINGS_PER_FIELD
    assert [f["check"] for f in answer["fields"]["title"]] == ["contact_details"]
    # Each finding reported is one the full check (the review's) reports too.
    full = {f.masked for f in ContactDetailsCheck().check(_FullContext(many))}
    assert {f["masked"] for f in answer["fields"]["summary"]} <= full
    assert len(full) > drafts.MAX_FINDINGS_PER_FIELD


def test_the_contact_check_stops_looking_at_its_limit(monkeypatch):
    """The work is bounded, not only the answer: the detectors are not run past the limit."""
    from sixdegree_cases.privacy.checks import contacts

    text = " ".join(f"maya{n}@example.org 3 March 2001" for n in range(100))
    assert len(contacts.find_contacts(text)) == 200
    calls = []
    real = contacts.exact_date_spans
    monkeypatch.setattr(contacts, "exact_date_spans", lambda normalised: calls.append(1) or real(normalised))
    limited = contacts.find_contacts(text, limit=21)
    assert len(limited) == 21
    assert all(hit.kind == "email" for hit, _written in limited)
    # Twenty-one e-mail addresses were enough: dates were never looked for.
    assert calls == []


class _FullContext:
    """The review's view of one text: no bound on the findings."""

    max_findings_per_text = None
    milestones = ()

    def __init__(self, text):
        from sixdegree_cases.privacy.extract import Text

        self.texts = [Text("summary", "summary", text)]
        self.page = None


def test_checks_are_limited_per_user(client, case, writer, settings):
    settings.SIXDEGREE_DRAFT_CHECK_RATE_LIMIT = 3
    payload = {"page": case.pk, "fields": {"title": {"value": "Her story"}}}
    assert [post(client, payload).status_code for _ in range(3)] == [200, 200, 200]
    refused = post(client, payload)
    assert refused.status_code == 429
    # Until this minute's count starts again: the script waits that long, then checks again.
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["code"] == "paused"
    # Another editor is not held up by the first one's checks.
    other = editor_of(case.get_parent(), username="other-writer")
    client.force_login(other)
    assert post(client, payload).status_code == 200


def test_the_limit_holds_when_the_shared_cache_counts_nothing(client, case, writer, settings):
    """A cache that fails silently (or is down) never lifts the limit: this process counts."""
    settings.SIXDEGREE_DRAFT_CHECK_RATE_LIMIT = 2
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    payload = {"page": case.pk, "fields": {"title": {"value": "Her story"}}}
    assert [post(client, payload).status_code for _ in range(3)] == [200, 200, 429]


def test_nothing_is_stored_cached_or_logged(client, case, writer, caplog):
    add_term(case, CANARY)
    fields = {
        "title": {"value": f"{CANARY} {PHONE}"},
        "story-0-value-narrative": {"value": rich(f"{CANARY} wrote from kartika@example.org"), "rich": True},
    }
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        response = post(client, {"page": case.pk, "fields": fields})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    # Only the session's own bookkeeping may write (Django may refresh it); never the text.
    assert all("django_session" in sql for sql in writes), writes
    assert not any(CANARY in q["sql"] or "3456" in q["sql"] for q in queries)
    assert CANARY not in caplog.text
    assert "3456" not in caplog.text
    # The test settings' cache is local memory: every stored value, pickled, holds no text.
    stored = list(cache._cache.values()) + list(drafts._local_counts._cache.values())
    assert stored  # the rate-limit counters, and nothing else of the request
    assert not any(CANARY.encode() in value or b"3456" in value for value in stored)


def test_a_check_that_crashes_is_reported_not_silent(client, case, writer, settings, caplog):
    settings.SIXDEGREE_PRIVACY_CHECKS = [
        "sixdegree_cases.privacy.checks.contacts.ContactDetailsCheck",
        "tests.privacy.test_draft_check.CrashingCheck",
    ]
    response = post(client, {"page": case.pk, "fields": {"title": {"value": f"{CANARY} story"}}})
    assert response.status_code == 200
    found = response.json()["fields"]["title"]
    assert [finding["check"] for finding in found] == ["crashing"]
    assert "could not run" in found[0]["message"]
    # The exception's message quoted the text: the log keeps the traceback, never the text.
    assert "Draft privacy check crashing failed" in caplog.text
    assert CANARY not in caplog.text


class CrashingCheck(PrivacyCheck):
    """A deployment's text check with a bug: it fails quoting the text it read."""

    id = "crashing"
    label = "Crashing"
    while_writing = True

    def check(self, context):
        raise RuntimeError(f"cannot read {context.texts[0].text}")


def test_a_check_that_returns_no_findings_objects_is_a_failed_check(client, case, writer, settings):
    settings.SIXDEGREE_PRIVACY_CHECKS = ["tests.privacy.test_draft_check.DictCheck"]
    response = post(client, {"page": case.pk, "fields": {"title": {"value": "A plain title"}}})
    assert response.status_code == 200
    found = response.json()["fields"]["title"]
    assert [finding["check"] for finding in found] == ["dicts"]
    assert "could not run" in found[0]["message"]


class DictCheck(PrivacyCheck):
    """A deployment's text check that returns dicts instead of `Finding`s."""

    id = "dicts"
    label = "Dicts"
    while_writing = True

    def check(self, context):
        return [{"field": "title", "masked": "", "message": "a dict"}]
