"""Progress everywhere (case page, index, home, API) and no donor's personal data anywhere public."""

from decimal import Decimal

import pytest
from payments import PaymentStatus

from home.models import FeaturedCase
from tests.factories import make_case_page

from .conftest import launch_date, make_donation

pytestmark = pytest.mark.django_db

ANON_EMAIL = "canary-anon-7731@example.org"
ANON_NAME = "Canary Anonymous 7731"
NAMED = "Ana from Porto"
NAMED_EMAIL = "canary-named-4410@example.org"


@pytest.fixture
def gifts(case):
    # An anonymous donor who nonetheless typed a name (kept out of public output).
    make_donation(
        case, "100.00", billing_email=ANON_EMAIL, display_name=ANON_NAME, anonymous=True
    ).change_status(PaymentStatus.CONFIRMED)
    make_donation(
        case, "50.00", billing_email=NAMED_EMAIL, display_name=NAMED, anonymous=False
    ).change_status(PaymentStatus.CONFIRMED)
    # A waiting named gift is not (yet) a supporter.
    make_donation(case, "25.00", display_name="Waiting Walter", anonymous=False)
    return case


def public_responses(client, case):
    urls = [
        "/",
        case.get_parent().url,
        case.url,
        f"/api/v2/pages/{case.pk}/?fields=*",
        "/api/v2/pages/?type=sixdegree_cases.SurvivorCasePage&fields=*",
        "/search/?query=Mawar",
        "/sitemap.xml",
    ]
    return {url: client.get(url, follow=True) for url in urls}


def test_no_donor_data_in_any_public_output(client, gifts):
    for url, response in public_responses(client, gifts).items():
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in (ANON_EMAIL, ANON_NAME, NAMED_EMAIL, "Waiting Walter"):
            assert secret not in body, (url, secret)


def test_named_supporters_are_listed_on_the_case_page(client, gifts):
    html = client.get(gifts.url).content.decode()
    assert NAMED in html
    assert "Supporters who chose to be named" in html


def test_the_case_page_shows_progress_and_the_form(client, gifts):
    html = client.get(gifts.url).content.decode()
    assert "<strong>150.00\N{NO-BREAK SPACE}USD</strong> raised of 1,500.00\N{NO-BREAK SPACE}USD" in html
    assert 'value="10"' in html  # the <progress> bar
    assert "2 donors" in html
    assert "1,350.00\N{NO-BREAK SPACE}USD</strong> still to raise" in html
    assert "Continue to payment" in html


def test_the_index_and_home_cards_show_progress(client, gifts):
    FeaturedCase.objects.create(page=gifts.get_parent().get_parent().specific, case=gifts)
    for url in (gifts.get_parent().url, "/"):
        html = client.get(url).content.decode()
        assert "data-donation-progress" in html, url
        assert "150.00\N{NO-BREAK SPACE}USD" in html, url


def test_fully_funded_is_said_everywhere(client, case_index):
    case = make_case_page(case_index, slug="funded", launch_date=launch_date(15))
    for amount in ["100.00"] * 12 + ["300.00"]:
        make_donation(case, amount).change_status(PaymentStatus.CONFIRMED)
    # The home page's default list shows only cases still taking gifts: a funded case appears
    # there when an editor features it.
    FeaturedCase.objects.create(page=case_index.get_parent().specific, case=case)
    headline = "Fully funded in 15 days by 13 donors"
    assert headline in client.get(case.url).content.decode()
    assert headline in client.get(case_index.url).content.decode()
    assert headline in client.get("/").content.decode()
    page_html = client.get(case.url).content.decode()
    assert "Continue to payment" not in page_html
    data = client.get(f"/api/v2/pages/{case.pk}/").json()
    assert (data["status"], data["funded_in_days"], data["donors"], data["percent"]) == (
        "fully_funded",
        15,
        13,
        100,
    )


def test_api_progress_fields(client, gifts):
    data = client.get(f"/api/v2/pages/{gifts.pk}/").json()
    assert {
        key: data[key] for key in ("raised", "target", "percent", "donors", "status", "funded_in_days")
    } == {
        "raised": "150.00",
        "target": "1500.00",
        "percent": 10,
        "donors": 2,
        "status": "funding",
        "funded_in_days": None,
    }


def test_progress_survives_an_unsaved_preview(case_index):
    """Wagtail's preview renders pages that have no primary key yet."""
    from django.template.loader import render_to_string

    from sixdegree_cases.models import SurvivorCasePage

    unsaved = SurvivorCasePage(title="Draft", pseudonym="X", funding_target=Decimal("100.00"), currency="USD")
    html = render_to_string("sixdegree_donations/includes/progress.html", {"case": unsaved})
    assert "0.00\N{NO-BREAK SPACE}USD" in html
    html = render_to_string("sixdegree_donations/includes/donate_form.html", {"case": unsaved})
    assert "<form" not in html
