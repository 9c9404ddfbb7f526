"""The "Review and consent" panel of a case's Story tab, for everyone who edits the case.

Communications staff write the story but cannot open consent records (only case officers and
privacy reviewers can, on the Privacy tab): they see here whether consent is recorded, and
what the privacy reviewer asked to change, without leaving the editor.
"""

from wagtail.admin.panels import Panel
from wagtail.models import TaskState, WorkflowState


def last_requested_changes(page):
    """The last "request changes" decision on `page`: its comment, reviewer and time, or None."""
    if not page or not page.pk:
        return None
    return (
        TaskState.objects.filter(
            workflow_state__in=WorkflowState.objects.for_instance(page),
            status=TaskState.STATUS_REJECTED,
        )
        .exclude(comment="")
        .select_related("finished_by")
        .order_by("-finished_at", "-pk")
        .first()
    )


class CaseReviewStatusPanel(Panel):
    """Read-only: consent recorded or not, and the reviewer's last requested changes."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "sixdegree_review/panels/case_review_status_panel.html"

        def get_context_data(self, parent_context=None):
            from ..privacy.models import CaseWithdrawal, current_consent

            context = super().get_context_data(parent_context)
            case = self.instance
            saved = bool(case and case.pk)
            changes = last_requested_changes(case) if saved else None
            context.update(
                saved=saved,
                # Only whether it exists: its date, scope, language and notes stay on the
                # Privacy tab for those allowed to see consent records.
                consent_recorded=saved and current_consent(case) is not None,
                withdrawn=saved and CaseWithdrawal.objects.filter(case_id=case.pk).exists(),
                changes=changes,
                changes_newer_than_edits=bool(
                    changes
                    and case.latest_revision
                    and changes.finished_at
                    and changes.finished_at >= case.latest_revision.created_at
                ),
            )
            return context
