"""The site's image model. Select it with WAGTAILIMAGES_IMAGE_MODEL = "sixdegree_images.CaseImage"."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image

from .changes import ImageChange, record_change  # noqa: F401 - a model of this app
from .names import is_file_name
from .renditions import digest_of
from .sanitise import random_name, sanitise_image

# What a reviewer approved of an image: its pixels (the file), the crop its focal point makes
# and its default alt text (title, description). See `review.fingerprint.image_pins`.
PINNED_FIELDS = (
    "file",
    "title",
    "description",
    "focal_point_x",
    "focal_point_y",
    "focal_point_width",
    "focal_point_height",
)


class ImageInUseError(ValidationError):
    """An image shown by a live case (or one in review) would change in place."""


def in_use_message(page_ids):
    return _(
        "This image is shown by a live case or a case in privacy review (case %(ids)s), so it "
        "cannot change in place: the public must see what the reviewer approved. To use another "
        "file, crop or title, upload it as a new image and choose it in the case's next version."
    ) % {"ids": ", ".join(f"#{pk}" for pk in page_ids)}


class CaseImage(AbstractImage):
    """An image whose stored original and renditions carry no metadata and no uploaded name.

    Sanitising happens in `save()`, so every path (admin upload, multiple upload, chooser
    upload, code) stores only the re-encoded pixels.
    """

    admin_form_fields = Image.admin_form_fields

    def pinned_changes(self):
        """Names of pinned fields whose value differs from the stored image's."""
        if self.pk is None:
            return []
        stored = type(self).objects.filter(pk=self.pk).values(*PINNED_FIELDS).first()
        if stored is None:
            return []
        changed = [name for name in PINNED_FIELDS if name != "file" and getattr(self, name) != stored[name]]
        if not getattr(self.file, "_committed", True) or (self.file.name or "") != (stored["file"] or ""):
            changed.insert(0, "file")
        return changed

    def pinning_pages(self):
        """Ids of the cases that pin this image now, when a pinned field is about to change."""
        if not self.pinned_changes():
            return []
        from .usage import pages_pinning

        return pages_pinning(self.pk)

    def _has_new_file(self):
        return bool(self.file) and not getattr(self.file, "_committed", True)

    def clean(self):
        """Refuse a change to an image a case pins; re-encode a new upload while validating, so a
        file that cannot be (too many pixels, truncated, unsupported) gets a message beside the
        field instead of a server error."""
        super().clean()
        page_ids = self.pinning_pages()
        if page_ids:
            # The admin's edit form shows this and saves nothing.
            raise ValidationError(in_use_message(page_ids))
        if self._has_new_file():
            try:
                self._sanitised = (self.file, *sanitise_image(self.file))
            except ValidationError as error:
                raise ValidationError({"file": error.error_list}) from error

    @property
    def default_alt_text(self):
        """Empty: alt text is written by a person where the image is used, and checked there.

        Wagtail offers the title (often the uploaded file name) as the chooser's default.
        """
        return ""

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        changed = []
        if update_fields is None or set(update_fields) & set(PINNED_FIELDS):
            changed = self.pinned_changes()
            page_ids = self.pinning_pages() if changed else []
            if page_ids:
                raise ImageInUseError(in_use_message(page_ids))
        if self._has_new_file():
            # The multiple upload (and the upload form's script) title an image after its
            # file name, which can identify ("xiao_village_2021.jpg").
            if is_file_name(self.title, self.file.name):
                self.title = _("Untitled image")
            sanitised = getattr(self, "_sanitised", None)
            self._sanitised = None
            if sanitised and sanitised[0] is self.file:
                data, extension = sanitised[1:]
            else:
                data, extension = sanitise_image(self.file)
            self.file = ContentFile(data, name=random_name(extension))
            self._set_image_file_metadata()
        super().save(*args, **kwargs)
        if update_fields is not None:
            changed = [name for name in changed if name in update_fields]
        if changed:
            # Four eyes counts whoever changed an image a case shows (`changes.ImageChange`).
            record_change(self, changed)

    def generate_rendition_instance(self, filter, source):
        # Renditions made in bulk (`get_renditions`) skip `CaseRendition.save()`.
        rendition = super().generate_rendition_instance(filter, source)
        rendition.pin_digest()
        return rendition

    class Meta(AbstractImage.Meta):
        verbose_name = "image"
        verbose_name_plural = "images"
        permissions = [("choose_image", "Can choose image")]


class CaseRendition(AbstractRendition):
    """A rendition that knows the SHA-256 of the file it was generated with (see `renditions`)."""

    image = models.ForeignKey(CaseImage, on_delete=models.CASCADE, related_name="renditions")
    sha256 = models.CharField(max_length=64, blank=True, default="", editable=False)

    def pin_digest(self):
        """Record the digest of a newly generated file, read from memory before it is stored."""
        if self.file and not getattr(self.file, "_committed", True):
            self.sha256 = digest_of(self.file.file)

    def save(self, *args, **kwargs):
        self.pin_digest()
        super().save(*args, **kwargs)

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
