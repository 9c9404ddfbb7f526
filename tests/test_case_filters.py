"""Filters of the case list: a few allowed values, anything else redirected away."""

import datetime

import pytest
from payments import PaymentStatus

from sixdegree_cases.models import SurvivorCasePage
from tests.donations.conftest import make_donation
from tests.factories import make_case_page

pytestmark = pytest.mark.django_db


def pseudonyms(response):
    return [case.pseudonym for case in response.context["cases"]]


def day(n):
    return datetime.date(2024, 1, n)


@pytest.fixture
def cases(case_index):
    made = {
        "Ana": make_case_page(
            case_index, slug="ana", pseudonym="Ana", origin="Indonesia", launch_date=day(3)
        ),
        "Bopha": make_case_page(
            case_index, slug="bopha", pseudonym="Bopha", origin="Cambodia", launch_date=day(5)
        ),
        "Chai": make_case_page(
            case_index, slug="chai", pseudonym="Chai", origin="Cambodia", launch_date=day(1)
        ),
        "Dara": make_case_page(
            case_index, slug="dara", pseudonym="Dara", origin="Cambodia", launch_date=None
        ),
    }
    # Ana: 80 % raised (nearly funded); Chai: fully funded; Bopha: 10 %.
    make_donation(made["Ana"], "1200.00").change_status(PaymentStatus.CONFIRMED)
    make_donation(made["Chai"], "1500.00").change_status(PaymentStatus.CONFIRMED)
    make_donation(made["Bopha"], "150.00").change_status(PaymentStatus.CONFIRMED)
    return made


def test_newest_first_and_a_case_without_a_launch_date_sorts_by_when_it_went_live(client, case_index, cases):
    # Dara has no launch date: it went live today, so it is the newest.
    assert pseudonyms(client.get(case_index.url)) == ["Dara", "Bopha", "Ana", "Chai"]
    assert pseudonyms(client.get(case_index.url, {"sort": "oldest"})) == ["Chai", "Ana", "Bopha", "Dara"]


def test_a_case_without_a_launch_date_sorts_among_the_others(client, case_index, cases):
    SurvivorCasePage.objects.filter(pk=cases["Dara"].pk).update(
        first_published_at=datetime.datetime(2024, 1, 4, tzinfo=datetime.UTC)
    )
    assert pseudonyms(client.get(case_index.url)) == ["Bopha", "Dara", "Ana", "Chai"]


def test_filter_by_country_of_origin(client, case_index, cases):
    response = client.get(case_index.url, {"origin": "cambodia"})
    assert pseudonyms(response) == ["Dara", "Bopha", "Chai"]
    html = response.content.decode()
    assert '<option value="cambodia" selected>Cambodia</option>' in html
    assert '<option value="indonesia">Indonesia</option>' in html


def test_a_region_counts_as_its_country(client, case_index, cases):
    make_case_page(case_index, slug="eka", pseudonym="Eka", origin="Indonesia", launch_date=day(2))
    response = client.get(case_index.url, {"origin": "indonesia"})
    assert pseudonyms(response) == ["Ana", "Eka"]
    assert response.content.decode().count(">Indonesia</option>") == 1


def test_nearly_funded(client, case_index, cases):
    assert pseudonyms(client.get(case_index.url, {"funding": "nearly"})) == ["Ana"]
    response = client.get(case_index.url, {"funding": "nearly", "origin": "cambodia"})
    assert pseudonyms(response) == []
    assert "No story matches these filters." in response.content.decode()


@pytest.mark.parametrize(
    ("params", "location"),
    [
        ({"origin": "atlantis"}, ""),
        ({"origin": "x" * 5000}, ""),
        ({"funding": "all"}, ""),
        ({"sort": "-pk"}, ""),
        ({"sort": "oldest", "origin": "<script>"}, "?sort=oldest"),
        ({"origin": ["cambodia", "indonesia"]}, ""),
        ({"origin": "cambodia", "funding": "almost"}, "?origin=cambodia"),
    ],
)
def test_a_value_that_is_not_allowed_is_redirected_away(client, case_index, cases, params, location):
    response = client.get(case_index.url, params)
    assert response.status_code == 302
    assert response["Location"] == case_index.url + location


def test_origins_of_drafts_and_restricted_cases_are_not_offered(client, case_index, cases):
    from wagtail.models import PageViewRestriction

    make_case_page(case_index, slug="draft", publish=False, origin="Secretland")
    private = make_case_page(case_index, slug="private", origin="Hiddenland")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    html = client.get(case_index.url).content.decode()
    assert "Secretland" not in html
    assert "Hiddenland" not in html
    assert client.get(case_index.url, {"origin": "hiddenland"}).status_code == 302


def test_pagination_keeps_the_filters(client, case_index, cases, settings):
    settings.SIXDEGREE_CASES_PER_PAGE = 2
    html = client.get(case_index.url, {"origin": "cambodia", "sort": "oldest"}).content.decode()
    assert 'href="?origin=cambodia&amp;sort=oldest&amp;page=2"' in html
