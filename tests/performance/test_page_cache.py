"""The full-page cache: anonymous views served pre-rendered, never stale for long, no cookies."""

import gzip
import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache as default_cache
from django.test import Client
from payments import PaymentStatus
from wagtail.models import PageViewRestriction

from sixdegree_cases.caching import invalidate_all, invalidate_case
from sixdegree_cases.caching.backends import ALL, RedisPageCache, get_page_cache, page_tag
from sixdegree_cases.donations.models import Donation
from sixdegree_cases.review.services import approve_and_publish
from tests.factories import make_case_page

CACHE_HEADER = "X-Page-Cache"


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The page cache on, in the test's local-memory cache, emptied around each test."""
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


def get(client, url, **headers):
    return client.get(url, headers=headers)


def test_second_anonymous_view_is_served_from_the_cache(client, case):
    first = get(client, case.url)
    second = get(client, case.url)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first[CACHE_HEADER], second[CACHE_HEADER]) == ("miss", "hit")
    assert second.content == first.content
    assert case.pseudonym.encode() in second.content
    # Every header the middleware below added is kept: the CSP, nosniff, Vary.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "Cookie" in second["Vary"]
    assert "Accept-Encoding" in second["Vary"]


def test_cached_pages_set_no_cookie_and_carry_no_csrf_token(client, case):
    for _ in range(2):
        response = get(client, case.url)
        assert not response.cookies, response.cookies
        assert b"csrfmiddlewaretoken" not in response.content
    # The donate form is there all the same.
    assert b'class="donate-form"' in response.content


def test_gzip_and_conditional_requests(client, case):
    get(client, case.url)
    zipped = get(client, case.url, accept_encoding="gzip, deflate")
    assert zipped["Content-Encoding"] == "gzip"
    assert int(zipped["Content-Length"]) == len(zipped.content)
    plain = get(client, case.url)
    assert gzip.decompress(zipped.content) == plain.content
    not_modified = get(client, case.url, if_none_match=plain["ETag"])
    assert not_modified.status_code == 304
    assert not not_modified.content


def test_index_and_home_are_cached(client, case, case_index):
    # Each page of the index separately: tests/performance/test_page_cache_holes.py.
    for url in (case_index.url, "/"):
        assert get(client, url)[CACHE_HEADER] == "miss"
        assert get(client, url)[CACHE_HEADER] == "hit"


@pytest.mark.parametrize(
    ("cookies", "headers", "query"),
    [
        ({"sessionid": "x"}, {}, ""),
        ({"messages": "x"}, {}, ""),
        ({}, {"authorization": "Basic eDp4"}, ""),
        ({}, {}, "?utm_source=news"),
        ({}, {}, "?page=1&page=2"),
    ],
)
def test_sessions_messages_and_unknown_queries_bypass_the_cache(client, case, cookies, headers, query):
    get(client, case.url)
    client.cookies.load(cookies)
    for _ in range(2):
        response = get(client, case.url + query, **headers)
        assert CACHE_HEADER not in response


def test_api_and_admin_are_never_cached(client, case):
    for url in (f"/api/v2/pages/{case.pk}/", "/admin/login/"):
        get(client, url)
        assert CACHE_HEADER not in get(client, url)


def test_publishing_drops_every_cached_page(client, case, case_index, django_capture_on_commit_callbacks):
    get(client, case.url)
    get(client, case_index.url)
    case.summary = "A new summary, published."
    with django_capture_on_commit_callbacks(execute=True):
        approve_and_publish(case.save_revision(), require_checks=False)
    for url in (case.url, case_index.url):
        response = get(client, url)
        assert response[CACHE_HEADER] == "miss"
    assert b"A new summary, published." in get(client, case.url).content


