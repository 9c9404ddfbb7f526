"""django-payments' Stripe Checkout provider, hardened for donations.

What `payments.stripe.StripeProviderV3` (django-payments 4.1) does with a webhook, and what
this subclass changes:

- It verifies the `Stripe-Signature` header with `stripe.Webhook.construct_event`, but lets
  `SignatureVerificationError` and bad JSON escape as exceptions: django-payments' view turns
  them into a 500, and Stripe retries for days. Here every bad signature, stale timestamp
  (older than `SIXDEGREE_STRIPE_WEBHOOK_TOLERANCE`, 300 s) or bad payload is a 400.
- It never checks what was paid. Here a session whose amount or currency differs from the
  donation is refused (400) and changes nothing.
- It counts any repeat of an event again (and can turn a confirmed payment into "rejected"
  on a late `checkout.session.expired`). Here each event id is processed once
  (`ProviderEvent`), and the donation's own rules refuse to move a confirmed gift back.
- It stores the whole Checkout Session in `extra_data`, customer e-mail, name and address
  included. Here only the ids needed to match later events are kept.
- It does not understand refunds. Here `charge.refunded` lowers the case's totals; the
  charge is matched by the donation token Stripe copies from the PaymentIntent's metadata.

Webhook processing makes no request to Stripe: everything needed is in the signed event.
Only `get_form` (creating the Checkout Session) and `refund`/`cancel` talk to Stripe, and a
stalled Stripe must not stall the site: every request has a timeout
(`SIXDEGREE_STRIPE_TIMEOUT`) and few retries (`SIXDEGREE_STRIPE_RETRIES`, with Stripe's own
idempotency keys), at most `SIXDEGREE_STRIPE_CONCURRENCY` threads per process wait on Stripe at
once (`slots`: the others are refused at once, so page requests keep their threads; the giving
views take the slot before they create a donation), and a circuit breaker refuses starts for a
while after several failures in a row. Stripe's own error
text is logged, never shown: donors read a neutral message.
"""

import json
import logging
import uuid
from decimal import Decimal

import pybreaker
import stripe
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import JsonResponse
from payments import PaymentError, PaymentStatus
from payments.stripe import StripeProviderV3

from ...caching.breakers import guarded
from ...conf import get_setting
from .slots import ProviderBusy, ProviderSlots

logger = logging.getLogger(__name__)

DONATION_METADATA_KEY = "sixdegree_donation"
SESSION_EVENTS = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
    }
)
REFUND_EVENTS = frozenset({"charge.refunded"})
HANDLED_EVENTS = SESSION_EVENTS | REFUND_EVENTS
UNAVAILABLE = "The payment provider is unavailable. Nothing was charged; please try again in a few minutes."

STRIPE_API_BASE = stripe.api_base

# One per process: the state of "Stripe answers" and the starts waiting on it now.
_breaker = pybreaker.CircuitBreaker(
    fail_max=3,
    reset_timeout=30,
    # Only "Stripe cannot answer" opens it; a refused request is about that request alone.
    exclude=[lambda error: not isinstance(error, stripe.APIConnectionError | stripe.APIError)],
    name="stripe",
)
_slots = ProviderSlots(lambda: get_setting("SIXDEGREE_STRIPE_CONCURRENCY"))


def reset_state():
    """Close the circuit and forget the slots (tests, or after changing the settings)."""
    _breaker.close()
    _slots.reset()


def configure_client():
    """Stripe's HTTP client with this site's timeout and retries (module-wide in stripe-python)."""
    stripe.max_network_retries = int(get_setting("SIXDEGREE_STRIPE_RETRIES"))
    stripe.api_base = get_setting("SIXDEGREE_STRIPE_API_BASE") or STRIPE_API_BASE
    stripe.default_http_client = stripe.new_default_http_client(
        timeout=float(get_setting("SIXDEGREE_STRIPE_TIMEOUT"))
    )


def event_parts(event):
    """(id, type, object, donation token) of a verified event, or PaymentError(400) when it
    does not have the shape of a Stripe event. The token is a UUID string or None."""
    event_id, event_type, data = event.get("id"), event.get("type"), event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not (isinstance(event_id, str) and 0 < len(event_id) <= 255):
        raise PaymentError("Invalid payload: the event has no usable id.", code=400)
    if not isinstance(event_type, str) or not isinstance(obj, dict):
        raise PaymentError("Invalid payload: not a Stripe event.", code=400)
    metadata = obj.get("metadata")
    token = obj.get("client_reference_id") or (
        metadata.get(DONATION_METADATA_KEY) if isinstance(metadata, dict) else None
    )
    if token is None:
        return event_id, event_type, obj, None
    try:
        token = str(uuid.UUID(str(token)))
    except ValueError as error:
        raise PaymentError("The event names no donation.", code=400) from error
    return event_id, event_type, obj, token


