"""The upload form's image field, refusing an image by its header before anything decodes it."""

import warnings

from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField

from .sanitise import max_pixels


class HeaderCheckedImageField(WagtailImageField):
    """Wagtail's image field, with the pixel limit checked on the file's header first.

    Wagtail measures an upload by decoding it whole (Willow loads it into Pillow to ask its
    size), so a small file that claims 100 megapixels costs hundreds of MB before its check.
    """

    def to_python(self, data):
        if data and hasattr(data, "seek"):
            self._refuse_too_many_pixels(data)
        try:
            return super().to_python(data)
        except OSError as error:
            # A truncated or corrupt file fails while Wagtail decodes it: a message, not a 500.
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image") from error

    def _refuse_too_many_pixels(self, data):
        limit = min(self.max_image_pixels or max_pixels(), max_pixels())
        try:
            data.seek(0)
            with warnings.catch_warnings():
                # Expected here, and refused below; a filter turning it into an error is too.
                warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
                # Lazy: reads the header only.
                with PILImage.open(data) as header:
                    pixels = header.width * header.height
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            pixels = None
        except Exception:  # noqa: BLE001 - not an image Pillow knows: Wagtail's checks say so.
            return
        finally:
            data.seek(0)
        if pixels is None or pixels > limit:
            raise ValidationError(
                self.error_messages["file_too_many_pixels"]
                % {"num_pixels": pixels or "?", "max_pixels_count": limit},
                code="file_too_many_pixels",
            )
