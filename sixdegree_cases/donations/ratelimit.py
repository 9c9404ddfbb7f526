"""A per-client limit on starting donations, counted in Django's cache.

The client's address is only hashed into a cache key (with the secret key), never stored.
Several app servers need a shared cache (Redis, Memcached) for the limit to be global.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from ..conf import get_setting


def client_address(request):
    header = get_setting("SIXDEGREE_CLIENT_IP_HEADER")
    if header and request.META.get(header):
        # The right-most address is the one the trusted proxy itself saw.
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _key(request, scope):
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{scope}|{client_address(request)}".encode()).hexdigest()
    window = get_setting("SIXDEGREE_DONATION_RATE_WINDOW")
    return f"sixdegree-donations:{scope}:{digest[:32]}:{int(time.time() // window)}"


def too_many_attempts(request, scope="donate"):
    """Count this attempt; True once the client has exceeded the limit for this window."""
    limit = get_setting("SIXDEGREE_DONATION_RATE_LIMIT")
    if not limit:
        return False
    key = _key(request, scope)
    window = get_setting("SIXDEGREE_DONATION_RATE_WINDOW")
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
