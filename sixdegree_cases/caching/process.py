"""Values a process keeps between requests while the page cache's data version holds.

The page cache's version (`sites`: its epoch and generation, read once per anonymous page view
before anything else is read) moves on with every change that drops cached pages: a page
published, unpublished, moved or deleted, a view restriction added or removed, a site or the
organisation settings saved, consent withdrawn — in whichever process or server made it. So what
every anonymous page reads from PostgreSQL and only such a change can alter (the organisation's
details in the footer, with the trust pages it links) can be read once per process and version
instead of once per request.

- A value is kept under the version read *before* it was computed: a change committed meanwhile
  moves the version on, so a value is never kept under a version newer than itself.
- Only requests whose version was read keep or reuse anything (`remember_version`); with no page
  cache, no version in Redis or Redis away, every request computes its values as before.
- A value is kept at most as long as the page cache keeps a page (its `TIMEOUT`): should a
  change's invalidation be missed (Redis away at its commit), the version would never move on
  for it, and a restriction or an unpublished trust page would stay in the footer for good.
- Keep only values that no request changes (immutable ones, such as a frozen dataclass of
  strings and tuples): every request is handed the same object.
"""

import threading
import time

ATTRIBUTE = "_sixdegree_data_version"
MAX_AGE = "_sixdegree_data_max_age"
_stores = []
# Seconds, for the ages of kept values (tests move it on).
clock = time.monotonic


def remember_version(request, version, max_age):
    """The page cache's data version, read for `request` before it read anything else, and how
    long a value computed under it may be kept (seconds: the page cache's `TIMEOUT`)."""
    setattr(request, ATTRIBUTE, version)
    setattr(request, MAX_AGE, max_age)


def version_of(request):
    return getattr(request, ATTRIBUTE, None) if request is not None else None


def is_fresh(kept_at, request):
    """True while a value kept at `kept_at` (`clock()`) may still serve `request`."""
    return clock() - kept_at < getattr(request, MAX_AGE, 0)


class KeptPerProcess:
    """At most `limit` values, each under a key and the version it was computed under."""

    def __init__(self, limit=32):
        self.limit = limit
        self._kept = {}
        self._lock = threading.Lock()
        _stores.append(self)

    def get(self, request, key, compute):
        """`compute()`, or what it returned for `key` under the version read for `request`."""
        version = version_of(request)
        if version is None:
            return compute()
        kept = self._kept.get(key)
        if kept is not None and kept[0] == version and is_fresh(kept[2], request):
            return kept[1]
        kept_at = clock()
        value = compute()
        with self._lock:
            if len(self._kept) >= self.limit:
                self._kept.clear()
            self._kept[key] = (version, value, kept_at)
        return value

    def clear(self):
        with self._lock:
            self._kept.clear()


def clear():
    """Forget every value kept in this process (tests, and a process that must read again)."""
    for store in _stores:
        store.clear()
