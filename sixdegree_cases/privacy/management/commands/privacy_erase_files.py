"""Retry deleting the image files that a storage failed to delete after a consent withdrawal."""

from django.core.management.base import BaseCommand, CommandError

from sixdegree_cases.privacy.withdrawal.media import erase_pending_files


class Command(BaseCommand):
    help = (
        "Delete the image files of withdrawn cases that the storage could not delete at the time. "
        "Exits 1 while some remain."
    )

    def handle(self, *args, **options):
        remaining = erase_pending_files()
        if remaining:
            raise CommandError(f"{remaining} file(s) of withdrawn cases could not be deleted yet.")
        self.stdout.write("Every file of withdrawn cases is deleted.")
