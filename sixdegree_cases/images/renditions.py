"""What each rendition looked like when it was generated, and a check that it still does.

The public is served renditions, never the original. An approval pins the original's bytes
(`review.fingerprint.image_pins`); a rendition is derived from them, so the SHA-256 of its
file is recorded the moment it is generated, from the bytes in memory, before it reaches
storage. A rendition whose stored file no longer has that digest was written over outside
Wagtail (storage access, a script): `tampered_renditions` finds it so the audit can delete it
(the next request regenerates it from the pinned original) and take its pages down.
"""

import hashlib
import logging

logger = logging.getLogger(__name__)


def digest_of(file):
    """SHA-256 of an open or in-memory file's bytes; its read position is put back to the start."""
    file.seek(0)
    digest = hashlib.file_digest(file, "sha256").hexdigest()
    file.seek(0)
    return digest


def stored_digest(rendition):
    """SHA-256 of the rendition's stored file, or "" when it cannot be read."""
    try:
        with rendition.file.storage.open(rendition.file.name, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except (OSError, ValueError):
        return ""


def tampered_renditions(image_ids):
    """`(rendition, recorded)` for each rendition of `image_ids` whose stored file does not have
    the digest recorded when it was generated; `recorded` is False for one generated before
    digests were recorded (it cannot be verified, so it is treated as unverified, not as
    tampered)."""
    from wagtail.images import get_image_model

    rendition_model = get_image_model().get_rendition_model()
    found = []
    for rendition in rendition_model.objects.filter(image_id__in=image_ids).order_by("pk"):
        if not rendition.sha256:
            found.append((rendition, False))
        elif stored_digest(rendition) != rendition.sha256:
            found.append((rendition, True))
    return found


def discard(rendition):
    """Delete a rendition row and its stored file; the next request regenerates it from the
    original. Wagtail's `post_delete` receivers remove the file and purge the rendition cache."""
    try:
        rendition.delete()
    except OSError as error:
        # The row is gone (the file removal failed): it is no longer served either way.
        logger.error("Could not delete the file of rendition %s (%s)", rendition.pk, type(error).__name__)
