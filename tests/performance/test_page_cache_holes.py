"""Cached pages with holes: a case's funding figures are filled in when a page is served, so a
gift changes them without evicting or re-rendering any page (sixdegree_cases.caching.holes)."""

import gzip
import re
import struct
import uuid
import zlib
from decimal import Decimal

import pytest
from django.core.cache import cache as default_cache
from django.test import Client
from django.test.signals import template_rendered
from payments import PaymentStatus

from sixdegree_cases.caching import holes
from sixdegree_cases.caching.backends import RedisPageCache, get_page_cache
from sixdegree_cases.donations.models import Donation
from sixdegree_cases.review.services import approve_and_publish
from tests.factories import default_story, make_case_page, milestone

CACHE_HEADER = "X-Page-Cache"
PAGE_TEMPLATES = {"sixdegree_cases/survivor_case_page.html", "sixdegree_cases/case_index_page.html"}


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.SIXDEGREE_PAGE_CACHE = {
        "BACKEND": "sixdegree_cases.caching.backends.DjangoCachePageCache",
        "TIMEOUT": 60,
        "PAGE_TYPES": ["sixdegree_cases.SurvivorCasePage", "sixdegree_cases.CaseIndexPage", "home.HomePage"],
        "SKIP_PATHS": ["/admin/", "/api/", "/donations/", "/payments/"],
    }
    default_cache.clear()
    yield get_page_cache()
    default_cache.clear()


@pytest.fixture
def case(case_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_case_page(case_index, items=[("education", "Tailoring course", Decimal("1500.00"))])


@pytest.fixture
def rendered():
    """The names of the templates rendered, as Django's test client records them."""
    names = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record, dispatch_uid="holes-test")
    yield names
    template_rendered.disconnect(dispatch_uid="holes-test")


def get(client, url, **headers):
    return client.get(url, headers=headers)


def confirm(case, amount, callbacks, **fields):
    with callbacks(execute=True):
        donation = Donation.objects.create(
            case=case,
            variant="dummy",
            status=PaymentStatus.WAITING,
            total=Decimal(amount),
            currency=case.currency,
            token=str(uuid.uuid4()),
            **fields,
        )
        donation.change_status(PaymentStatus.CONFIRMED)
    return donation


def entry_text(blob):
    """A stored page entry as text: its headers and its segments, decompressed."""
    (length,) = struct.unpack_from(">I", blob)
    return blob[4 : 4 + length] + zlib.decompressobj(-15).decompress(blob[4 + length :])


def stored_bytes(page_cache):
    """Every page entry the page cache holds, as text."""
    keys = [
        k for k in default_cache._cache if ":e:" in k and ":e:fragment:" not in k and ":e:value:" not in k
    ]
    return b"".join(entry_text(default_cache.get(key.split(":", 2)[2])) for key in keys)


def test_a_gift_changes_the_figures_on_cached_pages_without_a_render(
    client, case, case_index, rendered, django_capture_on_commit_callbacks
):
    for url in (case.url, case_index.url, "/"):
        get(client, url)
        assert get(client, url)[CACHE_HEADER] == "hit"
    rendered.clear()
    confirm(case, "250.00", django_capture_on_commit_callbacks)
    # The figures were rendered once, when the gift committed; no page was.
    assert not PAGE_TEMPLATES & set(rendered)
    assert "sixdegree_donations/includes/progress.html" in rendered
    rendered.clear()
    page = get(client, case.url)
    assert page[CACHE_HEADER] == "hit"
    text = page.content.decode()
    assert 'data-raised="250.00"' in text
    assert "1,250.00" in text
    assert 'value="16"' in text  # the progress bar: 16 %
    for url in (case_index.url, "/"):
        response = get(client, url)
        assert response[CACHE_HEADER] == "hit"
        assert 'data-raised="250.00"' in response.content.decode()
    assert rendered == []  # no page and no figures rendered while serving


def test_the_figures_close_the_form_when_the_target_is_reached(
    client, case, django_capture_on_commit_callbacks
):
    get(client, case.url)
    assert b'class="donate-form"' in get(client, case.url).content
    confirm(case, "1500.00", django_capture_on_commit_callbacks)
    page = get(client, case.url)
    # Crossing the target is the one gift that drops the page (ordinary gifts never do): the
    # Donate button in the header, outside the holes, must go with the form.
    assert page[CACHE_HEADER] == "miss"
    assert b'class="donate-form"' not in page.content
    assert b"data-donate-jump" not in page.content
    assert b"donation-progress--funded" in page.content
    assert get(client, case.url)[CACHE_HEADER] == "hit"


