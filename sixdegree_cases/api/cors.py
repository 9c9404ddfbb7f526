"""CORS for the read-only public API (pages, journeys), for the origins of one setting.

`SIXDEGREE_API_CORS_ORIGINS`: a list of origins ("https://partner.example.org"), or ["*"] for
any; empty (the default) sends no CORS header. Reads only (GET, HEAD, and the preflight):
the giving API has its own, stricter list (`SIXDEGREE_DONATION_ALLOWED_ORIGINS`). The headers
themselves are django-cors-headers': its middleware asks `allow_api_readers` through its
`check_request_enabled` signal (connected when the app is installed). Credentials are never
allowed, so a reader's cookies never come with such a request.
"""

from django.urls import Resolver404, resolve

from ..conf import get_setting

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def allowed_origins():
    return {origin.rstrip("/").lower() for origin in get_setting("SIXDEGREE_API_CORS_ORIGINS")}


def is_read_only_endpoint(path):
    """The pages endpoint (listing and detail) or a journey's GeoJSON."""
    from wagtail.api.v2.views import PagesAPIViewSet

    from . import views

    try:
        match = resolve(path)
    except Resolver404:
        return False
    view_class = getattr(match.func, "cls", None)
    return match.func is views.journey or (
        isinstance(view_class, type) and issubclass(view_class, PagesAPIViewSet)
    )


def allow_api_readers(sender, request, **kwargs):
    """django-cors-headers' signal: True when this read of the public API may be shared."""
    if request.method not in READ_METHODS:
        return False
    origins = allowed_origins()
    if not origins:
        return False
    origin = (request.headers.get("Origin") or "").rstrip("/").lower()
    if "*" not in origins and origin not in origins:
        return False
    return is_read_only_endpoint(request.path_info)
