"""Telling donors what happened next: one e-mail per opted-in donor and live update.

Who: every donor of the case who ticked "Tell me what happened next" on the donate form (off
by default) on a confirmed gift, once per address, until they use the unsubscribe link.

Exactly once: each (update, address) pair gets one `UpdateDelivery` row, inserted with
INSERT … ON CONFLICT DO NOTHING under a unique constraint; rows are claimed in batches with
SELECT … FOR UPDATE SKIP LOCKED and marked sent in the same transaction, so a task queued twice,
run twice or run by two workers at once sends each e-mail once. A failing mail server leaves
the batch unsent and never touches publishing: the task is queued after the publish commits,
and every error is caught and logged here. What is owed is sent by the next run:
`deliver_owed_updates()`, from `manage.py send_receipts` every minute. An address the server
refuses costs only its own e-mail (the other donors' go on) and is given up after
`MAX_ATTEMPTS` refusals.

What: the update's public fields only (`updates.public.update_dict`: title, period, narrative)
and the case's pseudonym and link, in HTML with a plain-text part, and a one-click unsubscribe
link (also as `List-Unsubscribe` headers, RFC 8058).
"""

import hashlib
import hmac
import logging
import smtplib
from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from payments import PaymentStatus
from payments.core import get_base_url

from .. import get_update_model
from ..conf import get_setting
from ..privacy.text import html_to_text
from ..updates.public import update_dict
from .models import Donation, UpdateDelivery

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "sixdegree.updates.unsubscribe"

# An address refused this many times (no such mailbox, or one chosen to be refused) is given up.
MAX_ATTEMPTS = 5

# This one address was refused (by the server, or as a header Django will not write): the
# connection is still good and the other donors' e-mails go on. Anything else (a server down,
# a refused sender or content) is the server's, and stops the run until the next one.
REFUSED_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, ValueError)


def normalised_address(email):
    return (email or "").strip().lower()


