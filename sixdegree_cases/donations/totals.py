"""Counting confirmed gifts exactly once, whatever a provider sends, how often and in what order.

Every status change goes through `record_status` (it is `Donation.change_status`), which in
one transaction:

1. locks the donation's row and re-reads it, so concurrent callbacks for the same gift queue
   up behind each other and each sees what the previous one did;
2. applies the transition only if `allowed` says so (a confirmed gift never goes back to
   rejected, a refund is final);
3. reconciles what the gift adds to its case's totals (`counted_amount`) with what it should
   add now, under the case's `CaseFunding` row lock. Reconciling a difference, rather than
   adding on every "confirmed", is what makes a repeated callback a no-op.

Lock order is always donation, then case funding: no deadlocks between callbacks.
"""

import logging
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from payments import PaymentStatus
from payments.signals import status_changed

from .models import ZERO, CaseFunding, Donation
from .tasks import send_receipt

logger = logging.getLogger(__name__)

KNOWN = frozenset(value for value, _label in PaymentStatus.CHOICES)


def allowed(current, new):
    """Whether a donation may move from `current` to `new`.

    - A refund is final: a late confirmation must not count refunded money.
    - A confirmed gift can only be refunded: a late "rejected", "error" or "cancelled" (an
      expired checkout session, a retried failure) never takes back money that arrived.
    - Anything else may move, including rejected → confirmed: if the provider says the money
      arrived, it counts.
    """
    if new == current:
        return False
    if current == PaymentStatus.REFUNDED:
        return False
    if current == PaymentStatus.CONFIRMED:
        return new == PaymentStatus.REFUNDED
    return True


def countable_amount(donation):
    """What a donation should add to its case's totals right now."""
    if donation.status != PaymentStatus.CONFIRMED:
        return ZERO
    return max(ZERO, donation.total - donation.refunded_amount)


def _copy_locked_fields(source, target):
    for name in ("status", "message", "counted_amount", "refunded_amount", "confirmed_at", "receipted_at"):
        setattr(target, name, getattr(source, name))


def record_status(donation, status, message=""):
    """Change a donation's status under a row lock and update its case's totals.

    Returns True when the status changed. The caller's `donation` instance is refreshed
    with what was stored. Sends django-payments' `status_changed` only on a real change.
    """
    if status not in KNOWN:
        # e.g. the dummy provider's `?verification_result=` taken from the query string.
        logger.warning("Donation %s: unknown status %r ignored", donation.pk, status)
        return False
    with transaction.atomic():
        locked = Donation.objects.select_for_update().get(pk=donation.pk)
        changed = allowed(locked.status, status)
        if changed:
            locked.status = status
            locked.message = message or ""
            update = ["status", "message", "modified"]
            if status == PaymentStatus.CONFIRMED and locked.confirmed_at is None:
                locked.confirmed_at = timezone.now()
                update.append("confirmed_at")
            if status == PaymentStatus.CONFIRMED and not locked.captured_amount:
                # The dummy provider never stores what it captured; BasePayment.refund() needs it.
                locked.captured_amount = locked.total
                update.append("captured_amount")
            if status == PaymentStatus.REFUNDED and locked.refunded_amount < locked.total:
                locked.refunded_amount = locked.total
                update.append("refunded_amount")
            locked.save(update_fields=update)
        elif status != locked.status:
            logger.info("Donation %s: ignored %s → %s", locked.pk, locked.status, status)
        _reconcile(locked)
        _copy_locked_fields(locked, donation)
        donation.captured_amount = locked.captured_amount
        if changed:
            status_changed.send(sender=Donation, instance=donation)
    return changed


def record_refund(donation, refunded_total):
    """Record that `refunded_total` (cumulative, as providers report it) has been refunded.

    A full refund moves the gift to "refunded"; a partial one lowers what it counts. Works
    before the confirmation arrives too: the late confirmation then counts only what is left.
    """
    with transaction.atomic():
        locked = Donation.objects.select_for_update().get(pk=donation.pk)
        refunded_total = min(Decimal(refunded_total), locked.total)
        if refunded_total > locked.refunded_amount:
            locked.refunded_amount = refunded_total
            locked.save(update_fields=["refunded_amount", "modified"])
        _copy_locked_fields(locked, donation)
        if locked.refunded_amount >= locked.total:
            record_status(donation, PaymentStatus.REFUNDED, "Refunded by the provider.")
        else:
            _reconcile(locked)
            _copy_locked_fields(locked, donation)


def _reconcile(locked):
    """Make the case's totals include exactly `countable_amount(locked)` for this donation.

    Must run inside the transaction that holds the donation's row lock.
    """
    desired = countable_amount(locked)
    delta = desired - locked.counted_amount
    if not delta:
        return
    funding = _lock_funding(locked.case_id)
    was_counted, now_counted = locked.counted_amount > 0, desired > 0
    funding.raised += delta
    funding.donors += int(now_counted) - int(was_counted)
    case = funding.case
    if funding.raised >= case.funding_target and funding.fully_funded_at is None:
        funding.fully_funded_at = locked.confirmed_at or timezone.now()
        funding.funded_in_days = days_to_funding(case, funding.fully_funded_at)
    elif funding.raised < case.funding_target and funding.fully_funded_at is not None:
        # Refunds took it back under the target: the form reopens.
        funding.fully_funded_at = None
        funding.funded_in_days = None
    funding.save()

    update = ["counted_amount"]
    locked.counted_amount = desired
    if now_counted and locked.receipted_at is None:
        locked.receipted_at = timezone.now()
        update.append("receipted_at")
        pk = locked.pk
        transaction.on_commit(lambda: send_receipt.enqueue(pk))
    locked.save(update_fields=update)


def _lock_funding(case_id):
    # `of=("self",)`: lock the totals row only, never the case's page rows editors work on.
    locked = CaseFunding.objects.select_for_update(of=("self",)).select_related("case")
    funding = locked.filter(case_id=case_id).first()
    if funding is None:
        # Normally created when the first donation starts; the savepoint keeps a concurrent
        # creation from breaking the outer transaction, and the re-read waits for its lock.
        try:
            with transaction.atomic():
                CaseFunding.objects.create(case_id=case_id)
        except IntegrityError:
            logger.debug("Case funding %s was created concurrently", case_id)
        funding = locked.get(case_id=case_id)
    return funding


def days_to_funding(case, funded_at):
    """Days from the case's launch (or first publication) to the confirming donation."""
    start = case.launch_date or (case.first_published_at and timezone.localdate(case.first_published_at))
    if start is None:
        return None
    return max(0, (timezone.localdate(funded_at) - start).days)
