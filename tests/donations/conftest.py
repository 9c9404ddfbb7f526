"""Fixtures of the donation tests: a live case, a Stripe variant with a test signing secret,
and locally signed Stripe events (HMAC-SHA256, as Stripe signs them; no network)."""

import datetime
import hashlib
import hmac
import json
import time
from decimal import Decimal

import pytest
from django.urls import reverse
from payments import PaymentStatus
from payments.core import PROVIDER_CACHE

from sixdegree_cases.donations.models import Donation
from tests.factories import make_case_page

WEBHOOK_SECRET = "whsec_test_sixdegree_local_only"
STRIPE_PATH = "sixdegree_cases.donations.providers.stripe.StripeProvider"


@pytest.fixture(autouse=True)
def _fresh_providers_and_cache():
    """Providers are cached per variant by django-payments; the rate limit lives in the cache;
    a receipt sweep this process asked for covers later gifts for a few seconds."""
    from django.core.cache import cache

    from sixdegree_cases.donations.tasks import sweep_requests

    PROVIDER_CACHE.clear()
    cache.clear()
    sweep_requests.forget()
    yield
    PROVIDER_CACHE.clear()
    cache.clear()
    sweep_requests.forget()


@pytest.fixture
def site_db(transactional_db):
    """A committing database (for threads and the live server) with Wagtail's roots.

    Serialized rollback cannot be relied on here (see tests/browser/conftest.py): the roots a
    previous transactional test flushed away are recreated instead.
    """
    from tests.browser.conftest import ensure_wagtail_roots

    ensure_wagtail_roots()


def launch_date(days_ago=15):
    return datetime.date.today() - datetime.timedelta(days=days_ago)


@pytest.fixture
def case(case_index):
    """A live case needing USD 1,500.00, launched 15 days ago."""
    return make_case_page(case_index, launch_date=launch_date())


@pytest.fixture
def stripe_variant(settings):
    """Adds a "stripe" variant (test keys, local signing secret) beside the dummy one."""
    settings.PAYMENT_VARIANTS = {
        "dummy": ("payments.dummy.DummyProvider", {}),
        "stripe": (STRIPE_PATH, {"api_key": "sk_test_local", "endpoint_secret": WEBHOOK_SECRET}),
    }
    PROVIDER_CACHE.clear()
    yield "stripe"
    PROVIDER_CACHE.clear()


def make_donation(case, amount="50.00", *, variant="dummy", status=PaymentStatus.WAITING, **kwargs):
    """A donation as `giving.start_donation` leaves it (status set directly, before counting)."""
    kwargs.setdefault("billing_email", "donor@example.org")
    return Donation.objects.create(
        case=case,
        variant=variant,
        status=status,
        total=Decimal(amount),
        currency=kwargs.pop("currency", case.currency),
        **kwargs,
    )


def checkout_event(
    donation,
    *,
    event_id="evt_checkout_1",
    event_type="checkout.session.completed",
    payment_status="paid",
    session_status="complete",
    amount_total=None,
    currency=None,
):
    """A Checkout Session event carrying the whole session, as Stripe sends it."""
    return {
        "id": event_id,
        "object": "event",
        "api_version": "2024-06-20",
        "created": int(time.time()),
        "type": event_type,
        "data": {
            "object": {
                "id": "cs_test_a1",
                "object": "checkout.session",
                "client_reference_id": str(donation.token),
                "amount_total": int(donation.total * 100) if amount_total is None else amount_total,
                "currency": (currency or donation.currency).lower(),
                "payment_status": payment_status,
                "status": session_status,
                "payment_intent": "pi_test_a1",
                "metadata": {"sixdegree_donation": str(donation.token)},
                "customer_details": {"email": donation.billing_email, "name": "Card Holder"},
            }
        },
    }


def refund_event(donation, *, event_id="evt_refund_1", amount_refunded=None, amount=None):
    """A `charge.refunded` event: the charge carries the donation token in its metadata."""
    total = int(donation.total * 100)
    return {
        "id": event_id,
        "object": "event",
        "created": int(time.time()),
        "type": "charge.refunded",
        "data": {
            "object": {
                "id": "ch_test_a1",
                "object": "charge",
                "amount": total if amount is None else amount,
                "amount_refunded": total if amount_refunded is None else amount_refunded,
                "currency": donation.currency.lower(),
                "refunded": amount_refunded is None or amount_refunded >= total,
                "payment_intent": "pi_test_a1",
                "metadata": {"sixdegree_donation": str(donation.token)},
            }
        },
    }


def sign(body, *, secret=WEBHOOK_SECRET, timestamp=None):
    """The Stripe-Signature header for `body`: t=<unix time>,v1=<HMAC-SHA256 of "t.body">."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def post_event(client, event, *, secret=WEBHOOK_SECRET, timestamp=None, body=None, header=None):
    """Deliver `event` to the Stripe webhook endpoint, signed unless `header` is given."""
    body = json.dumps(event) if body is None else body
    signature = sign(body, secret=secret, timestamp=timestamp) if header is None else header
    extra = {"HTTP_STRIPE_SIGNATURE": signature} if signature else {}
    return client.post(
        reverse("static_process_payment", kwargs={"variant": "stripe"}),
        data=body,
        content_type="application/json",
        **extra,
    )
