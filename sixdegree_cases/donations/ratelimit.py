"""A per-client limit on starting donations, counted in Django's cache.

The client's address is only hashed into a cache key (with the secret key), never stored.
Several app servers need a shared cache (Redis) for the limit to be global. When that cache
cannot count (Redis down, hung, or its circuit open), the same limit is counted in this
process's memory instead: never no limit, and never an error for the donor. With N app
processes a client may then start up to N × the limit in a window, until Redis is back.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

from ..addresses import client_address
from ..conf import get_setting

logger = logging.getLogger(__name__)

# Needs nothing outside this process. Bounded: the oldest counters are culled first.
_local_counts = LocMemCache("sixdegree-donation-rate-limit", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

__all__ = ["client_address", "limit_reached", "too_many_attempts"]


def _key(request, scope):
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{scope}|{client_address(request)}".encode()).hexdigest()
    window = get_setting("SIXDEGREE_DONATION_RATE_WINDOW")
    return f"sixdegree-donations:{scope}:{digest[:32]}:{int(time.time() // window)}"


def _count(counter, key, window):
    if counter.add(key, 1, timeout=window):
        return 1
    try:
        return counter.incr(key)
    except ValueError:
        # Expired between add() and incr(): this attempt opens a new count.
        counter.set(key, 1, timeout=window)
        return 1


def _shared():
    # A cache that can say "I could not count" (ResilientRedisCache.strict) is asked strictly;
    # any other backend raises its own errors when it cannot answer.
    return getattr(cache, "strict", cache)


def limit_reached(request, scope="donate"):
    """True when the client has used up its attempts for this window. Counts nothing.

    Lets a view refuse an exhausted client before doing any work, while only the attempts
    that reach the payment provider are counted (`too_many_attempts`): a donor correcting a
    typo in the form must not use up the limit.
    """
    limit = get_setting("SIXDEGREE_DONATION_RATE_LIMIT")
    if not limit:
        return False
    key = _key(request, scope)
    try:
        count = _shared().get(key)
    except Exception:  # noqa: BLE001 - a broken shared counter falls back to this process's count
        count = None
    local = _local_counts.get(key)
    return max(count or 0, local or 0) >= limit


def too_many_attempts(request, scope="donate"):
    """Count this attempt; True once the client has exceeded the limit for this window."""
    limit = get_setting("SIXDEGREE_DONATION_RATE_LIMIT")
    if not limit:
        return False
    key = _key(request, scope)
    window = get_setting("SIXDEGREE_DONATION_RATE_WINDOW")
    shared = _shared()
    try:
        count = _count(shared, key, window)
    except Exception:  # noqa: BLE001 - a broken shared counter falls back to this process's count
        logger.warning("Shared rate-limit counter unavailable: counting in this process")
        count = _count(_local_counts, key, window)
    return count > limit
