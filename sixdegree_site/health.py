"""`/healthz`: for the load balancer. 200 while this app server can serve, 503 when it cannot.

PostgreSQL unreachable: 503 (only cached pages could be served). Redis unreachable: still 200,
with `"cache": "unavailable"` in the body for monitoring: pages render uncached and sessions
fall back to PostgreSQL, and a shared Redis failing would otherwise take every app server out
of the load balancer at once, turning a slower site into no site.
"""

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - the health check reports any failure, never a 500
        checks["database"] = "unavailable"
    try:
        # The resilient cache never raises; its strict view says whether Redis really answered.
        getattr(cache, "strict", cache).set("sixdegree:healthz", 1, 5)
        checks["cache"] = "ok"
    except Exception:  # noqa: BLE001 - the health check reports any failure, never a 500
        checks["cache"] = "unavailable"
    return JsonResponse(checks, status=200 if checks["database"] == "ok" else 503)
