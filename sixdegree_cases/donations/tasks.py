"""Background jobs of the donations app (django-tasks; run by `manage.py db_worker`)."""

import datetime
import logging
import threading
import time
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import receipts
from .links import account_mail
from .mail import send_account_mail as send_account_mail_now
from .update_mail import deliver_update

logger = logging.getLogger(__name__)


@task()
def send_receipt(donation_id):
    """E-mail the receipt of one confirmed donation, if it is still owed (see `receipts`).

    Safe to run twice: a receipt already sent, or being sent by another worker, is skipped.
    (Queues made before receipts were swept hold these; the sweep sends them too.)
    """
    return receipts.send_due([donation_id])


@task()
def send_due_receipts():
    """E-mail every receipt owed (see `receipts`): what `queue_receipt` asks for."""
    return receipts.send_due()


# Gifts confirmed by one process within this many seconds share one sweep, which starts after
# the last of them committed: at most one queued task per process every few seconds, however
# many gifts arrive, and a receipt leaves that much later at most.
SWEEP_EVERY = 5
# The worker's clock may run ahead of this server's: the sweep waits this much longer.
CLOCK_MARGIN = 2


class _SweepRequests:
    """When this process last asked for a sweep, and until when that sweep covers its gifts."""

    def __init__(self):
        self.lock = threading.Lock()
        self.covered_until = 0.0

    def claim(self):
        """True if the caller must ask for a sweep (none asked covers a gift committed now)."""
        now = time.monotonic()
        with self.lock:
            if now < self.covered_until:
                return False
            self.covered_until = now + SWEEP_EVERY
            return True

    def forget(self):
        with self.lock:
            self.covered_until = 0.0


sweep_requests = _SweepRequests()


def queue_receipt(donation_id):
    """A gift counted in the current transaction owes a receipt (its row says so already):
    ask for it to be sent once the transaction commits.

    Nothing is written in the confirming transaction, and nothing per gift: a rolled-back gift
    owes nothing, and a queue that can defer (the database queue of production) gets one sweep
    per `SWEEP_EVERY` seconds from this process, set to run after every gift that relied on it
    committed. Whatever happens to a request (a process that dies after the commit, a queue that
    cannot be written), the row still owes the receipt and `manage.py send_receipts` finds it.
    A queue that runs tasks at once (no worker) sends this gift's receipt right after the commit.
    """
    transaction.on_commit(partial(_request_sweep, donation_id))


def _request_sweep(donation_id):
    if not send_due_receipts.get_backend().supports_defer:
        task, args = send_receipt, (donation_id,)
    elif sweep_requests.claim():
        later = timezone.now() + datetime.timedelta(seconds=SWEEP_EVERY + CLOCK_MARGIN)
        task, args = send_due_receipts.using(run_after=later), ()
    else:
        return
    try:
        task.enqueue(*args)
    except Exception:
        # Owed in the row all the same: `manage.py send_receipts` sends it.
        logger.exception("Could not queue the receipt of donation %s", donation_id)
        sweep_requests.forget()


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
