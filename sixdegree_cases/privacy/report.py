"""What the privacy checks found: findings and the report that holds them.

This is the one report of the plugin: `check_page` returns it, the privacy screen and the
`privacy_check` command show it, and the review keeps its `as_dict()` with each revision in
review and each approval.
"""

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    """How much a finding weighs: a blocking one stops approval, a warning is for the reviewer."""

    BLOCK = "block", _("Blocks approval")
    WARN = "warn", _("Warning")

    @classmethod
    def of(cls, value):
        """The severity `value` names, in any case ("block", "BLOCK", `Severity.WARN`).

        Anything else is a `ValueError`, never a warning by default: a finding whose weight is
        unknown must not let a case through. (The message leaves the value out: a broken check
        may have put the matched text there.)
        """
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise ValueError("A finding's severity is 'block' or 'warn'.") from None


NOT_PROOF_OF_SAFETY = _(
    "A check that finds nothing is not proof of safety: the reviewer still reads the whole case "
    "and confirms the checklist."
)


def _text(value):
    """A finding's part as the display string the screens and the stored report hold."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{key} {item}" for key, item in value.items() if item not in (None, ""))
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    return str(value)


@dataclass(frozen=True)
class Finding:
    """One thing a check found.

    `where` is for people ("Milestone 2 · narrative"), `field` for code ("story.1.narrative",
    block indexes counted from 0), `masked` the matched text with most characters hidden.
    The severity is a `Severity` (a `ValueError` otherwise) and every other part a string.
    """

    check: str
    severity: Severity
    where: str
    field: str
    masked: str
    message: str

    def __post_init__(self):
        object.__setattr__(self, "severity", Severity.of(self.severity))
        for name in ("check", "where", "field", "masked", "message"):
            object.__setattr__(self, name, _text(getattr(self, name)))

    @property
    def blocking(self):
        return self.severity == Severity.BLOCK

    def as_dict(self):
        return {key: str(value) for key, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data):
        """Rebuild a finding stored with `as_dict()`."""
        return cls(**{item.name: data[item.name] for item in fields(cls)})


@dataclass
class PrivacyReport:
    """The findings of every check run against one page or revision."""

    findings: list = field(default_factory=list)
    checks_run: list = field(default_factory=list)
    page_id: int | None = None
    revision_id: int | None = None
    checked_at: datetime = field(default_factory=timezone.now)

    note = NOT_PROOF_OF_SAFETY

    @classmethod
    def failed(cls, message, *, check, page_id=None, revision_id=None):
        """A report that blocks because the checks could not give an answer: an error must
        never read as "nothing found"."""
        finding = Finding(
            check=check, severity=Severity.BLOCK, where="", field="", masked="", message=message
        )
        return cls(findings=[finding], page_id=page_id, revision_id=revision_id)

    @property
    def blocking(self):
        """True when any finding blocks approval."""
        return any(finding.blocking for finding in self.findings)

    @property
    def blocking_findings(self):
        return [finding for finding in self.findings if finding.blocking]

    @property
    def warnings(self):
        return [finding for finding in self.findings if not finding.blocking]

    @property
    def blocking_count(self):
        return len(self.blocking_findings)

    @property
    def warning_count(self):
        return len(self.warnings)

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
            findings=[Finding.from_dict(item) for item in data.get("findings", [])],
            checks_run=list(data.get("checks_run", [])),
            page_id=data.get("page_id"),
            revision_id=data.get("revision_id"),
            checked_at=datetime.fromisoformat(checked_at) if checked_at else timezone.now(),
        )
