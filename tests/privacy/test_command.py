"""`manage.py privacy_check <page id or slug>` checks the latest revision and exits 1 on a block."""

import io

import pytest
from django.core.management import CommandError, call_command


def run(reference):
    stdout = io.StringIO()
    call_command("privacy_check", str(reference), stdout=stdout, no_color=True)
    return stdout.getvalue()


def test_a_clean_case_prints_no_finding_and_succeeds(case):
    output = run(case.pk)
    assert "No finding." in output
    assert "not proof of safety" in output


def test_the_latest_draft_is_checked_not_the_live_page(case):
    case.summary = "Call her on +62 812-3456-789."
    revision = case.save_revision()
    stdout = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("privacy_check", "her-story", stdout=stdout, no_color=True)
    assert error.value.returncode == 1
    output = stdout.getvalue()
    assert f"revision {revision.pk} (draft)" in output
    assert "BLOCK  contact_details  Summary" in output
    assert "+62 8••-••••-789" in output
    assert "3456" not in output


def test_an_unknown_page_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No page has the id or slug 'nowhere'") as error:
        run("nowhere")
    assert error.value.returncode == 2
