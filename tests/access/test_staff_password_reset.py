"""The Wagtail admin's password reset answers alike whether or not the address has an account
(issue 10, leftover a): the request only queues a task; the task mails real accounts only."""

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
