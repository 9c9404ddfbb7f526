"""What a page render reads from the page cache, read in one round trip before it renders.

A case page rendered outside the page cache reads its kept story and funding blocks
(`{% page_fragment %}`), the menu's case index link (`values.cached_value`) and its figures
entry (`holes.kept_figures`): four round trips to Redis, one after the other. The
`before_serve_page` hook reads them all with one MGET (`prefetch`); each reader then takes its
value from the request (`lookup`, `lookup_figures`) and asks Redis only for what was not read.
"""

import logging

from .backends import text_value
from .breakers import log_failure

logger = logging.getLogger(__name__)

ATTRIBUTE = "_sixdegree_page_cache_reads"


def prefetch(request, cache, digests=(), figures=()):
    """Read the entries `digests` and the figures entries `figures` ((case_id, kind, language))
    for this request's render, with the generation, in one round trip."""
    keys = [cache.entry_key(digest) for digest in digests] + [cache.generation_key]
    for case_id, kind, language in figures:
        keys += [cache.figures_key(case_id, kind, language), cache.figures_version_key(case_id)]
    try:
        values = cache.read_keys(keys)
    except Exception as error:  # noqa: BLE001 - any cache failure reads as a miss
        log_failure(logger, "Page cache lookup failed", error)
        return
    setattr(request, ATTRIBUTE, dict(zip(keys, values, strict=True)))


def _taken(request, keys):
    reads = getattr(request, ATTRIBUTE, None) if request is not None else None
    if reads is None or not all(key in reads for key in keys):
        return None
    # Read once: a second reader (after a store) asks Redis again.
    return [reads.pop(key) if key != keys[-1] else reads[key] for key in keys]


def lookup(cache, digest, request=None):
    """`cache.lookup(digest)`, from what `prefetch` read for `request` when it read it."""
    taken = _taken(request, [cache.entry_key(digest), cache.generation_key])
    if taken is None:
        return cache.lookup(digest)
    return taken[0], text_value(taken[1])


def lookup_figures(cache, case_id, kind, language, request=None):
    """`cache.lookup_figures(...)`, from what `prefetch` read for `request` when it read it."""
    keys = [
        cache.figures_key(case_id, kind, language),
        cache.generation_key,
        cache.figures_version_key(case_id),
    ]
    taken = _taken(request, [keys[0], keys[2], keys[1]])
    if taken is None:
        return cache.lookup_figures(case_id, kind, language)
    return taken[0], text_value(taken[2]), text_value(taken[1])
