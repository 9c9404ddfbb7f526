"""Small helpers that keep the case modules readable: one call per milestone or cost.

Everything here is plain data (no database access), so the cases can be imported, read and
tested without a site.
"""

from decimal import Decimal

from django.utils.html import format_html

from sixdegree_cases.geo.gazetteer import PRECISION_TOWN


def milestone(
    stage,
    title,
    period,
    *,
    point,
    narrative,
    precision=PRECISION_TOWN,
    place_label="",
    illustration=None,
    alt_text="",
):
    """A raw milestone as MilestoneBlock reads it, before snapping.

    `point` is (lat, lng) of a realistic spot; it is never stored, as MilestoneBlock replaces
    it by a coarse place. `illustration` is a key of `illustrations.ILLUSTRATIONS`, resolved
    to an image by the loader, with `alt_text` describing it in this milestone.
    """
    lat, lng = point
    return {
        "stage": stage,
        "title": title,
        "period": period,
        "precision": precision,
        "place_label": place_label,
        "location": {"lat": lat, "lng": lng},
        "narrative": format_html("<p>{}</p>", narrative),
        "illustration": {"key": illustration, "alt_text": alt_text} if illustration else None,
    }


def cost(category, description, amount):
    """One funding item; `amount` is a string so no float rounding sneaks in."""
    return {"category": category, "description": description, "amount": Decimal(amount)}
