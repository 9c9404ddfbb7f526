"""Every answer on an API path is JSON, errors included (404, 400, 405, 500 alike).

A headless front-end parses what it gets: without this, an unknown API path, a wrong method or a
missing case answers with the site's HTML error page. Which paths are the API's comes from
`SIXDEGREE_API_PATHS` (path prefixes, default `["/api/"]`).
"""

import json
from http import HTTPStatus

from django.http import JsonResponse

from ..conf import get_setting

# Headers that describe the body being replaced; every other header is kept (the methods
# allowed, when to retry, security headers, CORS, Vary, caching).
BODY_HEADERS = {"content-type", "content-length", "content-encoding", "etag", "last-modified"}


def is_api_path(path):
    return any(path.startswith(prefix) for prefix in get_setting("SIXDEGREE_API_PATHS"))


def as_json_error(response):
    """The same status as JSON `{"message": …}`, the shape Wagtail's API answers with.

    Django REST framework's own errors (`{"detail": …}`, e.g. a wrong method on the pages
    endpoint) take the same shape; other JSON answers are left as they are.
    """
    if response.status_code < 400 or response.streaming:
        return response
    message = None
    if "json" in response.get("Content-Type", ""):
        try:
            body = json.loads(response.content)
        except ValueError:
            body = None
        if not (isinstance(body, dict) and set(body) == {"detail"}):
            return response
        message = str(body["detail"])
    if message is None:
        try:
            message = HTTPStatus(response.status_code).phrase
        except ValueError:
            message = "Error"
    error = JsonResponse({"message": message}, status=response.status_code)
    for header, value in response.items():
        if header.lower() not in BODY_HEADERS:
            error[header] = value
    error.cookies = response.cookies
    return error


class JSONErrorsMiddleware:
    """Turns a non-JSON error answer on an API path into JSON with the same status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        return as_json_error(response) if is_api_path(request.path_info) else response
