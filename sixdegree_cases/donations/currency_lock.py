"""A case's currency is fixed once anyone gave to it.

Its totals add up its gifts' amounts as numbers: a case moved from USD to EUR after gifts would
add dollars to euros, and every figure on its page would be wrong. Changing the currency of a
case with any donation (even one still at the provider's page) is therefore refused on every
path: the page's `clean()` (the edit form, `save_revision()` and `save()`, which Wagtail cleans)
and the publishing guard (`refuse_to_go_live`, for a save that skips cleaning). The confirmation
path counts no gift whose currency differs from its case's (see `totals`).
"""

from django.utils.translation import gettext as _

from .models import Donation


def currency_change_refusal(case):
    """The reason `case` may not be stored with its current currency, or "" if it may."""
    if not case.pk or not case.currency:
        return ""
    stored = type(case).objects.filter(pk=case.pk).values_list("currency", flat=True).first()
    if stored is None or stored == case.currency:
        return ""
    if not Donation.objects.filter(case_id=case.pk).exists():
        return ""
    return _(
        "The currency cannot change: this case already has donations in %(currency)s. "
        "Create a new case for another currency."
    ) % {"currency": stored}
