"""Door 4: a view restriction that lets more people read a live or scheduled reviewed case needs review.

Repointing a restriction, loosening its type, adding groups to it or deleting it before a
scheduled go-live all widen the audience the reviewer approved; each is refused. Adding or
tightening a restriction stays allowed.
"""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction, Revision

from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.review.guard import UnreviewedRevisionError
from sixdegree_cases.review.services import approve_and_publish
from tests.factories import make_case_page

STORY_TEXT = "Recruited at 16 with a promise of restaurant work."


def sees_story(client, page):
    page = SurvivorCasePage.objects.get(pk=page.pk)
    response = client.get(page.url, HTTP_HOST="localhost")
    return response.status_code == 200 and STORY_TEXT in response.content.decode()


def restricted_live_case(case_index, slug="restricted"):
    case = make_case_page(case_index, slug=slug)
    restriction = PageViewRestriction.objects.create(
        page=case, restriction_type=PageViewRestriction.PASSWORD, password="long-secret-9"
    )
    assert not sees_story(Client(), case)
    return case, restriction


def logged_in_stranger(username="stranger@example.org", group=None):
    stranger = get_user_model().objects.create_user(username, username, "pw")
    if group is not None:
        stranger.groups.add(group)
    client = Client()
    client.force_login(stranger)
    return client


def test_moving_a_restriction_to_another_page_is_refused(case_index):
    """Found by the red team: repointing the password of a live case at another page made it public."""
    case, restriction = restricted_live_case(case_index)
    other = make_case_page(case_index, publish=False, slug="other", title="Other")

    restriction.page = other
    with pytest.raises(UnreviewedRevisionError), transaction.atomic():
        restriction.save()

    assert PageViewRestriction.objects.get(pk=restriction.pk).page_id == case.pk
    assert not sees_story(Client(), case)


def test_widening_a_password_restriction_to_login_only_is_refused(case_index):
    """Found by the red team: password -> logged-in users let any self-registered donor read the case."""
    case, restriction = restricted_live_case(case_index, slug="widened")

    restriction.restriction_type = PageViewRestriction.LOGIN
    with pytest.raises(UnreviewedRevisionError), transaction.atomic():
        restriction.save()

    assert not sees_story(logged_in_stranger(), case)


def test_widening_a_groups_restriction_to_login_only_is_refused(case_index):
    case = make_case_page(case_index, slug="groups-to-login")
    restriction = PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.GROUPS)

    restriction.restriction_type = PageViewRestriction.LOGIN
    with pytest.raises(UnreviewedRevisionError), transaction.atomic():
        restriction.save()

    assert PageViewRestriction.objects.get(pk=restriction.pk).restriction_type == PageViewRestriction.GROUPS


def test_tightening_login_only_to_a_password_is_allowed(case_index):
    case = make_case_page(case_index, slug="tightened")
    restriction = PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.LOGIN)

    restriction.restriction_type = PageViewRestriction.PASSWORD
    restriction.password = "long-secret-9"
    restriction.save()

    assert not sees_story(logged_in_stranger(), case)


def test_adding_a_wide_group_to_a_group_restriction_is_refused(case_index):
    """Found by the red team: an m2m add of a group to a live case's restriction grew its audience."""
    case = make_case_page(case_index, slug="group-only")
    restriction = PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Trusted partners"))
    everyone = Group.objects.create(name="Everyone who signs up")
    client = logged_in_stranger("s2@example.org", everyone)
    assert not sees_story(client, case)

    with pytest.raises(UnreviewedRevisionError), transaction.atomic():
        restriction.groups.add(everyone)

    assert not sees_story(client, case)


def test_swapping_the_groups_of_a_group_restriction_is_refused(case_index):
    case = make_case_page(case_index, slug="group-swap")
    restriction = PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Trusted partners"))
    everyone = Group.objects.create(name="Everyone who signs up")

    with pytest.raises(UnreviewedRevisionError), transaction.atomic():
        restriction.groups.set([everyone])

    assert list(restriction.groups.values_list("name", flat=True)) == ["Trusted partners"]


def test_removing_a_group_from_a_group_restriction_is_allowed(case_index):
    case = make_case_page(case_index, slug="group-narrowed")
    restriction = PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.GROUPS)
    partners, others = Group.objects.create(name="Trusted partners"), Group.objects.create(name="Others")
    restriction.groups.add(partners, others)

    restriction.groups.remove(others)

    assert list(restriction.groups.values_list("name", flat=True)) == ["Trusted partners"]


def test_adding_groups_to_the_restriction_of_a_draft_case_is_allowed(case_index):
    draft = make_case_page(case_index, publish=False, slug="draft-groups", title="Draft")
    restriction = PageViewRestriction.objects.create(page=draft, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Trusted partners"))

    restriction.groups.add(Group.objects.create(name="Others"))

    assert restriction.groups.count() == 2


def test_removing_the_password_of_a_scheduled_approved_case_is_refused(case_index):
    """Found by the red team: a case approved behind a password lost it before its go-live, went public."""
    case = make_case_page(
        case_index, publish=False, slug="scheduled", go_live_at=timezone.now() + timedelta(seconds=4)
    )
    restriction = PageViewRestriction.objects.create(
        page=case, restriction_type=PageViewRestriction.PASSWORD, password="long-secret-9"
    )
    revision = SurvivorCasePage.objects.get(pk=case.pk).latest_revision
    approve_and_publish(revision, require_checks=False)
    assert Revision.objects.get(pk=revision.pk).approved_go_live_at is not None
    assert not SurvivorCasePage.objects.get(pk=case.pk).live

    with pytest.raises(UnreviewedRevisionError), transaction.atomic():
        restriction.delete()

    time.sleep(5)
    call_command("publish_scheduled")

    assert not sees_story(Client(), case)


def test_the_admin_privacy_dialog_refuses_widening_a_password_to_login_only(case_index, django_user_model):
    case, restriction = restricted_live_case(case_index, slug="admin-widened")
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    admin_client = Client()
    admin_client.force_login(admin)

    response = admin_client.post(
        f"/admin/pages/{case.pk}/privacy/", {"restriction_type": PageViewRestriction.LOGIN}
    )

    # The dialog shows the refusal's reason (tests/review/test_privacy_dialog.py).
    assert "counts as publishing" in response.json()["html"]
    assert PageViewRestriction.objects.get(pk=restriction.pk).restriction_type == PageViewRestriction.PASSWORD
