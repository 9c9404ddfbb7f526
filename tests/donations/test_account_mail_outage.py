"""A mail server that is down never fails donor registration (issue 10, leftover b): the
e-mail is queued and tried again later. Django's real SMTP backend, pointed at a closed port."""

import socket

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .donor_helpers import EMAIL, forgot, register

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the socket is: connections are refused


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 2


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


def test_registration_answers_normally_when_the_mail_server_is_down(client, smtp_down):
    response = register(client)
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert get_user_model().objects.filter(email=EMAIL, is_active=False).exists()


def test_a_password_reset_answers_normally_when_the_mail_server_is_down(client, smtp_down):
    response = forgot(client)
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()


def test_the_confirmation_is_queued_and_sent_once_the_mail_server_is_back(client, smtp_down, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert register(client).status_code == 200
    assert DBTaskResult.objects.count() == 1  # queued, not sent in the request

    run_queued()  # the mail server refuses: tried again later
    waiting = DBTaskResult.objects.filter(status="READY").get()
    assert waiting.run_after > timezone.now()
    assert not mail.outbox

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    run_queued()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [EMAIL]
    assert "/account/confirm/" in mail.outbox[0].body
