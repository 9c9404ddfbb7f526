"""Preview storage holds snapped points only.

Wagtail keeps the form data of every admin preview (`wagtail.admin.models.FormState`, the
POST body URL-encoded) for a day, whatever the model. The form snaps a milestone's point when
it is cleaned, but the stored body is the raw POST: the picked point, to the metre. Every
point in that body is snapped before the row is written, with the precision the editor chose
for its milestone (the town rule when there is none).
"""

import re

from django.http import QueryDict

from .gazetteer import PRECISION_TOWN
from .points import InvalidLocation, Point
from .snapping import PRECISIONS, snap

# Any EWKT point inside a value, JSON included: not only whole values.
EWKT_POINT = re.compile(r"SRID=\s*[^;&\s]*\s*;\s*POINT\s*\([^)]*\)", re.IGNORECASE)
LOCATION_SUFFIX = "location"


def _precision_for(data, key):
    if key.endswith(LOCATION_SUFFIX):
        precision = data.get(key[: -len(LOCATION_SUFFIX)] + "precision")
        if precision in PRECISIONS:
            return precision
    return PRECISION_TOWN


def _snapped_text(text, precision):
    def replace(match):
        try:
            place = snap(match.group(0), precision)
        except InvalidLocation:
            # Not a point that can be read (and so snapped): nothing of it is kept.
            return ""
        return Point(lat=place.lat, lng=place.lng).as_ewkt()

    return EWKT_POINT.sub(replace, text)


def snap_form_data(encoded):
    """The URL-encoded form data `encoded` with every point in it snapped."""
    if not encoded or "POINT" not in encoded.upper():
        return encoded
    data = QueryDict(encoded, mutable=True)
    for key in list(data.keys()):
        precision = _precision_for(data, key)
        data.setlist(key, [_snapped_text(value, precision) for value in data.getlist(key)])
    return data.urlencode()


def snap_form_state(sender, instance, **kwargs):
    """`pre_save` receiver of Wagtail's FormState: the stored preview data holds no exact point."""
    instance.data = snap_form_data(instance.data)
