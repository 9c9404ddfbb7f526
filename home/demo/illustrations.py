"""Abstract illustrations for the demo stories, drawn locally with Pillow.

Drawings, not photos: no faces, no people, no real place, nothing fetched from another host.
Each is encoded straight from its pixels (no EXIF or other metadata) and stored under a random
file name, as PRIVACY.md asks of every image on the site. Images are found again by title, so
a second run reuses them instead of adding copies.
"""

import io
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from sixdegree_cases.images.sanitise import random_name

COLLECTION_NAME = "Demo illustrations"

# Drawn on a 1200×750 grid (the 16:10 of the site's illustration rendition), at twice that
# size, then scaled down: Pillow draws shapes without anti-aliasing.
WIDTH, HEIGHT = 1200, 750
SUPERSAMPLE = 2


class Pen:
    """ImageDraw with coordinates on the 1200×750 grid, drawn at the supersampled size."""

    def __init__(self, image):
        self.draw = ImageDraw.Draw(image)

    @staticmethod
    def _scale(points):
        return [(x * SUPERSAMPLE, y * SUPERSAMPLE) for x, y in points]

    def polygon(self, points, fill):
        self.draw.polygon(self._scale(points), fill=fill)

    def line(self, points, fill, width):
        self.draw.line(self._scale(points), fill=fill, width=width * SUPERSAMPLE, joint="curve")

    def rectangle(self, box, fill, radius=0):
        scaled = [coordinate * SUPERSAMPLE for coordinate in box]
        self.draw.rounded_rectangle(scaled, radius=radius * SUPERSAMPLE, fill=fill)

    def circle(self, centre, radius, fill):
        x, y = centre
        self.rectangle((x - radius, y - radius, x + radius, y + radius), fill, radius=radius)

    def gradient(self, top, bottom, y0=0, y1=HEIGHT):
        """Fill the band from y0 to y1 with a vertical blend from `top` to `bottom`."""
        for y in range(y0 * SUPERSAMPLE, y1 * SUPERSAMPLE):
            t = (y - y0 * SUPERSAMPLE) / max(1, (y1 - y0) * SUPERSAMPLE - 1)
            colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
            self.draw.line([(0, y), (WIDTH * SUPERSAMPLE, y)], fill=colour)


def wave(base, amplitude, wavelength, phase=0.0, step=10):
    """Points of a sine curve across the whole width, around the height `base`."""
    return [
        (x, base + amplitude * math.sin(2 * math.pi * x / wavelength + phase))
        for x in range(0, WIDTH + step, step)
    ]


def hill(base, amplitude, wavelength, phase, fill, pen):
    """A band of rolling land from a sine curve down to the bottom edge."""
    pen.polygon([*wave(base, amplitude, wavelength, phase), (WIDTH, HEIGHT), (0, HEIGHT)], fill)


def draw_sunrise(pen):
    """The sun rising behind layered green hills."""
    pen.gradient((74, 96, 160), (252, 198, 128), 0, 520)
    for angle in range(195, 350, 18):
        radians = math.radians(angle)
        end = (600 + 300 * math.cos(radians), 480 + 300 * math.sin(radians))
        pen.line([(600, 480), end], fill=(255, 224, 150), width=8)
    pen.circle((600, 480), 120, fill=(255, 236, 176))
    hill(470, 22, 700, 0.8, (136, 172, 124), pen)
    hill(540, 30, 560, 2.4, (98, 148, 98), pen)
    hill(630, 26, 820, 4.1, (62, 116, 72), pen)


def draw_boat(pen):
    """A small fishing boat on the waves under a pale sky."""
    pen.gradient((150, 190, 226), (236, 226, 204), 0, 430)
    pen.circle((930, 180), 60, fill=(255, 240, 192))
    pen.gradient((64, 124, 164), (24, 70, 110), 430, HEIGHT)
    # Mast and net booms, then the hull and the wheelhouse over them.
    pen.line([(470, 430), (470, 210)], fill=(70, 50, 44), width=8)
    pen.line([(470, 230), (330, 420)], fill=(70, 50, 44), width=4)
    pen.line([(470, 230), (770, 300)], fill=(70, 50, 44), width=4)
    pen.rectangle((560, 330, 720, 430), fill=(236, 230, 214), radius=8)
    for x in (582, 632, 682):
        pen.rectangle((x, 352, x + 26, 378), fill=(64, 100, 140), radius=3)
    pen.polygon([(330, 420), (850, 420), (790, 500), (400, 500)], fill=(160, 64, 52))
    pen.polygon([(330, 420), (850, 420), (842, 436), (338, 436)], fill=(214, 170, 90))
    # Waves in front hide the waterline, so the boat sits in the sea rather than on it.
    pen.polygon([*wave(482, 10, 220, 0.0), (WIDTH, HEIGHT), (0, HEIGHT)], fill=(50, 104, 146))
    for base, phase in ((540, 1.0), (600, 2.2), (665, 3.1), (720, 0.4)):
        pen.line(wave(base, 8, 180, phase), fill=(120, 176, 204), width=4)


