"""Parse the shapes wagtailgeowidget produces into one: a point with float `lat` and `lng`.

wagtailgeowidget stores either a dict or the string ``"SRID=4326;POINT(lng lat)"`` and raises
TypeError on empty or garbage values. Everything here raises `InvalidLocation` (a ValueError)
instead, so callers can turn it into a validation message.
"""

import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

POINT_PATTERN = re.compile(
    r"^\s*SRID=(?P<srid>\d+)\s*;\s*POINT\s*\(\s*(?P<lng>\S+)\s+(?P<lat>\S+)\s*\)\s*$",
    re.IGNORECASE,
)
WGS84 = 4326


class InvalidLocation(ValueError):
    """The value cannot be read as a point on Earth."""


@dataclass(frozen=True)
class Point:
    lat: float
    lng: float

    def as_dict(self):
        return {"lat": self.lat, "lng": self.lng}

    def as_ewkt(self):
        """The string wagtailgeowidget's editor reads and writes."""
        return f"SRID={WGS84};POINT({self.lng:.5f} {self.lat:.5f})"


def _coordinate(raw, name, limit):
    if isinstance(raw, bool):
        raise InvalidLocation(_("The %(name)s is not a number.") % {"name": name})
    try:
        number = float(raw)
    except (TypeError, ValueError) as error:
        raise InvalidLocation(_("The %(name)s is not a number.") % {"name": name}) from error
    if not math.isfinite(number) or abs(number) > limit:
        raise InvalidLocation(
            _("The %(name)s must be between -%(limit)s and %(limit)s.") % {"name": name, "limit": limit}
        )
    return number


def parse_point(value):
    """Return a `Point` from a dict or an EWKT string; raise `InvalidLocation` otherwise."""
    if value is None or value == "" or value == {}:
        raise InvalidLocation(_("Choose a location on the map."))
    if isinstance(value, Point):
        return value
    if isinstance(value, dict):
        if "lat" not in value or "lng" not in value:
            raise InvalidLocation(_("The location needs a latitude and a longitude."))
        srid = value.get("srid", WGS84)
        lat, lng = value["lat"], value["lng"]
    elif isinstance(value, str):
        match = POINT_PATTERN.match(value)
        if not match:
            raise InvalidLocation(_("The location is not a point (expected SRID=4326;POINT(lng lat))."))
        srid, lat, lng = match["srid"], match["lat"], match["lng"]
    else:
        raise InvalidLocation(_("The location is not a point."))
    try:
        srid = int(srid)
    except (TypeError, ValueError) as error:
        raise InvalidLocation(_("The location's spatial reference is not a number.")) from error
    if srid != WGS84:
        raise InvalidLocation(_("Locations must use WGS 84 (SRID 4326)."))
    return Point(lat=_coordinate(lat, _("latitude"), 90), lng=_coordinate(lng, _("longitude"), 180))
