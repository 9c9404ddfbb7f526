"""The wheel as a host site gets it: built from the source tree, installed into a fresh virtualenv
with a `wagtail start` site that follows only README's recipe (tests/host_site/).

The fresh virtualenv installs the plugin's dependencies from a local wheelhouse
(`make wheelhouse`, pinned by requirements.txt): nothing is downloaded while the test runs.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST_SITE = ROOT / "tests" / "host_site"
WHEELHOUSE = Path(os.environ.get("SIXDEGREE_WHEELHOUSE", ROOT / "build" / "wheelhouse"))
VENDOR = "sixdegree_cases/static/sixdegree_cases/vendor"

pytestmark = pytest.mark.wheel


def run(command, cwd, env=None, timeout=600):
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def source_files():
    """The repository's files as git sees them: committed or new, nothing ignored."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT)
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def vendored_files():
    """The npm packages' files setup.py copies into the wheel, as wheel paths."""
    copies = json.loads((ROOT / "scripts" / "vendor-assets.json").read_text())["copies"]
    modules = ROOT / "node_modules"
    names = set()
    for source, target in copies:
        path = modules / source
        if path.is_dir():
            names.update(
                f"{VENDOR}/{target}/{child.relative_to(path)}" for child in path.rglob("*") if child.is_file()
            )
        else:
            names.add(f"{VENDOR}/{target}")
    return names


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel, built from a copy of the source tree (so no ignored leftover can slip in)."""
    source = tmp_path_factory.mktemp("source")
    for name in source_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    (source / "node_modules").symlink_to((ROOT / "node_modules").resolve())
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, source], cwd=source)
    (built,) = out.glob("sixdegree_cases-*.whl")
    return built


def test_the_wheel_holds_exactly_the_plugins_files(wheel):
    in_wheel = {
        name
        for name in zipfile.ZipFile(wheel).namelist()
        if not name.split("/")[0].endswith(".dist-info") and not name.endswith("/")
    }
    expected = {name for name in source_files() if name.startswith("sixdegree_cases/")} | vendored_files()
    assert sorted(expected - in_wheel) == []
    assert sorted(in_wheel - expected) == []
    # What the issue found missing: every template, the map's assets and their licences.
    assert {f"{VENDOR}/leaflet/LICENSE", f"{VENDOR}/leaflet/leaflet.js.map"} <= in_wheel
    assert any(name.startswith("sixdegree_cases/review/templates/") for name in in_wheel)
    assert any(name.startswith("sixdegree_cases/privacy/templates/") for name in in_wheel)


def test_readme_recipe_is_what_the_host_site_does():
    """Every line of README's plugin recipe appears in the host site (which the next test runs)."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Using the plugin in another Wagtail site", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert blocks, "README's plugin section has no settings or URLs"
    host = "\n".join(
        path.read_text()
        for path in [HOST_SITE / "host_site/settings/base.py", HOST_SITE / "host_site/urls.py"]
    )
    host_lines = {line.strip() for line in host.splitlines()}
    recipe = [line.strip() for block in blocks for line in block.splitlines()]
    missing = [
        line for line in recipe if line and not line.startswith(("#", "...")) and line not in host_lines
    ]
    assert missing == []


def test_a_fresh_host_site_runs_a_case_from_the_wheel(wheel, tmp_path):
    if not any(WHEELHOUSE.glob("Django-*.whl")) and not any(WHEELHOUSE.glob("django-*.whl")):
        pytest.fail(f"No wheelhouse at {WHEELHOUSE}: run `make wheelhouse` (the dependencies' wheels).")
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(environment)
    python = environment / "bin" / "python"
    run(
        [
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-compile",
            "--no-index",
            "--find-links",
            WHEELHOUSE,
            wheel,
        ],
        cwd=tmp_path,
    )
    # Nothing of this project's site or its production stack came along.
    installed = run([python, "-m", "pip", "list", "--format=freeze"], cwd=tmp_path).lower()
    for name in ("gunicorn", "whitenoise", "django-axes", "django-csp", "boto3", "redis=="):
        assert name not in installed

    site = tmp_path / "host_site"
    shutil.copytree(HOST_SITE, site, ignore=shutil.ignore_patterns("__pycache__", "db.sqlite3"))
    env = {"DJANGO_SETTINGS_MODULE": "host_site.settings.dev", "PYTHONPATH": ""}
    run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=site, env=env)
    run([python, "manage.py", "check", "--fail-level", "WARNING"], cwd=site, env=env)
    output = run([python, "walkthrough.py"], cwd=site, env=env)
    seen = json.loads(output.strip().splitlines()[-1])

    assert seen["published"] is True
    assert seen["milestones_drawn"] == 2
    assert "/static/sixdegree_cases/vendor/leaflet/leaflet.js" in seen["map_assets"]
    assert seen["api_cases"] == ["Mawar"]
    assert (seen["donation"], seen["raised"]) == ("confirmed", "50.00")
    assert seen["collectstatic"] == "ok"
