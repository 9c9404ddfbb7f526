"""What the privacy checks found: findings and the report that holds them."""

from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    """How much a finding weighs: a blocking one stops approval, a warning is for the reviewer."""

    BLOCK = "block", _("Blocks approval")
    WARN = "warn", _("Warning")


NOT_PROOF_OF_SAFETY = _(
    "A check that finds nothing is not proof of safety: the reviewer still reads the whole case "
    "and confirms the checklist."
)


@dataclass(frozen=True)
class Finding:
    """One thing a check found.

    `where` is for people ("Milestone 2 · narrative"), `field` for code ("story.1.narrative",
    block indexes counted from 0), `masked` the matched text with most characters hidden.
    """

    check: str
    severity: str
    where: str
    field: str
    masked: str
    message: str

    @property
    def blocking(self):
        return self.severity == Severity.BLOCK

    def as_dict(self):
        return {key: str(value) for key, value in asdict(self).items()}


@dataclass
class PrivacyReport:
    """The findings of every check run against one page or revision."""

    findings: list = field(default_factory=list)
    checks_run: list = field(default_factory=list)
    page_id: int | None = None
    revision_id: int | None = None
    checked_at: datetime = field(default_factory=timezone.now)

    note = NOT_PROOF_OF_SAFETY

    @property
    def blocking(self):
        """True when any finding blocks approval."""
        return any(finding.severity == Severity.BLOCK for finding in self.findings)

    @property
    def blocking_findings(self):
        return [finding for finding in self.findings if finding.severity == Severity.BLOCK]

    @property
    def warnings(self):
        return [finding for finding in self.findings if finding.severity == Severity.WARN]

    def as_dict(self):
        """A JSON-serialisable copy, for storing with a task state or returning from a view."""
        return {
            "page_id": self.page_id,
            "revision_id": self.revision_id,
            "checked_at": self.checked_at.isoformat(),
            "blocking": self.blocking,
            "checks_run": list(self.checks_run),
            "findings": [finding.as_dict() for finding in self.findings],
            "note": str(self.note),
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a report stored with `as_dict()`."""
        checked_at = data.get("checked_at")
        return cls(
            findings=[
                Finding(**{key: item[key] for key in Finding.__dataclass_fields__})
                for item in data.get("findings", [])
            ],
            checks_run=list(data.get("checks_run", [])),
            page_id=data.get("page_id"),
            revision_id=data.get("revision_id"),
            checked_at=datetime.fromisoformat(checked_at) if checked_at else timezone.now(),
        )
