"""`ReviewedPublishingMixin`: a page type that goes live only through privacy review.

Cases inherit it. Every other page type of the public tree that `SIXDEGREE_REVIEWED_PAGE_TYPES`
names gets the same behaviour from `install_review_gate()` (run when the app is ready), so a
page type a host site adds is reviewed without inheriting anything.
"""

from wagtail.admin.forms.pages import CopyForm
from wagtail.models import PagePermissionTester

from ..compat import wrap_page_methods
from ..privacy.copying import copy_private_records
from .guard import (
    UnreviewedRevisionError,
    assert_revision_approved,
    check_live_save,
    has_review_mixin,
    is_reviewed_model,
    refuse_scheduled_publication,
)


class ReviewedPagePermissionTester(PagePermissionTester):
    """Nobody, superusers included, publishes a case directly: approving its privacy review
    does. Hides the Publish button and refuses bulk publish, revert-and-publish and
    scheduling; unpublishing stays as Wagtail has it (taking a case down is always safe)."""

    def can_publish(self):
        return False

    def can_publish_subpage(self):
        return False

    def can_set_view_restrictions(self):
        return super().can_publish()

    def can_unschedule(self):
        return super().can_publish()


class ReviewedCopyForm(CopyForm):
    """Copies of a case are drafts: neither "publish copies" nor an alias (which would be live)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("publish_copies", None)
        self.fields.pop("alias", None)


def refuse_unapproved_publish(revision, log_action):
    """Raise `UnreviewedRevisionError` unless `revision` was approved as it stands.

    A scheduled go-live is cancelled and logged instead (returns False), so that one refused
    page does not stop `publish_scheduled` for the others. Returns True when publishing may go on.
    """
    try:
        assert_revision_approved(revision)
    except UnreviewedRevisionError as error:
        if log_action == "wagtail.publish.scheduled":
            refuse_scheduled_publication(revision, error)
            return False
        raise
    return True


def permissions_for_any_page(wagtail_permissions_for_user, page, user):
    """Every reviewed page type gets the reviewed tester, with or without the mixin."""
    if page.depth != 1 and is_reviewed_model(page.specific_class):
        return ReviewedPagePermissionTester(user, page)
    return wagtail_permissions_for_user(page, user)


def publish_any_page(
    wagtail_publish,
    page,
    revision,
    user=None,
    changed=True,
    log_action=True,
    previous_revision=None,
    **kwargs,
):
    """A reviewed page type without the mixin publishes only an approved revision (a case's
    own `publish()` has asked already). `Page.publish`'s own signature, so that `log_action`
    (a scheduled go-live is cancelled, not raised) is read however it is passed."""
    needs_approval = not has_review_mixin(type(page)) and is_reviewed_model(page.specific_class)
    if needs_approval and not refuse_unapproved_publish(revision, log_action):
        return None
    return wagtail_publish(
        page,
        revision,
        user=user,
        changed=changed,
        log_action=log_action,
        previous_revision=previous_revision,
        **kwargs,
    )


def install_review_gate():
    """Give every reviewed page type without the mixin the mixin's tester and publish rule.

    Wagtail asks `Page.permissions_for_user` and `Page.publish` on every path (edit view, bulk
    actions, scheduled publishing, workflows), so wrapping these two on `Page` reaches page types
    the plugin does not know (compat.wrap_page_methods). Idempotent.
    """
    wrap_page_methods(permissions_for_user=permissions_for_any_page, publish=publish_any_page)


class ReviewedPublishingMixin:
    """Put first in a page model's bases: `class SurvivorCasePage(ReviewedPublishingMixin, Page)`."""

    # guard.REVIEWED_PUBLISHING_MARK: this class's `publish()` asks for approval itself.
    sixdegree_reviewed_publishing = True
    copy_form_class = ReviewedCopyForm

    def permissions_for_user(self, user):
        return ReviewedPagePermissionTester(user, self)

    def publish(
        self,
        revision,
        user=None,
        changed=True,
        log_action=True,
        previous_revision=None,
        skip_permission_checks=False,
    ):
        if not refuse_unapproved_publish(revision, log_action):
            return None
        return super().publish(
            revision,
            user=user,
            changed=changed,
            log_action=log_action,
            previous_revision=previous_revision,
            skip_permission_checks=skip_permission_checks,
        )

    def copy(self, *args, **kwargs):
        """Copy the page; the copy starts with the case's sensitive terms, never its consent."""
        page_copy = super().copy(*args, **kwargs)
        copy_private_records(self, page_copy)
        return page_copy

    def save(self, *args, **kwargs):
        check_live_save(self, kwargs.get("update_fields"))
        return super().save(*args, **kwargs)