def test_named_supporters_appear_with_the_gift(client, case, django_capture_on_commit_callbacks):
    get(client, case.url)
    confirm(case, "20.00", django_capture_on_commit_callbacks, anonymous=False, display_name="Sari")
    page = get(client, case.url)
    assert page[CACHE_HEADER] == "hit"
    assert b"Sari" in page.content


def test_the_cached_body_holds_no_figure(client, case, page_cache, django_capture_on_commit_callbacks):
    confirm(case, "250.00", django_capture_on_commit_callbacks)
    get(client, case.url)
    stored = stored_bytes(page_cache)
    assert b"Tailoring course" in stored  # the page itself is there, as text
    for figure in (b"250.00", b"1,250.00", b"data-raised", b"donate-form", b"<progress"):
        assert figure not in stored
    assert b"sixdegree-hole" not in stored


def test_gzip_answers_are_one_valid_stream_and_etags_follow_the_figures(
    client, case, django_capture_on_commit_callbacks
):
    get(client, case.url)
    plain = get(client, case.url)
    zipped = get(client, case.url, accept_encoding="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert int(zipped["Content-Length"]) == len(zipped.content)
    assert gzip.decompress(zipped.content) == plain.content
    assert get(client, case.url, if_none_match=plain["ETag"]).status_code == 304
    confirm(case, "10.00", django_capture_on_commit_callbacks)
    changed = get(client, case.url, if_none_match=plain["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != plain["ETag"]


def test_a_marker_in_editor_content_is_never_taken_for_a_hole(
    client, case_index, django_capture_on_commit_callbacks
):
    # Whoever knows the marker's form still cannot know the value drawn for each render.
    forged = f"<!--sixdegree-hole:{'0' * 32}:0-->"
    story = default_story()
    story[0] = milestone("recruitment", "Recruited", lat=-0.03, lng=109.33, narrative=f"<p>A{forged}B</p>")
    with django_capture_on_commit_callbacks(execute=True):
        page = make_case_page(case_index, story=story, summary=f"Text {forged} end")
    for _ in range(2):
        text = get(client, page.url).content.decode()
        assert text.count("data-donation-progress") == 1
        assert "A" + forged + "B" in text or "A&lt;!--" in text  # left as it was written
        assert re.search(r"sixdegree-hole:(?!0{32})", text) is None


def test_a_marker_with_this_renders_value_outside_the_template_is_still_content(rf):
    pending = type("Pending", (), {"nonce": "a" * 32, "holes": [(1, "progress", "en")]})()
    body = f"x<!--sixdegree-hole:{'a' * 32}:0-->y<!--sixdegree-hole:{'a' * 32}:7-->z".encode()
    segments, found = holes.split_body(body, pending)
    assert found == [(1, "progress", "en")]
    assert segments == [b"x", f"y<!--sixdegree-hole:{'a' * 32}:7-->z".encode()]


def test_publishing_drops_pages_and_figures(client, case, case_index, django_capture_on_commit_callbacks):
    get(client, case.url)
    get(client, case_index.url)
    case.funding_target = Decimal("3000.00")
    case.funding_items.all().update(amount=Decimal("3000.00"))
    case.summary = "Republished."
    with django_capture_on_commit_callbacks(execute=True):
        approve_and_publish(case.save_revision(), require_checks=False)
    for url in (case.url, case_index.url):
        assert get(client, url)[CACHE_HEADER] == "miss"
    assert b"Republished." in get(client, case.url).content


def test_unpublishing_still_takes_the_page_down(client, case, django_capture_on_commit_callbacks):
    get(client, case.url)
    with django_capture_on_commit_callbacks(execute=True):
        case.unpublish()
    assert get(client, case.url).status_code == 404


def test_missing_figures_are_rendered_from_the_database_and_kept(
    client, case, page_cache, django_capture_on_commit_callbacks
):
    get(client, case.url)
    version, generation, dropped = page_cache.begin_figures_change(case.pk)
    assert ("donation", "en") in dropped
    Donation.objects.none()  # nothing else changed: the figures are just gone
    page = get(client, case.url)
    assert page[CACHE_HEADER] == "hit"
    assert b'class="donate-form"' in page.content
    assert default_cache.get(page_cache.figures_key(case.pk, "donation", "en")) is not None


def test_figures_read_before_a_gift_are_not_stored_after_it(
    case, page_cache, django_capture_on_commit_callbacks
):
    _blob, generation, _found = page_cache.lookup_page("nothing")
    version = str(default_cache.get(page_cache.figures_version_key(case.pk), 0))
    confirm(case, "10.00", django_capture_on_commit_callbacks)
    assert not page_cache.store_figures(case.pk, {("progress", "en"): b"old"}, generation, version)
    assert default_cache.get(page_cache.figures_key(case.pk, "progress", "en")) is None


def test_a_session_sees_the_figures_rendered_in_the_page(case, django_capture_on_commit_callbacks):
    confirm(case, "250.00", django_capture_on_commit_callbacks)
    client = Client()
    client.cookies.load({"sessionid": "x"})
    response = get(client, case.url)
    assert CACHE_HEADER not in response
    assert b'data-raised="250.00"' in response.content
    assert b"sixdegree-hole" not in response.content


# --- ?page= and other query strings: no copies without end ------------------------------------


def test_only_real_index_pages_are_kept(client, case_index, settings, django_capture_on_commit_callbacks):
    settings.SIXDEGREE_CASES_PER_PAGE = 1
    with django_capture_on_commit_callbacks(execute=True):
        make_case_page(case_index, title="One", slug="one")
        make_case_page(case_index, title="Two", slug="two")
    url = case_index.url
    for query in ("?page=1", "?page=2"):
        get(client, url + query)
        assert get(client, url + query)[CACHE_HEADER] == "hit"
    # Beyond the last page (shown as the last page), leading zeros, too long: never stored.
    for query in ("?page=3", "?page=999", "?page=02", "?page=12345", "?page=x"):
        for _ in range(2):
            response = get(client, url + query)
            assert response.status_code == 200
            assert response.get(CACHE_HEADER) != "hit", query


def test_a_page_number_on_a_page_without_pages_is_not_kept(client, case):
    for _ in range(2):
        response = get(client, case.url + "?page=2")
        assert response.status_code == 200
        assert response.get(CACHE_HEADER) != "hit"


# --- Against this machine's Redis --------------------------------------------------------------


@pytest.fixture
def redis_cache(settings):
    redis = pytest.importorskip("redis")
    options = {
        "BACKEND": "sixdegree_cases.caching.backends.RedisPageCache",
        "LOCATION": "redis://127.0.0.1:6379/14",
        "KEY_PREFIX": f"test:{uuid.uuid4().hex}:",
        "TIMEOUT": 30,
        "PAGE_TYPES": ["sixdegree_cases.SurvivorCasePage", "sixdegree_cases.CaseIndexPage", "home.HomePage"],
        "SKIP_PATHS": ["/admin/", "/api/", "/donations/", "/payments/"],
    }
    settings.SIXDEGREE_PAGE_CACHE = options
    backend = get_page_cache()
    assert isinstance(backend, RedisPageCache)
    try:
        backend.client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    yield backend
    keys = list(backend.client.scan_iter(f"{backend.prefix}*"))
    if keys:
        backend.client.delete(*keys)


def test_redis_one_round_trip_serves_page_and_figures(
    client, case, case_index, redis_cache, rendered, django_capture_on_commit_callbacks
):
    for url in (case.url, case_index.url):
        get(client, url)
    calls = []
    original = redis_cache._lookup_page

    def counted(*args, **kwargs):
        calls.append(kwargs["keys"][0])
        return original(*args, **kwargs)

    redis_cache._lookup_page = counted
    confirm(case, "250.00", django_capture_on_commit_callbacks)
    rendered.clear()
    page = get(client, case.url)
    assert page[CACHE_HEADER] == "hit"
    assert b'data-raised="250.00"' in page.content
    listing = get(client, case_index.url, accept_encoding="gzip")
    assert b'data-raised="250.00"' in gzip.decompress(listing.content)
    assert len(calls) == 2
    assert rendered == []
    stored = b"".join(
        entry_text(redis_cache.client.get(key))
        for key in redis_cache.client.scan_iter(f"{redis_cache.prefix}e:*")
        if b":e:fragment:" not in key and b":e:value:" not in key
    )
    assert b"Tailoring course" in stored
    assert b"250.00" not in stored


def test_redis_figures_version_refuses_a_late_store(case, redis_cache, django_capture_on_commit_callbacks):
    _blob, generation, _found = redis_cache.lookup_page("nothing")
    version = (redis_cache.client.get(redis_cache.figures_version_key(case.pk)) or b"0").decode()
    confirm(case, "10.00", django_capture_on_commit_callbacks)
    assert not redis_cache.store_figures(case.pk, {("progress", "en"): b"old"}, generation, version)
    _v, now, _dropped = redis_cache.begin_figures_change(case.pk)
    current = redis_cache.client.get(redis_cache.figures_version_key(case.pk)).decode()
    assert redis_cache.store_figures(case.pk, {("progress", "en"): b"new"}, now, current)


# --- What could defeat it ----------------------------------------------------------------------


def test_totals_written_without_a_save_signal_still_refresh_the_figures(
    client, case, django_capture_on_commit_callbacks
):
    # Totals kept by a single UPDATE send no `post_save`: the status change refreshes them.
    from django.db.models.signals import post_save

    from sixdegree_cases.donations.models import CaseFunding

    assert post_save.disconnect(sender=CaseFunding, dispatch_uid="sixdegree_caching-funding")
    try:
        get(client, case.url)
        confirm(case, "250.00", django_capture_on_commit_callbacks)
        page = get(client, case.url)
        assert page[CACHE_HEADER] == "hit"
        assert b'data-raised="250.00"' in page.content
    finally:
        from sixdegree_cases.caching import signal_handlers

        signal_handlers.connect()


def test_hiding_a_supporters_name_drops_it_from_cached_pages(
    client, case, django_capture_on_commit_callbacks
):
    from sixdegree_cases.caching import invalidate_case

    gift = confirm(case, "20.00", django_capture_on_commit_callbacks, anonymous=False, display_name="Sari")
    get(client, case.url)
    assert b"Sari" in get(client, case.url).content
    with django_capture_on_commit_callbacks(execute=True):
        Donation.objects.filter(pk=gift.pk).update(name_hidden=True)
        invalidate_case(case)  # what the finance admin's "hide" does
    assert b"Sari" not in get(client, case.url).content


def test_figures_missed_while_redis_is_away_drop_everything_when_it_returns(db, settings):
    settings.SIXDEGREE_PAGE_CACHE = {
        "BACKEND": "sixdegree_cases.caching.backends.RedisPageCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "SOCKET_TIMEOUT": 0.05,
    }
    backend = get_page_cache()
    holes.rewrite_figures(12345)  # logs, never raises
    assert backend.invalidation_pending


# --- Pages rendered without the page cache use the figures entries too ----------------------


def test_an_uncached_render_takes_the_figures_from_their_entry(
    client, case, rendered, django_capture_on_commit_callbacks
):
    url = case.url + "?uncached=1"  # any other query string: rendered, not stored
    get(client, url)
    rendered.clear()
    first = get(client, url)
    assert CACHE_HEADER not in first
    assert "sixdegree_cases/survivor_case_page.html" in rendered
    assert "sixdegree_cases/includes/donation.html" not in rendered  # rendered once, kept
    assert b'class="donate-form"' in first.content
    assert b"sixdegree-hole" not in first.content
    confirm(case, "250.00", django_capture_on_commit_callbacks)
    assert b'data-raised="250.00"' in get(client, url).content


def test_a_session_never_gets_figures_kept_for_others(case, django_capture_on_commit_callbacks):
    anonymous = Client()
    get(anonymous, case.url + "?uncached=1")
    signed_in = Client()
    signed_in.cookies.load({"sessionid": "x"})
    response = get(signed_in, case.url)
    # Its own render: its donate form carries its CSRF token, which no kept figures hold.
    assert b'class="donate-form"' in response.content
    assert b"csrfmiddlewaretoken" in response.content


def test_a_confirmation_renders_the_figures_once(case, client, rendered, django_capture_on_commit_callbacks):
    get(client, case.url)
    rendered.clear()
    confirm(case, "10.00", django_capture_on_commit_callbacks)
    assert rendered.count("sixdegree_cases/includes/donation.html") == 1


def test_a_refresh_queued_in_a_rolled_back_savepoint_is_queued_again(
    case, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                holes.refresh_figures(case.pk)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        holes.refresh_figures(case.pk)
    assert [c.case_id for c in callbacks if isinstance(c, holes.FiguresRefresh)] == [case.pk]


def test_an_uncached_render_reads_the_page_cache_once(client, case, page_cache):
    url = case.url + "?uncached=1"
    get(client, url)  # keeps the story, the funding table, the menu link and the figures
    reads = []
    for name in ("lookup", "lookup_figures", "read_keys", "lookup_page"):
        original = getattr(page_cache, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            reads.append(_name)
            return _original(*args, **kwargs)

        setattr(page_cache, name, counted)
    response = get(client, url)
    assert b'class="donate-form"' in response.content
    assert b"Tailoring course" in response.content
    # Before routing, the version the site and root page kept by this process are valid for
    # (sixdegree_cases.caching.sites: one read instead of two queries); then, in one round
    # trip, everything the render reads.
    assert reads == ["read_keys", "read_keys"]


def test_a_gift_closed_before_it_was_confirmed_leaves_the_figures_alone(
    client, case, rendered, page_cache, django_capture_on_commit_callbacks
):
    """A start refused or timed out on the provider closes its gift: no figure changes, so
    none is dropped (every view would render them until they were stored again)."""
    get(client, case.url)
    assert get(client, case.url)[CACHE_HEADER] == "hit"
    rendered.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        donation = Donation.objects.create(
            case=case,
            variant="dummy",
            status=PaymentStatus.WAITING,
            total=Decimal("25.00"),
            currency=case.currency,
            token=str(uuid.uuid4()),
        )
        assert donation.change_status(PaymentStatus.ERROR, "The provider is unavailable.")
    assert not [c for c in callbacks if isinstance(c, holes.FiguresRefresh)]
    assert rendered == []
    assert get(client, case.url)[CACHE_HEADER] == "hit"
    assert rendered == []


def test_a_confirmed_gift_that_moves_on_still_refreshes_the_figures(
    client, case, rendered, django_capture_on_commit_callbacks
):
    gift = confirm(case, "30.00", django_capture_on_commit_callbacks)
    get(client, case.url)
    assert b'data-raised="30.00"' in get(client, case.url).content
    rendered.clear()
    with django_capture_on_commit_callbacks(execute=True):
        gift.change_status(PaymentStatus.REFUNDED)
    assert "sixdegree_donations/includes/progress.html" in rendered
    page = get(client, case.url)
    assert page[CACHE_HEADER] == "hit"
    assert b'data-raised="0.00"' in page.content


def _missing_figures(page_cache, case):
    """A hole of `case` whose figures are missing, as `lookup_page` reports it, and its key."""
    from django.utils import translation

    language = translation.get_language()
    _blob, generation, version = page_cache.lookup_figures(case.pk, "progress", language)
    hole = (case.pk, "progress", language)
    return hole, (None, version), generation, (*hole, version, generation)


def test_views_that_find_figures_missing_wait_for_the_render_already_running(case, page_cache, rendered):
    import threading

    from sixdegree_cases.caching.in_flight import figures_in_flight

    hole, found, generation, key = _missing_figures(page_cache, case)
    mine, theirs = figures_in_flight.claim([key])  # another thread of this process renders them
    assert mine
    assert not theirs
    answers = []
    waiting = threading.Thread(
        target=lambda: answers.append(holes.fill(page_cache, [hole], [found], generation))
    )
    waiting.start()
    waiting.join(timeout=0.2)
    assert waiting.is_alive()  # waits, renders nothing
    assert answers == []
    figures_in_flight.finish(mine, {key: holes.pack_figures("<p>rendered once</p>")})
    waiting.join(timeout=5)
    assert answers[0][0][0] == b"<p>rendered once</p>"
    assert rendered == []


def test_a_view_renders_the_figures_itself_when_the_render_it_waited_for_failed(case, page_cache, rendered):
    import threading

    from sixdegree_cases.caching.in_flight import figures_in_flight

    hole, found, generation, key = _missing_figures(page_cache, case)
    mine, _theirs = figures_in_flight.claim([key])
    threading.Timer(0.1, figures_in_flight.finish, args=(mine, {})).start()
    (figures,) = holes.fill(page_cache, [hole], [found], generation)
    assert b'data-raised="0.00"' in figures[0]
    assert "sixdegree_donations/includes/progress.html" in rendered
    # Nothing is left claimed: the next view that misses them renders (or waits) afresh.
    assert figures_in_flight.claim([key])[1] == {}
    figures_in_flight.finish(figures_in_flight.claim([key])[0], {})
