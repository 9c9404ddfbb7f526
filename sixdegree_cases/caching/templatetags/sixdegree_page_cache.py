import logging

from django import template
from django.conf import settings
from django.template.backends.utils import csrf_input
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .. import reads
from ..backends import ALL, fragment_tag, get_page_cache
from ..holes import MARKER_PREFIX, hole_or_figures

logger = logging.getLogger(__name__)
register = template.Library()


@register.simple_tag(takes_context=True)
def csrf_token_for_sessions(context):
    """The CSRF hidden input, for requests that carry a session cookie only.

    Anonymous visitors get none, so the page sets no cookie and can be cached; the view
    (decorated with `sixdegree_cases.caching.csrf.session_csrf_protect`) checks their
    request's origin instead.
    """
    request = context.get("request")
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return ""
    return csrf_input(request)


def fragment_digest(name, page_id, revision_id, language):
    return f"fragment:{name}:{page_id}:{revision_id}:{language}"


class PageFragmentNode(template.Node):
    def __init__(self, nodelist, page, name):
        self.nodelist = nodelist
        self.page = page
        self.name = name

    def render(self, context):
        page = self.page.resolve(context)
        name = self.name.resolve(context)
        request = context.get("request")
        cache = get_page_cache()
        revision = getattr(page, "live_revision_id", None)
        if (
            cache is None
            or request is None
            or getattr(request, "is_preview", False)
            or not (page.pk and revision)
        ):
            return self.nodelist.render(context)
        digest = fragment_digest(name, page.pk, revision, get_language())
        try:
            blob, generation = reads.lookup(cache, digest, request)
        except Exception:
            logger.warning("Page cache lookup failed", exc_info=True)
            return self.nodelist.render(context)
        if blob is not None:
            return mark_safe(blob.decode())  # noqa: S308 - HTML this template rendered itself
        html = self.nodelist.render(context)
        if MARKER_PREFIX in html:
            # A figures hole belongs to this render only: a block holding one is not kept.
            return html
        try:
            cache.store(digest, html.encode(), [ALL, fragment_tag(page.pk)], generation)
        except Exception:
            logger.warning("Page cache store failed", exc_info=True)
        return html


@register.tag
def page_fragment(parser, token):
    """Keep the rendered block of a live page's published content, e.g. its story:

        {% page_fragment page "story" %}…{% endpage_fragment %}

    Kept per page, live revision and language, in the page cache; dropped when anything is
    published or unpublished (a new revision is a new key anyway) and when consent is
    withdrawn — not when a donation arrives, so re-rendering a case after a gift re-renders
    only what the gift changed. Previews and drafts are always rendered. The block must not
    depend on the request (no form, no CSRF token, no user).
    """
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a page and a fragment name")
    nodelist = parser.parse(("endpage_fragment",))
    parser.delete_first_token()
    return PageFragmentNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))


@register.simple_tag(takes_context=True)
def figures_hole(context, kind, case):
    """A case's funding figures, which change with every gift: `{% figures_hole "progress" case %}`
    (its progress bar) or `{% figures_hole "donation" page %}` (progress, donate form and named
    supporters).

    In a render that goes to the page cache this is a hole, filled each time the page is
    served from the case's current figures (`sixdegree_cases.caching.holes`); otherwise the
    block itself. The block is rendered with `case` and `page` only.
    """
    return hole_or_figures(context, kind, case)
