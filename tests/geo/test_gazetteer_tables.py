"""The region and country points are built for all regions at once: the same points, in the
same order, as the rules give one region at a time (a stored place must re-snap to itself)."""

import pytest

from sixdegree_cases.geo.gazetteer import (
    PRECISION_COUNTRY,
    PRECISION_REGION,
    Gazetteer,
    _centre,
    get_gazetteer,
)


def one_by_one(gazetteer):
    """The table as each region's and country's rule gives it, with no shared work."""

    def coarse_point(members):
        lat, lng = _centre(gazetteer._all_vectors[members])
        if gazetteer.is_clear(lat, lng):
            return lat, lng
        towns = [
            gazetteer._all[i] for i in members if gazetteer._all[i]["population"] >= gazetteer.min_population
        ]
        if not towns:
            return None
        largest = max(towns, key=lambda p: (p["population"], p["latitude"], p["longitude"]))
        return round(largest["latitude"], 4), round(largest["longitude"], 4)

    regions, countries = gazetteer._members
    table = {}
    for (code, state), members in regions.items():
        point = coarse_point(members)
        if point is not None:
            table[(PRECISION_REGION, *point)] = (state, code)
    for code, members in countries.items():
        point = coarse_point(members) or _centre(gazetteer._all_vectors[members])
        table[(PRECISION_COUNTRY, *point)] = (None, code)
    return table


@pytest.mark.parametrize(("minimum", "clearance_km"), [(50_000, 5.0), (50_000, 0.0), (15_000, 25.0)])
def test_every_region_and_country_point_is_the_one_its_rule_gives(minimum, clearance_km):
    gazetteer = (
        get_gazetteer(minimum, clearance_km) if clearance_km == 5.0 else Gazetteer(minimum, clearance_km)
    )
    built = {
        key: (place.names[0] if place.precision == PRECISION_REGION else None, place.country_code)
        for key, place in gazetteer._centres.items()
    }
    assert list(built.items()) == list(one_by_one(gazetteer).items())


def test_a_region_and_a_country_found_one_at_a_time_are_those_of_the_table():
    gazetteer = get_gazetteer(50_000)
    for key, place in list(gazetteer._centres.items())[::97]:
        found = gazetteer.region if key[0] == PRECISION_REGION else gazetteer.country
        assert found(place.lat, place.lng) == place
