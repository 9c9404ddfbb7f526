"""Money past a case's target, said honestly: the site's surplus policy with the amount in it.

The donate form closes when a case reaches its target, but gifts already on their way (a donor
at the provider's page, a late confirmation) are kept: the money arrived. The case page, the
donor's thank-you page and the receipt then say how much went past the goal and where it goes,
in the words of the `DonationPolicy` site setting that staff edit.
"""

from wagtail.models import Site

from .models import ZERO, DonationPolicy


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
