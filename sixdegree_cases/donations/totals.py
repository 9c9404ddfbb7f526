"""Counting confirmed gifts exactly once, whatever a provider sends, how often and in what order.

Every status change goes through `record_status` (it is `Donation.change_status`).

- **A confirmation** (the hot path: every provider callback may bring one) is one statement
  (`_confirm`) of two data-modifying parts: a compare-and-set on the donation (`UPDATE … WHERE
  status NOT IN (confirmed, refunded)`), then an upsert of the case's totals (`INSERT … ON
  CONFLICT DO UPDATE SET raised = raised + …`) fed by the first's `RETURNING`. PostgreSQL
  serialises concurrent statements on the donation's row and re-checks the condition against
  the committed version, so of twenty simultaneous deliveries exactly one matches; the totals
  are added in SQL, never read into Python and written back, so concurrent gifts to one case
  never lose an update.
- **Anything else** (rejections, refunds, partial refunds) is rare: it locks the donation's row,
  applies the transition if `allowed` says so, and adds the difference between what the gift
  counts now and what it should count (`counted_amount`) with the same atomic upsert.
  Reconciling a difference, rather than adding on every event, is what makes a repeat a no-op.

Lock order is always donation, then case totals: no deadlocks between callbacks. The totals row
is written without `Model.save()`, so `post_save` of `CaseFunding` is sent explicitly after each
change (`_totals_changed`): its receivers (the page cache) see every change as before.
"""

import functools
import logging
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from payments import PaymentStatus
from payments.signals import status_changed

from ..caching.invalidation import invalidate_case
from .models import ZERO, CaseFunding, Donation
from .tasks import queue_receipt

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


# The statuses `allowed` keeps from moving to "confirmed" (confirmed itself, refunded): the
# confirmation's compare-and-set is written from the rule, never restated beside it.
CANNOT_CONFIRM = tuple(sorted(status for status in KNOWN if not allowed(status, PaymentStatus.CONFIRMED)))


def countable_amount(donation):
    """What a donation should add to its case's totals right now: nothing for a gift in another
    currency than its case's (it stays, confirmed, for finance to sort out; see `_wrong_currency`)."""
    if donation.status != PaymentStatus.CONFIRMED:
        return ZERO
    if _wrong_currency(donation):
        return ZERO
    return max(ZERO, donation.total - donation.refunded_amount)


def _wrong_currency(donation):
    """True (and logged) when the gift's currency is not its case's: the totals add numbers, so
    such a gift is never counted (a case's currency is fixed once it has gifts, see
    `currency_lock`; this holds even if that was bypassed)."""
    case_model = Donation._meta.get_field("case").related_model
    currency = case_model.objects.filter(pk=donation.case_id).values_list("currency", flat=True).first()
    if currency is None or currency == donation.currency:
        return False
    _log_wrong_currency(donation.pk, donation.currency, currency)
    return True


def _log_wrong_currency(pk, gift_currency, case_currency):
    logger.error(
        "Donation %s is in %s but its case is in %s: not counted in the case's totals",
        pk,
        gift_currency,
        case_currency,
    )


def _copy_locked_fields(source, target):
    for name in (
        "status",
        "message",
        "counted_amount",
        "refunded_amount",
        "confirmed_at",
        "receipted_at",
        "surplus_amount",
    ):
        setattr(target, name, getattr(source, name))


@functools.cache
def _sql(template):
    """`template` with this database's table names (from the models' metadata; values are
    always query parameters)."""
    case_model = Donation._meta.get_field("case").related_model
    quote = connection.ops.quote_name
    tables = {
        "donation": quote(Donation._meta.db_table),
        "funding": quote(CaseFunding._meta.db_table),
        "case": quote(case_model._meta.db_table),
        "case_pk": quote(case_model._meta.pk.column),
    }
    return template.format(returning=_TOTALS_RETURNING.format(**tables).strip(), **tables).strip()


# What the totals look like after a change, for the funded-or-not decision and the signal.
_TOTALS_RETURNING = """
    f.raised, f.donors, f.fully_funded_at, f.funded_in_days, f.updated_at,
    (SELECT c.funding_target FROM {case} AS c WHERE c.{case_pk} = f.case_id) AS target
"""

# Adds a difference to a case's totals in one atomic statement, creating the row if needed.
_ADD_SQL = """
INSERT INTO {funding} AS f (case_id, raised, donors, updated_at)
VALUES (%(case_id)s, %(delta)s, %(donors)s, %(now)s)
ON CONFLICT (case_id) DO UPDATE
SET raised = f.raised + EXCLUDED.raised, donors = f.donors + EXCLUDED.donors, updated_at = EXCLUDED.updated_at
RETURNING f.case_id, {returning}
"""

