"""Regression tests for the 5xx the fuzz (test_fuzz.py) found: each input now gets a 4xx with a
message, and nothing is created."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from payments import PaymentStatus

from sixdegree_cases.donations.models import CaseFunding, Donation, ProviderEvent

from .conftest import checkout_event, make_donation, post_event, refund_event

pytestmark = pytest.mark.django_db

API = "/api/v2/donations/"
FRONT = "https://front.example"


@pytest.fixture(autouse=True)
def _front_end(settings):
    settings.SIXDEGREE_DONATION_ALLOWED_ORIGINS = [FRONT]


def start(client, body):
    return client.post(API, data=body, content_type="application/json", HTTP_ORIGIN=FRONT)


def gift(case, **extra):
    return json.dumps({"case": case.pk, "amount": "25", "currency": "USD", "email": "h@example.org", **extra})


# --- The giving API ---------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000])
def test_deeply_nested_json_is_refused(client, case, body):
    response = start(client, body)
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"] == ["Send a JSON object."]
    assert not Donation.objects.exists()


def test_a_return_url_too_long_to_store_is_refused_before_anything_is_created(client, case):
    response = start(client, gift(case, success_url=f"{FRONT}/{'p' * 460}"))
    assert response.status_code == 400
    assert "too long" in response.json()["errors"]["success_url"][0]
    assert not Donation.objects.exists()
    assert not CaseFunding.objects.filter(raised__gt=0).exists()


def test_the_longest_return_url_that_fits_is_kept_whole(client, case):
    from sixdegree_cases.donations.giving import RETURN_URL_MAX_LENGTH

    url = f"{FRONT}/" + "p" * (RETURN_URL_MAX_LENGTH - len(FRONT) - 1)
    response = start(client, gift(case, failure_url=url))
    assert response.status_code == 201, response.content
    assert Donation.objects.get().failure_url.startswith(url + "?donation=")


def test_a_return_url_with_an_unclosed_ipv6_host_is_refused(client, case):
    response = start(client, gift(case, success_url="http://[::1"))
    assert response.status_code == 400
    assert response.json()["errors"]["success_url"] == ["This address is not an allowed front-end origin."]
    assert not Donation.objects.exists()


# --- Donor registration -----------------------------------------------------------------------


def test_registering_an_address_longer_than_a_username_gets_a_message(client):
    email = "a" * 139 + "@example.org"  # 151 characters: a valid address, too long for a username
    response = client.post(
        reverse("sixdegree_donations:register"), {"email": email, "password": "a long pass 42"}
    )
    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert not get_user_model().objects.exists()


# --- Provider callbacks -----------------------------------------------------------------------


@pytest.fixture
def donation(case, stripe_variant):
    return make_donation(case, "50.00", variant=stripe_variant)


def assert_refused(response, donation):
    assert response.status_code == 400, response.content
    assert response.json()["error"]
    assert Donation.objects.get(pk=donation.pk).status == PaymentStatus.WAITING
    assert not ProviderEvent.objects.exists()


@pytest.mark.parametrize("body", ["[]", '"event"', "1", "null", "[" * 100_000 + "]" * 100_000])
def test_a_signed_body_that_is_not_an_event_object_is_refused(client, donation, body):
    assert_refused(post_event(client, None, body=body), donation)


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e.update(data=[]),
        lambda e: e["data"].update(object="cs_1"),
        lambda e: e.update(type=["checkout.session.completed"]),
        lambda e: e.update(id={"a": 1}),
        lambda e: e.update(id="evt_" + "x" * 300),
        lambda e: e["data"]["object"].update(client_reference_id="not-a-uuid", metadata={}),
        lambda e: e["data"]["object"].update(client_reference_id=None, metadata=["x"]),
        lambda e: e["data"]["object"].update(currency=840),
    ],
)
def test_a_signed_event_of_the_wrong_shape_is_refused(client, donation, change):
    event = checkout_event(donation)
    change(event)
    assert_refused(post_event(client, event), donation)


@pytest.mark.parametrize("refunded", ["5000", -1, True, 12.5, [5000]])
def test_a_refund_event_with_a_refunded_amount_that_is_not_a_count_is_refused(client, donation, refunded):
    donation.change_status(PaymentStatus.CONFIRMED)
    event = refund_event(donation)
    event["data"]["object"]["amount_refunded"] = refunded
    response = post_event(client, event)
    assert response.status_code == 400, response.content
    assert Donation.objects.get(pk=donation.pk).status == PaymentStatus.CONFIRMED
    assert CaseFunding.objects.get(case=donation.case).raised == donation.total


def test_a_webhook_to_a_provider_without_webhooks_is_404(client, case):
    response = client.post(
        reverse("static_process_payment", kwargs={"variant": "dummy"}),
        data="{}",
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["error"]


# --- A leftover donation ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [PaymentStatus.WAITING, PaymentStatus.INPUT])
def test_a_leftover_donation_of_a_removed_provider_gets_a_clear_page(client, case, settings, status):
    leftover = make_donation(case, "50.00", variant="dummy", status=status)
    settings.PAYMENT_VARIANTS = {"stripe": ("payments.dummy.DummyProvider", {})}  # "dummy" removed
    for method in (client.get, client.post):
        response = method(reverse("sixdegree_donations:pay", kwargs={"token": leftover.token}))
        assert response.status_code == 410
        page = response.content.decode()
        assert "This payment cannot be completed" in page
        assert "Nothing was charged" in page
        assert f"/donations/cases/{case.pk}/give/?amount=50.00" in page
    # Nothing changed: should the provider come back, the gift is still there to be settled.
    assert Donation.objects.get(pk=leftover.pk).status == status
    assert not CaseFunding.objects.filter(raised__gt=0).exists()


def test_the_callback_urls_mirror_django_payments_own():
    """`callbacks` replaces `payments.urls`: an upgrade that adds or moves a route shows here."""
    from payments import urls as payments_urls

    from sixdegree_cases.donations import callbacks

    def routes(patterns):
        return [(pattern.name, str(pattern.pattern)) for pattern in patterns]

    assert routes(callbacks.urlpatterns) == routes(payments_urls.urlpatterns)
