"""Admin additions of the cases app: the case officers' "Case status" screen."""

from wagtail import hooks

from .updates.admin import CaseLifecycleViewSet


@hooks.register("register_admin_viewset")
def register_case_status_viewset():
    return CaseLifecycleViewSet()
