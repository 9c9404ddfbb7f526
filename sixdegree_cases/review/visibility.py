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


def pages_made_public(restriction):
    """Live pages at or below the restriction's page that no other restriction covers."""
    page = restriction.page
    others = PageViewRestriction.objects.exclude(pk=restriction.pk)
    ancestor_paths = [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]
    if others.filter(page__path__in=ancestor_paths).exists():
        return Page.objects.none()
    pages = Page.objects.filter(path__startswith=page.path, live=True)
    for covered_path in others.filter(page__path__startswith=page.path).values_list("page__path", flat=True):
        pages = pages.exclude(path__startswith=covered_path)
    return pages


def check_restriction_removal(restriction):
    """Raise `UnreviewedRevisionError` if removing `restriction` would make a reviewed live page public."""
    for page in pages_made_public(restriction).iterator():
        if is_reviewed_model(page.specific_class):
            raise UnreviewedRevisionError(refusal_message())


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
