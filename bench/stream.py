"""`make bench` row (m): the page cache while gifts are confirmed, 5 a second (issue 10, item 3).

While one client confirms a waiting gift to the same case every 0.2 s through the dummy
provider's callback and, after each confirmation has answered (its transaction committed),
reads the case's total from PostgreSQL and the case page, and compares the raised figure
shown with that total, wrk asks (16 connections) for the cached case page, the case index and
the home page for 2 s, then for the static file (as in (b)) for 2 s, four times over.
Then the static file alone, 8 s.

- hit rate: share of wrk's answers served from the page cache (X-Page-Cache: hit). Goal ≥ 99 %.
- cached req/s during the stream ÷ static file req/s during a stream of gifts: the floor
  measured in the same conditions (the confirmations take their share of the same two cores
  in both). Goal ≥ 0.5. Also reported: ÷ the static file's req/s without a stream.
- fresh: every figure read after a confirmation answered equals the committed total. Goal: all.
"""

import gzip
import http.client
import re
import threading
import time
from decimal import Decimal

from .run import DB, HOST, OUT, PG, Client, log, pg, static_path, wrk

RAISED = re.compile(rb'data-raised="([0-9.]+)"')
RATE = 5  # confirmations a second
ROUNDS = 4  # of 2 s on the pages, then 2 s on the static file


def combined(runs):
    """wrk's figures of several runs as one."""
    keys = ("requests", "duration_us", "hits", "others", "errors")
    total = {key: sum(run.get(key, 0) for run in runs) for key in keys}
    total["rps"] = total["requests"] / (total["duration_us"] / 1e6)
    return total


def committed_raised(cursor, case_id):
    cursor.execute("SELECT raised FROM sixdegree_donations_casefunding WHERE case_id = %s", [case_id])
    row = cursor.fetchone()
    return Decimal(row[0]) if row else Decimal("0")


def waiting_tokens(case_id, count):
    rows = pg(
        "SELECT token FROM sixdegree_donations_donation "
        f"WHERE case_id = {int(case_id)} AND status = 'waiting' ORDER BY id LIMIT {int(count)}",
        DB,
        fetch=True,
    )
    return [row[0] for row in rows]


def fetch(client, path):
    """`client.get(path)`, once more when gunicorn closed the kept-alive connection."""
    try:
        return client.get(path)
    except (http.client.HTTPException, OSError):
        return client.get(path)


def figure_m(stack, data):
    main = stack.ports["main"]
    case = data["case_a"]
    tokens = waiting_tokens(case["id"], 200)
    if len(tokens) < 2 * 2 * ROUNDS * RATE:
        raise RuntimeError("too few waiting donations for the stream (bench/data.py)")
    pages = [case["url"], data["index_url"], "/"]
    client = Client(main)
    for path in pages:
        for _ in range(3):
            fetch(client, path)
    paths = OUT / "stream-paths.txt"
    paths.write_text("".join(f"{p}\n" for p in pages))
    html = fetch(client, case["url"])[1]
    static = static_path(gzip.decompress(html).decode())

    checks = {"confirmed": 0, "fresh": 0, "stale": [], "errors": 0}

    def alternate():
        # Pages and the static file take turns, 2 s each, under one stream: the machine's
        # other load changes from second to second, and both see the same share of it.
        pages_runs, static_runs = [], []
        for _ in range(ROUNDS):
            pages_runs.append(
                wrk(main, "/", connections=16, seconds=2, script="cache.lua", env={"BENCH_PATHS": str(paths)})
            )
            static_runs.append(wrk(main, static, connections=16, seconds=2))
        return combined(pages_runs), combined(static_runs)

    loaded, floor = during_stream(main, case, tokens, checks, alternate)
    quiet_floor = wrk(main, static, connections=16, seconds=8)
    total = loaded["hits"] + loaded["others"]
    hit_rate = 100 * loaded["hits"] / total if total else 0.0
    ratio = loaded["rps"] / floor["rps"]
    ratio_quiet = loaded["rps"] / quiet_floor["rps"]
    exact = not checks["errors"]
    log(f"(m) {checks['confirmed']} confirmations, hit rate {hit_rate:.2f} %, ratio {ratio:.2f}")
    met = hit_rate >= 99 and ratio >= 0.5 and not checks["stale"] and exact and checks["confirmed"] > 0
    return {
        "figure": "case page, index and home from wrk (16 connections, 4 x 2 s) while gifts are"
        f" confirmed {RATE} a second: hit rate, req/s ÷ the static file's (in turns with them, under"
        " the same stream), figures read after each confirmation",
        "host": HOST,
        "confirmations": checks["confirmed"],
        "confirmation_errors": checks["errors"],
        "requests": total,
        "hit_rate_percent": round(hit_rate, 2),
        "cached_rps_during_stream": round(loaded["rps"]),
        "static_file_rps_during_stream": round(floor["rps"]),
        "static_file_rps": round(quiet_floor["rps"]),
        "ratio": round(ratio, 2),
        "ratio_to_static_file_without_stream": round(ratio_quiet, 2),
        "figures_fresh": checks["fresh"],
        "figures_stale": checks["stale"][:10],
        "all_confirmations_answered": exact,
        "errors": loaded["errors"] + floor["errors"] + quiet_floor["errors"],
        "target": "hit rate >= 99 %, ratio (both under the stream) >= 0.5, every figure read after a"
        " confirmation is current",
        "met": met,
    }


def during_stream(main, case, tokens, checks, load):
    """`load()` while `tokens` are confirmed, RATE a second, each followed by a read of the
    case page whose figure is checked against the committed total (into `checks`)."""
    stop = threading.Event()

    def stream():
        import psycopg2

        connection = psycopg2.connect(f"{PG}/{DB}")
        connection.autocommit = True
        try:
            confirm_and_read(connection.cursor())
        finally:
            connection.close()

    def confirm_and_read(cursor):
        confirmer, reader = Client(main), Client(main)
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
            # What the page must show now: the totals as committed when the callback answered.
            expected = committed_raised(cursor, case["id"])
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
    try:
        return load()
    finally:
        stop.set()
        thread.join(10)