# Takes a difference (a refund) off a case's totals, which exist since the gift was counted. Not
# an upsert: PostgreSQL checks the row an upsert proposes (raised, donors ≥ 0) before it finds
# the conflict.
_SUBTRACT_SQL = """
UPDATE {funding} AS f
SET raised = f.raised + %(delta)s, donors = f.donors + %(donors)s, updated_at = %(now)s
WHERE f.case_id = %(case_id)s
RETURNING f.case_id, {returning}
"""

# A confirmation in one statement: the compare-and-set on the donation (`gift`), then the
# totals upsert (`totals`) fed by what the gift now counts. Only a donation not yet confirmed
# (nor refunded, which is final) moves, and counts what it should. `old` locks the row and reads
# what it counted before, so the difference added to the totals is exact whatever an earlier
# change left. A repeat matches no donation row, so nothing reaches the totals either.
# A confirmation that counts less than before (possible only for a gift in another currency
# than its case's) adds nothing here: `_confirm` takes the difference off with `_SUBTRACT_SQL`.
_CONFIRM_SQL = """
WITH old AS (
    SELECT d0.id, d0.counted_amount, d0.receipted_at,
        (c.currency IS DISTINCT FROM d0.currency) AS wrong_currency, c.currency AS case_currency
    FROM {donation} AS d0 LEFT JOIN {case} AS c ON c.{case_pk} = d0.case_id
    WHERE d0.id = %(id)s FOR UPDATE OF d0
), gift AS (
    UPDATE {donation} AS d
    SET status = %(confirmed)s,
        message = %(message)s,
        modified = %(now)s,
        confirmed_at = COALESCE(d.confirmed_at, %(now)s),
        captured_amount = CASE WHEN d.captured_amount = 0 THEN d.total ELSE d.captured_amount END,
        counted_amount = CASE
            WHEN old.wrong_currency THEN 0 ELSE GREATEST(0, d.total - d.refunded_amount) END,
        receipted_at = CASE
            WHEN d.receipted_at IS NULL AND d.total > d.refunded_amount THEN %(now)s
            ELSE d.receipted_at END
    FROM old
    WHERE d.id = old.id AND d.status NOT IN %(cannot_confirm)s
    RETURNING d.case_id, d.message, d.counted_amount, d.refunded_amount, d.confirmed_at,
        d.receipted_at, d.captured_amount, old.counted_amount AS old_counted,
        (old.receipted_at IS NULL AND d.receipted_at IS NOT NULL) AS receipt_due,
        old.wrong_currency, old.case_currency, d.currency
), totals AS (
    INSERT INTO {funding} AS f (case_id, raised, donors, updated_at)
    SELECT gift.case_id, gift.counted_amount - gift.old_counted,
        (gift.counted_amount > 0)::int - (gift.old_counted > 0)::int, %(now)s
    FROM gift
    WHERE gift.counted_amount > gift.old_counted
    ON CONFLICT (case_id) DO UPDATE
    SET raised = f.raised + EXCLUDED.raised, donors = f.donors + EXCLUDED.donors,
        updated_at = EXCLUDED.updated_at
    RETURNING {returning}
)
SELECT gift.case_id, gift.message, gift.counted_amount, gift.refunded_amount, gift.confirmed_at,
    gift.receipted_at, gift.captured_amount, gift.old_counted, gift.receipt_due,
    gift.wrong_currency, gift.case_currency, gift.currency,
    totals.raised, totals.donors, totals.fully_funded_at, totals.funded_in_days, totals.updated_at,
    totals.target
FROM gift LEFT JOIN totals ON TRUE
"""

_GIFT_FIELDS = (
    "case_id",
    "message",
    "counted_amount",
    "refunded_amount",
    "confirmed_at",
    "receipted_at",
    "captured_amount",
    "old_counted",
    "receipt_due",
    "wrong_currency",
    "case_currency",
    "currency",
)
_TOTALS_FIELDS = ("raised", "donors", "fully_funded_at", "funded_in_days", "updated_at", "target")


