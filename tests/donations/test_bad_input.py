"""Bad input gets a clear message and starts or confirms nothing."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from payments import PaymentStatus

from sixdegree_cases.donations.models import Donation
from tests.factories import make_case_page

from .conftest import make_donation

pytestmark = pytest.mark.django_db


def donate_url(case_id):
    return reverse("sixdegree_donations:donate", kwargs={"case_id": case_id})


def give(client, case, **data):
    payload = {"amount": "50", "currency": case.currency, "email": "giver@example.org", "anonymous": "on"}
    payload.update(data)
    return client.post(donate_url(case.pk), payload)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("abc", "Enter the amount as a number"),
        ("12,5x", "Enter the amount as a number"),
        ("1e3", "Enter the amount as a number"),
        ("NaN", "Enter the amount as a number"),
        ("-10", "The amount must be more than zero"),
        ("0", "The amount must be more than zero"),
        ("0.00", "The amount must be more than zero"),
        ("10.555", "Use at most two decimal places"),
        ("4.99", "The smallest gift is 5.00\N{NO-BREAK SPACE}USD"),
        ("1500.01", "Only 1,500.00\N{NO-BREAK SPACE}USD remains to be raised"),
        ("", "Choose or enter an amount"),
    ],
)
def test_bad_amounts(client, case, amount, message):
    response = give(client, case, amount=amount)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Donation.objects.exists()


def test_the_remaining_amount_is_the_ceiling(client, case):
    make_donation(case, "1490.00").change_status(PaymentStatus.CONFIRMED)
    response = give(client, case, amount="11")
    assert response.status_code == 400
    assert "Only 10.00\N{NO-BREAK SPACE}USD remains" in response.content.decode()
    # Below the minimum is fine when it completes the target.
    assert give(client, case, amount="5").status_code == 302


def test_the_last_few_can_be_given_even_below_the_minimum(client, case):
    make_donation(case, "1497.00").change_status(PaymentStatus.CONFIRMED)
    assert give(client, case, amount="3").status_code == 302


def test_another_currency_is_refused(client, case):
    response = give(client, case, currency="EUR")
    assert response.status_code == 400
    assert "Donations to this case are in USD" in response.content.decode()
    assert not Donation.objects.exists()


def test_the_minimum_is_a_setting(client, case, settings):
    settings.SIXDEGREE_MIN_DONATION = "20"
    response = give(client, case, amount="19")
    assert "The smallest gift is 20.00" in response.content.decode()


def test_whole_amounts_only_in_zero_decimal_currencies(client, case_index):
    case = make_case_page(case_index, currency="JPY", items=[("shelter", "Rent", Decimal("50000.00"))])
    response = give(client, case, amount="100.50")
    assert "Amounts in JPY are whole numbers" in response.content.decode()


def test_a_missing_email_is_refused(client, case):
    response = give(client, case, email="")
    assert response.status_code == 400
    assert not Donation.objects.exists()


def test_a_draft_case_is_not_open(client, case_index):
    draft = make_case_page(case_index, publish=False, slug="draft-case")
    response = give(client, draft)
    assert response.status_code == 404
    assert "This case is not open for donations" in response.content.decode()
    assert not Donation.objects.exists()


def test_an_unpublished_case_is_not_open(client, case):
    case.unpublish()
    response = give(client, case)
    assert response.status_code == 404
    assert not Donation.objects.exists()


@pytest.mark.parametrize("case_id", ["999999", "abc", "1;DROP", "-1"])
def test_a_tampered_case_id(client, case, case_id):
    response = client.post(donate_url(case_id), {"amount": "50", "currency": "USD", "email": "a@example.org"})
    assert response.status_code == 404
    assert "This case is not open for donations" in response.content.decode()
    assert not Donation.objects.exists()


def test_a_page_that_is_not_a_case(client, case, home):
    response = client.post(donate_url(home.pk), {"amount": "50", "currency": "USD", "email": "a@example.org"})
    assert response.status_code == 404
    assert not Donation.objects.exists()


def test_a_fully_funded_case_is_closed(client, case):
    make_donation(case, "1500.00").change_status(PaymentStatus.CONFIRMED)
    response = give(client, case, amount="10")
    assert response.status_code == 409
    assert "fully funded" in response.content.decode()
    assert Donation.objects.count() == 1
    # And the case page says so instead of showing the form.
    page = client.get(case.url).content.decode()
    assert "Fully funded in 15 days by 1 donor" in page
    assert "Continue to payment" not in page


def test_the_donate_endpoint_is_rate_limited_per_client(client, case, settings):
    settings.SIXDEGREE_DONATION_RATE_LIMIT = 3
    for _ in range(3):
        assert give(client, case, amount="50").status_code == 302
    response = give(client, case, amount="50")
    assert response.status_code == 429
    assert "Too many donation attempts" in response.content.decode()
    assert Donation.objects.count() == 3
    # Once used up, even a mistyped form is refused before it is read.
    assert give(client, case, amount="abc").status_code == 429
    # Another client is not affected.
    data = {"amount": "50", "currency": "USD", "email": "a@example.org", "anonymous": "on"}
    assert client.post(donate_url(case.pk), data, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_failed_validations_do_not_use_up_the_rate_limit(client, case, settings):
    settings.SIXDEGREE_DONATION_RATE_LIMIT = 2
    for amount in ("abc", "-1", "10.555", "4.99", "", "1e3"):
        assert give(client, case, amount=amount).status_code == 400
    assert give(client, case, email="not an address").status_code == 400
    assert give(client, case, amount="50").status_code == 302
    assert give(client, case, amount="50").status_code == 302
    assert give(client, case, amount="50").status_code == 429
    assert Donation.objects.count() == 2


def test_the_rate_limit_reads_the_proxy_header_when_configured(client, case, settings):
    settings.SIXDEGREE_DONATION_RATE_LIMIT = 1
    settings.SIXDEGREE_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.SIXDEGREE_TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's address
    url = donate_url(case.pk)
    data = {"amount": "50", "currency": "USD", "email": "a@example.org", "anonymous": "on"}
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 302
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 302


def test_a_cross_site_post_is_refused(case):
    """The case page's form has no CSRF token (the page is cached): the origin is checked."""
    client = Client(enforce_csrf_checks=True)
    data = {"amount": "50", "currency": "USD", "email": "a@example.org", "anonymous": "on"}
    response = client.post(donate_url(case.pk), data, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    response = client.post(donate_url(case.pk), data, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    assert not Donation.objects.exists()
    assert client.post(donate_url(case.pk), data, HTTP_ORIGIN="http://testserver").status_code == 302


def test_the_case_page_with_its_form_sets_no_cookie(client, case):
    """So the page cache can keep it: no per-visitor CSRF token for anonymous visitors."""
    response = client.get(case.url)
    assert "Continue to payment" in response.content.decode()
    assert not response.cookies
