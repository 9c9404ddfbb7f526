"""Error pages that work when what broke is the database.

`server_error` is the site's `handler500`. When the exception that got there is PostgreSQL
being unreachable (down, restarting, a statement timeout), the answer is a static 503 with
`Retry-After` instead of a 500: load balancers, browsers, API clients and Stripe's webhook
retries all understand "come back shortly", and the site recovers by itself when the
database does (Django opens a new connection per request once the old one failed). Cached
anonymous pages never get here: the page cache answers them before anything touches
PostgreSQL.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext
from django.views.decorators.csrf import requires_csrf_token

# Seconds a client is asked to wait: about how long a PostgreSQL restart or fail-over takes.
RETRY_AFTER = 30
JSON_PREFIXES = ("/api/", "/payments/")


def database_unavailable(error):
    """Whether `error` means "PostgreSQL cannot answer now" (not a bug in a query)."""
    return isinstance(error, OperationalError | InterfaceError)


def unavailable_response(request):
    """The static 503 answer: JSON for the APIs and provider callbacks, HTML for the rest."""
    if request.path.startswith(JSON_PREFIXES):
        message = gettext(
            "The service is briefly unavailable. Nothing was recorded; please try again in a minute."
        )
        response = JsonResponse({"errors": {"__all__": [message]}}, status=503)
    else:
        # No request context: context processors may query the database.
        response = HttpResponseServerError(loader.get_template("503.html").render(), status=503)
        response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """`handler500`: a 503 while the database is away, Django's plain 500 page otherwise."""
    error = sys.exc_info()[1]
    if error is not None and database_unavailable(error):
        return unavailable_response(request)
    return HttpResponseServerError(loader.get_template(template_name).render())
