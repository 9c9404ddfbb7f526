"""Locations: every milestone sits at a snapped, coarse place, never at the point an editor picked."""

from django.utils.translation import gettext_lazy as _

from ...conf import get_setting
from ...geo.gazetteer import PRECISION_TOWN
from ...geo.labels import names_place
from ...geo.points import InvalidLocation, parse_point
from ...geo.snapping import current_gazetteer
from ..text import mask
from .base import PrivacyCheck


def rough(point):
    """The point to one decimal (about 10 km): enough to find it, not to pinpoint it."""
    return f"≈ {point.lat:.1f}, {point.lng:.1f}"


class LocationsCheck(PrivacyCheck):
    """Each milestone is at a town of at least the minimum population, a region or a country
    point, and its place label names that place, its region or its country: nothing finer."""

    id = "locations"
    label = _("Locations")
    cases_only = True
    updates_too = True

    def check(self, context):
        minimum = get_setting("SIXDEGREE_MIN_PLACE_POPULATION")
        gazetteer = current_gazetteer()
        findings = []
        for _number, milestone, path, value in context.milestones:
            where, field = f"{milestone} · {_('location')}", f"{path}.location"
            try:
                point = parse_point(value.get("location"))
            except InvalidLocation:
                findings.append(self.finding(where, field, "", _("The milestone has no location.")))
                continue
            place = gazetteer.find(point.lat, point.lng)
            if place is None:
                findings.append(
                    self.finding(
                        where,
                        field,
                        rough(point),
                        _(
                            "This point is not a snapped place: it may be where something happened. "
                            "Pick the location again so it is replaced by a town, region or country."
                        ),
                    )
                )
            elif place.precision == PRECISION_TOWN and place.population < minimum:
                findings.append(
                    self.finding(
                        where,
                        field,
                        place.label,
                        _("%(place)s has fewer than %(minimum)s people. Show the region instead.")
                        % {"place": place.label, "minimum": f"{minimum:,}"},
                    )
                )
            label = value.get("place_label") or ""
            if place is not None and label.strip() and not names_place(label, place):
                findings.append(
                    self.finding(
                        f"{milestone} · {_('place label')}",
                        f"{path}.place_label",
                        mask(label),
                        _(
                            "The place label must name only the milestone's place, its region or "
                            "its country (e.g. “%(place)s”). Empty it to use the place's name."
                        )
                        % {"place": place.label},
                    )
                )
        return findings
