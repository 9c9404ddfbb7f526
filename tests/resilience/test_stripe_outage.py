"""A stalled or failing Stripe: bounded waits, few waiting starts, a neutral message."""

import threading
import time

import pytest
import stripe
from payments import PaymentError, PaymentStatus
from payments.core import provider_factory

from sixdegree_cases.donations.models import Donation
from sixdegree_cases.donations.providers import stripe as stripe_provider
from tests.donations.conftest import STRIPE_PATH, WEBHOOK_SECRET, make_donation
from tests.resilience.servers import StalledServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def stripe_variant(settings):
    from payments.core import PROVIDER_CACHE

    settings.PAYMENT_VARIANTS = {
        "dummy": ("payments.dummy.DummyProvider", {}),
        "stripe": (STRIPE_PATH, {"api_key": "sk_test_local", "endpoint_secret": WEBHOOK_SECRET}),
    }
    PROVIDER_CACHE.clear()
    yield "stripe"
    PROVIDER_CACHE.clear()


@pytest.fixture
def stalled_stripe(settings, stripe_variant):
    settings.SIXDEGREE_STRIPE_TIMEOUT = 0.3
    settings.SIXDEGREE_STRIPE_RETRIES = 1
    server = StalledServer()
    settings.SIXDEGREE_STRIPE_API_BASE = f"http://127.0.0.1:{server.port}"
    stripe_provider.reset_state()
    yield server
    server.close()
    stripe_provider.reset_state()
    stripe.api_base = stripe_provider.STRIPE_API_BASE


@pytest.fixture
def case(case_index):
    from tests.factories import make_case_page

    return make_case_page(case_index)


def stripe_donation(case):
    donation = make_donation(case, "25.00", variant="stripe", billing_email="a@example.org")
    donation.success_url = "https://site.example/thanks/"
    donation.failure_url = "https://site.example/failed/"
    donation.save()
    return donation


def test_a_stalled_stripe_costs_a_start_its_timeout_and_one_retry_at_most(case, stalled_stripe):
    donation = stripe_donation(case)
    started = time.monotonic()
    with pytest.raises(PaymentError):
        donation.get_form()
    elapsed = time.monotonic() - started
    # Two attempts of 0.3 s and Stripe's 0.5 s back-off between them.
    assert elapsed < 2.5, elapsed
    assert len(stalled_stripe.accepted) == 2


def test_the_donor_reads_a_neutral_message(case, stalled_stripe):
    donation = stripe_donation(case)
    with pytest.raises(PaymentError) as error:
        donation.get_form()
    message = str(error.value)
    assert message == stripe_provider.UNAVAILABLE
    assert "127.0.0.1" not in message
    assert "stripe" not in message.lower()


def test_after_repeated_failures_starts_are_refused_without_calling_stripe(case, stalled_stripe, settings):
    settings.SIXDEGREE_STRIPE_RETRIES = 0
    for _ in range(3):
        with pytest.raises(PaymentError):
            stripe_donation(case).get_form()
    calls = len(stalled_stripe.accepted)
    started = time.monotonic()
    with pytest.raises(PaymentError):
        stripe_donation(case).get_form()
    assert time.monotonic() - started < 0.1
    assert len(stalled_stripe.accepted) == calls


def test_only_a_few_starts_per_process_wait_on_stripe(case, stalled_stripe, settings):
    """The others are refused at once: the worker's other threads keep serving pages."""
    settings.SIXDEGREE_STRIPE_TIMEOUT = 1.5
    settings.SIXDEGREE_STRIPE_RETRIES = 0
    settings.SIXDEGREE_STRIPE_CONCURRENCY = 1
    stripe_provider.reset_state()
    waiting, second = stripe_donation(case), stripe_donation(case)
    provider = provider_factory("stripe")
    thread = threading.Thread(target=lambda: pytest.raises(PaymentError, provider.create_session, waiting))
    thread.start()
    time.sleep(0.3)  # the first start is now waiting on the stalled server
    started = time.monotonic()
    with pytest.raises(PaymentError):
        provider.create_session(second)
    assert time.monotonic() - started < 0.1
    thread.join(timeout=5)


def test_the_giving_api_answers_503_and_closes_the_gift(client, case, stalled_stripe, settings):
    settings.SIXDEGREE_PAYMENT_VARIANT = "stripe"
    response = client.post(
        "/api/v2/donations/",
        data={"case": case.pk, "amount": "25", "currency": "USD", "email": "h@example.org"},
        content_type="application/json",
    )
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["errors"]["__all__"] == [stripe_provider.UNAVAILABLE]
    assert Donation.objects.get().status == PaymentStatus.ERROR


def test_starts_waiting_on_stripe_wait_side_by_side_not_in_turn(case, stalled_stripe, settings):
    """The breaker's lock is not held during the call: two waits take one timeout, not two."""
    settings.SIXDEGREE_STRIPE_TIMEOUT = 1.0
    settings.SIXDEGREE_STRIPE_RETRIES = 0
    settings.SIXDEGREE_STRIPE_CONCURRENCY = 2
    stripe_provider.reset_state()
    donations = [stripe_donation(case), stripe_donation(case)]
    provider = provider_factory("stripe")
    started = time.monotonic()
    threads = [
        threading.Thread(target=lambda d=d: pytest.raises(PaymentError, provider.create_session, d))
        for d in donations
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert time.monotonic() - started < 1.8
