"""Door 4: Wagtail's default groups do not act on cases, and making a case public needs review."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.urls import reverse
from wagtail.models import BaseViewRestriction, GroupPagePermission, Page, PageViewRestriction, WorkflowPage

from sixdegree_cases.review.guard import UnreviewedRevisionError
from sixdegree_cases.review.roles import ensure_review_setup
from tests.factories import make_case_index, make_case_page

from .conftest import member_of


def run_migration():
    """Run the data migration's function on the current database, as `migrate` would."""
    module = importlib.import_module(
        "sixdegree_cases.review.migrations.0004_default_groups_off_the_case_tree"
    )
    module.close_side_doors(apps, None)


def grant_wagtail_defaults(page):
    """What Wagtail's own migrations give its default groups on the root."""
    for group_name, codenames in (
        ("Editors", ["add_page", "change_page"]),
        ("Moderators", ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]),
    ):
        group, _created = Group.objects.get_or_create(name=group_name)
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        ):
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


@pytest.fixture
def live_case(case_index):
    return make_case_page(case_index, title="Her story", slug="her-story")


@pytest.fixture
def moderator(db):
    Group.objects.get_or_create(name="Moderators")
    return member_of("Moderators", "moderator")


@pytest.fixture
def editor(db):
    Group.objects.get_or_create(name="Editors")
    return member_of("Editors", "editor")


def test_the_migration_takes_the_case_tree_from_the_default_groups(live_case, case_index, moderator, editor):
    grant_wagtail_defaults(Page.get_first_root_node())
    grant_wagtail_defaults(case_index)

    run_migration()

    for user in (moderator, editor):
        permissions = Page.objects.get(pk=live_case.pk).specific.permissions_for_user(user)
        assert not permissions.can_edit()
        assert not permissions.can_unpublish()
        assert not permissions.can_set_view_restrictions()
    assert not GroupPagePermission.objects.filter(group__name__in=["Editors", "Moderators"]).exists()


def test_ensure_review_setup_keeps_the_default_groups_off_the_case_tree(live_case, home):
    grant_wagtail_defaults(home)

    ensure_review_setup()

    assert not GroupPagePermission.objects.filter(
        group__name__in=["Editors", "Moderators"], page=home
    ).exists()


def test_default_groups_keep_permissions_outside_the_case_tree(case_index, home):
    about = home.add_child(instance=Page(title="About", slug="about", live=False))
    grant_wagtail_defaults(about)

    ensure_review_setup()

    assert GroupPagePermission.objects.filter(group__name="Editors", page=about).exists()


def test_the_root_is_routed_through_privacy_review(case_index):
    root = Page.get_first_root_node()
    WorkflowPage.objects.filter(page=root).delete()
    moderators_workflow = apps.get_model("wagtailcore", "Workflow").objects.create(name="Moderators approval")
    WorkflowPage.objects.create(page=root, workflow=moderators_workflow)

    workflow = ensure_review_setup()

    assert WorkflowPage.objects.get(page=root).workflow == workflow


def test_the_migration_routes_the_root_through_privacy_review(case_index):
    root = Page.get_first_root_node()
    WorkflowPage.objects.filter(page=root).delete()
    moderators_workflow = apps.get_model("wagtailcore", "Workflow").objects.create(name="Moderators approval")
    WorkflowPage.objects.create(page=root, workflow=moderators_workflow)

    run_migration()

    assert WorkflowPage.objects.get(page=root).workflow.name == "Privacy review"


# --- Making a restricted case public counts as publishing ----------------------------------------


def restrict(page, restriction_type=BaseViewRestriction.PASSWORD):
    return PageViewRestriction.objects.create(page=page, restriction_type=restriction_type, password="s3cret")


def test_removing_the_password_of_a_live_case_is_refused(live_case):
    restriction = restrict(live_case)

    with pytest.raises(UnreviewedRevisionError), transaction.atomic():
        restriction.delete()

    assert PageViewRestriction.objects.filter(pk=restriction.pk).exists()


def test_removing_restrictions_in_bulk_is_refused(live_case):
    restriction = restrict(live_case, BaseViewRestriction.LOGIN)

    with pytest.raises(UnreviewedRevisionError), transaction.atomic():
        PageViewRestriction.objects.filter(page=live_case).delete()

    assert PageViewRestriction.objects.filter(pk=restriction.pk).exists()