def test_unpublishing_takes_the_page_down_at_once(client, case, django_capture_on_commit_callbacks):
    assert get(client, case.url).status_code == 200
    assert get(client, case.url)[CACHE_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        case.unpublish()
    assert get(client, case.url).status_code == 404


def test_withdrawing_consent_takes_the_page_down_at_once(
    client, case, django_user_model, django_capture_on_commit_callbacks
):
    withdrawal = pytest.importorskip("sixdegree_cases.privacy.withdrawal")
    user = django_user_model.objects.create_superuser("officer", "officer@example.org", "pw")
    get(client, case.url)
    assert get(client, case.url)[CACHE_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal.withdraw_consent(case, user=user, reason="Survivor asked")
    assert get(client, case.url).status_code == 404


def confirm_donation(case, amount):
    donation = Donation.objects.create(
        case=case,
        variant="dummy",
        status=PaymentStatus.WAITING,
        total=Decimal(amount),
        currency=case.currency,
        token=str(uuid.uuid4()),
    )
    donation.change_status(PaymentStatus.CONFIRMED)
    return donation


def test_a_confirmed_donation_refreshes_the_figures_and_drops_no_page(
    client, case, case_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        other = make_case_page(case_index, title="Another", slug="another", pseudonym="Mawar")
    for url in (case.url, case_index.url, "/", other.url):
        get(client, url)
        assert get(client, url)[CACHE_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        confirm_donation(case, "250.00")
    for url in (case.url, case_index.url, "/", other.url):
        assert get(client, url)[CACHE_HEADER] == "hit"
    assert "1,250.00" in get(client, case.url).content.decode()  # what remains to be raised
    assert 'data-raised="250.00"' in get(client, case_index.url).content.decode()


def test_invalidation_waits_for_the_commit(client, case, django_capture_on_commit_callbacks):
    get(client, case.url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invalidate_case(case)
    # Not yet committed: still served from the cache.
    assert get(client, case.url)[CACHE_HEADER] == "hit"
    for callback in callbacks:
        callback()
    assert get(client, case.url)[CACHE_HEADER] == "miss"


def test_a_render_that_started_before_an_invalidation_is_not_stored(
    db, page_cache, django_capture_on_commit_callbacks
):
    _blob, generation = page_cache.lookup("some-url")
    with django_capture_on_commit_callbacks(execute=True):
        invalidate_all()
    assert not page_cache.store("some-url", b"old data", [ALL], generation)
    assert page_cache.lookup("some-url")[0] is None


def test_pages_under_view_restrictions_are_never_stored(client, case):
    PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.PASSWORD, password="x")
    for _ in range(2):
        response = get(client, case.url)
        assert response.status_code == 200
        assert response.get(CACHE_HEADER) != "hit"


def test_the_cached_donate_form_still_starts_a_donation(case):
    client = Client(enforce_csrf_checks=True)
    get(client, case.url)
    page = get(client, case.url)
    assert page[CACHE_HEADER] == "hit"
    data = {"amount_choice": "other", "amount": "25", "currency": case.currency, "email": "d@example.org"}
    data["anonymous"] = "on"
    url = f"/donations/cases/{case.pk}/give/"
    response = client.post(url, data, headers={"origin": "http://testserver"})
    assert response.status_code == 302, response.content[:500]
    assert "/pay/" in response["Location"]


def test_the_donate_form_refuses_other_sites_and_sessions_without_a_token(case):
    client = Client(enforce_csrf_checks=True)
    data = {"amount_choice": "other", "amount": "25", "currency": case.currency, "email": "d@example.org"}
    url = f"/donations/cases/{case.pk}/give/"
    assert client.post(url, data, headers={"origin": "https://evil.example"}).status_code == 403
    assert client.post(url, data, headers={"sec_fetch_site": "cross-site"}).status_code == 403
    client.cookies.load({"sessionid": "abc"})
    assert client.post(url, data, headers={"origin": "http://testserver"}).status_code == 403


# --- The Redis backend, against this machine's Redis (a database number of its own) --------


@pytest.fixture
def redis_cache():
    redis = pytest.importorskip("redis")
    backend = RedisPageCache(
        {"LOCATION": "redis://127.0.0.1:6379/14", "KEY_PREFIX": f"test:{uuid.uuid4().hex}:", "TIMEOUT": 30}
    )
    try:
        backend.client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    yield backend
    keys = list(backend.client.scan_iter(f"{backend.prefix}*"))
    if keys:
        backend.client.delete(*keys)


def test_redis_backend_stores_looks_up_and_invalidates_by_tag(redis_cache):
    blob, generation = redis_cache.lookup("a")
    assert blob is None
    assert redis_cache.store("a", b"page a", [ALL, page_tag(1)], generation)
    assert redis_cache.store("b", b"page b", [ALL, page_tag(2)], generation)
    assert redis_cache.lookup("a")[0] == b"page a"
    redis_cache.invalidate([page_tag(1)])
    assert redis_cache.lookup("a")[0] is None
    assert redis_cache.lookup("b")[0] == b"page b"
    # The invalidation moved the generation on: a render begun before it is not stored.
    assert not redis_cache.store("a", b"stale page a", [ALL, page_tag(1)], generation)
    _blob, now = redis_cache.lookup("a")
    assert redis_cache.store("a", b"fresh page a", [ALL, page_tag(1)], now)
    redis_cache.invalidate([ALL])
    assert redis_cache.lookup("a")[0] is None
    assert redis_cache.lookup("b")[0] is None


def test_a_redis_outage_serves_pages_uncached(client, case, settings):
    settings.SIXDEGREE_PAGE_CACHE = {
        "BACKEND": "sixdegree_cases.caching.backends.RedisPageCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "SOCKET_TIMEOUT": 0.05,
        "PAGE_TYPES": ["sixdegree_cases.SurvivorCasePage"],
    }
    response = get(client, case.url)
    assert response.status_code == 200
    assert CACHE_HEADER not in response


def test_small_values_are_kept_until_the_next_publish(db, django_capture_on_commit_callbacks):
    from sixdegree_cases.caching.values import cached_value

    assert cached_value("menu-link", lambda: "/cases/") == "/cases/"
    assert cached_value("menu-link", lambda: "/stories/") == "/cases/"
    with django_capture_on_commit_callbacks(execute=True):
        invalidate_all()
    assert cached_value("menu-link", lambda: "/stories/") == "/stories/"


def test_story_fragments_survive_donations_but_not_publishing(
    client, case, django_capture_on_commit_callbacks, page_cache
):
    get(client, case.url + "?uncached=1")  # renders and keeps the story and funding fragments
    digest = f"fragment:story:{case.pk}:{case.live_revision_id}:en"
    assert page_cache.lookup(digest)[0] is not None
    with django_capture_on_commit_callbacks(execute=True):
        confirm_donation(case, "10.00")
    assert page_cache.lookup(digest)[0] is not None
    with django_capture_on_commit_callbacks(execute=True):
        case.unpublish()
    assert page_cache.lookup(digest)[0] is None
