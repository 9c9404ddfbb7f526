"""Production settings refuse the dummy provider unless test mode is explicit; Stripe needs keys."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE_ENV = {
    "DJANGO_SETTINGS_MODULE": "sixdegree_site.settings.production",
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "sixdegree.example",
    # Production insists on PostgreSQL; nothing connects while the settings load.
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/sixdegree",
    "PATH": os.environ.get("PATH", ""),
}


def load_settings(**env):
    """Import the settings in a fresh interpreter; return (exit code, stderr)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SIXDEGREE_", "STRIPE_", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env={**clean, **BASE_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def test_production_refuses_the_dummy_provider():
    code, output = load_settings()
    assert code != 0
    assert "dummy payment provider" in output


def test_production_refuses_the_dummy_provider_even_with_debug_env():
    code, _output = load_settings(DJANGO_DEBUG="1")
    assert code != 0


def test_explicit_test_mode_allows_the_dummy_provider():
    code, output = load_settings(SIXDEGREE_PAYMENTS_TEST_MODE="1")
    assert code == 0, output
    assert "started" in output


def test_stripe_without_keys_is_refused():
    code, output = load_settings(SIXDEGREE_PAYMENT_PROVIDER="stripe")
    assert code != 0
    assert "STRIPE_SECRET_KEY" in output


def test_stripe_with_keys_starts():
    code, output = load_settings(
        SIXDEGREE_PAYMENT_PROVIDER="stripe", STRIPE_SECRET_KEY="sk_test_x", STRIPE_WEBHOOK_SECRET="whsec_x"
    )
    assert code == 0, output


def _dummy_provider_errors():
    from django.core import checks

    return [
        e for e in checks.run_checks(include_deployment_checks=True) if e.id == "sixdegree_donations.E001"
    ]


@pytest.mark.django_db
def test_the_deploy_check_flags_the_dummy_provider(settings):
    settings.DEBUG = False
    settings.SIXDEGREE_PAYMENTS_TEST_MODE = False
    assert _dummy_provider_errors()


@pytest.mark.django_db
def test_test_mode_is_an_error_under_the_deploy_check(settings):
    """Test mode lets a test server start; it never makes the dummy provider fit to deploy."""
    settings.DEBUG = False
    settings.SIXDEGREE_PAYMENTS_TEST_MODE = True
    errors = _dummy_provider_errors()
    assert errors
    assert errors[0].level == 40
    assert "SIXDEGREE_PAYMENTS_TEST_MODE is on" in errors[0].hint


def test_production_logs_keep_stripe_pythons_request_data_and_error_text_out():
    """stripe-python logs the form data it sends (the donor's e-mail) at DEBUG and Stripe's
    error text at INFO: with production logging at its most verbose, neither is written."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SIXDEGREE_", "STRIPE_", "DJANGO_"))}
    code = (
        "import django, logging; django.setup();"
        "logging.getLogger('stripe').debug('post_data=customer_email=a%40example.org');"
        "logging.getLogger('stripe').info(\"error_message='Invalid email address: a@example.org'\");"
        "logging.getLogger('stripe').warning('stripe warning kept');"
        "logging.getLogger('sixdegree_cases').debug('own debug kept')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **BASE_ENV, "SIXDEGREE_PAYMENTS_TEST_MODE": "1", "DJANGO_LOG_LEVEL": "DEBUG"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "stripe warning kept" in output
    assert "own debug kept" in output
    assert "example.org" not in output
