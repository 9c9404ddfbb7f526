"""A Django cache on Redis that never takes the site down with it.

`ResilientRedisCache` is Django's own `RedisCache` with three changes:

- **Nothing raises when Redis cannot answer.** A read is a miss, a write is skipped, `add`
  says it stored nothing. Wagtail's site-root lookup, cached-database sessions and everything
  else that uses the cache then fall back to PostgreSQL instead of answering 500.
- **A hung Redis costs nothing per request.** Socket timeouts are short (`OPTIONS`
  `socket_timeout`, ~100 ms) and a circuit breaker (`breakers.breaker_for`, shared with the
  page cache) fails every call at once while Redis is known to be away.
- **Nothing stale comes back with Redis.** A write or delete that failed leaves Redis holding
  the old value: a session that was signed out would sign itself in again when Redis
  returns. The keys are remembered in this process and deleted before anything else is read
  once Redis answers again (all of this cache's keys, should too many be missed).

Callers that must know whether the shared counter was really counted (the donations' rate
limit) use `cache.strict`, which raises `CacheUnavailable` instead of pretending.

    CACHES = {"default": {
        "BACKEND": "sixdegree_cases.caching.django_cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
        "OPTIONS": {"socket_timeout": 0.1, "socket_connect_timeout": 0.1,
                    "BREAKER_FAILURES": 3, "BREAKER_RESET_AFTER": 5},
    }}
"""

import logging
import threading
from functools import partial

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from .breakers import (
    DEFAULT_FAILURES,
    DEFAULT_RESET_AFTER,
    breaker_for,
    guarded,
    log_failure,
    server_name,
    unavailable_errors,
)

logger = logging.getLogger(__name__)

# Keys remembered as possibly stale; past this, every key of the cache is dropped instead.
MAX_MISSED_KEYS = 10_000


class CacheUnavailable(Exception):
    """Redis could not answer (down, hung, or the circuit is open)."""


class ResilientRedisCache(RedisCache):
    """Django's `RedisCache` behind a circuit breaker; see the module docstring."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        failures = options.pop("BREAKER_FAILURES", DEFAULT_FAILURES)
        reset_after = options.pop("BREAKER_RESET_AFTER", DEFAULT_RESET_AFTER)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._breaker = breaker_for(self._servers[0], failures=failures, reset_after=reset_after)
        self._errors = unavailable_errors()
        self._missed = set()
        self._lost_track = False
        self._missed_lock = threading.Lock()

    # --- The guard every operation goes through -------------------------------------------

    def _call(self, operation, *, stale_keys=()):
        """Run `operation` through the breaker; raise CacheUnavailable when Redis cannot answer.

        `stale_keys` are the (full) keys a failed write leaves outdated in Redis.
        """
        try:
            if self._missed or self._lost_track:
                guarded(self._breaker, self._forget_missed)
            return guarded(self._breaker, operation)
        except self._errors as error:
            self._remember(stale_keys)
            log_failure(logger, f"Redis {server_name(self._servers[0])} unavailable: cache bypassed", error)
            raise CacheUnavailable(str(error)) from error

    def _remember(self, keys):
        if not keys:
            return
        with self._missed_lock:
            self._missed.update(keys)
            if len(self._missed) > MAX_MISSED_KEYS:
                self._missed.clear()
                self._lost_track = True

    def _forget_missed(self):
        with self._missed_lock:
            keys, lost_track = list(self._missed), self._lost_track
        client = self._cache.get_client(write=True)
        if lost_track:
            pattern = f"{self.key_prefix}:*" if self.key_prefix else "*"
            for chunk in _chunks(client.scan_iter(match=pattern, count=1000), 500):
                client.delete(*chunk)
        for chunk in _chunks(keys, 500):
            client.delete(*chunk)
        with self._missed_lock:
            self._missed.difference_update(keys)
            if lost_track:
                self._lost_track = False
        logger.info("Redis %s is back: %d stale keys dropped", server_name(self._servers[0]), len(keys))

    def _quietly(self, operation, default, *, stale_keys=()):
        try:
            return self._call(operation, stale_keys=stale_keys)
        except CacheUnavailable:
            return default

    @property
    def strict(self):
        """This cache, raising `CacheUnavailable` instead of returning a default."""
        return StrictCache(self)

    @property
    def available(self):
        """False while the circuit is open (Redis known to be away)."""
        import pybreaker

        return self._breaker.current_state != pybreaker.STATE_OPEN

    # --- Django's cache API, never raising ------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        full = self.make_and_validate_key(key, version=version)
        return self._quietly(partial(super().add, key, value, timeout, version), False, stale_keys=[full])

    def get(self, key, default=None, version=None):
        return self._quietly(partial(super().get, key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        full = self.make_and_validate_key(key, version=version)
        self._quietly(partial(super().set, key, value, timeout, version), None, stale_keys=[full])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._quietly(partial(super().touch, key, timeout, version), False)

    def delete(self, key, version=None):
        full = self.make_and_validate_key(key, version=version)
        return self._quietly(partial(super().delete, key, version), False, stale_keys=[full])

    def get_many(self, keys, version=None):
        return self._quietly(partial(super().get_many, keys, version), {})

    def has_key(self, key, version=None):
        return self._quietly(partial(super().has_key, key, version), False)

    def incr(self, key, delta=1, version=None):
        full = self.make_and_validate_key(key, version=version)
        try:
            return self._call(partial(super().incr, key, delta, version), stale_keys=[full])
        except CacheUnavailable as error:
            # As far as anyone can tell the key does not exist: Django's answer for that.
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from error

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        full = [self.make_and_validate_key(key, version=version) for key in data]
        return self._quietly(partial(super().set_many, data, timeout, version), list(data), stale_keys=full)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        full = [self.make_and_validate_key(key, version=version) for key in keys]
        self._quietly(partial(super().delete_many, keys, version), None, stale_keys=full)

    def clear(self):
        self._quietly(super().clear, None)


class StrictCache:
    """The operations a shared counter needs, raising `CacheUnavailable` when Redis cannot count."""

    def __init__(self, cache):
        self._cache = cache

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        full = self._cache.make_and_validate_key(key, version=version)
        return self._cache._call(
            partial(RedisCache.add, self._cache, key, value, timeout, version), stale_keys=[full]
        )

    def incr(self, key, delta=1, version=None):
        full = self._cache.make_and_validate_key(key, version=version)
        return self._cache._call(
            partial(RedisCache.incr, self._cache, key, delta, version), stale_keys=[full]
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        full = self._cache.make_and_validate_key(key, version=version)
        return self._cache._call(
            partial(RedisCache.set, self._cache, key, value, timeout, version), stale_keys=[full]
        )


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
