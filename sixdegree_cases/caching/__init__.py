"""A full-page cache of anonymous page views that is never stale for long.

Anonymous GETs of case, index and home pages are answered from one pre-rendered entry (status,
headers and a gzip-compressed body) read with a single round trip to Redis, by
`middleware.PageCacheMiddleware`, which sits first in `MIDDLEWARE`. Entries are dropped when a
page is published, unpublished, moved or deleted, when consent is withdrawn, and when a
donation changes a case's totals, so the progress bar lags by the time a page takes to render.

For other apps:

- `invalidate_case(page_or_id)`: a case's figures changed (its page and every page listing
  cases are refreshed). Connected already to the donations' `CaseFunding` saves.
- `invalidate_all()`: anything else a page may show changed.

Both take effect when the current transaction commits, so a page rendered from the old data
can never be stored after them (see `backends` for the generation check).
"""

from .invalidation import invalidate_all, invalidate_case

__all__ = ["invalidate_all", "invalidate_case"]
