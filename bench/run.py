"""`python -m bench` (`make bench`): figures (a)–(g) of issue 5, (h) of issue 9 and (i)–(m) of
issue 10 (the site while Redis, PostgreSQL, a client or Stripe fails: bench/faults.py), each
next to its floor.

One invocation, on loopback only, in under ten minutes on a 2-core machine:

1. creates the PostgreSQL databases `sixdegree_bench` and `sixdegree_bench_bare`, and empties
   Redis database BENCH_REDIS_DB (13) — nothing else is touched;
2. migrates them, collects static files and builds the data (bench/data.py);
3. serves the site with gunicorn (2 sync workers, the production settings, bench/settings.py
   adds only the floor views) and the bare Wagtail site the same way;
4. measures, writes build/bench.json, prints a table, and always stops its servers and drops
   its databases (BENCH_KEEP=1 keeps them for a look).

Load comes from wrk (Debian's package: `make bench` installs it) and small Python clients;
every loop is bounded in count and in time.
"""

import concurrent.futures
import datetime
import gzip
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
BUILD = BASE_DIR / "build"
OUT = BUILD / "bench"
REPORT = BUILD / "bench.json"
PYTHON = sys.executable
HOST = "127.0.0.1"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# Names of its own (BENCH_DB) let two checkouts measure on one PostgreSQL at once.
DB = os.environ.get("BENCH_DB", "sixdegree_bench")
BARE_DB = f"{DB}_bare"
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "13"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
# A TLS-terminating load balancer says so; the production settings redirect plain HTTP.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
TIME_BUDGET = float(os.environ.get("BENCH_TIME_BUDGET", "570"))
STARTED = time.monotonic()


def log(message):
    print(f"[bench {time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def remaining():
    return TIME_BUDGET - (time.monotonic() - STARTED)


# --- Processes --------------------------------------------------------------------------


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Stack:
    """The environment of the measured servers and every process the benchmark starts."""

    def __init__(self):
        self.secret = secrets.token_urlsafe(50)
        self.servers = []
        self.ports = {"main": free_port(), "second": free_port(), "bare": free_port()}

    def env(self, **extra):
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SIXDEGREE_", "GUNICORN_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            DJANGO_SECRET_KEY=self.secret,
            DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
            DATABASE_URL=f"{PG}/{DB}",
            REDIS_URL=f"redis://{HOST}:6379/{REDIS_DB}",
            STATIC_ROOT=str(OUT / "static"),
            MEDIA_ROOT=str(OUT / "media"),
            WAGTAILADMIN_BASE_URL=f"http://{HOST}:{self.ports['main']}",
            # The dummy provider's callback is the path (d) measures: a server that takes no money.
            SIXDEGREE_PAYMENT_PROVIDER="dummy",
            SIXDEGREE_PAYMENTS_TEST_MODE="1",
            # Receipts are "sent" nowhere: the benchmark measures the site, not a mail server.
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            DJANGO_LOG_LEVEL="WARNING",
            WEB_CONCURRENCY=WORKERS,
            PYTHONPATH=str(BASE_DIR),
        )
        env.update(extra)
        return env

    def bare_env(self):
        return self.env(
            DJANGO_SETTINGS_MODULE="bench.bare_site.settings",
            DATABASE_URL=f"{PG}/{BARE_DB}",
            STATIC_ROOT=str(OUT / "bare_static"),
            BARE_TEMPLATES=str(OUT / "bare_site_html"),
        )

    def manage(self, *args, env=None, timeout=300):
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=BASE_DIR,
            env=env or self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self, name, app, env):
        port = self.ports[name]
        logfile = open(OUT / f"gunicorn-{name}.log", "w")
        process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "-c", "sixdegree_site/gunicorn.conf.py", app],
            cwd=BASE_DIR,
            env={
                **env,
                "GUNICORN_BIND": f"{HOST}:{port}",
                # Each server its own control socket: gunicorn's default path is one per machine.
                "GUNICORN_CONTROL_SOCKET": str(OUT / f"gunicorn-{name}.ctl"),
            },
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.servers.append((name, process, logfile))
        return port

    def stop(self, only=None):
        for name, process, logfile in list(self.servers):
            if only and name != only:
                continue
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
            logfile.close()
            self.servers.remove((name, process, logfile))


def wait_ready(port, path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _body, _headers, _elapsed = Client(port).get(path)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"the server on port {port} did not answer {path} in {timeout} s")


# --- Databases and Redis ------------------------------------------------------------------