def address_digest(email):
    """A keyed digest of the address: delivery rows and links never hold the address itself."""
    key = hashlib.sha256(f"{UNSUBSCRIBE_SALT}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, normalised_address(email).encode(), hashlib.sha256).hexdigest()


def unsubscribe_token(case_id, email):
    """A signed token for "stop updates on case `case_id` to this address" (no expiry)."""
    return signing.dumps({"c": int(case_id), "a": address_digest(email)}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """`(case_id, digest)` of a valid token, or None for anything forged, altered or garbled."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int) or not isinstance(data.get("a"), str):
        return None
    return data["c"], data["a"]


def unsubscribe(case_id, digest):
    """Stop updates on the case to the address with `digest`. Returns how many gifts changed."""

    changed = [
        pk
        for pk, email in Donation.objects.filter(case_id=case_id, hear_back=True).values_list(
            "pk", "billing_email"
        )
        if email and address_digest(email) == digest
    ]
    return Donation.objects.filter(pk__in=changed).update(hear_back=False)


def subscribers(case):
    """`{digest: address}` of the donors of `case` who asked to hear back (confirmed gifts)."""

    found = {}
    gifts = Donation.objects.filter(case=case, hear_back=True, status=PaymentStatus.CONFIRMED).exclude(
        billing_email=""
    )
    for email in gifts.order_by("pk").values_list("billing_email", flat=True):
        found.setdefault(address_digest(email), normalised_address(email))
    return found


def _absolute(url):
    return url if url.startswith("http") else urljoin(get_base_url(), url)


def message_for(update, case, email, connection=None):
    """The e-mail of `update` to one donor: public fields only, HTML and plain text."""

    public = update_dict(update)
    unsubscribe_url = _absolute(
        reverse("sixdegree_donations:unsubscribe_updates", args=[unsubscribe_token(case.pk, email)])
    )
    context = {
        "update": {key: public[key] for key in ("title", "period", "narrative")},
        "narrative_text": html_to_text(public["narrative"]),
        "pseudonym": case.pseudonym,
        "case_url": _absolute(f"{case.get_url() or ''}#update-{update.pk}") if case.live else "",
        "unsubscribe_url": unsubscribe_url,
        "site_name": getattr(settings, "WAGTAIL_SITE_NAME", "Sixdegree"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("sixdegree_donations/mail/update_subject.txt", context)
        text = render_to_string("sixdegree_donations/mail/update.txt", context)
        html = render_to_string("sixdegree_donations/mail/update.html", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()),
        text,
        settings.DEFAULT_FROM_EMAIL,
        [email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _live_update(update_id):
    CaseUpdate = get_update_model()

    update = CaseUpdate.objects.live().public().filter(pk=update_id).first()
    if update is None:
        return None, None
    case = update.get_parent().specific
    if not case.live:
        return None, None
    return update, case


def deliver_update(update_id):
    """E-mail live update `update_id` to every opted-in donor of its case who has not had it.

    Returns the number of e-mails sent by this run. Never raises for a mail server's failure.
    """

    update, case = _live_update(update_id)
    if update is None:
        return 0
    addresses = subscribers(case)
    UpdateDelivery.objects.bulk_create(
        [UpdateDelivery(update=update, address_digest=digest) for digest in addresses],
        ignore_conflicts=True,
    )
    batch_size = max(1, int(get_setting("SIXDEGREE_UPDATE_MAIL_BATCH")))
    sent = 0
    # Each row is tried at most once per run (a refused one waits for the next run).
    tried = []
    # Bounded: however the rows end up, a run never loops past the batches it started with.
    rows = UpdateDelivery.objects.filter(update=update).count()
    for _round in range(rows // batch_size + 2):
        with transaction.atomic():
            batch = list(
                UpdateDelivery.objects.select_for_update(skip_locked=True)
                .filter(owed_deliveries(), update=update)
                .exclude(pk__in=tried)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return sent
            tried.extend(row.pk for row in batch)
            sent_now, failed = _send_batch(update, case, batch, addresses)
            sent += sent_now
        if failed:
            # The mail server refused: stop here, the rest waits for the next run.
            return sent
    return sent


def _send_batch(update, case, batch, addresses):
    now = timezone.now()
    skipped = [row for row in batch if row.address_digest not in addresses]
    wanted = [row for row in batch if row.address_digest in addresses]
    UpdateDelivery.objects.filter(pk__in=[row.pk for row in skipped]).update(
        status=UpdateDelivery.Status.SKIPPED, sent_at=None
    )
    if not wanted:
        return 0, False
    delivered = []
    refused = []
    failed = False
    try:
        # One connection per batch; each message on its own, so a server that fails halfway
        # leaves the ones it accepted marked sent (never sent twice).
        with get_connection() as connection:
            for row in wanted:
                message = message_for(update, case, addresses[row.address_digest], connection)
                try:
                    message.send()
                except REFUSED_MESSAGE_ERRORS:
                    # This address only (never logged: the digest says which row).
                    logger.warning("The mail server refused update %s for one donor", update.pk)
                    refused.append(row.pk)
                    continue
                delivered.append(row.pk)
    except Exception:
        logger.exception("Could not e-mail update %s to a batch of donors", update.pk)
        failed = True
    UpdateDelivery.objects.filter(pk__in=delivered).update(
        status=UpdateDelivery.Status.SENT, sent_at=now, attempts=F("attempts") + 1
    )
    UpdateDelivery.objects.filter(pk__in=refused).update(
        status=UpdateDelivery.Status.FAILED, attempts=F("attempts") + 1
    )
    # A server that is down is no fault of these donors: their e-mails wait for the next run.
    UpdateDelivery.objects.filter(
        pk__in=[row.pk for row in wanted if row.pk not in delivered and row.pk not in refused]
    ).update(status=UpdateDelivery.Status.FAILED)
    return len(delivered), failed


def owed_deliveries():
    """Deliveries still to send: pending, or failed fewer than `MAX_ATTEMPTS` times."""
    return Q(status=UpdateDelivery.Status.PENDING) | Q(
        status=UpdateDelivery.Status.FAILED, attempts__lt=MAX_ATTEMPTS
    )


def deliver_owed_updates():
    """Send what earlier runs owe (a mail server that was down, a worker that died): every
    live update with deliveries still to send. Returns the number of e-mails sent."""
    CaseUpdate = get_update_model()

    owed = (
        UpdateDelivery.objects.filter(owed_deliveries(), update__in=CaseUpdate.objects.live())
        .values_list("update_id", flat=True)
        .distinct()
    )
    return sum(deliver_update(update_id) for update_id in sorted(owed))
