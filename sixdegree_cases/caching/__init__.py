"""A full-page cache of anonymous page views that is never stale for long.

Anonymous GETs of case, index and home pages are answered from one pre-rendered entry (status,
headers and a gzip-compressed body) read with a single round trip to Redis, by
`middleware.PageCacheMiddleware`, which sits first in `MIDDLEWARE`. Entries are dropped when a
page is published, unpublished, moved or deleted and when consent is withdrawn. A case's
funding figures are holes in the entries, filled when a page is served from figures that
each change of the case's totals renders anew (`holes`): a gift drops no page.

For other apps:

- `case_figures_changed(page_or_id)`: a case's totals or named supporters changed (its
  figures are rendered anew). Connected already to the donations' totals.
- `invalidate_case(page_or_id)`: a case page must be rendered anew (its page, every page
  listing cases and its figures are dropped).
- `invalidate_all()`: anything else a page may show changed.

Both take effect when the current transaction commits, so a page rendered from the old data
can never be stored after them (see `backends` for the generation check).
"""

from .invalidation import case_figures_changed, invalidate_all, invalidate_case

__all__ = ["case_figures_changed", "invalidate_all", "invalidate_case"]
