"""The production settings, for the fault tests' gunicorn: only static files differ.

The production storage needs `collectstatic`'s manifest; the fault tests measure outages,
not static files, so they are served unhashed (and not at all: pages only link to them).
"""

from sixdegree_site.settings.production import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