def record_status(donation, status, message=""):
    """Change a donation's status and update its case's totals in the same transaction.

    Returns True when the status changed. The caller's `donation` instance is refreshed
    with what was stored. Sends django-payments' `status_changed` only on a real change.
    """
    if status not in KNOWN:
        # e.g. the dummy provider's `?verification_result=` taken from the query string.
        logger.warning("Donation %s: unknown status %r ignored", donation.pk, status)
        return False
    if status == PaymentStatus.CONFIRMED and connection.vendor == "postgresql":
        # One statement. Elsewhere (SQLite: `make run`, a host site trying the plugin) the
        # locked path below does the same in a few.
        return _confirm(donation, message)
    with transaction.atomic():
        locked = Donation.objects.select_for_update().get(pk=donation.pk)
        changed = allowed(locked.status, status)
        if changed:
            locked.status = status
            locked.message = message or ""
            update = ["status", "message", "modified"]
            if status == PaymentStatus.CONFIRMED:
                # What `_CONFIRM_SQL` sets, for databases that run this path instead.
                locked.confirmed_at = locked.confirmed_at or timezone.now()
                if not locked.captured_amount:
                    locked.captured_amount = locked.total
                update += ["confirmed_at", "captured_amount"]
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


def _confirm(donation, message):
    """Confirm `donation` and count it in one statement (`_CONFIRM_SQL`): a compare-and-set on
    the donation (a repeat matches no row), then the totals upsert, the last statement before
    the commit.

    Every confirmation of a case waits for the previous one's commit on its totals row, so
    nothing else goes to the database between taking that lock and committing in the usual
    case: the receipt is marked owed by the compare-and-set itself (a sweep sends it after the
    commit, see `receipts`), and `status_changed` only queues work for after the commit; only
    crossing the target or a surplus adds a statement after it.
    """
    now = timezone.now()
    # No savepoint: inside a caller's transaction (django-payments' callback view is atomic)
    # one would cost two more round trips per gift, and nothing here recovers from an error
    # half-way: a failure must roll back the caller's whole transaction anyway (nobody may
    # commit a confirmed donation without its count).
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            _sql(_CONFIRM_SQL),
            {
                "id": donation.pk,
                "message": message or "",
                "now": now,
                "confirmed": PaymentStatus.CONFIRMED,
                "cannot_confirm": CANNOT_CONFIRM,
            },
        )
        row = cursor.fetchone()
        if row is None:
            # Already confirmed (a repeated callback) or refunded (final): nothing changes.
            stored = Donation.objects.filter(pk=donation.pk).values(*LOCKED_READ).first() or {}
            if stored.get("status") == PaymentStatus.REFUNDED:
                logger.info("Donation %s: ignored refunded → confirmed", donation.pk)
            for name, value in stored.items():
                setattr(donation, name, value)
            return False
        gift = dict(zip(_GIFT_FIELDS, row[: len(_GIFT_FIELDS)], strict=True))
        written = dict(zip(_TOTALS_FIELDS, row[len(_GIFT_FIELDS) :], strict=True))
        if gift["wrong_currency"]:
            _log_wrong_currency(donation.pk, gift["currency"], gift["case_currency"])
        donation.status = PaymentStatus.CONFIRMED
        for name in (
            "message",
            "counted_amount",
            "refunded_amount",
            "confirmed_at",
            "receipted_at",
            "captured_amount",
        ):
            setattr(donation, name, gift[name])
        if gift["receipt_due"]:
            queue_receipt(donation.pk)
        status_changed.send(sender=Donation, instance=donation)
        added = gift["counted_amount"] - gift["old_counted"]
        if added:
            totals = written if added > 0 else None
            if added < 0:
                counted_before, counted_now = gift["old_counted"] > 0, gift["counted_amount"] > 0
                totals = _add_to_totals(
                    cursor, gift["case_id"], added, int(counted_now) - int(counted_before), now
                )
            if totals is not None:
                _totals_changed(gift["case_id"], totals, gift["confirmed_at"], added)
                _keep_surplus(donation, added, totals)
    return True


def _add_to_totals(cursor, case_id, delta, donors, now):
    """Add `delta` (and `donors`) to the case's totals in one statement; the totals after."""
    if connection.vendor != "postgresql":
        return _add_to_totals_portably(case_id, delta, donors, now)
    cursor.execute(
        _sql(_ADD_SQL if delta > 0 else _SUBTRACT_SQL),
        {"case_id": case_id, "delta": delta, "donors": donors, "now": now},
    )
    row = cursor.fetchone()
    if row is None:
        # Only a subtraction can find no row: the totals were deleted by hand after counting.
        logger.error("Case %s has no totals to take %s off", case_id, -delta)
        return None
    return dict(zip(_TOTALS_FIELDS, row[1:], strict=True))


