"""Door 6: a copy of a case starts with the case's sensitive terms and never with its consent."""

import pytest
from django.urls import reverse

from sixdegree_cases.models import CaseIndexPage, SurvivorCasePage
from sixdegree_cases.privacy.models import ConsentRecord, SensitiveTerm
from tests.privacy.helpers import add_term, findings_of

TERM = "restaurant"  # a word of the summary tests.factories gives every case


@pytest.fixture
def original(case):
    add_term(case, TERM)
    add_term(case, "Desa Contoh", kind="village")
    return case


def terms_of(page):
    return sorted(SensitiveTerm.objects.filter(case_id=page.pk).values_list("term", "kind"))


def copy_in_code(page, slug="her-story-copy"):
    return page.copy(to=page.get_parent(), update_attrs={"slug": slug, "title": "Copy"}, keep_live=False)


def test_a_copy_starts_with_the_terms_of_its_case(original):
    duplicate = copy_in_code(original)
    assert terms_of(duplicate) == terms_of(original)
    assert len(terms_of(duplicate)) == 2


def test_a_copy_never_gets_the_consent_of_its_case(original):
    duplicate = copy_in_code(original)
    assert ConsentRecord.objects.filter(case_id=original.pk).exists()
    assert not ConsentRecord.objects.filter(case_id=duplicate.pk).exists()


def test_a_name_that_blocks_on_the_original_blocks_on_the_copy(original):
    duplicate = copy_in_code(original).get_latest_revision()
    assert [finding.severity for finding in findings_of(duplicate, "sensitive_terms")] == ["block"]


def test_the_admin_copy_copies_the_terms(original, superuser_client):
    response = superuser_client.post(
        reverse("wagtailadmin_pages:copy", args=[original.pk]),
        {
            "new_title": "Copy",
            "new_slug": "copied-in-the-admin",
            "new_parent_page": original.get_parent().pk,
        },
    )
    assert response.status_code == 302, response.content[:500]
    duplicate = SurvivorCasePage.objects.get(slug="copied-in-the-admin")
    assert terms_of(duplicate) == terms_of(original)
    assert not ConsentRecord.objects.filter(case_id=duplicate.pk).exists()


def test_copying_a_whole_index_copies_each_cases_terms(original, case_index, home, superuser_client):
    response = superuser_client.post(
        reverse("wagtailadmin_pages:copy", args=[case_index.pk]),
        {
            "new_title": "Cases 2",
            "new_slug": "cases-2",
            "new_parent_page": home.pk,
            "copy_subpages": "on",
        },
    )
    assert response.status_code == 302, response.content[:500]
    new_index = CaseIndexPage.objects.get(slug="cases-2")
    (duplicate,) = SurvivorCasePage.objects.child_of(new_index)
    assert terms_of(duplicate) == terms_of(original)


def test_copying_a_whole_index_in_code_copies_each_cases_terms(original, case_index, home):
    new_index = case_index.copy(
        recursive=True, to=home, keep_live=False, update_attrs={"slug": "cases-3", "title": "Cases 3"}
    )
    (duplicate,) = SurvivorCasePage.objects.child_of(new_index)
    assert terms_of(duplicate) == terms_of(original)


def test_copying_twice_does_not_duplicate_terms(original):
    from sixdegree_cases.privacy.copying import copy_private_records

    duplicate = copy_in_code(original)
    copy_private_records(original, duplicate)
    assert len(terms_of(duplicate)) == 2


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))
    return client


def test_a_copy_keeps_the_variants_an_officer_listed(case):
    term = add_term(case, "Dewi Lestari", kind="name")
    term.variants = "Lestari Dewi\nD. Lestari"
    term.save()
    duplicate = copy_in_code(case)
    copied = SensitiveTerm.objects.get(case_id=duplicate.pk, term="Dewi Lestari")
    assert copied.variant_list == ["Lestari Dewi", "D. Lestari"]


def test_a_copy_made_through_a_plain_page_instance_starts_with_the_terms_of_its_case(original):
    """Found by the red team: scripts walk the tree with `Page.objects` (not `.specific`), and
    `Page.copy` on the plain instance never reached the case's own `copy()`."""
    from wagtail.models import Page

    duplicate = copy_in_code(Page.objects.get(pk=original.pk), slug="plain-copy")
    assert terms_of(duplicate) == terms_of(original)


def test_a_copy_made_with_copy_page_action_starts_with_the_terms_of_its_case(original):
    """Found by the red team: any code path through Wagtail's CopyPageAction keeps the terms."""
    from wagtail.actions.copy_page import CopyPageAction

    duplicate = CopyPageAction(
        original,
        to=original.get_parent(),
        update_attrs={"slug": "action-copy", "title": "Copy"},
        keep_live=False,
    ).execute(skip_permission_checks=True)
    assert terms_of(duplicate) == terms_of(original)
