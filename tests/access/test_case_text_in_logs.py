"""No case text in logs or task results, along a case's whole life.

A case is created, edited, submitted, approved (published) and withdrawn through the admin and
the review services, with every log record captured (all loggers, DEBUG and up), tasks queued in
the database as in production and run by `db_worker`, and a front-end cache configured (on the
loopback, where nothing listens). No canary may appear in any log line or stored task result.
"""

import logging

import pytest
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.privacy import withdraw_consent
from sixdegree_cases.review.constants import COMMUNICATIONS_STAFF, PRIVACY_REVIEWERS
from sixdegree_cases.review.roles import ensure_review_setup
from tests.admin_forms import case_form_data, milestone_form
from tests.privacy.helpers import OFFICER_PERMISSIONS, record_consent, user_with
from tests.review.conftest import member_of
from tests.review.helpers import FULL_CHECKLIST, act, submit

CANARIES = {
    "title": "Qzlogtitle",
    "slug": "qzlogslug",
    "pseudonym": "Qzlogpseudonym",
    "summary": "Qzlogsummary",
    "milestone": "Qzlogmilestone",
    "edited title": "Qzlogedited",
}


@pytest.fixture(autouse=True)
def production_like(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:1",
        }
    }


def canaries_in(text):
    return sorted(name for name, canary in CANARIES.items() if canary.lower() in str(text).lower())


def log_lines(records):
    lines = []
    for record in records:
        lines.append(f"{record.name} {record.getMessage()}")
        if record.exc_info:
            lines.append(logging.Formatter().formatException(record.exc_info))
    return lines


def run_tasks():
    """What `manage.py db_worker` does for each ready task (its loop would close the test's
    database connection between tasks)."""
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


@pytest.fixture
def lived_case(client, case_index, caplog, django_capture_on_commit_callbacks):
    """Create, edit, submit, approve and withdraw a case whose texts hold canaries."""
    ensure_review_setup()
    staff = member_of(COMMUNICATIONS_STAFF, "staff")
    reviewer = member_of(PRIVACY_REVIEWERS, "reviewer")
    caplog.set_level(logging.DEBUG)
    client.force_login(staff)
    add_url = reverse("wagtailadmin_pages:add", args=["sixdegree_cases", "survivorcasepage", case_index.pk])
    form = case_form_data(
        title=CANARIES["title"],
        slug=CANARIES["slug"],
        pseudonym=CANARIES["pseudonym"],
        summary=f"She left with {CANARIES['summary']}.",
        milestones=[milestone_form(title=CANARIES["milestone"]), milestone_form("escape", title="Escape")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(add_url, form).status_code == 302
    page = SurvivorCasePage.objects.get(slug=CANARIES["slug"])
    record_consent(page)
    with django_capture_on_commit_callbacks(execute=True):
        item = page.funding_items.get()
        edit = {**form, "title": CANARIES["edited title"], "funding_items-INITIAL_FORMS": "1"}
        edit["funding_items-0-id"] = str(item.pk)
        assert client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), edit).status_code == 302
    run_tasks()
    page = SurvivorCasePage.objects.get(pk=page.pk)
    with django_capture_on_commit_callbacks(execute=True):
        task_state = submit(page, staff)
    with django_capture_on_commit_callbacks(execute=True):
        act(task_state, reviewer, "approve", **FULL_CHECKLIST)
    page = SurvivorCasePage.objects.get(pk=page.pk)
    assert page.live, "the approval published the case"
    run_tasks()
    officer = user_with("officer", OFFICER_PERMISSIONS)
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(page, officer)
    run_tasks()
    return page


def records(caplog):
    """Everything logged while the case lived (the fixture's setup) and since."""
    return caplog.get_records("setup") + caplog.get_records("call")


def test_no_log_line_holds_case_text(lived_case, caplog):
    assert any(record.name == "wagtail" for record in records(caplog)), "Wagtail logged"
    leaks = {line: canaries_in(line) for line in log_lines(records(caplog)) if canaries_in(line)}
    assert leaks == {}


def test_no_task_result_holds_case_text(lived_case):
    results = list(DBTaskResult.objects.all())
    assert results, "tasks ran through the database"
    leaks = {
        result.task_path: canaries_in(f"{result.args_kwargs} {result.return_value} {result.traceback}")
        for result in results
        if canaries_in(f"{result.args_kwargs} {result.return_value} {result.traceback}")
    }
    assert leaks == {}


def test_the_logs_still_say_what_happened(lived_case, caplog):
    """Redacted, not silenced: Wagtail's line keeps its action and ids."""
    published = [r.getMessage() for r in records(caplog) if r.name == "wagtail" and "Published" in r.msg]
    assert published
    assert f"pk={lived_case.pk}" in published[0]
