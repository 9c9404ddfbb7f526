"""Every use of a private Wagtail or Django internal, in one place.

The plugin leans on a few things neither Wagtail nor Django documents: methods it replaces on
Wagtail's classes (because Wagtail offers no hook on that path), attributes with a leading
underscore, the dispatch_uids Wagtail connects its workflow e-mails with. Each is wrapped here
in a small named function, so the rest of the plugin calls public names and a maintainer
upgrading Wagtail or Django has one file to re-read.

`TESTED_WITH` names the versions this file was last checked against; tests/plugin/test_compat.py
fails when the installed versions differ, and checks that every internal used here still
exists. On an upgrade: re-read each function below against the new source, then update
`TESTED_WITH`.

A leaf module: it imports nothing from the plugin. The plugin's policy (what to refuse, what
to copy) is passed in as functions.
"""

import logging

TESTED_WITH = {"wagtail": "8.0.1", "django": "5.2.19"}


# --- Wagtail's Page: the review gate on every publishing path --------------------------------


def wrap_page_methods(*, permissions_for_user, publish):
    """Replace `Page.permissions_for_user` and `Page.publish` with wrappers (idempotent).

    Wagtail asks these two on every path (edit view, bulk actions, scheduled publishing,
    workflows, revert, API) and offers no hook on `publish` that can refuse it, so the gate
    wraps them on `Page` itself. Each wrapper is called as `wrapper(original, page, *args,
    **kwargs)` with Wagtail's own method as `original`.
    """
    from wagtail.models import Page

    if getattr(Page, "_sixdegree_review_gate", False):
        return
    wagtail_permissions_for_user = Page.permissions_for_user
    wagtail_publish = Page.publish

    def page_permissions_for_user(self, user):
        return permissions_for_user(wagtail_permissions_for_user, self, user)

    def page_publish(self, revision, *args, **kwargs):
        return publish(wagtail_publish, self, revision, *args, **kwargs)

    Page.permissions_for_user = page_permissions_for_user
    Page.publish = page_publish
    Page._sixdegree_review_gate = True


def wrap_copy_page_action(after_copy):
    """Call `after_copy(original, copy)` inside the transaction of every page copy (idempotent).

    `Page.copy` on a plain `Page` instance, the admin's copy view and any direct use of
    Wagtail's CopyPageAction all end in `CopyPageAction.execute`, which sends no signal of its
    own (the `after_copy_page` hook runs in the admin view only).
    """
    from django.db import transaction
    from wagtail.actions.copy_page import CopyPageAction

    execute = CopyPageAction.execute
    if getattr(execute, "sixdegree_after_copy", None) is not None:
        return

    def execute_and_after_copy(self, *args, **kwargs):
        with transaction.atomic():
            page_copy = execute(self, *args, **kwargs)
            after_copy(self.page, page_copy)
        return page_copy

    execute_and_after_copy.sixdegree_after_copy = after_copy
    CopyPageAction.execute = execute_and_after_copy


def user_in_task_groups(task, user):
    """Whether `user` may act on a group approval task (Wagtail's private `_user_in_groups`,
    which also lets superusers act, as Wagtail's own views do)."""
    return task._user_in_groups(user)


def set_cached_parent(page, parent):
    """Tell `page` its parent is `parent`, so `get_parent()` costs no query (Wagtail's private
    `_cached_parent_obj`, read by `Page.get_parent` and the routing it does)."""
    page._cached_parent_obj = parent


# --- Wagtail's StreamValue: converting many lazy streams at once ------------------------------


def lazy_stream_state(stream):
    """(raw data, bound blocks) of a lazy StreamValue not yet fully converted, or None.

    Wagtail keeps the raw JSON of a lazy stream in `_raw_data` and its converted children in
    `_bound_blocks` (None until converted); neither is public.
    """
    raw_data = getattr(stream, "_raw_data", None)
    bound = getattr(stream, "_bound_blocks", None)
    if not getattr(stream, "is_lazy", False) or raw_data is None or bound is None:
        return None
    return raw_data, bound


def set_stream_child(stream, index, child_block, value, block_id):
    """Store a converted child in a lazy StreamValue, as its own lazy conversion would."""
    from wagtail.blocks import StreamValue

    stream._bound_blocks[index] = StreamValue.StreamChild(child_block, value, id=block_id)


