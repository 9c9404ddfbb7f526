"""The site's URLs, plus the demo's media files (nginx serves them in a deployment)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from sixdegree_site.urls import handler500  # noqa: F401
from sixdegree_site.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
