"""Floors and helpers of the benchmark. Never part of the site's URLs."""

import random

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

FLOOR_ROWS = 1000


def ok(request):
    """A bare Django view: the cost of the stack itself."""
    return HttpResponse("ok", content_type="text/plain")


def update_one_row(request):
    """A bare Django view doing one row UPDATE on the same database: the floor of (d)."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE bench_counter SET n = n + 1 WHERE id = %s", [random.randint(1, FLOOR_ROWS)])
    return HttpResponse("ok", content_type="text/plain")


def update_same_row(request):
    """The same UPDATE, always on one row: what a case's totals row allows when every gift of
    one case adds to it (each waits for the previous commit). Context for (d), not its floor."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE bench_counter SET n = n + 1 WHERE id = 1")
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
def publish(request, pk):
    """Publish a new summary of case `pk` from this app server, as an approved review would."""
    from sixdegree_cases.models import SurvivorCasePage
    from sixdegree_cases.review.services import approve_and_publish

    page = SurvivorCasePage.objects.get(pk=pk)
    page.summary = request.GET.get("summary", "Published during the benchmark.")[:500]
    approve_and_publish(page.save_revision(), require_checks=False)
    return JsonResponse({"published": pk})
