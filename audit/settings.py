"""`make audit`: the development settings served as production serves them (DEBUG off,
hashed and compressed static files from whitenoise), on a throwaway SQLite database.

Lighthouse judges what visitors get: a DEBUG runserver would be judged on unminified,
uncompressed, uncached files that no deployment serves.
"""

import os

from sixdegree_site.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "audit.urls"
# The dummy provider (no real money) with DEBUG off: the donate flow can be audited.
SIXDEGREE_PAYMENTS_TEST_MODE = True
MIDDLEWARE.insert(  # noqa: F405
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "sixdegree_site.storage.StaticFilesStorage"},
}
STATIC_ROOT = os.environ["STATIC_ROOT"]
MEDIA_ROOT = os.environ["MEDIA_ROOT"]
