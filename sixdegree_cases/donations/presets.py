"""Preset gift amounts per currency: what a typical gift looks like where the donor lives.

Ten is a fair first gift in US dollars and a few cents in Thai baht: one list for every
currency made the presets meaningless outside the dollar and the euro.
"""

from decimal import Decimal, InvalidOperation

from django.core import checks

from ..conf import get_setting

# Round amounts of similar worth (about 10, 25, 50 and 100 US dollars), as donors in each
# country would type them. A deployment's SIXDEGREE_PRESET_AMOUNTS replaces these per currency.
DEFAULT_PRESET_AMOUNTS = {
    "USD": ["10", "25", "50", "100"],
    "EUR": ["10", "25", "50", "100"],
    "GBP": ["10", "20", "40", "80"],
    "CHF": ["10", "25", "50", "100"],
    "AUD": ["15", "40", "75", "150"],
    "CAD": ["15", "35", "70", "140"],
    "NZD": ["15", "40", "80", "160"],
    "SGD": ["15", "35", "70", "140"],
    "HKD": ["80", "200", "400", "800"],
    "JPY": ["1500", "4000", "8000", "15000"],
    "THB": ["300", "800", "1500", "3500"],
    "IDR": ["150000", "400000", "800000", "1500000"],
    "PHP": ["500", "1500", "3000", "5500"],
    "VND": ["250000", "600000", "1200000", "2500000"],
    "MYR": ["50", "100", "250", "500"],
    "KHR": ["40000", "100000", "200000", "400000"],
    "LAK": ["200000", "500000", "1000000", "2000000"],
    "MMK": ["20000", "50000", "100000", "200000"],
    "CNY": ["70", "180", "350", "700"],
    "INR": ["800", "2000", "4000", "8000"],
}


def preset_table():
    """The presets per currency: the defaults, with the deployment's setting over them."""
    table = dict(DEFAULT_PRESET_AMOUNTS)
    table.update(
        {code.upper(): values for code, values in (get_setting("SIXDEGREE_PRESET_AMOUNTS") or {}).items()}
    )
    return table


def presets_for(currency):
    """The preset amounts for `currency`, smallest first; none for a currency not listed.

    A currency without presets gets only "Other amount" (and what remains): guessing from
    another currency's figures would offer 10 of something worth a few cents.
    """
    values = preset_table().get((currency or "").upper(), [])
    return sorted(Decimal(str(value)).quantize(Decimal("0.01")) for value in values)


@checks.register()
def preset_amounts_are_valid(app_configs, **kwargs):
    """A typo in SIXDEGREE_PRESET_AMOUNTS is reported at start-up, not as a 500 on a case page."""
    errors = []
    setting = get_setting("SIXDEGREE_PRESET_AMOUNTS")
    if not isinstance(setting, dict):
        return [
            checks.Error(
                "SIXDEGREE_PRESET_AMOUNTS must be a dict of currency code to a list of amounts.",
                id="sixdegree_donations.E010",
            )
        ]
    for code, values in setting.items():
        try:
            amounts = [Decimal(str(value)) for value in values]
            ok = isinstance(values, list | tuple) and all(amount > 0 for amount in amounts)
        except (InvalidOperation, TypeError):
            ok = False
        if not (isinstance(code, str) and len(code) == 3 and code.isalpha()) or not ok:
            errors.append(
                checks.Error(
                    f"SIXDEGREE_PRESET_AMOUNTS[{code!r}] must be a list of positive amounts "
                    "under a three-letter currency code.",
                    id="sixdegree_donations.E010",
                )
            )
    return errors
