"""WSGI entry point for the Sixdegree site."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sixdegree_site.settings.production")

application = get_wsgi_application()

# gunicorn imports this module once, before it forks its workers (`preload_app`).
from sixdegree_site.preload import warm_up  # noqa: E402 - needs the settings set up above

warm_up()
