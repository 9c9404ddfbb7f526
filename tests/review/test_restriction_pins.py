"""Hole 1 of issue 8: who may read a live case is part of what the reviewer approved.

Approvals pin the case's effective view restrictions (own and inherited); every change made
through the ORM re-pins them. `privacy_audit` takes down a live case that more people can
read than its approval or its pins say: the tripwire for `QuerySet.update`, `loaddata`, SQL.
Changes through the guarded paths that add or tighten a restriction never trip it.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from wagtail.models import BaseViewRestriction, PageViewRestriction

from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.review.audience import ViewRestrictionPin, covers
from sixdegree_cases.review.audit import audit_live_pages
from sixdegree_cases.review.guard import UnreviewedRevisionError, WiderAudienceError
from sixdegree_cases.review.models import ReviewApproval
from sixdegree_cases.review.services import approve_and_publish
from tests.factories import make_case_page

STORY_TEXT = "Recruited at 16 with a promise of restaurant work."
PASSWORD, LOGIN, GROUPS, NONE = (
    BaseViewRestriction.PASSWORD,
    BaseViewRestriction.LOGIN,
    BaseViewRestriction.GROUPS,
    BaseViewRestriction.NONE,
)


@pytest.fixture
def case(case_index):
    return make_case_page(case_index, slug="her-story")


def audit(page):
    """The audit's reasons for `page` (the checks are left out: these cases have no consent)."""
    (result,) = [result for result in audit_live_pages(dry_run=True) if result.page_id == page.pk]
    return [reason for reason in result.reasons if reason != "checks"]


def is_live(page):
    return SurvivorCasePage.objects.get(pk=page.pk).live


def restrict(page, kind=PASSWORD, groups=()):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="long-secret-9"
    )
    if groups:
        restriction.groups.add(*groups)
    return restriction


# --- What is pinned -------------------------------------------------------------------------


def test_an_approval_pins_the_own_and_inherited_restrictions(case_index):
    partners = Group.objects.create(name="Trusted partners")
    restrict(case_index, GROUPS, [partners])
    draft = make_case_page(case_index, publish=False, slug="pinned")
    restrict(draft, PASSWORD)

    approve_and_publish(SurvivorCasePage.objects.get(pk=draft.pk).latest_revision, require_checks=False)

    approval = ReviewApproval.objects.get(page_id=draft.pk)
    assert approval.view_restrictions == [
        {"page": case_index.pk, "type": GROUPS, "groups": [partners.pk]},
        {"page": draft.pk, "type": PASSWORD, "groups": []},
    ]
    assert ViewRestrictionPin.objects.get(page_id=draft.pk).restrictions == approval.view_restrictions


def test_passwords_are_never_pinned(case):
    restrict(case, PASSWORD)
    assert "long-secret-9" not in str(ViewRestrictionPin.objects.get(page_id=case.pk).restrictions)


@pytest.mark.parametrize(
    ("live", "pinned", "expected"),
    [
        ([], [], True),
        ([{"type": LOGIN, "groups": []}], [], True),
        ([], [{"type": LOGIN, "groups": []}], False),
        ([{"type": PASSWORD, "groups": []}], [{"type": LOGIN, "groups": []}], True),
        ([{"type": LOGIN, "groups": []}], [{"type": PASSWORD, "groups": []}], False),
        ([{"type": GROUPS, "groups": [1]}], [{"type": GROUPS, "groups": [1, 2]}], True),
        ([{"type": GROUPS, "groups": [1, 3]}], [{"type": GROUPS, "groups": [1, 2]}], False),
        # The guard lets an editor switch a password to groups and back: so does the audit.
        ([{"type": GROUPS, "groups": [1]}], [{"type": PASSWORD, "groups": []}], True),
        ([{"type": PASSWORD, "groups": []}], [{"type": GROUPS, "groups": [1]}], True),
        # Each pinned restriction needs a live one at least as narrow.
        (
            [{"type": LOGIN, "groups": []}],
            [{"type": LOGIN, "groups": []}, {"type": PASSWORD, "groups": []}],
            False,
        ),
    ],
)
def test_covers(live, pinned, expected):
    assert covers(live, pinned) is expected


