"""/healthz while Redis is away: still in the load balancer, and saying why it is slower."""

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_stays_up_and_reports_a_redis_outage(client, redis_default_cache, private_redis):
    assert client.get("/healthz").json() == {"database": "ok", "cache": "ok"}
    private_redis.stop()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "unavailable"}
