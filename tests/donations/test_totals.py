"""Totals count each confirmed gift exactly once, in whatever order statuses arrive."""

from decimal import Decimal

import pytest
from django.core import mail
from payments import PaymentStatus

from sixdegree_cases.donations.models import CaseFunding, Donation
from sixdegree_cases.donations.progress import FULLY_FUNDED, FUNDING, progress_for
from sixdegree_cases.donations.totals import allowed, record_refund
from sixdegree_cases.models import SurvivorCasePage
from tests.factories import make_case_page

from .conftest import launch_date, make_donation

pytestmark = pytest.mark.django_db


def funding(case):
    return CaseFunding.objects.get_or_create(case_id=case.pk)[0]


def fresh(case):
    return SurvivorCasePage.objects.get(pk=case.pk)


def test_a_confirmation_counts_the_total(case):
    donation = make_donation(case, "50.00")
    donation.change_status(PaymentStatus.CONFIRMED)
    totals = funding(case)
    assert (totals.raised, totals.donors) == (Decimal("50.00"), 1)
    donation.refresh_from_db()
    assert donation.counted_amount == Decimal("50.00")
    assert donation.confirmed_at is not None
    # The dummy provider never stores what it captured: the total is counted, and kept.
    assert donation.captured_amount == Decimal("50.00")


def test_repeated_confirmations_count_once(case):
    donation = make_donation(case, "50.00")
    for _ in range(5):
        Donation.objects.get(pk=donation.pk).change_status(PaymentStatus.CONFIRMED)
    assert (funding(case).raised, funding(case).donors) == (Decimal("50.00"), 1)


