"""WSGI entry point for the Sixdegree site."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sixdegree_site.settings.production")

application = get_wsgi_application()
