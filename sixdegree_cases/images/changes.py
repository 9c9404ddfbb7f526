"""`ImageChange`: who changed an image in place, and what, so four eyes can count it.

A reviewer who replaced the file (or moved the focal point, or rewrote the title or
description) of an image a case shows wrote part of that case, as surely as one who edited its
text. Uploads are known from the image itself (`uploaded_by_user`, `created_at`); every later
change of a pinned field is recorded here, by whoever the admin's log context names. A change
made outside a signed-in request (a script) records no one: four eyes cannot be checked then,
and the review refuses approval (see `review.image_authors`).

Field names only, never values: the row says that the title changed, not what it says.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImageChange(models.Model):
    """One in-place change of an image's pinned fields (file, focal point, title, description)."""

    image = models.ForeignKey(
        "sixdegree_images.CaseImage",
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("image"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # A deleted account's changes become unattributed, which refuses approval: safe.
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("changed at"))
    fields = models.JSONField(default=list, verbose_name=_("changed fields"))

    class Meta:
        verbose_name = _("image change")
        verbose_name_plural = _("image changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"Change of image {self.image_id} at {self.changed_at:%Y-%m-%d %H:%M}"


def acting_user():
    """The signed-in user of the admin request being served (Wagtail's log context), or None."""
    from wagtail.log_actions import get_active_log_context

    user = get_active_log_context().user
    return user if getattr(user, "pk", None) else None


def record_change(image, fields):
    ImageChange.objects.create(image=image, user=acting_user(), fields=list(fields))
