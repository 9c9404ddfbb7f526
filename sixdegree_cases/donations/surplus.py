"""Money past a case's target, said honestly: the site's surplus policy with the amount in it.

The donate form closes when a case reaches its target, but gifts already on their way (a donor
at the provider's page, a late confirmation) are kept: the money arrived. The case page, the
donor's thank-you page and the receipt then say how much went past the goal and where it goes,
in the words of the `DonationPolicy` site setting that staff edit.

The rule, for every reader (thank-you page, receipt, giving API, public "above the goal"):

- A gift's `surplus_amount` is what it brought past the target when it was confirmed, less its
  own refunds: what its donor was told, and the most it may ever be said to bring past the goal.
  Only the gift's own row holds it (written by `totals` under that row's lock).
- What a gift brings past the goal *now* is worked out when read, from the case's confirmed
  total and target (`progress.gift_surplus`): the case's surplus (raised − target, never more than its
  gifts were told) is shared out newest confirmation first, each gift up to its own
  `surplus_amount`. So a refund of any gift, or a raised target, takes back the oldest claims
  first (the newest gifts are the ones that went past the goal), the shares always add up to
  the case's public surplus, and no refund has to write, or lock, any other gift's row.
- Lowering the target never makes a surplus nobody was told of: each share is capped by its
  gift's `surplus_amount`.
"""

from django.db.models import Q, Sum
from payments import PaymentStatus
from wagtail.models import Site

from .models import ZERO, Donation, DonationPolicy


def policy_for(case):
    """The `DonationPolicy` of the site the case belongs to (the default site otherwise)."""
    site = case.get_site() if case is not None and case.pk else None
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return DonationPolicy()
    return DonationPolicy.for_site(site)


def surplus_note(case, amount, currency):
    """ "1,700.00 USD above the goal goes to the next survivor's case." — or "" when nothing
    went past the goal. Reads the policy only then, so ordinary pages pay no query for it."""
    if not amount or amount <= ZERO:
        return ""
    return policy_for(case).surplus_text(amount, currency)


def past_the_target(raised, target):
    """What a case holds past its target (nothing for a case without one)."""
    if not target or target <= ZERO:
        return ZERO
    return max(ZERO, raised - target)


def told_surplus(case_id, among=None):
    """The sum of what the case's confirmed gifts' donors were told went past the goal (of the
    gifts `among` selects, a `Q`, if given)."""
    gifts = Donation.objects.filter(case_id=case_id, status=PaymentStatus.CONFIRMED, surplus_amount__gt=0)
    if among is not None:
        gifts = gifts.filter(among)
    return gifts.aggregate(told=Sum("surplus_amount"))["told"] or ZERO


def newer_than(donation):
    """Gifts confirmed after `donation` (ties broken by id, as the confirmations were)."""
    if donation.confirmed_at is None:
        return Q(confirmed_at__isnull=False) | Q(pk__gt=donation.pk)
    return Q(confirmed_at__gt=donation.confirmed_at) | Q(
        confirmed_at=donation.confirmed_at, pk__gt=donation.pk
    )
