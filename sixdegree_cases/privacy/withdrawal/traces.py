"""What the story left outside its pages: audit log data, task results, redirects.

Log entries keep who did what and when (the action, the user, the time, ids); every word in
them goes. Task results have no link to the page they worked on, so they are found by the
story's own words (its titles, slugs, pseudonyms and sensitive terms).
"""

import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry, PageLogEntry

# Shorter words would match unrelated text (and erase other cases' task results).
MIN_NEEDLE_LENGTH = 4


def _is_timestamp(value):
    try:
        return parse_datetime(value) is not None or datetime.date.fromisoformat(value) is not None
    except ValueError:
        return False


def redact(data, neutral):
    """A copy of log entry data that keeps its shape, numbers, booleans and timestamps and
    replaces every other string (titles, comments, paths, whatever a future action adds)."""
    if isinstance(data, dict):
        return {key: redact(value, neutral) for key, value in data.items()}
    if isinstance(data, list):
        return [redact(value, neutral) for value in data]
    if isinstance(data, str) and data and not _is_timestamp(data):
        return neutral
    return data


def erase_page_log(page_ids, neutral_of):
    """Overwrite the label and the words of every log entry of these pages."""
    # update(), not save(): a log entry validates its page on save, and a deleted page's fails.
    for pk, page_id, data in PageLogEntry.objects.filter(page_id__in=page_ids).values_list(
        "pk", "page_id", "data"
    ):
        neutral = str(neutral_of(page_id))
        PageLogEntry.objects.filter(pk=pk).update(label=neutral, data=redact(data, neutral))


def erase_deleted_pages_log(words):
    """Overwrite the log of deleted pages (a copy an editor discarded) that quotes the story.

    A deleted page leaves its log entries behind, and nothing else to tie it to the case: a
    deleted page whose entries hold one of the story's words loses the words of all of them.
    """
    from django.db.models import Exists, OuterRef
    from wagtail.models import Page

    deleted = PageLogEntry.objects.filter(~Exists(Page.objects.filter(pk=OuterRef("page_id"))))
    quoting = _matching(deleted, ["label", "data"], words)
    page_ids = set(quoting.values_list("page_id", flat=True))
    erase_page_log(page_ids, lambda page_id: str(_("Deleted page #%(id)s") % {"id": page_id}))
    return page_ids


def erase_model_log(model, object_ids, neutral):
    """Overwrite the label and the words of every log entry of these objects of `model`."""
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in object_ids],
    )
    neutral = str(neutral)
    for pk, data in entries.values_list("pk", "data"):
        ModelLogEntry.objects.filter(pk=pk).update(label=neutral, data=redact(data, neutral))


def needles(texts):
    """The distinct words worth looking for: stripped, long enough, longest first."""
    found = {" ".join(str(text).split()) for text in texts if text}
    return sorted((text for text in found if len(text) >= MIN_NEEDLE_LENGTH), key=len, reverse=True)


def _matching(queryset, fields, words):
    if not words:
        return queryset.none()
    aliases = {f"{field}_as_text": Cast(field, TextField()) for field in fields}
    condition = Q()
    for word in words:
        for alias in aliases:
            condition |= Q(**{f"{alias}__icontains": word})
    return queryset.alias(**aliases).filter(condition)


def erase_task_results(words):
    """Delete background-task results whose arguments, return value or traceback quote the story.

    A task that is running keeps its row (its worker writes the outcome to it); it is blanked
    instead, so the story is not kept while it finishes.
    """
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    results = _matching(DBTaskResult.objects.all(), ["args_kwargs", "return_value", "traceback"], words)
    running = results.filter(status=TaskResultStatus.RUNNING)
    running.update(args_kwargs={"args": [], "kwargs": {}}, return_value=None, traceback="")
    deleted, _details = results.exclude(status=TaskResultStatus.RUNNING).delete()
    return deleted


def erase_redirects(page_ids, words):
    """Delete redirects to these pages and redirects from an address that names the story."""
    if not apps.is_installed("wagtail.contrib.redirects"):
        return
    from wagtail.contrib.redirects.models import Redirect

    Redirect.objects.filter(redirect_page_id__in=page_ids).delete()
    _matching(Redirect.objects.all(), ["old_path", "redirect_link"], words).delete()
