"""What the privacy review records: the report on each revision in review, and the approvals
that let exactly one revision go live.

Models of the `sixdegree_review` app, kept below `models.py` (which re-exports them) so that
the services, forms and guard that read them need not import the workflow task, which calls
them (tests/plugin/test_import_graph.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import TaskState

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
        """Keep `report` (the checks' `PrivacyReport`) as the current report of this revision."""
        self.report = report.as_dict()
        self.blocking_count = report.blocking_count
        self.warning_count = report.warning_count
        self.content_fingerprint = fingerprint
        self.checked_at = timezone.now()
        self.save(
            update_fields=["report", "blocking_count", "warning_count", "content_fingerprint", "checked_at"]
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


def last_approval(page_id):
    """The latest `ReviewApproval` of the page, or None."""
    return (
        ReviewApproval.objects.filter(page_id=page_id)
        .select_related("revision")
        .order_by("-approved_at", "-pk")
        .first()
    )
