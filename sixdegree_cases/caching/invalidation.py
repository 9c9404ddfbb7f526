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


def case_figures_changed(page_or_id, *, using=None):
    """A case's totals (or its named supporters) changed: its figures are rendered anew when
    the transaction commits, and no page is dropped (they show the figures through holes).

    The donations app's totals call it already (`signal_handlers`). Safe to call inside a
    transaction and more than once.
    """
    from .frontend import purge_case_later
    from .holes import refresh_figures

    refresh_figures(_page_id(page_or_id), using=using)
    purge_case_later(_page_id(page_or_id), using=using)


def invalidate_case(page_or_id, *, using=None):
    """What a case page shows changed in a way only a new render shows: drop its page, every
    page that lists cases, and its figures. Takes effect on commit.
    """
    invalidate_tags([page_tag(_page_id(page_or_id)), LISTS], using=using)
    case_figures_changed(page_or_id, using=using)


def invalidate_all(*, using=None):
    """Drop every cached page (publishing, moving or deleting pages, site changes)."""
    invalidate_tags([ALL], using=using)
