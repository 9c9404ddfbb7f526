"""Headless giving: a JSON endpoint that starts a donation for a case.

Same validation and the same messages as the donate form. The answer tells the front-end
where to send the donor (the provider's hosted page, or this site's page for the dummy
provider). The donor comes back to the front-end's own thank-you and failure URLs when they
belong to an origin in `SIXDEGREE_DONATION_ALLOWED_ORIGINS`.

    POST /api/v2/donations/
    {"case": 12, "amount": "25.00", "currency": "USD", "email": "…", "anonymous": true, "hear_back": false,
     "display_name": "", "name_style": "first_name", "show_country": false, "country": "", "success_url": "https://front.example/thanks",
     "failure_url": "https://front.example/sorry"}
"""

import json
from urllib.parse import urlsplit

from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from payments import PaymentError, PaymentStatus, RedirectNeeded

from .forms import DonationForm
from .giving import (
    RETURN_URL_MAX_LENGTH,
    CaseNotOpen,
    open_case,
    payment_variant,
    provider_slot,
    start_donation,
)
from .models import Donation
from .origins import allowed_origins, origin_refused
from .progress import gift_surplus, progress_for
from .providers.slots import BUSY, RETRY_AFTER, ProviderBusy
from .ratelimit import limit_reached, too_many_attempts
from .surplus import surplus_note

PROVIDER_UNAVAILABLE = gettext_lazy(
    "The payment provider is unavailable. Nothing was charged; please try again in a few minutes."
)
FORM_KEYS = (
    "amount",
    "amount_choice",
    "currency",
    "email",
    "anonymous",
    "hear_back",
    "display_name",
    "name_style",
    "show_country",
    "country",
)


def _origin_of(url):
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "http://[::1": an unclosed IPv6 host
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


def _error(request, status, errors):
    # CORS headers for listed front-ends come from django-cors-headers (see `origins`).
    return JsonResponse({"errors": errors}, status=status)


def _too_many(request):
    return _error(request, 429, {"__all__": [gettext("Too many attempts. Please wait and try again.")]})


@csrf_exempt  # No cookies or session are used: the endpoint acts for no signed-in user.
@never_cache
def start(request):
    """Start a donation from JSON; answer 201 with where to send the donor next."""
    if origin_refused(request):
        # Before anything is counted, parsed or created: a page on another site cannot give
        # in a visitor's name, whatever its request looks like.
        return _error(request, 403, {"__all__": [gettext("This site may not start donations here.")]})
    if request.method == "OPTIONS":
        return JsonResponse({}, status=200 if request.headers.get("Origin") else 400)
    if request.method != "POST":
        return _error(request, 405, {"__all__": [gettext("Use POST.")]})
    if limit_reached(request, "api"):
        return _too_many(request)
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):  # RecursionError: deeply nested arrays or objects
        payload = None
    if not isinstance(payload, dict):
        return _error(request, 400, {"__all__": [gettext("Send a JSON object.")]})
    try:
        case = open_case(payload.get("case"))
    except CaseNotOpen as error:
        return _error(request, error.status, {"case": [error.message]})

    return_urls = {}
    for key in ("success_url", "failure_url"):
        url = str(payload.get(key) or "")
        if url and _origin_of(url) not in allowed_origins():
            return _error(request, 400, {key: [gettext("This address is not an allowed front-end origin.")]})
        if len(url) > RETURN_URL_MAX_LENGTH:
            # Checked before anything is created: a longer one left an orphan donation and a 500.
            message = gettext("This address is too long: at most %(max)d characters.")
            return _error(request, 400, {key: [message % {"max": RETURN_URL_MAX_LENGTH}]})
        return_urls[key] = url

    data = {key: payload[key] for key in FORM_KEYS if payload.get(key) is not None}
    data = {key: value if isinstance(value, bool) else str(value) for key, value in data.items()}
    data.setdefault("anonymous", True)
    form = DonationForm(data=data, case=case, progress=progress_for(case))
    if not form.is_valid():
        errors = {field: [e["message"] for e in errs] for field, errs in form.errors.get_json_data().items()}
        return _error(request, 400, errors)
    variant = payment_variant()
    try:
        # Held from before the donation is created until the provider has answered: a start
        # refused because every slot waits on the provider creates nothing.
        with provider_slot(variant):
            # Only an attempt that goes on to the provider counts: corrections do not.
            if too_many_attempts(request, "api"):
                return _too_many(request)
            donation = start_donation(case, form.cleaned_data, variant=variant, **return_urls)
            return _send_to_provider(request, donation)
    except ProviderBusy:
        response = _error(request, 429, {"__all__": [str(BUSY)]})
        response["Retry-After"] = str(RETRY_AFTER)
        return response


def _send_to_provider(request, donation):
    """201 with where the donor goes next, or 503 (the gift closed) if the provider failed."""
    with transaction.atomic():
        try:
            donation.get_form()
            # The provider has a form of its own (the dummy): the donor completes it here.
            redirect_url = request.build_absolute_uri(
                reverse("sixdegree_donations:pay", kwargs={"token": donation.token})
            )
        except RedirectNeeded as needed:
            redirect_url = str(needed)
        except PaymentError:
            # The provider's own text may name its internals or echo the donor's data: logged
            # by the provider glue, never shown. The gift is closed, not left waiting.
            donation.change_status(PaymentStatus.ERROR, str(PROVIDER_UNAVAILABLE))
            response = _error(request, 503, {"__all__": [str(PROVIDER_UNAVAILABLE)]})
            response["Retry-After"] = "60"
            return response
    body = {"redirect_url": redirect_url, **_public(donation)}
    return JsonResponse(body, status=201)


@never_cache
def status(request, token):
    """A donation's state for a headless thank-you page: no donor data."""
    donation = get_object_or_404(Donation.objects.select_related("case"), token=token)
    return JsonResponse(_public(donation))


def _public(donation):
    surplus = gift_surplus(donation)
    return {
        "donation": str(donation.token),
        "status": donation.status,
        "amount": f"{donation.total:.2f}",
        "currency": donation.currency,
        "case": donation.case_id,
        "progress": progress_for(donation.case).as_api(),
        # The part of this gift that is past the case's goal now (what it brought past it,
        # less what refunds or a raised target took back), and the site's policy for it.
        "surplus": f"{surplus:.2f}",
        "surplus_note": surplus_note(donation.case, surplus, donation.currency),
    }


urlpatterns = [
    path("", start, name="sixdegree_donations_api_start"),
    path("<uuid:token>/", status, name="sixdegree_donations_api_status"),
]
