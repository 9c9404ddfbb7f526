"""Production: every secret and host comes from the environment."""

from .base import *  # noqa: F403

DEBUG = False
require_secret_key()
require_real_payment_provider(DEBUG)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS (comma-separated).")

# --- Security: HTTPS only, HSTS, no sniffing, no framing (CSP frame-ancestors in base.py) ---

# The load balancer (or nginx on this host) terminates TLS and says so in X-Forwarded-Proto,
# believed only from SIXDEGREE_TRUSTED_PROXIES: UntrustedProxyHeadersMiddleware removes it
# from every other peer's request.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The documented stack puts nginx on this host in front of gunicorn (deploy/nginx.conf).
SIXDEGREE_TRUSTED_PROXIES = [
    p.strip() for p in env.list("SIXDEGREE_TRUSTED_PROXIES", default=["127.0.0.1", "::1"]) if p.strip()
]
# nginx appends the address it saw to X-Forwarded-For; only trusted proxies' headers count.
SIXDEGREE_CLIENT_IP_HEADER = env.str("SIXDEGREE_CLIENT_IP_HEADER", default="HTTP_X_FORWARDED_FOR")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The load balancer's health check may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Only sends the "preload" directive; the domain joins browsers' lists only when submitted.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[]) if o.strip()]

# --- Database: PostgreSQL, persistent connections ------------------------------------

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Set DATABASE_URL to a PostgreSQL database (postgres://…).")
# Opening a connection per request cut page throughput about 3×: keep them, and check a kept
# one before use so a restarted database or a PgBouncer recycle costs no failed request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Every call to PostgreSQL is bounded: an unreachable server is given up after
# SIXDEGREE_DATABASE_CONNECT_TIMEOUT seconds (the request then answers a static 503, see
# sixdegree_site.errors), and a statement after SIXDEGREE_DATABASE_STATEMENT_TIMEOUT
# milliseconds (0: none). gunicorn.conf.py sets the latter for app servers only, so that
# `migrate` and the task worker may run long statements.
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"]["connect_timeout"] = env.int("SIXDEGREE_DATABASE_CONNECT_TIMEOUT", default=3)
SIXDEGREE_DATABASE_STATEMENT_TIMEOUT = env.int("SIXDEGREE_DATABASE_STATEMENT_TIMEOUT", default=0)
if SIXDEGREE_DATABASE_STATEMENT_TIMEOUT:
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"-c statement_timeout={SIXDEGREE_DATABASE_STATEMENT_TIMEOUT}"
    )

# --- Caching: Redis, shared by every app server -------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# Redis is never a reason to fail a request: each call waits at most SIXDEGREE_REDIS_TIMEOUT
# seconds, and after SIXDEGREE_REDIS_BREAKER_FAILURES failures in a row every call fails at
# once for SIXDEGREE_REDIS_BREAKER_RESET seconds (sixdegree_cases.caching.breakers).
SIXDEGREE_REDIS_TIMEOUT = env.float("SIXDEGREE_REDIS_TIMEOUT", default=0.1)
SIXDEGREE_REDIS_BREAKER_FAILURES = env.int("SIXDEGREE_REDIS_BREAKER_FAILURES", default=3)
SIXDEGREE_REDIS_BREAKER_RESET = env.float("SIXDEGREE_REDIS_BREAKER_RESET", default=5)
CACHES = {
    # Rate limits, Wagtail's site roots, cached sessions: shared by all app servers. When
    # Redis cannot answer, reads miss and writes are skipped (sessions fall back to
    # PostgreSQL, rate limits to a per-process count): sixdegree_cases.caching.django_cache.
    "default": {
        "BACKEND": "sixdegree_cases.caching.django_cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="sixdegree"),
        "OPTIONS": {
            "socket_timeout": SIXDEGREE_REDIS_TIMEOUT,
            "socket_connect_timeout": SIXDEGREE_REDIS_TIMEOUT,
            "BREAKER_FAILURES": SIXDEGREE_REDIS_BREAKER_FAILURES,
            "BREAKER_RESET_AFTER": SIXDEGREE_REDIS_BREAKER_RESET,
        },
    },
    # Wagtail caches every rendition it looks up, one Redis write per image per render. Case
    # pages load their renditions with the page (sixdegree_cases.prefetch) and need no cache.
    "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
if SIXDEGREE_PAGE_CACHE:
    SIXDEGREE_PAGE_CACHE = {
        **SIXDEGREE_PAGE_CACHE,
        "BACKEND": "sixdegree_cases.caching.backends.RedisPageCache",
        "LOCATION": env.str("SIXDEGREE_PAGE_CACHE_URL", default=REDIS_URL),
        "KEY_PREFIX": f"{CACHES['default']['KEY_PREFIX']}:pages:",
        "SOCKET_TIMEOUT": SIXDEGREE_REDIS_TIMEOUT,
        "BREAKER_FAILURES": SIXDEGREE_REDIS_BREAKER_FAILURES,
        "BREAKER_RESET_AFTER": SIXDEGREE_REDIS_BREAKER_RESET,
        # Seconds a CDN may keep a page (s-maxage); only with FRONTEND_CACHE purging it.
        "CDN_MAX_AGE": env.int("SIXDEGREE_PAGE_CACHE_CDN_MAX_AGE", default=0),
    }

# --- Static files: hashed, compressed, served by the app servers (whitenoise) -----------

MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "sixdegree_site.storage.StaticFilesStorage"},
}

# --- Media: local disk by default, S3-compatible object storage for several servers -------

SIXDEGREE_MEDIA_STORAGE = env.str("SIXDEGREE_MEDIA_STORAGE", default="local").strip().lower()
if SIXDEGREE_MEDIA_STORAGE == "s3":
    if not env.str("AWS_STORAGE_BUCKET_NAME", default=""):
        raise ImproperlyConfigured("SIXDEGREE_MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "location": "media",
            # Media URLs stay on the site's own host (the load balancer serves /media/ from the
            # bucket): no page may request anything from another host (PRIVACY.md § 2).
            "custom_domain": env.str("SIXDEGREE_MEDIA_HOST", default="")
            or urlsplit(WAGTAILADMIN_BASE_URL).netloc,
            "url_protocol": "https:",
            "querystring_auth": False,
            "default_acl": None,
            "file_overwrite": False,
        },
    }
elif SIXDEGREE_MEDIA_STORAGE != "local":
    raise ImproperlyConfigured('SIXDEGREE_MEDIA_STORAGE must be "local" or "s3".')

# --- Background tasks: a queue in PostgreSQL, run by `manage.py db_worker` -----------------

if env.str("SIXDEGREE_TASKS_BACKEND", default="database") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- E-mail (receipts) ----------------------------------------------------------------

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 10
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging: one JSON object per line on stderr -----------------------------------------

LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "sixdegree_site.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # SQL would log the values of every query, donors' e-mail addresses included.
        "django.db.backends": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # stripe-python logs each request's form data (the donor's e-mail) at DEBUG and Stripe's
        # error text, which may echo it, at INFO: its warnings only.
        "stripe": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
