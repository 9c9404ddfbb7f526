"""The production settings, plus the benchmark's floor views (bench/urls.py).

Nothing else changes: the servers measured run exactly what a deployment runs.
"""

from sixdegree_site.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The floors are not pages: they must not pay for a page cache lookup.
SIXDEGREE_PAGE_CACHE = {
    **SIXDEGREE_PAGE_CACHE,
    "SKIP_PATHS": [*SIXDEGREE_PAGE_CACHE["SKIP_PATHS"], "/bench/"],
}
