"""Signal receivers of the privacy review, connected from `SixdegreeReviewConfig.ready()`."""

from django.db.models.signals import class_prepared, m2m_changed, post_delete, post_save, pre_delete, pre_save
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    pre_page_move,
    task_approved,
    task_rejected,
    task_submitted,
)

from ..compat import filter_wagtail_workflow_emails
from . import audience
from .alerts import LiveCaseAlert
from .guard import check_live_save, has_review_mixin, is_reviewed_model
from .live import resolve_alerts
from .mail import approved_notifier, changes_requested_notifier, submitted_notifier
from .models import PrivacyReviewTaskState
from .roles import case_index_models, setup_case_index
from .tasks import queue_recheck
from .visibility import (
    guard_page_move,
    guard_restriction_delete,
    guard_restriction_groups,
    guard_restriction_save,
)


def guard_plain_page_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """The hard stop for every page saved live, except a case's own instance (its model guards
    its own save)."""
    if raw or not isinstance(instance, Page) or has_review_mixin(type(instance)):
        return
    check_live_save(instance, update_fields)


def set_up_new_case_index(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        setup_case_index(instance)


def concerns_reviewed_page(workflow_state):
    try:
        model = workflow_state.content_type.model_class()
    except Exception:  # noqa: BLE001 - a broken content type is not ours to judge
        return False
    return is_reviewed_model(model)


def sends_wagtail_workflow_email(workflow_state):
    """Wagtail's generic workflow e-mails quote the page title and the reviewer's comment,
    which for a case under review may hold what the review exists to catch: for reviewed pages,
    ours (mail.py) replace them. Other pages keep Wagtail's."""
    return not concerns_reviewed_page(workflow_state)


def quiet_wagtail_workflow_emails_for_cases():
    """Wagtail's workflow e-mail receivers, replaced by their dispatch_uid (compat)."""
    filter_wagtail_workflow_emails(sends_wagtail_workflow_email)


def connect_page_save_guard(model):
    """`guard_plain_page_save` for one page model (pre_save is sent with the concrete class)."""
    if issubclass(model, Page) and not model._meta.abstract:
        pre_save.connect(guard_plain_page_save, sender=model, dispatch_uid=page_save_guard_uid(model))


def page_save_guard_uid(model):
    return f"sixdegree_review_guard_page_save_{model._meta.label_lower}"


def guard_page_models_created_later(sender, **kwargs):
    """A page model defined after the apps are ready is guarded too."""
    if issubclass(sender, Page):
        connect_page_save_guard(sender)


def recheck_after_term_change(sender, instance, raw=False, **kwargs):
    """A new or changed sensitive term may match what is live now."""
    if not raw and instance.case_id:
        queue_recheck(instance.case_id, LiveCaseAlert.Reason.SENSITIVE_TERM)


def recheck_after_consent_change(sender, instance, raw=False, **kwargs):
    """Consent withdrawn or deleted: the live case may no longer have any."""
    if not raw and instance.case_id:
        queue_recheck(instance.case_id, LiveCaseAlert.Reason.CONSENT)


def close_alerts_of_unpublished_page(sender, instance, **kwargs):
    resolve_alerts(instance.pk)


def connect_live_rechecks():
    # The privacy app is required (contract.SIXDEGREE_APPS): its models are always there.
    post_save.connect(
        recheck_after_term_change,
        sender="sixdegree_privacy.SensitiveTerm",
        dispatch_uid="sixdegree_review_recheck_term",
    )
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            recheck_after_consent_change,
            sender="sixdegree_privacy.ConsentRecord",
            dispatch_uid=f"sixdegree_review_recheck_consent_{name}",
        )
    page_unpublished.connect(close_alerts_of_unpublished_page, dispatch_uid="sixdegree_review_close_alerts")


def connect_view_restriction_pins():
    """Every change of view restrictions through the ORM re-pins the pages it concerns, so the
    audit can tell a change that skipped the guard (`audience`)."""

    uid = "sixdegree_review_pin_restrictions"
    post_save.connect(
        audience.repin_after_restriction_saved, sender=PageViewRestriction, dispatch_uid=f"{uid}_saved"
    )
    post_delete.connect(
        audience.repin_after_restriction_deleted, sender=PageViewRestriction, dispatch_uid=f"{uid}_deleted"
    )
    m2m_changed.connect(
        audience.repin_after_restriction_groups,
        sender=PageViewRestriction.groups.through,
        dispatch_uid=f"{uid}_groups",
    )
    page_published.connect(audience.repin_after_publish, dispatch_uid=f"{uid}_published")
    post_page_move.connect(audience.repin_after_move, dispatch_uid=f"{uid}_moved")


def register_signal_handlers():
    for model in get_page_models():
        connect_page_save_guard(model)
    class_prepared.connect(
        guard_page_models_created_later, dispatch_uid="sixdegree_review_guard_new_page_models"
    )
    pre_delete.connect(
        guard_restriction_delete,
        sender=PageViewRestriction,
        dispatch_uid="sixdegree_review_guard_restriction_delete",
    )
    pre_page_move.connect(guard_page_move, dispatch_uid="sixdegree_review_guard_page_move")
    connect_view_restriction_pins()
    pre_save.connect(
        guard_restriction_save,
        sender=PageViewRestriction,
        dispatch_uid="sixdegree_review_guard_restriction_save",
    )
    m2m_changed.connect(
        guard_restriction_groups,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="sixdegree_review_guard_restriction_groups",
    )
    for model in case_index_models():
        post_save.connect(
            set_up_new_case_index,
            sender=model,
            dispatch_uid=f"sixdegree_review_setup_{model._meta.label_lower}",
        )
    task_submitted.connect(
        submitted_notifier, sender=PrivacyReviewTaskState, dispatch_uid="sixdegree_review_submitted_mail"
    )
    task_approved.connect(
        approved_notifier, sender=PrivacyReviewTaskState, dispatch_uid="sixdegree_review_approved_mail"
    )
    task_rejected.connect(
        changes_requested_notifier,
        sender=PrivacyReviewTaskState,
        dispatch_uid="sixdegree_review_changes_requested_mail",
    )
    quiet_wagtail_workflow_emails_for_cases()
    connect_live_rechecks()
