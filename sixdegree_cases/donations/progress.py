"""A case's public funding figures: aggregates only, read from `CaseFunding` (never summed)."""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import cached_property

from django.db.models import Q
from django.utils.translation import gettext, ngettext
from payments import PaymentStatus

from ..compat import cached_related
from .amounts import money as money  # re-exported: templatetags and forms read it here
from .models import ZERO, CaseFunding, Donation
from .surplus import newer_than, past_the_target, told_surplus

FUNDING = "funding"
FULLY_FUNDED = "fully_funded"


@dataclass(frozen=True)
class FundingProgress:
    """What anyone may see of a case's funding: no donor appears in it."""

    raised: Decimal
    target: Decimal
    currency: str
    donors: int
    funded_in_days: int | None
    case_id: int | None = None

    @property
    def fully_funded(self):
        return self.target > 0 and self.raised >= self.target

    @property
    def status(self):
        return FULLY_FUNDED if self.fully_funded else FUNDING

    @cached_property
    def surplus(self):
        """What gifts in flight when the form closed brought past the target: kept, and said.

        The sum of what the confirmed gifts' donors were told (`Donation.surplus_amount`), never
        raised − target: an editor lowering the target after the gifts must not turn money given
        towards her goal into a public surplus. Never more than the case holds past its target
        either: the same figure as the sum of the gifts' own shares (`gift_surplus`).
        Queries only when the case is past its target.
        """
        past = past_the_target(self.raised, self.target)
        if not past or self.case_id is None:
            return ZERO
        return min(past, told_surplus(self.case_id))

    @property
    def remaining(self):
        return max(ZERO, self.target - self.raised)

    @property
    def percent(self):
        """Whole percent, rounded down (99.9 % is not "100 %"), at most 100."""
        if not self.target:
            return 0
        value = (self.raised * 100 / self.target).to_integral_value(rounding=ROUND_FLOOR)
        return int(min(Decimal(100), value))

    @property
    def headline(self):
        """ "Fully funded in 15 days by 13 donors" (or "… by 13 donors" without a launch date)."""
        if not self.fully_funded:
            return ""
        donors = ngettext("%(donors)s donor", "%(donors)s donors", self.donors) % {"donors": self.donors}
        if self.funded_in_days is None:
            return gettext("Fully funded by %(donors)s") % {"donors": donors}
        if self.funded_in_days == 0:
            return gettext("Fully funded on launch day by %(donors)s") % {"donors": donors}
        days = ngettext("%(days)s day", "%(days)s days", self.funded_in_days) % {"days": self.funded_in_days}
        return gettext("Fully funded in %(days)s by %(donors)s") % {"days": days, "donors": donors}

    def as_api(self):
        """The API v2 fields of a case's progress."""
        return {
            "raised": f"{self.raised:.2f}",
            "target": f"{self.target:.2f}",
            "percent": self.percent,
            "donors": self.donors,
            "status": self.status,
            "funded_in_days": self.funded_in_days if self.fully_funded else None,
        }


def progress_for(case):
    """The case's `FundingProgress`, cached on the instance for the rest of the request."""
    cached = case.__dict__.get("_funding_progress")
    if cached is not None:
        return cached
    relation = getattr(type(case), "funding", None)
    if case.pk and relation is not None and relation.is_cached(case):
        # Loaded with the case (select_related, prefetch_cases): no query per case in lists.
        funding = cached_related(case, "funding")
    else:
        funding = CaseFunding.objects.filter(case_id=case.pk).first() if case.pk else None
    progress = FundingProgress(
        raised=funding.raised if funding else ZERO,
        target=case.funding_target or ZERO,
        currency=case.currency,
        donors=funding.donors if funding else 0,
        funded_in_days=funding.funded_in_days if funding else None,
        case_id=case.pk,
    )
    case.__dict__["_funding_progress"] = progress
    return progress


def public_supporters(case, limit=100):
    """Public names of confirmed donors who chose to be named, newest first (see
    `Donation.public_name`: names finance hid, or that are not plain text, are left out)."""
    if not case.pk:
        return []
    gifts = (
        Donation.objects.filter(
            case_id=case.pk, status=PaymentStatus.CONFIRMED, anonymous=False, name_hidden=False
        )
        .exclude(display_name="")
        .order_by("-confirmed_at", "-pk")
        .only("display_name", "anonymous", "name_hidden", "show_country", "billing_country_code")[:limit]
    )
    return [gift.public_name for gift in gifts if gift.public_name]


def gift_surplus(donation):
    """What of this gift is past its case's goal now, per the rule above: at most what its donor
    was told (`surplus_amount`), nothing once the case is back under its target.

    Costs nothing for a gift that never went past the goal (nearly all of them); otherwise the
    case's totals (cached per request by `progress_for`) and one sum of newer gifts' claims.
    """
    told = donation.surplus_amount or ZERO
    if donation.status != PaymentStatus.CONFIRMED or told <= ZERO:
        return ZERO
    progress = progress_for(donation.case)
    past = past_the_target(progress.raised, progress.target)
    if past <= ZERO:
        return ZERO
    claimed = told_surplus(donation.case_id, among=newer_than(donation) & ~Q(pk=donation.pk))
    return max(ZERO, min(told, past - claimed))