def pg(sql, database="postgres", fetch=False):
    import psycopg2

    connection = psycopg2.connect(f"{PG}/{database}")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if fetch else None
    finally:
        connection.close()


def recreate_databases():
    for name in (DB, BARE_DB):
        pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg(f'CREATE DATABASE "{name}"')


def drop_databases():
    for name in (DB, BARE_DB):
        pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flush_redis():
    import redis

    redis.Redis(host=HOST, port=6379, db=REDIS_DB).flushdb()


# --- HTTP clients -------------------------------------------------------------------------


class Client:
    """A keep-alive HTTP/1.1 client on loopback (reconnects when gunicorn closes)."""

    def __init__(self, port):
        self.port = port
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)

    def get(self, path, headers=None):
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers={**PROXY_HEADERS, **(headers or {})})
            response = self.connection.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            raise
        elapsed = time.perf_counter() - started
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, body, dict(response.getheaders()), elapsed


def wrk(port, path, *, connections, seconds, threads=2, script="stats.lua", env=None, latency=False):
    """Run wrk on loopback for `seconds` (bounded) and return its figures."""
    wrk_dir = BASE_DIR / "bench" / "wrk"
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(wrk_dir / script),
    ]
    for name, value in PROXY_HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    if latency:
        command.append("--latency")
    command.append(f"http://{HOST}:{port}{path}")
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        env={**os.environ, "BENCH_WRK_DIR": str(wrk_dir), "BENCH_THREADS": str(threads), **(env or {})},
    )
    match = re.search(r"BENCH_JSON (\{.*\})", result.stdout)
    if not match:
        raise RuntimeError(f"wrk gave no figures:\n{result.stdout}\n{result.stderr}")
    figures = json.loads(match.group(1))
    cache = re.search(r"BENCH_CACHE (\{.*\})", result.stdout)
    if cache:
        figures.update(json.loads(cache.group(1)))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = figures["socket_errors"] + figures["status_errors"] + figures["timeouts"]
    return figures


