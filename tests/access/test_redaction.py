"""The pieces that keep case text out of logs and task results, one behaviour each."""

import io
import json
import logging

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from sixdegree_site.logs import JsonFormatter
from tests.access.failing_task import echo, fail_with_text

CANARY = "Qzredactcanary"


@pytest.fixture
def output():
    """Records of every logger as production formats them (JSON), in a string."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def logged(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_wagtail_page_lines_keep_the_action_and_ids(output):
    logging.getLogger("wagtail").info('Published: "%s" pk=%s revision_id=%d', CANARY, "42", 7)
    assert logged(output)[-1]["message"] == 'Published: "[withheld]" pk=42 revision_id=7'


def test_wagtail_lines_formatted_in_advance_withhold_their_quotes(output):
    logging.getLogger("wagtail.contrib.redirects.signal_handlers").info(
        f"Creating redirects for page: '{CANARY}' id=5"
    )
    assert logged(output)[-1]["message"] == "Creating redirects for page: [withheld] id=5"


def test_wagtail_cdn_purge_lines_withhold_the_url(output):
    logging.getLogger("wagtail.frontendcache").error(
        "Couldn't purge '%s' from HTTP cache. %s: %s",
        f"https://example.org/cases/{CANARY}/",
        "URLError",
        "refused",
    )
    assert CANARY not in output.getvalue()


def test_an_exception_logged_by_the_plugin_keeps_its_class_not_its_message(output):
    try:
        raise ValueError(f"cannot read {CANARY}")
    except ValueError:
        logging.getLogger("sixdegree_cases.privacy.runner").exception("Privacy check %s failed", "terms")
    record = logged(output)[-1]
    assert CANARY not in output.getvalue()
    assert "builtins.ValueError: [withheld]" in record["exc_info"]
    assert record["message"] == "Privacy check terms failed"


def test_a_server_error_keeps_its_frames_not_its_message(output):
    try:
        raise KeyError(CANARY)
    except KeyError:
        logging.getLogger("django.request").error("Internal Server Error: %s", "/admin/", exc_info=True)
    assert CANARY not in output.getvalue()
    assert "builtins.KeyError: [withheld]" in logged(output)[-1]["exc_info"]


def test_other_libraries_lines_are_left_alone(output):
    logging.getLogger("django.request").warning("Not Found: %s", "/some/path/")
    assert logged(output)[-1]["message"] == "Not Found: /some/path/"


@pytest.fixture
def database_tasks(settings, db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_queued():
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)


def test_a_finished_task_keeps_neither_its_arguments_nor_its_return_value(database_tasks):
    result = echo.enqueue(CANARY)
    run_queued()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "SUCCESSFUL"
    assert (stored.args_kwargs, stored.return_value) == ({"args": [], "kwargs": {}}, None)


def test_a_failed_task_keeps_its_exception_class_not_its_messages(database_tasks):
    result = fail_with_text.enqueue(CANARY)
    run_queued()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "FAILED"
    assert CANARY not in f"{stored.args_kwargs} {stored.traceback}"
    assert stored.exception_class_path == "builtins.KeyError"
    assert "fail_with_text" in stored.traceback
    assert stored.traceback.endswith("builtins.KeyError: [withheld]")


def test_a_failed_task_logs_no_message(database_tasks, output):
    fail_with_text.enqueue(CANARY)
    run_queued()
    assert "fail_with_text" in output.getvalue()
    assert CANARY not in output.getvalue()


def test_a_queued_task_keeps_its_arguments_until_it_runs(database_tasks):
    result = echo.enqueue("42")
    assert DBTaskResult.objects.get(pk=result.id).args_kwargs["args"] == ["42"]
