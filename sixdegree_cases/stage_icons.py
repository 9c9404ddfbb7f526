"""The stage icons drawn inline in the page, not fetched: six requests fewer on a phone.

The icons are the plugin's own SVG files (static/sixdegree_cases/icons/), read once per
process. The API still links to the files themselves (api/milestones.py).
"""

import re
from functools import lru_cache
from pathlib import Path

from .blocks import Stage

ICONS = Path(__file__).resolve().parent / "static" / "sixdegree_cases" / "icons"
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
STAGES = frozenset(Stage.values)


@lru_cache(maxsize=16)
def inline_icon(stage):
    """The SVG markup of `stage`'s icon, decorative (hidden from assistive technology, the
    stage's name is written beside it), or "" for a stage that has none."""
    if stage not in STAGES:
        return ""
    svg = COMMENT.sub("", (ICONS / f"{stage}.svg").read_text(encoding="utf-8"))
    svg = " ".join(svg.split()).replace("> <", "><")
    return svg.replace("<svg ", '<svg class="stage__icon" aria-hidden="true" focusable="false" ', 1)
