"""How far withdrawal reaches, and where it stops: copies and aliases, images other pages use,
other cases, what the record keeps, and a storage that fails."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from payments import PaymentStatus
from wagtail.admin.models import FormState
from wagtail.models import PageLogEntry, Revision

from sixdegree_cases.donations.models import Donation
from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.privacy import withdraw_consent
from sixdegree_cases.privacy.models import CaseWithdrawal
from sixdegree_cases.privacy.withdrawal.family import story_family
from sixdegree_cases.review.models import ReviewApproval
from sixdegree_cases.review.services import approve_and_publish
from tests.admin_forms import case_form_data
from tests.factories import make_case_page, milestone
from tests.privacy.helpers import (
    OFFICER_PERMISSIONS,
    REVIEWER_PERMISSIONS,
    jpeg_bytes,
    landscape,
    record_consent,
    upload_image,
    user_with,
)


class BrokenStorage(FileSystemStorage):
    """A storage that is down: it cannot delete anything."""

    def delete(self, name):
        raise OSError("storage unavailable")


@pytest.fixture
def officer(db):
    return user_with("officer", OFFICER_PERMISSIONS)


@pytest.fixture
def image(db):
    return upload_image(jpeg_bytes(landscape()), title="Road")


def story_with(image=None, title="A promise of work"):
    story = [milestone("recruitment", title, lat=-0.03, lng=109.33), milestone("escape", "Away")]
    if image is not None:
        story[1][1]["illustration"] = {"image": image, "decorative": False, "alt_text": "A road"}
    return story


@pytest.fixture
def case(case_index, image):
    page = make_case_page(case_index, title="Mawar's story", slug="mawar", story=story_with(image))
    record_consent(page)
    return page


def withdraw(page, user, capture):
    with capture(execute=True):
        return withdraw_consent(page, user)


def stored(page):
    return SurvivorCasePage.objects.get(pk=page.pk)


def is_erased(page):
    page = stored(page)
    return (page.title, page.live, page.pseudonym, len(page.story)) == (
        f"Withdrawn case #{page.pk}",
        False,
        "",
        0,
    )


# --- Copies and aliases ---------------------------------------------------------------------------


def test_a_draft_copy_is_erased(case, officer, django_capture_on_commit_callbacks):
    copy = case.copy(update_attrs={"title": "Copy", "slug": "copy"}, keep_live=False)
    withdraw(case, officer, django_capture_on_commit_callbacks)
    assert is_erased(copy)
    assert CaseWithdrawal.objects.filter(case_id=copy.pk).exists()


def test_a_copy_made_without_a_log_entry_is_found_by_its_story(case, officer):
    copy = case.copy(update_attrs={"title": "Copy", "slug": "copy"}, keep_live=False, log_action=None)
    assert not PageLogEntry.objects.filter(page_id=copy.pk, action="wagtail.copy").exists()
    assert [page.pk for page in story_family(case)] == [case.pk, copy.pk]


def test_a_copy_of_a_copy_is_erased(case, officer, django_capture_on_commit_callbacks):
    copy = case.copy(update_attrs={"title": "Copy", "slug": "copy"}, keep_live=False)
    second = copy.copy(update_attrs={"title": "Copy 2", "slug": "copy-2"}, keep_live=False)
    withdraw(case, officer, django_capture_on_commit_callbacks)
    assert is_erased(second)


def test_withdrawing_a_copy_erases_the_case_it_was_copied_from(
    case, officer, django_capture_on_commit_callbacks
):
    copy = case.copy(update_attrs={"title": "Copy", "slug": "copy"}, keep_live=False)
    withdraw(copy, officer, django_capture_on_commit_callbacks)
    assert is_erased(case)


def test_a_copy_elsewhere_in_the_tree_is_found(case, home, officer):
    copy = case.copy(to=home, update_attrs={"title": "Parked", "slug": "parked"}, keep_live=False)
    assert copy.pk in {page.pk for page in story_family(case)}


def test_an_alias_is_erased(case_index, officer, django_capture_on_commit_callbacks):
    draft = make_case_page(case_index, publish=False, title="Draft", slug="draft")
    alias = draft.create_alias(parent=case_index, update_slug="draft-alias")
    withdraw(draft, officer, django_capture_on_commit_callbacks)
    assert is_erased(alias)


def test_a_copy_with_donations_keeps_them(case, officer, django_capture_on_commit_callbacks):
    copy = case.copy(update_attrs={"title": "Copy", "slug": "copy"}, keep_live=False)
    gift = Donation.objects.create(
        case_id=copy.pk,
        variant="dummy",
        status=PaymentStatus.CONFIRMED,
        total=Decimal("20.00"),
        currency="USD",
    )
    withdraw(case, officer, django_capture_on_commit_callbacks)
    gift.refresh_from_db()
    assert (gift.case_id, gift.total) == (copy.pk, Decimal("20.00"))
    assert is_erased(copy)


def test_a_case_with_a_story_of_its_own_is_not_touched(
    case, case_index, officer, django_capture_on_commit_callbacks
):
    other = make_case_page(case_index, title="Mawar's story", slug="other", pseudonym="Mawar")
    withdraw(case, officer, django_capture_on_commit_callbacks)
    other = stored(other)
    assert other.live
    assert other.title == "Mawar's story"
    assert len(other.story) == 3
    assert not CaseWithdrawal.objects.filter(case_id=other.pk).exists()


def test_a_case_imported_with_the_same_block_ids_but_its_own_story_is_not_touched(case, case_index, officer):
    # A careless import script that reuses a template's block ids for every case.
    raw = [dict(block) for block in stored(case).story.raw_data]
    for block in raw:
        block["value"] = {**block["value"], "title": "Her own milestone", "narrative": "<p>Her own.</p>"}
    other = make_case_page(case_index, title="Imported", slug="imported", story=raw)
    assert {block["id"] for block in stored(other).story.raw_data} == {block["id"] for block in raw}
    assert other.pk not in {page.pk for page in story_family(case)}


def test_the_log_of_a_deleted_copy_loses_the_story(case, officer, django_capture_on_commit_callbacks):
    copy = case.copy(update_attrs={"title": "Mawar's story (copy)", "slug": "copy"}, keep_live=False)
    copy_id = copy.pk
    copy.delete()
    withdraw(case, officer, django_capture_on_commit_callbacks)
    labels = list(PageLogEntry.objects.filter(page_id=copy_id).values_list("label", flat=True))
    assert labels
    assert set(labels) == {f"Deleted page #{copy_id}"}


def test_the_log_of_an_unrelated_deleted_page_is_kept(
    case, case_index, officer, django_capture_on_commit_callbacks
):
    other = make_case_page(case_index, publish=False, title="Another survivor", slug="another")
    other_id = other.pk
    other.delete()
    withdraw(case, officer, django_capture_on_commit_callbacks)
    labels = set(PageLogEntry.objects.filter(page_id=other_id).values_list("label", flat=True))
    assert labels == {"Another survivor"}


# --- Images ---------------------------------------------------------------------------------------


def test_an_image_only_the_case_used_is_deleted_with_its_file(
    case, image, officer, django_capture_on_commit_callbacks
):
    storage, name = image.file.storage, image.file.name
    withdraw(case, officer, django_capture_on_commit_callbacks)
    assert not type(image).objects.filter(pk=image.pk).exists()
    assert not storage.exists(name)


def test_an_image_another_page_shows_is_kept(
    case, case_index, image, officer, django_capture_on_commit_callbacks
):
    make_case_page(
        case_index, title="Another", slug="another", story=story_with(image, title="Other promise")
    )
    withdraw(case, officer, django_capture_on_commit_callbacks)
    image.refresh_from_db()
    assert image.file.storage.exists(image.file.name)


def test_an_image_another_case_shows_only_in_its_draft_is_kept(
    case, case_index, image, officer, django_capture_on_commit_callbacks
):
    other = make_case_page(case_index, title="Another", slug="another", story=story_with(title="Other"))
    other.story = story_with(image, title="Other promise")
    other.save_revision()
    withdraw(case, officer, django_capture_on_commit_callbacks)
    image.refresh_from_db()
    assert image.file.storage.exists(image.file.name)


def test_an_image_only_an_old_revision_used_is_deleted(case, officer, django_capture_on_commit_callbacks):
    older = upload_image(jpeg_bytes(landscape()), title="Earlier picture")
    page = stored(case)
    page.story = story_with(older)
    page.save_revision()
    withdraw(case, officer, django_capture_on_commit_callbacks)
    assert not type(older).objects.filter(pk=older.pk).exists()


# --- A storage that fails -------------------------------------------------------------------------


@pytest.fixture
def broken_storage(settings):
    def breaks():
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "tests.privacy.test_withdrawal_reach.BrokenStorage"},
        }

    return breaks


def test_a_failing_storage_leaves_the_story_erased_and_lists_the_files(
    case, image, officer, broken_storage, django_capture_on_commit_callbacks
):
    name = image.file.name
    broken_storage()
    withdrawal = withdraw(case, officer, django_capture_on_commit_callbacks)
    assert is_erased(case)
    assert not type(image).objects.filter(pk=image.pk).exists()
    withdrawal.refresh_from_db()
    assert withdrawal.pending_files == [name]


def test_the_erase_files_command_deletes_them_once_storage_works(
    case, image, officer, broken_storage, settings, django_capture_on_commit_callbacks
):
    storage, name = image.file.storage, image.file.name
    working = settings.STORAGES
    broken_storage()
    withdrawal = withdraw(case, officer, django_capture_on_commit_callbacks)
    with pytest.raises(CommandError, match="1 file"):
        call_command("privacy_erase_files")
    settings.STORAGES = working
    call_command("privacy_erase_files")
    withdrawal.refresh_from_db()
    assert withdrawal.pending_files == []
    assert not storage.exists(name)


# --- What the record keeps ------------------------------------------------------------------------


def test_an_approval_keeps_who_and_when_but_not_what(case_index, officer, django_capture_on_commit_callbacks):
    reviewer = user_with("reviewer", REVIEWER_PERMISSIONS)
    page = make_case_page(case_index, publish=False, title="Reviewed", slug="reviewed")
    record_consent(page)
    approve_and_publish(page.latest_revision, reviewer, require_checks=False, comment="Fine, Mawar is safe")
    before = ReviewApproval.objects.get(page_id=page.pk)
    withdraw(page, officer, django_capture_on_commit_callbacks)
    after = ReviewApproval.objects.get(page_id=page.pk)
    assert (after.approved_by, after.approved_at, after.checklist) == (
        reviewer,
        before.approved_at,
        before.checklist,
    )
    assert (after.comment, after.report, after.content_fingerprint) == ("", {}, "")


def test_log_entries_keep_action_user_and_time(case, officer, django_capture_on_commit_callbacks):
    entries = PageLogEntry.objects.filter(page_id=case.pk).order_by("pk")
    before = list(entries.values_list("pk", "action", "user_id", "timestamp"))
    withdraw(case, officer, django_capture_on_commit_callbacks)
    after = list(entries.values_list("pk", "action", "user_id", "timestamp"))
    assert after[: len(before)] == before


def test_the_history_of_a_withdrawn_case_still_opens(
    client, case, officer, django_capture_on_commit_callbacks
):
    copy = case.copy(update_attrs={"title": "Copy", "slug": "copy"}, keep_live=False)
    withdraw(case, officer, django_capture_on_commit_callbacks)
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    for page in (case, copy):
        response = client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
        assert response.status_code == 200
        assert "Mawar" not in response.content.decode()


def test_task_results_of_other_work_stay(case, officer, django_capture_on_commit_callbacks):
    def result(text):
        return DBTaskResult.objects.create(
            task_path="sixdegree_cases.caching.frontend.purge_page_and_ancestors",
            args_kwargs={"args": [text], "kwargs": {}},
            queue_name="default",
            backend_name="default",
            run_after=timezone.now(),
            status="SUCCESSFUL",
            exception_class_path="",
            traceback="",
        )

    quoting, other = result("Mawar's story"), result("Another survivor's story")
    withdraw(case, officer, django_capture_on_commit_callbacks)
    assert not DBTaskResult.objects.filter(pk=quoting.pk).exists()
    assert DBTaskResult.objects.filter(pk=other.pk).exists()


# --- The admin action -----------------------------------------------------------------------------


def test_the_confirmation_names_the_copies_it_will_erase(client, case, officer):
    copy = case.copy(update_attrs={"title": "Parked copy", "slug": "copy"}, keep_live=False)
    client.force_login(officer)
    html = client.get(reverse("sixdegree_privacy_case:withdraw", args=[case.pk])).content.decode()
    assert "Parked copy" in html
    assert f"(#{copy.pk})" in html


@pytest.mark.django_db(transaction=True)
def test_the_admin_says_when_files_remain(client, case, officer, broken_storage):
    # Committed for real: the files are deleted when the withdrawal commits, before the answer.
    broken_storage()
    client.force_login(officer)
    url = reverse("sixdegree_privacy_case:withdraw", args=[case.pk])
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert "could not delete 1 image files yet" in response.content.decode()


def test_the_admin_says_when_erasing_failed_and_the_story_is_offline(
    client, case, officer, django_capture_on_commit_callbacks
):
    from sixdegree_cases.privacy.signals import consent_withdrawn

    def refuse(**kwargs):
        raise RuntimeError("another app could not erase its copy")

    consent_withdrawn.connect(refuse)
    client.force_login(officer)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("sixdegree_privacy_case:withdraw", args=[case.pk]), {"confirm": "on"}, follow=True
            )
    finally:
        consent_withdrawn.disconnect(refuse)
    assert response.status_code == 200
    assert "nothing was erased, but the case and its copies are unpublished" in response.content.decode()
    assert not stored(case).live


# --- Nothing writes the story back ----------------------------------------------------------------


def test_a_stale_copy_of_the_page_cannot_store_a_revision(case, officer, django_capture_on_commit_callbacks):
    stale = stored(case)  # loaded before the withdrawal, as an open editor holds it
    withdraw(case, officer, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied, match="withdrawn"):
        stale.save_revision()
    assert all("Mawar" not in str(revision.content) for revision in Revision.objects.for_instance(case))


def test_the_editor_refuses_a_withdrawn_case(client, case, officer, django_capture_on_commit_callbacks):
    withdraw(case, officer, django_capture_on_commit_callbacks)
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    revisions = Revision.objects.for_instance(case).count()
    url = reverse("wagtailadmin_pages:edit", args=[case.pk])
    response = client.post(url, case_form_data(title="Mawar's story", slug="mawar"), follow=True)
    assert "cannot be edited or previewed" in response.content.decode()
    assert Revision.objects.for_instance(case).count() == revisions


def test_a_preview_of_a_withdrawn_case_is_not_stored(
    client, case, officer, django_capture_on_commit_callbacks
):
    withdraw(case, officer, django_capture_on_commit_callbacks)
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    data = case_form_data(title="Mawar's story", slug="mawar")
    response = client.post(reverse("wagtailadmin_pages:preview_on_edit", args=[case.pk]), data)
    # Refused as Wagtail refuses anything not permitted: back to the dashboard, nothing stored.
    assert response.status_code == 302
    assert not FormState.objects.exists()


def test_an_approval_racing_the_withdrawal_cannot_make_the_case_live_again(
    case, officer, django_capture_on_commit_callbacks
):
    racing = stored(case)  # what a reviewer's publish read just before the withdrawal committed
    withdraw(case, officer, django_capture_on_commit_callbacks)
    # Refused twice over: the approval no longer matches anything, and the case is withdrawn.
    with pytest.raises(PermissionDenied):
        racing.save()
    assert is_erased(case)


def test_a_script_cannot_write_words_into_a_withdrawn_case(case, officer, django_capture_on_commit_callbacks):
    withdraw(case, officer, django_capture_on_commit_callbacks)
    page = stored(case)
    page.summary = "Mawar was recruited in her village"
    with pytest.raises(PermissionDenied, match="withdrawn"):
        page.save()


def test_a_withdrawn_case_can_still_be_moved(case, home, officer, django_capture_on_commit_callbacks):
    withdraw(case, officer, django_capture_on_commit_callbacks)
    stored(case).move(home, pos="last-child")
    assert stored(case).get_parent().pk == home.pk


def test_log_data_keeps_its_shape_numbers_and_times_but_no_words():
    from sixdegree_cases.privacy.withdrawal.traces import redact

    data = {
        "revision": {"id": 7, "created": "2025-03-01T10:00:00+00:00", "has_live_version": True},
        "comment": {"id": 3, "contentpath": "title", "text": "Mawar"},
        "title": {"old": "Mawar", "new": "Her story"},
        "locales": ["en"],
    }
    assert redact(data, "X") == {
        "revision": {"id": 7, "created": "2025-03-01T10:00:00+00:00", "has_live_version": True},
        "comment": {"id": 3, "contentpath": "X", "text": "X"},
        "title": {"old": "X", "new": "X"},
        "locales": ["X"],
    }


def test_the_privacy_screen_says_which_files_remain(
    client, case, officer, broken_storage, django_capture_on_commit_callbacks
):
    broken_storage()
    withdraw(case, officer, django_capture_on_commit_callbacks)
    client.force_login(officer)
    html = client.get(reverse("sixdegree_privacy_case:overview", args=[case.pk])).content.decode()
    assert "has not deleted 1 image file yet" in html
