"""Profile the case page in one process with pyinstrument: `python -m bench.profile PATH HTML TXT`.

Runs under the benchmark's environment (production settings, its database and Redis), through
Django's full request handling, for a bounded number of requests. Prints a JSON summary.
"""

import json
import sys
import time


def main(path, html_out, text_out, requests=40):
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    for _ in range(5):
        assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    query_count = len(queries.captured_queries)
    reset_queries()
    timings = {}
    from django.test import override_settings

    # Without the profiler: with the story fragments kept (a case re-rendered after a gift) and
    # with no page cache at all (the first render after a publish).
    for label, overrides in (("fragments_kept", {}), ("nothing_cached", {"SIXDEGREE_PAGE_CACHE": None})):
        with override_settings(**overrides):
            client.get(path)
            started = time.perf_counter()
            for _ in range(30):
                client.get(path)
            timings[label] = round((time.perf_counter() - started) / 30 * 1000, 2)
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    profiler.start()
    for _ in range(requests):
        client.get(path)
    profiler.stop()
    elapsed = time.perf_counter() - started
    with open(html_out, "w") as handle:
        handle.write(profiler.output_html())
    with open(text_out, "w") as handle:
        handle.write(profiler.output_text(unicode=True, color=False, show_all=False))
        # Where the time is spent, by function (own time): the template engine's share shows here.
        handle.write("\n\nBy function, own time:\n")
        handle.write(profiler.output_text(unicode=True, color=False, flat=True))
    print(
        json.dumps(
            {
                "requests_profiled": requests,
                "ms_per_request_under_profiler": round(elapsed / requests * 1000, 2),
                "ms_per_request_in_process": timings,
                "sql_queries_per_request": query_count,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
