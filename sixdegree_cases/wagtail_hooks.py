"""Admin additions of the cases app: the case officers' "Case status" screen, and the editor's
place search and "Shown as" preview."""

from django.urls import include, path
from wagtail import hooks

from .geo import admin_views
from .updates.admin import CaseLifecycleViewSet

place_urls = [
    path("search/", admin_views.place_search, name="search"),
    path("preview/", admin_views.place_preview, name="preview"),
]


@hooks.register("register_admin_viewset")
def register_case_status_viewset():
    return CaseLifecycleViewSet()


@hooks.register("register_admin_urls")
def register_place_urls():
    # Wagtail wraps these in its admin access check: staff who may use the admin only.
    return [path("places/", include((place_urls, "sixdegree_places"), namespace="sixdegree_places"))]
