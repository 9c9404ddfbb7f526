"""Background jobs of the donations app (django-tasks; run by `manage.py db_worker`)."""

import datetime
import logging

from django.core.cache import cache, caches
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

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
    """E-mail every receipt owed (see `receipts`): what `queue_receipt` asks for.

    Clears the request first, so a gift committed while this runs asks for another sweep (a
    delete Redis could not do is done when it answers again; meanwhile the request expires)."""
    cache.delete(SWEEP_REQUESTED)
    return receipts.send_due()


# Set while a sweep is queued and has not started: gifts confirmed meanwhile queue nothing more.
SWEEP_REQUESTED = "sixdegree:donations:receipt-sweep"
# If the process that set it died before queueing the sweep, gifts wait this long at most for
# the next request (or for `manage.py send_receipts`, which runs every minute anyway).
SWEEP_REQUEST_TIMEOUT = 30


def queue_receipt(donation_id=None):
    """A gift counted in the current transaction owes a receipt (its row says so already):
    ask for a sweep once the transaction commits.

    Nothing is written in the confirming transaction: a rolled-back gift owes nothing and the
    sweep finds nothing. With a queue that runs elsewhere (the database queue of production),
    one sweep is queued for a stream of gifts: a shared cache holds "a sweep is queued" until
    the sweep starts. Without a shared cache, or when it cannot answer, each gift queues its
    own sweep (each sends whatever is owed; none sends a receipt twice). A queue that runs
    tasks at once sends the receipt right after the commit.
    """
    transaction.on_commit(_request_sweep)


def _request_sweep():
    requested = False
    if _coalesces():
        try:
            if not _shared_cache().add(SWEEP_REQUESTED, 1, timeout=SWEEP_REQUEST_TIMEOUT):
                return
            requested = True
        except Exception:  # noqa: BLE001 - any cache error: queue without it, never fail the gift
            logger.warning("Receipt sweep: the shared cache did not answer, queued without it")
    try:
        send_due_receipts.enqueue()
    except Exception:
        # Owed in the row all the same: `manage.py send_receipts` sends it.
        logger.exception("Could not queue a receipt sweep")
        if requested:
            cache.delete(SWEEP_REQUESTED)


def _coalesces():
    """Whether a sweep may be shared between gifts: the queue runs tasks elsewhere, later, and
    the cache that says "queued" is one all app servers and workers see."""
    from django.core.cache.backends.dummy import DummyCache
    from django.core.cache.backends.locmem import LocMemCache

    return not isinstance(caches["default"], LocMemCache | DummyCache) and not isinstance(
        send_due_receipts.get_backend(), ImmediateBackend
    )


def _shared_cache():
    # A cache that can say "I could not answer" (ResilientRedisCache.strict) is asked strictly:
    # "not stored" must never be mistaken for "a sweep is already queued".
    return getattr(cache, "strict", cache)


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
