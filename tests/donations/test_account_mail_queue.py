"""Donor-account e-mails rest in the task queue by ids only (issue 10): the task names the user
and the e-mail's purpose, and builds the address and a freshly signed link when it runs.

Attacks: a hostile insider reading (or writing) the task table, a task run twice, a task run
after the donor changed address, confirmed, or left."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django_tasks_db.models import DBTaskResult

from sixdegree_cases.donations import accounts
from sixdegree_cases.donations.models import DonorAccount
from sixdegree_cases.donations.tasks import send_account_mail
from tests.donations.test_account_mail_outage import run_queued

from .donor_helpers import EMAIL, PASSWORD, forgot, link_in_last_mail, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings):
    """The database queue of production: tasks wait in a table until a worker runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SIXDEGREE_DONATION_RATE_LIMIT = 0


def donor_through_the_queue(client):
    """A confirmed donor, their confirmation sent by the worker; the queue is empty after."""
    register(client)
    run_queued()
    client.post(link_in_last_mail("confirm"))
    mail.outbox.clear()
    DBTaskResult.objects.all().delete()
    return get_user_model().objects.get(email=EMAIL)


def stored_arguments():
    return [row.args_kwargs for row in DBTaskResult.objects.filter(status="READY").order_by("enqueued_at")]


def test_the_queue_holds_no_address_no_link_and_no_password(client, queued, django_user_model):
    django_user_model.objects.create_user("editor", "editor@example.org", PASSWORD, is_staff=True)
    register(client, email="new.donor@example.org")  # a new account: its confirmation
    confirmed = get_user_model().objects.get(email="new.donor@example.org")
    register(client, email="editor@example.org")  # taken: "already registered"
    forgot(client, "editor@example.org")  # not a donor: "no donor account"
    forgot(client, "nobody@example.org")  # nobody: a task naming no one

    stored = stored_arguments()
    text = json.dumps(stored)
    for secret in ("@", "example.org", "http", "/account/", PASSWORD, "new.donor", "editor", "nobody"):
        assert secret not in text, secret
    editor = get_user_model().objects.get(username="editor")
    assert [row["args"] for row in stored] == [
        [confirmed.pk, accounts.CONFIRM],
        [editor.pk, accounts.ALREADY_REGISTERED],
        [editor.pk, accounts.NO_ACCOUNT],
        [None, accounts.NO_ACCOUNT],
    ]
    assert not mail.outbox

    run_queued()
    assert [message.to for message in mail.outbox] == [
        ["new.donor@example.org"],
        ["editor@example.org"],
        ["editor@example.org"],
    ]
    assert "/account/confirm/" in mail.outbox[0].body
    assert "already" in mail.outbox[1].body
    assert "no donor account" in mail.outbox[2].body
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 4
    # Once run, even the ids are blanked (redaction.tasks).
    assert all(row.args_kwargs == {"args": [], "kwargs": {}} for row in DBTaskResult.objects.all())


def test_a_password_reset_is_queued_by_id_and_its_link_signed_when_sent(client, queued):
    donor = donor_through_the_queue(client)
    forgot(client)
    assert stored_arguments() == [{"args": [donor.pk, accounts.RESET], "kwargs": {}}]
    run_queued()
    link = link_in_last_mail("reset")
    new = "another long passphrase 43"
    assert client.post(link, {"new_password1": new, "new_password2": new}).status_code == 302
    assert client.login(username=EMAIL, password=new)


def test_a_confirmation_task_run_twice_sends_two_links_that_work_once_between_them(client, queued):
    register(client)
    (arguments,) = stored_arguments()
    run_queued()
    first = link_in_last_mail("confirm")
    send_account_mail.call(*arguments["args"])  # the worker died after sending; it runs again
    second = link_in_last_mail("confirm")
    assert len(mail.outbox) == 2

    assert client.post(second).status_code == 302
    assert client.post(first).status_code == 400, "confirming changed what both links were bound to"
    # Run once more after the confirmation: no fresh link for an account confirmed already.
    assert send_account_mail.call(*arguments["args"]) == 0
    assert len(mail.outbox) == 2


def test_a_task_run_after_the_address_changed_mails_the_new_address_only(client, queued):
    register(client)
    user = get_user_model().objects.get(email=EMAIL)
    get_user_model().objects.filter(pk=user.pk).update(email="moved@example.org")
    run_queued()
    assert [message.to for message in mail.outbox] == [["moved@example.org"]]
    # The link proves the new mailbox, and it works.
    assert client.post(link_in_last_mail("confirm")).status_code == 302


def test_a_link_signed_before_the_address_changed_stops_working(client):
    register(client)  # the immediate backend of local runs: signed and sent at once
    link = link_in_last_mail("confirm")
    get_user_model().objects.filter(email=EMAIL).update(email="moved@example.org")
    assert client.post(link).status_code == 400


def test_a_task_run_after_the_donor_left_sends_nothing(client, queued):
    donor = donor_through_the_queue(client)
    forgot(client)
    accounts.delete_account(donor)
    run_queued()
    assert not mail.outbox
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_reset_task_run_after_the_account_was_deactivated_sends_nothing(client, queued):
    donor = donor_through_the_queue(client)
    forgot(client)
    get_user_model().objects.filter(pk=donor.pk).update(is_active=False)
    run_queued()
    assert not mail.outbox


def test_a_registration_task_for_an_account_deleted_before_it_ran_sends_nothing(client, queued):
    register(client)
    DonorAccount.objects.all().delete()
    get_user_model().objects.all().delete()
    run_queued()
    assert not mail.outbox


@pytest.mark.parametrize(
    "arguments",
    [
        ["{user}", "../../receipt"],
        ["{user}", "receipt"],
        ["{user}", ["reset"]],
        [str, "reset"],
        [True, "reset"],
        [None, "reset"],
        ["{user}", None],
    ],
)
def test_a_task_written_into_the_queue_by_hand_sends_nothing_it_should_not(client, queued, arguments):
    # A hostile insider who can write the task table: no other template, no link for a string
    # that merely looks like an id, and nothing without a user.
    donor = donor_through_the_queue(client)
    arguments = [
        donor.pk if value == "{user}" else str(donor.pk) if value is str else value for value in arguments
    ]
    send_account_mail.enqueue(*arguments)
    run_queued()
    assert not mail.outbox
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_forged_reset_task_for_a_real_id_mails_only_its_own_owner(client, queued):
    # Writing a reset task for someone's id gets the link to that person, nobody else.
    donor = donor_through_the_queue(client)
    send_account_mail.enqueue(donor.pk, accounts.RESET)
    run_queued()
    assert [message.to for message in mail.outbox] == [[EMAIL]]


def test_links_use_the_sites_base_url_not_a_request_host(client, monkeypatch):
    # The task has no request: links take the base URL the receipts use (django-payments reads
    # PAYMENT_HOST and PAYMENT_USES_SSL once, at import).
    import payments.core

    monkeypatch.setattr(payments.core, "PAYMENT_HOST", "give.example.net")
    monkeypatch.setattr(payments.core, "PAYMENT_USES_SSL", True)
    register(client)
    assert re.search(r"https://give\.example\.net/\S*/account/confirm/\S+/", mail.outbox[-1].body)
