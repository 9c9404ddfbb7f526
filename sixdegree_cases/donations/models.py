"""Donations: one payment per gift (a django-payments `BasePayment`) and each case's totals.

What a donation keeps is what a payment and a receipt need, nothing more (PRIVACY.md § 5).
`BasePayment` brings billing-address, phone and IP fields: they stay empty, because no
provider we use needs them and an address or an IP can identify a donor.
"""

import contextvars
from contextlib import contextmanager
from decimal import Decimal
from urllib.parse import urljoin

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from payments import PaymentStatus, PurchasedItem
from payments.core import get_base_url
from payments.models import BasePayment
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .amounts import money

ZERO = Decimal("0.00")

# Fields only `totals.record_status` / `totals.record_refund` write, under a row lock. A plain
# `save()` leaves them alone, so a provider saving a stale copy of the donation (they call
# `payment.save()` after changing the status) can never undo a confirmation or a count.
LOCKED_FIELDS = frozenset(
    {
        "status",
        "message",
        "counted_amount",
        "refunded_amount",
        "confirmed_at",
        "receipted_at",
        "surplus_amount",
        "receipt_claimed_at",
        "receipt_sent_at",
    }
)


# Columns no provider callback reads (the donor's own details, what only finance, receipts and
# the supporters list use): a callback loads its donation without them. Fewer columns is
# most of the cost of django-payments' lookup by token, the first thing every callback does.
CALLBACK_DEFERRED_FIELDS = (
    "fraud_status",
    "fraud_message",
    "delivery",
    "tax",
    "description",
    "billing_first_name",
    "billing_last_name",
    "billing_address_1",
    "billing_address_2",
    "billing_city",
    "billing_postcode",
    "billing_country_code",
    "billing_country_area",
    "billing_email",
    "billing_phone",
    "customer_ip_address",
    "display_name",
    "show_country",
    "name_hidden",
    "anonymous",
    "hear_back",
    "donor",
    "receipt_claimed_at",
    "receipt_sent_at",
)

_in_callback = contextvars.ContextVar("sixdegree_donation_callback", default=False)


@contextmanager
def loading_for_callback():
    """In a provider callback: the first donation query, django-payments' lookup by token (the
    first thing its callback views do), loads without `CALLBACK_DEFERRED_FIELDS`.

    Only that one: what runs later in the request (a figures render after the commit lists
    named supporters) loads whole donations, never one query per deferred field. A deferred
    field read anyway costs one more query (never a wrong value), and `save()` writes only the
    fields that were loaded.
    """
    token = _in_callback.set(True)
    try:
        yield
    finally:
        _in_callback.reset(token)


class DonationManager(models.Manager):
    def get_queryset(self):
        queryset = super().get_queryset()
        if _in_callback.get():
            _in_callback.set(False)
            queryset = queryset.defer(*CALLBACK_DEFERRED_FIELDS)
        return queryset