# --- The tripwire -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attack",
    [
        pytest.param(
            lambda r: PageViewRestriction.objects.filter(pk=r.pk).update(restriction_type=NONE), id="none"
        ),
        pytest.param(
            lambda r: PageViewRestriction.objects.filter(pk=r.pk).update(restriction_type=LOGIN), id="login"
        ),
        pytest.param(
            lambda r: PageViewRestriction.objects.filter(pk=r.pk)._raw_delete("default"), id="raw-delete"
        ),
        pytest.param(
            lambda r: PageViewRestriction.objects.filter(pk=r.pk).update(
                page_id=make_case_page(r.page.get_parent(), publish=False, slug="elsewhere").pk
            ),
            id="repointed",
        ),
    ],
)
def test_a_restriction_loosened_around_the_guard_takes_the_case_down(case, attack):
    restriction = restrict(case, PASSWORD)
    assert audit(case) == []

    attack(restriction)

    assert audit(case) == ["restrictions"]
    audit_live_pages()
    assert not is_live(case)


def test_a_group_added_through_the_join_table_takes_the_case_down(case):
    """`bulk_create` on the join table sends no m2m signal: neither the guard nor the pins see it."""
    partners, everyone = Group.objects.create(name="Trusted partners"), Group.objects.create(name="Everyone")
    restriction = restrict(case, GROUPS, [partners])
    PageViewRestriction.groups.through.objects.bulk_create(
        [PageViewRestriction.groups.through(pageviewrestriction_id=restriction.pk, group_id=everyone.pk)]
    )
    assert audit(case) == ["restrictions"]


def test_a_pin_deleted_with_the_restriction_it_pinned_takes_the_case_down(case):
    restriction = restrict(case, PASSWORD)
    ViewRestrictionPin.objects.filter(page_id=case.pk).delete()
    PageViewRestriction.objects.filter(pk=restriction.pk)._raw_delete("default")
    assert audit(case) == ["restrictions"]


def test_an_inherited_restriction_loosened_by_sql_takes_the_case_down(case_index, case):
    restriction = restrict(case_index, LOGIN)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM wagtailcore_pageviewrestriction WHERE id = %s", [restriction.pk])
    assert audit(case) == ["restrictions"]


def test_a_restriction_removed_while_unpublished_keeps_the_approved_version_off_line(case):
    """Approved behind a password, unpublished, the password removed (allowed: nothing is shown),
    then the approved version published again: the world would read what donors with the
    password were approved to read."""
    draft = make_case_page(case.get_parent(), publish=False, slug="approved-private")
    restriction = restrict(draft, PASSWORD)
    revision = SurvivorCasePage.objects.get(pk=draft.pk).latest_revision
    approve_and_publish(revision, require_checks=False)
    SurvivorCasePage.objects.get(pk=draft.pk).unpublish()
    restriction.delete()

    with pytest.raises(WiderAudienceError), transaction.atomic():
        revision.publish(skip_permission_checks=True)

    assert not is_live(draft)


# --- Changes through the guarded paths never trip it -------------------------------------------


@pytest.mark.parametrize("kind", [PASSWORD, LOGIN, GROUPS])
def test_adding_a_restriction_after_the_approval_passes_the_audit(case, kind):
    restriction = PageViewRestriction.objects.create(
        page=case, restriction_type=kind, password="long-secret-9"
    )
    if kind == GROUPS:
        # As Wagtail's privacy dialog does: the restriction first, its groups after.
        restriction.groups.add(Group.objects.create(name="Trusted partners"))
    assert audit(case) == []


def test_tightening_and_switching_restrictions_passes_the_audit(case):
    restriction = restrict(case, LOGIN)
    restriction.restriction_type = PASSWORD
    restriction.save()
    restriction.restriction_type = GROUPS
    restriction.save()
    partners, others = Group.objects.create(name="Trusted partners"), Group.objects.create(name="Others")
    restriction.groups.add(partners, others)
    restriction.groups.remove(others)
    assert audit(case) == []


