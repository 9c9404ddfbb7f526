"""A place label names the snapped place, its region or its country, nothing finer; a label the
site filled in follows the point when it moves."""

import pytest

from sixdegree_cases.blocks import MilestoneBlock
from sixdegree_cases.geo.snapping import snap
from sixdegree_cases.models import SurvivorCasePage
from tests.factories import make_case_page, milestone
from tests.privacy.helpers import findings_of

KAMPONG_THOM = {"lat": 12.71, "lng": 104.89}
SURABAYA = {"lat": -7.3, "lng": 112.7}
HANOI = {"lat": 21.03, "lng": 105.85}
SAVANNAKHET = {"lat": 16.55, "lng": 104.75}
VILLAGE = "Kampong Prasat village, 200 m past the pagoda"


def case_labelled(case_index, label, point=SURABAYA, precision="town"):
    story = [
        milestone(location=point, precision=precision, place_label=label),
        milestone("escape", location=SURABAYA),
    ]
    page = make_case_page(case_index, publish=False, story=story)
    return SurvivorCasePage.objects.get(pk=page.pk)


def clean(**value):
    block = MilestoneBlock()
    return block.clean(block.to_python(milestone(**value)[1]))


def test_a_label_that_names_a_village_and_a_landmark_blocks(case_index):
    page = case_labelled(case_index, VILLAGE, point=KAMPONG_THOM)
    (finding,) = findings_of(page, "locations")
    assert finding.severity == "block"
    assert (finding.where, finding.field) == ("Milestone 1 · place label", "story.0.place_label")
    assert "Prasat" not in finding.masked
    assert "pagoda" not in finding.masked


def test_a_label_naming_a_nearby_district_blocks(case_index):
    page = case_labelled(case_index, "Sidoarjo, East Java")
    assert [f.field for f in findings_of(page, "locations")] == ["story.0.place_label"]


@pytest.mark.parametrize(
    "label",
    [
        "Surabaya, Indonesia",
        "Surabaya",
        "East Java",
        "East Java Province, Indonesia",
        "Indonesia",
        "indonésie",  # French, any case, any accent
        "Indonesien",
        "インドネシア",
    ],
)
def test_labels_naming_the_place_its_region_or_country_pass(case_index, label):
    assert findings_of(case_labelled(case_index, label), "locations") == []


def test_a_country_label_may_use_the_countrys_common_name(case_index):
    page = case_labelled(case_index, "Laos", point=SAVANNAKHET, precision="country")
    assert findings_of(page, "locations") == []


def test_a_town_label_on_a_country_point_blocks(case_index):
    page = case_labelled(case_index, "Hanoi", point=HANOI, precision="country")
    assert [f.field for f in findings_of(page, "locations")] == ["story.0.place_label"]


def test_an_automatic_label_follows_the_point_when_it_moves():
    savannakhet = snap(SAVANNAKHET, "region")
    cleaned = clean(location=HANOI, precision="region", place_label=savannakhet.label)
    assert cleaned["place_label"] == snap(HANOI, "region").label


def test_an_automatic_town_label_follows_a_coarser_precision():
    cleaned = clean(location=SURABAYA, precision="country", place_label=snap(SURABAYA).label)
    assert cleaned["place_label"] == "Indonesia"


def test_an_automatic_label_that_still_names_the_place_is_kept():
    cleaned = clean(location=SURABAYA, precision="town", place_label="Indonesia")
    assert cleaned["place_label"] == "Indonesia"


def test_a_label_written_by_a_person_is_never_rewritten():
    # Kept as written (the editor sees it), and blocked by the locations check.
    assert clean(location=KAMPONG_THOM, place_label=VILLAGE)["place_label"] == VILLAGE


def test_a_label_may_say_where_in_the_country_without_naming_a_finer_place(case_index):
    bangkok = {"lat": 13.75, "lng": 100.5}
    page = case_labelled(case_index, "At sea, Gulf of Thailand", point=bangkok, precision="country")
    assert findings_of(page, "locations") == []


def test_generic_words_do_not_excuse_a_finer_name(case_index):
    page = case_labelled(case_index, "Near the pagoda, East Java")
    assert [f.field for f in findings_of(page, "locations")] == ["story.0.place_label"]


def test_without_cldr_only_the_gazetteers_names_pass(monkeypatch):
    """A broken dependency makes the check stricter, never laxer."""
    import sys

    from sixdegree_cases.geo import labels

    monkeypatch.setitem(sys.modules, "babel", None)
    labels.country_names.cache_clear()
    try:
        laos = snap(SAVANNAKHET, "country")
        assert not labels.names_place("Laos", laos)
        assert labels.names_place(laos.label, laos)
    finally:
        labels.country_names.cache_clear()


def test_coordinates_typed_into_the_label_block(case_index):
    page = case_labelled(case_index, "Surabaya -7.265432, 112.742198")
    assert [f.field for f in findings_of(page, "locations")] == ["story.0.place_label"]
