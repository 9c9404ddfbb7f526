"""Wagtail's password forms for pages and documents, with a guess limit and uniform answers.

Wagtail's own views compare any number of passwords, and its page view answers for any page id
with the id of any restriction: a draft's id got the form (200), a missing id a 404. Here a
page id is answered only for a live page that the restriction actually protects; every other
id, draft or missing, gets the same 404.
"""

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import BaseViewRestriction, CollectionViewRestriction, Page

from ..conf import get_setting
from .guesses import allow_attempt, forget_attempts

TOO_MANY = 429


class LockedOutForm(PasswordViewRestrictionForm):
    """The password form of a client past the guess limit: it never compares the password."""

    def clean_password(self):
        minutes = max(1, round(get_setting("SIXDEGREE_PASSWORD_LOCKOUT_SECONDS") / 60))
        raise forms.ValidationError(
            gettext("Too many wrong passwords from your connection. Try again in %(minutes)d minutes.")
            % {"minutes": minutes},
            code="locked_out",
        )


def _protected_page(restriction_id, page_id):
    """The live page `page_id` if password restriction `restriction_id` guards it, else 404."""
    page = Page.objects.live().filter(pk=page_id).first()
    if page is not None:
        restrictions = [r for r in page.get_view_restrictions() if r.pk == restriction_id]
        if restrictions and restrictions[0].restriction_type == BaseViewRestriction.PASSWORD:
            return page.specific, restrictions[0]
    raise Http404


def _check_password(request, restriction):
    """Count and check a POSTed password: `(form, status, redirect or None)`.

    A client past the limit is refused before its password is compared, right or wrong.
    """
    form = PasswordViewRestrictionForm(request.POST, instance=restriction)
    if not allow_attempt(request, restriction):
        return LockedOutForm(request.POST, instance=restriction), TOO_MANY, None
    if form.is_valid():
        forget_attempts(request, restriction)
        return_url = form.cleaned_data["return_url"]
        if not url_has_allowed_host_and_scheme(return_url, request.get_host(), request.is_secure()):
            return_url = settings.LOGIN_REDIRECT_URL
        restriction.mark_as_passed(request)
        return form, 200, redirect(return_url)
    return form, 200, None


@never_cache
@require_http_methods(["GET", "POST"])
def authenticate_page_with_password(request, page_view_restriction_id, page_id):
    """The password form of a protected page (replaces `wagtailcore_authenticate_with_password`)."""
    page, restriction = _protected_page(page_view_restriction_id, page_id)
    status = 200
    if request.method == "POST":
        form, status, passed = _check_password(request, restriction)
        if passed:
            return passed
    else:
        form = PasswordViewRestrictionForm(instance=restriction)
    action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    response = page.serve_password_required_response(request, form, action_url)
    response.status_code = status
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def authenticate_document_with_password(request, restriction_id):
    """The password form of a protected document collection (replaces Wagtail's)."""
    restriction = CollectionViewRestriction.objects.filter(
        pk=restriction_id, restriction_type=BaseViewRestriction.PASSWORD
    ).first()
    if restriction is None:
        raise Http404
    status = 200
    if request.method == "POST":
        form, status, passed = _check_password(request, restriction)
        if passed:
            return passed
    else:
        form = PasswordViewRestrictionForm(instance=restriction)
    template = getattr(
        settings, "WAGTAILDOCS_PASSWORD_REQUIRED_TEMPLATE", "wagtaildocs/password_required.html"
    )
    action_url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])
    return TemplateResponse(request, template, {"form": form, "action_url": action_url}, status=status)
