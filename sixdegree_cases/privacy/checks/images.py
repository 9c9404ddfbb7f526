"""Images: a detectable face blocks, and so does any metadata left in the stored file.

Face detection uses the Haar cascade that ships inside opencv-python-headless 4.x, offline.
Finding no face is not a pass on its own: the reviewer's checklist covers every image.
"""

import hashlib
import io
from collections import OrderedDict
from functools import lru_cache

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ..text import mask
from .base import PrivacyCheck

CASCADE = "haarcascade_frontalface_default.xml"
# Faces are looked for in a copy no larger than this (in pixels, the longer side): a face too
# small to be found at this size is too small to recognise.
MAX_SIDE = 640
# Face counts by file content digest: the same illustration is checked on every submission.
FACE_CACHE_SIZE = 256
_face_counts = OrderedDict()
# Byte signatures of metadata blocks, as a second look after Pillow's parsers.
METADATA_MARKERS = {
    b"Exif\x00\x00": "EXIF",
    b"http://ns.adobe.com/xap/1.0/": "XMP",
    b"<x:xmpmeta": "XMP",
    b"Photoshop 3.0\x00": "IPTC",
    b"8BIM\x04\x04": "IPTC",
}


@lru_cache(maxsize=1)
def face_cascade():
    import cv2

    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + CASCADE)
    if cascade.empty():
        raise RuntimeError(f"OpenCV's {CASCADE} could not be loaded.")
    return cascade


def count_faces(picture):
    """The most faces found in `picture` (a PIL image) turned any of the four ways up."""
    import cv2
    import numpy as np

    grey = ImageOps.exif_transpose(picture).convert("L")
    grey.thumbnail((MAX_SIDE, MAX_SIDE))
    pixels = cv2.equalizeHist(np.asarray(grey))
    smallest = max(24, min(pixels.shape) // 20)
    most = 0
    for turns in range(4):
        rotated = np.ascontiguousarray(np.rot90(pixels, turns))
        faces = face_cascade().detectMultiScale(
            rotated, scaleFactor=1.1, minNeighbors=5, minSize=(smallest, smallest)
        )
        most = max(most, len(faces))
    return most


def cached_face_count(data, picture):
    """`count_faces`, remembered by the file's content (never by its name, which could be reused)."""
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _face_counts:
        _face_counts[digest] = count_faces(picture)
        if len(_face_counts) > FACE_CACHE_SIZE:
            _face_counts.popitem(last=False)
    return _face_counts[digest]


def metadata_kinds(data, picture):
    """The kinds of metadata (EXIF, XMP, IPTC, text) in an image file's bytes."""
    kinds = set()
    if picture.getexif():
        kinds.add("EXIF")
    for key in picture.info:
        lowered = str(key).lower()
        if lowered == "exif":
            kinds.add("EXIF")
        elif "xmp" in lowered:
            kinds.add("XMP")
        elif lowered in ("photoshop", "iptc"):
            kinds.add("IPTC")
        elif lowered in ("comment", "description", "author", "title", "gps", "location"):
            kinds.add(_("text"))
    for marker, kind in METADATA_MARKERS.items():
        if marker in data:
            kinds.add(kind)
    return sorted(str(kind) for kind in kinds)


class ImagesCheck(PrivacyCheck):
    """Every image the page shows: no detectable face, no metadata in the stored file."""

    id = "images"
    label = _("Images")

    def check(self, context):
        findings = []
        for used in context.images:
            image = used.image
            name = mask(image.title or "")
            try:
                with image.open_file() as handle:
                    data = handle.read()
                with Image.open(io.BytesIO(data)) as picture:
                    picture.load()
                    kinds = metadata_kinds(data, picture)
                    faces = cached_face_count(data, picture)
            except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
                findings.append(
                    self.finding(
                        used.where, used.field, name, _("The image file cannot be read. Replace it.")
                    )
                )
                continue
            if faces:
                findings.append(
                    self.finding(
                        used.where,
                        used.field,
                        name,
                        _("A face may be visible in this image. Use a drawing or a place, never a face."),
                    )
                )
            if kinds:
                findings.append(
                    self.finding(
                        used.where,
                        used.field,
                        name,
                        _("The stored image carries metadata (%(kinds)s). Upload it again.")
                        % {"kinds": ", ".join(kinds)},
                    )
                )
        return findings