def test_turning_a_restriction_into_none_is_refused(live_case):
    restriction = restrict(live_case)
    restriction.restriction_type = BaseViewRestriction.NONE

    with pytest.raises(UnreviewedRevisionError):
        restriction.save()


def test_removing_the_restriction_above_live_cases_is_refused(live_case, case_index):
    restriction = restrict(case_index)

    with pytest.raises(UnreviewedRevisionError):
        restriction.delete()


def test_a_restriction_still_covered_by_another_can_be_removed(live_case, case_index):
    restrict(case_index)
    own = restrict(live_case)

    own.delete()

    assert not PageViewRestriction.objects.filter(pk=own.pk).exists()


def test_the_restriction_of_a_draft_case_can_be_removed(case_index):
    draft = make_case_page(case_index, publish=False, title="Draft", slug="draft")
    restriction = restrict(draft)

    restriction.delete()

    assert not PageViewRestriction.objects.filter(pk=restriction.pk).exists()


def test_deleting_a_restricted_case_deletes_its_restriction(live_case):
    restrict(live_case)

    Page.objects.get(pk=live_case.pk).delete()

    assert not PageViewRestriction.objects.exists()


def test_a_superuser_cannot_make_a_live_case_public_in_the_admin(client, superuser, live_case):
    restriction = restrict(live_case)
    client.force_login(superuser)

    # Django's deletion is atomic: the refusal rolls it back (a savepoint inside the test's
    # own transaction).
    with transaction.atomic():
        response = client.post(
            reverse("wagtailadmin_pages:set_privacy", args=[live_case.pk]), {"restriction_type": "none"}
        )

    # The privacy dialog shows the refusal (tests/review/test_privacy_dialog.py).
    assert response.json()["step"] == "set_privacy"
    assert "counts as publishing" in response.json()["html"]
    assert PageViewRestriction.objects.filter(pk=restriction.pk).exists()


# --- Each role can do what README says it can: images -------------------------------------------


@pytest.mark.parametrize("role", ["staff", "officer"])
def test_staff_and_case_officers_can_upload_and_choose_images(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)

    assert client.get(reverse("wagtailimages:add_multiple")).status_code == 200
    assert client.get(reverse("wagtailimages_chooser:choose")).status_code == 200


def test_privacy_reviewers_do_not_upload_images(client, reviewer):
    client.force_login(reviewer)

    assert client.get(reverse("wagtailimages:add_multiple")).status_code != 200


def test_the_migration_replaces_the_image_permissions_that_granted_nothing(staff):
    from wagtail.models import Collection, GroupCollectionPermission

    group = staff.groups.get()
    GroupCollectionPermission.objects.filter(group=group).delete()
    wrong = Permission.objects.get(content_type__app_label="sixdegree_images", codename="add_caseimage")
    GroupCollectionPermission.objects.create(
        group=group, collection=Collection.get_first_root_node(), permission=wrong
    )

    run_migration()

    codenames = set(
        GroupCollectionPermission.objects.filter(group=group).values_list(
            "permission__content_type__app_label", "permission__codename"
        )
    )
    assert codenames == {("wagtailimages", "add_image"), ("wagtailimages", "choose_image")}


def test_moving_a_live_case_out_from_under_a_restriction_is_refused(case_index, home):
    restricted_index = make_case_index(home, title="Donors only", slug="donors-only")
    restrict(restricted_index)
    case = make_case_page(restricted_index, title="Her story", slug="her-story")

    with pytest.raises(UnreviewedRevisionError), transaction.atomic():
        Page.objects.get(pk=case.pk).move(case_index, pos="last-child")

    assert Page.objects.get(pk=case.pk).get_parent().pk == restricted_index.pk


def test_moving_a_restricted_case_with_its_own_restriction_is_allowed(case_index, home):
    other_index = make_case_index(home, title="Other", slug="other")
    case = make_case_page(other_index, title="Her story", slug="her-story")
    restrict(case)

    Page.objects.get(pk=case.pk).move(case_index, pos="last-child")

    assert Page.objects.get(pk=case.pk).get_parent().pk == case_index.pk
