"""`manage.py send_receipts`: send every donation receipt still owed.

Confirmations ask the task worker for a sweep themselves; run this every minute from cron (or
the scheduler) as well, so a receipt whose request was lost (a process that died right after
the commit) still leaves within a minute. Safe to run beside the worker: each receipt is sent
once (see `sixdegree_cases.donations.receipts`).
"""

from django.core.management.base import BaseCommand

from sixdegree_cases.donations.receipts import send_due


class Command(BaseCommand):
    help = "Send every donation receipt that is owed and not sent yet (run it every minute)."

    def handle(self, *args, **options):
        sent = send_due()
        if options["verbosity"] > 1:
            self.stdout.write(f"{sent} receipt(s) sent")
