"""Background jobs of the donations app (django-tasks; run by `manage.py db_worker`)."""

import logging

from django.db import router, transaction
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_receipt(donation_id):
    """E-mail the receipt of a confirmed donation.

    Queued after the confirming transaction commits, so a slow or failing mail server never
    holds up (or fails) the payment provider's callback.
    """
    from .mail import send_receipt as send
    from .models import Donation

    donation = Donation.objects.select_related("case").filter(pk=donation_id).first()
    if donation is None:
        return 0
    try:
        return send(donation)
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
    from .models import Donation

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
    from .update_mail import deliver_update

    try:
        return deliver_update(update_id)
    except Exception:
        logger.exception("Could not e-mail update %s to its donors", update_id)
        return 0
