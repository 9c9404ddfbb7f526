"""`get_case_model()` (a leaf, like Wagtail's `get_image_model()`) and the plugin's apps being
required, not optional: a site that leaves one out is told which, before any model loads."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from sixdegree_cases import SIXDEGREE_APPS, get_case_model, get_case_model_string, get_update_model
from sixdegree_cases.checks import check_case_model
from sixdegree_cases.models import CaseUpdate, SurvivorCasePage

ROOT = Path(__file__).resolve().parents[2]


def test_the_case_model_is_the_plugins_by_default():
    assert get_case_model_string() == "sixdegree_cases.SurvivorCasePage"
    assert get_case_model() is SurvivorCasePage
    assert get_update_model() is CaseUpdate
    assert check_case_model() == []


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("not-a-model-path", "form 'app_label.model_name'"),
        ("sixdegree_cases.NoSuchPage", "has not been installed"),
        ("sixdegree_cases.CaseIndexPage", "not a survivor case page"),
        ("wagtailcore.Page", "not a survivor case page"),
    ],
)
def test_a_wrong_case_model_is_named_by_the_check(value, words):
    with override_settings(SIXDEGREE_CASE_MODEL=value):
        [error] = check_case_model()
    assert error.id == "sixdegree_cases.E110"
    assert words in error.msg
    with override_settings(SIXDEGREE_CASE_MODEL=value):
        if "not a survivor" not in words:
            with pytest.raises(ImproperlyConfigured):
                get_case_model()


def run_with_apps(tmp_path, installed_apps_expression):
    """Start Django with the test settings and another INSTALLED_APPS; (exit code, output)."""
    (tmp_path / "subset_settings.py").write_text(
        textwrap.dedent(
            f"""
            from sixdegree_site.settings.test import *  # noqa: F403

            INSTALLED_APPS = {installed_apps_expression}
            """
        )
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "subset_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("left_out", [app for app in SIXDEGREE_APPS if app.startswith("sixdegree_cases.")])
def test_a_site_without_one_of_the_plugins_apps_is_told_which_before_anything_loads(tmp_path, left_out):
    code, output = run_with_apps(tmp_path, f"[app for app in INSTALLED_APPS if app != {left_out!r}]")
    assert code != 0
    assert f"INSTALLED_APPS lacks {left_out} (sixdegree_cases.E101)" in output
    assert "isn't in INSTALLED_APPS" not in output
    assert "started" not in output


def test_the_site_with_every_app_starts(tmp_path):
    code, output = run_with_apps(tmp_path, "INSTALLED_APPS")
    assert code == 0, output
    assert "started" in output
