"""Face detection for the images check, behind a base class chosen by dotted path.

`SIXDEGREE_FACE_DETECTOR` names a `FaceDetector` subclass (default: YuNet with the Haar
cascades as a second opinion, `yunet.YuNetFaceDetector`); `get_face_detector()` returns one
instance per process and setting, so the model is loaded once.
"""

from functools import lru_cache

from django.core import checks as system_checks
from django.utils.module_loading import import_string

from ...conf import get_setting
from .base import DetectorUnavailable, Face, FaceDetector, FaceKind

__all__ = ["DetectorUnavailable", "Face", "FaceDetector", "FaceKind", "get_face_detector"]


@lru_cache(maxsize=4)
def _detector(path):
    try:
        detector_class = import_string(path)
    except ImportError as error:
        raise DetectorUnavailable(f"{path} cannot be imported: {error}") from error
    if not (isinstance(detector_class, type) and issubclass(detector_class, FaceDetector)):
        raise DetectorUnavailable(f"{path} is not a subclass of FaceDetector.")
    return detector_class()


def get_face_detector():
    """The detector named by SIXDEGREE_FACE_DETECTOR (raises DetectorUnavailable if it cannot run)."""
    return _detector(get_setting("SIXDEGREE_FACE_DETECTOR"))


@system_checks.register()
def check_face_detector_setting(app_configs=None, **kwargs):
    """`manage.py check` reports a face detector that cannot run, before a review needs it."""
    try:
        get_face_detector()
    except DetectorUnavailable as error:
        return [system_checks.Error(str(error), id="sixdegree_privacy.E003")]
    return []
