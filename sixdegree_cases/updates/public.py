"""The public allow-list of an update: the one shape the timeline, the story map, the API, the
feeds and the donors' e-mails read. Nothing else of an update leaves the site."""

from django.db.models.functions import Left, Length
from wagtail.rich_text import RichText

from .. import get_case_model, get_update_model
from ..blocks import ILLUSTRATION_RENDITION, illustration_rendition
from ..journey import milestone_dict
from ..prefetch import prefetch_renditions
from ..restrictions.queries import public


def illustration_of(update):
    """The illustration as a public rendition with the alt text a person wrote, or None."""
    image = update.illustration
    if not image:
        return None
    rendition = illustration_rendition(image)
    rendition["alt"] = update.illustration_alt or ""
    return rendition


def milestone_of(update, number=None):
    """The update's map milestone (the milestone allow-list), or None."""
    for block in update.milestone or []:
        if block.block_type == "milestone":
            return milestone_dict(block.value, number)
    return None


def update_dict(update):
    """An update as public fields only."""
    return {
        "id": update.pk,
        "title": update.title,
        "period": update.period_label,
        "narrative": str(RichText(update.narrative)),
        "illustration": illustration_of(update),
        "milestone": milestone_of(update),
        "published": update.first_published_at,
    }


def live_updates_of(case):
    """The live, public updates of `case`, newest first (by period, then by publication)."""
    CaseUpdate = get_update_model()

    cached = getattr(case, "_live_updates", None)
    if cached is not None:
        return list(cached)
    if case.pk and case.numchild == 0:
        # Updates are the case's child pages: a case without children (most) needs no query.
        case._live_updates = []
        return []
    updates = list(
        public(CaseUpdate.objects.child_of(case).live()).select_related("illustration").order_by("-pk")
    )
    updates.sort(key=lambda update: (update.period_sort_key, update.first_published_at), reverse=True)
    # Their illustrations' renditions in one query, however many updates there are.
    prefetch_renditions([update.illustration for update in updates], [ILLUSTRATION_RENDITION])
    # The timeline and the map read them on the same render: one query.
    case._live_updates = updates
    return list(updates)


def live_public_updates():
    """Every live, public update whose case is live and public too, newest publication first."""
    SurvivorCasePage = get_case_model()
    CaseUpdate = get_update_model()

    cases = public(SurvivorCasePage.objects.live())
    return (
        public(CaseUpdate.objects.live())
        .annotate(parent_path=Left("path", Length("path") - CaseUpdate.steplen))
        .filter(parent_path__in=cases.values("path"))
        .order_by("-first_published_at", "-pk")
    )


def map_stops(case, start):
    """Milestones that live updates added, as later stops of the journey (oldest first),
    numbered from `start`."""
    stops = []
    for update in reversed(live_updates_of(case)):
        milestone = milestone_of(update, start + len(stops))
        if milestone is not None:
            milestone["update"] = update.pk
            stops.append(milestone)
    return stops
