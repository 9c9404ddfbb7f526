"""The editor's map widget: wagtailgeowidget's Leaflet field, with nothing loaded from elsewhere.

wagtailgeowidget loads Leaflet from unpkg and tiles from OpenStreetMap; each request would tell
a third party which place a survivor's story is about. This widget serves Leaflet from the
site's static files and draws the basemap from the site's own country shapes (or the
deployment's own tile server). No address field is attached, so no geocoder runs either.
"""

from django import forms
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from wagtail.admin.telepath import register
from wagtailgeowidget.widgets import LeafletField, LeafletFieldAdapter

from ..conf import get_setting
from .basemap import bands_config


def labels_url():
    """The folder the basemap's name cells are served under ("…/labels/", the browser adds
    "band/x/y.json"), or "" when the host site has not included the plugin's URLs (the map is
    then drawn without them)."""
    try:
        cell = reverse("sixdegree_cases:basemap_label_cell", kwargs={"band": 0, "x": 0, "y": 0})
    except NoReverseMatch:
        return ""
    return cell.removesuffix("0/0/0.json")


def map_options():
    """Options every map of the site shares: basemap source, place names and tiles (if any)."""
    return {
        "basemapUrl": static(get_setting("SIXDEGREE_BASEMAP")),
        # Only with the site's own basemap: a deployment's tiles carry their own names.
        "labelsUrl": "" if get_setting("SIXDEGREE_TILE_URL") else labels_url(),
        # The grid of the name cells: [[first zoom of the band, cell side in degrees], …].
        "labelBands": bands_config(),
        "tileLayer": get_setting("SIXDEGREE_TILE_URL"),
        "tileLayerOptions": {"attribution": get_setting("SIXDEGREE_TILE_ATTRIBUTION")},
    }


class PrivateLeafletField(LeafletField):
    """A Leaflet point picker whose assets and basemap all come from this site."""

    @cached_property
    def media(self):
        return forms.Media(
            css={
                "all": (
                    get_setting("SIXDEGREE_LEAFLET_CSS"),
                    "wagtailgeowidget/css/leaflet-field.css",
                    "sixdegree_cases/css/basemap-labels.css",
                    "sixdegree_cases/css/admin-map.css",
                )
            },
            js=(
                get_setting("SIXDEGREE_LEAFLET_JS"),
                get_setting("SIXDEGREE_TOPOJSON_JS"),
                "wagtailgeowidget/js/leaflet-field.js",
                "wagtailgeowidget/js/leaflet-field-controller.js",
                "sixdegree_cases/js/basemap-labels.js",
                "sixdegree_cases/js/basemap.js",
                "sixdegree_cases/js/admin-map.js",
            ),
        )

    def render(self, name, value, attrs=None, renderer=None):
        """wagtailgeowidget's markup, with a label for its lat/lng input (it ships none, so a
        screen reader announced an unnamed text field)."""
        html = super().render(name, value, attrs, renderer)
        latlng = format_html('<div class="input"><input id="{}_latlng"', attrs["id"])
        label = format_html(
            '<label class="w-field__label sixdegree-latlng-label" for="{}_latlng">{}</label>',
            attrs["id"],
            gettext("Point (latitude, longitude)"),
        )
        # Should wagtailgeowidget's markup change, the form still renders (the editor's
        # accessibility test then fails and says so) rather than the editor refusing to open.
        return mark_safe(html.replace(latlng, label + latlng, 1))  # noqa: S308 - both escaped above


class PrivateLeafletFieldAdapter(LeafletFieldAdapter):
    js_constructor = "wagtailgewidget.widgets.LeafletFieldAdapter"

    def js_args(self, widget):
        args = super().js_args(widget)
        args[-1] = {
            **args[-1],
            **map_options(),
            # Where the map opens is not a location: a milestone submitted with it unmoved was
            # never located. admin-map.js leaves the field empty until the editor picks a point.
            "unpickedLocation": args[-1].get("defaultLocation"),
            "unpickedPlaceholder": gettext(
                "Search for a place, click the map, drag the marker or type a point (latitude, longitude)"
            ),
            # The offline gazetteer's search and the "Shown as" preview (geo/admin_views.py).
            "placeSearchUrl": reverse("sixdegree_places:search"),
            "placePreviewUrl": reverse("sixdegree_places:preview"),
            "pickerStrings": {
                "search": gettext("Find a town, region or country"),
                "searchHelp": gettext("From the site's own list of places: nothing is sent elsewhere."),
                "noResults": gettext("No place of that name."),
                "shownAs": gettext("Shown as: %(label)s"),
                "notPicked": gettext("Shown as: nothing yet. Pick a place."),
            },
        }
        return args


register(PrivateLeafletFieldAdapter(), PrivateLeafletField)
