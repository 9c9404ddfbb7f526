"""Local development: `make run`. Never used in production."""

from .base import *  # noqa: F403

DEBUG = True
# A development-only key; production refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = SECRET_KEY or "django-insecure-sixdegree-local-development-only"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
