"""Background jobs of the donations app (django-tasks; run by `manage.py db_worker`)."""

import logging

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
