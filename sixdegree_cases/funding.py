"""Funding: what a case officer determined the survivor needs, broken down into costs."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Active ISO 4217 currency codes (funds, precious metals and testing codes left out).
ISO_4217 = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
    KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
    MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
    SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
    UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWG
    """.split()
)

CENT = Decimal("0.01")


def validate_currency(value):
    """Accept only an active ISO 4217 code such as USD, THB or IDR."""
    if value not in ISO_4217:
        raise ValidationError(
            _("“%(value)s” is not an ISO 4217 currency code (for example USD, THB, IDR)."),
            params={"value": value},
            code="currency",
        )


def positive_amount_validators():
    return [MinValueValidator(CENT, message=_("Amounts must be positive."))]


class FundingCategory(models.TextChoices):
    PSYCHOLOGICAL_SUPPORT = "psychological_support", _("Psychological support")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    TRAFFICKING_RESILIENCE = "trafficking_resilience", _("Trafficking resilience")
    BASIC_NECESSITIES = "basic_necessities", _("Clothes and basic necessities")
    MEDICAL_CARE = "medical_care", _("Medical care")
    LEGAL_AID = "legal_aid", _("Legal aid")
    SHELTER = "shelter", _("Shelter")
    EDUCATION = "education", _("Education")
    TOOLS_AND_EQUIPMENT = "tools_and_equipment", _("Tools and equipment")
    OTHER = "other", _("Other")


def funding_mismatch(target, amounts):
    """Return a message when the item amounts do not add up to the target, else None."""
    amounts = [a for a in amounts if a is not None]
    if target is None:
        return None
    if not amounts:
        return _("Break the target down into at least one funding item.")
    total = sum(amounts, Decimal("0"))
    if total != target:
        return _(
            "The funding items add up to %(total)s but the target is %(target)s: "
            "they must be equal (difference %(difference)s)."
        ) % {"total": f"{total:,.2f}", "target": f"{target:,.2f}", "difference": f"{target - total:+,.2f}"}
    return None
