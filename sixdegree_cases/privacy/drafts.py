"""The review's text checks on what an editor is writing, before anything is saved.

Communications staff see a phone number, an e-mail address, a web address or handle, an exact
date or one of the case's sensitive terms flagged as they type, not only when the reviewer's
report comes back. The text arrives from the editor's form (`draft_views`), is checked in
memory by the same `PrivacyCheck`s the review runs (those with `while_writing = True`), and is
never stored, cached or logged: only masked findings go back.

Only fields that will be public are read (the review's own list, `extract`); an internal
field (the case officer's reference) may hold what the public fields may not.
"""

import json
import logging
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from draftjs_exporter.error import ExporterException
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from ..conf import get_setting
from .checks import CheckContext, get_checks
from .extract import CASE_FIELDS, Text, _field_names
from .report import Finding, Severity
from .text import html_to_text

logger = logging.getLogger(__name__)

# Parts of a form field's name that hold no free text: a block's type, id and order, a
# location, a choice, an image's id. "story-3-value-location" is never read.
NOT_TEXT = frozenset(
    {"type", "id", "deleted", "order", "count", "location", "stage", "precision", "image", "decorative"}
)
# Entities a pasted narrative may carry: a link's address is public text (a tel: link).
RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "h2", "h3", "h4", "link"]
# Bounds on one request: a case of 60 milestones fits with room to spare. The total text of
# one request is bounded too (`SIXDEGREE_DRAFT_CHECK_MAX_CHARS`): the script sends a long case
# in several requests, and afterwards only the fields that changed.
MAX_FIELDS = 400
MAX_FIELD_CHARACTERS = 50_000
# The checks stop after this many findings in one field ("and more…"): the work of a request
# then grows with its text, not with how much of it is an e-mail address or a phone number.
MAX_FINDINGS_PER_FIELD = 20


class DraftError(ValueError):
    """The request cannot be checked; the message says why, for the editor.

    `code` tells the script what to do (one of `ErrorCode`); `field` is the input name of the
    one field at fault, when there is one, so the script can keep checking the others.
    """

    def __init__(self, message, code=None, field=None):
        super().__init__(message)
        self.code = code or ErrorCode.INVALID
        self.field = field


class ErrorCode:
    """Why a draft check was refused, for the script (the message is for the editor)."""

    INVALID = "invalid"
    #: One field is longer than any request may carry: that field is left to the review.
    FIELD_TOO_LONG = "field_too_long"
    #: One rich-text field could not be read: that field is left to the review.
    UNREADABLE_FIELD = "unreadable_field"
    #: The fields together are more than one request may carry: send them in smaller batches.
    TOO_MUCH_TEXT = "too_much_text"
    #: The page is not one that is checked while writing (not a case or a case update).
    NOT_CHECKED = "not_checked"
    NOT_ALLOWED = "not_allowed"
    PAUSED = "paused"


@dataclass(frozen=True)
class DraftField:
    """One field of the editor's form: its input name, its text, and whether it is Draftail's."""

    name: str
    value: str
    rich: bool = False


class DraftContext(CheckContext):
    """A `CheckContext` whose texts are the submitted fields, never the stored page's.

    `terms_case_id` is the case whose sensitive terms apply (the case, or an update's case); a
    case not yet created has none. Unlike the review of a home or index page, never every
    case's terms: an editor could otherwise learn whether a typed name is any survivor's.
    """

    def __init__(self, page, texts, terms_case_id):
        super().__init__(page, case_id=page.pk)
        # Plain attributes win over the base class's cached properties.
        self.texts = texts
        self.story_case_id = terms_case_id

    @property
    def sensitive_terms(self):
        from .models import sensitive_terms

        if self.story_case_id is None:
            return []
        return list(sensitive_terms(self.story_case_id))


def public_field_names(page):
    """The page's fields the review reads (`extract`), by model field name."""
    from ..models import SurvivorCasePage

    if isinstance(page, SurvivorCasePage):
        return set(CASE_FIELDS)
    return set(_field_names(page))


def is_public_input(name, public_names):
    """Whether the form input `name` ("story-2-value-narrative") holds public free text."""
    parts = name.split("-")
    if parts[0] not in public_names:
        return False
    if parts[0] == "funding_items":
        return len(parts) == 3 and parts[2] == "description"
    return not (NOT_TEXT & set(parts[1:]))


@sensitive_variables()
def _rich_text(value):
    """Plain text of a Draftail value (Draft.js content state), as the review reads it once saved."""
    try:
        html = ContentstateConverter(features=RICH_TEXT_FEATURES).to_database_format(value)
    # ExporterException: an entity range naming no entity in the map. RecursionError: a value
    # nested deeper than the JSON decoder goes (both were 500s, tests/redteam).
    except (ValueError, TypeError, KeyError, AttributeError, ExporterException, RecursionError) as error:
        raise DraftError(
            _("A rich-text field could not be read."), code=ErrorCode.UNREADABLE_FIELD
        ) from error
    return html_to_text(html)


