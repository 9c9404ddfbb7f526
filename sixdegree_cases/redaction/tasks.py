"""Background task results keep when and how a task ran, not what it was given or returned.

django-tasks' database backend keeps each task's arguments, return value and traceback after it
ran. Wagtail's CDN purge task takes page URLs (a case's slug) and its backends' settings, and a
failed task's traceback ends with its exception's message. Once a task has finished, those are
of no use to anyone and are blanked here; status, times, task path and exception class stay.
"""

from django.apps import apps

from .logs import WITHHELD

EMPTY_ARGUMENTS = {"args": [], "kwargs": {}}


# Lines of a Python traceback that are not frames and say nothing about the data.
_TRACEBACK_HEADINGS = {
    "Traceback (most recent call last):",
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
    "",
}


def withhold_traceback(text, exception_class_path):
    """The traceback's frames (indented lines) and exception class, without any message.

    Messages, their continuation lines and exception notes are the unindented lines that are
    not headings: they go, and one line names the exception's class instead.
    """
    if not text:
        return text
    kept = [line for line in text.splitlines() if line.startswith(" ") or line in _TRACEBACK_HEADINGS]
    return "\n".join([*kept, f"{exception_class_path or 'Exception'}: {WITHHELD}"])


def blank_finished_task_result(sender, task_result, **kwargs):
    """`task_finished` receiver: blank the stored arguments, return value and message."""
    if not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    # django-tasks-db sends the backend itself on success and its class on failure.
    backend = sender if isinstance(sender, type) else type(sender)
    if not issubclass(backend, DatabaseBackend):
        return
    stored = DBTaskResult.objects.filter(pk=task_result.id).only("traceback", "exception_class_path").first()
    if stored is None:
        return
    DBTaskResult.objects.filter(pk=stored.pk).update(
        args_kwargs=EMPTY_ARGUMENTS,
        return_value=None,
        traceback=withhold_traceback(stored.traceback, stored.exception_class_path),
    )
