"""Door 6: `privacy_audit`, the tripwire for changes that bypass every model guard."""

import io
import json
import logging

from django.core.management import CommandError, call_command
from wagtail.models import PageLogEntry

from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.review.audit import LOG_AUDIT_UNPUBLISH, audit_live_pages
from tests.privacy.helpers import add_term

SECRET = "Kampong Sandan"


def run_audit(*args):
    stdout = io.StringIO()
    try:
        call_command("privacy_audit", *args, stdout=stdout, no_color=True)
    except CommandError as error:
        return error.returncode, stdout.getvalue()
    return 0, stdout.getvalue()


def is_live(page):
    return SurvivorCasePage.objects.get(pk=page.pk).live


def test_a_clean_live_case_stays_live(case):
    code, output = run_audit()
    assert code == 0
    assert is_live(case)
    assert "3 live pages checked, 0 unpublished, 0 failing." in output  # home, index, case


def test_a_body_changed_by_queryset_update_is_unpublished(case):
    SurvivorCasePage.objects.filter(pk=case.pk).update(summary=f"She grew up in {SECRET}.")
    code, output = run_audit()
    assert code == 1
    assert not is_live(case)
    assert "not an approved version" in output


def test_a_story_changed_by_sql_is_unpublished_and_logged_without_case_text(case, caplog):
    story = json.dumps(
        [{"type": "milestone", "value": {"narrative": f"<p>{SECRET}</p>"}, "id": "x"}], ensure_ascii=False
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sixdegree_cases_survivorcasepage SET story = %s::jsonb WHERE page_ptr_id = %s",
            [story, case.pk],
        )
    with caplog.at_level(logging.INFO):
        run_audit()
    assert not is_live(case)
    entry = PageLogEntry.objects.get(page=case, action=LOG_AUDIT_UNPUBLISH)
    assert entry.data["reasons"][0] == "fingerprint"
    assert SECRET not in json.dumps(entry.data)
    assert SECRET not in caplog.text
    assert str(case.pk) in caplog.text


def test_a_live_revision_pointer_moved_by_update_is_unpublished(case):
    draft = case.save_revision()
    SurvivorCasePage.objects.filter(pk=case.pk).update(live_revision=draft)
    run_audit()
    assert not is_live(case)


def test_a_case_that_fails_todays_checks_is_unpublished(case):
    add_term(case, "restaurant")
    code, output = run_audit()
    assert code == 1
    assert not is_live(case)
    entry = PageLogEntry.objects.get(page=case, action=LOG_AUDIT_UNPUBLISH)
    assert entry.data["reasons"] == ["checks"]
    assert entry.data["checks"] == ["sensitive_terms"]
    assert "restaurant" not in output


def test_a_dry_run_reports_and_changes_nothing(case):
    SurvivorCasePage.objects.filter(pk=case.pk).update(summary=f"She grew up in {SECRET}.")
    code, output = run_audit("--dry-run")
    assert code == 1
    assert is_live(case)
    assert f"page {case.pk}" in output
    assert SECRET not in output


def test_the_audit_is_a_task_the_worker_can_run(case):
    from sixdegree_cases.review.tasks import privacy_audit

    SurvivorCasePage.objects.filter(pk=case.pk).update(summary=f"She grew up in {SECRET}.")
    result = privacy_audit.enqueue()
    assert result.return_value == {"checked": 3, "unpublished": [case.pk]}
    assert not is_live(case)


def test_audit_service_returns_one_result_per_live_page(case, home, case_index):
    results = audit_live_pages(dry_run=True)
    assert {result.page_id for result in results} == {home.pk, case_index.pk, case.pk}
    assert all(result.passed for result in results)


def test_a_broken_check_counts_as_failing(case, settings):
    settings.SIXDEGREE_PRIVACY_CHECKS = [
        *settings.SIXDEGREE_PRIVACY_CHECKS,
        "tests.live.stand_ins.BrokenCheck",
    ]
    run_audit()
    assert not is_live(case)


def test_the_demo_site_passes_the_audit(db, monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    call_command("load_demo_content", force=True, stdout=io.StringIO())
    results = audit_live_pages(dry_run=True)
    assert len(results) >= 6  # home, index and the four cases
    assert [result.describe() for result in results if not result.passed] == []


def test_a_draft_switched_live_by_update_is_unpublished(case_index):
    from tests.factories import make_case_page
    from tests.privacy.helpers import record_consent

    draft = make_case_page(case_index, publish=False, slug="never-reviewed")
    record_consent(draft)
    SurvivorCasePage.objects.filter(pk=draft.pk).update(live=True)
    run_audit()
    assert not is_live(draft)
