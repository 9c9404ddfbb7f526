"""Cases of any size for the query-count tests (and the benchmark's data builder)."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from tests.factories import make_case_page, milestone

STAGES = ["recruitment", "journey", "exploitation", "escape", "recovery", "dream"]
# Large towns far enough apart that each milestone snaps to its own place.
POINTS = [(-0.03, 109.33), (-7.3, 112.7), (3.14, 101.69), (13.75, 100.5), (14.6, 121.0), (10.8, 106.7)]


def make_illustration(number):
    data = io.BytesIO()
    PILImage.new("RGB", (40, 25), (number * 40 % 255, 90, 140)).save(data, format="PNG")
    image = get_image_model()(
        title=f"Illustration {number}", file=SimpleUploadedFile(f"i{number}.png", data.getvalue())
    )
    image.save()
    return image


def story(milestones, illustrations=()):
    blocks = []
    for number in range(milestones):
        lat, lng = POINTS[number % len(POINTS)]
        extra = {}
        if illustrations:
            image = illustrations[number % len(illustrations)]
            image.contextual_alt_text, image.decorative = "A road", False
            extra["illustration"] = image
        blocks.append(
            milestone(
                STAGES[number % len(STAGES)], f"Step {number + 1}", lat=lat, lng=lng, period="2009", **extra
            )
        )
    return blocks


def funding_items(count, each=Decimal("25.00")):
    return [("education", f"Course {n + 1}", each) for n in range(count)]


def make_sized_case(
    parent, *, milestones=3, items=1, illustrations=(), item_amount=Decimal("25.00"), **kwargs
):
    """A live case with `milestones` milestones and `items` funding items."""
    return make_case_page(
        parent, story=story(milestones, illustrations), items=funding_items(items, item_amount), **kwargs
    )


def add_confirmed_donations(case, count, amount=Decimal("1.00"), named_every=1000):
    """`count` confirmed donations to `case`, inserted by PostgreSQL in one statement (100,000
    model instances would take a minute), and the totals they add up to."""
    from bench.data import count_confirmed, insert_donations

    insert_donations(case, count, status="confirmed", amount=str(amount), named_every=named_every)
    count_confirmed(case, count, amount)
