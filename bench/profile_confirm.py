"""Profile donation confirmations in one process: `python -m bench.profile_confirm CASE_ID HTML TXT`.

Runs under the benchmark's environment (production settings, its database and Redis; keep them
with BENCH_KEEP=1), through Django's full request handling, on waiting gifts of case CASE_ID
(each confirmed once, as (d) does). Prints a JSON summary: the statements of one confirmation,
the milliseconds of a confirmation and of (d)'s floor view in the same process, and where the
time goes (pyinstrument, HTML and text).
"""

import json
import sys
import time


def main(case_id, html_out, text_out, requests=150):
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from sixdegree_cases.donations.models import Donation

    tokens = iter(
        Donation.objects.filter(case_id=int(case_id), status="waiting")
        .order_by("pk")
        .values_list("token", flat=True)[: 2 * requests + 40]
    )
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")

    def confirm():
        response = client.get(f"/payments/process/{next(tokens)}/?verification_result=confirmed")
        assert response.status_code == 302, response.status_code

    for _ in range(5):
        confirm()
        client.get("/bench/floor/update")
    # Each request empties the query log when it starts (Django's `request_started`), which the
    # context counts from where the log stood on entry: empty it first, or it counts the tail
    # of the previous request's log (the floor then showed 0 statements, a confirmation 1 less).
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        confirm()
    statements = [query["sql"][:160] for query in queries.captured_queries]
    reset_queries()
    with CaptureQueriesContext(connection) as floor_queries:
        client.get("/bench/floor/update")

    timings = {}
    for label, call, count in (("confirmation", confirm, requests // 2), ("floor_update_view", None, 200)):
        if call is None:

            def call():
                client.get("/bench/floor/update")

        started = time.perf_counter()
        for _ in range(count):
            call()
        timings[label] = round((time.perf_counter() - started) / count * 1000, 2)

    profiler = Profiler(interval=0.0002)
    started = time.perf_counter()
    profiler.start()
    for _ in range(requests):
        confirm()
    profiler.stop()
    elapsed = time.perf_counter() - started
    with open(html_out, "w") as handle:
        handle.write(profiler.output_html())
    with open(text_out, "w") as handle:
        handle.write(profiler.output_text(unicode=True, color=False, show_all=False))
        handle.write("\n\nBy function, own time:\n")
        handle.write(profiler.output_text(unicode=True, color=False, flat=True))
    print(
        json.dumps(
            {
                "requests_profiled": requests,
                "ms_per_confirmation_under_profiler": round(elapsed / requests * 1000, 2),
                "ms_per_request_in_process": timings,
                "sql_statements_per_confirmation": len(statements),
                "statements": statements,
                "sql_statements_of_floor": len(floor_queries.captured_queries),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
