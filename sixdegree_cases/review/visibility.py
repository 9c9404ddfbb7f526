"""Making a restricted page public counts as publishing: it needs a privacy review.

A view restriction (password, login, groups) is not part of a revision, so approving a revision
says nothing about who may read it. A reviewer who approved a case shown to donors with a
password did not approve it for the world. For a live reviewed page, or one with an approved
revision scheduled to go live, any change that lets more people read it is therefore refused:
removing a restriction that no other at least as narrow still covers, moving the page from
under a restriction to where a narrower one does not cover it, repointing a restriction to
another page, loosening its type (password/groups -> login, anything -> none) or adding groups
to a groups restriction. "Narrower" is `audience.narrower_or_equal`, the comparison
`privacy_audit` makes, so what this guard allows never trips the audit.
Adding or tightening a restriction stays allowed. The way to a wider audience is: unpublish the
page, change its privacy, submit it to privacy review (the approval publishes it).
"""

from django.db.models import IntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from wagtail.models import BaseViewRestriction, Page, PageViewRestriction, Revision

from .audience import covers, narrower_or_equal, pins_with_paths, restriction_pin
from .guard import UnreviewedRevisionError, is_reviewed_model


def refusal_message():
    return _(
        "Privacy not changed: making a live page public counts as publishing. Unpublish it, "
        "change its privacy, then submit it to privacy review."
    )


def ancestor_paths(path, inclusive=True):
    """Tree paths of the page at `path` and of its ancestors (without itself if not `inclusive`)."""
    end = len(path) + (1 if inclusive else 1 - Page.steplen)
    return [path[:stop] for stop in range(Page.steplen, end, Page.steplen)]


def shown_pages(path):
    """Pages at or below `path` that are live, or have an approved revision scheduled to go live.

    A scheduled go-live publishes to whoever may read the page on that date, so its audience
    matters before it is live.
    """
    scheduled = (
        Revision.page_revisions.filter(approved_go_live_at__isnull=False)
        .annotate(page_pk=Cast("object_id", IntegerField()))
        .values("page_pk")
    )
    return Page.objects.filter(Q(live=True) | Q(pk__in=scheduled), path__startswith=path)


def pages_made_public(restriction, deleting=()):
    """Shown pages at or below the restriction's page that would gain readers without it.

    A page loses nothing when another restriction on its path (above the removed one, or
    between it and the page) is at least as narrow (`audience.narrower_or_equal`, the
    comparison `privacy_audit` makes). `deleting` names restrictions removed along with this
    one (a queryset's `delete()`), which cover nothing.
    """

    # What is stored is what goes: an instance can carry unsaved changes (Wagtail's privacy
    # dialog validates its form, setting the type to "none", before it deletes the row).
    restriction = PageViewRestriction.objects.filter(pk=restriction.pk).select_related("page").first()
    if restriction is None or restriction.restriction_type == BaseViewRestriction.NONE:
        return Page.objects.none()
    page = restriction.page
    removed = restriction_pin(restriction)
    others = PageViewRestriction.objects.exclude(pk=restriction.pk).exclude(pk__in=list(deleting))
    on_path = others.filter(Q(page__path__in=ancestor_paths(page.path)) | Q(page__path__startswith=page.path))
    covering = [path for path, pin in pins_with_paths(on_path) if narrower_or_equal(pin, removed)]
    if any(len(path) <= len(page.path) for path in covering):
        return Page.objects.none()
    pages = shown_pages(page.path)
    for covered_path in covering:
        pages = pages.exclude(path__startswith=covered_path)
    return pages


def refuse_if_reviewed(pages, message):
    for page in pages.iterator():
        if is_reviewed_model(page.specific_class):
            raise UnreviewedRevisionError(message)


def check_restriction_removal(restriction, deleting=()):
    """Raise `UnreviewedRevisionError` if removing `restriction` would widen a reviewed live page."""
    refuse_if_reviewed(pages_made_public(restriction, deleting), refusal_message())


