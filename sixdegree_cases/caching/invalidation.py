"""Dropping cached pages when what they show changes, once the change is committed.

Invalidating inside the transaction would let a request that still sees the old data render
and store it again; after the commit, the generation check in `backends` makes that impossible.
"""

import logging

from django.db import transaction

from .backends import ALL, LISTS, get_page_cache, page_tag

logger = logging.getLogger(__name__)


def _page_id(page_or_id):
    return getattr(page_or_id, "pk", page_or_id)


def invalidate_tags(tags, *, using=None):
    """Drop every cached page listed in `tags` when the current transaction commits."""
    cache = get_page_cache()
    if cache is None:
        return
    tags = list(tags)

    def drop():
        try:
            cache.invalidate(tags)
        except Exception:
            # Entries expire after TIMEOUT at most; a failed invalidation must not fail the
            # editor's publish or the provider's callback.
            logger.exception("Page cache invalidation failed for %s", tags)

    transaction.on_commit(drop, using=using)


def invalidate_case(page_or_id, *, using=None):
    """A case's figures or story changed: drop its page and every page that lists cases.

    Call it from any code that changes what a case page shows without publishing (the
    donations app's totals call it through a `post_save` handler already). Safe to call
    inside a transaction: it takes effect on commit.
    """
    invalidate_tags([page_tag(_page_id(page_or_id)), LISTS], using=using)
    from .frontend import purge_case_later

    purge_case_later(_page_id(page_or_id), using=using)


def invalidate_all(*, using=None):
    """Drop every cached page (publishing, moving or deleting pages, site changes)."""
    invalidate_tags([ALL], using=using)
