"""Small values computed from published pages (a menu link, a count), kept in the page cache.

`cached_value(name, compute)` returns what `compute()` returned the last time, until anything
is published, unpublished, moved or deleted (the same invalidation as cached pages). For what
every page shows and costs queries to find, such as the case index link in the menu.
"""

import logging

from .backends import ALL, get_page_cache

logger = logging.getLogger(__name__)


def cached_value(name, compute):
    """`compute()` (a str), kept in the page cache under `name` until the next publish."""
    cache = get_page_cache()
    if cache is None:
        return compute()
    digest = f"value:{name}"
    try:
        blob, generation = cache.lookup(digest)
    except Exception:
        logger.warning("Page cache lookup failed", exc_info=True)
        return compute()
    if blob is not None:
        return blob.decode()
    value = compute()
    try:
        cache.store(digest, value.encode(), [ALL], generation)
    except Exception:
        logger.warning("Page cache store failed", exc_info=True)
    return value
