"""Wagtail API v2, pages only: every case field comes from the case's explicit `api_fields`.

Images are published only as renditions inside a case's milestones, never through the images
endpoint (it would list every uploaded image with a link to the original file). API v3 is
deliberately not mounted: it writes and serves drafts to token holders.
"""

from wagtail.api.v2.router import WagtailAPIRouter

from sixdegree_cases.api.views import PublicPagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
