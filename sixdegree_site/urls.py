from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap
from wagtail.documents import urls as wagtaildocs_urls

from search import views as search_views
from sixdegree_cases import urls as sixdegree_urls
from sixdegree_cases.donations import api as donations_api
from sixdegree_cases.donations import callbacks as donations_callbacks
from sixdegree_cases.donations import urls as donations_urls
from sixdegree_cases.restrictions import urls as restrictions_urls
from sixdegree_cases.review import admin_urls as review_admin_urls

from . import errors, health
from .api import api_router

urlpatterns = [
    # Before Wagtail's: its privacy dialog, saying why the privacy review refuses a change.
    path("admin/", include(review_admin_urls)),
    path("admin/", include(wagtailadmin_urls)),
    # Before Wagtail's: its password views with a guess limit and uniform answers for page ids.
    path("", include(restrictions_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("api/v2/", api_router.urls),
    path("api/v2/", include(sixdegree_urls, namespace="sixdegree_cases")),
    path("api/v2/donations/", include(donations_api.urlpatterns)),
    path("donations/", include(donations_urls, namespace="sixdegree_donations")),
    # django-payments' provider callbacks: /payments/process/<token>/ and /payments/process/<variant>/
    path("payments/", include(donations_callbacks)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": Sitemap}}),
    path("healthz", health.healthz, name="healthz"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# PostgreSQL unreachable: a static 503 with Retry-After instead of a 500 (sixdegree_site.errors).
handler500 = errors.server_error
