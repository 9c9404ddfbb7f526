"""Is a face region drawn (flat colours, outlines) rather than photographed?

A photograph, even a gray or heavily compressed one, has texture almost everywhere: skin, hair
and light change from pixel to pixel. A cartoon is mostly areas of one colour between lines.
Two measures must agree: the share of pixels whose 3×3 neighbourhood is flat (every channel
within FLAT_TOLERANCE of its mean), and the share of the region held by its few most common
colours. A posterised photo has few colours but no flat areas; a blurred or enlarged photo has
smooth areas but many colours; a drawing, even after JPEG at the site's quality (90), has both.
"""

import numpy as np

FLAT_TOLERANCE = 2.0
# Share of flat pixels above which a region may be drawn (photos measure 0.01–0.4, drawings
# 0.7–0.9 in the measured sets).
DRAWN_SHARE = 0.55
# Share of the region the DOMINANT_COLOURS most common colours (at 5 bits a channel) must hold
# (photos 0.15–0.5 in colour, drawings 0.75–1).
DOMINANT_COLOURS = 8
DOMINANT_SHARE = 0.6


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


def dominant_share(region):
    """Share of `region`'s pixels in its DOMINANT_COLOURS most common colours (5 bits a channel)."""
    if region.size == 0:
        return 0.0
    levels = (region >> 3).astype(np.int32)
    keys = levels[..., 0] * 1024 + levels[..., 1] * 32 + levels[..., 2] if levels.ndim == 3 else levels
    _values, counts = np.unique(keys, return_counts=True)
    return float(np.sort(counts)[::-1][:DOMINANT_COLOURS].sum() / keys.size)


def looks_drawn(region):
    """True when `region` is mostly a few flat colours: a drawing, a cartoon or a flat graphic."""
    return flat_share(region) >= DRAWN_SHARE and dominant_share(region) >= DOMINANT_SHARE
