"""Page-type rules and the validation messages editors see in the admin."""

from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import Page

from home.models import HomePage
from sixdegree_cases.models import CaseIndexPage, CaseUpdate, SurvivorCasePage
from tests.admin_forms import case_form_data, milestone_form
from tests.factories import make_case_page


@pytest.mark.django_db
def test_case_pages_live_only_under_a_case_index():
    assert SurvivorCasePage.can_create_at(CaseIndexPage())
    assert not SurvivorCasePage.can_create_at(HomePage())
    assert not SurvivorCasePage.can_create_at(Page())
    assert CaseIndexPage.allowed_subpage_models() == [SurvivorCasePage]
    # Below a case: only its updates (what happened next).
    assert SurvivorCasePage.allowed_subpage_models() == [CaseUpdate]


@pytest.fixture
def admin_client(client, django_user_model, case_index):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def add_case(admin_client, case_index, data):
    url = reverse("wagtailadmin_pages:add", args=("sixdegree_cases", "survivorcasepage", case_index.pk))
    return admin_client.post(url, data)


def test_valid_case_is_saved_with_snapped_locations(admin_client, case_index):
    response = add_case(admin_client, case_index, case_form_data())
    assert response.status_code == 302, response.context["form"].errors
    page = SurvivorCasePage.objects.get(slug="her-story")
    revision = page.latest_revision.as_object()
    assert revision.story[0].value["location"] == {"lat": -7.2492, "lng": 112.7508}
    assert revision.story[0].value["place_label"] == "Surabaya, Indonesia"


def errors_of(response):
    assert response.status_code == 200
    return response.content.decode()


def test_funding_items_must_add_up_to_the_target(admin_client, case_index):
    data = case_form_data(items=[{"category": "shelter", "description": "Rent", "amount": "1000.00"}])
    html = errors_of(add_case(admin_client, case_index, data))
    assert "The funding items add up to 1,000.00 but the target is 1,500.00" in html
    assert not SurvivorCasePage.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5.00", "Amounts must be positive."),
        ("0", "Amounts must be positive."),
        ("10.005", "Ensure that there are no more than 2 decimal places."),
        ("ten", "Enter a number."),
    ],
)
def test_amounts_are_positive_with_two_decimals(admin_client, case_index, amount, message):
    data = case_form_data(
        items=[{"category": "shelter", "description": "Rent", "amount": amount}], funding_target=amount
    )
    html = errors_of(add_case(admin_client, case_index, data))
    assert message in html
    assert not SurvivorCasePage.objects.exists()


def test_unknown_currency_is_refused(admin_client, case_index):
    html = errors_of(add_case(admin_client, case_index, case_form_data(currency="XYZ")))
    assert "is not an ISO 4217 currency code" in html


def test_at_least_two_milestones(admin_client, case_index):
    html = errors_of(add_case(admin_client, case_index, case_form_data(milestones=[milestone_form()])))
    assert "Tell the story in at least two milestones." in html
    assert not SurvivorCasePage.objects.exists()


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("", "Choose a location on the map."),
        ("garbage", "The location is not a point"),
        ("SRID=4326;POINT(abc def)", "The latitude is not a number."),
        ("SRID=4326;POINT(200 10)", "The longitude must be between -180 and 180."),
        ("SRID=3857;POINT(1 2)", "Locations must use WGS 84 (SRID 4326)."),
    ],
)
def test_every_milestone_needs_a_valid_location(admin_client, case_index, location, message):
    milestones = [milestone_form(), milestone_form("escape", location=location)]
    response = add_case(admin_client, case_index, case_form_data(milestones=milestones))
    html = errors_of(response)
    assert "The page could not be created due to validation errors" in html
    # Block errors reach the editor through the StreamField's JSON error payload.
    assert message in html.replace("\\u0027", "'")
    assert not SurvivorCasePage.objects.exists()


def test_exact_dates_are_refused_in_periods(admin_client, case_index):
    milestones = [milestone_form(period="12 March 2015"), milestone_form("escape")]
    html = errors_of(add_case(admin_client, case_index, case_form_data(milestones=milestones)))
    assert "Use an approximate period, not an exact date." in html


def test_model_validation_checks_funding_sum(case_index):
    page = make_case_page(case_index, publish=False)
    page.funding_target = Decimal("99.00")
    with pytest.raises(Exception, match="add up to 1,500.00"):
        page.full_clean()
