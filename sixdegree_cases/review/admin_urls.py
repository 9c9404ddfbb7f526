"""Include these at the admin's prefix, before Wagtail's admin URLs (`wagtail.admin.urls`).

They take the path of Wagtail's own view, so `reverse("wagtailadmin_pages:set_privacy")` and
Wagtail's page menus keep working and reach this view instead.
"""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access

from .privacy_dialog import GuardedSetPrivacyView

urlpatterns = [
    path(
        "pages/<int:page_id>/privacy/",
        never_cache(require_admin_access(GuardedSetPrivacyView.as_view())),
        name="sixdegree_set_privacy",
    ),
]
