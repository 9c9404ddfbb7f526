"""How many passwords one client may try on one view restriction, and the lock-out after that.

Attempts are counted in Django's default cache, shared by every app server, and always also in
this process's memory: a cache that is down, or one that fails silently (returns nothing,
counts nothing), can never lift the limit; at worst each process counts on its own. The client
address is only hashed into a key (with the secret key), never stored.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

from ..conf import get_setting
from ..donations.ratelimit import client_address

logger = logging.getLogger(__name__)

_local = LocMemCache("sixdegree-password-guesses", {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 50_000}})


def _backends():
    return (("shared", cache), ("local", _local))


def _keys(request, restriction):
    scope = f"{restriction._meta.label_lower}:{restriction.pk}"
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{scope}|{client_address(request)}".encode()).hexdigest()
    base = f"sixdegree-password-guesses:{digest[:40]}"
    return f"{base}:count", f"{base}:locked"


def _count_in(backend, key, timeout):
    if backend.add(key, 1, timeout=timeout):
        return 1
    try:
        return backend.incr(key)
    except ValueError:
        # The key expired between add() and incr().
        backend.set(key, 1, timeout=timeout)
        return 1


def _safely(name, action, default):
    try:
        return action()
    except Exception:  # A broken shared cache must not stop the process-local count.
        logger.warning("Password guess counter unavailable in the %s cache; counting locally.", name)
        return default


def is_locked_out(request, restriction):
    """True while this client may not try another password on `restriction`."""
    _count_key, lock_key = _keys(request, restriction)
    return any(_safely(name, lambda b=backend: b.get(lock_key), None) for name, backend in _backends())


def allow_attempt(request, restriction):
    """Count one password attempt; False (and lock the client out) once the limit is passed.

    Counted before the password is compared, so simultaneous requests cannot all slip in
    under the limit.
    """
    limit = get_setting("SIXDEGREE_PASSWORD_GUESS_LIMIT")
    lockout = get_setting("SIXDEGREE_PASSWORD_LOCKOUT_SECONDS")
    count_key, lock_key = _keys(request, restriction)
    if is_locked_out(request, restriction):
        return False
    counts = [
        _safely(name, lambda b=backend: _count_in(b, count_key, lockout), 0) for name, backend in _backends()
    ]
    count = max(value for value in counts if isinstance(value, int))
    if count <= limit:
        return True
    for name, backend in _backends():
        _safely(name, lambda b=backend: b.set(lock_key, True, timeout=lockout), None)
        _safely(name, lambda b=backend: b.delete(count_key), None)
    return False


def forget_attempts(request, restriction):
    """The right password was given: this client's count starts again."""
    count_key, _lock_key = _keys(request, restriction)
    for name, backend in _backends():
        _safely(name, lambda b=backend: b.delete(count_key), None)
