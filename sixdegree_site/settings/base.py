"""Settings shared by every environment of the Sixdegree site.

`dev`, `test` and `production` import this module and change a few lines.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


INSTALLED_APPS = [
    "home",
    "search",
    "sixdegree_cases",
    "sixdegree_cases.images",
    "wagtailgeowidget",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "rest_framework",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "sixdegree_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "sixdegree_site.wsgi.application"

# SQLite by default so `make run` needs no server; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# static/ holds the site's own assets and static/vendor/, which `make assets` fills from npm.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATIC_URL = "/static/"

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]

# --- Wagtail -----------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Sixdegree"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf"]
# Every image is re-encoded from its pixels and stored under a random name (no EXIF/GPS).
WAGTAILIMAGES_IMAGE_MODEL = "sixdegree_images.CaseImage"
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
# An edit made while a case is in review must be reviewed again: never published unreviewed.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Gravatar would send a hash of every staff e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The admin's update check asks releases.wagtail.org from every superuser's browser.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 50

# --- wagtailgeowidget: nothing may leave the site -------------------------------------

# The editor's map starts over South-East Asia rather than wagtailgeowidget's Stockholm.
GEO_WIDGET_DEFAULT_LOCATION = {"lat": 5.0, "lng": 110.0}
GEO_WIDGET_ZOOM = 4
# Belt and braces: our widget passes its own tile URL, but no default may point at OpenStreetMap.
GEO_WIDGET_LEAFLET_TILE_LAYER = ""
GEO_WIDGET_LEAFLET_TILE_LAYER_OPTIONS = {"attribution": ""}

# --- Sixdegree -------------------------------------------------------------------------

# Locations snap to the nearest place with at least this many people (see sixdegree_cases.conf).
SIXDEGREE_MIN_PLACE_POPULATION = int(os.environ.get("SIXDEGREE_MIN_PLACE_POPULATION", "50000"))
# Empty: draw the basemap from the site's own Natural Earth shapes. A deployment that runs
# its own tile server may set e.g. "https://tiles.example.org/{z}/{x}/{y}.png".
SIXDEGREE_TILE_URL = os.environ.get("SIXDEGREE_TILE_URL", "")
SIXDEGREE_TILE_ATTRIBUTION = os.environ.get("SIXDEGREE_TILE_ATTRIBUTION", "")


def require_secret_key():
    """Refuse to start without a secret key outside development."""
    if not SECRET_KEY:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY.")
