"""A case's lifecycle after launch: fundraising → funded → in progress → completed.

Kept apart from the page (not a page field): the status holds no words, is set by the case
officer at any time, and must not need a new reviewed revision of the story. The date each
step was reached is recorded; the public sees the status and those dates (month precision).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    FUNDRAISING = "fundraising", _("Fundraising")
    FUNDED = "funded", _("Funded")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


# The step each status is, and the field that records when it was reached.
STEP_FIELDS = {
    CaseStatus.FUNDED: "funded_on",
    CaseStatus.IN_PROGRESS: "in_progress_on",
    CaseStatus.COMPLETED: "completed_on",
}
ORDER = [CaseStatus.FUNDRAISING, CaseStatus.FUNDED, CaseStatus.IN_PROGRESS, CaseStatus.COMPLETED]


class CaseLifecycle(models.Model):
    """Where a case stands after its launch, set by a case officer (one row per case)."""

    case = models.OneToOneField(
        "sixdegree_cases.SurvivorCasePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="lifecycle",
        verbose_name=_("case"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.FUNDRAISING
    )
    funded_on = models.DateField(_("funded on"), null=True, blank=True)
    in_progress_on = models.DateField(_("in progress since"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case lifecycle")
        verbose_name_plural = _("case lifecycles")

    def __str__(self):
        return f"{self.case_id}: {self.status}"

    def set_status(self, status, on=None):
        """Move to `status`: its step (and any earlier step not dated yet) is dated `on`
        (today by default); the dates of later steps are cleared (a correction)."""
        status = CaseStatus(status)
        on = on or timezone.localdate()
        reached = ORDER.index(status)
        for step, field in STEP_FIELDS.items():
            if ORDER.index(step) <= reached:
                if getattr(self, field) is None:
                    setattr(self, field, on)
            else:
                setattr(self, field, None)
        self.status = status

    def steps(self):
        """The steps reached, in order: `{"status", "label", "date"}` (the public allow-list)."""
        found = []
        for step in ORDER[1:]:
            date = getattr(self, STEP_FIELDS[step])
            if date and ORDER.index(step) <= ORDER.index(CaseStatus(self.status)):
                found.append({"status": step.value, "label": str(step.label), "date": date})
        return found


def lifecycle_of(case):
    """The case's lifecycle row, or an unsaved one at "fundraising" (never creates a row)."""
    try:
        return case.lifecycle
    except CaseLifecycle.DoesNotExist:
        return CaseLifecycle(case=case)


def set_case_status(case, status, on=None):
    """Record `status` for `case` (a case officer's action); saving it drops the case's cached
    pages (`caching.signal_handlers.lifecycle_changed`)."""
    lifecycle, _created = CaseLifecycle.objects.get_or_create(case=case)
    lifecycle.set_status(status, on=on)
    lifecycle.save()
    return lifecycle
