"""Site-wide template tags: the organisation's details, and a page's description and Open
Graph tags built from an allow-list of public fields."""

from django import template
from django.db import DatabaseError
from django.utils.html import strip_tags
from django.utils.text import Truncator

from ..models import OrganisationSettings
from ..organisation import defaults, organisation_for_default_site, organisation_for_request

register = template.Library()

DESCRIPTION_LENGTH = 200
# The only fields a page's description may come from, per page type, in order of preference.
# Never a case officer's note, consent, sensitive terms or any private record: only what the
# page itself shows every visitor.
DESCRIPTION_FIELDS = {
    "sixdegree_cases.survivorcasepage": ("search_description", "summary"),
    "sixdegree_cases.caseindexpage": ("search_description", "intro"),
    "home.homepage": ("search_description", "introduction"),
    "home.informationpage": ("search_description", "intro"),
}


@register.simple_tag(takes_context=True)
def organisation(context):
    """The organisation of the site serving this request, as pages show it (`organisation.
    Organisation`: defaults when none saved), kept per process while nothing changed."""
    request = context.get("request")
    try:
        if request is not None:
            return organisation_for_request(request)
        return organisation_for_default_site()
    except (DatabaseError, OrganisationSettings.DoesNotExist):
        # The error pages (500, and 503 while PostgreSQL is away) still render, with defaults;
        # so does the 404 of a host no site serves (Wagtail finds no settings for no site).
        return defaults()


def is_public_live(page, request):
    """A live page, served as itself (not a preview of a draft), with no view restriction."""
    if page is None or not getattr(page, "pk", None) or not getattr(page, "live", False):
        return False
    if request is not None and getattr(request, "is_preview", False):
        return False
    return not page.get_view_restrictions().exists()


@register.simple_tag(takes_context=True)
def page_meta(context):
    """Description, title and URL for `<meta>` and `og:` tags, or {} for a page that is not
    live and public (a draft's or a restricted page's text never reaches these tags)."""
    page = context.get("page")
    request = context.get("request")
    if not is_public_live(page, request):
        return {}
    label = page._meta.label_lower
    description = ""
    for field in DESCRIPTION_FIELDS.get(label, ("search_description",)):
        text = " ".join(strip_tags(str(getattr(page, field, "") or "")).split())
        if text:
            description = Truncator(text).chars(DESCRIPTION_LENGTH)
            break
    return {
        "title": page.seo_title or page.title,
        "description": description,
        "url": page.get_full_url(request),
        "type": "article" if label == "sixdegree_cases.survivorcasepage" else "website",
    }
