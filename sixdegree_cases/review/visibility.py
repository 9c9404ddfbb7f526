"""Making a restricted page public counts as publishing: it needs a privacy review.

A view restriction (password, login, groups) is not part of a revision, so approving a revision
says nothing about who may read it. A reviewer who approved a case shown to donors with a
password did not approve it for the world. Removing the last restriction above a live reviewed
page is therefore refused; the way to a public page is: unpublish it, change its privacy, submit
it to privacy review (the approval publishes it).
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from wagtail.models import BaseViewRestriction, Page, PageViewRestriction

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


def uncovered_live_pages(path, restrictions):
    """Live pages at or below `path` that none of `restrictions` inside that subtree covers."""
    pages = Page.objects.filter(path__startswith=path, live=True)
    for covered_path in restrictions.filter(page__path__startswith=path).values_list("page__path", flat=True):
        pages = pages.exclude(path__startswith=covered_path)
    return pages


def pages_made_public(restriction):
    """Live pages at or below the restriction's page that no other restriction covers."""
    page = restriction.page
    others = PageViewRestriction.objects.exclude(pk=restriction.pk)
    if others.filter(page__path__in=ancestor_paths(page.path)).exists():
        return Page.objects.none()
    return uncovered_live_pages(page.path, others)


def refuse_if_reviewed(pages, message):
    for page in pages.iterator():
        if is_reviewed_model(page.specific_class):
            raise UnreviewedRevisionError(message)


def check_restriction_removal(restriction):
    """Raise `UnreviewedRevisionError` if removing `restriction` would make a reviewed live page public."""
    refuse_if_reviewed(pages_made_public(restriction), refusal_message())


def guard_page_move(sender, instance, parent_page_after=None, **kwargs):
    """`pre_page_move`: moving live pages out from under a restriction makes them public too."""
    page = Page.objects.get(pk=instance.pk)
    restrictions = PageViewRestriction.objects.all()
    restricted_now = restrictions.filter(page__path__in=ancestor_paths(page.path, inclusive=False)).exists()
    if not restricted_now or parent_page_after is None:
        return
    if restrictions.filter(page__path__in=ancestor_paths(parent_page_after.path)).exists():
        return
    refuse_if_reviewed(
        uncovered_live_pages(page.path, restrictions),
        _(
            "Not moved: there the page would be public, and making a live page public counts as "
            "publishing. Unpublish it first, or move it below a page with the same privacy."
        ),
    )


def guard_restriction_delete(sender, instance, origin=None, **kwargs):
    """`pre_delete` of a page view restriction deleted for itself (not with its page)."""
    deleting_restrictions = isinstance(origin, PageViewRestriction) or (
        isinstance(origin, QuerySet) and issubclass(origin.model, PageViewRestriction)
    )
    if deleting_restrictions:
        check_restriction_removal(instance)


def guard_restriction_save(sender, instance, raw=False, **kwargs):
    """`pre_save`: a restriction turned into "none" is a removal too."""
    if raw or instance.pk is None or instance.restriction_type != BaseViewRestriction.NONE:
        return
    check_restriction_removal(instance)
