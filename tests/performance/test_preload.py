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


def test_the_master_compiles_what_each_worker_would_and_opens_no_connection():
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "sixdegree_site.settings.test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    line = result.stdout.strip().splitlines()[-1]
    assert line == (
        "{'email pattern': False, 'engines': False} {'email pattern': True, 'engines': True} [True]"
    ), result.stdout + result.stderr
