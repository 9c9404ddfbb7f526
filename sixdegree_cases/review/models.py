"""The privacy review task, its per-revision report and the approvals that let a case go live."""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState

from .constants import CHECKLIST


class PrivacyReviewTaskState(TaskState):
    """One revision in privacy review: the automated report on exactly that revision.

    The report is the checks' `as_dict()` (findings carry the matched text masked, never in
    full). `content_fingerprint` is the fingerprint of the revision's public content when the
    checks ran, so an approval can refuse a revision that was overwritten since.
    """

    report = models.JSONField(default=dict, blank=True, verbose_name=_("report"))
    blocking_count = models.PositiveIntegerField(default=0, verbose_name=_("blocking findings"))
    warning_count = models.PositiveIntegerField(default=0, verbose_name=_("warnings"))
    content_fingerprint = models.CharField(max_length=64, blank=True, verbose_name=_("content fingerprint"))
    checked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("checked at"))

    class Meta:
        verbose_name = _("privacy review task state")
        verbose_name_plural = _("privacy review task states")

    @property
    def findings(self):
        return self.report.get("findings", [])

    @property
    def blocking(self):
        return self.blocking_count > 0

    def store_report(self, report, fingerprint):
        """Keep `report` (a `checks.ReviewReport`) as the current report of this revision."""
        self.report = report.data
        self.blocking_count = report.blocking_count
        self.warning_count = report.warning_count
        self.content_fingerprint = fingerprint
        self.checked_at = timezone.now()
        self.save(
            update_fields=["report", "blocking_count", "warning_count", "content_fingerprint", "checked_at"]
        )


class PrivacyReviewTask(AbstractGroupApprovalTask):
    """A privacy reviewer reads the automated report on the submitted revision and approves it
    with the checklist, or requests changes with a comment.

    Approval is refused while a check blocks, and only its members may approve (superusers
    included only when they belong to one of the groups): approving is the one way a case
    goes live.
    """

    task_state_class = PrivacyReviewTaskState

    class Meta:
        verbose_name = _("privacy review task")
        verbose_name_plural = _("privacy review tasks")

    @transaction.atomic
    def start(self, workflow_state, user=None):
        # The checks run inside this block so that the submission e-mail, sent on commit,
        # sees the report.
        task_state = super().start(workflow_state, user=user)
        from .services import check_task_state

        check_task_state(task_state)
        return task_state

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        from .services import approve, request_changes

        task_state = task_state.specific
        if action_name == "approve":
            approve(task_state, user, **kwargs)
        elif action_name == "reject":
            request_changes(task_state, user, comment=kwargs.get("comment", ""))
        else:
            return super().on_action(task_state, user, action_name, **kwargs)
        return None

    def get_actions(self, obj, user):
        if not self._user_in_groups(user):
            return []
        actions = [("reject", _("Request changes"), True)]
        # Four eyes: whoever wrote, changed or submitted it since the last approval does not
        # approve it.
        from .services import is_author

        task_state = getattr(obj, "current_workflow_task_state", None)
        if task_state is None or not is_author(task_state, user):
            actions.append(("approve", _("Approve"), True))
        return actions

    def get_form_for_action(self, action):
        from .forms import ApprovalForm, RequestChangesForm

        if action == "approve":
            return ApprovalForm
        if action == "reject":
            return RequestChangesForm
        return super().get_form_for_action(action)

    def get_template_for_action(self, action):
        if action in ("approve", "reject"):
            return "sixdegree_review/workflow_action_modal.html"
        return super().get_template_for_action(action)

    def user_can_access_editor(self, obj, user):
        return user.is_superuser or self._user_in_groups(user)

    def locked_for_user(self, obj, user):
        return not (user.is_superuser or self._user_in_groups(user))

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if self._user_in_groups(user):
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups read the automated privacy report and approve with the "
            "checklist, or request changes. Only the approved revision goes live."
        )


class ReviewApproval(models.Model):
    """A privacy reviewer's approval of exactly one revision of a case.

    The publishing guard lets a case go live only with content whose fingerprint matches an
    approval of that revision. Deleting the revision (e.g. when consent is withdrawn and the
    story is erased) deletes its approval.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("revision"),
    )
    task_state = models.ForeignKey(
        PrivacyReviewTaskState,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approvals",
        verbose_name=_("task state"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(default=timezone.now, verbose_name=_("approved at"))
    checklist = models.JSONField(default=dict, verbose_name=_("checklist"))
    report = models.JSONField(default=dict, blank=True, verbose_name=_("report"))
    content_fingerprint = models.CharField(max_length=64, verbose_name=_("content fingerprint"))
    # Who could read the page when it was approved (`audience.view_restriction_pins`); null for
    # approvals made before restrictions were pinned (migration 0005 pinned what they had then).
    view_restrictions = models.JSONField(null=True, blank=True, verbose_name=_("view restrictions"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))

    class Meta:
        verbose_name = _("review approval")
        verbose_name_plural = _("review approvals")
        ordering = ["-approved_at", "-pk"]
        indexes = [models.Index(fields=["revision", "content_fingerprint"])]

    def __str__(self):
        return f"Approval of revision {self.revision_id} of page {self.page_id}"

    @property
    def checklist_items(self):
        """(label, ticked) for each checklist item, in order."""
        return [(label, bool(self.checklist.get(key))) for key, label in CHECKLIST.items()]


from .alerts import LiveCaseAlert  # noqa: E402, F401 - a model of this app, kept in its own module
from .audience import ViewRestrictionPin  # noqa: E402, F401 - likewise
