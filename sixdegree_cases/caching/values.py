"""Small values computed from published pages (a menu link, a count), kept in the page cache.

`cached_value(name, compute)` returns what `compute()` returned the last time, until anything
is published, unpublished, moved or deleted (the same invalidation as cached pages). For what
every page shows and costs queries to find, such as the case index link in the menu.
"""

import logging

from . import reads
from .backends import ALL, get_page_cache
from .breakers import log_failure

logger = logging.getLogger(__name__)


def value_digest(name):
    return f"value:{name}"


def cached_value(name, compute, request=None):
    """`compute()` (a str), kept in the page cache under `name` until the next publish.

    With `request`, taken from what the page cache read for its render (`reads`), if it did.
    """
    cache = get_page_cache()
    if cache is None:
        return compute()
    digest = value_digest(name)
    try:
        blob, generation = reads.lookup(cache, digest, request)
    except Exception as error:  # noqa: BLE001 - any cache failure computes the value
        log_failure(logger, "Page cache lookup failed", error)
        return compute()
    if blob is not None:
        return blob.decode()
    value = compute()
    try:
        cache.store(digest, value.encode(), [ALL], generation)
    except Exception as error:  # noqa: BLE001 - a failed store must not fail the request
        log_failure(logger, "Page cache store failed", error)
    return value
