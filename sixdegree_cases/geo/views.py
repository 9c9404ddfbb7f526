"""Geography endpoints: the basemap's place names (public) and the editor's place search (admin)."""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_safe

from .basemap import labels_etag, labels_json

# The labels change only when the gazetteer package or the population setting does.
LABELS_MAX_AGE = 24 * 3600


@require_safe
@gzip_page
@condition(etag_func=lambda request: labels_etag())
def basemap_labels(request):
    """Region and town names for the basemap: the same for every page, never any case data."""
    response = HttpResponse(labels_json(), content_type="application/json")
    patch_cache_control(response, public=True, max_age=LABELS_MAX_AGE)
    return response
