"""Settings read by the plugin, each with a safe default.

A host site overrides any of them in its Django settings; nothing here imports the host project.
"""

from django.conf import settings

DEFAULTS = {
    # Snapped locations are populated places of at least this many people.
    "SIXDEGREE_MIN_PLACE_POPULATION": 50_000,
    # Empty means the basemap is drawn from the site's own Natural Earth country shapes.
    "SIXDEGREE_TILE_URL": "",
    "SIXDEGREE_TILE_ATTRIBUTION": "",
    # Static paths (relative to STATIC_URL) of the map assets the host site serves itself.
    "SIXDEGREE_LEAFLET_JS": "vendor/leaflet/leaflet.js",
    "SIXDEGREE_LEAFLET_CSS": "vendor/leaflet/leaflet.css",
    "SIXDEGREE_TOPOJSON_JS": "vendor/topojson-client/topojson-client.min.js",
    "SIXDEGREE_BASEMAP": "vendor/world-atlas/countries-110m.json",
    # Cases listed per page of a case index.
    "SIXDEGREE_CASES_PER_PAGE": 12,
}


def get_setting(name):
    """Return the Sixdegree setting `name`, falling back to its safe default."""
    return getattr(settings, name, DEFAULTS[name])
