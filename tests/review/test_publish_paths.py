"""Only an approved revision can make a case live, by any path: one test per path.

Every test starts from a live case whose live version was approved, then makes an unreviewed
change and tries to publish it the way that path does. Superusers are used wherever the path
is open to them: they are refused too.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.review.constants import LOG_PUBLISH_REFUSED
from sixdegree_cases.review.guard import UnreviewedRevisionError
from tests.admin_forms import case_form_data
from tests.factories import make_case_index, make_case_page

from .helpers import FULL_CHECKLIST, act, messages_of, submit

APPROVED = "Approved summary."
UNREVIEWED = "Unreviewed summary: call +62 812 3456 789."


@pytest.fixture
def case(case_index):
    """A live case (its live version approved) with a newer, unreviewed draft."""
    page = make_case_page(case_index, title="Her story", slug="her-story", summary=APPROVED)
    page.summary = UNREVIEWED
    page.save_revision()
    return SurvivorCasePage.objects.get(pk=page.pk)


def assert_still_approved(page):
    live = SurvivorCasePage.objects.get(pk=page.pk)
    assert live.live
    assert live.summary == APPROVED
    assert live.live_revision.as_object().summary == APPROVED


def test_the_publish_button_is_hidden_and_refused_even_for_superusers(client, superuser, case):
    client.force_login(superuser)
    edit_url = reverse("wagtailadmin_pages:edit", args=[case.pk])
    assert 'name="action-publish"' not in client.get(edit_url).content.decode()

    response = client.post(
        edit_url,
        case_form_data(slug="her-story", summary=UNREVIEWED, **{"action-publish": "action-publish"}),
        follow=True,
    )
    assert response.status_code == 200
    assert any("Not published" in message for message in messages_of(response))
    assert_still_approved(case)
    # The edit is kept as a draft, for review.
    assert SurvivorCasePage.objects.get(pk=case.pk).get_latest_revision_as_object().summary == UNREVIEWED


def test_create_and_publish_is_refused(client, superuser, case_index):
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:add", args=["sixdegree_cases", "survivorcasepage", case_index.pk])
    assert 'name="action-publish"' not in client.get(url).content.decode()
    response = client.post(
        url, case_form_data(slug="new-story", **{"action-publish": "action-publish"}), follow=True
    )
    assert any("Not published" in message for message in messages_of(response))
    assert not SurvivorCasePage.objects.filter(slug="new-story").exists()


def test_bulk_publish_is_refused(client, superuser, case):
    client.force_login(superuser)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={case.pk}"
    response = client.post(url, {"include_descendants": ""}, follow=True)
    assert any("Not published" in message for message in messages_of(response))
    assert_still_approved(case)


def test_scheduled_go_live_of_an_unreviewed_revision_is_refused(case):
    revision = case.get_latest_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=5)
    revision.save(update_fields=["approved_go_live_at"])

    call_command("publish_scheduled")

    assert_still_approved(case)
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
    refusal = PageLogEntry.objects.get(page=case, action=LOG_PUBLISH_REFUSED)
    assert refusal.data["path"] == "scheduled"


def test_scheduled_go_live_of_an_approved_revision_goes_ahead(
    case_index, staff, reviewer, fake_checks, monkeypatch
):
    page = make_case_page(case_index, publish=False, title="Later", slug="later")
    page.go_live_at = timezone.now() + timedelta(hours=1)
    task_state = submit(page, staff)
    act(task_state, reviewer, "approve", **FULL_CHECKLIST)
    page.refresh_from_db()
    assert not page.live
    revision = task_state.revision
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None

    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert page.live_revision_id == revision.pk


def test_revert_to_a_revision_and_publish_is_refused(client, superuser, case):
    approved_revision = case.live_revision
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:revisions_revert", args=[case.pk, approved_revision.pk])
    data = case_form_data(slug="her-story", summary=APPROVED, **{"action-publish": "action-publish"})
    response = client.post(url, data, follow=True)
    assert any("Not published" in message for message in messages_of(response))
    live = SurvivorCasePage.objects.get(pk=case.pk)
    # Even reverting to the approved content makes a new revision: it needs its own review.
    assert live.live_revision_id == approved_revision.pk


def test_copy_and_publish_is_refused(client, superuser, case, case_index):
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:copy", args=[case.pk])
    form_html = client.get(url).content.decode()
    assert 'name="publish_copies"' not in form_html
    assert 'name="alias"' not in form_html
    data = {
        "new_title": "Copied",
        "new_slug": "copied",
        "new_parent_page": case_index.pk,
        "publish_copies": "on",
    }
    response = client.post(url, data, follow=True)
    assert any("A copy of a case is a draft" in message for message in messages_of(response))
    assert not Page.objects.filter(slug="copied").exists()

    # Without "publish copies" the copy is made, as a draft.
    del data["publish_copies"]
    client.post(url, data)
    assert not Page.objects.get(slug="copied").live


def test_copy_and_publish_in_code_is_refused(case, case_index):
    with pytest.raises(UnreviewedRevisionError):
        case.copy(to=case_index, update_attrs={"slug": "copied-in-code"}, keep_live=True)
    assert not Page.objects.filter(slug="copied-in-code").exists()


def test_moving_a_live_case_does_not_publish_its_draft(client, superuser, case, home):
    other_index = make_case_index(home, title="Other cases", slug="other-cases")
    client.force_login(superuser)
    response = client.post(reverse("wagtailadmin_pages:move_confirm", args=[case.pk, other_index.pk]))
    assert response.status_code == 302
    moved = SurvivorCasePage.objects.get(pk=case.pk)
    assert moved.get_parent().pk == other_index.pk
    assert_still_approved(case)
    assert moved.has_unpublished_changes


def test_the_api_cannot_write(client, superuser, case):
    client.force_login(superuser)
    for method in (client.post, client.put, client.patch):
        assert method("/api/v2/pages/", {}, content_type="application/json").status_code in (404, 405)
        assert method(f"/api/v2/pages/{case.pk}/", {}, content_type="application/json").status_code in (
            404,
            405,
        )
    assert client.post(f"/api/v3/pages/{case.pk}/publish/").status_code == 404
    assert_still_approved(case)


# --- Code paths: the model-level hard stop --------------------------------------------------


def test_publishing_an_unreviewed_revision_in_code_is_refused(case):
    with pytest.raises(UnreviewedRevisionError):
        case.get_latest_revision().publish()
    with pytest.raises(UnreviewedRevisionError):
        Page.objects.get(pk=case.pk).publish(case.get_latest_revision())
    assert_still_approved(case)


def test_saving_unreviewed_content_onto_a_live_case_is_refused(case):
    live = SurvivorCasePage.objects.get(pk=case.pk)
    live.summary = UNREVIEWED
    with pytest.raises(UnreviewedRevisionError):
        live.save()
    plain = Page.objects.get(pk=case.pk)
    plain.title = "A real name"
    with pytest.raises(UnreviewedRevisionError):
        plain.save()
    assert_still_approved(case)


def test_a_draft_case_cannot_be_made_live_without_review(case_index):
    draft = make_case_page(case_index, publish=False, slug="draft")
    plain = Page.objects.get(pk=draft.pk)
    plain.live = True
    with pytest.raises(UnreviewedRevisionError):
        plain.save()
    with pytest.raises(UnreviewedRevisionError):
        Page.objects.filter(pk=draft.pk).first().specific.save_revision().publish()
    assert not Page.objects.get(pk=draft.pk).live


def test_a_case_created_live_is_refused(case_index):
    with pytest.raises(UnreviewedRevisionError):
        make_case_page(case_index, slug="created-live", live=True, publish=False)
    assert not SurvivorCasePage.objects.filter(slug="created-live").exists()


def test_a_revision_overwritten_after_approval_is_refused(case_index, staff, reviewer, fake_checks):
    page = make_case_page(case_index, publish=False, slug="overwritten")
    page.go_live_at = timezone.now() + timedelta(hours=1)
    task_state = submit(page, staff)
    act(task_state, reviewer, "approve", **FULL_CHECKLIST)
    revision = task_state.revision
    revision.content = {**revision.content, "summary": UNREVIEWED, "go_live_at": None}
    revision.save(update_fields=["content"])
    with pytest.raises(UnreviewedRevisionError, match="changed after"):
        revision.publish()
    assert not SurvivorCasePage.objects.get(pk=page.pk).live


def test_moving_or_locking_a_live_case_needs_no_new_review(case, superuser):
    live = SurvivorCasePage.objects.get(pk=case.pk)
    live.locked = True
    live.save(update_fields=["locked"])
    Page.objects.get(pk=case.pk).save()
    assert_still_approved(case)


def test_another_workflow_cannot_publish_a_case(case_index, superuser):
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    other = Workflow.objects.create(name="Quick approval")
    task = GroupApprovalTask.objects.create(name="Anyone")
    WorkflowTask.objects.create(workflow=other, task=task, sort_order=0)
    WorkflowPage.objects.filter(page=case_index).update(workflow=other)
    draft = make_case_page(case_index, publish=False, slug="other-workflow")
    draft.save_revision(user=superuser)
    workflow_state = other.start(draft, superuser)
    with pytest.raises(UnreviewedRevisionError):
        task.on_action(workflow_state.current_task_state, superuser, "approve")
    assert not SurvivorCasePage.objects.get(pk=draft.pk).live
