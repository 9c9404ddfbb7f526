"""How many passwords may be tried on one view restriction, and the lock-out after that.

Two limits, each followed by a lock-out of `SIXDEGREE_PASSWORD_LOCKOUT_SECONDS`:
`SIXDEGREE_PASSWORD_GUESS_LIMIT` wrong passwords from one client address, and
`SIXDEGREE_PASSWORD_GUESS_PAGE_LIMIT` from all addresses together (many addresses guessing one
password; a survivor's safety outweighs a partner waiting a few minutes).

Attempts are counted in Django's default cache, shared by every app server, and always also in
this process's memory: a cache that is down, or one that fails silently (returns nothing,
counts nothing), can never lift a limit; at worst each process counts on its own. The client
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


def _safely(name, action, default=None):
    try:
        return action()
    except Exception:  # noqa: BLE001 - a broken shared cache must not stop the process-local count.
        logger.warning("Password guess counter unavailable in the %s cache; counting locally.", name)
        return default


def _count_in(backend, key, timeout):
    if backend.add(key, 1, timeout=timeout):
        return 1
    try:
        return backend.incr(key)
    except ValueError:
        # The key expired between add() and incr().
        backend.set(key, 1, timeout=timeout)
        return 1


class _Scope:
    """One counter and its lock-out, in every backend."""

    def __init__(self, *parts):
        digest = hashlib.sha256("|".join([settings.SECRET_KEY, *map(str, parts)]).encode()).hexdigest()
        self.count_key = f"sixdegree-password-guesses:{digest[:40]}:count"
        self.lock_key = f"sixdegree-password-guesses:{digest[:40]}:locked"

    def locked(self):
        return any(_safely(name, lambda b=backend: b.get(self.lock_key)) for name, backend in _backends())

    def count(self, timeout):
        counts = [
            _safely(name, lambda b=backend: _count_in(b, self.count_key, timeout), 0)
            for name, backend in _backends()
        ]
        return max(value for value in counts if isinstance(value, int))

    def lock(self, timeout):
        for name, backend in _backends():
            _safely(name, lambda b=backend: b.set(self.lock_key, True, timeout=timeout))
            _safely(name, lambda b=backend: b.delete(self.count_key))

    def forget(self):
        for name, backend in _backends():
            _safely(name, lambda b=backend: b.delete(self.count_key))


def _scopes(request, restriction):
    page = (restriction._meta.label_lower, restriction.pk)
    return _Scope(*page, client_address(request)), _Scope(*page)


def is_locked_out(request, restriction):
    """True while this client may not try another password on `restriction`."""
    return any(scope.locked() for scope in _scopes(request, restriction))


def allow_attempt(request, restriction):
    """Count one password attempt; False (and lock out) once a limit is passed.

    Counted before the password is compared, so simultaneous requests cannot all slip in
    under the limit.
    """
    lockout = get_setting("SIXDEGREE_PASSWORD_LOCKOUT_SECONDS")
    client, page = _scopes(request, restriction)
    if client.locked() or page.locked():
        return False
    allowed = True
    for scope, limit in (
        (client, get_setting("SIXDEGREE_PASSWORD_GUESS_LIMIT")),
        (page, get_setting("SIXDEGREE_PASSWORD_GUESS_PAGE_LIMIT")),
    ):
        if scope.count(lockout) > limit:
            scope.lock(lockout)
            allowed = False
    return allowed


def forget_attempts(request, restriction):
    """The right password was given: this client's count starts again (the page's does not)."""
    client, _page = _scopes(request, restriction)
    client.forget()
