"""`make run`'s embedded default: the demo site on SQLite answers every public page.

The suite runs on PostgreSQL; `make run` serves SQLite. SQL written by hand (routing's
restriction check, the alias chain) must be SQL both understand: this test builds the demo on a
fresh SQLite file, in its own interpreter with the development settings, and asks for every
public page of the demo, the API and the search as an anonymous visitor.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

VISIT = """
from django.test import Client
from wagtail.models import Page
client = Client(raise_request_exception=True, HTTP_HOST="127.0.0.1:8000")
paths = ["/", "/cases/", "/search/?q=sewing", "/api/v2/pages/?type=sixdegree_cases.SurvivorCasePage"]
paths += [page.get_url() for page in Page.objects.live().public().filter(depth__gt=1) if page.get_url()]
for path in paths:
    response = client.get(path)
    print(response.status_code, path)
"""


def test_the_demo_on_sqlite_answers_every_public_page(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SIXDEGREE_", "DJANGO_", "DATABASE_URL"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "sixdegree_site.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "WAGTAILADMIN_BASE_URL": "http://127.0.0.1:8000",
    }

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    manage("migrate", "--noinput")
    manage("load_demo_content")
    answers = [line.split(" ", 1) for line in manage("shell", "--no-imports", "-c", VISIT).splitlines()]
    visited = {path: status for status, path in answers}
    assert "/cases/xiao-fang/" in visited, answers
    assert len(visited) > 8, answers
    assert {path: status for path, status in visited.items() if status != "200"} == {}
