"""`manage.py check --deploy --fail-level WARNING` is clean under the production settings.

Run in a subprocess: the production settings module reads its environment at import time.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def production_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SIXDEGREE_", "STRIPE_", "REDIS_", "AWS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="sixdegree_site.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="sixdegree.example",
        WAGTAILADMIN_BASE_URL="https://sixdegree.example",
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sixdegree"),
        REDIS_URL="redis://127.0.0.1:6379/0",
        SIXDEGREE_PAYMENT_PROVIDER="stripe",
        STRIPE_SECRET_KEY="sk_test_deploy_check",
        STRIPE_WEBHOOK_SECRET="whsec_deploy_check",
    )
    env.update(overrides)
    return env


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_is_clean_with_object_storage_and_a_cdn():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SIXDEGREE_MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="sixdegree-media",
        AWS_S3_ENDPOINT_URL="https://objects.example",
        SIXDEGREE_FRONTEND_CACHE="http",
        SIXDEGREE_FRONTEND_CACHE_LOCATION="http://127.0.0.1:6081",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS"),
        ({"DATABASE_URL": "sqlite:///db.sqlite3"}, "PostgreSQL"),
        ({"SIXDEGREE_MEDIA_STORAGE": "s3"}, "AWS_STORAGE_BUCKET_NAME"),
        ({"SIXDEGREE_PAYMENT_PROVIDER": "dummy"}, "dummy payment provider"),
    ],
)
def test_production_refuses_to_start_misconfigured(env, message):
    result = manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_use_the_production_stack():
    code = (
        "from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND']);"
        "print(s.SIXDEGREE_PAGE_CACHE['BACKEND']);"
        "print(s.STORAGES['staticfiles']['BACKEND']);"
        "print(s.TASKS['default']['BACKEND']);"
        "print(s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS']);"
        "print(s.MIDDLEWARE[0], s.MIDDLEWARE[1]);"
        "print(s.LOGGING['formatters']['json']['()'])"
    )
    result = manage("shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:7] == [
        "sixdegree_cases.caching.django_cache.ResilientRedisCache",
        "sixdegree_cases.caching.backends.RedisPageCache",
        "sixdegree_site.storage.StaticFilesStorage",
        "django_tasks_db.DatabaseBackend",
        "600 True",
        "sixdegree_cases.addresses.UntrustedProxyHeadersMiddleware"
        " sixdegree_cases.caching.middleware.PageCacheMiddleware",
        "sixdegree_site.logs.JsonFormatter",
    ]
