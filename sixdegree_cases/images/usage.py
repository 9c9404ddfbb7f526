"""Which reviewed pages pin an image: what they show live, in review or approved for later.

An image those pages show must not change in place: the reviewer approved its pixels, crop
and alt text (see `review.fingerprint`). A new file makes a new image, which the next
revision uses and the next review checks.
"""

from wagtail.models import Page, Revision, TaskState


def _image_ids(page):
    from ..privacy.extract import images

    return {used.image.pk for used in images(page)}


def _reviewed_models():
    from wagtail.models import get_page_models

    from ..review.guard import is_reviewed_model

    return [model for model in get_page_models() if is_reviewed_model(model)]


def _revisions_pinned():
    """Revisions in a review now, or approved and waiting for their go-live time."""
    in_review = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).values("revision_id")
    return Revision.page_revisions.filter(pk__in=in_review) | Revision.page_revisions.filter(
        approved_go_live_at__isnull=False
    )


def pages_pinning(image_id):
    """Ids of reviewed pages whose live content, revision in review or scheduled revision shows
    the image `image_id`."""
    from ..review.guard import is_reviewed_model

    models = _reviewed_models()
    if not models:
        return []
    found = set()
    for page in Page.objects.live().type(*models).specific(defer=False).iterator(chunk_size=100):
        if image_id in _image_ids(page):
            found.add(page.pk)
    for revision in _revisions_pinned().select_related("content_type"):
        if int(revision.object_id) in found:
            continue
        try:
            content = revision.as_object()
        except Exception:  # noqa: BLE001, S112 - an unreadable revision cannot show the image
            continue
        if is_reviewed_model(type(content)) and image_id in _image_ids(content):
            found.add(int(revision.object_id))
    return sorted(found)
