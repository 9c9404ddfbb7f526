"""Redis down or hung: nothing raises, nothing waits, nothing stale comes back."""

import time

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore

from sixdegree_cases.caching.backends import ALL, RedisPageCache, page_tag
from sixdegree_cases.caching.django_cache import CacheUnavailable
from tests.factories import make_case_page

pytestmark = pytest.mark.django_db


def test_reads_miss_and_writes_are_skipped_while_redis_is_down(redis_default_cache, private_redis):
    redis_default_cache.set("kept", "value")
    private_redis.stop()
    assert redis_default_cache.get("kept", "default") == "default"
    redis_default_cache.set("other", 1)  # no exception
    assert redis_default_cache.add("new", 1) is False
    assert redis_default_cache.get_many(["kept", "other"]) == {}
    assert redis_default_cache.delete("kept") is False
    with pytest.raises(ValueError, match="cache unavailable"):
        redis_default_cache.incr("counter")


def test_the_strict_view_says_when_nothing_was_counted(redis_default_cache, private_redis):
    private_redis.stop()
    with pytest.raises(CacheUnavailable):
        redis_default_cache.strict.add("counter", 1, 60)


def test_a_hung_redis_costs_nothing_once_the_circuit_opens(redis_default_cache, private_redis):
    private_redis.pause()
    started = time.monotonic()
    for _ in range(50):
        assert redis_default_cache.get("anything") is None
    elapsed = time.monotonic() - started
    # Three calls wait for the 100 ms timeout; the other 47 fail at once.
    assert elapsed < 1.0, elapsed
    assert not redis_default_cache.available


def test_the_circuit_closes_again_when_redis_answers(redis_default_cache, private_redis):
    private_redis.pause()
    for _ in range(5):
        redis_default_cache.get("anything")
    private_redis.resume()
    time.sleep(1.1)  # BREAKER_RESET_AFTER
    redis_default_cache.set("back", "yes")
    assert redis_default_cache.get("back") == "yes"
    assert redis_default_cache.available


def test_a_signed_out_session_does_not_come_back_with_redis(redis_default_cache, private_redis):
    """A delete missed while Redis hung is done before Redis is read again."""
    session = SessionStore()
    session["_auth_user_id"] = "1"
    session.save()
    key = session.session_key
    assert SessionStore(session_key=key).load()  # cached in Redis
    private_redis.pause()  # Redis keeps the session while it hangs
    session.delete()  # signed out: removed from PostgreSQL, the cache delete times out
    private_redis.resume()
    time.sleep(1.1)
    assert SessionStore(session_key=key).load() == {}


def test_sessions_keep_working_while_redis_is_down(redis_default_cache, private_redis):
    private_redis.stop()
    session = SessionStore()
    session["cart"] = "kept in PostgreSQL"
    session.save()
    assert SessionStore(session_key=session.session_key).load() == {"cart": "kept in PostgreSQL"}


def test_pages_render_while_the_default_cache_is_down(client, redis_default_cache, private_redis, case_index):
    """Wagtail's site-root lookup and the session middleware use the default cache."""
    case = make_case_page(case_index)
    private_redis.stop()
    assert client.get(case.url).status_code == 200
    assert client.get("/").status_code == 200


def test_rate_limits_fall_back_to_a_count_in_this_process(
    client, settings, redis_default_cache, private_redis, case_index
):
    case = make_case_page(case_index)
    settings.SIXDEGREE_DONATION_RATE_LIMIT = 1
    private_redis.stop()
    url = f"/donations/cases/{case.pk}/give/"
    data = {"amount": "50", "currency": "USD", "email": "a@example.org", "anonymous": "on"}
    assert client.post(url, data, REMOTE_ADDR="203.0.113.50").status_code == 302
    assert client.post(url, data, REMOTE_ADDR="203.0.113.50").status_code == 429
    assert client.post(url, data, REMOTE_ADDR="203.0.113.51").status_code == 302


# --- The page cache ------------------------------------------------------------------------


@pytest.fixture
def page_cache(private_redis):
    return RedisPageCache(
        {
            "LOCATION": private_redis.url,
            "KEY_PREFIX": "test:pages:",
            "TIMEOUT": 60,
            "SOCKET_TIMEOUT": 0.1,
            "BREAKER_RESET_AFTER": 1,
        }
    )


def test_a_page_cache_lookup_on_a_hung_redis_is_bounded(page_cache, private_redis):
    private_redis.pause()
    started = time.monotonic()
    for _ in range(20):
        with pytest.raises(Exception):  # noqa: B017, PT011 - the middleware serves uncached on any
            page_cache.lookup("a")
    assert time.monotonic() - started < 1.0


def test_an_invalidation_missed_while_redis_hung_is_done_before_entries_are_trusted(
    page_cache, private_redis
):
    """A withdrawn story must not come back with Redis."""
    _blob, generation = page_cache.lookup("case")
    assert page_cache.store("case", b"the story", [ALL, page_tag(7)], generation)
    private_redis.pause()
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the client raises, the invalidation stays owed
        page_cache.invalidate([page_tag(7)])
    private_redis.resume()
    time.sleep(1.1)
    assert page_cache.lookup("case")[0] is None
    assert not page_cache.invalidation_pending
