"""Builds the wheel with the map's front-end files taken from the npm packages (node_modules).

Project metadata lives in pyproject.toml; this only adds the build step that copies the files
listed in scripts/vendor-assets.json (each with its licence) into the plugin's static files, so
a host site gets Leaflet, topojson-client and the basemap from `pip install` alone.
"""

import json
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
VENDOR = Path("sixdegree_cases", "static", "sixdegree_cases", "vendor")


class BuildPyWithVendorAssets(build_py):
    """setuptools' build_py, then the npm packages' files into <build>/sixdegree_cases/…/vendor/."""

    def run(self):
        super().run()
        copies = json.loads((ROOT / "scripts" / "vendor-assets.json").read_text())["copies"]
        modules = ROOT / "node_modules"
        missing = [source for source, _target in copies if not (modules / source).exists()]
        if missing:
            raise SystemExit(
                f"Run `npm ci` before building the wheel: node_modules lacks {', '.join(missing)}."
            )
        target_root = Path(self.build_lib) / VENDOR
        shutil.rmtree(target_root, ignore_errors=True)
        for source, target in copies:
            destination = target_root / target
            destination.parent.mkdir(parents=True, exist_ok=True)
            if (modules / source).is_dir():
                shutil.copytree(modules / source, destination)
            else:
                shutil.copyfile(modules / source, destination)


setup(cmdclass={"build_py": BuildPyWithVendorAssets})
