"""Include these at the site root, before Wagtail's own URLs (`wagtail.urls`) and documents.

They take the paths and URL names of Wagtail's password views, so Wagtail's templates and
`reverse()` keep working and reach these views instead.
"""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        views.authenticate_page_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        views.authenticate_document_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
]
