from django.conf import settings
from django.utils import translation
from wagtail import hooks

from . import reads
from .backends import get_page_cache

# The `{% page_fragment %}` blocks a page type's template keeps (read before it renders).
FRAGMENTS = {"sixdegree_cases.survivorcasepage": ("story", "funding")}


@hooks.register("before_serve_page")
def remember_served_page(page, request, serve_args, serve_kwargs):
    """Tell the page cache which page this response shows (its tags and whether to store)."""
    pending = getattr(request, "_sixdegree_page_cache", None)
    if pending is not None:
        pending.page = page


@hooks.register("before_serve_page")
def read_what_the_render_needs(page, request, serve_args, serve_kwargs):
    """Read the page's kept blocks, the menu's case index link and, for a render that is not
    going to the page cache, its figures, in one round trip (`reads`)."""
    cache = get_page_cache()
    if cache is None or getattr(request, "is_preview", False) or request.method != "GET":
        return
    from wagtail.models import Site

    from ..templatetags.sixdegree_cases_tags import case_index_value_name
    from .templatetags.sixdegree_page_cache import fragment_digest
    from .values import value_digest

    language = translation.get_language() or settings.LANGUAGE_CODE
    digests = []
    site = Site.find_for_request(request)
    if site is not None:
        digests.append(value_digest(case_index_value_name(site)))
    revision = getattr(page, "live_revision_id", None)
    if revision:
        for name in FRAGMENTS.get(page._meta.label_lower, ()):
            digests.append(fragment_digest(name, page.pk, revision, language))
    figures = []
    anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
    if page._meta.label_lower in FRAGMENTS and anonymous and not hasattr(request, "_sixdegree_page_cache"):
        figures.append((page.pk, "donation", language))
    reads.prefetch(request, cache, digests, figures)