class StripeProvider(StripeProviderV3):
    """Stripe Checkout for donations. Configure with the secret key, the webhook signing
    secret and (optionally) the publishable key, all from the environment.

    Subscribe the webhook endpoint (`/payments/process/<variant>/`) to the events in
    `HANDLED_EVENTS`.
    """

    def __init__(self, api_key, endpoint_secret, public_key="", **kwargs):
        if not api_key or not endpoint_secret:
            raise ImproperlyConfigured("Stripe needs a secret key and a webhook signing secret.")
        # secure_endpoint=False would accept unsigned webhooks: never.
        kwargs.pop("secure_endpoint", None)
        super().__init__(api_key=api_key, endpoint_secret=endpoint_secret, secure_endpoint=True, **kwargs)
        self.public_key = public_key
        configure_client()

    # --- Creating the Checkout Session (network) ---------------------------------------

    def create_session(self, payment):
        if payment.transaction_id:
            raise PaymentError("This payment has already been processed.")
        stripe.api_key = self.api_key
        token = str(payment.token)
        session_data = {
            "mode": "payment",
            "submit_type": "donate",
            "line_items": self.get_line_items(payment),
            "success_url": payment.get_success_url(),
            "cancel_url": payment.get_failure_url(),
            "client_reference_id": token,
            "metadata": {DONATION_METADATA_KEY: token},
            # Copied onto the charge, so refund events can be matched to the donation.
            "payment_intent_data": {"metadata": {DONATION_METADATA_KEY: token}},
        }
        if payment.billing_email:
            session_data["customer_email"] = payment.billing_email
        try:
            with self.outside_call():
                return guarded(_breaker, stripe.checkout.Session.create, **session_data)
        except ProviderBusy:
            logger.warning("Stripe: every slot of this process is waiting on Stripe; start refused")
            raise
        except pybreaker.CircuitBreakerError as error:
            logger.warning("Stripe: circuit open after repeated failures; start refused")
            raise PaymentError(UNAVAILABLE, code=503) from error
        except stripe.StripeError as error:
            # Stripe's text may describe its internals or echo what was sent (the donor's
            # address): neither the donor nor the log reads it. Its kind, code and request id
            # find it in Stripe's dashboard.
            logger.error(
                "Stripe refused a Checkout Session: %s (code %s, HTTP %s, request %s)",
                type(error).__name__,
                getattr(error, "code", None),
                getattr(error, "http_status", None),
                getattr(error, "request_id", None),
            )
            raise PaymentError(UNAVAILABLE, code=503) from error

    def outside_call(self):
        """A slot for a call that may wait on Stripe (`slots`): raises `ProviderBusy` at once
        when this process has `SIXDEGREE_STRIPE_CONCURRENCY` threads waiting already."""
        return _slots.held()

    def cancel(self, payment):
        with self.outside_call():
            return super().cancel(payment)

    def refund(self, payment, amount=None):
        with self.outside_call():
            return super().refund(payment, amount)

    def get_line_items(self, payment):
        items = super().get_line_items(payment)
        # "Order #<token>" reads oddly on a donor's statement and Checkout page.
        items[0]["price_data"]["product_data"]["name"] = "Sixdegree gift"
        return items

    def get_form(self, payment, data=None):
        try:
            return super().get_form(payment, data)
        finally:
            self._keep_only_ids(payment)

    # --- Webhooks (no network) -------------------------------------------------------

    def return_event_payload(self, request):
        """The verified event as a plain dict, or PaymentError(400).

        Verified with stripe-python's own signature check; parsed here rather than by
        `stripe.Webhook.construct_event`, which raises AttributeError, TypeError or
        RecursionError (a 500) on a validly signed body that is not an event object.
        """
        header = request.headers.get("Stripe-Signature")
        if not header:
            raise PaymentError("Missing Stripe-Signature header.", code=400)
        try:
            payload = request.body.decode("utf-8")
            stripe.WebhookSignature.verify_header(
                payload,
                header,
                self.endpoint_secret,
                tolerance=get_setting("SIXDEGREE_STRIPE_WEBHOOK_TOLERANCE"),
            )
            event = json.loads(payload)
        except stripe.SignatureVerificationError as error:
            raise PaymentError(f"Invalid signature: {error.user_message or error}", code=400) from error
        except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
            raise PaymentError("Invalid payload.", code=400) from error
        if not isinstance(event, dict):
            raise PaymentError("Invalid payload.", code=400)
        return event

    def get_token_from_request(self, payment, request):
        event = self.return_event_payload(request)
        _event_id, event_type, _obj, token = event_parts(event)
        if event_type not in HANDLED_EVENTS:
            raise PaymentError(f"Event type {event_type!r} is not handled.", code=400)
        if not token:
            raise PaymentError("The event names no donation.", code=400)
        return token

    def process_data(self, payment, request):
        from ..models import Donation, ProviderEvent
        from ..totals import record_refund

        try:
            event = self.return_event_payload(request)
        except PaymentError as error:
            return JsonResponse({"error": str(error)}, status=error.code or 400)
        try:
            event_id, event_type, obj, token = event_parts(event)
        except PaymentError as error:
            return JsonResponse({"error": str(error)}, status=400)
        if event_type not in HANDLED_EVENTS:
            return JsonResponse({"error": "Event not handled."}, status=400)
        if token != str(payment.token):
            return JsonResponse({"error": "The event is for another donation."}, status=400)

        with transaction.atomic():
            # Callbacks for one donation queue up here; the duplicate check below then sees
            # every event committed before it. The lock is the refresh, of the fields the lean
            # lookup loaded only: locking with a whole row read the donor's columns back.
            payment.refresh_from_db(from_queryset=Donation.objects.select_for_update())
            mismatch = self._mismatch(payment, obj, event_type)
            if mismatch:
                logger.error("Stripe event %s for donation %s refused: %s", event_id, payment.pk, mismatch)
                return JsonResponse({"error": mismatch}, status=400)
            _event, created = ProviderEvent.objects.get_or_create(
                variant=payment.variant,
                event_id=event_id,
                defaults={"event_type": event_type, "donation": payment},
            )
            if not created:
                # Stripe may deliver an event more than once; it expects a 2xx for repeats.
                return JsonResponse({"status": "duplicate", "changed": False})

            if event_type in REFUND_EVENTS:
                refunded = self._from_minor_units(payment.currency, obj.get("amount_refunded") or 0)
                if refunded > 0:
                    record_refund(payment, refunded)
            elif event_type == "checkout.session.expired":
                payment.change_status(PaymentStatus.REJECTED, "Checkout session expired.")
            elif event_type == "checkout.session.async_payment_failed":
                payment.change_status(PaymentStatus.REJECTED, "Payment failed.")
            elif obj.get("payment_status") == "paid":
                payment.change_status(PaymentStatus.CONFIRMED)
            if event_type in SESSION_EVENTS:
                payment.attrs.session = self._session_ids(obj)
                payment.save()
        return JsonResponse({"status": "OK", "donation_status": payment.status})

    # --- Helpers -----------------------------------------------------------------------

    def _mismatch(self, payment, obj, event_type):
        """Why a signed event cannot be about this donation's money, or "" if it can."""
        currency = obj.get("currency") or ""
        if not isinstance(currency, str):
            return "The event's currency is not a currency code."
        currency = currency.upper()
        if currency and currency != payment.currency.upper():
            return f"Currency {currency} differs from the donation's {payment.currency}."
        if event_type in SESSION_EVENTS and obj.get("payment_status") == "paid":
            if not currency:
                return "The session does not say its currency."
            expected = self.convert_amount(payment.currency, payment.total)
            if obj.get("amount_total") != expected:
                return f"Amount {obj.get('amount_total')} differs from the donation's {expected}."
        if event_type in REFUND_EVENTS:
            expected = self.convert_amount(payment.currency, payment.total)
            if obj.get("amount") != expected:
                return f"Charge amount {obj.get('amount')} differs from the donation's {expected}."
            refunded = obj.get("amount_refunded") or 0
            if type(refunded) is not int or refunded < 0:  # bool is an int: not an amount
                return "The refunded amount is not a whole number of minor units."
        return ""

    def _from_minor_units(self, currency, amount):
        factor = self.convert_amount(currency, 1)
        return Decimal(int(amount)) / Decimal(factor)

    @staticmethod
    def _session_ids(session):
        """What later events and refunds need from a Checkout Session: ids and state only."""
        keep = ("id", "url", "status", "payment_status", "payment_intent", "amount_total", "currency")
        return {key: session.get(key) for key in keep if session.get(key) is not None}

    def _keep_only_ids(self, payment):
        try:
            session = payment.attrs.session
        except AttributeError:
            return
        trimmed = self._session_ids(session)
        if trimmed != session:
            payment.attrs.session = trimmed
            payment.save()