def guard_page_move(sender, instance, parent_page_after=None, **kwargs):
    """`pre_page_move`: moving live pages out from under a restriction (or under a wider one)
    widens their audience too."""

    if parent_page_after is None:
        return
    page = Page.objects.get(pk=instance.pk)
    restrictions = PageViewRestriction.objects.all()
    before = [
        pin
        for _path, pin in pins_with_paths(
            restrictions.filter(page__path__in=ancestor_paths(page.path, inclusive=False))
        )
    ]
    after = [
        pin
        for _path, pin in pins_with_paths(
            restrictions.filter(page__path__in=ancestor_paths(parent_page_after.path))
        )
    ]
    if covers(after, before):
        return
    inside = pins_with_paths(restrictions.filter(page__path__startswith=page.path))
    widened = [
        pk
        for pk, path in shown_pages(page.path).values_list("pk", "path")
        if not covers(after + [pin for own_path, pin in inside if path.startswith(own_path)], before)
    ]
    refuse_if_reviewed(
        Page.objects.filter(pk__in=widened),
        _(
            "Not moved: there the page would be public, and making a live page public counts as "
            "publishing. Unpublish it first, or move it below a page with the same privacy."
        ),
    )


def guard_restriction_delete(sender, instance, origin=None, **kwargs):
    """`pre_delete` of a page view restriction deleted for itself (not with its page)."""
    if isinstance(origin, PageViewRestriction):
        check_restriction_removal(instance)
    elif isinstance(origin, QuerySet) and issubclass(origin.model, PageViewRestriction):
        # Django sends every `pre_delete` before deleting any row: each restriction of the
        # queryset must not count as covering another that goes with it.
        check_restriction_removal(instance, deleting=origin.values_list("pk", flat=True))


# Restriction types a change to which lets more people read the page.
WIDER_TYPES = {
    BaseViewRestriction.PASSWORD: {BaseViewRestriction.LOGIN, BaseViewRestriction.NONE},
    BaseViewRestriction.GROUPS: {BaseViewRestriction.LOGIN, BaseViewRestriction.NONE},
    BaseViewRestriction.LOGIN: {BaseViewRestriction.NONE},
}


def check_restriction_widening(restriction):
    """Raise `UnreviewedRevisionError` if a reviewed shown page at or below `restriction` gains readers."""
    refuse_if_reviewed(shown_pages(restriction.page.path), refusal_message())


def guard_restriction_save(sender, instance, raw=False, **kwargs):
    """`pre_save`: repointing a restriction removes it from its page; a looser type widens it."""
    if raw or instance.pk is None:
        return
    before = PageViewRestriction.objects.filter(pk=instance.pk).select_related("page").first()
    if before is None:
        return
    if before.page_id != instance.page_id:
        check_restriction_removal(before)
    elif instance.restriction_type == BaseViewRestriction.NONE:
        check_restriction_removal(before)
    elif instance.restriction_type in WIDER_TYPES.get(before.restriction_type, ()):
        check_restriction_widening(before)


def guard_restriction_groups(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    """`m2m_changed` of restriction groups: adding a group to a groups restriction widens it.

    The first groups of a restriction that had none are allowed (before, nobody could read); a
    swap by `groups.set()` removes first, so a removal marks the restriction as having had groups.
    """
    if reverse:
        if action == "pre_add" and pk_set:
            # group.pageviewrestriction_set.add(...): each restriction gains this group.
            for restriction in PageViewRestriction.objects.filter(pk__in=pk_set).select_related("page"):
                if restriction.groups.exists():
                    check_restriction_widening(restriction)
        return
    if action == "pre_remove" and pk_set:
        instance._sixdegree_had_groups = True
    elif action == "pre_clear":
        if instance.groups.exists():
            instance._sixdegree_had_groups = True
    elif action == "pre_add" and pk_set:
        current = set(instance.groups.values_list("pk", flat=True))
        had_groups = current or getattr(instance, "_sixdegree_had_groups", False)
        if had_groups and not pk_set <= current:
            check_restriction_widening(PageViewRestriction.objects.select_related("page").get(pk=instance.pk))
