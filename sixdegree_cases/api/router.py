"""The plugin's API router for a host site: Wagtail API v2 with the public pages endpoint only.

    path("api/v2/", api_router.urls),

No images or documents endpoint: images are public only as renditions inside a case's
milestones (the images endpoint links every original file; `manage.py check` refuses it).
"""

from wagtail.api.v2.router import WagtailAPIRouter

from .views import PublicPagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
