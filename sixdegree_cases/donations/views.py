"""Giving, step by step: donate form → waiting donation → provider → thank-you or failure page.

Views are thin: validation lives in `forms`, the rules in `giving` and `totals`. The provider's
callback is django-payments' own view (`payments.urls`), which calls `Donation.change_status`.
"""

from urllib.error import URLError

from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from payments import FraudStatus, PaymentError, PaymentStatus, RedirectNeeded
from payments.dummy import DummyProvider

from ..caching.csrf import session_csrf_protect
from .accounts import is_donor
from .closing import closed_message
from .forms import DonationForm
from .giving import (
    CaseNotOpen,
    open_case,
    provider_configured,
    provider_slot,
    start_donation,
)
from .models import Donation
from .progress import progress_for
from .providers.slots import BUSY, RETRY_AFTER, ProviderBusy
from .ratelimit import limit_reached, too_many_attempts


def _closed(request, error, case_id=None):
    return render(
        request,
        "sixdegree_donations/closed.html",
        {"message": error.message, "case_id": case_id},
        status=error.status,
    )


@never_cache
@session_csrf_protect
@require_http_methods(["GET", "POST"])
def donate(request, case_id):
    """The standalone donate page (the case page's form posts here): validates, then starts.

    The case page's form is served from the page cache without a CSRF token: requests without
    a session are checked for coming from this site instead (`session_csrf_protect`).
    """
    if request.method == "POST" and limit_reached(request):
        return _too_many(request)
    try:
        case = open_case(case_id)
    except CaseNotOpen as error:
        return _closed(request, error, case_id)
    progress = progress_for(case)
    if request.method == "POST":
        form = DonationForm(request.POST, case=case, progress=progress)
        if form.is_valid():
            # Only an attempt that goes on to the provider counts: corrections do not.
            if too_many_attempts(request):
                return _too_many(request)
            donation = start_donation(case, form.cleaned_data, donor=request.user)
            _return_here(request, donation)
            return redirect("sixdegree_donations:pay", token=donation.token)
        status = 400
    else:
        initial = {}
        if request.GET.get("amount"):
            initial = {"amount": request.GET["amount"][:20], "amount_choice": "other"}
        if is_donor(request.user):
            initial["email"] = request.user.email
        form = DonationForm(case=case, progress=progress, initial=initial)
        status = 200
    return render(
        request,
        "sixdegree_donations/donate.html",
        {"case": case, "form": form, "progress": progress},
        status=status,
    )


def _too_many(request):
    return render(request, "sixdegree_donations/too_many.html", status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def pay(request, token):
    """The provider's step: its form (dummy) or a redirect to its hosted page (Stripe)."""
    donation = get_object_or_404(Donation.objects.select_related("case"), token=token)
    if not donation.is_open:
        return redirect(_landing(donation))
    if not provider_configured(donation):
        # A gift started with a provider since removed from PAYMENT_VARIANTS (e.g. the dummy
        # of a test run): nothing can take it further. Left as it is: should the provider
        # come back, or its webhook arrive, the gift is still there to be settled.
        return render(
            request,
            "sixdegree_donations/unavailable.html",
            {"donation": donation, "case": donation.case, "retry_url": _retry_url(donation)},
            status=410,
        )
    try:
        return _provider_step(request, donation)
    except ProviderBusy:
        response = render(
            request,
            "sixdegree_donations/busy.html",
            {"case": donation.case, "message": BUSY, "retry_url": request.path},
            status=429,
        )
        response["Retry-After"] = str(RETRY_AFTER)
        return response


def _provider_step(request, donation):
    with transaction.atomic():
        # One provider step at a time per donation (a double-clicked button, two tabs).
        donation = Donation.objects.select_for_update(of=("self",)).select_related("case").get(pk=donation.pk)
        if not donation.is_open:
            return redirect(_landing(donation))
        closed = _closed_before_paying(donation)
        if closed:
            donation.change_status(
                PaymentStatus.CANCELLED,
                FUNDED_BEFORE_PAYING if progress_for(donation.case).fully_funded else CLOSED_BEFORE_PAYING,
            )
            return _closed(request, CaseNotOpen(closed, status=409), donation.case_id)
        try:
            # Taken once the gift's row is ours, held until the provider has answered: requests
            # for the same gift (tabs, a script: a GET, not rate limited) wait for the row
            # without a slot, so one gift holds one slot at most. When every slot of this process
            # waits on the provider, the donor is asked to try again in a moment and the gift
            # stays as it is (waiting), nothing sent or charged.
            with provider_slot(donation.variant):
                form = donation.get_form(data=request.POST or None)
        except RedirectNeeded as needed:
            return redirect(str(needed))
        except ProviderBusy:
            # A PaymentError too, but nothing happened: the gift stays waiting (rolled back).
            raise
        except (PaymentError, URLError) as error:
            if donation.is_open:
                donation.change_status(PaymentStatus.ERROR, str(error))
            return redirect(donation.get_failure_url())
    test_mode = isinstance(getattr(form, "provider", None), DummyProvider)
    if test_mode and not form.is_bound:
        # Test mode: offer the happy path first.
        form.fields["status"].initial = PaymentStatus.CONFIRMED
        form.fields["fraud_status"].initial = FraudStatus.ACCEPT
    # The page says "no money is taken" from the gift's own provider, not from the context
    # processor a host site may not have added.
    return render(
        request,
        "sixdegree_donations/pay.html",
        {"donation": donation, "case": donation.case, "form": form, "payments_test_mode": test_mode},
    )


FUNDED_BEFORE_PAYING = "The case reached its target before payment."
CLOSED_BEFORE_PAYING = "The case stopped raising funds before payment."


def _closed_before_paying(donation):
    """Why the form closed since this gift started, if it is not yet sent to the provider
    (the case reached its target, or its case officer moved it past "fundraising"), else "":
    nothing is charged. (A gift already at the provider's page is in flight: if it is paid,
    it is kept and counted, and shown as surplus past the target.)"""
    if donation.status != PaymentStatus.WAITING or donation.transaction_id:
        return ""
    return closed_message(donation.case)


def _return_here(request, donation):
    """Send the donor back to this site as they reached it (host checked by ALLOWED_HOSTS)."""
    for field, name in (("success_url", "thanks"), ("failure_url", "failed")):
        path = reverse(f"sixdegree_donations:{name}", kwargs={"token": donation.token})
        setattr(donation, field, request.build_absolute_uri(path))
    donation.save(update_fields=["success_url", "failure_url"])


def _landing(donation):
    if donation.status in (PaymentStatus.CONFIRMED, PaymentStatus.PREAUTH):
        return reverse("sixdegree_donations:thanks", kwargs={"token": donation.token})
    return reverse("sixdegree_donations:failed", kwargs={"token": donation.token})


@never_cache
def thanks(request, token):
    """After paying. Before the provider's confirmation arrives, says it is on its way."""
    donation = get_object_or_404(Donation.objects.select_related("case"), token=token)
    if donation.status not in (PaymentStatus.CONFIRMED, PaymentStatus.PREAUTH) and not donation.is_open:
        return redirect("sixdegree_donations:failed", token=donation.token)
    return render(
        request,
        "sixdegree_donations/thanks.html",
        {"donation": donation, "case": donation.case, "progress": progress_for(donation.case)},
    )


@never_cache
def failed(request, token):
    """The payment did not go through, or the donor cancelled: nothing was taken. Try again."""
    donation = get_object_or_404(Donation.objects.select_related("case"), token=token)
    if donation.status in (PaymentStatus.CONFIRMED, PaymentStatus.PREAUTH):
        return redirect("sixdegree_donations:thanks", token=donation.token)
    return render(
        request,
        "sixdegree_donations/failed.html",
        {
            "donation": donation,
            "case": donation.case,
            "cancelled": donation.status
            in (PaymentStatus.CANCELLED, PaymentStatus.WAITING, PaymentStatus.INPUT),
            "retry_url": _retry_url(donation),
        },
    )


@require_POST
def cancel(request, token):
    """The donor stops before paying. A provider that still confirms later is still counted."""
    donation = get_object_or_404(Donation, token=token)
    if donation.is_open:
        try:
            donation.cancel()
        except (PaymentError, NotImplementedError, ValueError):
            donation.change_status(PaymentStatus.CANCELLED)
    return redirect("sixdegree_donations:failed", token=donation.token)


def _retry_url(donation):
    try:
        open_case(donation.case_id)
    except CaseNotOpen:
        return ""
    url = reverse("sixdegree_donations:donate", kwargs={"case_id": donation.case_id})
    return f"{url}?amount={donation.total:.2f}"