class Donation(BasePayment):
    """A gift to one case, in the case's currency, through one payment provider.

    Kept from `BasePayment`, and why:

    - `variant`, `status`, `transaction_id`, `token`, `extra_data`, `message`, `fraud_*`:
      the provider needs them to take the payment and to match its callbacks;
    - `total` and `currency`: the gift (always the case's currency); `captured_amount`: what
      the provider reports as taken (the dummy provider never saves it: totals count `total`);
    - `billing_email`: the donor's address, for the receipt only (Stripe Checkout pre-fills it);
      never shown publicly, never in the listing or the CSV export;
    - `billing_country_code`: optional, for aggregate figures only.

    Left empty: billing names, address, phone and `customer_ip_address`. `delivery`, `tax`
    and `description` stay at their defaults.
    """

    # Not in Wagtail's reference index: an admin listing registers the model, and every save
    # (several per callback) would then queue a task to index a "reference" to the case.
    wagtail_reference_index_ignore = True

    # PROTECT: a gift is an accounting record. It outlives the story: when consent is
    # withdrawn the case page is unpublished and its history erased, the donation stays.
    case = models.ForeignKey(
        "sixdegree_cases.SurvivorCasePage",
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("case"),
    )
    # Shown in the public supporters list only when `anonymous` is off, exactly as kept: the
    # donor's first name or initials, as they chose (see names.py).
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    # The donor chose to show their country beside their name.
    show_country = models.BooleanField(_("show country"), default=False)
    # Set by finance (permission "hide_donor_name"): the gift stays, its name leaves the site.
    name_hidden = models.BooleanField(_("name hidden by finance"), default=False)
    anonymous = models.BooleanField(
        _("give anonymously"), default=True, help_text=_("Never show my name on the site.")
    )
    # The donor asked to hear what happened next (updates on this case by e-mail): off unless
    # they tick the box on the donate form; the unsubscribe link in each update turns it off.
    hear_back = models.BooleanField(_("hear what happened next"), default=False)
    # A registered donor's account, if any (registered later with the same confirmed e-mail,
    # or signed in when giving). Deleting the account keeps the gift, anonymised.
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="donations",
        verbose_name=_("donor account"),
    )
    # What this gift currently adds to the case's totals: written only under the row lock, so
    # however often a provider repeats itself, the gift is counted once.
    counted_amount = models.DecimalField(_("counted"), max_digits=9, decimal_places=2, default=ZERO)
    # Cumulative amount refunded (Stripe reports the running total, so repeats are harmless).
    refunded_amount = models.DecimalField(_("refunded"), max_digits=9, decimal_places=2, default=ZERO)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The part of this gift that arrived after the case had reached its target (a gift in
    # flight when the form closed), less its own refunds: kept, told to the donor as the surplus
    # policy says, and the most it can ever be said to bring past the goal. What it brings past
    # it now (after other gifts' refunds or a raised target) is `surplus`, worked out when read.
    surplus_amount = models.DecimalField(_("above the target"), max_digits=9, decimal_places=2, default=ZERO)
    # Set, under the lock, when the gift is counted: it owes one receipt (receipts.py).
    receipted_at = models.DateTimeField(_("receipt owed since"), null=True, blank=True)
    # A sweep took the receipt to send it: other sweeps leave it alone (for a lease).
    receipt_claimed_at = models.DateTimeField(_("receipt claimed at"), null=True, blank=True)
    # The receipt left (or there was no address to send it to): never sent again.
    receipt_sent_at = models.DateTimeField(_("receipt sent at"), null=True, blank=True)
    # Where a headless front-end wants the donor back (an allow-listed origin + path); empty:
    # this site's own thank-you and failure pages.
    success_url = models.URLField(_("success URL"), max_length=500, blank=True)
    failure_url = models.URLField(_("failure URL"), max_length=500, blank=True)

    objects = DonationManager()

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-created", "-pk"]
        permissions = [("hide_donor_name", _("Can hide a donor's public name"))]
        indexes = [
            models.Index(fields=["case", "status"], name="donation_case_status"),
            models.Index(fields=["created"], name="donation_created"),
            # Every provider callback finds its donation by token (django-payments does not
            # index it): without this, each callback scans every gift ever made.
            models.Index(fields=["token"], name="donation_token"),
            # The public supporters list reads the newest named gifts: without this index it
            # scans every confirmed gift of the case (25 ms at 100,000 gifts, on every render).
            models.Index(
                fields=["case", "-confirmed_at", "-id"],
                condition=models.Q(status="confirmed", anonymous=False),
                name="donation_named_supporters",
            ),
            # Gifts that went past their case's goal (a handful per case): what a gift's share
            # and the public "above the goal" figure sum (surplus.py). Without it each read
            # scans every confirmed gift of the case (96 ms at 100,000 gifts; 1.2 ms with it).
            models.Index(
                fields=["case", "-confirmed_at", "-id"],
                condition=models.Q(status="confirmed", surplus_amount__gt=0),
                name="donation_surplus_claims",
            ),
            # Receipts owed and not sent yet (a handful at any time): what the sweep reads.
            models.Index(
                fields=["receipted_at"],
                condition=models.Q(receipted_at__isnull=False, receipt_sent_at__isnull=True),
                name="donation_receipts_owed",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gt=0), name="donation_total_positive"),
            models.CheckConstraint(
                condition=models.Q(counted_amount__gte=0), name="donation_counted_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.total:.2f} {self.currency} → {self.case_id} ({self.status})"

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            # Fields left unloaded (`loading_for_callback`) are not written either, as Django's
            # own `save()` does: reading them to write them back would cost a query each.
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in LOCKED_FIELDS and field.attname not in deferred
            ]
        return super().save(*args, **kwargs)

    def change_status(self, status, message=""):
        """Move to `status` if the rules allow it, and update the case's totals in the same
        transaction, under row locks. Returns whether the status changed. See
        `totals.record_status`.

        Reached through the app's config, which imports the totals (they read and lock this
        model's rows), so that this module imports nothing above it."""
        return apps.get_app_config(self._meta.app_label).record_status(self, status, message)

    # --- What providers ask for ---------------------------------------------------------

    def get_purchased_items(self):
        yield PurchasedItem(
            name=str(_("Gift to a Sixdegree case")),
            quantity=1,
            price=self.total,
            currency=self.currency,
            sku=f"case-{self.case_id}",
        )

    def _site_url(self, name):
        return urljoin(get_base_url(), reverse(name, kwargs={"token": self.token}))

    def get_success_url(self):
        return self.success_url or self._site_url("sixdegree_donations:thanks")

    def get_failure_url(self):
        return self.failure_url or self._site_url("sixdegree_donations:failed")

    # --- Reading --------------------------------------------------------------------------

    @property
    def is_confirmed(self):
        return self.status == PaymentStatus.CONFIRMED

    @property
    def is_open(self):
        """Still waiting for the donor to pay."""
        return self.status in (PaymentStatus.WAITING, PaymentStatus.INPUT)

    @property
    def case_pseudonym(self):
        return self.case.pseudonym

    @property
    def public_name(self):
        """The name the public may see: the donor's chosen name (and country, if they chose to
        show it); empty when anonymous, hidden by finance, or not plain text."""
        from .names import is_public_name

        name = " ".join(self.display_name.split())
        if self.anonymous or self.name_hidden or not is_public_name(name):
            return ""
        country = countries.name(self.billing_country_code) if self.billing_country_code else ""
        return f"{name}, {country}" if self.show_country and country else name


class CaseFunding(models.Model):
    """A case's totals from confirmed donations, kept in step with every status change.

    Written only by `totals.record_status` (row-locked, in the status change's transaction),
    so a page view never sums donations and concurrent confirmations never lose an update.
    """

    case = models.OneToOneField(
        "sixdegree_cases.SurvivorCasePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="funding",
        verbose_name=_("case"),
    )
    raised = models.DecimalField(_("raised"), max_digits=12, decimal_places=2, default=ZERO)
    donors = models.PositiveIntegerField(_("donors"), default=0)
    # When the confirming donation took raised to the target; cleared if refunds undo it.
    fully_funded_at = models.DateTimeField(_("fully funded at"), null=True, blank=True)
    # Days from the case's launch to that confirmation.
    funded_in_days = models.PositiveIntegerField(_("funded in days"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case funding")
        verbose_name_plural = _("case funding")

    def __str__(self):
        return f"{self.case_id}: {self.raised}"

    @property
    def target(self):
        return self.case.funding_target

    @property
    def currency(self):
        return self.case.currency

    @property
    def surplus(self):
        """What concurrent confirmations raised beyond the target: kept, shown to finance."""
        return max(ZERO, self.raised - self.case.funding_target)


class ProviderEvent(models.Model):
    """A provider event already processed, by its id: a repeated delivery changes nothing.

    Holds no payload: events carry the donor's e-mail and card details.
    """

    variant = models.CharField(max_length=255)
    event_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=100, blank=True)
    donation = models.ForeignKey(Donation, on_delete=models.CASCADE, related_name="provider_events")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("provider event")
        constraints = [
            models.UniqueConstraint(fields=["variant", "event_id"], name="provider_event_unique"),
        ]

    def __str__(self):
        return f"{self.variant} {self.event_id}"


AMOUNT_PLACEHOLDER = "{amount}"
DEFAULT_SURPLUS_MESSAGE = "{amount} above the goal goes to the next survivor's case."


def validate_surplus_message(value):
    if value.count(AMOUNT_PLACEHOLDER) != 1:
        raise ValidationError(
            _("Write {amount} exactly once, where the amount above the goal goes (e.g. “USD 200”)."),
            code="amount_placeholder",
        )


@register_setting(icon="pick")
class DonationPolicy(BaseSiteSetting):
    """What the site tells donors about money that arrives after a case reached its target.

    Gifts already on their way when the donate form closes are kept (the money arrived); the
    case page, the thank-you page and the receipt say where that surplus goes.
    """

    surplus_message = models.CharField(
        _("surplus policy"),
        max_length=300,
        default=DEFAULT_SURPLUS_MESSAGE,
        validators=[validate_surplus_message],
        help_text=_(
            "Shown publicly when gifts take a case past its target, and on those donors' "
            "thank-you page and receipt. {amount} becomes the amount, e.g. “1,700.00 USD”."
        ),
    )

    panels = [FieldPanel("surplus_message")]

    class Meta:
        verbose_name = _("donation policy")

    def surplus_text(self, amount, currency):
        """The policy for `amount` above the goal; the default if the stored text lost its
        placeholder (edited in the database, not the admin)."""
        message = self.surplus_message if self.surplus_message.count(AMOUNT_PLACEHOLDER) == 1 else ""
        return (message or DEFAULT_SURPLUS_MESSAGE).replace(AMOUNT_PLACEHOLDER, money(amount, currency))


class DonorAccount(models.Model):
    """A donor's own account: e-mail and password, confirmed by e-mail before it can sign in.

    Separate from staff accounts: the donor pages (and "delete my account") only ever act on
    users that have one of these, never on an editor or a reviewer.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="donor_account"
    )
    created = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("donor account")
        verbose_name_plural = _("donor accounts")

    def __str__(self):
        return f"donor account {self.pk}"


class UpdateDelivery(models.Model):
    """One case update e-mailed to one donor address: at most one row, so at most one e-mail.

    The address is kept only as a keyed digest (`update_mail.address_digest`): the row says
    whether this update reached this donor, not who the donor is. Rows are inserted with
    INSERT … ON CONFLICT DO NOTHING and claimed under a row lock, so a task that runs twice
    (or two workers at once) sends each e-mail once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (will be retried)")
        SKIPPED = "skipped", _("Skipped (unsubscribed)")

    update = models.ForeignKey(
        "sixdegree_cases.CaseUpdate",
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("update"),
    )
    address_digest = models.CharField(_("address digest"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("update delivery")
        verbose_name_plural = _("update deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["update", "address_digest"], name="update_delivery_once_per_donor"
            ),
        ]

    def __str__(self):
        return f"update {self.update_id}: {self.status}"