def _add_to_totals_portably(case_id, delta, donors, now):
    """`_add_to_totals` for databases without PostgreSQL's upsert and RETURNING (SQLite, where a
    write locks the whole database): the same atomic additions through the ORM."""
    funding, _ = CaseFunding.objects.select_for_update().get_or_create(case_id=case_id)
    CaseFunding.objects.filter(pk=funding.pk).update(
        raised=F("raised") + delta, donors=F("donors") + donors, updated_at=now
    )
    funding.refresh_from_db()
    target = Donation._meta.get_field("case").related_model.objects.values_list("funding_target", flat=True)
    return {
        "raised": funding.raised,
        "donors": funding.donors,
        "fully_funded_at": funding.fully_funded_at,
        "funded_in_days": funding.funded_in_days,
        "updated_at": funding.updated_at,
        "target": target.filter(pk=case_id).first(),
    }


def _keep_surplus(donation, added, totals):
    """Record what of this gift went past the target (a gift in flight when the form closed).

    `totals` are the ones this gift's own statement returned: concurrent confirmations are
    serialised on the totals row, so each sees exactly the total its gift made.
    """
    target = totals["target"]
    if target is None or added <= 0 or totals["raised"] <= target:
        return
    surplus = min(added, totals["raised"] - target)
    Donation.objects.filter(pk=donation.pk).update(surplus_amount=surplus)
    donation.surplus_amount = surplus


LOCKED_READ = (
    "status",
    "surplus_amount",
    "message",
    "counted_amount",
    "refunded_amount",
    "confirmed_at",
    "receipted_at",
    "captured_amount",
)


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
    now = timezone.now()
    with connection.cursor() as cursor:
        totals = _add_to_totals(
            cursor, locked.case_id, delta, int(desired > 0) - int(locked.counted_amount > 0), now
        )
    if totals is not None:
        _totals_changed(locked.case_id, totals, locked.confirmed_at or now, delta)
        _keep_surplus(locked, delta, totals)

    update = ["counted_amount"]
    locked.counted_amount = desired
    surplus = _surplus_left(locked.surplus_amount, desired, totals)
    if surplus != locked.surplus_amount:
        locked.surplus_amount = surplus
        update.append("surplus_amount")
    if desired > 0 and locked.receipted_at is None:
        locked.receipted_at = now
        update.append("receipted_at")
        queue_receipt(locked.pk)
    locked.save(update_fields=update)


def _surplus_left(surplus, counted, totals):
    """A gift's surplus after a refund of it: the refund comes off the surplus first, so it is
    never more than the gift still counts, nor than its case still holds past the target (the
    donor is never told money went elsewhere that was given back)."""
    left = min(surplus, counted)
    if totals is not None and totals["target"] is not None:
        left = min(left, max(ZERO, totals["raised"] - totals["target"]))
    return max(ZERO, left)


def _totals_changed(case_id, totals, when, delta):
    """Mark the case funded (or not any more) if this change (`delta`) crossed its target, and
    tell `post_save` receivers of `CaseFunding`. Runs in the transaction holding the totals row.

    Crossing is judged from the totals before and after, not from `fully_funded_at` alone: an
    editor may raise the target of a funded case (the form reopens), and reaching the new
    target must close the form, drop the cached page and date the funding again."""
    funding = CaseFunding(
        case_id=case_id,
        raised=totals["raised"],
        donors=totals["donors"],
        fully_funded_at=totals["fully_funded_at"],
        funded_in_days=totals["funded_in_days"],
        updated_at=totals["updated_at"],
    )
    target = totals["target"]
    if target is not None:
        crossed = funding.raised >= target > funding.raised - delta
        if funding.raised >= target and (funding.fully_funded_at is None or crossed):
            case = Donation._meta.get_field("case").related_model.objects.get(pk=case_id)
            funding.fully_funded_at = when
            funding.funded_in_days = days_to_funding(case, when)
        elif funding.raised < target and funding.fully_funded_at is not None:
            # Refunds took it back under the target: the form reopens.
            funding.fully_funded_at = None
            funding.funded_in_days = None
        else:
            target = None
    if target is not None:
        CaseFunding.objects.filter(case_id=case_id).update(
            fully_funded_at=funding.fully_funded_at, funded_in_days=funding.funded_in_days
        )
        # The donate form closes (or reopens): every cached copy of the page must go, whatever
        # the page cache does with ordinary changes of the figures. Takes effect on commit.
        invalidate_case(case_id)
    funding._state.adding = False
    post_save.send(
        sender=CaseFunding,
        instance=funding,
        created=False,
        update_fields=None,
        raw=False,
        using=connection.alias,
    )


def days_to_funding(case, funded_at):
    """Days from the case's launch (or first publication) to the confirming donation."""
    start = case.launch_date or (case.first_published_at and timezone.localdate(case.first_published_at))
    if start is None:
        return None
    return max(0, (timezone.localdate(funded_at) - start).days)
