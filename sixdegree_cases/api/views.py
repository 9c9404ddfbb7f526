"""Public API views. Only live, public pages; only allow-listed fields."""

from django.http import Http404, JsonResponse
from wagtail.api.v2.views import PagesAPIViewSet

from ..journey import journey_geojson
from ..models import SurvivorCasePage


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint with a shorter allow-list of meta fields.

    Left out: `show_in_menus`, `seo_title` and `alias_of` (editorial internals a headless
    consumer has no use for). Body fields are each page type's `api_fields`, nothing more.
    """

    meta_fields = [
        "type",
        "detail_url",
        "html_url",
        "slug",
        "first_published_at",
        "search_description",
        "parent",
        "locale",
    ]


def journey(request, pk):
    """A live, public case's journey as a GeoJSON FeatureCollection, in story order."""
    try:
        page = SurvivorCasePage.objects.live().public().get(pk=pk)
    except SurvivorCasePage.DoesNotExist as error:
        raise Http404("No such case.") from error
    response = JsonResponse(journey_geojson(page), content_type="application/geo+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response
