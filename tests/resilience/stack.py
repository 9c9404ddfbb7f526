"""The site as deployed, for fault tests: gunicorn (production settings) on a private
PostgreSQL cluster and a private Redis, and small loopback HTTP clients."""

import http.client
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from tests.resilience.servers import free_port, wait_for

BASE_DIR = Path(__file__).resolve().parents[2]
# As nginx (deploy/nginx.conf) sends them: TLS ended in front, the client's address appended.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.20"}


class Gunicorn:
    def __init__(self, database_url, redis_url, workdir):
        self.port = free_port()
        self.workdir = Path(workdir)
        self.log = open(self.workdir / "gunicorn.log", "w")
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SIXDEGREE_", "GUNICORN_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="tests.resilience.fault_settings",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            WAGTAILADMIN_BASE_URL=f"http://127.0.0.1:{self.port}",
            SIXDEGREE_PAYMENT_PROVIDER="dummy",
            SIXDEGREE_PAYMENTS_TEST_MODE="1",
            SIXDEGREE_TASKS_BACKEND="immediate",
            SIXDEGREE_REDIS_BREAKER_RESET="1",
            SIXDEGREE_DATABASE_CONNECT_TIMEOUT="1",
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            DJANGO_LOG_LEVEL="WARNING",
            MEDIA_ROOT=str(self.workdir / "media"),
            WEB_CONCURRENCY="2",
            GUNICORN_THREADS="4",
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_CONTROL_SOCKET=str(self.workdir / "gunicorn.ctl"),
            PYTHONPATH=str(BASE_DIR),
        )
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "sixdegree_site/gunicorn.conf.py"],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: self._answers("/healthz"), 60, "gunicorn")

    def _answers(self, path):
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {(self.workdir / 'gunicorn.log').read_text()[-3000:]}")
        try:
            return get(self.port, path)[0] == 200
        except OSError:
            return False

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


def get(port, path, *, method="GET", body=None, headers=None, timeout=10):
    """(status, headers, body) of one request on a new connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={**PROXY_HEADERS, **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


class Load:
    """Threads requesting `paths` in turn until stopped; every answer's status is counted."""

    def __init__(self, port, paths, threads=4):
        self.port, self.paths = port, paths
        self.statuses = Counter()
        self.cache = Counter()
        self.errors = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)]

    def _run(self, offset):
        position = offset
        while not self._stop.is_set():
            path = self.paths[position % len(self.paths)]
            position += 1
            try:
                status, headers, _body = get(self.port, path, timeout=10)
            except OSError as error:
                with self._lock:
                    self.errors.append(f"{path}: {error!r}")
                continue
            with self._lock:
                self.statuses[status] += 1
                self.cache[headers.get("X-Page-Cache", "none")] += 1

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self.threads:
            thread.join(timeout=15)

    def snapshot(self):
        with self._lock:
            return Counter(self.statuses), Counter(self.cache)


def confirm_all(port, tokens, *, times=2):
    """Send the dummy provider's confirmation callback for every token `times` times, at once."""
    results = Counter()
    lock = threading.Lock()

    def confirm(token):
        status = get(port, f"/payments/process/{token}/?verification_result=confirmed")[0]
        with lock:
            results[status] += 1

    threads = [threading.Thread(target=confirm, args=(t,)) for t in tokens for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def wait_until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        time.sleep(0.1)
    return None