def test_one_receipt_per_gift(case, django_capture_on_commit_callbacks):
    donation = make_donation(case, "50.00", billing_email="giver@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            Donation.objects.get(pk=donation.pk).change_status(PaymentStatus.CONFIRMED)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["giver@example.org"]
    assert "50.00 USD" in mail.outbox[0].body
    assert "Mawar" in mail.outbox[0].body


def test_waiting_rejected_and_cancelled_gifts_count_nothing(case):
    for status in (PaymentStatus.INPUT, PaymentStatus.REJECTED, PaymentStatus.ERROR, PaymentStatus.CANCELLED):
        make_donation(case, "20.00").change_status(status)
    assert progress_for(fresh(case)).raised == Decimal("0.00")


def test_a_late_failure_never_undoes_a_confirmation(case):
    donation = make_donation(case, "50.00")
    donation.change_status(PaymentStatus.CONFIRMED)
    for late in (PaymentStatus.REJECTED, PaymentStatus.ERROR, PaymentStatus.CANCELLED, PaymentStatus.WAITING):
        Donation.objects.get(pk=donation.pk).change_status(late, "late event")
    donation.refresh_from_db()
    assert donation.status == PaymentStatus.CONFIRMED
    assert funding(case).raised == Decimal("50.00")


def test_a_stale_copy_saved_by_a_provider_cannot_undo_a_confirmation(case):
    stale = make_donation(case, "50.00")
    Donation.objects.get(pk=stale.pk).change_status(PaymentStatus.CONFIRMED)
    stale.status = PaymentStatus.REJECTED  # what a provider's in-memory copy might hold
    stale.transaction_id = "cs_123"
    stale.save()
    stale.refresh_from_db()
    assert stale.status == PaymentStatus.CONFIRMED
    assert stale.transaction_id == "cs_123"
    assert stale.counted_amount == Decimal("50.00")


def test_a_refund_lowers_the_totals(case):
    donation = make_donation(case, "50.00")
    donation.change_status(PaymentStatus.CONFIRMED)
    Donation.objects.get(pk=donation.pk).change_status(PaymentStatus.REFUNDED)
    assert (funding(case).raised, funding(case).donors) == (Decimal("0.00"), 0)
    Donation.objects.get(pk=donation.pk).change_status(PaymentStatus.CONFIRMED)
    assert funding(case).raised == Decimal("0.00"), "a refund is final"


def test_a_refund_before_the_confirmation_is_never_counted(case):
    donation = make_donation(case, "50.00")
    donation.change_status(PaymentStatus.REFUNDED)
    Donation.objects.get(pk=donation.pk).change_status(PaymentStatus.CONFIRMED)
    donation.refresh_from_db()
    assert donation.status == PaymentStatus.REFUNDED
    assert funding(case).raised == Decimal("0.00")


def test_partial_refund_counts_what_is_left(case):
    donation = make_donation(case, "50.00")
    donation.change_status(PaymentStatus.CONFIRMED)
    record_refund(Donation.objects.get(pk=donation.pk), Decimal("20.00"))
    record_refund(Donation.objects.get(pk=donation.pk), Decimal("20.00"))  # repeated: no change
    assert (funding(case).raised, funding(case).donors) == (Decimal("30.00"), 1)
    record_refund(Donation.objects.get(pk=donation.pk), Decimal("50.00"))
    assert (funding(case).raised, funding(case).donors) == (Decimal("0.00"), 0)
    assert Donation.objects.get(pk=donation.pk).status == PaymentStatus.REFUNDED


def test_fully_funded_in_n_days_by_m_donors(case_index):
    case = make_case_page(case_index, launch_date=launch_date(15))
    amounts = ["100.00"] * 12 + ["300.00"]  # 13 donors, USD 1,500
    for amount in amounts:
        make_donation(case, amount).change_status(PaymentStatus.CONFIRMED)
    progress = progress_for(fresh(case))
    assert progress.fully_funded
    assert (progress.raised, progress.donors, progress.funded_in_days, progress.percent) == (
        Decimal("1500.00"),
        13,
        15,
        100,
    )
    assert progress.headline == "Fully funded in 15 days by 13 donors"
    assert progress.as_api() == {
        "raised": "1500.00",
        "target": "1500.00",
        "percent": 100,
        "donors": 13,
        "status": FULLY_FUNDED,
        "funded_in_days": 15,
    }


def test_overshoot_is_kept_as_surplus(case):
    make_donation(case, "1400.00").change_status(PaymentStatus.CONFIRMED)
    # Two donors each saw 100.00 remaining and paid at the same moment.
    make_donation(case, "100.00").change_status(PaymentStatus.CONFIRMED)
    make_donation(case, "100.00").change_status(PaymentStatus.CONFIRMED)
    totals = funding(case)
    assert totals.raised == Decimal("1600.00")
    assert totals.surplus == Decimal("100.00")
    assert progress_for(fresh(case)).percent == 100


def test_refund_below_target_reopens_the_case(case):
    big = make_donation(case, "1500.00")
    big.change_status(PaymentStatus.CONFIRMED)
    assert progress_for(fresh(case)).status == FULLY_FUNDED
    Donation.objects.get(pk=big.pk).change_status(PaymentStatus.REFUNDED)
    progress = progress_for(fresh(case))
    assert progress.status == FUNDING
    assert progress.funded_in_days is None
    assert funding(case).fully_funded_at is None


def test_percent_rounds_down(case):
    make_donation(case, "1499.99").change_status(PaymentStatus.CONFIRMED)
    assert progress_for(fresh(case)).percent == 99


@pytest.mark.parametrize(
    ("current", "new", "expected"),
    [
        (PaymentStatus.WAITING, PaymentStatus.CONFIRMED, True),
        (PaymentStatus.REJECTED, PaymentStatus.CONFIRMED, True),
        (PaymentStatus.CONFIRMED, PaymentStatus.REJECTED, False),
        (PaymentStatus.CONFIRMED, PaymentStatus.ERROR, False),
        (PaymentStatus.CONFIRMED, PaymentStatus.REFUNDED, True),
        (PaymentStatus.REFUNDED, PaymentStatus.CONFIRMED, False),
        (PaymentStatus.WAITING, PaymentStatus.REFUNDED, True),
        (PaymentStatus.CONFIRMED, PaymentStatus.CONFIRMED, False),
    ],
)
def test_transition_rules(current, new, expected):
    assert allowed(current, new) is expected


def test_an_unknown_status_is_ignored(case):
    donation = make_donation(case, "50.00")
    assert donation.change_status("paid-honest") is False
    assert Donation.objects.get(pk=donation.pk).status == PaymentStatus.WAITING
