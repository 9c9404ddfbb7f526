"""System checks: the payment settings a deployment needs."""

from django.conf import settings
from django.core import checks

from ..conf import get_setting


@checks.register(checks.Tags.security, deploy=True)
def dummy_provider_in_production(app_configs, **kwargs):
    """The dummy provider (or a subclass) confirms payments on any request: `check --deploy`
    refuses it, test mode included. SIXDEGREE_PAYMENTS_TEST_MODE lets a test server start;
    it never makes one fit to deploy."""
    from .giving import test_mode_active

    if settings.DEBUG or not test_mode_active():
        return []
    if get_setting("SIXDEGREE_PAYMENTS_TEST_MODE"):
        hint = (
            "SIXDEGREE_PAYMENTS_TEST_MODE is on: this server takes no real money and confirms "
            "any gift. Configure Stripe (SIXDEGREE_PAYMENT_PROVIDER=stripe) before deploying."
        )
    else:
        hint = (
            "Configure Stripe (SIXDEGREE_PAYMENT_PROVIDER=stripe), or set "
            "SIXDEGREE_PAYMENTS_TEST_MODE=1 on a test server that takes no real money."
        )
    return [
        checks.Error(
            "The dummy payment provider is configured and DEBUG is off.",
            hint=hint,
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


@checks.register()
def site_settings_installed(app_configs, **kwargs):
    """The surplus policy is a Wagtail site setting: without the app staff cannot edit it."""
    from django.apps import apps

    if not apps.is_installed("wagtail.contrib.settings"):
        return [
            checks.Error(
                '"wagtail.contrib.settings" must be in INSTALLED_APPS: the donation policy '
                "(what donors are told about money past a case's target) is a site setting.",
                id="sixdegree_donations.E003",
            )
        ]
    return []
