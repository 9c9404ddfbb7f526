"""Receipts: owed in the donation's own row, sent by a sweep that finds every unsent one.

A confirmation only marks the receipt owed (`receipted_at`, set by the compare-and-set that
counts the gift, in its transaction): nothing is queued per gift, so the hot path pays no extra
statement. After the commit a sweep is asked for (`tasks.queue_receipt`), shared by the gifts
of a few seconds, so that a stream of gifts queues a handful of sweeps, not one task each.
Whatever asks, the state is in the row: a process that dies after the commit loses no
receipt, the next sweep (or `manage.py send_receipts`, run every minute) finds it.

Each receipt is sent once, even if a sweep runs twice or two workers sweep at once: a sweep
first claims its gifts (`receipt_claimed_at`, under `SKIP LOCKED`, committed before any
e-mail leaves), then marks each sent (`receipt_sent_at`). A claim older than `CLAIM_LEASE`
(a worker that died while sending) is taken again; each send renews its receipt's claim first,
and leaves a receipt whose claim another sweep took over; a send that failed gives its claim back.
The one window left is a worker that dies after the mail server took the e-mail and before
`receipt_sent_at` is written: that receipt may be sent twice, never lost.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .mail import send_receipt as send_receipt_now
from .models import Donation

logger = logging.getLogger(__name__)

# Longer than a send can take (EMAIL_TIMEOUT is seconds): a claim this old was left by a
# worker that died, and the receipt is sent again.
CLAIM_LEASE = datetime.timedelta(minutes=15)
BATCH = 100


def owed(now=None):
    """Donations whose receipt is owed, not sent, and not being sent by another worker."""
    now = now or timezone.now()
    return Donation.objects.filter(receipted_at__isnull=False, receipt_sent_at__isnull=True).filter(
        Q(receipt_claimed_at__isnull=True) | Q(receipt_claimed_at__lt=now - CLAIM_LEASE)
    )


def claim(donation_ids=None, limit=BATCH, exclude=(), now=None):
    """Claim up to `limit` owed receipts (of `donation_ids` if given) for this worker, at `now`
    (the claim's mark, which `deliver` checks); their ids.

    Committed at once: another sweep skips them from then on; a sweep that waited for the row
    finds it claimed (PostgreSQL re-reads a locked row's conditions) and leaves it."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = owed(now).exclude(pk__in=exclude)
        if donation_ids is not None:
            rows = rows.filter(pk__in=donation_ids)
        # A sweep skips rows another transaction holds (a callback, another sweep) and leaves
        # them for the next; asked for given gifts (their own receipts), it waits for them.
        locked = rows.order_by("receipted_at", "pk").select_for_update(skip_locked=donation_ids is None)
        ids = list(locked.values_list("pk", flat=True)[:limit])
        if ids:
            Donation.objects.filter(pk__in=ids).update(receipt_claimed_at=now)
    return ids


def deliver(donation_id, claimed_at=None):
    """Send one claimed receipt and mark it sent; on failure give the claim back (the next
    sweep tries again). Returns the number of e-mails sent.

    With `claimed_at` (the claim's mark), the claim is renewed first, and only if it is still
    this worker's: a batch is sent one receipt after the other, and a slow mail server can
    outlast the lease of the batch's last receipts, which another sweep then takes and sends.
    Each send gets a lease of its own, and a receipt taken over is left to the sweep that took it.
    """
    mine = Donation.objects.filter(pk=donation_id, receipt_sent_at__isnull=True)
    if claimed_at is not None:
        renewed_at = timezone.now()
        if not mine.filter(receipt_claimed_at=claimed_at).update(receipt_claimed_at=renewed_at):
            return 0
        mine = mine.filter(receipt_claimed_at=renewed_at)
    donation = Donation.objects.select_related("case").filter(pk=donation_id).first()
    if donation is None:
        return 0
    try:
        sent = send_receipt_now(donation)
    except Exception:
        logger.exception(
            "Could not send the receipt of donation %s: tried again by the next sweep", donation_id
        )
        # Only a claim still ours: one another sweep took meanwhile stays with it.
        mine.update(receipt_claimed_at=None)
        return 0
    # No address (the donor gave none) counts as done too: there is nothing to send.
    Donation.objects.filter(pk=donation_id).update(receipt_sent_at=timezone.now())
    return sent


def send_due(donation_ids=None):
    """Send every owed receipt (or those of `donation_ids`), batch after batch. Returns the
    number of e-mails sent."""
    sent, tried = 0, set()
    while True:
        # A receipt that failed is left for the next sweep, not tried again in this one.
        claimed_at = timezone.now()
        ids = claim(donation_ids, exclude=tried, now=claimed_at)
        for donation_id in ids:
            sent += deliver(donation_id, claimed_at)
        tried.update(ids)
        if len(ids) < BATCH:
            return sent
