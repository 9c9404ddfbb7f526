"""`ReviewedPublishingMixin`: a page type that goes live only through privacy review."""

from wagtail.admin.forms.pages import CopyForm
from wagtail.models import PagePermissionTester


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


class ReviewedPublishingMixin:
    """Put first in a page model's bases: `class SurvivorCasePage(ReviewedPublishingMixin, Page)`."""

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
        from .guard import UnreviewedRevisionError, assert_revision_approved, refuse_scheduled_publication

        try:
            assert_revision_approved(revision)
        except UnreviewedRevisionError as error:
            if log_action == "wagtail.publish.scheduled":
                refuse_scheduled_publication(revision, error)
                return None
            raise
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
        from ..privacy.copying import copy_private_records

        page_copy = super().copy(*args, **kwargs)
        copy_private_records(self, page_copy)
        return page_copy

    def save(self, *args, **kwargs):
        from .guard import check_live_save

        check_live_save(self, kwargs.get("update_fields"))
        return super().save(*args, **kwargs)
