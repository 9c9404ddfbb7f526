"""`manage.py send_receipts`: send every donation receipt, and every update e-mail, still owed.

Confirmations ask the task worker for a sweep themselves; run this every minute from cron (or
the scheduler) as well, so a receipt whose request was lost (a process that died right after
the commit) still leaves within a minute. Safe to run beside the worker: each receipt is sent
once (see `sixdegree_cases.donations.receipts`).

Update e-mails ride along: a published update queues its e-mails once, so the ones a mail
server outage left unsent are only sent from here (each once, see
`sixdegree_cases.donations.update_mail`).
"""

from django.core.management.base import BaseCommand

from sixdegree_cases.donations.receipts import send_due
from sixdegree_cases.donations.update_mail import deliver_owed_updates


class Command(BaseCommand):
    help = (
        "Send every donation receipt and case-update e-mail that is owed and not sent yet "
        "(run it every minute)."
    )

    def handle(self, *args, **options):
        sent = send_due()
        updates = deliver_owed_updates()
        if options["verbosity"] > 1:
            self.stdout.write(f"{sent} receipt(s) sent")
            self.stdout.write(f"{updates} update e-mail(s) sent")
