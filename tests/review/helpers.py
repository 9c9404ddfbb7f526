"""Small steps of the review path, as the admin takes them."""

from sixdegree_cases.review.constants import CHECKLIST
from sixdegree_cases.review.models import PrivacyReviewTaskState

FULL_CHECKLIST = dict.fromkeys(CHECKLIST, True)


def submit(page, user):
    """Save the page's current state as a revision and submit it to privacy review."""
    page.save_revision(user=user)
    workflow_state = page.current_workflow_state
    if workflow_state and workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES:
        workflow_state.resume(user)
    else:
        page.get_workflow().start(page, user)
    return current_task_state(page)


def current_task_state(page):
    task_state = page.current_workflow_task_state
    return PrivacyReviewTaskState.objects.get(pk=task_state.pk) if task_state else None


def act(task_state, user, action, **data):
    return task_state.task.specific.on_action(task_state, user, action, **data)


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []
