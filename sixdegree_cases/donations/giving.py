"""Starting a gift: which cases accept one, and the waiting donation that begins the payment."""

from contextlib import nullcontext

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext
from payments import PaymentStatus
from payments.core import provider_factory
from payments.dummy import DummyProvider

from ..conf import get_setting
from ..models import SurvivorCasePage
from ..prefetch import with_funding
from .accounts import is_donor
from .closing import closed_message
from .models import CaseFunding, Donation

# The token is appended to a front-end's return URL ("?donation=<uuid>"): what a donation can
# store (500 characters) minus that.
RETURN_PARAMETER = "donation"
RETURN_URL_MAX_LENGTH = Donation._meta.get_field("success_url").max_length - len(f"?{RETURN_PARAMETER}=") - 36


class CaseNotOpen(Exception):
    """The case cannot take a gift now. `message` says why, in words for the donor."""

    def __init__(self, message, *, status=404):
        super().__init__(message)
        self.message = message
        self.status = status


def payment_variant():
    """The PAYMENT_VARIANTS key new donations use (`SIXDEGREE_PAYMENT_VARIANT`, else the first)."""
    return get_setting("SIXDEGREE_PAYMENT_VARIANT") or next(iter(settings.PAYMENT_VARIANTS))


def test_mode_active():
    """True when a configured payment provider takes no real money (django-payments' dummy)."""
    for variant in getattr(settings, "PAYMENT_VARIANTS", {}):
        try:
            if isinstance(provider_factory(variant), DummyProvider):
                return True
        except (ImportError, ValueError):
            continue
    return False


def provider_configured(donation):
    """True when the donation's payment variant is still in PAYMENT_VARIANTS."""
    try:
        provider_factory(donation.variant, donation)
    except ValueError:
        return False
    return True


def provider_slot(variant):
    """Hold one of the process's slots for calls that may wait on `variant`'s provider
    (`providers.slots`), or nothing for a provider that calls no other host (the dummy).

    Take it before creating anything: `ProviderBusy` (at once, when every slot is waiting)
    then leaves no donation behind.
    """
    try:
        provider = provider_factory(variant)
    except ValueError:
        return nullcontext()
    outside_call = getattr(provider, "outside_call", None)
    return outside_call() if outside_call is not None else nullcontext()


def open_case(case_id):
    """The live, public case `case_id` if it accepts gifts, else raise `CaseNotOpen`.

    A tampered id (not a number, not a case, a draft, a private or withdrawn case) gets the
    same answer as a missing one: nothing about unpublished cases is revealed.
    """
    try:
        case_id = int(case_id)
    except (TypeError, ValueError) as error:
        raise CaseNotOpen(gettext("This case is not open for donations.")) from error
    # With its totals and status: one query for all `closed_message` reads.
    case = with_funding(SurvivorCasePage.objects.live().public().filter(pk=case_id)).first()
    if case is None:
        raise CaseNotOpen(gettext("This case is not open for donations."))
    message = closed_message(case)
    if message:
        raise CaseNotOpen(message, status=409)
    return case


def start_donation(case, cleaned_data, *, variant=None, donor=None, success_url="", failure_url=""):
    """Create the waiting donation for a validated donate form. Nothing is charged yet.

    One transaction: a donation is never left without its return URLs.
    """
    with transaction.atomic():
        return _create_donation(case, cleaned_data, variant, donor, success_url, failure_url)


def _create_donation(case, cleaned_data, variant, donor, success_url, failure_url):
    CaseFunding.objects.get_or_create(case=case)
    donation = Donation.objects.create(
        case=case,
        variant=variant or payment_variant(),
        status=PaymentStatus.WAITING,
        total=cleaned_data["value"],
        currency=case.currency,
        billing_email=cleaned_data["email"],
        billing_country_code=cleaned_data.get("country") or "",
        anonymous=cleaned_data.get("anonymous", True),
        hear_back=bool(cleaned_data.get("hear_back")),
        display_name="" if cleaned_data.get("anonymous", True) else cleaned_data.get("display_name", ""),
        show_country=bool(cleaned_data.get("show_country")) and not cleaned_data.get("anonymous", True),
        description=gettext("Gift to a Sixdegree case"),
        # Only a signed-in donor's own account: never an editor who happens to be signed in.
        donor=donor if donor is not None and is_donor(donor) else None,
    )
    if success_url or failure_url:
        # The front-end learns which gift came back by its token, never by the donor's data.
        donation.success_url = _with_token(success_url, donation.token)
        donation.failure_url = _with_token(failure_url, donation.token)
        donation.save(update_fields=["success_url", "failure_url"])
    return donation


def _with_token(url, token):
    if not url:
        return ""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{RETURN_PARAMETER}={token}"
