"""Admin hooks of the plugin's geography: the editor's place search and "Shown as" preview."""

from django.urls import include, path
from wagtail import hooks

from .geo import admin_views

place_urls = [
    path("search/", admin_views.place_search, name="search"),
    path("preview/", admin_views.place_preview, name="preview"),
]


@hooks.register("register_admin_urls")
def register_place_urls():
    # Wagtail wraps these in its admin access check: staff who may use the admin only.
    return [path("places/", include((place_urls, "sixdegree_places"), namespace="sixdegree_places"))]
