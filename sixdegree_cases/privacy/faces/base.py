"""What every face detector shares: the result type, the base class and the pixels it reads."""

import math
from dataclasses import dataclass
from itertools import islice

import numpy as np
from PIL import Image, ImageOps, ImageSequence

# Detectors read nonsense into a picture only a few pixels high: it gets a margin of its edge.
MIN_SIDE = 64


class FaceKind:
    """A real person's face blocks approval; a drawn one is shown to the reviewer as a warning."""

    PHOTO = "photo"
    DRAWN = "drawn"


@dataclass(frozen=True)
class Face:
    """One face a detector found.

    `score` is the detector's confidence (0–1), `angle` the turn (degrees anticlockwise) of the
    picture it was found in, `evidence` which models agreed ("yunet", "yunet+haar", …).
    """

    kind: str
    score: float
    angle: int
    evidence: str

    @property
    def drawn(self):
        return self.kind == FaceKind.DRAWN


class DetectorUnavailable(RuntimeError):
    """The detector's model is missing, altered or cannot be loaded: faces cannot be checked."""


class FaceDetector:
    """Finds faces in a picture. Subclass it and name it in `SIXDEGREE_FACE_DETECTOR`.

    `find()` takes a PIL image and returns a list of `Face`; it may stop at the first real face,
    since one is enough to block. It must raise (never return []) when it cannot look, so that
    an error is never read as "no face".
    """

    def find(self, picture):
        raise NotImplementedError

    def find_in_file(self, picture):
        """Faces in every way the file can be shown: each frame, with and without transparency."""
        faces = []
        for variant in viewable_variants(picture):
            faces.extend(self.find(variant))
            if any(not face.drawn for face in faces):
                break
        return faces


# A GIF or WebP can hold many frames; a face in any of them is shown to someone.
MAX_FRAMES = 12


def viewable_variants(picture):
    """RGB or gray copies of `picture` as a viewer may see it.

    Each frame of an animation (up to MAX_FRAMES), turned by its EXIF orientation. A picture with
    transparency is looked at on white and with its alpha ignored: a rendition in a format
    without alpha shows whatever the transparent pixels hold.
    """
    if getattr(picture, "n_frames", 1) > 1:
        frames = [frame.copy() for frame in islice(ImageSequence.Iterator(picture), MAX_FRAMES)]
    else:
        frames = [picture]
    for frame in frames:
        frame = ImageOps.exif_transpose(frame)
        has_alpha = "A" in frame.getbands() or (frame.mode == "P" and "transparency" in frame.info)
        if not has_alpha:
            yield frame.copy() if frame.mode in ("L", "RGB") else frame.convert("RGB")
            continue
        rgba = frame.convert("RGBA")
        alpha = rgba.getchannel("A")
        if alpha.getextrema()[0] == 255:
            yield rgba.convert("RGB")
            continue
        on_white = Image.new("RGB", rgba.size, (255, 255, 255))
        on_white.paste(rgba, mask=alpha)
        yield on_white
        yield rgba.convert("RGB")


def working_pixels(picture, working_side, max_upscale=3.0):
    """`picture` (PIL, any mode) as BGR uint8 pixels of about `working_side`² × 3/4 in area.

    Scaled by area, not by the longer side, so a long banner or a tall strip keeps its faces
    as large as a photo's (by the longer side, a face filling a 1:20 strip would be 2 px).
    """
    rgb = picture.convert("RGB") if picture.mode != "RGB" else picture
    scale = min(math.sqrt(working_side * working_side * 0.75 / (rgb.width * rgb.height)), max_upscale)
    if scale != 1:
        size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
        rgb = rgb.resize(size, Image.BILINEAR if scale > 1 else Image.LANCZOS)
    pixels = np.asarray(rgb)[:, :, ::-1]
    # YuNet reads nonsense into a picture only a few pixels high: give it a margin of its edge.
    pad_y, pad_x = (max(0, MIN_SIDE - side) for side in pixels.shape[:2])
    if pad_y or pad_x:
        pixels = np.pad(
            pixels, ((pad_y // 2, pad_y - pad_y // 2), (pad_x // 2, pad_x - pad_x // 2), (0, 0)), mode="edge"
        )
    return np.ascontiguousarray(pixels)
