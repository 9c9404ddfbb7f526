"""Withdrawal of consent: one action unpublishes the case and erases its story everywhere, keeps
the accounts, and cannot run twice or half."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import (
    GroupApprovalTask,
    Page,
    PageLogEntry,
    Revision,
    TaskState,
    Workflow,
    WorkflowState,
    WorkflowTask,
)

from sixdegree_cases.models import FundingItem, SurvivorCasePage
from sixdegree_cases.privacy import check_page, withdraw_consent
from sixdegree_cases.privacy.models import CaseWithdrawal, ConsentRecord, SensitiveTerm
from sixdegree_cases.privacy.withdrawal import WithdrawalError
from tests.factories import milestone
from tests.privacy.helpers import (
    OFFICER_PERMISSIONS,
    REVIEWER_PERMISSIONS,
    add_term,
    jpeg_bytes,
    landscape,
    upload_image,
    user_with,
)

# One canary per place the story's text lives. None may survive a withdrawal.
CANARIES = {
    "title": "Qzlivetitle",
    "pseudonym": "Qzpseudonym",
    "summary": "Qzsummary",
    "dream": "Qzdream",
    "origin": "Qzorigin",
    "seo_title": "Qzseotitle",
    "search_description": "Qzsearchdesc",
    "milestone": "Qzmilestone",
    "narrative": "Qznarrative",
    "draft": "Qzdraftedit",
    "slug": "qzslug",
}


@pytest.fixture
def officer(db):
    return user_with("officer", OFFICER_PERMISSIONS)


@pytest.fixture
def story_case(case_index):
    """A live case whose every public text holds a canary, with a rendition and an unpublished edit."""
    from tests.factories import make_case_page
    from tests.privacy.helpers import record_consent

    image = upload_image(jpeg_bytes(landscape()), title="Road")
    story = [
        milestone("recruitment", f"{CANARIES['milestone']} promise", lat=-0.03, lng=109.33),
        milestone("escape", "Away", narrative=f"<p>{CANARIES['narrative']} at night.</p>"),
    ]
    story[1][1]["illustration"] = {"image": image, "decorative": False, "alt_text": "A road"}
    page = make_case_page(
        case_index,
        title=f"{CANARIES['title']} story",
        slug=CANARIES["slug"],
        pseudonym=CANARIES["pseudonym"],
        summary=f"{CANARIES['summary']} summary",
        dream=f"{CANARIES['dream']} dream",
        origin=f"{CANARIES['origin']}, Indonesia",
        seo_title=CANARIES["seo_title"],
        search_description=CANARIES["search_description"],
        story=story,
    )
    record_consent(page)
    add_term(page, "Desa Contoh", kind="village")
    page.summary = f"{CANARIES['draft']} summary"
    page.save_revision()
    page.refresh_from_db()
    image.get_rendition("fill-800x500|format-webp")
    return page


def illustration_of(page):
    return page.story[1].value["illustration"]


def withdraw(page, user, capture, **kwargs):
    with capture(execute=True):
        return withdraw_consent(page, user, **kwargs)


def has_canary(text):
    return [name for name, canary in CANARIES.items() if canary.lower() in text.lower()]


def test_the_case_is_unpublished_and_blanked(story_case, officer, django_capture_on_commit_callbacks):
    withdraw(story_case, officer, django_capture_on_commit_callbacks)
    page = SurvivorCasePage.objects.get(pk=story_case.pk)
    assert page.live is False
    assert page.live_revision is None
    assert page.title == page.draft_title == f"Withdrawn case #{page.pk}"
    assert page.slug == f"withdrawn-{page.pk}"
    assert (page.pseudonym, page.summary, page.dream, page.origin, len(page.story)) == ("", "", "", "", 0)


def test_no_public_url_api_or_search_result_holds_its_text(
    client, story_case, officer, django_capture_on_commit_callbacks
):
    old_url = story_case.url
    withdraw(story_case, officer, django_capture_on_commit_callbacks)
    urls = [
        old_url,
        f"/cases/withdrawn-{story_case.pk}/",
        "/",
        "/cases/",
        "/sitemap.xml",
        "/api/v2/pages/?fields=*",
        f"/api/v2/pages/{story_case.pk}/?fields=*",
        f"/api/v2/cases/{story_case.pk}/journey.geojson",
    ]
    for url in urls:
        assert has_canary(client.get(url, follow=True).content.decode()) == [], url
    assert client.get(old_url).status_code == 404
    for canary in CANARIES.values():
        # The search page repeats the query itself: it must find nothing and show no other text.
        response = client.get("/search/", {"query": canary})
        assert list(response.context["search_results"]) == []
        assert has_canary(response.content.decode().replace(canary, "")) == []
        assert client.get("/api/v2/pages/", {"search": canary}).json()["items"] == []


def test_no_revision_or_log_entry_holds_its_text(story_case, officer, django_capture_on_commit_callbacks):
    revisions = Revision.objects.for_instance(story_case)
    assert revisions.count() == 2
    withdraw(story_case, officer, django_capture_on_commit_callbacks)
    for revision in revisions:
        assert has_canary(json.dumps(revision.content) + revision.object_str) == []
        assert revision.as_object().title == f"Withdrawn case #{story_case.pk}"
    for entry in PageLogEntry.objects.filter(page_id=story_case.pk):
        assert has_canary(entry.label + json.dumps(entry.data)) == []
    actions = list(PageLogEntry.objects.filter(page_id=story_case.pk).values_list("action", flat=True))
    assert "sixdegree_privacy.withdraw_consent" in actions


def test_it_leaves_the_search_index(story_case, officer, django_capture_on_commit_callbacks):
    from wagtail.search.models import IndexEntry

    entries = IndexEntry.objects.filter(object_id=str(story_case.pk))
    assert entries.exists()
    assert Page.objects.search(CANARIES["title"]).count() == 1
    withdraw(story_case, officer, django_capture_on_commit_callbacks)
    assert not entries.exists()
    for canary in CANARIES.values():
        assert list(Page.objects.search(canary)) == []


def test_its_image_renditions_are_deleted_with_their_files(
    story_case, officer, django_capture_on_commit_callbacks
):
    image = illustration_of(story_case)
    rendition = image.renditions.get()
    storage, name = rendition.file.storage, rendition.file.name
    assert storage.exists(name)
    withdraw(story_case, officer, django_capture_on_commit_callbacks)
    assert not image.renditions.exists()
    assert not storage.exists(name)


def test_consent_is_marked_withdrawn_and_terms_deleted(
    story_case, officer, django_capture_on_commit_callbacks
):
    withdrawal = withdraw(story_case, officer, django_capture_on_commit_callbacks, reason="Asked by phone")
    consent = ConsentRecord.objects.get(case=story_case)
    assert consent.withdrawn_at == withdrawal.withdrawn_at
    assert consent.withdrawn_by == officer
    assert (withdrawal.withdrawn_by, withdrawal.reason) == (officer, "Asked by phone")
    assert not SensitiveTerm.objects.filter(case=story_case).exists()


def test_the_audit_log_of_its_terms_is_erased(story_case, officer, django_capture_on_commit_callbacks):
    from wagtail.log_actions import log
    from wagtail.models import ModelLogEntry

    log(SensitiveTerm.objects.get(case=story_case), "wagtail.create", user=officer)
    assert ModelLogEntry.objects.get().label.startswith("Home village or town: [Latin]")
    withdraw(story_case, officer, django_capture_on_commit_callbacks)
    assert ModelLogEntry.objects.get().label == "Sensitive term (erased)"


def test_funding_items_stay_for_accounting_without_the_story(
    story_case, officer, django_capture_on_commit_callbacks
):
    before = list(FundingItem.objects.filter(page=story_case).values_list("category", "amount"))
    withdraw(story_case, officer, django_capture_on_commit_callbacks)
    items = FundingItem.objects.filter(page=story_case)
    assert list(items.values_list("category", "amount")) == before
    assert [item.description for item in items] == ["Psychological support"]


def test_a_withdrawn_case_can_never_pass_the_checks(story_case, officer, django_capture_on_commit_callbacks):
    withdraw(story_case, officer, django_capture_on_commit_callbacks)
    report = check_page(Revision.objects.for_instance(story_case).last())
    assert report.blocking
    assert "withdrawn" in next(f.message for f in report.findings if f.check == "consent")


def test_a_review_in_progress_is_cancelled_and_its_comments_erased(
    story_case, officer, django_capture_on_commit_callbacks
):
    workflow = Workflow.objects.create(name="Check")
    task = GroupApprovalTask.objects.create(name="Review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    state = workflow.start(story_case, officer)
    TaskState.objects.filter(workflow_state=state).update(comment=f"Remove {CANARIES['narrative']}")
    withdraw(story_case, officer, django_capture_on_commit_callbacks)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_CANCELLED
    assert not TaskState.objects.filter(workflow_state=state).exclude(comment="").exists()


def test_no_redirect_keeps_the_old_address(story_case, officer, django_capture_on_commit_callbacks):
    from wagtail.contrib.redirects.models import Redirect

    withdraw(story_case, officer, django_capture_on_commit_callbacks)
    assert not Redirect.objects.exists()


# --- Refusals: nothing is changed ------------------------------------------------------------


def test_withdrawing_twice_is_refused_and_changes_nothing(
    story_case, officer, django_capture_on_commit_callbacks
):
    withdraw(story_case, officer, django_capture_on_commit_callbacks)
    log_count = PageLogEntry.objects.filter(page_id=story_case.pk).count()
    with pytest.raises(WithdrawalError, match="already withdrawn"):
        withdraw(story_case, officer, django_capture_on_commit_callbacks)
    assert PageLogEntry.objects.filter(page_id=story_case.pk).count() == log_count
    assert CaseWithdrawal.objects.count() == 1


def test_a_user_without_the_permission_cannot_withdraw(story_case, django_capture_on_commit_callbacks):
    reviewer = user_with("reviewer", REVIEWER_PERMISSIONS)
    with pytest.raises(PermissionDenied):
        withdraw(story_case, reviewer, django_capture_on_commit_callbacks)
    story_case.refresh_from_db()
    assert story_case.live
    assert story_case.title.startswith(CANARIES["title"])


def test_only_a_case_can_be_withdrawn(case_index, officer, django_capture_on_commit_callbacks):
    with pytest.raises(WithdrawalError, match="Only a saved survivor's case"):
        withdraw(case_index, officer, django_capture_on_commit_callbacks)
    assert not CaseWithdrawal.objects.exists()


def test_a_failure_midway_erases_nothing_but_takes_the_story_offline(
    story_case, officer, django_capture_on_commit_callbacks
):
    from sixdegree_cases.privacy.signals import consent_withdrawn

    def refuse(**kwargs):
        raise RuntimeError("another app could not erase its copy")

    consent_withdrawn.connect(refuse)
    try:
        with pytest.raises(RuntimeError):
            withdraw(story_case, officer, django_capture_on_commit_callbacks)
    finally:
        consent_withdrawn.disconnect(refuse)
    page = SurvivorCasePage.objects.get(pk=story_case.pk)
    assert not page.live
    assert page.title.startswith(CANARIES["title"])
    assert not CaseWithdrawal.objects.exists()
    assert ConsentRecord.objects.current().filter(case=story_case).exists()
    # Run again once the failure is fixed: it completes.
    withdraw(story_case, officer, django_capture_on_commit_callbacks)
    assert CaseWithdrawal.objects.filter(case=story_case).exists()


def test_new_consent_cannot_be_recorded_for_a_withdrawn_case(
    story_case, officer, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    withdraw(story_case, officer, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="withdrawn and its story erased"):
        ConsentRecord(case=story_case, given_on="2025-01-01", scope_story=True, language="Thai").full_clean()


# --- The admin action -------------------------------------------------------------------------


def test_the_admin_action_asks_for_confirmation(client, story_case, officer):
    client.force_login(officer)
    url = reverse("sixdegree_privacy_case:withdraw", args=[story_case.pk])
    assert "cannot be undone" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert "Tick the box to confirm the withdrawal." in response.content.decode()
    assert not CaseWithdrawal.objects.exists()


def test_the_admin_action_withdraws_once_then_says_so(
    client, story_case, officer, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    url = reverse("sixdegree_privacy_case:withdraw", args=[story_case.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Asked in person", "confirm": "on"}, follow=True)
    assert "Consent withdrawn." in response.content.decode()
    assert CaseWithdrawal.objects.get().reason == "Asked in person"
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert "already withdrawn" in response.content.decode()
    assert CaseWithdrawal.objects.count() == 1


def test_a_withdrawn_consent_record_cannot_be_edited(
    client, story_case, officer, django_capture_on_commit_callbacks
):
    withdraw(story_case, officer, django_capture_on_commit_callbacks)
    consent = ConsentRecord.objects.get(case=story_case)
    client.force_login(officer)
    data = {"given_on": "2024-06-01", "scope_story": "on", "language": "Thai", "notes": "changed"}
    response = client.post(reverse("sixdegree_privacy_consent:edit", args=[consent.pk]), data)
    assert "a withdrawn record cannot be changed" in response.content.decode()
    consent.refresh_from_db()
    assert (consent.language, consent.notes) == ("Indonesian", "")
