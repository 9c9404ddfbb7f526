"""The editor's place search and "Shown as" preview, from the offline gazetteer only.

Typing "Surabaya" in the milestone picker must not ask a geocoder on another host (each query
would tell it which place a survivor's story is about), so the search runs over the gazetteer
snapping uses: towns of the population rule, regions and countries, each at the very point the
public map would show it. The preview runs the same snapping and labelling the save does.
"""

from dataclasses import asdict, dataclass
from functools import lru_cache

from ..privacy.text import folded
from .gazetteer import PRECISION_COUNTRY, PRECISION_REGION, PRECISION_TOWN
from .labels import needs_automatic_label
from .snapping import PRECISIONS, current_gazetteer, snap

MAX_RESULTS = 10
MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 100
KIND_ORDER = {PRECISION_COUNTRY: 0, PRECISION_REGION: 1, PRECISION_TOWN: 2}


@dataclass(frozen=True)
class PlaceResult:
    """A place the editor can pick: its public label, point and the precision to show it at."""

    label: str
    lat: float
    lng: float
    precision: str


@lru_cache(maxsize=4)
def _index(gazetteer):
    """(folded name, folded words of the label, rank, result) for every pickable place."""
    entries = []
    for town in gazetteer._towns:
        # A town's own point, as the town rule stores it (it snaps to itself).
        result = PlaceResult(
            label=f"{town['city']}, {gazetteer.country_name(town['country_code'])}",
            lat=round(town["latitude"], 4),
            lng=round(town["longitude"], 4),
            precision=PRECISION_TOWN,
        )
        entries.append((town["city"], result, -town["population"]))
    for place in gazetteer._centres.values():
        name = place.names[0] if place.names else place.label
        result = PlaceResult(label=place.label, lat=place.lat, lng=place.lng, precision=place.precision)
        entries.append((name, result, 0))
    index = []
    for name, result, population in entries:
        index.append(
            (folded(name), folded(result.label).split(), (KIND_ORDER[result.precision], population), result)
        )
    # Two towns of one name at one point (GeoNames lists a few twice) are one result.
    unique = {(entry[3].label, entry[3].lat, entry[3].lng, entry[3].precision): entry for entry in index}
    return list(unique.values())


def search_places(query, limit=MAX_RESULTS):
    """Places whose label has a word starting with each word of `query`; exact names first,
    then names starting with the query, then countries, regions and towns (largest first)."""
    words = folded(query or "").split()
    if not words or len(" ".join(words)) < MIN_QUERY_LENGTH:
        return []
    whole = " ".join(words)
    matches = []
    for name, label_words, rank, result in _index(current_gazetteer()):
        if all(any(label_word.startswith(word) for label_word in label_words) for word in words):
            closeness = 0 if name == whole else 1 if name.startswith(whole) else 2
            matches.append(((closeness, *rank, result.label), result))
    matches.sort(key=lambda match: match[0])
    return [asdict(result) for _key, result in matches[:limit]]


def shown_as(point, precision, place_label=""):
    """What the public will see for a milestone at `point`: the snapped place and its label.

    Raises `InvalidLocation` when `point` cannot be read. An unknown precision is the town
    rule, as on save.
    """
    precision = precision if precision in PRECISIONS else PRECISION_TOWN
    place = snap(point, precision)
    label = place.label if needs_automatic_label(place_label, place) else place_label.strip()
    return {"label": label, "place": place.label, "lat": place.lat, "lng": place.lng, "precision": precision}
