"""Is a face region drawn (flat colours, outlines) rather than photographed?

A photograph, even a gray or heavily compressed one, has texture almost everywhere: skin, hair
and light change from pixel to pixel. A cartoon is mostly areas of one colour between lines.
The measure is the share of pixels whose 3×3 neighbourhood is flat (every channel within
FLAT_TOLERANCE of its mean), read at the detector's working size. JPEG at the site's quality
(90) keeps flat areas flat to within a level or two.
"""

import numpy as np

FLAT_TOLERANCE = 2.0
# Share of flat pixels above which a region counts as drawn (photos measure 0.05–0.35).
DRAWN_SHARE = 0.55


def flat_share(region):
    """Share of pixels of `region` (H×W or H×W×C uint8) whose 3×3 neighbourhood is flat."""
    import cv2

    pixels = region.astype(np.float32)
    if pixels.ndim == 2:
        pixels = pixels[..., None]
    if min(pixels.shape[:2]) < 3:
        return 0.0
    mean = cv2.blur(pixels, (3, 3))
    square_mean = cv2.blur(pixels * pixels, (3, 3))
    if mean.ndim == 2:
        mean, square_mean = mean[..., None], square_mean[..., None]
    deviation = np.sqrt(np.maximum(square_mean - mean * mean, 0)).max(axis=2)
    return float((deviation[1:-1, 1:-1] <= FLAT_TOLERANCE).mean())


def looks_drawn(region):
    """True when `region` is mostly flat colour: a drawing, a cartoon or a flat graphic."""
    return flat_share(region) >= DRAWN_SHARE
