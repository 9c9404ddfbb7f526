"""Site search over pages that are live AND public.

The view `wagtail start` generates uses `.live()` only and so lists login-restricted pages to
anonymous visitors; a survivor's case in a private area must never surface here.
"""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def search(request):
    search_query = (request.GET.get("query") or "").strip()[:MAX_QUERY_LENGTH]
    if search_query:
        results = Page.objects.live().public().specific().search(search_query)
    else:
        results = Page.objects.none()

    paginator = Paginator(results, RESULTS_PER_PAGE)
    # get_page(): not a number gives the first page, past the end the last.
    search_results = paginator.get_page(request.GET.get("page"))

    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": search_query, "search_results": search_results},
    )
