"""The Wagtail admin's password reset answers alike whether or not the address has an account
(issue 10, leftover a): the request only queues a task, by account ids; the task mails real accounts
only, at the address and with a token of the moment it runs."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db

URL = "/admin/password_reset/"


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("editor", "editor@example.org", "a long staff passphrase 42")


@pytest.fixture
def queued_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_queued():
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)


def test_a_known_and_an_unknown_address_get_the_same_answer_after_the_same_work(client, editor, queued_tasks):
    known = client.post(URL, {"email": "editor@example.org"})
    unknown = client.post(URL, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/admin/password_reset/done/"
    # The request sent nothing: each queued one task, whoever owns the address.
    assert not mail.outbox
    assert DBTaskResult.objects.count() == 2


def test_the_queued_task_mails_a_real_account_only(client, editor, queued_tasks):
    client.post(URL, {"email": "editor@example.org"})
    client.post(URL, {"email": "nobody@example.org"})
    run_queued()
    assert [message.to for message in mail.outbox] == [["editor@example.org"]]
    assert "/admin/password_reset/confirm/" in mail.outbox[0].body
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def test_the_link_resets_the_password(client, editor):
    client.post(URL, {"email": "Editor@Example.org"})  # the immediate backend of local runs
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/confirm/" in line).strip()
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new = "another long passphrase 43"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(new)


def test_the_queue_holds_the_accounts_ids_only(client, editor, queued_tasks):
    client.post(URL, {"email": "editor@example.org"})
    client.post(URL, {"email": "nobody@example.org"})
    stored = [row.args_kwargs for row in DBTaskResult.objects.order_by("enqueued_at")]
    assert [row["args"] + list(row["kwargs"].values()) for row in stored] == [[[editor.pk]], [[]]]
    text = json.dumps(stored)
    for secret in ("@", "example.org", "testserver", "http", "confirm"):
        assert secret not in text, secret


def test_a_task_run_after_the_address_changed_mails_the_new_address(client, editor, queued_tasks):
    client.post(URL, {"email": "editor@example.org"})
    get_user_model().objects.filter(pk=editor.pk).update(email="moved@example.org")
    run_queued()
    assert [message.to for message in mail.outbox] == [["moved@example.org"]]


@pytest.mark.parametrize("change", [{"is_active": False}, {"password": "!unusable"}, {"email": ""}])
def test_a_task_run_after_the_account_cannot_be_reset_sends_nothing(client, editor, queued_tasks, change):
    client.post(URL, {"email": "editor@example.org"})
    get_user_model().objects.filter(pk=editor.pk).update(**change)
    run_queued()
    assert not mail.outbox


def test_a_task_run_after_the_account_was_deleted_sends_nothing(client, editor, queued_tasks):
    client.post(URL, {"email": "editor@example.org"})
    editor.delete()
    run_queued()
    assert not mail.outbox
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_task_run_twice_sends_links_that_die_with_the_first_reset(client, editor, queued_tasks):
    from sixdegree_site.staff_password_reset import send_staff_password_reset

    client.post(URL, {"email": "editor@example.org"})
    run_queued()
    send_staff_password_reset.call([editor.pk])  # run again
    links = [
        next(line for line in message.body.splitlines() if "/confirm/" in line).strip()
        for message in mail.outbox
    ]
    assert len(links) == 2
    new = "another long passphrase 43"
    form = client.get(links[1], follow=True)
    assert (
        client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}).status_code
        == 302
    )
    again = client.get(links[0], follow=True)
    assert "new_password1" not in again.content.decode(), "the password changed: the other link is dead"


@pytest.mark.parametrize("user_ids", ["editor@example.org", ["1"], [True], None, {"pk": 1}])
def test_a_task_written_into_the_queue_by_hand_sends_nothing(client, editor, queued_tasks, user_ids):
    from sixdegree_site.staff_password_reset import send_staff_password_reset

    send_staff_password_reset.enqueue(user_ids)
    run_queued()
    assert not mail.outbox
