"""Template tags for donation UI: a case's progress, its donate form and its named supporters."""

from django import template

from ...caching.templatetags.sixdegree_page_cache import csrf_token_for_sessions
from ..closing import closed_message
from ..forms import DonationForm
from ..progress import gift_surplus as surplus_of_gift
from ..progress import money, progress_for, public_supporters

register = template.Library()

# The donate form sits on cached case pages: a CSRF token only for requests with a session
# (see sixdegree_cases.caching.csrf); the donate view checks the others' origin instead.
register.simple_tag(takes_context=True, name="donation_csrf_input")(csrf_token_for_sessions)


@register.simple_tag
def case_progress(case):
    """The case's public `FundingProgress` (aggregates only)."""
    return progress_for(case)


@register.simple_tag
def donations_open(case):
    """Whether the case page shows a donate form: a live case that still needs money, at
    "fundraising" (`closing.closed_message`)."""
    return bool(case.pk and case.live and not closed_message(case))


@register.simple_tag
def donations_closed_message(case):
    """Why the case takes no gift now ("" while it takes them)."""
    return closed_message(case) if case.pk else ""


@register.simple_tag
def donation_form(case):
    """An empty donate form for a live case that still needs money, else None."""
    if not donations_open(case):
        return None
    progress = progress_for(case)
    return DonationForm(case=case, progress=progress)


@register.simple_tag
def case_supporters(case):
    """Display names of donors who chose to be named; never anyone who gave anonymously."""
    return public_supporters(case)


@register.filter
def donation_money(amount, currency):
    """An amount with its currency code: "1,500.00 USD"."""
    if amount is None or amount == "":
        return ""
    return money(amount, currency)


@register.simple_tag
def surplus_note(case, amount, currency):
    """The site's surplus policy for `amount` past the case's goal, or "" (see `surplus`)."""
    from ..surplus import surplus_note as note

    return note(case, amount, currency)


@register.simple_tag
def gift_surplus(donation):
    """The part of `donation` past its case's goal now (`progress.gift_surplus`)."""
    return surplus_of_gift(donation)