@sensitive_variables()
def parse_fields(data):
    """`DraftField`s from the request's JSON `fields` (`{name: {"value": str, "rich": bool}}`)."""
    fields = data.get("fields") if isinstance(data, dict) else None
    if not isinstance(fields, dict):
        raise DraftError(_("Send the fields to check as {name: {value, rich}}."))
    if len(fields) > MAX_FIELDS:
        raise DraftError(_("Too many fields in one check (at most %(count)s).") % {"count": MAX_FIELDS})
    parsed = []
    total = 0
    max_total = get_setting("SIXDEGREE_DRAFT_CHECK_MAX_CHARS")
    for name, field in fields.items():
        if not isinstance(field, dict) or not isinstance(field.get("value", ""), str):
            raise DraftError(_("Each field is {value: text, rich: true or false}."))
        value = field.get("value", "")
        name = str(name)[:200]
        if len(value) > MAX_FIELD_CHARACTERS:
            raise DraftError(
                _("This field is too long to check while you write (at most %(count)s characters).")
                % {"count": f"{MAX_FIELD_CHARACTERS:,}"},
                code=ErrorCode.FIELD_TOO_LONG,
                field=name,
            )
        total += len(value)
        # Counted before anything is read: a request over the cap costs no check at all.
        if total > max_total:
            raise DraftError(
                _("Too much text in one check (at most %(count)s characters): send fewer fields.")
                % {"count": f"{max_total:,}"},
                code=ErrorCode.TOO_MUCH_TEXT,
            )
        parsed.append(DraftField(name, value, bool(field.get("rich"))))
    return parsed


@sensitive_variables()
def draft_texts(page, fields):
    """The public fields among `fields`, as the `Text`s the checks read (empty ones left out)."""
    public_names = public_field_names(page)
    texts = []
    for field in fields:
        if not is_public_input(field.name, public_names):
            continue
        value = field.value
        if field.rich and value.strip():
            try:
                value = _rich_text(value)
            except DraftError as error:
                error.field = field.name
                raise
        if value.strip():
            # The input's name is both where (for the script) and the field (for people).
            texts.append(Text(field.name, field.name, value))
    return texts


def draft_checks():
    """The configured checks that read only text and may run while an editor writes."""
    return [check for check in get_checks() if getattr(check, "while_writing", False)]


@dataclass(frozen=True)
class DraftFindings:
    """What the checks found: `fields` is `{input name: [finding dict, …]}` (at most
    `MAX_FINDINGS_PER_FIELD` each); `more` the input names where the checks stopped early."""

    fields: dict
    more: list


@sensitive_variables()
def check_draft(page, fields, terms_case_id):
    """`DraftFindings` for the public fields among `fields`.

    `page` is the page being edited (or an unsaved one of the type being created), used for its
    type and its story's countries; nothing is saved. A check that cannot run says so in a
    finding on every field, as in the review: an error never reads as "nothing found".

    Each check is asked to stop one finding past `MAX_FINDINGS_PER_FIELD` in a text
    (`CheckContext.max_findings_per_text`), so the answer can say "and more…" without the work
    of finding them all; a check that does not honour it is cut to the same bound here.
    """
    context = DraftContext(page, draft_texts(page, fields), terms_case_id)
    context.max_findings_per_text = MAX_FINDINGS_PER_FIELD + 1
    found = {}
    for check in draft_checks():
        try:
            findings = list(check.check(context))
            if not all(isinstance(finding, Finding) for finding in findings):
                # As in the review's runner: a malformed result is a check that failed.
                raise TypeError("A privacy check returns Finding objects (PrivacyCheck.finding()).")
        except Exception:
            # The message of an exception may quote the text: the log filter withholds it
            # (`redaction.logs`); the check's id says which one failed.
            logger.exception("Draft privacy check %s failed", check.id)
            findings = [
                Finding(
                    check=check.id,
                    severity=Severity.BLOCK,
                    where=text.where,
                    field=text.field,
                    masked="",
                    message=str(_("This check could not run; the reviewer's checks will.")),
                )
                for text in context.texts
            ]
        for finding in findings:
            found.setdefault(finding.field, []).append(
                {"check": finding.check, "masked": finding.masked, "message": finding.message}
            )
    more = sorted(name for name, items in found.items() if len(items) > MAX_FINDINGS_PER_FIELD)
    return DraftFindings({name: items[:MAX_FINDINGS_PER_FIELD] for name, items in found.items()}, more)


def decode(body):
    """The request's JSON, or `DraftError`."""
    try:
        return json.loads(body)
    # RecursionError: "[[[[…" nested past the decoder's limit fits well inside the body limit.
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise DraftError(_("The request is not JSON.")) from error


# --- A per-user limit, so the checks (ICU, libphonenumber) cannot be run in a loop -----------

WINDOW_SECONDS = 60
_local_counts = LocMemCache("sixdegree-draft-checks", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def _count(counter, key, window):
    if counter.add(key, 1, timeout=window):
        return 1
    try:
        return counter.incr(key)
    except ValueError:
        counter.set(key, 1, timeout=window)
        return 1


def too_many_checks(user):
    """Count one check for `user`; True once they have used up this minute's checks.

    Counted in the shared cache and always in this process too: a cache that is down or counts
    nothing can never lift the limit. Only the user's id is in the key, never any text.
    """
    limit = get_setting("SIXDEGREE_DRAFT_CHECK_RATE_LIMIT")
    if not limit:
        return False
    window = WINDOW_SECONDS
    key = f"sixdegree-draft-checks:{user.pk}:{int(time.time() // window)}"
    counts = [_count(_local_counts, key, window)]
    try:
        counts.append(_count(getattr(cache, "strict", cache), key, window))
    except Exception:  # noqa: BLE001 - a broken shared counter leaves this process's count
        logger.warning("Shared draft-check counter unavailable: counting in this process")
    return max(counts) > limit


def seconds_to_next_check():
    """Seconds until the rate limit's next minute starts (1 to 60): a 429's Retry-After."""
    return WINDOW_SECONDS - int(time.time() % WINDOW_SECONDS)
