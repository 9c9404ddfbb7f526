"""Admin integration: the Privacy menu, a "Privacy" button on each case, the withdrawal log action."""

from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.widgets import Button

from ..conf import get_setting
from .draft_views import check_draft_view
from .drafts import MAX_FIELD_CHARACTERS, MAX_FIELDS
from .models import is_withdrawn
from .permissions import can_see_privacy, is_case
from .signal_handlers import refusal
from .viewsets import CasePrivacyViewSet, PrivacyViewSetGroup
from .withdrawal import LOG_ACTION


@hooks.register("register_admin_viewset")
def register_privacy_viewsets():
    return [PrivacyViewSetGroup(), CasePrivacyViewSet()]


def privacy_button(page, user, priority):
    if page.pk and is_case(page) and can_see_privacy(user):
        yield Button(
            _("Privacy"),
            reverse("sixdegree_privacy_case:overview", args=[page.pk]),
            icon_name="lock",
            attrs={"title": _("Consent, sensitive terms and the privacy checks of this case")},
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def page_header_privacy_button(page, user, view_name, next_url=None):
    yield from privacy_button(page, user, priority=35)


@hooks.register("register_page_listing_more_buttons")
def page_listing_privacy_button(page, user, next_url=None):
    yield from privacy_button(page, user, priority=35)


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    actions.register_action(
        LOG_ACTION, _("Withdraw consent"), _("Consent withdrawn: unpublished and story erased")
    )


@hooks.register("after_copy_page")
def copy_sensitive_terms(request, page, new_page):
    # The admin copies with CopyPageAction directly (not Page.copy), whole subtrees included.
    from .copying import copy_private_records

    copy_private_records(page, new_page)


@hooks.register("before_edit_page")
def refuse_editing_a_withdrawn_case(request, page):
    """A withdrawn case has no story left to edit; a stale form must not write it back."""
    if is_case(page) and is_withdrawn(page):
        messages.error(request, str(refusal().args[0]))
        if can_see_privacy(request.user):
            return redirect("sixdegree_privacy_case:overview", page_id=page.pk)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("register_rich_text_features", order=100)
def render_links_to_public_pages_only(features):
    # Runs after Wagtail's own registration of the "page" link type, and replaces it.
    from .links import PublicPageLinkHandler

    features.register_link_type(PublicPageLinkHandler)


@hooks.register("register_admin_urls")
def register_draft_check_url():
    # Inside Wagtail's admin access check: staff who may use the admin only; the view asks
    # the page's own permissions.
    return [path("privacy/draft-check/", check_draft_view, name="sixdegree_privacy_draft_check")]


@hooks.register("insert_editor_js")
def flag_while_writing():
    """Contact details and sensitive terms are flagged beside each field as staff type."""
    # Wagtail has no editor-only CSS hook: the stylesheet comes with the script. The script is
    # told the request bounds (it sends batches under them) and the messages, translated here.
    return format_html(
        '<link rel="stylesheet" href="{}">'
        '<script src="{}" data-draft-check-url="{}" data-heading="{}" data-max-chars="{}"'
        ' data-max-field-chars="{}" data-max-fields="{}" data-paused="{}" data-off="{}"'
        ' data-offline="{}" data-too-long="{}" data-unreadable="{}" data-more="{}" defer></script>',
        static("sixdegree_cases/css/draft-privacy.css"),
        static("sixdegree_cases/js/draft-privacy.js"),
        reverse("sixdegree_privacy_draft_check"),
        _("Privacy check: this will be public."),
        get_setting("SIXDEGREE_DRAFT_CHECK_MAX_CHARS"),
        MAX_FIELD_CHARACTERS,
        MAX_FIELDS,
        _("Checking while you write is paused: too many checks this minute; it resumes in a minute."),
        _("Checking while you write is off:"),
        _("Checking while you write could not reach the site; it will try again."),
        _("This field is too long to check while you write; the review will check it."),
        _("This field could not be checked while you write; the review will check it."),
        _("And more: the checks stopped here; the review lists every finding."),
    )
