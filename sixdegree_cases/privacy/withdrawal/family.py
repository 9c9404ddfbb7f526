"""Every page that holds the survivor's story: the case, its copies and their aliases.

A copy is found two ways, so that neither a later edit nor a missing log entry hides one:

- Wagtail's page log: a page with a `wagtail.copy` entry whose revisions were copied from a
  family member's (a copy keeps the source's revisions with their timestamps and authors);
- the story itself: a page whose content (any revision) holds a milestone block id of the
  family's (block ids are random and survive copying, also by scripts that skip the log).

The relation is followed both ways and transitively: the copy of a copy, and the page a case
was copied from, tell the same survivor's story.
"""

import json
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from wagtail.models import Page, PageLogEntry, Revision

from ... import get_case_model

COPY_ACTION = "wagtail.copy"


def case_models():
    """The page models that hold a story: the survivor case and its subclasses."""
    SurvivorCasePage = get_case_model()

    return [model for model in _page_models() if issubclass(model, SurvivorCasePage)]


def _page_models():
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, Page)]


def _case_revisions():
    content_types = ContentType.objects.get_for_models(*case_models(), for_concrete_models=False)
    return Revision.objects.filter(content_type__in=content_types.values())


def _blocks(raw):
    """(id, value as canonical JSON) of each top-level block of a stored StreamField value."""
    if hasattr(raw, "raw_data"):
        raw = list(raw.raw_data)
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return set()
    if not isinstance(raw, list):
        return set()
    return {
        (str(block["id"]), json.dumps(block.get("value"), sort_keys=True, default=str))
        for block in raw
        if isinstance(block, dict) and block.get("id")
    }


def _story_blocks(page_ids):
    """Every milestone the pages' stories held, in any revision, with its block id."""
    found = set()
    revisions = _case_revisions().filter(object_id__in=[str(pk) for pk in page_ids])
    for content in revisions.values_list("content", flat=True):
        found |= _blocks((content or {}).get("story"))
    for model in case_models():
        for story in model.objects.filter(pk__in=page_ids).values_list("story", flat=True):
            found |= _blocks(story)
    return found


def _pages_sharing_blocks(blocks, known):
    """Pages whose story held one of these very blocks: the same id with the same content.

    The content must match too: an import that reused fixed block ids across cases must not
    make one survivor's withdrawal erase another's story.
    """
    if not blocks:
        return set()
    ids = sorted({block_id for block_id, _value in blocks})
    matches = reduce(or_, (Q(text__contains=block_id) for block_id in ids))
    revisions = _case_revisions().exclude(object_id__in=[str(pk) for pk in known])
    candidates = revisions.alias(text=Cast("content", TextField())).filter(matches)
    candidate_ids = {int(pk) for pk in candidates.values_list("object_id", flat=True).distinct()}
    return {pk for pk in candidate_ids if _story_blocks([pk]) & blocks}


def _logged_copies(known):
    """Pages that share a copied revision (same time, same author) with a known page, where one
    of the two is logged as a copy."""
    copied = set(PageLogEntry.objects.filter(action=COPY_ACTION).values_list("page_id", flat=True))
    if not copied:
        return set()
    known_ids = [str(pk) for pk in known]
    revisions = _case_revisions()
    keys = set(revisions.filter(object_id__in=known_ids).values_list("created_at", "user_id"))
    if not keys:
        return set()
    a_known_page_is_a_copy = bool(copied & set(known))
    same_time = revisions.exclude(object_id__in=known_ids).filter(created_at__in={key[0] for key in keys})
    found = set()
    for object_id, created_at, user_id in same_time.values_list("object_id", "created_at", "user_id"):
        page_id = int(object_id)
        if (created_at, user_id) in keys and (page_id in copied or a_known_page_is_a_copy):
            found.add(page_id)
    return found


def _aliases(known):
    aliases = set(Page.objects.filter(alias_of_id__in=known).values_list("pk", flat=True))
    originals = set(
        Page.objects.filter(pk__in=known, alias_of__isnull=False).values_list("alias_of_id", flat=True)
    )
    return aliases | originals


def story_family(page):
    """The specific pages that hold `page`'s story: itself, its copies and aliases, transitively.

    `page` comes first; the others follow by id. Only survivor cases are returned: no other
    page type stores a story.
    """
    known = {page.pk}
    frontier = {page.pk}
    while frontier:
        found = (
            _aliases(known) | _logged_copies(known) | _pages_sharing_blocks(_story_blocks(frontier), known)
        )
        frontier = found - known
        known |= frontier
    models = tuple(case_models())
    others = [
        member
        for member in Page.objects.filter(pk__in=known - {page.pk}).order_by("pk").specific()
        if isinstance(member, models)
    ]
    return [page, *others]


def story_pages_below(family):
    """The specific pages below the story's pages (a case's updates), however deep, by id."""
    known = {member.pk for member in family}
    below = Page.objects.none()
    for member in family:
        below = below | Page.objects.descendant_of(member)
    return list(below.exclude(pk__in=known).order_by("pk").specific())
