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
- Keep only values that no request changes (immutable ones, such as a frozen dataclass of
  strings and tuples): every request is handed the same object.
"""

import threading

ATTRIBUTE = "_sixdegree_data_version"
_stores = []


def remember_version(request, version):
    """The page cache's data version, read for `request` before it read anything else."""
    setattr(request, ATTRIBUTE, version)


def version_of(request):
    return getattr(request, ATTRIBUTE, None) if request is not None else None


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
        if kept is not None and kept[0] == version:
            return kept[1]
        value = compute()
        with self._lock:
            if len(self._kept) >= self.limit:
                self._kept.clear()
            self._kept[key] = (version, value)
        return value

    def clear(self):
        with self._lock:
            self._kept.clear()


def clear():
    """Forget every value kept in this process (tests, and a process that must read again)."""
    for store in _stores:
        store.clear()