def draw_road(pen):
    """A road across open fields, running to the horizon."""
    pen.gradient((168, 204, 236), (242, 232, 206), 0, 400)
    hill(372, 14, 520, 1.3, (140, 168, 152), pen)
    pen.polygon([(0, 390), (WIDTH, 390), (WIDTH, HEIGHT), (0, HEIGHT)], fill=(156, 192, 112))
    pen.polygon([(0, 470), (420, 430), (260, HEIGHT), (0, HEIGHT)], fill=(138, 178, 96))
    pen.polygon([(WIDTH, 460), (780, 430), (950, HEIGHT), (WIDTH, HEIGHT)], fill=(196, 196, 112))
    pen.polygon([(592, 392), (608, 392), (930, HEIGHT), (270, HEIGHT)], fill=(112, 110, 116))
    # Centre dashes grow towards the viewer, which gives the road its depth.
    y = 400.0
    while y < HEIGHT:
        length = 6 + (y - 392) * 0.18
        pen.line(
            [(600, y), (600, min(y + length, HEIGHT))], fill=(246, 236, 196), width=max(2, round(length / 8))
        )
        y += length * 2
    for x, y, size in ((180, 420, 46), (1000, 410, 40), (300, 470, 60)):
        pen.rectangle((x - size / 8, y, x + size / 8, y + size), fill=(96, 72, 54))
        pen.circle((x, y - size / 4), size * 0.75, fill=(72, 128, 76))


def draw_sewing_machine(pen):
    """A sewing machine in silhouette, with a spool of thread and a length of cloth."""
    pen.gradient((246, 238, 224), (232, 220, 200))
    pen.circle((600, 400), 300, fill=(238, 224, 202))
    machine = (38, 84, 96)
    pen.rectangle((240, 540, 960, 600), fill=machine, radius=14)
    pen.rectangle((770, 250, 880, 548), fill=machine, radius=24)
    pen.rectangle((320, 240, 880, 340), fill=machine, radius=40)
    pen.rectangle((290, 240, 420, 470), fill=machine, radius=30)
    pen.rectangle((349, 468, 363, 522), fill=machine)
    pen.line([(356, 520), (356, 532)], fill=(200, 204, 206), width=3)
    pen.rectangle((326, 518, 392, 528), fill=machine, radius=4)
    # A length of cloth on the bed, stitched up to the needle.
    pen.polygon([(150, 528), (540, 528), (560, 542), (130, 542)], fill=(214, 150, 118))
    pen.circle((905, 330), 58, fill=machine)
    pen.circle((905, 330), 26, fill=(92, 140, 150))
    # Spool on its pin, and the thread running down to the needle.
    pen.rectangle((642, 196, 652, 244), fill=machine)
    pen.rectangle((614, 170, 680, 226), fill=(196, 76, 66), radius=6)
    pen.rectangle((608, 166, 686, 176), fill=(120, 90, 70), radius=3)
    pen.rectangle((608, 220, 686, 230), fill=(120, 90, 70), radius=3)
    pen.line([(620, 200), (470, 232), (372, 250)], fill=(196, 76, 66), width=3)
    for x in range(170, 340, 22):
        pen.line([(x, 535), (x + 11, 535)], fill=(150, 90, 70), width=2)


@dataclass(frozen=True)
class Illustration:
    """A drawing and how it is named and described in the image library."""

    title: str
    description: str
    draw: Callable[[Pen], None]


ILLUSTRATIONS = {
    "sunrise": Illustration("Demo illustration: sunrise", "The sun rising over green hills.", draw_sunrise),
    "boat": Illustration("Demo illustration: boat", "A small fishing boat on the waves.", draw_boat),
    "road": Illustration("Demo illustration: road", "A road across fields to the horizon.", draw_road),
    "sewing_machine": Illustration(
        "Demo illustration: sewing machine",
        "A sewing machine with a spool of thread.",
        draw_sewing_machine,
    ),
}


def render_png(draw):
    """The drawing as PNG bytes, encoded from pixels only (no EXIF, no text chunks)."""
    image = PILImage.new("RGB", (WIDTH * SUPERSAMPLE, HEIGHT * SUPERSAMPLE), (255, 255, 255))
    draw(Pen(image))
    image = image.resize((WIDTH, HEIGHT), PILImage.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def get_or_create_collection():
    """The "Demo illustrations" collection, under the root collection; (collection, created)."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=COLLECTION_NAME).first()
    if existing:
        return existing, False
    return root.add_child(name=COLLECTION_NAME), True


def get_or_create_image(key, collection):
    """The image for illustration `key`, found by title or drawn and stored; (image, created)."""
    illustration = ILLUSTRATIONS[key]
    image_model = get_image_model()
    existing = image_model.objects.filter(collection=collection, title=illustration.title).first()
    if existing:
        return existing, False
    data = render_png(illustration.draw)
    image = image_model(
        title=illustration.title,
        description=illustration.description,
        collection=collection,
        # The site's image model renames it too; a plain Wagtail image would keep this one.
        file=ImageFile(io.BytesIO(data), name=random_name("png")),
        file_size=len(data),
        file_hash=hash_filelike(io.BytesIO(data)),
    )
    image.save()
    return image, True
