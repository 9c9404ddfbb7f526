"""`sixdegree_cases.compat` holds every private Wagtail/Django internal the plugin uses.

The first test is pinned to the versions compat.py was checked against: it fails on any upgrade
of Wagtail or Django, so that a maintainer re-reads compat.py before updating `TESTED_WITH`.
The others check that each internal is still there and still wired, and that nothing outside
compat.py reaches for one.
"""

import ast
import inspect
import logging
from pathlib import Path

import django
import pytest
import wagtail
from django.db.models.signals import pre_save
from wagtail import signals as wagtail_signals
from wagtail.actions.copy_page import CopyPageAction
from wagtail.admin import signal_handlers as wagtail_handlers
from wagtail.blocks import StreamValue
from wagtail.models import AbstractGroupApprovalTask, Page, WorkflowState, get_page_models

import sixdegree_cases
from sixdegree_cases import compat
from sixdegree_cases.review.guard import REVIEWED_PUBLISHING_MARK, has_review_mixin
from sixdegree_cases.review.mixins import ReviewedPublishingMixin
from sixdegree_cases.review.signal_handlers import guard_plain_page_save, page_save_guard_uid

ROOT = Path(sixdegree_cases.__file__).parent


def test_compat_was_checked_against_the_installed_wagtail_and_django():
    installed = {"wagtail": wagtail.__version__, "django": django.get_version()}
    assert installed == compat.TESTED_WITH, (
        f"Wagtail/Django changed from {compat.TESTED_WITH} to {installed}: re-read every function of "
        "sixdegree_cases/compat.py against the new source, then update compat.TESTED_WITH."
    )


def test_the_private_internals_compat_uses_still_exist():
    assert callable(AbstractGroupApprovalTask._user_in_groups)
    assert "_cached_parent_obj" in inspect.getsource(Page.get_parent)
    stream_source = inspect.getsource(StreamValue)
    assert "self._raw_data" in stream_source
    assert "self._bound_blocks" in stream_source
    assert callable(StreamValue.StreamChild)
    assert "def execute" in inspect.getsource(CopyPageAction)
    from django.dispatch.dispatcher import _make_id

    assert callable(_make_id)
    from django.db.models.base import ModelState

    assert isinstance(ModelState().fields_cache, dict)
    handlers_source = inspect.getsource(wagtail_handlers)
    for signal_name, _sender, dispatch_uid, notifier_name in compat.WAGTAIL_WORKFLOW_EMAILS:
        assert hasattr(wagtail_signals, signal_name)
        assert f'dispatch_uid="{dispatch_uid}"' in handlers_source
        assert hasattr(wagtail_handlers, notifier_name)


