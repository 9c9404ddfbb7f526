"""The `WAGTAIL_FINISH_WORKFLOW_ACTION` of the site.

Wagtail imports this while `wagtail.models` is still loading, so it imports nothing at module
level; the work is in `services.publish_reviewed_workflow_state`.
"""


def publish_reviewed_workflow_state(workflow_state, user=None):
    """Publish what a finished workflow approved (for a case: exactly the approved revision)."""
    from .services import publish_reviewed_workflow_state as publish

    return publish(workflow_state, user=user)
