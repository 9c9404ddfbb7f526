"""Public API views. Only live, public pages; only allow-listed fields."""

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_safe
from wagtail.api.utils import get_base_url
from wagtail.api.v2.views import PagesAPIViewSet

from ..journey import journey_geojson
from ..models import SurvivorCasePage
from ..prefetch import prefetch_cases
from .milestones import api_milestones


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

    def get_queryset(self):
        # Each listed page's locale (a meta field) comes with it, not in a query per page.
        return super().get_queryset().select_related("locale")

    def paginate_queryset(self, queryset):
        pages = super().paginate_queryset(queryset)
        # Cases' illustrations, renditions, funding items and totals: a few queries per list.
        prefetch_cases(pages)
        return pages

    def get_object(self):
        page = super().get_object()
        prefetch_cases([page])
        return page


@require_safe
def journey(request, pk):
    """A live, public case's journey as a GeoJSON FeatureCollection, in story order."""
    try:
        page = SurvivorCasePage.objects.live().public().get(pk=pk)
    except SurvivorCasePage.DoesNotExist as error:
        raise Http404("No such case.") from error
    milestones = api_milestones(page.milestones, get_base_url(request) or "")
    # CORS as for the pages endpoint: SIXDEGREE_API_CORS_ORIGINS (sixdegree_cases.api.cors).
    return JsonResponse(journey_geojson(page, milestones), content_type="application/geo+json")
