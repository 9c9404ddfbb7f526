"""Four eyes for images: whoever uploaded or changed an image the version in review shows.

The page's revisions say who wrote its text; the pixels, crop and default alt text come from
the images it shows, which change outside the page's revisions. Since the page's last
approval, each upload (by `uploaded_by_user`) and each in-place change (`ImageChange`) of
those images counts as writing the case. An in-place change that names nobody (made outside a
signed-in request) leaves four eyes unprovable, so nobody may approve until the version shows
a newly uploaded image instead.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from ..images.changes import ImageChange
from .fingerprint import shown_image_ids
from .records import last_approval

UPLOAD = "upload"
FIELD_LABELS = {
    UPLOAD: _("uploaded"),
    "file": _("replaced the file"),
    "focal_point_x": _("moved the focal point"),
    "focal_point_y": _("moved the focal point"),
    "focal_point_width": _("moved the focal point"),
    "focal_point_height": _("moved the focal point"),
    "title": _("changed the title"),
    "description": _("changed the description"),
}


@dataclass(frozen=True)
class ImageEdit:
    """One upload or in-place change of an image, for the review screen and the four-eyes rule."""

    image_id: int
    user: object
    at: datetime
    fields: tuple

    @property
    def user_id(self):
        return getattr(self.user, "pk", None)

    @property
    def uploaded(self):
        return self.fields == (UPLOAD,)

    @property
    def what(self):
        """What was done, in words ("replaced the file, changed the title")."""
        labels = []
        for name in self.fields:
            label = str(FIELD_LABELS.get(name, name))
            if label not in labels:
                labels.append(label)
        return ", ".join(labels)


def image_edits_since_last_approval(revision):
    """Uploads and in-place changes of the images `revision` shows, after the page's last
    approval (every one without an approval), oldest first."""
    from wagtail.images import get_image_model

    image_ids = shown_image_ids(revision.as_object())
    if not image_ids:
        return []
    approval = last_approval(revision.object_id)
    since = approval.approved_at if approval is not None else None
    edits = []
    images = get_image_model().objects.filter(pk__in=image_ids).select_related("uploaded_by_user")
    for image in images:
        if image.uploaded_by_user_id and (since is None or image.created_at > since):
            edits.append(ImageEdit(image.pk, image.uploaded_by_user, image.created_at, (UPLOAD,)))
    changes = ImageChange.objects.filter(image_id__in=image_ids).select_related("user")
    if since is not None:
        changes = changes.filter(changed_at__gt=since)
    edits.extend(
        ImageEdit(change.image_id, change.user, change.changed_at, tuple(change.fields)) for change in changes
    )
    return sorted(edits, key=lambda edit: (edit.at, edit.image_id))


def image_authors(revision):
    """Ids of the people who uploaded or changed an image `revision` shows since the last approval."""
    return {edit.user_id for edit in image_edits_since_last_approval(revision) if edit.user_id}


def unattributed_image_edits(revision):
    """In-place changes of the revision's images since the last approval that name nobody."""
    return [edit for edit in image_edits_since_last_approval(revision) if edit.user_id is None]


def unattributed_refusal(edits):
    return _(
        "An image this version shows (%(images)s) was changed in place by a script or an account "
        "that no longer exists since the last approval, so nobody can be shown not to have "
        "changed it: upload the picture again as a new image, choose it in a new version and "
        "submit that."
    ) % {"images": ", ".join(sorted({f"#{edit.image_id}" for edit in edits}))}