# --- Django's model state --------------------------------------------------------------------


def cached_related(instance, name):
    """The related object `name` already loaded on `instance` (select_related or prefetch),
    which may be None; only call it when the descriptor says it `is_cached`."""
    return instance._state.fields_cache[name]


# --- Wagtail's workflow e-mails ----------------------------------------------------------------

# (signal name in wagtail.signals, sender "app_label.Model", Wagtail's dispatch_uid, the
# notifier's name in wagtail.admin.signal_handlers): as wagtail/admin/signal_handlers.py
# connects them. Their mails quote the page title and the reviewer's comment.
WAGTAIL_WORKFLOW_EMAILS = [
    (
        "workflow_submitted",
        "wagtailcore.WorkflowState",
        "workflow_state_submitted_email_notification",
        "workflow_submission_email_notifier",
    ),
    (
        "workflow_approved",
        "wagtailcore.WorkflowState",
        "workflow_state_approved_email_notification",
        "workflow_approval_email_notifier",
    ),
    (
        "workflow_rejected",
        "wagtailcore.WorkflowState",
        "workflow_state_rejected_email_notification",
        "workflow_rejection_email_notifier",
    ),
]


def filter_wagtail_workflow_emails(sends_mail):
    """Let Wagtail's workflow e-mails go out only when `sends_mail(workflow_state)` is true.

    Wagtail's receivers are disconnected by their dispatch_uid and replaced, under the same
    dispatch_uid, by one that asks `sends_mail` first and then calls Wagtail's own notifier.
    Whichever app's `ready()` runs first, Wagtail's receiver never stays connected: if Wagtail's
    runs later, its `connect()` finds the dispatch_uid taken and does nothing. Idempotent.
    """
    from django.apps import apps
    from wagtail import signals
    from wagtail.admin import signal_handlers as wagtail_handlers

    for signal_name, sender_label, dispatch_uid, notifier_name in WAGTAIL_WORKFLOW_EMAILS:
        signal = getattr(signals, signal_name)
        sender = apps.get_model(sender_label)
        notifier = getattr(wagtail_handlers, notifier_name)

        def receiver(sender, instance, _notifier=notifier, **kwargs):
            if sends_mail(instance):
                return _notifier(sender=sender, instance=instance, **kwargs)
            return None

        receiver.sixdegree_filtered = True
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
        signal.connect(receiver, sender=sender, dispatch_uid=dispatch_uid, weak=False)


def connected_receiver(signal, sender, dispatch_uid):
    """The receiver connected to `signal` for `sender` under `dispatch_uid`, or None (reads
    Django's private `Signal.receivers` and `_make_id`; for tests and system checks)."""
    import weakref

    from django.dispatch.dispatcher import _make_id

    lookup = (dispatch_uid, _make_id(sender))
    for key, receiver, *_rest in signal.receivers:
        if key == lookup:
            return receiver() if isinstance(receiver, weakref.ReferenceType) else receiver
    return None


# --- The standard library's log record factory -------------------------------------------------


def wrap_log_record_factory(redact):
    """Pass every log record, whichever logger makes it, through `redact(record)` (idempotent).

    A filter on a logger does not see its child loggers' records, and Wagtail and this plugin
    log from many modules, some imported late: the record factory sees them all. The previous
    factory is kept and called first, as `logging.setLogRecordFactory` intends.
    """
    previous = logging.getLogRecordFactory()
    if getattr(previous, "sixdegree_redact", None) is not None:
        return

    def factory(*args, **kwargs):
        return redact(previous(*args, **kwargs))

    factory.sixdegree_redact = redact
    logging.setLogRecordFactory(factory)


# --- Wagtail's site of a request ---------------------------------------------------------------


def request_has_site(request):
    """True once Wagtail (or `set_request_site`) has found the request's site."""
    return hasattr(request, "_wagtail_site")


def set_request_site(request, site):
    """Give `request` its site, where `Site.find_for_request` looks first."""
    request._wagtail_site = site


def find_site_for_request(request):
    """Wagtail's own lookup of a request's site, without storing it on the request."""
    from wagtail.models import Site

    return Site._find_for_request(request)


def request_host_key(request):
    """The host and port Wagtail matches sites by (the raw host: no ALLOWED_HOSTS check here;
    Django validates the host when a view asks for it)."""
    return request._get_raw_host(), request.get_port()
