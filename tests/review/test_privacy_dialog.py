"""Leftover 4 of issue 8: the admin's privacy dialog says why a privacy change is refused.

Wagtail's dialog showed its generic "no permission" redirect when the privacy review refused a
change; the dialog now shows the form again with the review's own message, and saves nothing.
"""

import pytest
from django.urls import reverse
from wagtail.models import BaseViewRestriction, PageViewRestriction

from sixdegree_cases.models import SurvivorCasePage
from tests.factories import make_case_page

REFUSAL = "making a live page public counts as publishing"


@pytest.fixture
def case(case_index):
    return make_case_page(case_index, slug="her-story")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def set_privacy(client, page, **data):
    return client.post(reverse("wagtailadmin_pages:set_privacy", args=[page.pk]), data)


def password(page):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=BaseViewRestriction.PASSWORD, password="long-secret-9"
    )


@pytest.mark.parametrize("widened_to", [BaseViewRestriction.NONE, BaseViewRestriction.LOGIN])
def test_a_refused_privacy_change_shows_the_reason_in_the_dialog(admin_client, case, widened_to):
    restriction = password(case)

    response = set_privacy(admin_client, case, restriction_type=widened_to)

    assert response.status_code == 200
    data = response.json()
    assert data["step"] == "set_privacy"
    assert REFUSAL in data["html"]
    assert 'role="alert"' in data["html"]
    stored = PageViewRestriction.objects.get(pk=restriction.pk)
    assert stored.restriction_type == BaseViewRestriction.PASSWORD
    assert stored.password == "long-secret-9"


def test_an_allowed_privacy_change_still_closes_the_dialog(admin_client, case):
    PageViewRestriction.objects.create(page=case, restriction_type=BaseViewRestriction.LOGIN)

    response = set_privacy(
        admin_client, case, restriction_type=BaseViewRestriction.PASSWORD, password="long-9"
    )

    assert response.json()["step"] == "set_privacy_done"
    assert PageViewRestriction.objects.get(page=case).restriction_type == BaseViewRestriction.PASSWORD


def test_a_draft_can_still_be_made_public_in_the_dialog(admin_client, case_index):
    draft = make_case_page(case_index, publish=False, slug="draft", title="Draft")
    password(draft)

    response = set_privacy(admin_client, draft, restriction_type=BaseViewRestriction.NONE)

    assert response.json()["step"] == "set_privacy_done"
    assert not PageViewRestriction.objects.filter(page=draft).exists()


def test_the_dialog_stays_closed_to_people_without_admin_access(client, case, django_user_model):
    restriction = password(case)
    client.force_login(django_user_model.objects.create_user("donor", "donor@example.org", "pw"))

    response = set_privacy(client, case, restriction_type=BaseViewRestriction.NONE)

    assert response.status_code in (302, 403)
    assert PageViewRestriction.objects.filter(pk=restriction.pk).exists()
    assert SurvivorCasePage.objects.get(pk=case.pk).live
