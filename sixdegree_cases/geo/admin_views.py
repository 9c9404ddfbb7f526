"""The editor's place search and "Shown as" preview: small JSON views in the admin.

Registered through `register_admin_urls` (sixdegree_cases/wagtail_hooks.py), so only people who
may use the admin reach them. They read the offline gazetteer only: nothing is stored, nothing
is asked of another host, and a bad request gets a message, never a 500.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .points import InvalidLocation
from .search import MAX_QUERY_LENGTH, search_places, shown_as


def _refused(message):
    return JsonResponse({"error": message}, status=400)


def _private(response):
    # What an editor searched for or placed is nobody else's business: never cached.
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def place_search(request):
    """Towns, regions and countries matching `q`: ``{"results": [{label, lat, lng, precision}]}``."""
    query = request.GET.get("q", "")
    if len(query) > MAX_QUERY_LENGTH:
        return _private(_refused(_("Type at most %(count)s characters.") % {"count": MAX_QUERY_LENGTH}))
    return _private(JsonResponse({"results": search_places(query)}))


@require_safe
def place_preview(request):
    """What the public will see for a point: ``{label, place, lat, lng, precision}``."""
    point = {"lat": request.GET.get("lat"), "lng": request.GET.get("lng")}
    label = request.GET.get("label", "")[:200]
    try:
        return _private(JsonResponse(shown_as(point, request.GET.get("precision", ""), label)))
    except InvalidLocation as error:
        return _private(_refused(str(error)))
