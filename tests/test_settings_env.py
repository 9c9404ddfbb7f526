"""Settings read from the environment by environs: typed, and a bad value names its variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
READ = (
    "from django.conf import settings; "
    "print(settings.SIXDEGREE_PROXY_COUNT, settings.SIXDEGREE_TRUSTED_PROXIES, "
    "settings.SIXDEGREE_PAYMENTS_TEST_MODE, "
    "settings.SIXDEGREE_DONATION_ALLOWED_ORIGINS, type(settings.MEDIA_ROOT).__name__)"
)


def settings_with(**variables):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SIXDEGREE_", "DJANGO_"))}
    env.update(DJANGO_SETTINGS_MODULE="sixdegree_site.settings.dev", **variables)
    done = subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    return done.returncode, done.stdout + done.stderr


def test_values_are_parsed_by_type():
    code, output = settings_with(
        SIXDEGREE_PROXY_COUNT="2",
        SIXDEGREE_TRUSTED_PROXIES=" 10.0.0.1 , 10.0.0.2,",
        SIXDEGREE_PAYMENTS_TEST_MODE="on",
        SIXDEGREE_DONATION_ALLOWED_ORIGINS="https://a.example/, https://b.example",
    )
    assert code == 0, output
    assert output.strip() == (
        "2 ['10.0.0.1', '10.0.0.2'] True ['https://a.example', 'https://b.example'] PosixPath"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("SIXDEGREE_PROXY_COUNT", "two"), ("SIXDEGREE_DONATION_RATE_LIMIT", "1e9x"), ("DJANGO_DEBUG", "maybe")],
)
def test_a_value_that_does_not_parse_stops_the_site_naming_the_variable(name, value):
    code, output = settings_with(**{name: value})
    assert code != 0
    assert f'Environment variable "{name}" invalid' in output


def test_a_secret_with_a_dollar_sign_is_kept_as_it_is():
    """django-environ would read "$HOME-x" as a reference to $HOME; environs does not expand."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sixdegree_site.settings.dev",
        "DJANGO_SECRET_KEY": "$HOME-x",
    }
    done = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "$HOME-x"
