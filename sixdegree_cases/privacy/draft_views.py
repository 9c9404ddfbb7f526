"""The admin endpoint the case editor calls as staff type: masked findings back, nothing kept.

POST JSON `{"page": id, "fields": {name: {"value": text, "rich": bool}}}` to check a page being
edited, or `{"parent": id, "type": "app_label.model", "fields": …}` for one being created.
Answers `{"fields": {name: [{"check", "masked", "message"}]}, "more": [name, …]}` (`more`: the
fields where the checks stopped after `MAX_FINDINGS_PER_FIELD`). Bad input gets a 400 with an
`error` for the editor, a `code` for the script (`drafts.ErrorCode`) and, when one field is at
fault, its `field`; never a 500. The rules live in `drafts`.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST
from wagtail.models import Page

from .drafts import (
    DraftError,
    ErrorCode,
    check_draft,
    decode,
    parse_fields,
    seconds_to_next_check,
    too_many_checks,
)

# A request larger than this is refused before it is read (the field limits in `drafts`
# bound what is checked; this bounds what is read at all).
MAX_BODY_BYTES = 1_000_000


def _error(message, status=400, code=ErrorCode.INVALID, field=None):
    body = {"error": str(message), "code": code}
    if field is not None:
        body["field"] = field
    return JsonResponse(body, status=status)


def _page_id(value):
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise DraftError(_("The page is not a number."))
    try:
        return int(value)
    except ValueError as error:
        raise DraftError(_("The page is not a number.")) from error


def _draft_target(request, data):
    """`(page, terms_case_id)` for the request, once the user may write that page; or raises."""
    from ..models import SurvivorCasePage
    from ..updates.models import CaseUpdate

    kinds = (SurvivorCasePage, CaseUpdate)
    if data.get("page") is not None:
        page = Page.objects.filter(pk=_page_id(data["page"])).first()
        if page is None or not page.permissions_for_user(request.user).can_edit():
            raise PermissionError
        page = page.specific
        if not isinstance(page, kinds):
            raise DraftError(
                _("Only cases and case updates are checked while writing."), ErrorCode.NOT_CHECKED
            )
        if isinstance(page, SurvivorCasePage):
            return page, page.pk
        parent = page.get_parent().specific
        return page, parent.pk if isinstance(parent, SurvivorCasePage) else None
    parent = Page.objects.filter(pk=_page_id(data.get("parent"))).first()
    if parent is None or not parent.permissions_for_user(request.user).can_add_subpage():
        raise PermissionError
    parent = parent.specific
    model = {
        "sixdegree_cases.survivorcasepage": SurvivorCasePage,
        "sixdegree_cases.caseupdate": CaseUpdate,
    }.get(str(data.get("type", "")).lower())
    if model is None or model not in parent.specific_class.allowed_subpage_models():
        raise DraftError(_("Only cases and case updates are checked while writing."), ErrorCode.NOT_CHECKED)
    if model is CaseUpdate:
        # A new update tells its case's story: that case's sensitive terms apply.
        return CaseUpdate(), parent.pk if isinstance(parent, SurvivorCasePage) else None
    # A case not created yet has no sensitive terms of its own.
    return SurvivorCasePage(), None


@never_cache
@require_POST
@sensitive_post_parameters()
@sensitive_variables()
def check_draft_view(request):
    """Findings of the review's text checks on the editor's unsaved text (see module docstring)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        # Django's own read of the body would raise on it too (a 500): say so instead.
        return _error(_("The request's length is not a number."))
    if length > MAX_BODY_BYTES:
        return _error(_("Too much text to check at once."), status=413, code=ErrorCode.TOO_MUCH_TEXT)
    if too_many_checks(request.user):
        response = _error(
            _("Checking while you write is paused: too many checks this minute."),
            status=429,
            code=ErrorCode.PAUSED,
        )
        # When this minute's count starts again, so the script retries no sooner than useful.
        response["Retry-After"] = str(seconds_to_next_check())
        return response
    try:
        data = decode(request.body)
        if not isinstance(data, dict):
            raise DraftError(_("The request is not a JSON object."))
        fields = parse_fields(data)
        page, terms_case_id = _draft_target(request, data)
        found = check_draft(page, fields, terms_case_id)
    except DraftError as error:
        return _error(error, code=error.code, field=error.field)
    except PermissionError:
        return _error(_("You may not edit this page."), status=403, code=ErrorCode.NOT_ALLOWED)
    return JsonResponse({"fields": found.fields, "more": found.more})
