"""Stripe webhooks, signed locally with a test secret (HMAC-SHA256); nothing goes to Stripe."""

import json
import time
from decimal import Decimal
from unittest import mock

import pytest
import stripe
from django.core import mail
from payments import PaymentStatus, RedirectNeeded

from sixdegree_cases.donations.models import CaseFunding, Donation, ProviderEvent
from sixdegree_cases.donations.progress import progress_for
from sixdegree_cases.models import SurvivorCasePage

from .conftest import checkout_event, make_donation, post_event, refund_event, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def donation(case, stripe_variant):
    return make_donation(case, "50.00", variant=stripe_variant, billing_email="stripe-donor@example.org")


def raised(case):
    return progress_for(SurvivorCasePage.objects.get(pk=case.pk)).raised


def status_of(donation):
    return Donation.objects.get(pk=donation.pk).status


def test_a_signed_completed_session_confirms_the_donation(
    client, case, donation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, checkout_event(donation))
    assert response.status_code == 200, response.content
    assert status_of(donation) == PaymentStatus.CONFIRMED
    assert raised(case) == Decimal("50.00")
    assert len(mail.outbox) == 1


def test_only_ids_of_the_session_are_kept(client, donation):
    post_event(client, checkout_event(donation))
    stored = Donation.objects.get(pk=donation.pk).extra_data
    assert "cs_test_a1" in stored
    assert "Card Holder" not in stored
    assert "customer_details" not in stored


def test_a_repeated_event_changes_nothing(client, case, donation, django_capture_on_commit_callbacks):
    event = checkout_event(donation)
    with django_capture_on_commit_callbacks(execute=True):
        first = post_event(client, event)
        second = post_event(client, event)
    assert first.status_code == 200
    # Stripe redelivers an event it thinks was lost; it wants a 2xx, and nothing changes.
    assert second.status_code == 200
    assert second.json()["status"] == "duplicate"
    assert raised(case) == Decimal("50.00")
    assert ProviderEvent.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_second_event_confirming_the_same_gift_counts_it_once(client, case, donation):
    post_event(client, checkout_event(donation, event_id="evt_a"))
    post_event(
        client,
        checkout_event(donation, event_id="evt_b", event_type="checkout.session.async_payment_succeeded"),
    )
    assert raised(case) == Decimal("50.00")
    assert CaseFunding.objects.get(case_id=case.pk).donors == 1


def test_a_signature_older_than_300_seconds_is_refused(client, case, donation):
    response = post_event(client, checkout_event(donation), timestamp=time.time() - 301)
    assert response.status_code == 400
    assert "tolerance" in response.json()["error"].lower()
    assert status_of(donation) == PaymentStatus.WAITING
    assert raised(case) == Decimal("0.00")


def test_a_signature_within_300_seconds_is_accepted(client, donation):
    response = post_event(client, checkout_event(donation), timestamp=time.time() - 250)
    assert response.status_code == 200


def test_a_forged_signature_is_refused(client, case, donation):
    response = post_event(client, checkout_event(donation), secret="whsec_someone_else")
    assert response.status_code == 400
    assert status_of(donation) == PaymentStatus.WAITING
    assert raised(case) == Decimal("0.00")


def test_a_tampered_body_is_refused(client, case, donation):
    genuine = checkout_event(donation, payment_status="unpaid")
    body = json.dumps(genuine)
    header = sign(body)
    tampered = body.replace('"unpaid"', '"paid"')
    response = post_event(client, None, body=tampered, header=header)
    assert response.status_code == 400
    assert status_of(donation) == PaymentStatus.WAITING
    assert raised(case) == Decimal("0.00")


def test_a_missing_signature_is_refused(client, donation):
    response = post_event(client, checkout_event(donation), header="")
    assert response.status_code == 400
    assert status_of(donation) == PaymentStatus.WAITING


def test_a_garbled_signature_header_is_refused(client, donation):
    response = post_event(client, checkout_event(donation), header="nonsense")
    assert response.status_code == 400


def test_invalid_json_is_refused(client, donation):
    body = "{not json"
    response = post_event(client, None, body=body)
    assert response.status_code == 400


def test_an_amount_mismatch_confirms_nothing(client, case, donation):
    response = post_event(client, checkout_event(donation, amount_total=100))
    assert response.status_code == 400
    assert "Amount" in response.json()["error"]
    assert status_of(donation) == PaymentStatus.WAITING
    assert raised(case) == Decimal("0.00")
    assert not ProviderEvent.objects.exists()


def test_a_currency_mismatch_confirms_nothing(client, case, donation):
    response = post_event(client, checkout_event(donation, currency="EUR"))
    assert response.status_code == 400
    assert "Currency" in response.json()["error"]
    assert status_of(donation) == PaymentStatus.WAITING


