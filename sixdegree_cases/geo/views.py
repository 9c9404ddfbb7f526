"""Geography endpoints: the basemap's place names (public) and the editor's place search (admin)."""

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_safe

from .basemap import label_cell

# The names change only when the gazetteer package or the population setting does.
LABELS_MAX_AGE = 24 * 3600


def _cell_etag(request, band, x, y):
    cell = label_cell(band, x, y)
    return cell[1] if cell else None


@require_safe
@gzip_page
@condition(etag_func=_cell_etag)
def basemap_label_cell(request, band, x, y):
    """One cell of region and town names: the same for every page, never any case data."""
    cell = label_cell(band, x, y)
    if cell is None:
        raise Http404("No such cell of basemap names.")
    response = HttpResponse(cell[0], content_type="application/json")
    patch_cache_control(response, public=True, max_age=LABELS_MAX_AGE)
    return response
