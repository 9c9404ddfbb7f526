"""Snap an editor's point to a coarse place before anything is stored.

The same input always gives the same output: a deterministic snap cannot be averaged away the
way random noise drawn per request can.
"""

from ..conf import get_setting
from .gazetteer import PRECISION_COUNTRY, PRECISION_REGION, PRECISION_TOWN, get_gazetteer
from .points import parse_point

PRECISIONS = (PRECISION_TOWN, PRECISION_REGION, PRECISION_COUNTRY)


def current_gazetteer():
    """The gazetteer for this site's settings (minimum population, clearance around small places)."""
    return get_gazetteer(
        get_setting("SIXDEGREE_MIN_PLACE_POPULATION"), float(get_setting("SIXDEGREE_PLACE_CLEARANCE_KM"))
    )


def snap(value, precision=PRECISION_TOWN):
    """Return the `Place` to store for `value` (any shape `parse_point` reads).

    An unknown precision is read as the town rule, the finest one allowed. Raises
    `InvalidLocation` for a value that is not a point.
    """
    point = parse_point(value)
    gazetteer = current_gazetteer()
    if precision == PRECISION_COUNTRY:
        return gazetteer.country(point.lat, point.lng)
    if precision == PRECISION_REGION:
        return gazetteer.region(point.lat, point.lng)
    return gazetteer.nearest_town(point.lat, point.lng)
