"""`python manage.py load_demo_content`: the demo site, its four cases and a local admin user."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from home.demo.loader import DemoContentError, Report, get_or_create_admin, load_demo_content


class Command(BaseCommand):
    help = (
        "Load the demo site: a home page, the Cases index and four published cases with their "
        "illustrations, and a local admin user. A second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-admin",
            action="store_true",
            help="Do not create the admin user.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (only on a database that is not production's).",
        )

    def handle(self, *args, **options):
        # The demo publishes fictional cases without a privacy review and may add a superuser:
        # a production site must never get either by accident.
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Demo content is for a local development database, and DEBUG is off here. "
                "Pass --force if this database really is not production's."
            )
        report = Report()
        try:
            load_demo_content(report)
        except DemoContentError as error:
            raise CommandError(str(error)) from error
        generated_password = None
        if not options["no_admin"]:
            username = os.environ.get("DEMO_ADMIN_USERNAME") or "admin"
            password = os.environ.get("DEMO_ADMIN_PASSWORD") or None
            generated_password = get_or_create_admin(username, password, report)
        self.print_report(report)
        if generated_password:
            self.print_password(username, generated_password)

    def print_report(self, report):
        """A short summary: what was created, what was already there, what to look at."""
        self.stdout.write("Sixdegree demo content")
        for label in report.created:
            self.stdout.write(self.style.SUCCESS(f"  created: {label}"))
        for label in report.present:
            self.stdout.write(f"  already present: {label}")
        for note in report.notes:
            self.stdout.write(self.style.WARNING(f"  note: {note}"))
        self.stdout.write(f"{len(report.created)} created, {len(report.present)} already present.")

    def print_password(self, username, password):
        """Show the generated password this once: it is stored only as a hash."""
        self.stdout.write(
            self.style.WARNING(
                f"\nThe admin user “{username}” was created with this generated password, shown "
                "only this once. It is for local use only; keep it or change it with "
                f"`python manage.py changepassword {username}`.\n"
            )
        )
        self.stdout.write(f"    {password}\n")
