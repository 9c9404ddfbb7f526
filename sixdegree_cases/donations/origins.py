"""Which web origins may start gifts through the giving API.

A browser sends a cross-origin POST of `text/plain` without asking first (no preflight), so
CORS response headers alone would let a page on any site create donations: the API refuses a
request whose `Origin` is neither this site nor one of `SIXDEGREE_DONATION_ALLOWED_ORIGINS`
before it counts, parses or creates anything. The CORS headers themselves are
django-cors-headers' (its middleware asks `allow_front_ends` through its
`check_request_enabled` signal, connected when the app is installed).
"""

from ..conf import get_setting

API_PREFIX = "/api/v2/donations/"


def allowed_origins():
    return {origin.rstrip("/").lower() for origin in get_setting("SIXDEGREE_DONATION_ALLOWED_ORIGINS")}


def _this_site(request):
    return f"{request.scheme}://{request.get_host()}".lower()


def origin_refused(request):
    """True when a browser on another, unlisted site sent this request."""
    origin = request.headers.get("Origin")
    if origin is None:
        # Not a browser's cross-origin request (servers and apps send none): no ambient
        # authority is involved, rate limits and validation apply as to anyone.
        return request.headers.get("Sec-Fetch-Site") == "cross-site"
    origin = origin.rstrip("/").lower()
    return origin not in allowed_origins() and origin != _this_site(request)


def allow_front_ends(sender, request, **kwargs):
    """django-cors-headers: CORS for the giving API, for the listed front-ends only."""
    if not request.path_info.startswith(API_PREFIX):
        return False
    origin = (request.headers.get("Origin") or "").rstrip("/").lower()
    return bool(origin) and origin in allowed_origins()
