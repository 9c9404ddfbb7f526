"""A region point is never more precise than the town rule: never within a few km of a place
smaller than SIXDEGREE_MIN_PLACE_POPULATION (else the region's largest town, else the country)."""

import math

import numpy as np
import pytest
from django.test import override_settings
from scipy.spatial import cKDTree

from sixdegree_cases.geo.gazetteer import get_gazetteer
from sixdegree_cases.geo.snapping import snap

MINIMUM = 50_000
CLEARANCE_KM = 5


def _vectors(lats, lngs):
    lat, lng = np.radians(np.asarray(lats, dtype=float)), np.radians(np.asarray(lngs, dtype=float))
    return np.column_stack((np.cos(lat) * np.cos(lng), np.cos(lat) * np.sin(lng), np.sin(lat)))


@pytest.fixture(scope="module")
def places():
    """Every place of the gazetteer's data, and a tree to find the nearest one."""
    everything = get_gazetteer(MINIMUM)._all
    tree = cKDTree(_vectors([p["latitude"] for p in everything], [p["longitude"] for p in everything]))
    return everything, tree


def nearest(places, lat, lng):
    everything, tree = places
    chord, index = tree.query(_vectors([lat], [lng])[0])
    return everything[int(index)], 2 * 6371 * math.asin(min(chord / 2, 1))


def one_member_per_region(places):
    seen = {}
    for place in places[0]:
        if place.get("state"):
            seen.setdefault((place["country_code"], place["state"]), place)
    return seen


def test_no_region_point_reads_as_a_small_place(places):
    # A country with no town of MINIMUM people (Andorra, Nauru, the Faroes: 35 of them, each
    # under about a degree across) is shown at its centre: nothing is coarser than a country.
    largest = {}
    for place in places[0]:
        code = place["country_code"]
        largest[code] = max(largest.get(code, 0), place["population"])
    offenders = []
    for member in one_member_per_region(places).values():
        region = snap({"lat": member["latitude"], "lng": member["longitude"]}, "region")
        near, km = nearest(places, region.lat, region.lng)
        tiny_country = region.precision == "country" and largest[region.country_code] < MINIMUM
        if near["population"] < MINIMUM and km <= CLEARANCE_KM and not tiny_country:
            offenders.append((region.label, near["city"], near["population"], round(km, 1)))
    assert offenders == []


def test_a_region_whose_only_place_is_a_small_town_is_shown_as_its_country(places):
    regions = {}
    for place in places[0]:
        if place.get("state"):
            regions.setdefault((place["country_code"], place["state"]), []).append(place)
    lonely = next(
        members[0]
        for members in regions.values()
        if len(members) == 1 and 1_000 < members[0]["population"] < MINIMUM
    )
    point = {"lat": lonely["latitude"], "lng": lonely["longitude"]}
    place = snap(point, "region")
    assert place == snap(point, "country")
    assert place.precision == "country"


def test_a_region_with_a_clear_centre_keeps_it():
    place = snap({"lat": 0.1, "lng": 109.4}, "region")
    assert (place.label, place.precision) == ("West Kalimantan, Indonesia", "region")
    assert get_gazetteer(MINIMUM, CLEARANCE_KM).is_clear(place.lat, place.lng)


def test_region_points_are_stable():
    place = snap({"lat": 16.55, "lng": 104.75}, "region")
    assert snap({"lat": place.lat, "lng": place.lng}, "region") == place
    assert get_gazetteer(MINIMUM, CLEARANCE_KM).find(place.lat, place.lng) is not None


@override_settings(SIXDEGREE_PLACE_CLEARANCE_KM=20_000)
def test_the_clearance_comes_from_settings():
    # No centre is clear of every small place on Earth: a region is its largest town, or the country.
    place = snap({"lat": 0.1, "lng": 109.4}, "region")
    gazetteer = get_gazetteer(MINIMUM, 20_000)
    assert not gazetteer.is_clear(-0.0029, 109.7988)
    assert place.precision in ("region", "country")
    found = gazetteer.find(place.lat, place.lng)
    assert found is not None
    assert found.population >= MINIMUM or found.precision == "country"
