"""Totals under load: real concurrent transactions, each thread on its own PostgreSQL connection.

These tests commit (transactional database): the threads see each other's work.
"""

import json
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connections
from django.db.models import Sum
from django.test import Client
from payments import PaymentStatus

from sixdegree_cases.donations.models import CaseFunding, Donation, ProviderEvent
from tests.factories import make_case_index, make_case_page, make_home

from .conftest import checkout_event, launch_date, make_donation, post_event, sign

CONFIRMATIONS = 50
DELIVERIES = 20


@pytest.fixture
def big_case(site_db):
    index = make_case_index(make_home())
    return make_case_page(
        index,
        launch_date=launch_date(),
        items=[("vocational_training", "Sewing course and machine", Decimal("5000.00"))],
    )


def run_concurrently(count, work):
    """Run `work(i)` for i in range(count), each in its own thread and database connection,
    all released at the same moment. Returns the results in order; re-raises any error."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def worker(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    if errors:
        raise errors[0]
    return results


def test_50_concurrent_confirmations_of_distinct_donations_total_exactly(big_case):
    amounts = [Decimal(10 + i) + Decimal("0.37") for i in range(CONFIRMATIONS)]
    donations = [make_donation(big_case, str(amount)) for amount in amounts]
    expected = sum(amounts, Decimal("0.00"))

    def confirm(i):
        # The dummy provider's callback, through django-payments' own view.
        response = Client().get(
            donations[i].get_process_url(), {"verification_result": PaymentStatus.CONFIRMED}
        )
        return response.status_code

    codes = run_concurrently(CONFIRMATIONS, confirm)

    assert codes == [302] * CONFIRMATIONS
    totals = CaseFunding.objects.get(case_id=big_case.pk)
    confirmed = Donation.objects.filter(case=big_case, status=PaymentStatus.CONFIRMED)
    found = confirmed.aggregate(total=Sum("total"))["total"]
    print(
        f"\n{CONFIRMATIONS} donations, {CONFIRMATIONS} threads: expected {expected} USD from "
        f"{CONFIRMATIONS} donors; found raised={totals.raised} donors={totals.donors} "
        f"(sum of confirmed rows {found})"
    )
    assert expected == Decimal("1743.50")
    assert totals.raised == expected
    assert totals.donors == CONFIRMATIONS
    assert found == expected
    assert confirmed.count() == CONFIRMATIONS


def test_concurrent_confirmations_overshooting_the_target_keep_the_surplus(big_case):
    donations = [make_donation(big_case, "4900.00")] + [make_donation(big_case, "100.00") for _ in range(9)]
    donations[0].change_status(PaymentStatus.CONFIRMED)

    def confirm(i):
        Donation.objects.get(pk=donations[i + 1].pk).change_status(PaymentStatus.CONFIRMED)

    run_concurrently(9, confirm)
    totals = CaseFunding.objects.get(case_id=big_case.pk)
    assert totals.raised == Decimal("5800.00")
    assert totals.surplus == Decimal("800.00")
    assert totals.donors == 10
    assert totals.fully_funded_at is not None


def test_20_concurrent_deliveries_of_one_signed_stripe_event_count_once(big_case, stripe_variant):
    donation = make_donation(big_case, "50.00", variant=stripe_variant, billing_email="once@example.org")
    event = checkout_event(donation)
    body = json.dumps(event)
    header = sign(body)
    mail.outbox = []

    def deliver(_i):
        response = post_event(Client(), None, body=body, header=header)
        return response.status_code, response.json().get("status")

    results = run_concurrently(DELIVERIES, deliver)

    totals = CaseFunding.objects.get(case_id=big_case.pk)
    print(
        f"\n{DELIVERIES} deliveries of one event, {DELIVERIES} threads: expected raised=50.00 donors=1 "
        f"receipts=1; found raised={totals.raised} donors={totals.donors} receipts={len(mail.outbox)} "
        f"answers={sorted(status for _code, status in results)}"
    )
    assert [code for code, _status in results] == [200] * DELIVERIES
    assert sorted(status for _code, status in results) == ["OK"] + ["duplicate"] * (DELIVERIES - 1)
    assert totals.raised == Decimal("50.00")
    assert totals.donors == 1
    assert ProviderEvent.objects.filter(donation=donation).count() == 1
    assert Donation.objects.get(pk=donation.pk).status == PaymentStatus.CONFIRMED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["once@example.org"]


def test_a_late_failure_racing_confirmations_never_undoes_them(big_case):
    donation = make_donation(big_case, "75.00")
    statuses = [PaymentStatus.CONFIRMED, PaymentStatus.REJECTED, PaymentStatus.ERROR] * 5

    def change(i):
        Donation.objects.get(pk=donation.pk).change_status(statuses[i])

    run_concurrently(len(statuses), change)
    # Whatever the order, once confirmed it stays confirmed, and it counts once.
    donation.refresh_from_db()
    totals = CaseFunding.objects.get(case_id=big_case.pk)
    assert donation.status == PaymentStatus.CONFIRMED
    assert (totals.raised, totals.donors) == (Decimal("75.00"), 1)
