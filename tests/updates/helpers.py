"""Builders for case update tests: an update under a case, drafts and reviewed ones."""

from sixdegree_cases.models import CaseUpdate
from sixdegree_cases.review.services import approve_and_publish


def make_update(case, *, publish=True, require_checks=True, reviewer=None, **kwargs):
    """An update under `case`, published through an approval (with the real checks) by default."""
    kwargs.setdefault("title", "Her own sewing corner")
    kwargs.setdefault("period_part", "03")
    kwargs.setdefault("period_year", 2026)
    kwargs.setdefault("narrative", "<p>She finished the sewing course and now takes orders.</p>")
    kwargs.setdefault("live", False)
    update = CaseUpdate(**kwargs)
    case.add_child(instance=update)
    revision = update.save_revision()
    if publish:
        approve_and_publish(revision, reviewer, require_checks=require_checks)
        update.refresh_from_db()
    return update


def update_milestone(title="Her own sewing corner", lat=-7.3, lng=112.7, **extra):
    value = {
        "stage": extra.pop("stage", "dream"),
        "title": title,
        "period": extra.pop("period", "2026"),
        "precision": extra.pop("precision", "town"),
        "place_label": extra.pop("place_label", ""),
        "location": {"lat": lat, "lng": lng},
        "narrative": extra.pop("narrative", "<p>A corner of her own.</p>"),
    }
    return [("milestone", value)]
