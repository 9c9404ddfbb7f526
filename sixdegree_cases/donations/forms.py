"""The donate form: shared by the case page, the standalone donate page and the JSON endpoint."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ..conf import get_setting
from ..widgets import LongSelect
from .names import FIRST_NAME, NAME_STYLES, PUBLIC_NAME_MAX_LENGTH, shown_as, validate_public_name
from .presets import presets_for
from .progress import money

AMOUNT_RE = re.compile(r"^\d+(?:\.\d+)?$")
OTHER = "other"
# Currencies without minor units (as Stripe counts them): whole amounts only.
ZERO_DECIMAL_CURRENCIES = frozenset("BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split())


def minimum_donation():
    return Decimal(str(get_setting("SIXDEGREE_MIN_DONATION")))


def effective_minimum(remaining):
    """The smallest gift accepted: the setting, or what remains when that is less."""
    return min(minimum_donation(), remaining)


def preset_amounts(remaining, currency):
    """The currency's preset amounts that fit in what remains, plus "what remains" when it is not one."""
    presets = presets_for(currency)
    fitting = [value for value in presets if effective_minimum(remaining) <= value <= remaining]
    if remaining > 0 and remaining not in fitting and (not presets or remaining < max(presets)):
        fitting.append(remaining)
    return fitting


def parse_amount(raw, currency):
    """Turn what the donor typed into an amount, or raise ValidationError with a clear message."""
    text = str(raw).strip().replace("\N{NO-BREAK SPACE}", "").replace(" ", "")
    if text.startswith("-"):
        raise forms.ValidationError(gettext("The amount must be more than zero."), code="not_positive")
    if not AMOUNT_RE.match(text):
        raise forms.ValidationError(
            gettext("Enter the amount as a number, for example 25 or 25.50."), code="not_a_number"
        )
    try:
        amount = Decimal(text)
    except InvalidOperation as error:
        raise forms.ValidationError(
            gettext("Enter the amount as a number, for example 25 or 25.50."), code="not_a_number"
        ) from error
    if amount <= 0:
        raise forms.ValidationError(gettext("The amount must be more than zero."), code="not_positive")
    places = 0 if currency in ZERO_DECIMAL_CURRENCIES else 2
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        if places == 0:
            raise forms.ValidationError(
                gettext("Amounts in %(currency)s are whole numbers.") % {"currency": currency},
                code="decimals",
            )
        raise forms.ValidationError(gettext("Use at most two decimal places."), code="decimals")
    if amount >= Decimal("10000000"):
        raise forms.ValidationError(gettext("That amount is too large."), code="too_large")
    return amount.quantize(Decimal("0.01"))


class DonationForm(forms.Form):
    """A gift to one case. `progress` (the case's `FundingProgress`) bounds the amount."""

    amount_choice = forms.ChoiceField(label=_("Amount"), required=False, widget=forms.RadioSelect, choices=[])
    amount = forms.CharField(
        label=_("Other amount"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    currency = forms.CharField(widget=forms.HiddenInput, max_length=3)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        # What a donation can store (BasePayment.billing_email): longer gets a message.
        max_length=254,
        help_text=_("For your receipt (and updates, if you ask for them). Never shown, never shared."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Off by default: a donor hears from us again only if they ask to (one e-mail per update).
    hear_back = forms.BooleanField(
        label=_("Tell me what happened next"),
        required=False,
        initial=False,
        help_text=_("A short e-mail when there is news, reviewed like the story. One click stops them."),
    )
    anonymous = forms.BooleanField(
        label=_("Give anonymously"),
        help_text=_("On by default: your name never appears on the site."),
        required=False,
        initial=True,
    )
    display_name = forms.CharField(
        label=_("Your name, to show among supporters"),
        help_text=_("Shown only if you untick “Give anonymously”, and only as you choose below."),
        required=False,
        max_length=PUBLIC_NAME_MAX_LENGTH,
        validators=[validate_public_name],
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    name_style = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=NAME_STYLES,
        initial=FIRST_NAME,
        widget=forms.RadioSelect,
    )
    show_country = forms.BooleanField(label=_("Show my country beside it"), required=False)
    country = forms.ChoiceField(
        label=_("Your country (optional)"),
        help_text=_("Used only for totals per country."),
        required=False,
        choices=[],
        # ~250 options: Django's per-option templates would cost a third of the case page.
        widget=LongSelect,
    )

    def __init__(self, *args, case, progress, **kwargs):
        # Labels read as headings of their fields ("Your e-mail address"), not "…address:".
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.case = case
        self.progress = progress
        self.presets = preset_amounts(progress.remaining, case.currency)
        self.fields["amount_choice"].choices = [
            (f"{value:.2f}", money(value, case.currency)) for value in self.presets
        ] + [(OTHER, gettext("Other"))]
        self.fields["country"].choices = [("", gettext("Prefer not to say"))] + list(countries)
        self.fields["currency"].initial = case.currency
        self.fields["amount"].help_text = gettext("Between %(min)s and %(max)s.") % {
            "min": money(effective_minimum(progress.remaining), case.currency),
            "max": money(progress.remaining, case.currency),
        }

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if currency != self.case.currency:
            raise forms.ValidationError(
                gettext("Donations to this case are in %(currency)s.") % {"currency": self.case.currency},
                code="currency",
            )
        return currency

    def clean_display_name(self):
        return " ".join(self.cleaned_data["display_name"].split())

    def clean(self):
        cleaned = super().clean()
        raw = (cleaned.get("amount") or "").strip()
        choice = cleaned.get("amount_choice") or ""
        if not raw and choice and choice != OTHER:
            raw = choice
        if not raw:
            self.add_error(
                "amount", forms.ValidationError(gettext("Choose or enter an amount."), code="required")
            )
            return cleaned
        currency = self.case.currency
        try:
            value = parse_amount(raw, currency)
        except forms.ValidationError as error:
            self.add_error("amount", error)
            return cleaned
        remaining = self.progress.remaining
        minimum = effective_minimum(remaining)
        if value < minimum:
            self.add_error(
                "amount",
                forms.ValidationError(
                    gettext("The smallest gift is %(min)s.") % {"min": money(minimum, currency)},
                    code="below_minimum",
                ),
            )
        elif value > remaining:
            self.add_error(
                "amount",
                forms.ValidationError(
                    gettext("Only %(remaining)s remains to be raised: please give at most that.")
                    % {"remaining": money(remaining, currency)},
                    code="above_remaining",
                ),
            )
        else:
            cleaned["value"] = value
        if cleaned.get("display_name") and cleaned.get("anonymous"):
            # Anonymous wins: the name is not kept at all rather than kept hidden.
            cleaned["display_name"] = ""
        elif cleaned.get("display_name"):
            # Only the form the donor chose is kept: initials never keep the name behind them.
            cleaned["display_name"] = shown_as(
                cleaned["display_name"], cleaned.get("name_style") or FIRST_NAME
            )
        if cleaned.get("anonymous") or not cleaned.get("country"):
            cleaned["show_country"] = False
        return cleaned
