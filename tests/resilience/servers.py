"""Private Redis and PostgreSQL servers for fault tests: started on free ports, stopped, hung.

Each test starts its own servers and stops them itself; the machine's shared Redis (6379) and
PostgreSQL (5432) are never touched. Every wait is bounded.
"""

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what} not ready after {timeout} s")


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class PrivateRedis:
    """A redis-server of this test's own, keeping nothing on disk."""

    def __init__(self):
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: port_open(self.port), 10, "redis-server")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.resume()
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def pause(self):
        """Hang it: connections are accepted by the kernel, nothing is ever answered."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)


def _pg_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.skip(f"PostgreSQL's {name} is not installed")
    return found[-1]


class PrivatePostgres:
    """A PostgreSQL cluster of this test's own (initdb in a temporary folder, trust auth)."""

    def __init__(self):
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="sixdegree-pg-"))
        self.data = self.root / "data"
        self.as_postgres = [] if os.geteuid() else ["runuser", "-u", "postgres", "--"]
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run([_pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"])

    def _run(self, command, timeout=60):
        result = subprocess.run(self.as_postgres + command, capture_output=True, text=True, timeout=timeout)
        if result.returncode:
            raise RuntimeError(f"{command[0]} failed: {result.stdout}\n{result.stderr}")

    def url(self, database="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        self._run(
            [
                _pg_bin("pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.root / "log"),
                "-o",
                options,
                "-w",
                "start",
            ]
        )
        return self

    def stop(self, mode="fast"):
        self._run([_pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])

    def copy_database(self, source_url, name):
        """Copy a database (schema and rows) from the shared server into this cluster."""
        dump = self.root / "dump.sql"
        subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", "-f", str(dump), source_url],
            check=True,
            timeout=120,
            capture_output=True,
        )
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name], check=True
        )
        subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(dump), self.url(name)],
            check=True,
            timeout=120,
            capture_output=True,
        )

    def destroy(self):
        try:
            self.stop("immediate")
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(self.root, ignore_errors=True)


NGINX_DIR = Path(__file__).resolve().parents[2] / "deploy" / "nginx"


def render_nginx(prefix, *, listen, upstream, forwarded_proto="https", server_name="_"):
    """deploy/nginx/*.template rendered into `prefix` as envsubst would; returns nginx.conf."""
    from string import Template

    values = {
        "SIXDEGREE_NGINX_PREFIX": str(prefix),
        "SIXDEGREE_LISTEN": str(listen),
        "SIXDEGREE_SERVER_NAME": server_name,
        "SIXDEGREE_UPSTREAM": upstream,
        "SIXDEGREE_FORWARDED_PROTO": forwarded_proto,
    }
    prefix = Path(prefix)
    prefix.mkdir(parents=True, exist_ok=True)
    for name in ("nginx.conf", "sixdegree.conf"):
        template = Template((NGINX_DIR / f"{name}.template").read_text())
        # safe_substitute: nginx's own $variables stay as they are, as with envsubst's list.
        (prefix / name).write_text(template.safe_substitute(values))
    return prefix / "nginx.conf"


class PrivateNginx:
    """Debian's nginx with the repository's configuration, in front of `upstream`."""

    def __init__(self, upstream, prefix):
        if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
            pytest.skip("nginx is not installed (make bench-deps installs Debian's)")
        self.port = free_port()
        self.prefix = Path(prefix)
        config = render_nginx(self.prefix, listen=f"127.0.0.1:{self.port}", upstream=upstream)
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self.process = subprocess.Popen(
            [binary, "-p", str(self.prefix), "-c", str(config), "-e", str(self.prefix / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: port_open(self.port), 10, "nginx")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class StalledServer:
    """Accepts connections on loopback and never answers: a hung payment provider."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.accepted = []
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def _accept(self):
        while True:
            try:
                connection, _address = self.sock.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self):
        self.sock.close()
        for connection in self.accepted:
            connection.close()


class RefusingStripe:
    """Answers every request on loopback as Stripe answers a refused request: HTTP 400 with an
    error whose message echoes what was sent (here the donor's e-mail address)."""

    def __init__(self, message, code="email_invalid"):
        import http.server
        import json

        body = json.dumps(
            {"error": {"type": "invalid_request_error", "code": code, "message": message}}
        ).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(400)
                self.send_header("Content-Type", "application/json")
                self.send_header("Request-Id", "req_local")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()
