"""Giving with the dummy provider: form → waiting donation → provider → thank-you or failure."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from payments import FraudStatus, PaymentStatus

from sixdegree_cases.donations.models import Donation
from sixdegree_cases.donations.progress import progress_for
from sixdegree_cases.models import SurvivorCasePage

pytestmark = pytest.mark.django_db


def donate_url(case):
    return reverse("sixdegree_donations:donate", kwargs={"case_id": case.pk})


def give(client, case, **data):
    payload = {"amount_choice": "", "amount": "50", "currency": case.currency, "email": "giver@example.org"}
    payload["anonymous"] = "on"
    payload.update(data)
    return client.post(donate_url(case), {k: v for k, v in payload.items() if v is not None})


def dummy_outcome(client, donation, status):
    pay_url = reverse("sixdegree_donations:pay", kwargs={"token": donation.token})
    return client.post(
        pay_url,
        {"status": status, "fraud_status": FraudStatus.ACCEPT, "gateway_response": "3ds-disabled"},
    )


def raised(case):
    return progress_for(SurvivorCasePage.objects.get(pk=case.pk)).raised


def test_the_donate_page_shows_presets_and_what_remains(client, case):
    response = client.get(donate_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1,500.00\N{NO-BREAK SPACE}USD" in html
    assert 'value="25.00"' in html
    assert 'value="other"' in html
    assert "Give anonymously" in html


def test_giving_end_to_end(client, case, django_capture_on_commit_callbacks):
    response = give(client, case, amount="50")
    donation = Donation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("sixdegree_donations:pay", kwargs={"token": donation.token})
    assert donation.status == PaymentStatus.WAITING
    assert (donation.total, donation.currency, donation.anonymous) == (Decimal("50.00"), "USD", True)
    # No billing name, address, phone or IP is kept.
    assert not (donation.billing_first_name)
    assert not (donation.billing_address_1)
    assert not (donation.billing_phone)
    assert donation.customer_ip_address is None

    page = client.get(response.url)
    assert page.status_code == 200
    assert "Test mode" in page.content.decode()
    assert Donation.objects.get().status == PaymentStatus.INPUT

    with django_capture_on_commit_callbacks(execute=True):
        paid = dummy_outcome(client, donation, PaymentStatus.CONFIRMED)
    assert paid.status_code == 302
    assert paid.url.endswith(reverse("sixdegree_donations:thanks", kwargs={"token": donation.token}))
    thanks = client.get(paid.url)
    assert "has been received" in thanks.content.decode()
    assert raised(case) == Decimal("50.00")
    assert len(mail.outbox) == 1


def test_a_preset_amount_is_used(client, case):
    give(client, case, amount="", amount_choice="25.00")
    assert Donation.objects.get().total == Decimal("25.00")


def test_a_named_gift_keeps_only_the_first_name(client, case):
    give(client, case, anonymous=None, display_name="  Ana   Maria ", country="PT")
    donation = Donation.objects.get()
    assert (donation.anonymous, donation.display_name, donation.billing_country_code) == (
        False,
        "Ana",
        "PT",
    )


def test_an_anonymous_gift_does_not_keep_a_name(client, case):
    give(client, case, display_name="Hidden Name")
    assert Donation.objects.get().display_name == ""


def test_a_rejected_payment_shows_the_failure_page_with_try_again(client, case):
    give(client, case, amount="40")
    donation = Donation.objects.get()
    client.get(reverse("sixdegree_donations:pay", kwargs={"token": donation.token}))
    response = dummy_outcome(client, donation, PaymentStatus.REJECTED)
    assert response.url.endswith(reverse("sixdegree_donations:failed", kwargs={"token": donation.token}))
    page = client.get(response.url).content.decode()
    assert "did not go through" in page
    assert f"{donate_url(case)}?amount=40.00" in page
    retry = client.get(f"{donate_url(case)}?amount=40.00").content.decode()
    assert 'value="40.00"' in retry
    assert raised(case) == Decimal("0.00")


def test_cancelling_before_paying(client, case):
    give(client, case)
    donation = Donation.objects.get()
    response = client.post(reverse("sixdegree_donations:cancel", kwargs={"token": donation.token}))
    assert response.status_code == 302
    assert Donation.objects.get().status == PaymentStatus.CANCELLED
    page = client.get(response.url).content.decode()
    assert "Payment cancelled" in page
    assert "Try again" in page


def test_a_provider_error_ends_on_the_failure_page(client, case):
    give(client, case)
    donation = Donation.objects.get()
    pay_url = reverse("sixdegree_donations:pay", kwargs={"token": donation.token})
    client.get(pay_url)
    response = client.post(
        pay_url,
        {
            "status": PaymentStatus.CONFIRMED,
            "fraud_status": FraudStatus.ACCEPT,
            "gateway_response": "payment-error",
        },
    )
    assert response.status_code == 302
    assert "failed" in response.url
    # The dummy reports "confirmed" and then fails: money that arrived is never moved back.
    assert Donation.objects.get().status == PaymentStatus.CONFIRMED
    assert client.get(response.url).status_code == 302  # the failure page sends on to thanks


def test_a_paid_donation_cannot_be_paid_again(client, case):
    give(client, case)
    donation = Donation.objects.get()
    client.get(reverse("sixdegree_donations:pay", kwargs={"token": donation.token}))
    dummy_outcome(client, donation, PaymentStatus.CONFIRMED)
    again = client.get(reverse("sixdegree_donations:pay", kwargs={"token": donation.token}))
    assert again.status_code == 302
    assert "thanks" in again.url
    assert raised(case) == Decimal("50.00")


def test_the_dummy_callback_confirms_through_django_payments(client, case):
    give(client, case)
    donation = Donation.objects.get()
    response = client.get(donation.get_process_url(), {"verification_result": PaymentStatus.CONFIRMED})
    assert response.status_code == 302
    assert raised(case) == Decimal("50.00")
    # Again: counted once.
    client.get(donation.get_process_url(), {"verification_result": PaymentStatus.CONFIRMED})
    assert raised(case) == Decimal("50.00")


def test_the_test_mode_banner_is_on_every_page(client, case):
    for url in ("/", case.url, donate_url(case), "/search/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert "data-test-mode-banner" in response.content.decode(), url


def test_the_pay_page_says_test_mode_in_a_host_without_the_context_processor(client, case, settings):
    """A host site that did not add the plugin's context processor (nor the banner to its
    base.html) still tells the donor at the provider step that no money is taken."""
    engine = settings.TEMPLATES[0]
    processors = [
        name for name in engine["OPTIONS"]["context_processors"] if "payments_test_mode" not in name
    ]
    settings.TEMPLATES = [{**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": processors}}]
    give(client, case)
    donation = Donation.objects.get()
    page = client.get(reverse("sixdegree_donations:pay", kwargs={"token": donation.token}))
    assert page.status_code == 200
    assert "No money is taken" in page.content.decode()


def test_no_banner_with_a_real_provider(client, case, settings):
    settings.PAYMENT_VARIANTS = {
        "stripe": (
            "sixdegree_cases.donations.providers.stripe.StripeProvider",
            {"api_key": "sk_test_local", "endpoint_secret": "whsec_local"},
        )
    }
    from payments.core import PROVIDER_CACHE

    PROVIDER_CACHE.clear()
    assert "data-test-mode-banner" not in client.get(case.url).content.decode()


def test_the_thank_you_page_while_waiting_for_confirmation(client, case):
    give(client, case)
    donation = Donation.objects.get()
    page = client.get(
        reverse("sixdegree_donations:thanks", kwargs={"token": donation.token})
    ).content.decode()
    assert "waiting for the payment provider" in page
