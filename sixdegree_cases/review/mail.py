"""E-mail about privacy reviews: reviewers on submission, the submitter on the decision.

The messages carry no case text at all (no title, no quote, no comment): only a case number,
counts of findings and a link into the admin, where everything else is behind a login.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from wagtail.admin.mail import EmailNotificationMixin, Notifier

from .models import PrivacyReviewTaskState


def admin_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


class PrivacyReviewNotifier(EmailNotificationMixin, Notifier):
    """Sends one notification about a `PrivacyReviewTaskState`, after the transaction commits.

    Subclasses set `notification` ("submitted", "approved" or "rejected": also the name of
    the Wagtail profile setting that lets a user turn it off).
    """

    template_directory = "sixdegree_review/notifications/"

    def __init__(self):
        super().__init__((PrivacyReviewTaskState,))

    def get_template_base_prefix(self, instance, **kwargs):
        return ""

    def get_context(self, task_state, **kwargs):
        context = super().get_context(task_state, **kwargs)
        page_id = task_state.workflow_state.object_id
        context.update(
            {
                "task_state": task_state,
                "case_id": page_id,
                "review_url": admin_url(reverse("sixdegree_review:review", args=[page_id])),
                "edit_url": admin_url(reverse("wagtailadmin_pages:edit", args=[page_id])),
                "blocking_count": task_state.blocking_count,
                "warning_count": task_state.warning_count,
            }
        )
        return context

    def __call__(self, instance=None, **kwargs):
        # The checks' report is stored after the signal: read the task state once committed.
        def send():
            task_state = PrivacyReviewTaskState.objects.filter(pk=instance.pk).first()
            if task_state is not None:
                super(PrivacyReviewNotifier, self).__call__(instance=task_state, **kwargs)

        transaction.on_commit(send)
        return True


class SubmittedToReviewersNotifier(PrivacyReviewNotifier):
    notification = "submitted"

    def get_recipient_users(self, task_state, **kwargs):
        reviewers = (
            get_user_model().objects.filter(groups__in=task_state.task.specific.groups.all()).distinct()
        )
        user = kwargs.get("user")
        return set(reviewers.exclude(pk=user.pk) if user else reviewers)


class DecisionToSubmitterNotifier(PrivacyReviewNotifier):
    def get_recipient_users(self, task_state, **kwargs):
        submitter = task_state.workflow_state.requested_by
        if submitter is None or submitter == kwargs.get("user"):
            return set()
        return {submitter}


class ApprovedNotifier(DecisionToSubmitterNotifier):
    notification = "approved"


class ChangesRequestedNotifier(DecisionToSubmitterNotifier):
    notification = "rejected"


submitted_notifier = SubmittedToReviewersNotifier()
approved_notifier = ApprovedNotifier()
changes_requested_notifier = ChangesRequestedNotifier()