def test_an_event_for_an_unknown_donation_is_404(client, donation):
    event = checkout_event(donation)
    event["data"]["object"]["client_reference_id"] = "00000000-0000-4000-8000-000000000000"
    event["data"]["object"]["metadata"] = {}
    assert post_event(client, event).status_code == 404


def test_an_event_for_another_donation_url_is_refused(client, case, donation):
    other = make_donation(case, "50.00", variant="stripe")
    body = json.dumps(checkout_event(donation))
    response = client.post(
        other.get_process_url(),
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body),
    )
    assert response.status_code == 400
    assert status_of(other) == PaymentStatus.WAITING
    assert status_of(donation) == PaymentStatus.WAITING


def test_an_unhandled_event_type_is_refused(client, donation):
    event = checkout_event(donation, event_type="customer.created")
    assert post_event(client, event).status_code == 400


def test_an_unpaid_completed_session_waits(client, case, donation):
    response = post_event(client, checkout_event(donation, payment_status="unpaid"))
    assert response.status_code == 200
    assert status_of(donation) == PaymentStatus.WAITING
    assert raised(case) == Decimal("0.00")


def test_a_late_expiry_never_undoes_a_confirmation(client, case, donation):
    post_event(client, checkout_event(donation, event_id="evt_paid"))
    expired = checkout_event(
        donation,
        event_id="evt_expired",
        event_type="checkout.session.expired",
        payment_status="unpaid",
        session_status="expired",
    )
    assert post_event(client, expired).status_code == 200
    failed = checkout_event(
        donation, event_id="evt_failed", event_type="checkout.session.async_payment_failed"
    )
    assert post_event(client, failed).status_code == 200
    assert status_of(donation) == PaymentStatus.CONFIRMED
    assert raised(case) == Decimal("50.00")


def test_an_expired_session_rejects_a_waiting_donation(client, donation):
    expired = checkout_event(
        donation, event_type="checkout.session.expired", payment_status="unpaid", session_status="expired"
    )
    post_event(client, expired)
    assert status_of(donation) == PaymentStatus.REJECTED


def test_a_refund_lowers_the_totals(client, case, donation):
    post_event(client, checkout_event(donation))
    assert raised(case) == Decimal("50.00")
    assert post_event(client, refund_event(donation)).status_code == 200
    assert status_of(donation) == PaymentStatus.REFUNDED
    assert raised(case) == Decimal("0.00")


def test_a_partial_refund_lowers_the_totals_by_its_amount(client, case, donation):
    post_event(client, checkout_event(donation))
    post_event(client, refund_event(donation, amount_refunded=2000))
    assert status_of(donation) == PaymentStatus.CONFIRMED
    assert raised(case) == Decimal("30.00")


def test_a_refund_before_the_confirmation_is_never_counted(client, case, donation):
    assert post_event(client, refund_event(donation)).status_code == 200
    assert post_event(client, checkout_event(donation)).status_code == 200
    assert status_of(donation) == PaymentStatus.REFUNDED
    assert raised(case) == Decimal("0.00")
    assert progress_for(SurvivorCasePage.objects.get(pk=case.pk)).donors == 0


def test_a_refund_with_another_charge_amount_is_refused(client, case, donation):
    post_event(client, checkout_event(donation))
    response = post_event(client, refund_event(donation, amount=999999))
    assert response.status_code == 400
    assert raised(case) == Decimal("50.00")


def test_the_checkout_session_carries_the_token_and_no_name(case, stripe_variant):
    """Creating the session is the one network call: Stripe's client is replaced here."""
    donation = make_donation(case, "25.00", variant=stripe_variant, billing_email="a@example.org")
    donation.success_url = "https://site.example/donations/x/thanks/"
    donation.save()
    session = {
        "id": "cs_test_new",
        "url": "https://checkout.stripe.com/c/pay/cs_test_new",
        "payment_intent": None,
    }
    with mock.patch.object(stripe.checkout.Session, "create", return_value=session) as create:
        with pytest.raises(RedirectNeeded) as redirect:
            donation.get_form()
    assert str(redirect.value) == session["url"]
    sent = create.call_args.kwargs
    assert sent["client_reference_id"] == str(donation.token)
    assert sent["payment_intent_data"]["metadata"]["sixdegree_donation"] == str(donation.token)
    assert sent["line_items"][0]["price_data"]["unit_amount"] == 2500
    assert sent["line_items"][0]["price_data"]["currency"] == "usd"
    assert sent["customer_email"] == "a@example.org"
    assert "metadata" in sent
    assert "customer_name" not in sent["metadata"]
    assert Donation.objects.get(pk=donation.pk).transaction_id == "cs_test_new"
