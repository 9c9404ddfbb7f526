"""The site's image model. Select it with WAGTAILIMAGES_IMAGE_MODEL = "sixdegree_images.CaseImage"."""

from django.core.files.base import ContentFile
from django.db import models
from wagtail.images.models import AbstractImage, AbstractRendition, Image

from .sanitise import random_name, sanitise_image


class CaseImage(AbstractImage):
    """An image whose stored original and renditions carry no metadata and no uploaded name.

    Sanitising happens in `save()`, so every path (admin upload, multiple upload, chooser
    upload, code) stores only the re-encoded pixels.
    """

    admin_form_fields = Image.admin_form_fields

    def save(self, *args, **kwargs):
        if self.file and not getattr(self.file, "_committed", True):
            data, extension = sanitise_image(self.file)
            self.file = ContentFile(data, name=random_name(extension))
            self._set_image_file_metadata()
        super().save(*args, **kwargs)

    class Meta(AbstractImage.Meta):
        verbose_name = "image"
        verbose_name_plural = "images"
        permissions = [("choose_image", "Can choose image")]


class CaseRendition(AbstractRendition):
    image = models.ForeignKey(CaseImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