def test_a_restriction_added_above_a_live_case_passes_the_audit(case_index, case):
    restrict(case_index, LOGIN)
    assert audit(case) == []
    assert ViewRestrictionPin.objects.get(page_id=case.pk).restrictions[0]["page"] == case_index.pk


def test_approving_a_case_after_its_privacy_was_widened_accepts_the_new_audience(case):
    """The documented way to a wider audience: unpublish, change privacy, submit for review."""
    restriction = restrict(case, PASSWORD)
    SurvivorCasePage.objects.get(pk=case.pk).unpublish()
    restriction.delete()
    content = SurvivorCasePage.objects.get(pk=case.pk)
    approve_and_publish(content.save_revision(), require_checks=False)
    assert is_live(case)
    assert audit(case) == []
    assert (
        Client().get(SurvivorCasePage.objects.get(pk=case.pk).url, HTTP_HOST="localhost").status_code == 200
    )


# --- Leftover 5: a restriction still covered by another can go ----------------------------------


def sees_story(client, page):
    response = client.get(SurvivorCasePage.objects.get(pk=page.pk).url, HTTP_HOST="localhost")
    return response.status_code == 200 and STORY_TEXT in response.content.decode()


def test_deleting_a_restriction_another_one_above_covers_is_allowed(case_index, case):
    restrict(case_index, PASSWORD)
    own = restrict(case, PASSWORD)

    own.delete()

    assert not PageViewRestriction.objects.filter(page=case).exists()
    assert not sees_story(Client(), case)
    assert audit(case) == []


def test_the_privacy_dialog_lets_a_case_inherit_a_covering_restriction(case_index, case, superuser):
    restrict(case_index, PASSWORD)
    restrict(case, PASSWORD)
    client = Client()
    client.force_login(superuser)

    response = client.post(f"/admin/pages/{case.pk}/privacy/", {"restriction_type": NONE})

    assert response.status_code == 200
    assert not PageViewRestriction.objects.filter(page=case).exists()
    assert not sees_story(Client(), case)
    assert audit(case) == []


def test_deleting_a_password_that_only_login_above_covers_is_refused(case_index, case):
    """Login-only above lets every signed-up donor read: removing the case's password widens it."""
    restrict(case_index, LOGIN)
    own = restrict(case, PASSWORD)

    with pytest.raises(UnreviewedRevisionError), transaction.atomic():
        own.delete()

    assert PageViewRestriction.objects.filter(pk=own.pk).exists()


def test_deleting_two_restrictions_that_cover_each_other_at_once_is_refused(case):
    """Django sends every `pre_delete` before deleting: each must not vouch for the other."""
    restrict(case, PASSWORD)
    restrict(case, LOGIN)

    with pytest.raises(UnreviewedRevisionError), transaction.atomic():
        PageViewRestriction.objects.filter(page=case).delete()

    assert not sees_story(Client(), case)


def test_moving_a_case_from_under_a_password_to_under_login_only_is_refused(home, case_index, case):
    from tests.factories import make_case_index

    restrict(case_index, PASSWORD)
    members = make_case_index(home, title="Members", slug="members")
    restrict(members, LOGIN)

    with pytest.raises(UnreviewedRevisionError), transaction.atomic():
        SurvivorCasePage.objects.get(pk=case.pk).move(members, pos="last-child")

    assert SurvivorCasePage.objects.get(pk=case.pk).get_parent().pk == case_index.pk


def test_moving_a_case_under_another_password_is_allowed_and_passes_the_audit(home, case_index, case):
    from tests.factories import make_case_index

    restrict(case_index, PASSWORD)
    donors = make_case_index(home, title="Donors", slug="donors")
    restrict(donors, PASSWORD)

    SurvivorCasePage.objects.get(pk=case.pk).move(donors, pos="last-child")

    assert SurvivorCasePage.objects.get(pk=case.pk).get_parent().pk == donors.pk
    assert audit(case) == []
