"""Re-encode an uploaded image from its pixels alone.

Photos carry EXIF (GPS position, camera serial, time to the second), XMP and IPTC data, and
Wagtail keeps them in originals and in JPEG/PNG renditions. Rebuilding the image from raw
pixels (after applying its EXIF orientation, so it still looks right) drops every one of them.
"""

import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format -> (file extension, save options)
OUTPUT_FORMATS = {
    "JPEG": ("jpg", {"quality": 90, "optimize": True}),
    "PNG": ("png", {"optimize": True}),
    "GIF": ("gif", {}),
    "WEBP": ("webp", {"quality": 90}),
}
# Decoding a 40 MP image already takes a few hundred MB; a small file can claim gigapixels.
# WAGTAILIMAGES_MAX_IMAGE_PIXELS, when set lower, lowers it (the upload form checks it first).
MAX_PIXELS = 40_000_000


def max_pixels():
    """The most pixels an image may have: Wagtail's upload limit, never above MAX_PIXELS."""
    return min(getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", None) or MAX_PIXELS, MAX_PIXELS)


def _too_big():
    return ValidationError(
        _("This image has too many pixels (%(megapixels)s megapixels at most).")
        % {"megapixels": f"{max_pixels() / 1_000_000:g}"},
        code="too_big",
    )


def random_name(extension):
    """A file name that says nothing about the upload (its original name can identify)."""
    return f"{secrets.token_hex(16)}.{extension}"


def sanitise_image(file):
    """Return `(bytes, extension)` of `file` re-encoded from its pixels, without any metadata.

    Raises ValidationError for a file that is not a supported, readable image.
    """
    try:
        file.seek(0)
        with Image.open(file) as source:
            fmt = source.format
            if fmt not in OUTPUT_FORMATS:
                raise ValidationError(
                    _("Upload a JPEG, PNG, GIF or WebP image (this file is %(format)s).") % {"format": fmt},
                    code="image_format",
                )
            # Only the header has been read so far: refuse before a single pixel is decoded.
            if source.width * source.height > max_pixels():
                raise _too_big()
            oriented = ImageOps.exif_transpose(source)
            if oriented.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                oriented = oriented.convert("RGBA" if "A" in oriented.getbands() else "RGB")
            if oriented.mode == "P":
                oriented = oriented.convert("RGBA")
            if fmt == "JPEG" and oriented.mode not in ("RGB", "L"):
                oriented = oriented.convert("RGB")
            # A new image from raw pixels has an empty `info`: no EXIF, XMP, IPTC, ICC or text.
            clean = Image.frombytes(oriented.mode, oriented.size, oriented.tobytes())
    except Image.DecompressionBombError as error:
        # Pillow's own guard, raised while reading a header that claims gigapixels.
        raise _too_big() from error
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(
            _("This file is not an image that can be read."), code="invalid_image"
        ) from error
    extension, options = OUTPUT_FORMATS[fmt]
    output = io.BytesIO()
    clean.save(output, format=fmt, **options)
    return output.getvalue(), extension
