"""Re-mask what was stored under the old masks, which kept each word's first letter.

Reports and audit log labels written before masks showed only script and length kept "D•••
C•••••" for "Desa Contoh", and the first letter of a Khmer or Burmese name is most of it. The
migration `0003_remask_stored_masks` runs `remask_stored()` once over every stored report and
sensitive-term log label.
"""

import re
import unicodedata

from .text import MASK, _script_label

OLD_LABEL = re.compile(r"^\[[^\]]*\] ")


def remask(masked):
    """An old-style mask in the new style: letters hidden, the script named ("D•••" -> "[Latin] ••••")."""
    if not masked or OLD_LABEL.match(masked):
        return masked
    label = _script_label(masked)
    hidden = "".join(MASK if unicodedata.category(char)[0] in "LM" else char for char in masked)
    return f"[{label}] {hidden}" if label else hidden


def _remask_report(report):
    changed = False
    for finding in (report or {}).get("findings", []):
        new = remask(finding.get("masked", ""))
        if new != finding.get("masked", ""):
            finding["masked"] = new
            changed = True
    return changed


def remask_stored(apps, schema_editor=None):
    """Re-mask the findings of stored review reports and approvals, and sensitive-term log labels."""
    for model_name in ("PrivacyReviewTaskState", "ReviewApproval"):
        model = apps.get_model("sixdegree_review", model_name)
        for row in model.objects.exclude(report={}).only("pk", "report").iterator():
            if _remask_report(row.report):
                model.objects.filter(pk=row.pk).update(report=row.report)
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    term_type = ContentType.objects.filter(app_label="sixdegree_privacy", model="sensitiveterm").first()
    if term_type is None:
        return
    for entry in ModelLogEntry.objects.filter(content_type=term_type).only("pk", "label").iterator():
        kind, separator, masked = entry.label.partition(": ")
        if separator and masked:
            new = remask(masked)
            if new != masked:
                ModelLogEntry.objects.filter(pk=entry.pk).update(label=f"{kind}: {new}")
