"""The case-only checks: locations are snapped places, consent is current and covers the page,
funding adds up and the case officer's determination is recorded."""

import datetime
from decimal import Decimal

from django.utils import timezone

from sixdegree_cases.models import FundingItem
from sixdegree_cases.privacy.models import CaseWithdrawal
from tests.factories import milestone
from tests.privacy.helpers import findings_of, record_consent

SURABAYA = {"lat": -7.3, "lng": 112.7}


def with_locations(case, *locations):
    """Set milestone locations in memory, bypassing the snapping a save would do."""
    case.story = [milestone("recruitment", "Step", lat=0, lng=0) for _ in locations]
    for child, location in zip(case.story, locations, strict=True):
        child.value["location"] = location
    return case


# --- Locations ----------------------------------------------------------------------------


def test_saved_milestones_are_snapped_places(case):
    assert findings_of(case, "locations") == []


def test_a_point_that_is_not_a_snapped_place_blocks(case):
    snapped = case.story[0].value["location"]
    (finding,) = findings_of(with_locations(case, snapped, {"lat": -7.2575, "lng": 112.7521}), "locations")
    assert finding.severity == "block"
    assert (finding.where, finding.field) == ("Milestone 2 · location", "story.1.location")
    assert finding.masked == "≈ -7.3, 112.8"


def test_a_milestone_without_location_blocks(case):
    snapped = case.story[0].value["location"]
    (finding,) = findings_of(with_locations(case, snapped, None), "locations")
    assert "no location" in finding.message


def test_a_town_below_a_raised_minimum_population_blocks(case, settings):
    # Surabaya has ~2.4 million people: raise the minimum above that and the stored place no
    # longer counts as coarse enough.
    settings.SIXDEGREE_MIN_PLACE_POPULATION = 5_000_000
    assert findings_of(case, "locations") != []


def test_region_and_country_centres_pass(case):
    from sixdegree_cases.geo.snapping import snap

    region, country = snap(SURABAYA, "region"), snap(SURABAYA, "country")
    located = with_locations(
        case, {"lat": region.lat, "lng": region.lng}, {"lat": country.lat, "lng": country.lng}
    )
    assert findings_of(located, "locations") == []


# --- Consent ------------------------------------------------------------------------------


def test_no_consent_blocks(case_index):
    from tests.factories import make_case_page

    (finding,) = findings_of(make_case_page(case_index, slug="no-consent"), "consent")
    assert finding.severity == "block"
    assert "No consent" in finding.message


def test_withdrawn_consent_blocks(case):
    from sixdegree_cases.privacy.models import ConsentRecord

    ConsentRecord.objects.filter(case=case).update(withdrawn_at=timezone.now())
    (finding,) = findings_of(case, "consent")
    assert "No consent" in finding.message


def test_a_withdrawn_case_blocks_even_with_new_consent(case):
    CaseWithdrawal.objects.create(case=case)
    (finding,) = findings_of(case, "consent")
    assert "withdrawn" in finding.message


def test_consent_that_does_not_cover_the_map_blocks(case_index):
    from tests.factories import make_case_page

    page = make_case_page(case_index, slug="no-map")
    record_consent(page, scope_map=False)
    (finding,) = findings_of(page, "consent")
    assert finding.field == "consent.scope_map"
    assert "map" in finding.message


def test_the_newest_current_consent_counts(case):
    record_consent(case, given_on=datetime.date(2025, 1, 1), scope_amounts=False)
    assert [f.field for f in findings_of(case, "consent")] == ["consent.scope_amounts"]


def test_consent_is_read_from_the_case_when_checking_a_revision(case):
    from sixdegree_cases.privacy import check_page
    from sixdegree_cases.privacy.models import ConsentRecord

    revision = case.save_revision()
    assert not check_page(revision).blocking
    ConsentRecord.objects.filter(case=case).delete()
    assert [f.check for f in check_page(revision).findings] == ["consent"]


# --- Funding ------------------------------------------------------------------------------


def test_items_that_do_not_add_up_block(case):
    case.funding_target = Decimal("2000.00")
    (finding,) = findings_of(case, "funding")
    assert finding.field == "funding_target"
    assert "add up to 1,500.00" in finding.message


def test_a_case_without_items_blocks(case):
    FundingItem.objects.filter(page=case).delete()
    assert [f.field for f in findings_of(case, "funding")] == ["funding_target"]


def test_a_missing_case_officer_determination_blocks(case):
    case.case_officer_reference = "  "
    (finding,) = findings_of(case, "funding")
    assert finding.field == "case_officer_reference"
