"""The three roles and the workflow on every case index, as the migration and setup make them."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupCollectionPermission, GroupPagePermission, WorkflowPage

from sixdegree_cases.review.constants import CASE_OFFICERS, COMMUNICATIONS_STAFF, PRIVACY_REVIEWERS
from sixdegree_cases.review.roles import ensure_review_setup
from tests.factories import make_case_page


def codenames(group):
    return set(group.permissions.values_list("codename", flat=True))


def page_codenames(group, page):
    return set(
        GroupPagePermission.objects.filter(group=group, page=page).values_list(
            "permission__codename", flat=True
        )
    )


def test_roles_hold_their_model_permissions():
    staff, reviewers, officers = (
        Group.objects.get(name=name) for name in (COMMUNICATIONS_STAFF, PRIVACY_REVIEWERS, CASE_OFFICERS)
    )
    assert {"access_admin", "view_reviewapproval"} <= codenames(staff)
    assert {"access_admin", "view_sensitiveterm", "view_consentrecord"} <= codenames(reviewers)
    assert {
        "add_sensitiveterm",
        "change_sensitiveterm",
        "add_consentrecord",
        "change_consentrecord",
        "withdraw_consent",
    } <= codenames(officers)
    assert not {"add_sensitiveterm", "withdraw_consent"} & codenames(staff)
    image_permissions = set(
        GroupCollectionPermission.objects.filter(group=staff).values_list(
            "permission__content_type__app_label", "permission__codename"
        )
    )
    assert {("wagtailimages", "add_image"), ("wagtailimages", "choose_image")} <= image_permissions


def test_a_new_case_index_gets_the_workflow_and_page_permissions(case_index):
    assert WorkflowPage.objects.get(page=case_index).workflow.name == "Privacy review"
    assert page_codenames(Group.objects.get(name=COMMUNICATIONS_STAFF), case_index) == {
        "add_page",
        "change_page",
    }
    assert page_codenames(Group.objects.get(name=CASE_OFFICERS), case_index) == {"add_page", "change_page"}
    assert page_codenames(Group.objects.get(name=PRIVACY_REVIEWERS), case_index) == set()
    assert not GroupPagePermission.objects.filter(
        page=case_index,
        permission__codename="publish_page",
        group__name__in=[COMMUNICATIONS_STAFF, CASE_OFFICERS],
    ).exists()


def test_staff_edit_and_submit_but_never_publish(case_index, staff, superuser):
    case = make_case_page(case_index, publish=False)
    staff_perms = case.permissions_for_user(staff)
    assert staff_perms.can_edit()
    assert staff_perms.can_submit_for_moderation()
    assert not staff_perms.can_publish()
    assert not case.permissions_for_user(superuser).can_publish()
    assert case_index.permissions_for_user(staff).can_add_subpage()


def test_setup_is_idempotent_and_keeps_edits_made_in_the_admin(case_index):
    staff = Group.objects.get(name=COMMUNICATIONS_STAFF)
    GroupPagePermission.objects.filter(group=staff, page=case_index, permission__codename="add_page").delete()
    staff.permissions.remove(Permission.objects.get(codename="view_reviewapproval"))
    ensure_review_setup()
    ensure_review_setup()
    assert page_codenames(staff, case_index) == {"change_page"}
    assert "view_reviewapproval" not in codenames(staff)
    assert WorkflowPage.objects.filter(page=case_index).count() == 1


def test_setup_rebuilds_what_is_missing(case_index):
    Group.objects.filter(name__in=[COMMUNICATIONS_STAFF, PRIVACY_REVIEWERS, CASE_OFFICERS]).delete()
    WorkflowPage.objects.all().delete()
    workflow = ensure_review_setup()
    assert WorkflowPage.objects.get(page=case_index).workflow == workflow
    assert Group.objects.get(name=PRIVACY_REVIEWERS) in workflow.tasks.first().specific.groups.all()
    assert "access_admin" in codenames(Group.objects.get(name=COMMUNICATIONS_STAFF))
