"""The site's URLs, plus the floors and the benchmark's own endpoints under /bench/.

Media are served by the app server here; in a deployment the load balancer serves them.
"""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve

from sixdegree_site.urls import handler500  # noqa: F401 - the site's 503 while PostgreSQL is away

from . import views

urlpatterns = [
    path("bench/floor/ok", views.ok),
    path("bench/floor/update", views.update_one_row),
    path("bench/floor/update-same-row", views.update_same_row),
    path("bench/publish/<int:pk>", views.publish),
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    path("", include("sixdegree_site.urls")),
]
