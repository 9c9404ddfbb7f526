"""The `WAGTAIL_FINISH_WORKFLOW_ACTION` of the site.

Wagtail imports this while `wagtail.models` is still loading, so it imports nothing of
Wagtail's or the plugin's at module level: those imports are inside the function. Nothing in
the plugin imports this module, so they make no cycle.
"""

from django.utils.translation import gettext


def publish_reviewed_workflow_state(workflow_state, user=None):
    """`WAGTAIL_FINISH_WORKFLOW_ACTION`: publish what the workflow approved.

    For a case, exactly the revision the privacy reviewer approved is published, as the
    system: the reviewer needs no publish permission, and the guard still checks the approval.
    Other pages and snippets finish as Wagtail does by default.
    """
    from wagtail.workflows import publish_workflow_state

    from .guard import UnreviewedRevisionError, is_reviewed_model
    from .models import PrivacyReviewTask, ReviewApproval
    from .services import specific_object

    obj = specific_object(workflow_state.content_object)
    in_privacy_review = PrivacyReviewTask.objects.filter(
        workflow_tasks__workflow=workflow_state.workflow
    ).exists()
    if not is_reviewed_model(type(obj)):
        if in_privacy_review:
            obj.get_latest_revision().publish(user=user, skip_permission_checks=True)
        else:
            publish_workflow_state(workflow_state, user=user)
        return
    approval = (
        ReviewApproval.objects.filter(task_state__workflow_state=workflow_state)
        .select_related("revision")
        .order_by("-approved_at", "-pk")
        .first()
    )
    if approval is None:
        raise UnreviewedRevisionError(
            gettext("Not published: only the privacy review can approve a case, and it has not.")
        )
    approval.revision.publish(user=user, skip_permission_checks=True)
