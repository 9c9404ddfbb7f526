"""Admin integration: the review screens, the menu item, audit log actions, and clear
messages wherever the admin offers a way to publish a case directly."""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.models import Page

from . import urls
from .alert_views import live_alerts_panel
from .constants import LOG_ALERT_UNPUBLISH, LOG_APPROVE, LOG_AUDIT_UNPUBLISH, LOG_PUBLISH_REFUSED
from .guard import is_reviewed_model, refusal_message
from .messages import reword_submitted
from .models import ReviewApproval
from .views import can_view_review_queue


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("privacy-review/", include((urls, "sixdegree_review"), namespace="sixdegree_review"))]


class ReviewQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_review_queue(request.user)


@hooks.register("register_admin_menu_item")
def register_review_queue_menu_item():
    return ReviewQueueMenuItem(
        _("Privacy review"),
        reverse("sixdegree_review:index"),
        name="privacy-review",
        icon_name="clipboard-list",
        order=250,
    )


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    actions.register_action(LOG_APPROVE, _("Privacy review: approve"), _("Approved in privacy review"))
    actions.register_action(
        LOG_PUBLISH_REFUSED, _("Privacy review: publish refused"), _("Publishing refused: not approved")
    )
    actions.register_action(
        LOG_AUDIT_UNPUBLISH,
        _("Privacy audit: unpublished"),
        _("Unpublished by the privacy audit: not an approved version, or a blocking finding"),
    )
    actions.register_action(
        LOG_ALERT_UNPUBLISH,
        _("Privacy alert: unpublished"),
        _("Unpublished from a privacy alert"),
    )


@hooks.register("register_permissions")
def register_review_permissions():
    content_type = ContentType.objects.get_for_model(ReviewApproval)
    return Permission.objects.filter(content_type=content_type, codename="view_reviewapproval")


def _page_class_from_request(request):
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match else {}
    try:
        content_type = ContentType.objects.get_by_natural_key(
            kwargs["content_type_app_name"], kwargs["content_type_model_name"]
        )
    except (KeyError, ContentType.DoesNotExist):
        return None
    return content_type.model_class()


@hooks.register("construct_page_action_menu")
def hide_publish_for_cases(menu_items, request, context):
    page = context.get("page")
    page_class = page.specific_class if page is not None else _page_class_from_request(request)
    if is_reviewed_model(page_class):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_create_page")
def refuse_create_and_publish(request, parent_page, page_class):
    if request.method == "POST" and request.POST.get("action-publish") and is_reviewed_model(page_class):
        messages.error(request, refusal_message())
        return redirect(request.get_full_path())
    return None


@hooks.register("after_edit_page")
def explain_refused_publish(request, page):
    # Without publish permission the edit view saves a draft instead: say why it is not live.
    if (
        request.method == "POST"
        and request.POST.get("action-publish")
        and is_reviewed_model(page.specific_class)
    ):
        messages.error(request, refusal_message())


@hooks.register("before_bulk_action")
def explain_refused_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    ids = request.GET.getlist("id")
    parent_id = request.GET.get("childOf", "")
    if "all" in ids and parent_id.isdigit():
        parent = Page.objects.filter(pk=parent_id).first()
        pages = parent.get_children() if parent else Page.objects.none()
    else:
        pages = Page.objects.filter(pk__in=[pk for pk in ids if pk.isdigit()])
    if any(is_reviewed_model(page.specific_class) for page in pages):
        messages.error(request, refusal_message())
    return None


@hooks.register("before_copy_page")
def refuse_copy_and_publish(request, page):
    if not is_reviewed_model(page.specific_class) or request.method != "POST":
        return None
    if request.POST.get("publish_copies") or request.POST.get("alias"):
        messages.error(
            request,
            _(
                "A copy of a case is a draft: it goes live only after its own privacy review. "
                "Nothing was copied."
            ),
        )
        return redirect(request.get_full_path())
    return None


@hooks.register("construct_homepage_panels")
def add_live_alerts_panel(request, panels):
    panel = live_alerts_panel(request)
    if panel is not None:
        panels.append(panel)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def say_what_happens_after_submitting(request, page):
    reword_submitted(request, page)
