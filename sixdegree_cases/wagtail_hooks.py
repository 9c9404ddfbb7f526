"""Admin additions of the cases app: the case officers' "Case status" screen, and the editor's
place search and "Shown as" preview, and names for its rich-text editors."""

from django.templatetags.static import static
from django.urls import include, path
from django.utils.html import format_html
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


@hooks.register("insert_editor_js")
def name_rich_text_editors():
    """Draftail's editors get their field's label as accessible name (served from static)."""
    return format_html('<script src="{}"></script>', static("sixdegree_cases/js/draftail-names.js"))
