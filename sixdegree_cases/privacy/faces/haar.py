"""OpenCV's Haar cascades (shipped inside opencv-python-headless 4.x): the second opinion.

Alone they flag most ordinary photos (bread, glaciers, aerial views), so they never decide on
their own whether a photo shows a face: they confirm a weak YuNet candidate, and they find the
drawn faces YuNet (trained on photographs) does not see, inside regions that look drawn.
`HaarFaceDetector` keeps the old cascade-only detector available by dotted path.
"""

from functools import cache

import numpy as np

from .base import Face, FaceDetector, FaceKind, working_pixels
from .drawings import looks_drawn

FRONTAL = "haarcascade_frontalface_alt2.xml"


@cache
def cascade(name=FRONTAL):
    """The cascade `name` from OpenCV's own data folder, loaded once per process."""
    import cv2

    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + name)
    if classifier.empty():
        from .base import DetectorUnavailable

        raise DetectorUnavailable(f"OpenCV's {name} could not be loaded.")
    return classifier


def confirms(frame, box):
    """Whether the cascade also sees a face in `box` (x, y, w, h) of `frame` (BGR), nearly upright."""
    import cv2

    x, y, w, h = (float(value) for value in box)
    margin = 1.0
    x0, y0 = int(max(0, x - margin * w)), int(max(0, y - margin * h))
    x1, y1 = int(min(frame.shape[1], x + w * (1 + margin))), int(min(frame.shape[0], y + h * (1 + margin)))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return False
    grey = cv2.cvtColor(frame[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY)
    # The cascade is trained on 20-24 px faces and works best on faces of about 100 px.
    scale = 96 / max(w, 1.0)
    grey = cv2.equalizeHist(cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR))
    # Upright only, and four neighbours: turning the region or accepting three made engines
    # and coins into faces in the measured set, and found no more real ones.
    found = cascade().detectMultiScale(
        grey, scaleFactor=1.05, minNeighbors=4, minSize=(48, 48), maxSize=(160, 160)
    )
    return len(found) > 0


class HaarFaceDetector(FaceDetector):
    """The cascade alone, in the four right-angle turns: many false alarms; kept for comparison."""

    working_side = 640

    def find(self, picture):
        import cv2

        pixels = working_pixels(picture, self.working_side)
        grey = cv2.equalizeHist(cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY))
        smallest = max(24, min(grey.shape) // 20)
        faces = []
        for turns in range(4):
            turned = np.ascontiguousarray(np.rot90(grey, turns))
            for x, y, w, h in cascade("haarcascade_frontalface_default.xml").detectMultiScale(
                turned, scaleFactor=1.1, minNeighbors=5, minSize=(smallest, smallest)
            ):
                region = np.rot90(pixels, turns)[y : y + h, x : x + w]
                kind = FaceKind.DRAWN if looks_drawn(region) else FaceKind.PHOTO
                faces.append(Face(kind, 0.0, 90 * turns, "haar"))
        return faces
