"""Background jobs of the donations app (django-tasks; run by `manage.py db_worker`)."""

import datetime
import logging

from django.db import router, transaction
from django.utils import timezone
from django_tasks import task

from .links import account_mail
from .mail import send_account_mail as send_account_mail_now
from .mail import send_receipt as send_receipt_now
from .models import Donation
from .update_mail import deliver_update

logger = logging.getLogger(__name__)


@task()
def send_receipt(donation_id):
    """E-mail the receipt of a confirmed donation.

    Queued after the confirming transaction commits, so a slow or failing mail server never
    holds up (or fails) the payment provider's callback.
    """
    donation = Donation.objects.select_related("case").filter(pk=donation_id).first()
    if donation is None:
        return 0
    try:
        return send_receipt_now(donation)
    except Exception:
        # The gift is counted and recorded; the failure is logged for the operator to resend.
        logger.exception("Could not send the receipt of donation %s", donation_id)
        return 0


def queue_receipt(donation_id):
    """Queue the receipt of a gift that the current transaction counts.

    When the queue is a table in the donations' own database (django-tasks-db, production), the
    task is written in the same transaction as the count: it exists if and only if the gift was
    counted, no worker can see it before the commit, and the confirmation pays one commit instead
    of two. Any other backend (one that runs tasks at once, or elsewhere) is called after the
    commit, so no receipt ever leaves for a gift that was rolled back.
    """
    if _queue_shares_the_transaction():
        send_receipt.enqueue(donation_id)
    else:
        transaction.on_commit(lambda: send_receipt.enqueue(donation_id))


def _queue_shares_the_transaction():
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return False
    backend = send_receipt.get_backend()
    return isinstance(backend, DatabaseBackend) and router.db_for_write(DBTaskResult) == router.db_for_write(
        Donation
    )


@task()
def send_case_update(update_id):
    """E-mail a live case update to the case's opted-in donors (see `update_mail`).

    Safe to run twice: each donor gets each update once. A failing mail server is logged and
    leaves the unsent e-mails for the next run.
    """
    try:
        return deliver_update(update_id)
    except Exception:
        logger.exception("Could not e-mail update %s to its donors", update_id)
        return 0


# A mail server that is down is tried again later: after 1, 4, 16 and 64 minutes.
ACCOUNT_MAIL_ATTEMPTS = 5


@task()
def send_account_mail(user_id, purpose, attempt=1):
    """Send a donor-account e-mail (`links.PURPOSES`): confirmation, reset, "already
    registered", "no donor account".

    Queued, so a mail server that is down or slow never fails or slows the form that asked for
    it (and both answers of a form cost the same, whatever the address). Takes ids only: the
    address and the link are built when it runs. A failed send is tried again later when the
    queue can defer (the database queue of production), else logged.
    """
    try:
        message = account_mail(user_id, purpose)
        return 0 if message is None else send_account_mail_now(*message)
    except Exception:
        if attempt >= ACCOUNT_MAIL_ATTEMPTS or not send_account_mail.get_backend().supports_defer:
            logger.exception(
                "Could not send a donor-account e-mail (%s), attempt %s: given up", purpose, attempt
            )
            return 0
        logger.warning(
            "Could not send a donor-account e-mail (%s), attempt %s: tried again later", purpose, attempt
        )
        later = timezone.now() + datetime.timedelta(minutes=4 ** (attempt - 1))
        send_account_mail.using(run_after=later).enqueue(user_id, purpose, attempt + 1)
        return 0


def queue_update_mail(sender, instance, **kwargs):
    """`page_published` receiver for updates: queue the e-mails once the publish commits.

    Queuing is the only work done here, and a failure to queue is logged, not raised: nothing
    about donors' e-mail may stop an update from going live.
    """
    update_id = instance.pk

    def enqueue():
        try:
            send_case_update.enqueue(update_id)
        except Exception:
            logger.exception("Could not queue the e-mails of update %s", update_id)

    transaction.on_commit(enqueue)
