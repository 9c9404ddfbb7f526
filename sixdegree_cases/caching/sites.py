"""The site serving a request and its root page, kept per process until the next publication.

Wagtail finds them with two queries per request (the site by host name and port, then the root
page's specific page to route from): about a third of an uncached case page's time, spent
reading what changes only when a site is saved or a page published, moved or deleted — the
changes that move the page cache's generation on (`signal_handlers`). So a process keeps what
Wagtail found, with the generation read before it looked, and reuses it while the generation
in Redis is the same (with an epoch: generations restart when Redis loses its data): one Redis
read instead of two queries.

- Each request gets its own copy (a page instance keeps per-request state, such as its view
  restrictions read once per serve): nothing read or set while serving one request reaches
  another.
- Wagtail's own per-request memo (`request._wagtail_site`) is set, so Wagtail's lookups and
  routing take it; with no page cache, no generation in Redis or Redis away, nothing is set
  and Wagtail looks as it always does.
- The version read is remembered on the request (`process.remember_version`): other values
  kept per process (`process.KeptPerProcess`) are kept and reused under it.
"""

import copy
import logging
import secrets
import threading

from ..compat import find_site_for_request, request_has_site, request_host_key, set_request_site
from . import process
from .breakers import log_failure
from .process import remember_version

logger = logging.getLogger(__name__)

# At most this many (host, port) pairs are kept: ALLOWED_HOSTS bounds them already.
LIMIT = 32
_kept = {}
_lock = threading.Lock()


def clear():
    """Forget every kept site (tests, and a process that must look again)."""
    with _lock:
        _kept.clear()


def _version(cache):
    """(epoch, generation) of the page cache's data, or None when it cannot be read.

    The generation alone could repeat: after Redis loses its data it counts from 1 again. The
    epoch is a random value set once per life of the data, so a version never comes back.
    """
    try:
        epoch, generation = cache.read_keys([cache.epoch_key, cache.generation_key])
        if epoch is None:
            # The first request after the data was lost: keeps nothing, sets the epoch.
            cache.add_key(cache.epoch_key, secrets.token_hex(16))
            return None
    except Exception as error:  # noqa: BLE001 - any cache failure: Wagtail looks as usual
        log_failure(logger, "Page cache generation read failed", error)
        return None
    return tuple(v.decode() if isinstance(v, bytes) else str(v) for v in (epoch, generation or 0))


def set_site_for_request(request, cache):
    """Give `request` its site (with the root page's specific page), from what this process
    kept for its host and port while the page cache's data version is unchanged."""
    if request_has_site(request):
        return
    version = _version(cache)
    if version is None:
        return
    # Read before anything else: what this request reads may be kept under it (`process`).
    remember_version(request, version, cache.timeout)
    key = request_host_key(request)
    kept = _kept.get(key)
    # Kept no longer than a cached page: a change whose invalidation was missed shows then.
    if kept is not None and kept[0] == version and process.is_fresh(kept[2], request):
        set_request_site(request, copy.deepcopy(kept[1]))
        return
    kept_at = process.clock()
    # Read after the version: a change committed meanwhile moves it on, so what is read here
    # is never kept under a version newer than itself.
    try:
        site = find_site_for_request(request)
        if site is None:
            return
        site.root_page = site.root_page.specific
    except Exception:  # noqa: BLE001 - PostgreSQL away: Wagtail looks again where it answers 503
        return
    with _lock:
        if len(_kept) >= LIMIT:
            _kept.clear()
        _kept[key] = (version, copy.deepcopy(site), kept_at)
    set_request_site(request, site)
