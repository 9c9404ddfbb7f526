"""What invalidates cached pages. Connected from `SixdegreeCachingConfig.ready()`."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .frontend import purge_case_later, purge_subtree_later
from .invalidation import case_figures_changed, invalidate_all, invalidate_case

DISPATCH = "sixdegree_caching"


def page_changed(sender, instance=None, **kwargs):
    invalidate_all()
    if instance is not None and instance.pk:
        # The page's own URL is purged from a CDN by Wagtail; its listings are purged here.
        purge_case_later(instance.pk)


def site_changed(sender, **kwargs):
    invalidate_all()


def view_restriction_changed(sender, instance, action="post_save", **kwargs):
    """Login-only, a password or groups on a page (or removing them) is like an unpublish for
    anonymous visitors: the page and every listing that showed it must not be served from the
    cache. Restrictions apply to the whole subtree, so everything is dropped."""
    if not action.startswith("post_"):
        return
    invalidate_all()
    page_id = getattr(instance, "page_id", None)
    if page_id:
        purge_subtree_later(page_id)


def funding_changed(sender, instance, **kwargs):
    case_figures_changed(instance.case_id)


def donation_status_changed(sender, instance, **kwargs):
    # Also on status changes: totals written by an UPDATE send no `post_save`. Figures show
    # confirmed gifts only (totals, named supporters): a gift that never was confirmed changes
    # none of them on its way from waiting to error, rejected or cancelled, and refreshing them
    # anyway made every page view render them until they were stored again (a start refused
    # or timed out on a stalled provider closes its gift so).
    from payments import PaymentStatus

    case_id = getattr(instance, "case_id", None)
    ever_confirmed = (
        getattr(instance, "status", None) == PaymentStatus.CONFIRMED
        or getattr(instance, "confirmed_at", None) is not None
    )
    if case_id and ever_confirmed:
        case_figures_changed(case_id)


def lifecycle_changed(sender, instance, **kwargs):
    """A case's status decides whether its pages offer the donate form (`donations.closing.closed_message`):
    saved from anywhere (the "Case status" screen, `set_case_status`) or deleted (no status row
    is "fundraising": giving reopens), its page, the lists and its figures are rendered again."""
    invalidate_case(instance.case_id)


def consent_withdrawn(sender, page, **kwargs):
    # Withdrawal also unpublishes (which drops everything); this covers a page that was
    # already unpublished, and the CDN.
    invalidate_case(page)
    invalidate_all()


def connect():
    page_published.connect(page_changed, dispatch_uid=f"{DISPATCH}-published")
    page_unpublished.connect(page_changed, dispatch_uid=f"{DISPATCH}-unpublished")
    page_slug_changed.connect(page_changed, dispatch_uid=f"{DISPATCH}-slug")
    post_page_move.connect(page_changed, dispatch_uid=f"{DISPATCH}-moved")
    for model in _page_models():
        post_delete.connect(
            site_changed, sender=model, dispatch_uid=f"{DISPATCH}-deleted-{model._meta.label}"
        )
    post_save.connect(
        view_restriction_changed, sender=PageViewRestriction, dispatch_uid=f"{DISPATCH}-restriction-saved"
    )
    post_delete.connect(
        view_restriction_changed, sender=PageViewRestriction, dispatch_uid=f"{DISPATCH}-restriction-deleted"
    )
    m2m_changed.connect(
        view_restriction_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid=f"{DISPATCH}-restriction-groups",
    )
    post_save.connect(
        lifecycle_changed, sender="sixdegree_cases.CaseLifecycle", dispatch_uid=f"{DISPATCH}-lifecycle-saved"
    )
    post_delete.connect(
        lifecycle_changed,
        sender="sixdegree_cases.CaseLifecycle",
        dispatch_uid=f"{DISPATCH}-lifecycle-deleted",
    )
    post_save.connect(site_changed, sender=Site, dispatch_uid=f"{DISPATCH}-site-saved")
    post_delete.connect(site_changed, sender=Site, dispatch_uid=f"{DISPATCH}-site-deleted")
    _connect_images()
    _connect_optional_apps()


def _page_models():
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, Page)]


def _connect_images():
    from wagtail.images import get_image_model

    # A replaced or deleted image changes renditions' URLs in cached pages.
    image_model = get_image_model()
    post_save.connect(site_changed, sender=image_model, dispatch_uid=f"{DISPATCH}-image-saved")
    post_delete.connect(site_changed, sender=image_model, dispatch_uid=f"{DISPATCH}-image-deleted")


def _connect_optional_apps():
    from django.apps import apps

    if apps.is_installed("sixdegree_cases.donations"):
        # Every change of a case's totals (confirmation, refund) saves its CaseFunding row.
        from payments.signals import status_changed

        post_save.connect(
            funding_changed, sender="sixdegree_donations.CaseFunding", dispatch_uid=f"{DISPATCH}-funding"
        )
        status_changed.connect(donation_status_changed, dispatch_uid=f"{DISPATCH}-donation-status")
    if apps.is_installed("sixdegree_cases.privacy"):
        from ..privacy.signals import consent_withdrawn as withdrawn_signal

        withdrawn_signal.connect(consent_withdrawn, dispatch_uid=f"{DISPATCH}-withdrawn")