def _private_attributes(tree):
    """`x._name` reads and writes in `tree`, other than self/cls and Django's public `_meta`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in {"self", "cls"}:
                continue
            if node.attr == "_meta":
                continue
            yield node


# Private attributes of the plugin's own objects (not Wagtail's or Django's), by module.
OWN_PRIVATE_ATTRIBUTES = {
    "_sixdegree_page_cache",
    "_sixdegree_page_cache_reads",
    "_sixdegree_had_groups",
    "_live_updates",
    "_funding_progress",
    "_towns",
    "_centres",
    "_members",
    "_call",  # caching.django_cache: the plugin's own Redis backend
    "_cache",
    # Django documents Model._state (adding, db) as public.
    "_state",
}


def test_no_module_but_compat_touches_a_private_attribute_of_wagtail_or_django():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or path.name == "compat.py":
            continue
        for node in _private_attributes(ast.parse(path.read_text())):
            if node.attr not in OWN_PRIVATE_ATTRIBUTES:
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} .{node.attr}")
    assert not found, "Move these into sixdegree_cases/compat.py:\n" + "\n".join(found)


def test_no_module_but_compat_replaces_a_method_of_wagtail():
    """Assignments like `Page.publish = ...` or `CopyPageAction.execute = ...` live in compat."""
    replaced = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or path.name == "compat.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id[:1].isupper()
                ):
                    replaced.append(
                        f"{path.relative_to(ROOT.parent)}:{node.lineno} {target.value.id}.{target.attr}"
                    )
    assert not replaced, "\n".join(replaced)


def test_the_review_gate_wraps_page_publishing_once():
    assert getattr(Page, "_sixdegree_review_gate", False) is True
    publish = Page.publish
    from sixdegree_cases.review.mixins import install_review_gate

    install_review_gate()
    assert Page.publish is publish


def test_every_copy_runs_through_the_plugins_copy_of_private_records():
    from sixdegree_cases.privacy.copying import copy_private_records, install

    assert CopyPageAction.execute.sixdegree_after_copy is copy_private_records
    execute = CopyPageAction.execute
    install()
    assert CopyPageAction.execute is execute


def test_every_log_record_is_redacted_once():
    from sixdegree_cases.redaction.logs import install, redact

    factory = logging.getLogRecordFactory()
    assert factory.sixdegree_redact is redact
    install()
    assert logging.getLogRecordFactory() is factory
    record = logging.getLogger("wagtail.core").makeRecord(
        "wagtail.core", logging.INFO, __file__, 1, 'Page created: "%s"', ("Xiao Fang",), None
    )
    assert "Xiao Fang" not in record.getMessage()


def test_wagtails_workflow_mails_are_replaced_under_their_own_dispatch_uid():
    for signal_name, _sender, dispatch_uid, notifier_name in compat.WAGTAIL_WORKFLOW_EMAILS:
        signal = getattr(wagtail_signals, signal_name)
        receiver = compat.connected_receiver(signal, WorkflowState, dispatch_uid)
        assert getattr(receiver, "sixdegree_filtered", False), signal_name
        assert receiver is not getattr(wagtail_handlers, notifier_name)


def test_wagtail_connecting_its_mails_again_does_not_bring_them_back():
    """Attack: an app order where Wagtail's admin app is ready after the review app."""
    wagtail_handlers.register_signal_handlers()
    for signal_name, _sender, dispatch_uid, _notifier in compat.WAGTAIL_WORKFLOW_EMAILS:
        signal = getattr(wagtail_signals, signal_name)
        assert getattr(
            compat.connected_receiver(signal, WorkflowState, dispatch_uid), "sixdegree_filtered", False
        )
        keys = [key for key, *_rest in signal.receivers if key[0] == dispatch_uid]
        assert len(keys) == 1


def test_the_live_page_guard_is_connected_with_a_sender_for_every_page_model():
    models = get_page_models()
    assert Page in models
    for model in models:
        assert compat.connected_receiver(pre_save, model, page_save_guard_uid(model)) is guard_plain_page_save
    senderless = [key for key, *_rest in pre_save.receivers if key[1] == compat_sender_id(None)]
    receivers = [compat.connected_receiver(pre_save, None, key[0]) for key in senderless]
    assert guard_plain_page_save not in receivers


def compat_sender_id(sender):
    from django.dispatch.dispatcher import _make_id

    return _make_id(sender)


def test_only_page_models_with_the_mixin_are_trusted_to_guard_their_own_publishing():
    """Attack: a page type that sets the mark without the mixin's `publish()` would skip the
    gate on `Page.publish`; every marked model in this site must really have the mixin."""
    for model in get_page_models():
        if has_review_mixin(model):
            assert issubclass(model, ReviewedPublishingMixin), model
    assert getattr(ReviewedPublishingMixin, REVIEWED_PUBLISHING_MARK) is True


@pytest.mark.parametrize("value", [True, 1, "yes"])
def test_only_the_exact_mark_counts(value):
    marked = type("Marked", (), {REVIEWED_PUBLISHING_MARK: value})
    assert has_review_mixin(marked) is (value is True)
