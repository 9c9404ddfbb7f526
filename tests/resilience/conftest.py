import pytest

from sixdegree_cases.caching.breakers import reset_breakers
from tests.resilience.servers import PrivateRedis


@pytest.fixture
def private_redis():
    """A redis-server of the test's own, on a free port; stopped (and resumed) afterwards."""
    reset_breakers()
    server = PrivateRedis().start()
    yield server
    server.stop()
    reset_breakers()


def resilient_cache_settings(url, **options):
    return {
        "BACKEND": "sixdegree_cases.caching.django_cache.ResilientRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "sixdegree-test",
        "OPTIONS": {
            "socket_timeout": 0.1,
            "socket_connect_timeout": 0.1,
            "BREAKER_FAILURES": 3,
            "BREAKER_RESET_AFTER": 1,
            **options,
        },
    }


@pytest.fixture
def redis_default_cache(settings, private_redis):
    """Django's default cache on the private Redis, as production.py configures it."""
    settings.CACHES = {"default": resilient_cache_settings(private_redis.url)}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    from django.core.cache import cache

    cache.clear()
    return cache


@pytest.fixture(autouse=True)
def _empty_default_cache():
    """Rate-limit counters live in the default cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
