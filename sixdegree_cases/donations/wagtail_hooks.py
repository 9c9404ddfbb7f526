"""Admin hooks: the Finance menu (donations, case totals), its dashboard panel, and a guard
that keeps cases with donations from being deleted."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import FinancePanel, FinanceViewSetGroup, HideDonorNameView, ReadOnlyPermissionPolicy
from .models import CaseFunding, Donation

register_permission_policy(Donation, ReadOnlyPermissionPolicy(Donation))
register_permission_policy(CaseFunding, ReadOnlyPermissionPolicy(CaseFunding))


@hooks.register("register_admin_viewset")
def register_finance():
    return FinanceViewSetGroup()


@hooks.register("register_admin_urls")
def register_finance_urls():
    urls = [path("donations/<int:pk>/hide-name/", HideDonorNameView.as_view(), name="hide_name")]
    return [
        path("finance/", include((urls, "sixdegree_donations_admin"), namespace="sixdegree_donations_admin"))
    ]


@hooks.register("register_permissions")
def register_hide_name_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="sixdegree_donations", codename="hide_donor_name"
    )


@hooks.register("construct_homepage_panels")
def add_finance_panel(request, panels):
    if request.user.has_perm("sixdegree_donations.view_donation"):
        panels.append(FinancePanel())


@hooks.register("before_delete_page")
def keep_cases_with_donations(request, page):
    """Donations are accounting records (on_delete=PROTECT): unpublish the case instead."""
    if Donation.objects.filter(case__path__startswith=page.path).exists():
        messages.error(
            request,
            _(
                "This page cannot be deleted: donations were made to it (or to a case below it) "
                "and must be kept for accounting. Unpublish it instead."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
