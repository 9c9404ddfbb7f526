"""The image sets the face detector is measured on, built from pictures that packages ship.

Faces: scikit-image's astronaut (Eileen Collins) and cameraman, and the 100 faces of its
`lfw_subset` (Labeled Faces in the Wild: many people, many skin tones, 25×25 gray crops),
turned in 30° steps, scaled so the face is 5–30 % of the image width, made gray, cropped,
put together several to an image and given other skin tones.

No people: the photographs scikit-image and scikit-learn ship (food, a cat, a rocket, a
landscape, Greek coins with portraits in relief, microscopy, textures, a page of text) and the
waterfall of Wagtail's own test images, each also gray, turned and cropped.

Drawings: faces drawn with lines and flat colours, which should only warn the reviewer.

Everything is made in memory, deterministically; nothing is downloaded.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

# Where the face is in each source picture (x, y, width, height), as YuNet and a look agree.
ASTRONAUT_FACE = (178, 63, 90, 113)
CAMERAMAN_FACE = (196, 113, 61, 81)
ANGLES = tuple(range(0, 360, 30))


@dataclass(frozen=True)
class Sample:
    """One picture of a set: its family (a row of the table), a name and the picture."""

    family: str
    name: str
    picture: Image.Image


# --- Sources ------------------------------------------------------------------------------


def _skimage(name):
    from skimage import data

    pixels = getattr(data, name)()
    if pixels.dtype != np.uint8:
        pixels = (np.clip(pixels, 0, 1) * 255).astype(np.uint8) if pixels.max() <= 1 else pixels.astype("u1")
    if pixels.ndim == 3 and pixels.shape[2] == 4:
        return Image.fromarray(pixels).convert("RGB")
    return Image.fromarray(pixels)


@cache
def astronaut():
    return _skimage("astronaut")


@cache
def cameraman():
    return _skimage("camera")


@cache
def lfw_faces():
    """The 100 face crops of scikit-image's LFW subset (its other 100 crops are not faces)."""
    from skimage import data

    crops = data.lfw_subset()[:100]
    return [Image.fromarray((crop * 255).astype(np.uint8)) for crop in crops]


def _sklearn(name):
    from sklearn.datasets import load_sample_image

    return Image.fromarray(load_sample_image(name))


def _wagtail_waterfall():
    import wagtail

    path = Path(wagtail.__file__).parent / "images/tests/image_files/landscape_1.jpg"
    with Image.open(path) as picture:
        return ImageOps.exif_transpose(picture).convert("RGB")


def backgrounds():
    """Photographs without people, used as the scene faces are put into."""
    return {
        "china": _sklearn("china.jpg"),
        "waterfall": _wagtail_waterfall(),
        "coffee": _skimage("coffee"),
        "flower": _sklearn("flower.jpg"),
    }


def no_people_sources():
    """Every photograph without people the installed packages ship, by name."""
    pictures = {
        "china.jpg (scikit-learn)": _sklearn("china.jpg"),
        "flower.jpg (scikit-learn)": _sklearn("flower.jpg"),
        "waterfall (Wagtail tests)": _wagtail_waterfall(),
    }
    for name in (
        "coffee",
        "chelsea",
        "rocket",
        "coins",
        "horse",
        "hubble_deep_field",
        "immunohistochemistry",
        "moon",
        "brick",
        "grass",
        "gravel",
        "retina",
        "cell",
        "clock",
        "page",
        "text",
        "logo",
        "microaneurysms",
        "colorwheel",
    ):
        pictures[f"{name} (scikit-image)"] = _skimage(name)
    from skimage import data

    left, right, _disparity = data.stereo_motorcycle()
    pictures["motorcycle, left (scikit-image)"] = Image.fromarray(left)
    pictures["motorcycle, right (scikit-image)"] = Image.fromarray(right)
    return pictures


# --- Derivations --------------------------------------------------------------------------


def turned(picture, angle):
    """`picture` turned `angle` degrees anticlockwise on a canvas that keeps every corner."""
    if angle % 90 == 0:
        return picture.rotate(angle, expand=True)
    return picture.rotate(angle, expand=True, resample=Image.BICUBIC, fillcolor=_edge_colour(picture))


def _edge_colour(picture):
    pixels = np.asarray(picture)
    edge = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    colour = edge.mean(axis=0)
    return int(colour) if np.ndim(colour) == 0 else tuple(int(c) for c in colour)


