"""What gunicorn's master builds before it forks (sixdegree_site.preload), in a fresh process."""

import subprocess
import sys
import textwrap
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

CHECK = textwrap.dedent(
    """
    import django
    django.setup()
    from django.core.validators import EmailValidator
    from django.db import connections
    from django.template import engines
    from django.utils.functional import empty

    def built():
        return {
            "email pattern": EmailValidator.domain_regex._wrapped is not empty,
            "engines": bool(engines._engines),
        }

    before = built()
    from sixdegree_site.preload import warm_up

    warm_up()
    print(before, built(), [c.connection is None for c in connections.all()])
    """
)

GAZETTEER_CHECK = textwrap.dedent(
    """
    import gc
    import sys
    from pathlib import Path

    import django
    django.setup()
    from django.db import connections
    from sixdegree_cases.geo import basemap, gazetteer, labels
    from sixdegree_cases.geo.snapping import current_gazetteer

    if sys.argv[1:] == ["missing"]:
        gazetteer.DATA_DIR = Path("/nonexistent")
    from sixdegree_site.preload import warm_up

    warm_up()
    loaded = gazetteer._load.cache_info().currsize
    print(
        loaded,
        loaded and current_gazetteer().min_population,
        gazetteer._load.cache_info().misses,
        basemap._cells.cache_info().currsize,
        labels._automatic_labels.cache_info().currsize,
        gc.get_freeze_count() > 0,
        [c.connection is None for c in connections.all()],
    )
    """
)


def run(check, *args, **env):
    result = subprocess.run(
        [sys.executable, "-c", check, *args],
        cwd=BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "sixdegree_site.settings.test", "PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1], result.stdout + result.stderr


def test_the_master_compiles_what_each_worker_would_and_opens_no_connection():
    line, output = run(CHECK)
    assert line == (
        "{'email pattern': False, 'engines': False} {'email pattern': True, 'engines': True} [True]"
    ), output


def test_the_master_loads_the_gazetteer_of_the_settings_in_force_and_freezes_it():
    line, output = run(GAZETTEER_CHECK, SIXDEGREE_MIN_PLACE_POPULATION="20000")
    # One gazetteer, the one the workers will ask for (no second load), with what they build
    # from it; then frozen out of the collector's reach, and no connection left open.
    assert line == "1 20000 1 1 1 True [True]", output


def test_a_missing_gazetteer_is_logged_and_the_master_still_starts():
    line, output = run(GAZETTEER_CHECK, "missing")
    assert line == "0 0 1 0 0 True [True]", output
    assert "The gazetteer was not preloaded" in output
