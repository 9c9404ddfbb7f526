"""How amounts read: a leaf module, so the models and the progress figures share one format."""

from django.utils.formats import number_format


def money(amount, currency):
    """An amount with its currency code, grouped per the active locale: "1,500.00 USD"."""
    return f"{number_format(amount, 2, force_grouping=True)}\N{NO-BREAK SPACE}{currency}"
