"""A stalled or failing Stripe: bounded waits, few waiting starts, a neutral message."""

import threading
import time

import pytest
import stripe
from django.db import connection
from django.test import Client
from django.urls import reverse
from payments import PaymentError, PaymentStatus
from payments.core import provider_factory

from sixdegree_cases.donations.models import Donation
from sixdegree_cases.donations.providers import stripe as stripe_provider
from sixdegree_cases.donations.providers.slots import BUSY, ProviderBusy, ProviderSlots
from tests.donations.conftest import STRIPE_PATH, WEBHOOK_SECRET, make_donation
from tests.resilience.servers import RefusingStripe, StalledServer

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


def test_stripes_own_text_reaches_neither_the_donor_nor_the_log(case, stripe_variant, settings, caplog):
    """Stripe's error messages may echo what was sent (a donor's address): the log keeps its
    kind, code and request id, never its text."""
    server = RefusingStripe("Invalid email address: a@example.org")
    settings.SIXDEGREE_STRIPE_API_BASE = server.url
    stripe_provider.reset_state()
    donation = stripe_donation(case)
    try:
        with caplog.at_level("DEBUG"), pytest.raises(PaymentError) as error:
            donation.get_form()
    finally:
        server.close()
        stripe_provider.reset_state()
        stripe.api_base = stripe_provider.STRIPE_API_BASE
    assert str(error.value) == stripe_provider.UNAVAILABLE
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("sixdegree"))
    assert "Stripe refused a Checkout Session" in ours
    assert "email_invalid" in ours
    assert "req_local" in ours
    assert "a@example.org" not in ours
    assert "Invalid email" not in ours
    # stripe-python's own records carry it: production logs only its warnings
    # (tests/donations/test_settings.py).


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


# --- The bulkhead: a stalled provider holds at most N threads; beyond, "busy", nothing created --


def wait_for(predicate, timeout=5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def api_start(case, number):
    return Client().post(
        "/api/v2/donations/",
        data={"case": case.pk, "amount": "25", "currency": "USD", "email": f"g{number}@example.org"},
        content_type="application/json",
        REMOTE_ADDR=f"198.51.100.{number + 1}",
    )


@pytest.mark.django_db(transaction=True)
def test_a_stalled_provider_holds_at_most_n_threads_and_the_others_are_told_busy_creating_nothing(
    case, stalled_stripe, settings
):
    settings.SIXDEGREE_PAYMENT_VARIANT = "stripe"
    settings.SIXDEGREE_STRIPE_TIMEOUT = 2.0
    settings.SIXDEGREE_STRIPE_RETRIES = 0
    settings.SIXDEGREE_STRIPE_CONCURRENCY = 2
    stripe_provider.reset_state()
    answers = {}
    gate = threading.Barrier(6)

    def start(number):
        gate.wait(timeout=5)
        try:
            answers[number] = api_start(case, number)
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    # Four answer at once; two wait on the stalled provider.
    assert wait_for(lambda: len(answers) == 4 and len(stalled_stripe.accepted) == 2)
    time.sleep(0.2)
    assert len(answers) == 4
    assert len(stalled_stripe.accepted) == 2
    busy = list(answers.values())
    for response in busy:
        assert response.status_code == 429
        assert response["Retry-After"] == "5"
        assert response.json() == {"errors": {"__all__": [str(BUSY)]}}
    # Only the two that reached the provider were created; the refused ones left nothing.
    assert Donation.objects.count() == 2
    # One more while both slots wait: refused at once, the provider never asked.
    started = time.monotonic()
    assert api_start(case, 9).status_code == 429
    assert time.monotonic() - started < 1.0
    assert len(stalled_stripe.accepted) == 2
    for thread in threads:
        thread.join(timeout=10)
    waited = [answers[n] for n in answers if answers[n].status_code != 429]
    assert [r.status_code for r in waited] == [503, 503]
    assert set(Donation.objects.values_list("status", flat=True)) == {PaymentStatus.ERROR}
    assert Donation.objects.count() == 2
    # Slots come back when the provider's calls end: the next start reaches it again.
    assert api_start(case, 10).status_code == 503
    assert len(stalled_stripe.accepted) == 3


def test_the_pay_step_asks_to_try_again_and_keeps_the_gift_waiting(client, case, stalled_stripe, settings):
    settings.SIXDEGREE_STRIPE_TIMEOUT = 1.5
    settings.SIXDEGREE_STRIPE_RETRIES = 0
    settings.SIXDEGREE_STRIPE_CONCURRENCY = 1
    stripe_provider.reset_state()
    holder = stripe_donation(case)
    provider = provider_factory("stripe")
    thread = threading.Thread(target=lambda: pytest.raises(PaymentError, provider.create_session, holder))
    thread.start()
    assert wait_for(lambda: len(stalled_stripe.accepted) == 1)
    donation = stripe_donation(case)
    pay_url = reverse("sixdegree_donations:pay", kwargs={"token": donation.token})
    response = client.get(pay_url)
    assert response.status_code == 429
    assert response["Retry-After"] == "5"
    assert str(BUSY) in response.content.decode()
    assert f'href="{pay_url}"' in response.content.decode()
    donation.refresh_from_db()
    assert donation.status == PaymentStatus.WAITING
    assert not donation.transaction_id
    assert len(stalled_stripe.accepted) == 1
    thread.join(timeout=5)


def test_a_thread_holding_a_slot_calls_again_without_taking_another():
    slots = ProviderSlots(lambda: 1)
    with slots.held():
        with slots.held():  # Stripe's glue inside a view that took the slot already
            pass
        other = []

        def elsewhere():
            try:
                with slots.held():
                    other.append("held")
            except ProviderBusy:
                other.append("busy")

        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join(timeout=5)
        assert other == ["busy"]
    with slots.held():  # released on the way out, nested or not
        pass


def waiting_on_row_locks():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_one_gift_opened_in_many_tabs_holds_one_slot_and_other_donors_still_reach_stripe(
    case, stalled_stripe, settings
):
    """The pay step of one gift, asked for many times at once (tabs, a script: it is a GET with
    no rate limit), takes one slot: the others wait for the gift's row without a slot, so one
    visitor with one waiting gift cannot refuse every other donor's start."""
    settings.SIXDEGREE_STRIPE_TIMEOUT = 2.0
    settings.SIXDEGREE_STRIPE_RETRIES = 0
    settings.SIXDEGREE_STRIPE_CONCURRENCY = 2
    stripe_provider.reset_state()
    hogged = stripe_donation(case)
    hog_url = reverse("sixdegree_donations:pay", kwargs={"token": hogged.token})
    answers = []

    def hog():
        try:
            answers.append(Client().get(hog_url).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=hog) for _ in range(3)]
    for thread in threads:
        thread.start()
    assert wait_for(lambda: len(stalled_stripe.accepted) == 1 and waiting_on_row_locks() >= 1)
    time.sleep(0.2)
    other = stripe_donation(case)
    response = Client().get(reverse("sixdegree_donations:pay", kwargs={"token": other.token}))
    assert response.status_code != 429, "another donor refused: one gift held every slot"
    assert len(stalled_stripe.accepted) == 2, "the other donor's start reached Stripe"
    for thread in threads:
        thread.join(timeout=10)
    assert 429 not in answers
    assert len(stalled_stripe.accepted) == 2, "the gift asked Stripe once"
