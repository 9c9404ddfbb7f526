"""`manage.py privacy_check <page id or slug>`: run the privacy checks on a case's latest draft."""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from sixdegree_cases.privacy import check_page

EXIT_BLOCKED = 1
EXIT_USAGE = 2


def find_page(reference):
    """The page whose id or slug is `reference`; CommandError when there is none or several."""
    reference = str(reference).strip()
    pages = (
        Page.objects.filter(pk=int(reference)) if reference.isdigit() else Page.objects.filter(slug=reference)
    )
    found = list(pages[:10])
    if not found:
        raise CommandError(f"No page has the id or slug {reference!r}.", returncode=EXIT_USAGE)
    if len(found) > 1:
        ids = ", ".join(str(page.pk) for page in found)
        raise CommandError(
            f"Several pages have the slug {reference!r} (ids {ids}): give the id instead.",
            returncode=EXIT_USAGE,
        )
    return found[0].specific


class Command(BaseCommand):
    help = (
        "Run the automated privacy checks on a page's latest revision (the draft that would be "
        "submitted for review) and print the report. Exits with status 1 when anything blocks."
    )

    def add_arguments(self, parser):
        parser.add_argument("page", help="The page's id or slug.")

    def handle(self, *args, page, **options):
        case = find_page(page)
        revision = case.get_latest_revision()
        report = check_page(revision or case)
        self.print_report(case, revision, report)
        if report.blocking:
            raise CommandError(
                f"{len(report.blocking_findings)} blocking finding(s): this revision cannot be approved.",
                returncode=EXIT_BLOCKED,
            )

    def print_report(self, case, revision, report):
        write = self.stdout.write
        state = "live" if revision and case.live_revision_id == revision.pk else "draft"
        what = f"revision {revision.pk} ({state})" if revision else "the page (no revision)"
        write(self.style.MIGRATE_HEADING(f"Privacy check of page {case.pk}, {what}"))
        write(f"Checks run: {', '.join(report.checks_run) or 'none'}")
        if not report.findings:
            write(self.style.SUCCESS("No finding."))
        for finding in report.findings:
            style = self.style.ERROR if finding.blocking else self.style.WARNING
            write("")
            write(style(f"{finding.severity.upper():5}  {finding.check}  {finding.where}"))
            if finding.masked:
                write(f"       {finding.masked}")
            write(f"       {finding.message}")
        write("")
        write(f"{len(report.blocking_findings)} blocking, {len(report.warnings)} warning(s).")
        write(str(report.note))
