"""`manage.py privacy_audit`: the tripwire that takes down any live page no reviewer approved.

Run it from cron (see README, "The privacy audit"); it exits 1 when it found anything, so
cron's mail or the scheduler's alerting reports it.
"""

from django.core.management.base import BaseCommand, CommandError

from sixdegree_cases.review.audit import audit_live_pages

EXIT_FOUND = 1


class Command(BaseCommand):
    help = (
        "Check that every live page equals an approved version and passes today's blocking "
        "privacy checks; unpublish and log each that does not."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what fails without unpublishing anything."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the audit for the task worker (db_worker) instead of running it here.",
        )

    def handle(self, *args, dry_run=False, enqueue=False, **options):
        if enqueue:
            if dry_run:
                raise CommandError("--enqueue runs the full audit: leave out --dry-run.", returncode=2)
            from sixdegree_cases.review.tasks import privacy_audit

            result = privacy_audit.enqueue()
            self.stdout.write(f"Privacy audit queued (task {result.id}).")
            return
        results = audit_live_pages(dry_run=dry_run)
        failed = [result for result in results if not result.passed]
        for result in failed:
            self.stdout.write(result.describe())
        unpublished = sum(1 for result in failed if result.unpublished)
        checked = len(results)
        noun = "live page" if checked == 1 else "live pages"
        self.stdout.write(f"{checked} {noun} checked, {unpublished} unpublished, {len(failed)} failing.")
        if failed:
            raise CommandError(f"{len(failed)} live page(s) failed the privacy audit.", returncode=EXIT_FOUND)
