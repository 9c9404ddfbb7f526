"""The gazetteer is loaded once per process, however many threads ask for it at once."""

import subprocess
import sys
import textwrap
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

CHECK = textwrap.dedent(
    """
    import threading

    from sixdegree_cases.geo.gazetteer import _load, get_gazetteer

    start = threading.Barrier(3)

    def first_request():
        start.wait()
        get_gazetteer(50_000)

    threads = [threading.Thread(target=first_request) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(_load.cache_info().misses)
    """
)


def test_threads_asking_at_once_share_one_load():
    # A fresh process, as a new gunicorn worker whose threads all start on geo requests.
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip() == "1", result.stdout + result.stderr
