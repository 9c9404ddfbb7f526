"""Fault tests: the deployed stack (gunicorn, production settings) loses Redis, then
PostgreSQL, under load. Cached pages never answer 5xx; no gift is lost or counted twice;
the site recovers without a restart.

Each test starts its own PostgreSQL cluster (initdb, a copy of the test database) and its own
redis-server on free ports, and stops them itself: the shared servers are never touched.
"""

import time
import uuid
from decimal import Decimal

import psycopg2
import pytest
from django.db import connection
from payments import PaymentStatus

from tests.browser.conftest import ensure_wagtail_roots
from tests.donations.conftest import make_donation
from tests.factories import make_case_index, make_case_page, make_home
from tests.resilience.servers import PrivatePostgres, PrivateRedis
from tests.resilience.stack import Gunicorn, Load, confirm_all, get, wait_until

GIFTS = 12
AMOUNT = Decimal("10.00")


@pytest.fixture
def site_data(transactional_db):
    """A live case with waiting gifts, committed (the private cluster gets a copy)."""
    ensure_wagtail_roots()
    home = make_home()
    index = make_case_index(home)
    case = make_case_page(index)
    tokens = []
    for _ in range(GIFTS):
        donation = make_donation(case, str(AMOUNT), token=str(uuid.uuid4()))
        donation.success_url = "https://front.example/thanks"
        donation.failure_url = "https://front.example/failed"
        donation.save()
        tokens.append(donation.token)
    return {"case_id": case.pk, "case_url": case.get_url(), "index_url": index.get_url(), "tokens": tokens}


@pytest.fixture
def stack(site_data, tmp_path):
    """Private PostgreSQL and Redis, and gunicorn on them; everything stopped afterwards."""
    workdir = tmp_path
    settings = connection.settings_dict
    source = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    postgres = PrivatePostgres().start()
    redis = PrivateRedis().start()
    server = None
    try:
        postgres.copy_database(source, "sixdegree")
        server = Gunicorn(postgres.url("sixdegree"), redis.url, workdir)
        yield {"postgres": postgres, "redis": redis, "server": server, **site_data}
    finally:
        if server is not None:
            server.stop()
        redis.stop()
        postgres.destroy()


def totals(stack):
    with psycopg2.connect(stack["postgres"].url("sixdegree")) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT raised, donors FROM sixdegree_donations_casefunding WHERE case_id = %s",
            [stack["case_id"]],
        )
        raised, donors = cursor.fetchone()
        cursor.execute(
            "SELECT count(*), coalesce(sum(total), 0) FROM sixdegree_donations_donation "
            "WHERE case_id = %s AND status = %s",
            [stack["case_id"], PaymentStatus.CONFIRMED],
        )
        confirmed, confirmed_sum = cursor.fetchone()
    return {"raised": raised, "donors": donors, "confirmed": confirmed, "confirmed_sum": confirmed_sum}


def warm(port, paths):
    for path in paths:
        for _ in range(2):
            get(port, path)
    return all(get(port, path)[1].get("X-Page-Cache") == "hit" for path in paths)


def server_errors(statuses):
    return {status: count for status, count in statuses.items() if status >= 500}


def test_a_redis_outage_under_load_answers_every_page_and_counts_every_gift_once(stack):
    port, redis = stack["server"].port, stack["redis"]
    pages = [stack["case_url"], stack["index_url"], "/"]
    assert warm(port, pages)
    half = len(stack["tokens"]) // 2
    with Load(port, pages) as load:
        time.sleep(1)
        assert confirm_all(port, stack["tokens"][:half]) == {302: 2 * half}

        redis.stop()  # down: connections refused
        down_from, _ = load.snapshot()
        time.sleep(2)
        outage = confirm_all(port, stack["tokens"][half:])
        down_until, _ = load.snapshot()

        redis.start()
        redis.pause()  # hung: connections accepted, nothing answered
        time.sleep(2)
        hung_until, _ = load.snapshot()
        redis.resume()
        time.sleep(2)
    statuses, _cache = load.snapshot()

    assert outage == {302: 2 * (len(stack["tokens"]) - half)}
    assert not server_errors(statuses), statuses
    assert not load.errors, load.errors[:5]
    assert sum((down_until - down_from).values()) >= 5  # pages kept coming while Redis was down
    assert sum((hung_until - down_until).values()) >= 5  # and while it hung
    assert totals(stack) == {
        "raised": AMOUNT * GIFTS,
        "donors": GIFTS,
        "confirmed": GIFTS,
        "confirmed_sum": AMOUNT * GIFTS,
    }
    # Back to serving from the cache, without a restart.
    assert wait_until(lambda: get(port, stack["case_url"])[1].get("X-Page-Cache") == "hit", 10)


def test_a_postgres_outage_serves_cached_pages_and_refuses_the_rest_clearly(stack):
    port, postgres = stack["server"].port, stack["postgres"]
    pages = [stack["case_url"], stack["index_url"], "/"]
    first, late = stack["tokens"][0], stack["tokens"][1]
    assert confirm_all(port, [first], times=1) == {302: 1}
    assert warm(port, pages)

    postgres.stop()
    with Load(port, pages) as load:
        time.sleep(2)
    statuses, cache = load.snapshot()
    assert statuses, statuses
    assert set(statuses) == {200}, statuses
    assert set(cache) == {"hit"}

    status, headers, body = get(port, stack["case_url"] + "?uncached=1")
    assert status == 503
    assert int(headers["Retry-After"]) > 0
    assert b"Donations are paused" in body
    assert get(port, "/healthz")[0] == 503
    status, headers, body = get(port, f"/payments/process/{late}/?verification_result=confirmed")
    assert status == 503
    assert headers["Retry-After"]
    status, _headers, body = get(
        port,
        f"/donations/cases/{stack['case_id']}/give/",
        method="POST",
        body="amount=25&currency=USD&email=a%40example.org&anonymous=on",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://127.0.0.1:{port}"},
    )
    assert status == 503
    assert b"nothing was charged" in body

    postgres.start()
    # Recovery without a restart: the next requests open new connections.
    assert wait_until(lambda: get(port, stack["case_url"] + "?uncached=1")[0] == 200, 15)
    assert confirm_all(port, [late, first], times=2) == {302: 4}  # retried, and repeated
    assert totals(stack) == {
        "raised": AMOUNT * 2,
        "donors": 2,
        "confirmed": 2,
        "confirmed_sum": AMOUNT * 2,
    }