def head(picture, face, margin=0.45):
    """The head around `face` (x, y, w, h) with `margin` of the face's size on each side."""
    x, y, w, h = face
    box = (
        max(0, round(x - margin * w)),
        max(0, round(y - margin * h)),
        min(picture.width, round(x + w * (1 + margin))),
        min(picture.height, round(y + h * (1 + margin))),
    )
    return picture.crop(box).convert("RGB"), w / (box[2] - box[0])


def placed(background, heads, width=960):
    """`heads` (head, face share of its width, face width as a share of the scene, centre) pasted in."""
    scene = background.convert("RGB").resize((width, round(background.height * width / background.width)))
    for picture, face_share, share, (cx, cy) in heads:
        head_width = max(8, round(share * width / face_share))
        head_height = max(8, round(picture.height * head_width / picture.width))
        resized = picture.resize((head_width, head_height), Image.LANCZOS)
        mask = Image.new("L", resized.size, 0)
        ImageDraw.Draw(mask).ellipse((0, 0, head_width - 1, head_height - 1), fill=255)
        mask = mask.filter(ImageFilter.GaussianBlur(max(1, head_width // 20)))
        left = round(cx * scene.width - head_width / 2)
        top = round(cy * scene.height - head_height / 2)
        scene.paste(resized, (left, top), mask)
    return scene


def skin_tone(picture, face, lightness):
    """`picture` with the skin inside `face` made darker or lighter (`lightness` scales L*)."""
    from skimage import color

    pixels = np.asarray(picture.convert("RGB")).astype(float) / 255
    lab = color.rgb2lab(pixels)
    x, y, w, h = face
    yy, xx = np.mgrid[: pixels.shape[0], : pixels.shape[1]]
    inside = ((xx - (x + w / 2)) / (0.75 * w)) ** 2 + ((yy - (y + h / 2)) / (0.8 * h)) ** 2
    weight = np.clip(1.4 - inside, 0, 1)
    lab[..., 0] = lab[..., 0] * (1 - weight + weight * lightness)
    lab[..., 1] = lab[..., 1] + weight * 6 * (1 - lightness)
    lab[..., 2] = lab[..., 2] + weight * 10 * (1 - lightness)
    rgb = np.clip(color.lab2rgb(lab), 0, 1)
    return Image.fromarray((rgb * 255).astype(np.uint8))


# --- The sets -----------------------------------------------------------------------------


@cache
def face_set():
    """Pictures that show at least one real person's face: every one must be found."""
    samples = []
    portrait = astronaut()
    astro_head, astro_share = head(portrait, ASTRONAUT_FACE)
    scenes = backgrounds()

    for angle in ANGLES:
        samples.append(Sample("rotations (astronaut)", f"{angle}°", turned(portrait, angle)))
    for angle in ANGLES:
        samples.append(Sample("rotations (cameraman)", f"{angle}°", turned(cameraman(), angle)))

    for scene_name, scene in list(scenes.items())[:3]:
        for share in (0.05, 0.07, 0.10, 0.15, 0.20, 0.30):
            picture = placed(scene, [(astro_head, astro_share, share, (0.42, 0.45))])
            samples.append(Sample("scales 5–30 % of the width", f"{share:.0%} in {scene_name}", picture))

    for angle in (0, 60, 120, 180, 240, 300):
        samples.append(Sample("gray", f"astronaut {angle}°", turned(portrait.convert("L"), angle)))
    for share in (0.05, 0.08, 0.12, 0.20):
        picture = placed(scenes["waterfall"], [(astro_head, astro_share, share, (0.6, 0.4))]).convert("L")
        samples.append(Sample("gray", f"{share:.0%} in a gray scene", picture))

    x, y, w, h = ASTRONAUT_FACE
    crops = {
        "face only": (x - 5, y - 5, x + w + 5, y + h + 5),
        "head and shoulders": (x - 80, y - 40, x + w + 80, y + h + 110),
        "left half": (0, 0, 300, 512),
        "top half": (0, 0, 512, 256),
        "tight, brow to chin": (x + 5, y + 15, x + w - 5, y + h),
    }
    for name, box in crops.items():
        samples.append(Sample("crops", name, portrait.crop(box)))

    faces = lfw_faces()
    groups = [
        [(0.2, 0.4), (0.5, 0.45), (0.8, 0.4)],
        [(0.25, 0.5), (0.75, 0.5)],
        [(0.15, 0.3), (0.4, 0.6), (0.65, 0.3), (0.85, 0.65)],
        [(0.3, 0.35), (0.55, 0.55), (0.8, 0.3)],
        [(0.2, 0.6), (0.5, 0.3), (0.8, 0.6)],
        [(0.35, 0.45), (0.65, 0.45)],
    ]
    for number, spots in enumerate(groups):
        people = []
        for index, spot in enumerate(spots):
            if index == 0 and number % 2 == 0:
                people.append((astro_head, astro_share, 0.09, spot))
            else:
                face = faces[(number * 7 + index * 13) % len(faces)].convert("RGB")
                # The LFW crops are the face itself, cut just inside its outline.
                people.append((face, 0.9, 0.08 + 0.02 * (index % 3), spot))
        scene = list(scenes.values())[number % len(scenes)]
        samples.append(
            Sample("several people", f"{len(spots)} people, group {number + 1}", placed(scene, people))
        )

    for lightness in (0.35, 0.5, 0.65, 0.8, 1.15):
        toned = skin_tone(portrait, ASTRONAUT_FACE, lightness)
        samples.append(Sample("skin tones", f"L×{lightness} portrait", toned))
        toned_head, share = head(toned, ASTRONAUT_FACE)
        picture = placed(scenes["china"], [(toned_head, share, 0.1, (0.55, 0.5))])
        samples.append(Sample("skin tones", f"L×{lightness} at 10 %", picture))

    for index in range(0, 100, 3):
        face = faces[index].convert("RGB")
        angle = ANGLES[index % len(ANGLES)]
        share = (0.12, 0.18, 0.25)[index % 3]
        scene = list(scenes.values())[index % len(scenes)]
        picture = turned(placed(scene, [(face, 0.9, share, (0.5, 0.5))]), angle)
        samples.append(Sample("LFW people (many people and skin tones)", f"#{index} {angle}°", picture))

    for angle, share in ((30, 0.06), (150, 0.08), (210, 0.06), (300, 0.1)):
        picture = placed(scenes["coffee"], [(astro_head, astro_share, share, (0.5, 0.5))])
        samples.append(
            Sample("small, turned and gray", f"{share:.0%} {angle}°", turned(picture.convert("L"), angle))
        )
    return samples


@cache
def no_people_set():
    """Photographs without any person: at most 5 % of them may be flagged."""
    samples = []
    for name, picture in no_people_sources().items():
        family = "relief portraits (coins)" if name.startswith("coins") else "photos without people"
        samples.append(Sample(family, name, picture))
        samples.append(Sample(family, f"{name}, gray", picture.convert("L")))
        samples.append(Sample(family, f"{name}, 90°", turned(picture, 90)))
        samples.append(Sample(family, f"{name}, 210°", turned(picture, 210)))
        w, h = picture.size
        samples.append(
            Sample(family, f"{name}, centre crop", picture.crop((w // 4, h // 4, 3 * w // 4, 3 * h // 4)))
        )
    return samples


def drawn_face(size=400, hue=(242, 200, 160), style=0):
    """A cartoon face drawn with flat colours and outlines."""
    picture = Image.new("RGB", (size, size), (200, 225, 245) if style % 2 else (250, 245, 230))
    draw = ImageDraw.Draw(picture)
    s = size / 400
    outline = (40, 30, 30)
    draw.ellipse((90 * s, 60 * s, 310 * s, 330 * s), fill=hue, outline=outline, width=round(5 * s))
    draw.pieslice(
        (80 * s, 40 * s, 320 * s, 200 * s), 180, 360, fill=(70, 45, 30) if style < 2 else (20, 20, 20)
    )
    for cx in (155, 245):
        draw.ellipse(
            ((cx - 22) * s, 150 * s, (cx + 22) * s, 185 * s),
            fill=(255, 255, 255),
            outline=outline,
            width=round(3 * s),
        )
        draw.ellipse(((cx - 9) * s, 158 * s, (cx + 9) * s, 178 * s), fill=(30, 30, 30))
        draw.line(
            ((cx - 28) * s, 135 * s, (cx + 24) * s, (128 + 4 * style) * s), fill=outline, width=round(6 * s)
        )
    draw.line((200 * s, 190 * s, 188 * s, 240 * s, 205 * s, 244 * s), fill=outline, width=round(4 * s))
    draw.arc((150 * s, 230 * s, 250 * s, 290 * s), 20, 160, fill=(150, 40, 40), width=round(6 * s))
    return picture


@cache
def drawings_set():
    """Faces drawn as cartoons: the reviewer is warned, approval is not blocked."""
    samples = []
    for style in range(4):
        for hue in ((242, 200, 160), (160, 110, 75), (95, 60, 40)):
            samples.append(
                Sample("drawn faces", f"style {style}, skin {hue}", drawn_face(hue=hue, style=style))
            )
    return samples
