from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from search import views as search_views
from sixdegree_cases.api.router import api_router

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include("sixdegree_cases.review.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("", include("sixdegree_cases.restrictions.urls")),
    path("api/v2/", api_router.urls),
    path("api/v2/", include("sixdegree_cases.urls", namespace="sixdegree_cases")),
    path("donations/", include("sixdegree_cases.donations.urls", namespace="sixdegree_donations")),
    path("payments/", include("sixdegree_cases.donations.callbacks")),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
]


if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    # Serve static and media files from development server
    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns = urlpatterns + [
    # For anything not caught by a more specific rule above, hand over to
    # Wagtail's page serving mechanism. This should be the last pattern in
    # the list:
    path("", include(wagtail_urls)),
    # Alternatively, if you want Wagtail pages to be served from a subpath
    # of your site, rather than the site root:
    #    path("pages/", include(wagtail_urls)),
]
