"""Receipts owed in the donation's row and sent by a sweep: each exactly once, none lost.

The database queue of production is used (django-tasks-db) with a worker run in the test, and
PostgreSQL's own row locks: no part is mocked.
"""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from payments import PaymentStatus

from sixdegree_cases.donations import receipts, tasks
from sixdegree_cases.donations.models import Donation
from sixdegree_cases.donations.tasks import send_due_receipts, send_receipt

from .conftest import make_donation
from .test_account_mail_outage import run_queued, smtp_down  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

CONFIRMED = {"verification_result": PaymentStatus.CONFIRMED}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def confirm(donation):
    response = Client().get(donation.get_process_url(), CONFIRMED)
    assert response.status_code == 302


def sweeps():
    return DBTaskResult.objects.filter(task_path__endswith="send_due_receipts").count()


def test_a_confirmation_owes_the_receipt_and_the_sweep_sends_it_once(
    case, database_queue, django_capture_on_commit_callbacks
):
    donation = make_donation(case, "50.00", billing_email="giver@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        confirm(donation)
    assert mail.outbox == []  # queued, not sent in the provider's callback

    DBTaskResult.objects.update(run_after=timezone.now())  # the sweep is due a few seconds later
    run_queued()

    assert [message.to for message in mail.outbox] == [["giver@example.org"]]
    assert "50.00 USD" in mail.outbox[0].body
    stored = Donation.objects.get(pk=donation.pk)
    assert stored.receipt_sent_at is not None


def test_a_sweep_or_a_receipt_task_run_twice_sends_nothing_more(case, database_queue):
    donation = make_donation(case, "50.00", billing_email="giver@example.org")
    donation.change_status(PaymentStatus.CONFIRMED)

    send_due_receipts.call()
    send_due_receipts.call()
    send_receipt.call(donation.pk)  # a task queued per gift before receipts were swept
    call_command("send_receipts")

    assert len(mail.outbox) == 1


def test_many_gifts_share_one_sweep_that_starts_after_the_last_of_them(
    case, database_queue, django_capture_on_commit_callbacks
):
    donations = [make_donation(case, "10.00", billing_email=f"g{i}@example.org") for i in range(5)]
    for donation in donations:
        with django_capture_on_commit_callbacks(execute=True):
            confirm(donation)
        (sweep,) = DBTaskResult.objects.filter(task_path__endswith="send_due_receipts")
        # Each gift committed before the one queued sweep may start, with the margin for a
        # worker whose clock runs ahead.
        assert sweep.run_after >= timezone.now() + datetime.timedelta(seconds=tasks.CLOCK_MARGIN)

    run_queued()
    assert mail.outbox == []  # not due yet

    DBTaskResult.objects.update(run_after=timezone.now())  # the few seconds went by
    run_queued()
    assert sorted(message.to[0] for message in mail.outbox) == [f"g{i}@example.org" for i in range(5)]

    # Once its sweep no longer covers new gifts, the next gift asks for another.
    tasks.sweep_requests.forget()
    late = make_donation(case, "10.00", billing_email="late@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        confirm(late)
    assert sweeps() == 2


def test_a_queue_that_runs_tasks_at_once_sends_each_receipt_after_its_commit(
    case, django_capture_on_commit_callbacks
):
    # The test settings' immediate queue: no sweep is shared, each gift's sweep runs at once.
    donations = [make_donation(case, "10.00", billing_email=f"g{i}@example.org") for i in range(3)]
    for count, donation in enumerate(donations, start=1):
        with django_capture_on_commit_callbacks(execute=True):
            confirm(donation)
        assert len(mail.outbox) == count


def test_a_gift_whose_sweep_was_never_asked_for_is_found_by_the_next_sweep(case, database_queue):
    # The process died right after the commit: no task, only the row says a receipt is owed.
    donation = make_donation(case, "50.00", billing_email="giver@example.org")
    donation.change_status(PaymentStatus.CONFIRMED)
    DBTaskResult.objects.all().delete()

    call_command("send_receipts")

    assert [message.to for message in mail.outbox] == [["giver@example.org"]]


def test_a_receipt_claimed_by_another_sweep_is_left_to_it_until_its_lease_runs_out(case, database_queue):
    donation = make_donation(case, "50.00", billing_email="giver@example.org")
    donation.change_status(PaymentStatus.CONFIRMED)
    assert receipts.claim() == [donation.pk]  # another worker took it, and is sending it

    send_due_receipts.call()
    assert mail.outbox == []

    # That worker died before it marked the receipt sent: after the lease, it is sent again.
    Donation.objects.filter(pk=donation.pk).update(
        receipt_claimed_at=timezone.now() - receipts.CLAIM_LEASE - datetime.timedelta(seconds=1)
    )
    send_due_receipts.call()
    assert len(mail.outbox) == 1


def test_a_receipt_whose_lease_ran_out_while_its_batch_was_sent_is_sent_by_one_sweep_only(
    case, database_queue, monkeypatch
):
    """A slow mail server: a sweep sends its batch one receipt after the other, and the lease of
    the last ones runs out before their turn; another sweep takes them and sends them. The first
    sweep, reaching them at last, leaves them: each receipt is sent once."""
    first = make_donation(case, "50.00", billing_email="first@example.org")
    second = make_donation(case, "60.00", billing_email="second@example.org")
    for donation in (first, second):
        donation.change_status(PaymentStatus.CONFIRMED)
    send = receipts.send_receipt_now

    def slow_send(donation):
        if donation.pk == first.pk:
            # This send took so long that the second receipt's lease ran out meanwhile, and
            # another sweep (the minute's `send_receipts`) took it over and sent it.
            Donation.objects.filter(pk=second.pk).update(
                receipt_claimed_at=timezone.now() - receipts.CLAIM_LEASE - datetime.timedelta(seconds=1)
            )
            monkeypatch.setattr(receipts, "send_receipt_now", send)
            assert receipts.send_due() == 1
            monkeypatch.setattr(receipts, "send_receipt_now", slow_send)
        return send(donation)

    monkeypatch.setattr(receipts, "send_receipt_now", slow_send)
    receipts.send_due()
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.org", "second@example.org"]


def test_a_receipt_the_mail_server_refused_is_sent_by_the_next_sweep(
    case,
    database_queue,
    settings,
    smtp_down,  # noqa: F811 - the imported fixture
):
    donation = make_donation(case, "50.00", billing_email="giver@example.org")
    donation.change_status(PaymentStatus.CONFIRMED)

    assert send_due_receipts.call() == 0
    stored = Donation.objects.get(pk=donation.pk)
    assert (stored.receipt_sent_at, stored.receipt_claimed_at) == (None, None)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_due_receipts.call()
    assert len(mail.outbox) == 1


def test_a_gift_without_an_address_is_settled_without_mail(case, database_queue):
    donation = make_donation(case, "50.00", billing_email="")
    donation.change_status(PaymentStatus.CONFIRMED)

    send_due_receipts.call()

    assert mail.outbox == []
    assert Donation.objects.get(pk=donation.pk).receipt_sent_at is not None
    assert not receipts.owed().exists()


def test_a_provider_saving_a_stale_copy_cannot_make_a_sent_receipt_owed_again(case, database_queue):
    stale = make_donation(case, "50.00", billing_email="giver@example.org")
    Donation.objects.get(pk=stale.pk).change_status(PaymentStatus.CONFIRMED)
    send_due_receipts.call()

    stale.transaction_id = "cs_123"
    stale.save()  # its copy holds no receipt dates
    send_due_receipts.call()

    assert len(mail.outbox) == 1
    assert Donation.objects.get(pk=stale.pk).receipt_sent_at is not None
