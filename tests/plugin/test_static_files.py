"""The plugin's static files, vendored map assets included, collect under Django's manifest storage."""

import json

from django.core.management import call_command

VENDORED = [
    "sixdegree_cases/vendor/leaflet/leaflet.js",
    "sixdegree_cases/vendor/leaflet/leaflet.css",
    "sixdegree_cases/vendor/topojson-client/topojson-client.min.js",
    "sixdegree_cases/vendor/world-atlas/countries-110m.json",
]
LICENCES = [
    "sixdegree_cases/vendor/leaflet/LICENSE",
    "sixdegree_cases/vendor/topojson-client/LICENSE",
    "sixdegree_cases/vendor/world-atlas/LICENSE",
]


def test_collectstatic_works_with_the_manifest_storage(settings, tmp_path):
    # What a host gets from the installed apps alone (the site's own static/ is not the plugin's).
    settings.STATICFILES_DIRS = []
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in [*VENDORED, *LICENCES, "sixdegree_cases/js/story-map.js"]:
        assert name in manifest
        assert (tmp_path / manifest[name]).is_file()
    # Leaflet's source map comment now names the hashed map file that ships beside it.
    leaflet = (tmp_path / manifest["sixdegree_cases/vendor/leaflet/leaflet.js"]).read_text()
    assert manifest["sixdegree_cases/vendor/leaflet/leaflet.js.map"].rsplit("/", 1)[1] in leaflet
    # Leaflet's stylesheet points at its hashed marker images.
    css = (tmp_path / manifest["sixdegree_cases/vendor/leaflet/leaflet.css"]).read_text()
    assert manifest["sixdegree_cases/vendor/leaflet/images/layers.png"].rsplit("/", 1)[1] in css
