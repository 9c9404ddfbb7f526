"""System checks: the payment settings a deployment needs."""

from django.conf import settings
from django.core import checks

from ..conf import get_setting


@checks.register(checks.Tags.security, deploy=True)
def dummy_provider_in_production(app_configs, **kwargs):
    """The dummy provider (or a subclass) confirms payments on any request: never with DEBUG
    off, unless SIXDEGREE_PAYMENTS_TEST_MODE says this server takes no real money."""
    from .giving import test_mode_active

    if settings.DEBUG or get_setting("SIXDEGREE_PAYMENTS_TEST_MODE") or not test_mode_active():
        return []
    return [
        checks.Error(
            "The dummy payment provider is configured and DEBUG is off.",
            hint="Configure Stripe (SIXDEGREE_PAYMENT_PROVIDER=stripe), or set "
            "SIXDEGREE_PAYMENTS_TEST_MODE=1 on a server that takes no real money.",
            id="sixdegree_donations.E001",
        )
    ]


@checks.register()
def payment_model_is_donation(app_configs, **kwargs):
    if getattr(settings, "PAYMENT_MODEL", "") != "sixdegree_donations.Donation":
        return [
            checks.Error(
                'PAYMENT_MODEL must be "sixdegree_donations.Donation".',
                id="sixdegree_donations.E002",
            )
        ]
    return []
