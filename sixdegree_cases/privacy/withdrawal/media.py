"""The story's images: every image its pages or revisions showed that no other page uses.

Rows are deleted inside the withdrawal's transaction; files only after it commits (a storage
cannot be rolled back, so a file must not go while the story could still be restored). A file
the storage fails to delete is kept on the withdrawal (`pending_files`) and retried by
`erase_pending_files()` (the `privacy_erase_files` command), so a broken storage never undoes
or blocks the withdrawal and never forgets a file.
"""

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Page, ReferenceIndex, Revision

from ..extract import images
from .traces import erase_model_log

logger = logging.getLogger(__name__)


def images_ever_used(pages, revisions):
    """Every image the pages or any of their revisions show (drafts may use other pictures)."""
    found = {}
    for page in pages:
        found.update((used.image.pk, used.image) for used in images(page))
    for revision in revisions:
        try:
            snapshot = revision.as_object()
        except Exception:  # noqa: BLE001, S112 - an unreadable old revision is overwritten anyway
            continue
        found.update((used.image.pk, used.image) for used in images(snapshot))
    return [image for image in found.values() if isinstance(image, AbstractImage) and image.pk]


def _used_elsewhere(image, page_ids):
    """True when a page outside the story (or any other object) refers to the image, in its
    stored content (the reference index) or in its latest draft (which the index does not see)."""
    own = {str(pk) for pk in page_ids}
    for reference in ReferenceIndex.get_references_to(image):
        if reference.object_id not in own:
            return True
    return _in_other_drafts(image, page_ids)


def _in_other_drafts(image, page_ids):
    latest = Page.objects.exclude(pk__in=page_ids).exclude(latest_revision__isnull=True)
    revisions = Revision.objects.filter(pk__in=latest.values("latest_revision_id"))
    # A cheap filter on the stored JSON text, then the images the draft really shows.
    mention = rf"image[^0-9]{{1,8}}{image.pk}[^0-9]"
    candidates = revisions.alias(text=Cast("content", TextField())).filter(text__regex=mention)
    for revision in candidates:
        try:
            snapshot = revision.as_object()
        except Exception:  # noqa: BLE001, S112 - an unreadable draft shows nothing
            continue
        if any(used.image.pk == image.pk for used in images(snapshot)):
            return True
    return False


def erase_images(used, page_ids, neutral):
    """Delete each image only the story used, with its renditions and log entries, and return
    the storage names of their files (deleted later by `delete_files`). Images that another
    page shows lose only their renditions (new ones are made on the next view)."""
    files = []
    erased = []
    for image in used:
        renditions = list(image.renditions.all())
        files += [rendition.file.name for rendition in renditions if rendition.file]
        for rendition in renditions:
            rendition.delete()
        if _used_elsewhere(image, page_ids):
            continue
        if image.file:
            files.append(image.file.name)
        tags = list(image.tags.all())
        erased.append(image.pk)
        image.delete()
        for tag in tags:
            # A tag that named only this picture would keep its words.
            if not tag.taggit_taggeditem_items.exists():
                tag.delete()
    if erased:
        erase_model_log(get_image_model(), erased, neutral)
    return files


def delete_files(names, storage=None):
    """Delete these files from the storage; return the names it failed to delete."""
    storage = storage or default_storage
    failed = []
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            # The file name is random and holds no case text.
            logger.exception("Could not delete %s after a consent withdrawal; it will be retried.", name)
            failed.append(name)
    return failed


def delete_files_after_commit(withdrawal, names):
    """Once the withdrawal is committed, delete the files and remember those that remain."""

    def run():
        failed = delete_files(names)
        if failed:
            type(withdrawal).objects.filter(pk=withdrawal.pk).update(pending_files=failed)

    if names:
        transaction.on_commit(run, robust=True)


def erase_pending_files():
    """Retry the files earlier withdrawals could not delete; return how many remain."""
    from ..models import CaseWithdrawal

    remaining = 0
    for withdrawal in CaseWithdrawal.objects.exclude(pending_files=[]):
        failed = delete_files(withdrawal.pending_files)
        CaseWithdrawal.objects.filter(pk=withdrawal.pk).update(pending_files=failed)
        remaining += len(failed)
    return remaining
