"""Settings shared by every environment of the Sixdegree site.

`dev`, `test` and `production` import this module and change a few lines.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from environs import Env

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


# Settings from the environment, parsed by environs: a value that does not parse stops the site
# with the variable's name (EnvError). No ${VAR} expansion (a secret may contain "$"), and no
# .env file is read.
env = Env(expand_vars=False)


INSTALLED_APPS = [
    "home",
    "search",
    "sixdegree_cases",
    "sixdegree_cases.images",
    "sixdegree_cases.review",
    "sixdegree_cases.privacy",
    "sixdegree_cases.donations",
    "payments",
    "django_countries",
    "sixdegree_cases.caching",
    "wagtailgeowidget",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.settings",
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
    # Operations (see "Operations" below): tasks queue, security headers, login lock-out.
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "corsheaders",
    "django_permissions_policy",
]

MIDDLEWARE = [
    # Before anything reads the scheme, host or address: X-Forwarded-* headers count only
    # from SIXDEGREE_TRUSTED_PROXIES (a client could otherwise claim HTTPS or another address).
    "sixdegree_cases.addresses.UntrustedProxyHeadersMiddleware",
    # Then a cached anonymous page is answered before anything else runs; its stored
    # headers already hold what the middleware below added (security headers, CSP, Vary).
    "sixdegree_cases.caching.middleware.PageCacheMiddleware",
    # Every answer on an API path is JSON, errors included (sixdegree_cases.api.errors).
    "sixdegree_cases.api.errors.JSONErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # CORS headers for the giving API's listed front-ends only (sixdegree_cases.donations.origins).
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sixdegree_site.security.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lock-out response.
    "axes.middleware.AxesMiddleware",
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
                "sixdegree_cases.donations.context_processors.payments_test_mode",
            ],
        },
    },
]

WSGI_APPLICATION = "sixdegree_site.wsgi.application"

# SQLite by default so `make run` needs no server; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env.int("DATABASE_CONN_MAX_AGE", default=60),
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
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "static_collected")
STATIC_URL = "/static/"

MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# No uploaded file is kept past this many bytes, checked while it streams in (the image and
# document forms refuse smaller files over their own limits with a precise message).
SIXDEGREE_MAX_UPLOAD_SIZE = env.int("SIXDEGREE_MAX_UPLOAD_SIZE", default=32 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "sixdegree_site.uploads.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = [h.strip() for h in env.list("DJANGO_ALLOWED_HOSTS", default=[]) if h.strip()]

# --- Wagtail -----------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Sixdegree"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
# The same answer, after the same work, whether or not a staff account uses the address.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "sixdegree_site.staff_password_reset.StaffPasswordResetForm"  # noqa: S105 - a dotted path
# On PostgreSQL the index stems words in this text search configuration ("sew" finds
# "sewing"); without one PostgreSQL's default, often "simple", matches whole words only.
# After changing it, rebuild the index: `manage.py update_index`.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": env.str("SIXDEGREE_SEARCH_CONFIG", default="english"),
    }
}
WAGTAILDOCS_EXTENSIONS = ["pdf"]
# Wagtail sets no limit: a document over this size gets a message in the upload form.
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Every image is re-encoded from its pixels and stored under a random name (no EXIF/GPS).
WAGTAILIMAGES_IMAGE_MODEL = "sixdegree_images.CaseImage"
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
# Wagtail's default (128 MP) lets through images the re-encoding refuses (40 MP at most): the
# upload form must be the one to say so, beside the field.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Its image field checks that limit on the file's header, before Wagtail decodes the upload.
WAGTAILIMAGES_IMAGE_FORM_BASE = "sixdegree_cases.images.forms.CaseImageForm"
# An edit made while a case is in review must be reviewed again: never published unreviewed.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Approving a privacy review publishes exactly the approved revision (sixdegree_cases.review).
WAGTAIL_FINISH_WORKFLOW_ACTION = "sixdegree_cases.review.finish.publish_reviewed_workflow_state"
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
SIXDEGREE_MIN_PLACE_POPULATION = env.int("SIXDEGREE_MIN_PLACE_POPULATION", default=50000)
# A region or country marker is never this close (km) to a smaller place.
SIXDEGREE_PLACE_CLEARANCE_KM = env.float("SIXDEGREE_PLACE_CLEARANCE_KM", default=5)
# Empty: draw the basemap from the site's own Natural Earth shapes. A deployment that runs
# its own tile server may set e.g. "https://tiles.example.org/{z}/{x}/{y}.png".
SIXDEGREE_TILE_URL = env.str("SIXDEGREE_TILE_URL", default="")
SIXDEGREE_TILE_ATTRIBUTION = env.str("SIXDEGREE_TILE_ATTRIBUTION", default="")
# The automated privacy checks run on every case revision submitted for review, by dotted path
# (as django-payments lists PAYMENT_VARIANTS): a deployment may add its own PrivacyCheck here.
SIXDEGREE_PRIVACY_CHECKS = [
    "sixdegree_cases.privacy.checks.terms.SensitiveTermsCheck",
    "sixdegree_cases.privacy.checks.contacts.ContactDetailsCheck",
    "sixdegree_cases.privacy.checks.images.ImagesCheck",
    "sixdegree_cases.privacy.checks.locations.LocationsCheck",
    "sixdegree_cases.privacy.checks.consent.ConsentCheck",
    "sixdegree_cases.privacy.checks.funding.FundingCheck",
]

# --- Operations: page cache, background tasks, security headers, login lock-out ---------

# Anonymous case, index and home pages are served pre-rendered (sixdegree_cases.caching).
# Here: in this process's Django cache; production.py puts them in Redis.
SIXDEGREE_PAGE_CACHE = {
    "BACKEND": "sixdegree_cases.caching.backends.DjangoCachePageCache",
    "TIMEOUT": env.int("SIXDEGREE_PAGE_CACHE_TIMEOUT", default=600),
    "PAGE_TYPES": ["sixdegree_cases.SurvivorCasePage", "sixdegree_cases.CaseIndexPage", "home.HomePage"],
    "QUERY_PARAMS": ["page"],
    "SKIP_PATHS": ["/admin/", "/api/", "/donations/", "/payments/", "/search/", "/documents/", "/healthz"],
}
if not env.bool("SIXDEGREE_PAGE_CACHE", default=True):
    SIXDEGREE_PAGE_CACHE = None

# django-tasks: run tasks in the request here; production.py queues them in the database.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# A CDN in front of the site (Wagtail's frontend cache), off unless configured: "cloudflare"
# (CLOUDFLARE_API_TOKEN, CLOUDFLARE_ZONE_ID), "cloudfront" (CLOUDFRONT_DISTRIBUTION_ID) or
# "http" (SIXDEGREE_FRONTEND_CACHE_LOCATION: a Varnish or nginx that accepts PURGE requests).
SIXDEGREE_FRONTEND_CACHE = env.str("SIXDEGREE_FRONTEND_CACHE", default="").strip().lower()
if SIXDEGREE_FRONTEND_CACHE == "cloudflare":
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "BEARER_TOKEN": env.str("CLOUDFLARE_API_TOKEN", default=""),
            "ZONEID": env.str("CLOUDFLARE_ZONE_ID", default=""),
        }
    }
elif SIXDEGREE_FRONTEND_CACHE == "cloudfront":
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": env.str("CLOUDFRONT_DISTRIBUTION_ID", default=""),
        }
    }
elif SIXDEGREE_FRONTEND_CACHE == "http":
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env.str("SIXDEGREE_FRONTEND_CACHE_LOCATION", default=""),
        }
    }
elif SIXDEGREE_FRONTEND_CACHE:
    raise ImproperlyConfigured('SIXDEGREE_FRONTEND_CACHE: "cloudflare", "cloudfront", "http" or empty.')

# Content-Security-Policy (django-csp 4): this site only. No inline script or style on public
# pages (the story map reads JSON data, not code). The Wagtail admin needs a few allowances,
# added for /admin/ only by sixdegree_site.security.ContentSecurityPolicyMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if SIXDEGREE_TILE_URL:
    # A deployment's own tile server (never a public one): the map loads its tiles as images.
    _tiles = urlsplit(SIXDEGREE_TILE_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")

# django-axes: after AXES_FAILURE_LIMIT failed sign-ins for one username from one address,
# that pair is locked out for AXES_COOLOFF_TIME hours (the admin and donor sign-in alike).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client address as the donations' rate limit sees it (SIXDEGREE_CLIENT_IP_HEADER).
AXES_CLIENT_IP_CALLABLE = "sixdegree_site.security.client_ip"
# Failed attempts are kept (in the database, shared by every app server); successful sign-ins
# and their addresses are not.
AXES_DISABLE_ACCESS_LOG = True


# Permissions-Policy: the site uses none of these browser features; a page that is ever
# injected or framed cannot ask for them either (above all a reader's location or camera).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# django-cors-headers: the giving API for SIXDEGREE_DONATION_ALLOWED_ORIGINS, and reads of the
# public API (pages, journeys) for SIXDEGREE_API_CORS_ORIGINS ("*" for any); the plugin's apps
# answer its check_request_enabled signal. No other path, no credentials.
SIXDEGREE_API_CORS_ORIGINS = [
    origin.strip().rstrip("/")
    for origin in env.list("SIXDEGREE_API_CORS_ORIGINS", default=[])
    if origin.strip()
]
CORS_URLS_REGEX = r"^/api/v2/donations/"
CORS_ALLOWED_ORIGINS = []
CORS_ALLOW_METHODS = ["GET", "POST", "OPTIONS"]
CORS_ALLOW_HEADERS = ["content-type"]
CORS_PREFLIGHT_MAX_AGE = 600
CORS_ALLOW_CREDENTIALS = False


def require_secret_key():
    """Refuse to start without a secret key outside development."""
    if not SECRET_KEY:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY.")


# --- Donations (django-payments) --------------------------------------------------------

PAYMENT_MODEL = "sixdegree_donations.Donation"
# Where providers send the donor back and deliver callbacks (host only, no scheme).
PAYMENT_HOST = env.str("PAYMENT_HOST", default="") or urlsplit(WAGTAILADMIN_BASE_URL).netloc
PAYMENT_USES_SSL = env.bool("PAYMENT_USES_SSL", default=WAGTAILADMIN_BASE_URL.startswith("https://"))
# "dummy" (local runs and test servers only: it confirms a payment on any request) or "stripe".
SIXDEGREE_PAYMENT_PROVIDER = env.str("SIXDEGREE_PAYMENT_PROVIDER", default="dummy").strip().lower()
# Stripe's API address (empty: Stripe's own); stripe-mock on staging, a stalled one in `make bench`.
SIXDEGREE_STRIPE_API_BASE = env.str("SIXDEGREE_STRIPE_API_BASE", default="")
# An explicit "yes, this server takes no real money": lets the dummy provider run with DEBUG off.
SIXDEGREE_PAYMENTS_TEST_MODE = env.bool("SIXDEGREE_PAYMENTS_TEST_MODE", default=False)
if SIXDEGREE_PAYMENT_PROVIDER == "stripe":
    PAYMENT_VARIANTS = {
        "stripe": (
            "sixdegree_cases.donations.providers.stripe.StripeProvider",
            {
                "api_key": env.str("STRIPE_SECRET_KEY", default=""),
                "endpoint_secret": env.str("STRIPE_WEBHOOK_SECRET", default=""),
                "public_key": env.str("STRIPE_PUBLIC_KEY", default=""),
            },
        )
    }
    if not (PAYMENT_VARIANTS["stripe"][1]["api_key"] and PAYMENT_VARIANTS["stripe"][1]["endpoint_secret"]):
        raise ImproperlyConfigured("The Stripe provider needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.")
elif SIXDEGREE_PAYMENT_PROVIDER == "dummy":
    PAYMENT_VARIANTS = {"dummy": ("payments.dummy.DummyProvider", {})}
else:
    raise ImproperlyConfigured('SIXDEGREE_PAYMENT_PROVIDER must be "dummy" or "stripe".')
# The PAYMENT_VARIANTS key new donations use.
SIXDEGREE_PAYMENT_VARIANT = next(iter(PAYMENT_VARIANTS))
# Smallest gift, in the case's currency.
SIXDEGREE_MIN_DONATION = env.str("SIXDEGREE_MIN_DONATION", default="5")
# Donation attempts allowed per client in each window (seconds); counted in the default cache.
SIXDEGREE_DONATION_RATE_LIMIT = env.int("SIXDEGREE_DONATION_RATE_LIMIT", default=10)
SIXDEGREE_DONATION_RATE_WINDOW = env.int("SIXDEGREE_DONATION_RATE_WINDOW", default=600)
# The request header a trusted reverse proxy puts the client's address in (e.g.
# "HTTP_X_FORWARDED_FOR"); empty uses REMOTE_ADDR. Only for rate limits and lock-outs, never
# stored, and read only from the proxies below (sixdegree_cases.addresses).
SIXDEGREE_CLIENT_IP_HEADER = env.str("SIXDEGREE_CLIENT_IP_HEADER", default="")
# Addresses or networks whose X-Forwarded-* headers are believed; empty: nobody's.
SIXDEGREE_TRUSTED_PROXIES = [
    p.strip() for p in env.list("SIXDEGREE_TRUSTED_PROXIES", default=[]) if p.strip()
]
# Trusted proxies that append their own address after the client's in that header.
SIXDEGREE_PROXY_COUNT = env.int("SIXDEGREE_PROXY_COUNT", default=0)
# Origins of headless front-ends that may start donations and receive the donor back.
SIXDEGREE_DONATION_ALLOWED_ORIGINS = [
    origin.strip().rstrip("/")
    for origin in env.list("SIXDEGREE_DONATION_ALLOWED_ORIGINS", default=[])
    if origin.strip()
]
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Sixdegree <receipts@localhost>")


DUMMY_PAYMENT_PROVIDERS = {"payments.dummy.DummyProvider"}


def uses_dummy_payments(variants):
    """True when a payment variant is django-payments' dummy provider.

    Compared by dotted path: importing `payments` here would read settings that do not exist
    yet. The donations app's system check also catches subclasses once Django is set up.
    """
    return any(path in DUMMY_PAYMENT_PROVIDERS for path, _config in variants.values())


def require_real_payment_provider(debug):
    """Refuse the dummy provider (it confirms a payment on any request) unless DEBUG is on or
    SIXDEGREE_PAYMENTS_TEST_MODE says, explicitly, that this server takes no real money."""
    if not debug and not SIXDEGREE_PAYMENTS_TEST_MODE and uses_dummy_payments(PAYMENT_VARIANTS):
        raise ImproperlyConfigured(
            "The dummy payment provider confirms payments on any request: set "
            "SIXDEGREE_PAYMENT_PROVIDER=stripe (with STRIPE_* variables), or "
            "SIXDEGREE_PAYMENTS_TEST_MODE=1 on a server that takes no real money."
        )
