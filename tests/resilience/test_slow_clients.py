"""Slow clients wait in nginx (deploy/nginx), never in a gunicorn worker."""

import socket
import statistics
import time

import pytest
from django.db import connection

from tests.resilience.servers import PrivateNginx, PrivateRedis
from tests.resilience.stack import Gunicorn, get

# More than gunicorn's 2 workers x 4 threads in the test stack.
SLOW_CLIENTS = 12


@pytest.fixture
def app(transactional_db, tmp_path):
    """gunicorn (production settings) on the test database and a private Redis, nginx in front."""
    settings = connection.settings_dict
    database = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    workdir = tmp_path
    redis = PrivateRedis().start()
    server = Gunicorn(database, redis.url, workdir)
    nginx = PrivateNginx(f"127.0.0.1:{server.port}", f"{workdir}/nginx")
    yield {"gunicorn": server.port, "nginx": nginx.port}
    nginx.stop()
    server.stop()
    redis.stop()


def open_slow_clients(port):
    """Clients that have sent a request line and one header, and send the rest never."""
    clients = []
    for _ in range(SLOW_CLIENTS):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        clients.append(sock)
    time.sleep(0.5)  # every one of them has been accepted
    return clients


def healthz_times(port, count=20, timeout=3):
    times = []
    for _ in range(count):
        started = time.monotonic()
        try:
            status = get(port, "/healthz", timeout=timeout)[0]
        except OSError:
            status = None
        times.append(time.monotonic() - started if status == 200 else float("inf"))
    return times


def test_slow_clients_through_nginx_cost_healthz_nothing(app):
    clients = open_slow_clients(app["nginx"])
    try:
        times = healthz_times(app["nginx"])
    finally:
        for sock in clients:
            sock.close()
    assert max(times) < 1.0, times
    assert statistics.median(times) < 0.2, times


def test_the_same_slow_clients_straight_at_gunicorn_stall_it(app):
    """Why nginx is there: without it, a dozen slow clients hold every worker thread."""
    clients = open_slow_clients(app["gunicorn"])
    try:
        times = healthz_times(app["gunicorn"], count=4, timeout=2)
    finally:
        for sock in clients:
            sock.close()
    # A thread may still be free in one worker; most requests find none.
    assert sum(t == float("inf") for t in times) >= 2, times