def median_latency(port, path, count):
    client = Client(port)
    times = []
    for _ in range(count):
        status, _body, _headers, elapsed = client.get(path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        times.append(elapsed)
    return statistics.median(times)


# --- The figures --------------------------------------------------------------------------


def figure_a(stack, data):
    """(a) The case page rendered (not from the cache) vs the bare Wagtail welcome page."""
    case_path = data["case_a"]["url"] + "?uncached=1"  # an unknown parameter bypasses the page cache
    main, bare = stack.ports["main"], stack.ports["bare"]
    for port, path in ((main, case_path), (bare, "/")):
        median_latency(port, path, 30)
    rounds = {"case": [], "bare": []}
    for _ in range(5):
        rounds["case"].append(median_latency(main, case_path, 60))
        rounds["bare"].append(median_latency(bare, "/", 60))
    case_ms = statistics.median(rounds["case"]) * 1000
    bare_ms = statistics.median(rounds["bare"]) * 1000
    case_rps = wrk(main, case_path, connections=16, seconds=5)["rps"]
    bare_rps = wrk(bare, "/", connections=16, seconds=5)["rps"]
    ratio = case_ms / bare_ms
    return {
        "figure": "median latency, one client: uncached case page / bare Wagtail welcome page",
        "case_page_ms": round(case_ms, 2),
        "bare_welcome_page_ms": round(bare_ms, 2),
        "ratio": round(ratio, 2),
        "case_page_rps_16_connections": round(case_rps),
        "bare_welcome_page_rps_16_connections": round(bare_rps),
        "target": "ratio <= 1.5",
        "met": ratio <= 1.5,
    }


def static_path(html):
    match = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', html)
    if not match:
        raise RuntimeError("no hashed site.css in the case page")
    return match.group(1)


def figure_b(stack, data):
    """(b) The cached case page vs a static file, both from the same gunicorn."""
    main = stack.ports["main"]
    client = Client(main)
    client.get(data["case_a"]["url"])
    _status, body, headers, _elapsed = client.get(data["case_a"]["url"])
    if headers.get("X-Page-Cache") != "hit":
        raise RuntimeError(f"the case page is not served from the cache: {headers}")
    html = gzip.decompress(body).decode()
    static = static_path(html)
    page = wrk(main, data["case_a"]["url"], connections=16, seconds=10)
    floor = wrk(main, static, connections=16, seconds=10)
    ok = wrk(main, "/bench/floor/ok", connections=16, seconds=5)
    ratio = page["rps"] / floor["rps"]
    return {
        "figure": "requests/s, 16 connections: cached case page / static file (whitenoise)",
        "cached_case_page_rps": round(page["rps"]),
        "static_file_rps": round(floor["rps"]),
        "static_file": static,
        "bare_ok_view_rps": round(ok["rps"]),
        "errors": page["errors"] + floor["errors"],
        "ratio": round(ratio, 2),
        "target": "ratio >= 0.5",
        "met": ratio >= 0.5,
    }


def fetch_all(port, index_id, limit=50):
    """Every case under `index_id` through the API, page by page: (items, seconds)."""
    client = Client(port)
    items, offset, started = 0, 0, time.perf_counter()
    while True:
        path = (
            f"/api/v2/pages/?type=sixdegree_cases.SurvivorCasePage&fields=*&child_of={index_id}"
            f"&limit={limit}&offset={offset}"
        )
        status, body, headers, _elapsed = client.get(path, {"Accept-Encoding": "identity"})
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {body[:300]}")
        listed = json.loads(body)
        items += len(listed["items"])
        offset += limit
        if offset >= listed["meta"]["total_count"]:
            break
    return items, time.perf_counter() - started


def figure_c(stack, data):
    """(c) API v2 list: time per item with 10 cases and with 1,000 (every page of the list)."""
    main = stack.ports["main"]
    result = {"figure": "API v2 list (fields=*, 50 per request), time per case listed"}
    for size in ("10", "1000"):
        index_id = data["api_indexes"][size]
        fetch_all(main, index_id)
        runs = []
        for _ in range(5 if size == "10" else 3):
            items, seconds = fetch_all(main, index_id)
            if items != int(size):
                raise RuntimeError(f"the API listed {items} cases, not {size}")
            runs.append(seconds / items)
        result[f"per_item_ms_{size}_cases"] = round(statistics.median(runs) * 1000, 3)
    result["target"] = "per-item time at 1,000 no higher than at 10"
    result["met"] = result["per_item_ms_1000_cases"] <= result["per_item_ms_10_cases"]
    return result


def figure_e(stack, data):
    """(e) A launch spike: 64 clients for 30 s on the case page."""
    spike = wrk(stack.ports["main"], data["case_a"]["url"], connections=64, seconds=30, latency=True)
    p99 = spike["p99_us"] / 1000
    return {
        "figure": "64 concurrent clients for 30 s on the case page (anonymous, as a spike brings)",
        "requests": spike["requests"],
        "rps": round(spike["rps"]),
        "p50_ms": round(spike["p50_us"] / 1000, 1),
        "p95_ms": round(spike["p95_us"] / 1000, 1),
        "p99_ms": round(p99, 1),
        "max_ms": round(spike["max_us"] / 1000, 1),
        "errors": spike["errors"],
        "target": "p99 < 250 ms and 0 errors",
        "met": p99 < 250 and spike["errors"] == 0,
    }


def case_totals(case_id):
    rows = pg(
        "SELECT f.raised, f.donors, "
        "(SELECT coalesce(sum(total), 0) FROM sixdegree_donations_donation WHERE case_id = f.case_id "
        "AND status = 'confirmed'), "
        "(SELECT count(*) FROM sixdegree_donations_donation WHERE case_id = f.case_id "
        "AND status = 'confirmed') "
        f"FROM sixdegree_donations_casefunding f WHERE f.case_id = {int(case_id)}",
        DB,
        fetch=True,
    )
    raised, donors, confirmed_sum, confirmed_count = rows[0] if rows else (0, 0, 0, 0)
    return {"raised": raised, "donors": donors, "confirmed_sum": confirmed_sum, "confirmed": confirmed_count}


def figure_d(stack, data):
    """(d) Donation confirmations/s through the provider's callback vs a one-row UPDATE view."""
    main = stack.ports["main"]
    tokens = data["case_d"]["tokens"]
    paths = OUT / "confirm-paths.txt"
    paths.write_text("".join(f"/payments/process/{t}/?verification_result=confirmed\n" for t in tokens))
    # The floor is measured just before and just after the confirmations, and their mean is
    # the divisor: on a shared machine the load moves within seconds, and one floor taken only
    # afterwards moved the ratio by half of itself between runs.
    floor_before = wrk(main, "/bench/floor/update", connections=16, seconds=5)
    confirm = wrk(main, "/", connections=16, seconds=10, script="paths.lua", env={"BENCH_PATHS": str(paths)})
    totals = case_totals(data["case_d"]["id"])
    seconds = confirm["duration_us"] / 1e6
    rate = totals["confirmed"] / seconds
    floor_after = wrk(main, "/bench/floor/update", connections=16, seconds=5)
    floor = {"rps": (floor_before["rps"] + floor_after["rps"]) / 2}
    # Context: every confirmation of one case adds to its one totals row, so they commit one
    # after another; this is the same UPDATE confined to one row.
    same_row = wrk(main, "/bench/floor/update-same-row", connections=16, seconds=5)
    ratio = rate / floor["rps"]
    exact = totals["raised"] == totals["confirmed_sum"] and totals["donors"] == totals["confirmed"]
    return {
        "figure": "confirmations/s, 16 connections, one case (the dummy provider's callback)"
        " / a one-row UPDATE view",
        "confirmations_per_s": round(rate),
        "confirmed": totals["confirmed"],
        "callback_requests": confirm["requests"],
        "tokens_exhausted": totals["confirmed"] >= len(tokens),
        "errors": confirm["errors"],
        "update_view_rps": round(floor["rps"]),
        "update_view_rps_before_and_after": [round(floor_before["rps"]), round(floor_after["rps"])],
        "same_row_update_view_rps": round(same_row["rps"]),
        "ratio_to_same_row": round(rate / same_row["rps"], 2),
        "totals_exact": exact,
        "raised": str(totals["raised"]),
        "ratio": round(ratio, 2),
        "target": "ratio >= 0.5",
        "met": ratio >= 0.5 and exact,
    }


def figure_f(stack, data):
    """(f) Two app servers sharing PostgreSQL and Redis."""
    main, second = stack.ports["main"], stack.ports["second"]
    stack.start("second", "sixdegree_site.wsgi:application", stack.env())
    wait_ready(second, "/healthz")
    result = {"figure": "two app servers on two ports, one PostgreSQL, one Redis"}

    # Totals: every gift confirmed through both servers at once (each callback sent twice).
    donations = data["case_f"]["donations"]
    jobs = [(token, port) for token, _amount in donations for port in (main, second)]
    random.Random(5).shuffle(jobs)
    local = threading.local()
    failures = []

    def confirm(job):
        token, port = job
        clients = local.__dict__.setdefault("clients", {})
        client = clients.setdefault(port, Client(port))
        status, _body, _headers, _elapsed = client.get(
            f"/payments/process/{token}/?verification_result=confirmed"
        )
        if status not in (200, 302):
            failures.append(status)

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(confirm, jobs, timeout=120))
    seconds = time.perf_counter() - started
    expected = sum(Decimal(amount) for _token, amount in donations)
    totals = case_totals(data["case_f"]["id"])
    api = [
        json.loads(
            Client(port).get(f"/api/v2/pages/{data['case_f']['id']}/", {"Accept-Encoding": "identity"})[1]
        )
        for port in (main, second)
    ]
    result["totals"] = {
        "donations": len(donations),
        "callbacks_sent": len(jobs),
        "callback_failures": len(failures),
        "seconds": round(seconds, 1),
        "expected_raised": str(expected),
        "raised": str(totals["raised"]),
        "donors": totals["donors"],
        "api_raised_per_server": [entry.get("raised") for entry in api],
    }
    result["totals_exact"] = (
        totals["raised"] == expected
        and totals["donors"] == len(donations)
        and totals["confirmed_sum"] == expected
        and all(Decimal(str(entry.get("raised"))) == expected for entry in api)
    )

    # Publish on one server, read on the other (both read the same cached page before).
    url = data["case_f"]["url"]
    for _ in range(2):
        Client(second).get(url)
    marker = f"Published on the first server {secrets.token_hex(4)}"
    status, body, _h, _e = Client(main).get(
        f"/bench/publish/{data['case_f']['id']}?summary={marker.replace(' ', '+')}"
    )
    published_at = time.perf_counter()
    seen_after = None
    reader = Client(second)
    while time.perf_counter() - published_at < 5:
        _status, page, headers, _elapsed = reader.get(url, {"Accept-Encoding": "identity"})
        if marker.encode() in page:
            seen_after = time.perf_counter() - published_at
            break
        time.sleep(0.02)
    result["publish_seen_on_other_server_after_s"] = None if seen_after is None else round(seen_after, 3)

    # Throughput: one server alone, then both at once (8 + 8 connections).
    page_path = data["case_a"]["url"]
    for label, path in (("cached_case_page", page_path), ("uncached_case_page", page_path + "?uncached=1")):
        one = wrk(main, path, connections=16, seconds=8)["rps"]
        both = {}

        def load(port, path=path, both=both):
            both[port] = wrk(port, path, connections=8, seconds=8)["rps"]

        threads = [threading.Thread(target=load, args=(port,)) for port in (main, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        result[f"{label}_rps_one_server"] = round(one)
        result[f"{label}_rps_two_servers"] = round(sum(both.values()))
        result[f"{label}_two_vs_one"] = round(sum(both.values()) / one, 2)
    result["target"] = "exact totals"
    result["met"] = result["totals_exact"] and not failures and seen_after is not None
    stack.stop("second")
    return result


def figure_g(stack, data):
    """(g) A first visit to the case page in headless chromium, as a slow phone."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return {"measured": False, "why": "Debian's chromium is not installed (make browser-deps)"}
    from playwright.sync_api import sync_playwright

    url = f"http://{HOST}:{stack.ports['main']}{data['case_a']['url']}"
    milestones = data["case_a"]["milestones"]
    result = {"figure": "first visit of the case page, headless chromium"}
    profiles = {
        # A mid-range phone on a slow mobile connection (Lighthouse's "Slow 4G" and 4× CPU).
        "slow_phone": {"latency": 150, "down": 1_600_000 / 8, "up": 750_000 / 8, "cpu": 4},
        "unthrottled": None,
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
            ],
        )
        try:
            for name, profile in profiles.items():
                result[name] = visit(browser, url, milestones, profile)
        finally:
            browser.close()
    slow = result["slow_phone"]
    result["target"] = "<= 300 KB compressed and <= 20 requests"
    result["met"] = slow["bytes"] <= 300 * 1024 and slow["requests"] <= 20 and slow["other_hosts"] == 0
    return result


def visit(browser, url, milestones, profile):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        extra_http_headers={"X-Forwarded-Proto": "https"},
    )
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if profile:
        session.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": profile["latency"],
                "downloadThroughput": profile["down"],
                "uploadThroughput": profile["up"],
            },
        )
        session.send("Emulation.setCPUThrottlingRate", {"rate": profile["cpu"]})
    requests, sizes, kinds = {}, {}, {}
    session.on(
        "Network.requestWillBeSent", lambda e: requests.setdefault(e["requestId"], e["request"]["url"])
    )
    session.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], e["type"]))
    session.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="commit", timeout=60_000)
    page.wait_for_function(
        # Milestones at one place share one marker ("1, 5, 6"): count the numbers, not the markers.
        "n => [...document.querySelectorAll('[data-story-map] [data-milestone-numbers]')]"
        ".reduce((sum, marker) => sum + marker.dataset.milestoneNumbers.split(' ').length, 0) >= n"
        # Every country drawn (basemap.js draws them on a canvas, a few per idle moment).
        " && document.querySelector('[data-story-map][data-basemap=\"drawn\"]') !== null",
        arg=milestones,
        polling="raf",
        timeout=60_000,
    )
    interactive_ms = page.evaluate("performance.now()")
    page.wait_for_load_state("networkidle", timeout=60_000)
    timing = page.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0];"
        " return {dom: n.domContentLoadedEventEnd, load: n.loadEventEnd}; })()"
    )
    by_kind = {}
    for request_id, size in sizes.items():
        kind = kinds.get(request_id, "Other")
        entry = by_kind.setdefault(kind, {"requests": 0, "bytes": 0})
        entry["requests"] += 1
        entry["bytes"] += size
    origin = url.split("/cases/")[0]
    other_hosts = sorted({u for u in requests.values() if not u.startswith((origin, "data:", "blob:"))})
    # What the visit loaded, largest first: where the bytes and the requests go.
    seen = sorted(
        ((requests[request_id].removeprefix(origin), sizes.get(request_id, 0)) for request_id in requests),
        key=lambda item: -item[1],
    )
    context.close()
    return {
        "requests": len(requests),
        "bytes": int(sum(sizes.values())),
        "kb": round(sum(sizes.values()) / 1024, 1),
        "by_type": by_kind,
        "map_interactive_ms": round(interactive_ms),
        "dom_content_loaded_ms": round(timing["dom"]),
        "load_ms": round(timing["load"]),
        "other_hosts": len(other_hosts),
        "resources": [{"url": path, "bytes": int(size)} for path, size in seen],
    }


def profile_case_page(stack, data):
    """Where the time of an uncached case page goes: pyinstrument, in one process."""
    html, text = BUILD / "bench-profile.html", BUILD / "bench-profile.txt"
    result = subprocess.run(
        [PYTHON, "-m", "bench.profile", data["case_a"]["url"] + "?uncached=1", str(html), str(text)],
        cwd=BASE_DIR,
        env=stack.env(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    if result.returncode:
        raise RuntimeError(result.stdout + result.stderr)
    return {
        "html": str(html.relative_to(BASE_DIR)),
        "text": str(text.relative_to(BASE_DIR)),
        **json.loads(result.stdout),
    }


def figure_h(stack, data):
    """(h) The privacy checks of a 6-milestone case with 6 illustrations (issue 9), in one process."""
    result = subprocess.run(
        [PYTHON, "-m", "bench.privacy", str(data["case_a"]["id"])],
        cwd=BASE_DIR,
        env=stack.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode:
        raise RuntimeError(result.stdout + result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Setup ------------------------------------------------------------------------------------


def render_bare_templates():
    """`wagtail start`'s templates, rendered from the installed Wagtail's project template."""
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}])
        django.setup()
    import wagtail
    from django.template import Context, Engine

    template_dir = Path(wagtail.__file__).parent / "project_template"
    # Not under a "templates" folder: `make lint` checks those, and these are Wagtail's own.
    target = OUT / "bare_site_html"
    sources = {
        "base.html": template_dir / "project_name" / "templates" / "base.html",
        "home/home_page.html": template_dir / "home" / "templates" / "home" / "home_page.html",
        "home/welcome_page.html": template_dir / "home" / "templates" / "home" / "welcome_page.html",
    }
    engine = Engine()
    for name, source in sources.items():
        rendered = engine.from_string(source.read_text()).render(Context({"project_name": "bare_site"}))
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(rendered)
    static = OUT / "bare_static_src"
    for name, source in {
        "css/bare_site.css": template_dir / "project_name" / "static" / "css" / "project_name.css",
        "js/bare_site.js": template_dir / "project_name" / "static" / "js" / "project_name.js",
        "css/welcome_page.css": template_dir / "home" / "static" / "css" / "welcome_page.css",
    }.items():
        (static / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, static / name)


def setup(stack):
    log(f"databases {DB}, {BARE_DB}; Redis database {REDIS_DB}")
    recreate_databases()
    flush_redis()
    render_bare_templates()
    stack.manage("migrate", "--noinput")
    log("migrated; building data, collecting static files, migrating the bare site")
    jobs = [
        subprocess.Popen([PYTHON, "-m", "bench.data", str(OUT / "data.json")], cwd=BASE_DIR, env=stack.env()),
        subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=stack.env()
        ),
        subprocess.Popen(
            [PYTHON, "-m", "django", "migrate", "--noinput", "-v0"],
            cwd=BASE_DIR,
            env=stack.bare_env(),
            stdout=subprocess.DEVNULL,
        ),
    ]
    for job in jobs:
        if job.wait(timeout=300):
            raise RuntimeError(f"{job.args} failed")
    # Fresh statistics, as autovacuum keeps them on a live database: the rows were just bulk
    # inserted, and without them PostgreSQL plans the API's page queries as nested loops.
    pg("ANALYZE", DB)
    subprocess.run(
        [PYTHON, "-m", "django", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=stack.bare_env(),
        check=True,
        timeout=120,
    )
    return json.loads((OUT / "data.json").read_text())


# --- Report -----------------------------------------------------------------------------------


def table(report):
    f = report["figures"]
    rows = []

    def row(name, value, floor, result, target, met):
        mark = "n/a" if met is None else ("met" if met else "NOT met")
        rows.append((name, value, floor, result, target, mark))

    def get(key):
        return f.get(key) or {}

    a, b, c, d, e, g = (get(k) for k in ("a", "b", "c", "d", "e", "g"))
    fig_f = get("f")
    if "ratio" in a:
        row(
            "(a) uncached case page",
            f"{a['case_page_ms']} ms",
            f"bare Wagtail {a['bare_welcome_page_ms']} ms",
            f"{a['ratio']}×",
            "≤ 1.5×",
            a["met"],
        )
    if "ratio" in b:
        row(
            "(b) cached case page",
            f"{b['cached_case_page_rps']} req/s",
            f"static file {b['static_file_rps']} req/s",
            f"{b['ratio']}",
            "≥ 0.5",
            b["met"],
        )
    if "per_item_ms_10_cases" in c:
        row(
            "(c) API list, per case",
            f"{c['per_item_ms_1000_cases']} ms at 1,000",
            f"{c['per_item_ms_10_cases']} ms at 10",
            "",
            "1,000 ≤ 10",
            c["met"],
        )
    if "ratio" in d:
        row(
            "(d) donation confirmations",
            f"{d['confirmations_per_s']}/s",
            f"UPDATE view {d['update_view_rps']}/s (one same row: {d.get('same_row_update_view_rps')}/s)",
            f"{d['ratio']} (same row: {d.get('ratio_to_same_row')}; exact: {d['totals_exact']})",
            "≥ 0.5",
            d["met"],
        )
    if "p99_ms" in e:
        row(
            "(e) spike, 64 clients × 30 s",
            f"p50 {e['p50_ms']} / p95 {e['p95_ms']} / p99 {e['p99_ms']} ms",
            f"{e['rps']} req/s",
            f"{e['errors']} errors",
            "p99 < 250 ms, 0 errors",
            e["met"],
        )
    if "totals" in fig_f:
        row(
            "(f) two servers: totals",
            f"{fig_f['totals']['raised']} of {fig_f['totals']['expected_raised']}",
            f"{fig_f['totals']['donations']} gifts × 2 callbacks",
            f"exact: {fig_f['totals_exact']}",
            "exact",
            fig_f["met"],
        )
        row(
            "(f) publish on A, seen on B",
            f"{fig_f['publish_seen_on_other_server_after_s']} s",
            "",
            "",
            "",
            None,
        )
        row(
            "(f) cached page, two vs one",
            f"{fig_f['cached_case_page_rps_two_servers']} req/s",
            f"one {fig_f['cached_case_page_rps_one_server']} req/s",
            f"{fig_f['cached_case_page_two_vs_one']}×",
            "",
            None,
        )
        row(
            "(f) uncached page, two vs one",
            f"{fig_f['uncached_case_page_rps_two_servers']} req/s",
            f"one {fig_f['uncached_case_page_rps_one_server']} req/s",
            f"{fig_f['uncached_case_page_two_vs_one']}×",
            "",
            None,
        )
    if "slow_phone" in g:
        slow = g["slow_phone"]
        row(
            "(g) first visit, slow phone",
            f"{slow['kb']} KB, {slow['requests']} requests",
            f"map interactive {slow['map_interactive_ms']} ms",
            f"unthrottled {g['unthrottled']['map_interactive_ms']} ms",
            "≤ 300 KB, ≤ 20 requests",
            g["met"],
        )
    h = get("h")
    if "first_check_ms" in h:
        row(
            "(h) privacy checks, 6 illustrations",
            f"{h['first_check_ms']} ms (new process; CPU {h['first_check_cpu_ms']} ms)",
            f"{h['uncached_check_ms']} ms model loaded, {h['cached_check_ms']} ms files seen",
            f"{len(h['image_findings'])} image findings",
            "< 2 s",
            h["met"],
        )
    redis_down, pg_down, slow, stalled = (get(key) for key in ("i", "j", "k", "l"))
    if "served_pct" in redis_down:
        row(
            "(i) pages, Redis down / hung",
            f"{redis_down['served_pct_down']} % / {redis_down['served_pct_hung']} % answered",
            f"{redis_down['rps_redis_up']} req/s with Redis",
            f"{redis_down['rps_redis_down']} / {redis_down['rps_redis_hung']} req/s",
            "100 %",
            redis_down["met"],
        )
    if "served_pct" in pg_down:
        row(
            "(j) cached page, PostgreSQL down",
            f"{pg_down['served_pct']} % answered, p99 {pg_down['cached_p99_ms']} ms",
            f"uncached: {pg_down['uncached_page_status']}, "
            f"Retry-After {pg_down['uncached_page_retry_after']}",
            f"back after {pg_down['recovered_after_s']} s",
            "100 %",
            pg_down["met"],
        )
    if "p99_ms" in slow:
        row(
            "(k) /healthz, 32 slow clients",
            f"p99 {slow['p99_ms']} ms via nginx",
            f"{slow['p99_ms_without_slow_clients']} ms without; direct: "
            f"{slow['direct_to_gunicorn_timed_out_of_3']}/3 timed out",
            f"{slow['errors']} errors",
            "≤ 1.5× quiet p99",
            slow["met"],
        )
    if "p99_ms" in stalled:
        row(
            "(l) cached page, Stripe stalled",
            f"p99 {stalled['p99_ms']} ms",
            f"{stalled['p99_ms_without_stalled_starts']} ms without; 10 starts: {stalled['starts']}, "
            f"slowest {stalled['slowest_start_s']} s",
            f"{stalled['errors']} errors",
            "p99 < 250 ms, ≤ 1.5× quiet",
            stalled["met"],
        )
    stream = get("m")
    if "hit_rate_percent" in stream:
        row(
            "(m) cache during 5 gifts/s",
            f"hit rate {stream['hit_rate_percent']} %, {stream['cached_rps_during_stream']} req/s",
            f"static file {stream['static_file_rps_during_stream']} req/s under the stream,"
            f" {stream['static_file_rps']} without; {stream['confirmations']} gifts",
            f"{stream['ratio']} ({stream['ratio_to_static_file_without_stream']} to the quiet file);"
            f" fresh {stream['figures_fresh']}/{stream['confirmations']}",
            "≥ 99 %, ≥ 0.5, all fresh",
            stream["met"],
        )
    profile = get("profile")
    if "ms_per_request_in_process" in profile:
        timings = profile["ms_per_request_in_process"]
        row(
            "profile: case page in process",
            f"{timings['fragments_kept']} ms (story kept)",
            f"{timings['nothing_cached']} ms (nothing cached)",
            f"{profile['sql_queries_per_request']} queries",
            "build/bench-profile.html",
            None,
        )
    for key, value in f.items():
        if isinstance(value, dict) and value.get("measured") is False:
            row(f"({key})", "not measured", value.get("why", ""), "", "", None)
    widths = [
        max(len(str(r[i])) for r in rows + [("figure", "value", "floor", "result", "target", "")])
        for i in range(6)
    ]
    header = ("figure", "value", "floor / context", "result", "target", "")
    lines = [" | ".join(str(v).ljust(w) for v, w in zip(header, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    if not shutil.which("wrk"):
        print("wrk is missing: `make bench` installs Debian's package.", file=sys.stderr)
        return 2
    stack = Stack()
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "gunicorn_workers_per_server": int(WORKERS),
        },
        "figures": {},
    }
    failed = False
    try:
        if os.environ.get("BENCH_REUSE") == "1" and (OUT / "data.json").exists():
            # Development only: the databases a BENCH_KEEP=1 run left.
            data = json.loads((OUT / "data.json").read_text())
        else:
            data = setup(stack)
        stack.start("main", "sixdegree_site.wsgi:application", stack.env())
        stack.start("bare", "bench.bare_site.wsgi:application", stack.bare_env())
        wait_ready(stack.ports["main"], "/healthz")
        wait_ready(stack.ports["bare"], "/")
        log(f"servers up: site :{stack.ports['main']}, bare Wagtail :{stack.ports['bare']}")
        from . import faults, stream

        steps = [
            ("a", figure_a, 60),
            ("b", figure_b, 40),
            ("c", figure_c, 40),
            ("e", figure_e, 45),
            ("g", figure_g, 60),
            ("m", stream.figure_m, 30),
            ("d", figure_d, 45),
            ("f", figure_f, 90),
            ("profile", profile_case_page, 40),
            ("h", figure_h, 30),
            ("i", faults.figure_i, 40),
            ("j", faults.figure_j, 70),
            ("k", faults.figure_k, 30),
            ("l", faults.figure_l, 30),
        ]
        only = [key for key in os.environ.get("BENCH_ONLY", "").split(",") if key]
        for key, step, needs in steps:
            if only and key not in only:
                continue
            if remaining() < needs:
                report["figures"][key] = {"measured": False, "why": "the 10-minute budget ran out before it"}
                continue
            log(f"measuring ({key})")
            try:
                report["figures"][key] = step(stack, data)
            except Exception as error:  # noqa: BLE001 - one failed figure must not hide the others
                failed = True
                report["figures"][key] = {"measured": False, "why": f"{type(error).__name__}: {error}"[:2000]}
    finally:
        stack.stop()
        if os.environ.get("BENCH_KEEP") != "1":
            drop_databases()
            flush_redis()
        report["seconds"] = round(time.monotonic() - STARTED, 1)
        report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        REPORT.write_text(json.dumps(report, indent=2, default=str))
    print()
    print(table(report))
    print(
        f"\nReport: {REPORT.relative_to(BASE_DIR)}; profile: build/bench-profile.html; {report['seconds']} s"
    )
    return 1 if failed else 0
