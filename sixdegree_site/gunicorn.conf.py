"""gunicorn settings, each from an environment variable: `gunicorn -c sixdegree_site/gunicorn.conf.py`.

Behind nginx (deploy/nginx.conf), which buffers every request and response: a slow or
malicious client (one header line a second, a slow download) holds an nginx connection, never
a gunicorn worker. Workers are threaded (gthread): a page is CPU-bound Python plus short
PostgreSQL and Redis round trips, but a donation start waits on Stripe, and while one thread
waits (at most SIXDEGREE_STRIPE_TIMEOUT x (retries + 1); at most SIXDEGREE_STRIPE_CONCURRENCY
of them per worker) the worker's other threads keep serving pages.
"""

import multiprocessing
import os

wsgi_app = "sixdegree_site.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# 2 × cores + 1 by default; on a small machine that shares its cores with PostgreSQL and Redis,
# set WEB_CONCURRENCY to the number of cores.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# Each thread keeps its own PostgreSQL connection: servers x workers x threads connections.
# 8, not 4: a cached page is mostly a Redis round trip, during which a thread holds no GIL,
# so more threads overlap those waits (`make bench` (m), 2 workers on 2 cores: cached req/s
# during a stream of gifts 0.44-0.71 of the static file's with 8 threads, 0.21-0.40 with 4);
# and while SIXDEGREE_STRIPE_CONCURRENCY (2) starts wait on a stalled Stripe, a worker keeps
# 6 threads for pages instead of 2. The cost: twice the PostgreSQL connections, and more
# threads taking turns on the GIL when pages render (uncached pages are no faster).
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# A request that takes longer is killed and logged: nothing on this site should.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Workers are not recycled by default: a fresh worker compiles its templates and opens its
# connections on its first requests, and under a spike each recycle showed as a 300–600 ms
# p99 (measured by `make bench`). Set GUNICORN_MAX_REQUESTS should memory ever creep up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# App servers bound every SQL statement (ms); `migrate` and the task worker are not run here.
os.environ.setdefault("SIXDEGREE_DATABASE_STATEMENT_TIMEOUT", "5000")
# Load the application before forking: workers share its memory and start fast. With the
# gazetteer preloaded and frozen (sixdegree_site/preload.py), 5 workers on 2 cores used 455 MB
# PSS with the master after their first map and case pages, not 2.6 GB; a first basemap
# cell took 0.09-0.14 s, not 0.8-1.8 s (a bench/run.py stack).
preload_app = True
# The load balancer sets X-Forwarded-Proto; trust it from these addresses only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# gunicorn ≥ 25 opens a control socket at one default path for every server on the machine,
# so a second server would take over the first one's. Off unless given a path of its own.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# Error log as JSON lines on stderr, like Django's. No access log by default: it would record
# every visitor's address (set GUNICORN_ACCESS_LOG=- to log requests, without addresses).
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
errorlog = "-"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = (
    '{"method": "%(m)s", "path": "%(U)s", "status": "%(s)s", "bytes": "%(B)s", "duration_ms": "%(M)s"}'
)
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "sixdegree_site.logs.JsonFormatter"}},
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        "access": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"},
    },
    "root": {"handlers": ["error"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": loglevel.upper(), "propagate": False},
        # With a logging config gunicorn logs access whatever `accesslog` says: silenced here.
        "gunicorn.access": {
            "handlers": ["access"],
            "level": "INFO" if accesslog else "CRITICAL",
            "propagate": False,
        },
    },
}
