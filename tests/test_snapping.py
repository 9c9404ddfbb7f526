"""Locations: a precise point in, a coarse populated place out; bad values are refused."""

import pytest
from django.db import connection
from django.test import override_settings

from sixdegree_cases.blocks import MilestoneBlock
from sixdegree_cases.geo.gazetteer import get_gazetteer
from sixdegree_cases.geo.points import InvalidLocation, parse_point
from sixdegree_cases.geo.snapping import snap
from sixdegree_cases.models import SurvivorCasePage
from tests.factories import make_case_page, milestone

# A street corner in Surabaya, to the metre.
PRECISE = {"lat": -7.265432, "lng": 112.742198}


def test_precise_point_snaps_to_a_large_town():
    place = snap(PRECISE)
    assert (place.lat, place.lng) == (-7.2492, 112.7508)
    assert place.label == "Surabaya, Indonesia"
    assert place.population >= 50_000


def test_both_widget_shapes_give_the_same_place():
    ewkt = f"SRID=4326;POINT({PRECISE['lng']} {PRECISE['lat']})"
    as_strings = {"lat": str(PRECISE["lat"]), "lng": str(PRECISE["lng"]), "srid": "4326"}
    assert snap(ewkt) == snap(PRECISE) == snap(as_strings)


def test_same_input_same_output_and_snapping_is_stable():
    first = snap(PRECISE)
    assert all(snap(PRECISE) == first for _ in range(5))
    assert snap({"lat": first.lat, "lng": first.lng}) == first


@override_settings(SIXDEGREE_MIN_PLACE_POPULATION=1_000_000)
def test_population_threshold_comes_from_settings():
    # A small town near Surabaya still snaps to a city of at least a million people.
    place = snap({"lat": -7.45, "lng": 112.72})
    assert place.population >= 1_000_000


@pytest.mark.parametrize("precision", ["region", "country"])
def test_coarser_precisions_are_centres_and_stable(precision):
    place = snap({"lat": 0.1, "lng": 109.4}, precision)
    assert place.precision == precision
    assert snap({"lat": place.lat, "lng": place.lng}, precision) == place
    assert get_gazetteer(50_000).find(place.lat, place.lng) == place


def test_region_and_country_labels():
    assert snap({"lat": 0.1, "lng": 109.4}, "region").label == "West Kalimantan, Indonesia"
    assert snap({"lat": 0.1, "lng": 109.4}, "country").label == "Indonesia"


def test_a_precise_point_is_not_a_known_place():
    assert get_gazetteer(50_000).find(PRECISE["lat"], PRECISE["lng"]) is None


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        {},
        "garbage",
        {"lat": "x", "lng": 1},
        {"lat": 1},
        "SRID=4326;POINT(1)",
        {"lat": 91, "lng": 0},
        {"lat": float("nan"), "lng": 0},
        ["1", "2"],
        True,
        "SRID=4326;POINT(1e400 2)",
    ],
)
def test_bad_values_raise_invalid_location(value):
    with pytest.raises(InvalidLocation):
        parse_point(value)


def test_block_clean_snaps_and_fills_the_label():
    block = MilestoneBlock()
    value = block.to_python(milestone(location=PRECISE)[1])
    cleaned = block.clean(value)
    assert cleaned["location"] == {"lat": -7.2492, "lng": 112.7508}
    assert cleaned["place_label"] == "Surabaya, Indonesia"


def test_editor_label_is_kept():
    block = MilestoneBlock()
    cleaned = block.clean(block.to_python(milestone(location=PRECISE, place_label="East Java")[1]))
    assert cleaned["place_label"] == "East Java"


def test_no_exact_point_reaches_the_database_or_revisions(case_index):
    page = make_case_page(
        case_index, story=[milestone(location=PRECISE), milestone("escape", location=PRECISE)]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT story::text FROM sixdegree_cases_survivorcasepage WHERE page_ptr_id = %s", [page.pk]
        )
        raw = cursor.fetchone()[0]
    assert "265432" not in str(raw)
    assert "742198" not in str(raw)
    revision_content = str(page.latest_revision.content)
    assert "265432" not in revision_content
    assert "742198" not in revision_content
    assert '"lat": -7.2492' in revision_content.replace("'", '"')


def test_stored_garbage_renders_without_a_location(case_index):
    page = make_case_page(case_index)
    SurvivorCasePage.objects.filter(pk=page.pk).update(
        story=[{"type": "milestone", "value": {**milestone()[1], "location": "garbage"}, "id": "x"}]
        + [{"type": "milestone", "value": milestone()[1], "id": "y"}]
    )
    page = SurvivorCasePage.objects.get(pk=page.pk)
    assert page.milestones[0]["lat"] is None
    assert page.milestones[1]["lat"] is not None
