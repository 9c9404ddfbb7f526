"""E-mail receipts: one per confirmed gift, sent after the confirming transaction commits.

The receipt names the case by pseudonym and links to it; it carries no story text, so it
stays valid (and safe) after a consent withdrawal.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from payments.core import get_base_url

from .progress import gift_surplus
from .surplus import surplus_note


def receipt_context(donation):
    case = donation.case
    case_url = ""
    if case.live:
        url = case.get_url()
        case_url = url if url and url.startswith("http") else f"{get_base_url()}{url or ''}"
    return {
        "donation": donation,
        "reference": str(donation.token).split("-")[0].upper(),
        "pseudonym": case.pseudonym,
        "case_url": case_url,
        "amount": f"{donation.total:.2f}",
        "currency": donation.currency,
        "date": timezone.localtime(donation.confirmed_at or timezone.now()),
        "site_name": getattr(settings, "WAGTAIL_SITE_NAME", "Sixdegree"),
        # What of this gift is past the case's goal when the receipt leaves, and where it goes.
        "surplus_note": surplus_note(case, gift_surplus(donation), donation.currency),
    }


def send_receipt(donation):
    """Send the receipt of a confirmed donation to the address the donor gave."""
    if not donation.billing_email:
        return 0
    context = receipt_context(donation)
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("sixdegree_donations/mail/receipt_subject.txt", context)
        body = render_to_string("sixdegree_donations/mail/receipt.txt", context)
    return send_mail(
        " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [donation.billing_email],
    )


def send_account_mail(to, template, context):
    """Send a donor-account e-mail now (the task `tasks.send_account_mail` calls this;
    `accounts._mail` queues it)."""
    context = {"site_name": getattr(settings, "WAGTAIL_SITE_NAME", "Sixdegree"), **context}
    subject = render_to_string(f"sixdegree_donations/mail/{template}_subject.txt", context)
    body = render_to_string(f"sixdegree_donations/mail/{template}.txt", context)
    return send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to])
