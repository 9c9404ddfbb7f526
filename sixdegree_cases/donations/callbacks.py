"""django-payments' provider callback URLs, answering 4xx where its own views raise.

`payments.urls.static_callback` asks the variant's provider for the donation token of a
webhook; a provider without webhooks (django-payments' dummy) raises NotImplementedError,
which Django turned into a 500 for anyone posting to `/payments/process/dummy/`. Same URL
names and paths as `payments.urls`: include this module in its place. Both views run
django-payments' own ones, with the donation loaded lean (`models.loading_for_callback`).
"""

from django.http import JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from payments import urls as payments_urls

from .models import loading_for_callback


@csrf_exempt
def process_data(request, token):
    """django-payments' callback of one payment, loading the donation without the columns no
    callback reads (`loading_for_callback`)."""
    with loading_for_callback():
        return payments_urls.process_data(request, token)


@csrf_exempt
def static_callback(request, variant):
    """django-payments' webhook endpoint of a provider; 404 for a provider that has none."""
    try:
        with loading_for_callback():
            return payments_urls.static_callback(request, variant)
    except NotImplementedError:
        return JsonResponse(
            {"error": "This payment provider takes no callbacks here.", "variant": variant}, status=404
        )


urlpatterns = [
    path("process/<uuid:token>/", process_data, name="process_payment"),
    re_path(r"^process/(?P<variant>[a-z-]+)/$", static_callback, name="static_process_payment"),
]
