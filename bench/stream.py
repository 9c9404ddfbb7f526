"""`make bench` row (m): the page cache while gifts are confirmed, 5 a second (issue 10, item 3).

wrk asks for the cached case page, the case index and the home page (16 connections, 8 s)
while one client confirms a gift of 10.00 to the same case every 0.2 s through the dummy
provider's callback, and after each confirmation has answered (its transaction committed)
reads the case page and compares the raised figure shown with the total it must show now.
Then the static file alone, 16 connections, 8 s, as in (b).

- hit rate: share of wrk's answers served from the page cache (X-Page-Cache: hit). Goal ≥ 99 %.
- cached req/s during the stream ÷ static file req/s. Goal ≥ 0.5.
- fresh: every figure read after a confirmation answered equals the committed total. Goal: all.
"""

import gzip
import http.client
import re
import threading
import time
from decimal import Decimal

from .run import HOST, OUT, Client, log, pg, static_path, wrk

RAISED = re.compile(rb'data-raised="([0-9.]+)"')
RATE = 5  # confirmations a second
GIFT = Decimal("10.00")


def committed_raised(case_id, database):
    rows = pg(
        f"SELECT raised FROM sixdegree_donations_casefunding WHERE case_id = {int(case_id)}", database, True
    )
    return Decimal(rows[0][0]) if rows else Decimal("0")


def fetch(client, path):
    """`client.get(path)`, once more when gunicorn closed the kept-alive connection."""
    try:
        return client.get(path)
    except (http.client.HTTPException, OSError):
        return client.get(path)


def figure_m(stack, data):
    from .run import DB

    main = stack.ports["main"]
    case = data["case_a"]
    tokens = list(case.get("stream_tokens", []))
    if not tokens:
        raise RuntimeError("no waiting donations for the stream (bench/data.py)")
    pages = [case["url"], data["index_url"], "/"]
    client = Client(main)
    for path in pages:
        for _ in range(3):
            fetch(client, path)
    paths = OUT / "stream-paths.txt"
    paths.write_text("".join(f"{p}\n" for p in pages))

    expected = committed_raised(case["id"], DB)
    checks = {"confirmed": 0, "fresh": 0, "stale": [], "errors": 0}
    stop = threading.Event()

    def stream():
        confirmer, reader = Client(main), Client(main)
        nonlocal expected
        started = time.monotonic()
        for number, token in enumerate(tokens):
            if stop.is_set():
                break
            delay = started + number / RATE - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            try:
                status, _body, _headers, _elapsed = fetch(
                    confirmer, f"/payments/process/{token}/?verification_result=confirmed"
                )
            except (http.client.HTTPException, OSError):
                checks["errors"] += 1
                continue
            if status >= 400:
                checks["errors"] += 1
                continue
            expected += GIFT
            checks["confirmed"] += 1
            try:
                status, body, headers, _elapsed = fetch(reader, case["url"])
            except (http.client.HTTPException, OSError):
                checks["stale"].append(["unanswered", str(expected)])
                continue
            if headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            match = RAISED.search(body)
            shown = Decimal(match.group(1).decode()) if match else None
            if shown == expected:
                checks["fresh"] += 1
            else:
                checks["stale"].append([str(shown), str(expected)])

    thread = threading.Thread(target=stream, daemon=True)
    thread.start()
    time.sleep(0.5)
    loaded = wrk(main, "/", connections=16, seconds=8, script="cache.lua", env={"BENCH_PATHS": str(paths)})
    stop.set()
    thread.join(10)
    html = fetch(client, case["url"])[1]
    floor = wrk(main, static_path(gzip.decompress(html).decode()), connections=16, seconds=8)
    total = loaded["hits"] + loaded["others"]
    hit_rate = 100 * loaded["hits"] / total if total else 0.0
    ratio = loaded["rps"] / floor["rps"]
    exact = committed_raised(case["id"], DB) == expected
    log(f"(m) {checks['confirmed']} confirmations, hit rate {hit_rate:.2f} %, ratio {ratio:.2f}")
    met = hit_rate >= 99 and ratio >= 0.5 and not checks["stale"] and exact and checks["confirmed"] > 0
    return {
        "figure": "case page, index and home from wrk (16 connections, 8 s) while gifts are confirmed"
        f" {RATE} a second: hit rate, req/s ÷ the static file's, figures read after each confirmation",
        "host": HOST,
        "confirmations": checks["confirmed"],
        "confirmation_errors": checks["errors"],
        "requests": total,
        "hit_rate_percent": round(hit_rate, 2),
        "cached_rps_during_stream": round(loaded["rps"]),
        "static_file_rps": round(floor["rps"]),
        "ratio": round(ratio, 2),
        "figures_fresh": checks["fresh"],
        "figures_stale": checks["stale"][:10],
        "totals_exact": exact,
        "errors": loaded["errors"] + floor["errors"],
        "target": "hit rate >= 99 %, ratio >= 0.5, every figure read after a confirmation is current",
        "met": met,
    }
