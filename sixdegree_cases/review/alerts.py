"""`LiveCaseAlert`: a live case failed its checks again after what the checks know changed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LiveCaseAlertQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class LiveCaseAlert(models.Model):
    """A blocking finding on a case that is live, raised by a re-check.

    Holds the case's id, why it was checked again, which checks block and where (labels such
    as "Milestone 2 · narrative"), never the matched text: the alert is shown on dashboards
    and e-mailed. Closed when someone unpublishes the case, by any path.
    """

    class Reason(models.TextChoices):
        SENSITIVE_TERM = "sensitive_term", _("a sensitive term was added or changed")
        CONSENT = "consent", _("the consent record changed")

    class Resolution(models.TextChoices):
        UNPUBLISHED = "unpublished", _("unpublished")

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    reason = models.CharField(max_length=20, choices=Reason.choices, verbose_name=_("reason"))
    checks = models.JSONField(default=list, verbose_name=_("blocking checks"))
    places = models.JSONField(default=list, verbose_name=_("where"))
    blocking_count = models.PositiveIntegerField(default=0, verbose_name=_("blocking findings"))
    raised_at = models.DateTimeField(auto_now_add=True, verbose_name=_("raised at"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.CharField(
        max_length=20, choices=Resolution.choices, blank=True, verbose_name=_("resolution")
    )

    objects = LiveCaseAlertQuerySet.as_manager()

    class Meta:
        app_label = "sixdegree_review"
        verbose_name = _("live case alert")
        verbose_name_plural = _("live case alerts")
        ordering = ["-raised_at", "-pk"]

    def __str__(self):
        return f"Alert {self.pk} on case {self.page_id}"

    @property
    def is_open(self):
        return self.resolved_at is None

    @property
    def check_labels(self):
        """The blocking checks by their names for people (ids of checks no longer configured)."""
        from ..privacy.checks import get_checks

        labels = {check.id: str(check.label) for check in get_checks()}
        return [labels.get(check, check) for check in self.checks]
