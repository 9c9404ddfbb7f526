"""Template tags of case updates: the timeline of a case, its lifecycle, recent updates.

Each returns the public allow-list (`updates.public`), never a page object, so a template
cannot reach a field that was not meant to be shown.
"""

from django import template

from .. import get_case_model

register = template.Library()


@register.simple_tag
def case_updates(case):
    """The live updates of `case`, newest first, as public dicts (none for an unsaved preview)."""
    from ..updates.public import live_updates_of, update_dict

    if not getattr(case, "pk", None):
        return []
    return [update_dict(update) for update in live_updates_of(case)]


@register.simple_tag
def case_lifecycle(case):
    """The case's public lifecycle: status, its label and the month of each step reached."""
    if not getattr(case, "pk", None):
        return None
    return case.public_lifecycle


@register.simple_tag
def recently_updated(limit=3):
    """The newest live updates of live, public cases: `{"case", "update"}` (public fields)."""
    SurvivorCasePage = get_case_model()
    from ..updates.public import live_public_updates

    updates = list(live_public_updates()[:limit])
    parents = {}
    for update in updates:
        parent_path = update.path[: -update.steplen]
        parents[update.pk] = parent_path
    cases = {case.path: case for case in SurvivorCasePage.objects.filter(path__in=parents.values())}
    return [
        {
            "case": cases[parents[update.pk]],
            "update": {"id": update.pk, "title": update.title, "period": update.period_label},
        }
        for update in updates
        if parents[update.pk] in cases
    ]


@register.simple_tag
def updates_of_cases(cases):
    """`{"case", "update"}` for the live updates of each of `cases` (a donor's account)."""
    return [{"case": case, "update": update} for case in cases for update in case_updates(case)]
