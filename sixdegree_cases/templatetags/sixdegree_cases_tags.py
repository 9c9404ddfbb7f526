"""Template tags of the public site: map assets and configuration, stage icons, money, nav.

Everything a template needs from Python goes through here so that templates never hard-code an
asset path or a URL: the map assets come from the `SIXDEGREE_*` settings (served by the site
itself), and the story map's configuration is handed to the browser as JSON data, not code.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.templatetags.static import static
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from wagtail.models import Site

from ..blocks import Stage
from ..caching.values import cached_value
from ..conf import get_setting
from ..geo.widgets import map_options
from ..models import CaseIndexPage
from ..stage_icons import inline_icon

register = template.Library()

# Template names of the map assets, and the settings that say where each one is served from.
MAP_ASSET_SETTINGS = {
    "leaflet_js": "SIXDEGREE_LEAFLET_JS",
    "leaflet_css": "SIXDEGREE_LEAFLET_CSS",
    "topojson_js": "SIXDEGREE_TOPOJSON_JS",
    "basemap": "SIXDEGREE_BASEMAP",
}
STAGES = list(Stage.values)


@register.simple_tag
def map_assets():
    """Static URLs of Leaflet, topojson-client and the basemap, as the settings name them."""
    return {key: static(get_setting(name)) for key, name in MAP_ASSET_SETTINGS.items()}


@register.inclusion_tag("sixdegree_cases/includes/map_assets.html")
def sixdegree_map_assets():
    """The story map's stylesheets and scripts (`{% sixdegree_map_assets %}`), from the site itself.

    The story map's template loads them itself, so a host's base template needs no block for them.
    """
    return {"assets": map_assets()}


@register.simple_tag
def stage_icon(stage):
    """A stage's icon as inline SVG (no request); unknown stages get none rather than a broken image."""
    return mark_safe(inline_icon(stage))  # noqa: S308 - the plugin's own icon files, not input


@register.simple_tag
def stage_icon_templates(milestones):
    """One `<template data-stage-icon>` per stage of `milestones`: story-map.js copies the icon
    of a marker or a card from them, so no icon is fetched."""
    stages = sorted({milestone.get("stage") for milestone in milestones} & set(STAGES))
    return format_html_join(
        "", '<template data-stage-icon="{}">{}</template>', ((stage, stage_icon(stage)) for stage in stages)
    )


@register.filter
def stage_label(stage):
    """The translated label of a stage value ("exploitation" → "Exploitation")."""
    return Stage.label_of(stage)


@register.simple_tag
def story_map_config():
    """What story-map.js needs besides the milestones: basemap and UI strings.

    Rendered with `json_script`, so the page carries data only and a strict CSP stays possible.
    The strings are translated here because the script has no translation catalogue.
    """
    return {
        **map_options(),
        "strings": {
            # "Milestone 2: Exploitation — Six years without pay"
            "markerLabel": gettext("Milestone %(number)s: %(stage)s — %(title)s"),
            # "2 of 5"
            "position": gettext("%(number)s of %(total)s"),
            # Milestones sharing one marker, listed under the current one.
            "samePlace": gettext("At this place"),
            "link": gettext("Link to this step"),
            # Tap-to-interact on touch screens: one finger scrolls the page until then.
            "touchStart": gettext("Tap to move the map"),
            "touchDone": gettext("Done moving the map"),
        },
    }


@register.filter
def money(amount, currency):
    """An amount with its currency code, grouped per the active locale: "1,500.00 USD"."""
    if amount is None or amount == "":
        return ""
    return f"{floatformat(amount, '2g')}\N{NO-BREAK SPACE}{currency}"


@register.simple_tag(takes_context=True)
def case_index_url(context):
    """The URL of the current site's case index (live and public), or "" when there is none."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return ""

    def find():
        index = CaseIndexPage.objects.live().public().descendant_of(site.root_page, inclusive=True).first()
        return index.get_url(request) if index else ""

    # Three queries on every page's menu otherwise; kept until anything is published.
    return cached_value(case_index_value_name(site), find, request)


def case_index_value_name(site):
    return f"case-index-url:{site.pk}"
