"""The site's URLs plus Wagtail's images endpoint, as a host might mount it."""

from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.images.api.v2.views import ImagesAPIViewSet

from sixdegree_site.urls import urlpatterns as site_urlpatterns

router = WagtailAPIRouter("hostapi")
router.register_endpoint("images", ImagesAPIViewSet)

urlpatterns = [path("host-api/", router.urls), *site_urlpatterns]
