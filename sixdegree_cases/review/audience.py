"""Who may read a page: its effective view restrictions, pinned and compared.

A view restriction is not part of a revision, so an approval pins the restrictions the page had
when it was approved (`ReviewApproval.view_restrictions`), and every change made through the
ORM (the guarded paths of `visibility`) refreshes the restrictions a live page is known to have
(`ViewRestrictionPin`). `QuerySet.update()`, `loaddata` and SQL change neither, so
`privacy_audit` finds a live page readable by more people than either says and takes it down.

A pin is a list of `{"page": id, "type": ..., "groups": [ids]}`, one per restriction on the
page or an ancestor (own and inherited). Passwords are not pinned: changing one goes through
the guarded paths and needs no review.

"Narrower" follows the guard (`visibility.WIDER_TYPES`): any restriction is narrower than
none; a password or a groups restriction is narrower than login-only; a password and a groups
restriction count as narrower than each other (the guard lets an editor switch between them);
a groups restriction is narrower than another when its groups are a subset of the other's.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseViewRestriction, Page, PageViewRestriction

PASSWORD = BaseViewRestriction.PASSWORD
GROUPS = BaseViewRestriction.GROUPS
LOGIN = BaseViewRestriction.LOGIN
NARROWER_TYPES = {
    LOGIN: {LOGIN, PASSWORD, GROUPS},
    PASSWORD: {PASSWORD, GROUPS},
    GROUPS: {PASSWORD, GROUPS},
}


class ViewRestrictionPin(models.Model):
    """The effective view restrictions of a page as the guarded paths last left them."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    restrictions = models.JSONField(default=list, verbose_name=_("view restrictions"))
    pinned_at = models.DateTimeField(default=timezone.now, verbose_name=_("pinned at"))

    class Meta:
        verbose_name = _("view restriction pin")
        verbose_name_plural = _("view restriction pins")

    def __str__(self):
        return f"View restrictions of page {self.page_id}"


def _pin(restriction, group_ids):
    groups = sorted(group_ids) if restriction.restriction_type == GROUPS else []
    return {"page": restriction.page_id, "type": restriction.restriction_type, "groups": groups}


def _restrictions_with_groups(queryset):
    """`(restriction, path, group ids)` of each restriction that restricts anything."""
    restrictions = list(
        queryset.exclude(restriction_type=BaseViewRestriction.NONE)
        .select_related("page")
        .prefetch_related("groups")
        .order_by("page__path", "pk")
    )
    return [(r, r.page.path, {group.pk for group in r.groups.all()}) for r in restrictions]


def ancestor_paths(path):
    return [path[:stop] for stop in range(Page.steplen, len(path) + 1, Page.steplen)]


def pins_with_paths(queryset):
    """`(page path, pin)` of each restriction in `queryset` that restricts anything."""
    return [
        (path, _pin(restriction, groups)) for restriction, path, groups in _restrictions_with_groups(queryset)
    ]


def restriction_pin(restriction):
    """The pin of one stored restriction (its groups as stored now)."""
    return _pin(restriction, set(restriction.groups.values_list("pk", flat=True)))


def view_restriction_pins(page):
    """The page's effective view restrictions (its own and its ancestors'), JSON-ready."""
    found = _restrictions_with_groups(
        PageViewRestriction.objects.filter(page__path__in=ancestor_paths(page.path))
    )
    return [_pin(restriction, groups) for restriction, _path, groups in found]


def subtree_pins(path):
    """`{page id: pins}` for every page at or below `path`, in two queries."""
    found = _restrictions_with_groups(
        PageViewRestriction.objects.filter(
            models.Q(page__path__in=ancestor_paths(path)) | models.Q(page__path__startswith=path)
        )
    )
    pins = {}
    for page_id, page_path in Page.objects.filter(path__startswith=path).values_list("pk", "path"):
        pins[page_id] = [_pin(r, groups) for r, r_path, groups in found if page_path.startswith(r_path)]
    return pins


def narrower_or_equal(live, pinned):
    """True when restriction pin `live` lets no more people read than `pinned` does."""
    if live["type"] not in NARROWER_TYPES.get(pinned["type"], ()):
        return False
    if live["type"] == GROUPS and pinned["type"] == GROUPS:
        return set(live["groups"]) <= set(pinned["groups"])
    return True


def covers(live_pins, pinned_pins):
    """True when the restrictions `live_pins` let no more people read than `pinned_pins`: each
    pinned restriction is matched by a live one at least as narrow."""
    return all(any(narrower_or_equal(live, pinned) for live in live_pins) for pinned in pinned_pins)


def refresh_pins(path):
    """Re-pin the live pages at or below `path`, and the pages pinned already (a restriction
    changed through the ORM). A page's pin always follows the guarded paths."""
    pins = subtree_pins(path)
    if not pins:
        return
    live = set(Page.objects.filter(pk__in=pins, live=True).values_list("pk", flat=True))
    pinned = set(ViewRestrictionPin.objects.filter(page_id__in=pins).values_list("page_id", flat=True))
    now = timezone.now()
    ViewRestrictionPin.objects.bulk_create(
        [
            ViewRestrictionPin(page_id=pk, restrictions=pins[pk], pinned_at=now)
            for pk in sorted(live | pinned)
        ],
        update_conflicts=True,
        unique_fields=["page"],
        update_fields=["restrictions", "pinned_at"],
    )


def pin_of(page):
    """The restrictions the guarded paths last left `page` with, or None if never pinned."""
    return ViewRestrictionPin.objects.filter(page_id=page.pk).values_list("restrictions", flat=True).first()


def pin_page(page):
    """Pin the page's restrictions as they are now (it was just published: the guard let it)."""
    ViewRestrictionPin.objects.update_or_create(
        page_id=page.pk, defaults={"restrictions": view_restriction_pins(page), "pinned_at": timezone.now()}
    )


# Receivers, connected in `signal_handlers.register_signal_handlers`. Each runs after the guard
# let the change through (the guard's receivers run on the `pre_*` signals and raise).


def repin_after_restriction_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        repin_restricted_page(instance.page_id)


def repin_after_restriction_deleted(sender, instance, origin=None, **kwargs):
    from django.db.models import QuerySet

    deleted_for_itself = isinstance(origin, PageViewRestriction) or (
        isinstance(origin, QuerySet) and issubclass(origin.model, PageViewRestriction)
    )
    if deleted_for_itself:
        # Deleted with its page, it takes the page, its subtree and their pins along.
        repin_restricted_page(instance.page_id)


def repin_after_restriction_groups(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        repin_restricted_page(instance.page_id)
        return
    # group.pageviewrestriction_set.add(...): `pk_set` holds the restrictions.
    restrictions = PageViewRestriction.objects.filter(pk__in=pk_set) if pk_set else None
    if restrictions is None:
        # A reverse clear names no restriction: re-pin every restricted page.
        restrictions = PageViewRestriction.objects.all()
    for page_id in set(restrictions.values_list("page_id", flat=True)):
        repin_restricted_page(page_id)


def repin_after_publish(sender, instance, **kwargs):
    pin_page(instance)


def repin_after_move(sender, instance, **kwargs):
    repin_restricted_page(instance.pk)


def repin_restricted_page(page_id):
    path = Page.objects.filter(pk=page_id).values_list("path", flat=True).first()
    if path is not None:
        # A page deleted with its restrictions takes its pins along (cascade).
        refresh_pins(path)
