"""Settings for the test suite: PostgreSQL, fast hashing, local-memory cache."""

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "sixdegree-test-suite"  # noqa: S105
ALLOWED_HOSTS = ["*"]

# The suite runs on PostgreSQL (row locks and concurrency behave as in production).
DATABASES = {
    "default": dj_database_url.parse(
        env.str("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/sixdegree")
    )
}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "build" / "test-media"
WAGTAILADMIN_BASE_URL = "http://testserver"
# No full-page cache: tests render what they just saved. tests/performance turns it on.
SIXDEGREE_PAGE_CACHE = None
# django-axes needs the request in authenticate(); the test client's login() passes none.
# tests/performance/test_lockout.py turns it on.
AXES_ENABLED = False
