"""Admin: the Privacy button, tab and page of a case, the term and consent viewsets, visibility
by permission, and clear messages for bad input with nothing half-saved."""

import datetime

import pytest
from django.urls import reverse

from sixdegree_cases.privacy.models import ConsentRecord, SensitiveTerm
from tests.privacy.helpers import (
    OFFICER_PERMISSIONS,
    REVIEWER_PERMISSIONS,
    STAFF_PERMISSIONS,
    add_term,
    user_with,
)


@pytest.fixture
def officer(db):
    return user_with("officer", OFFICER_PERMISSIONS)


@pytest.fixture
def reviewer(db):
    return user_with("reviewer", REVIEWER_PERMISSIONS)


@pytest.fixture
def staff(db):
    user = user_with("staff", STAFF_PERMISSIONS)
    return user


def overview_url(case):
    return reverse("sixdegree_privacy_case:overview", args=[case.pk])


def grant_page_edit(user, page):
    """Let the user's group edit pages below `page` (as the review app's roles do)."""
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    GroupPagePermission.objects.create(
        group=user.groups.first(), page=page, permission=Permission.objects.get(codename="change_page")
    )


# --- Who sees what ------------------------------------------------------------------------


def test_officer_sees_the_privacy_button_on_the_case_editor(client, officer, case):
    grant_page_edit(officer, case.get_parent())
    client.force_login(officer)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[case.pk]))
    assert response.status_code == 200
    assert overview_url(case) in response.content.decode()


def test_editor_without_privacy_permissions_sees_neither_button_nor_tab(client, staff, case):
    grant_page_edit(staff, case.get_parent())
    client.force_login(staff)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[case.pk])).content.decode()
    assert overview_url(case) not in html
    assert "Open the case&#x27;s privacy page" not in html


def test_the_privacy_tab_shows_consent_and_term_count_to_officers(client, officer, case):
    grant_page_edit(officer, case.get_parent())
    add_term(case, "Desa Contoh", kind="village")
    client.force_login(officer)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[case.pk])).content.decode()
    assert "Consent given on 1 May 2024" in html
    assert "1 sensitive term is listed." in html
    # The tab summarises; the term itself is only on the privacy page.
    assert "Desa Contoh" not in html


def test_the_privacy_button_is_in_the_page_listing(client, officer, case):
    grant_page_edit(officer, case.get_parent())
    client.force_login(officer)
    html = client.get(reverse("wagtailadmin_explore", args=[case.get_parent().pk])).content.decode()
    assert overview_url(case) in html


def test_officer_sees_terms_consent_and_the_report(client, officer, case):
    add_term(case, "Desa Contoh", kind="village")
    client.force_login(officer)
    response = client.get(overview_url(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Desa Contoh" in html
    assert "Indonesian" in html
    assert "No finding." in html
    assert "not proof of safety" in html
    assert reverse("sixdegree_privacy_case:withdraw", args=[case.pk]) in html


def test_reviewer_reads_but_cannot_add_or_withdraw(client, reviewer, case):
    add_term(case, "Desa Contoh", kind="village")
    client.force_login(reviewer)
    html = client.get(overview_url(case)).content.decode()
    assert "Desa Contoh" in html
    assert "Add a sensitive term" not in html
    assert "Record consent" not in html
    assert reverse("sixdegree_privacy_case:withdraw", args=[case.pk]) not in html
    assert client.get(reverse("sixdegree_privacy_case:withdraw", args=[case.pk])).status_code in (302, 403)


def test_staff_cannot_open_the_privacy_page_or_the_listings(client, staff, case):
    add_term(case, "Desa Contoh", kind="village")
    client.force_login(staff)
    for url in (
        overview_url(case),
        reverse("sixdegree_privacy_terms:index"),
        reverse("sixdegree_privacy_consent:index"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "Desa Contoh" not in response.content.decode()


def test_the_privacy_menu_is_shown_only_to_officers_and_reviewers(client, officer, staff, case):
    client.force_login(officer)
    assert (
        reverse("sixdegree_privacy_terms:index") in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    client.force_login(staff)
    assert (
        reverse("sixdegree_privacy_terms:index")
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_terms_are_listed_filtered_by_case(client, officer, case, case_index):
    from tests.factories import make_case_page

    other = make_case_page(case_index, slug="other")
    add_term(case, "Desa Contoh", kind="village")
    add_term(other, "Kapal Biru", kind="vessel_or_agency")
    client.force_login(officer)
    html = client.get(reverse("sixdegree_privacy_terms:index"), {"case": case.pk}).content.decode()
    assert "Desa Contoh" in html
    assert "Kapal Biru" not in html


def test_the_withdraw_permission_is_offered_in_the_group_editor(client, django_user_model, db):
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "pw"))
    html = client.get(reverse("wagtailusers_groups:add")).content.decode()
    assert "withdraw_consent" in html or "Can withdraw a survivor" in html


# --- Adding records -----------------------------------------------------------------------


def test_adding_a_term_from_a_case_preselects_it_and_records_who(client, officer, case):
    client.force_login(officer)
    url = reverse("sixdegree_privacy_terms:add") + f"?case={case.pk}"
    assert f'<option value="{case.pk}" selected>' in client.get(url).content.decode()
    response = client.post(url, {"case": case.pk, "term": "  Desa   Contoh ", "kind": "village"})
    assert response.status_code == 302
    term = SensitiveTerm.objects.get()
    assert (term.term, term.created_by) == ("Desa Contoh", officer)


def test_recording_consent_records_who(client, officer, case_index):
    from tests.factories import make_case_page

    page = make_case_page(case_index, slug="new-case")
    client.force_login(officer)
    data = {
        "case": page.pk,
        "given_on": "2024-05-01",
        "scope_story": "on",
        "scope_map": "on",
        "language": "Khmer",
    }
    assert client.post(reverse("sixdegree_privacy_consent:add"), data).status_code == 302
    consent = ConsentRecord.objects.get(case=page)
    assert (consent.recorded_by, consent.language, consent.scope_amounts) == (officer, "Khmer", False)


# --- Bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("", "Enter the term to block."),
        ("   ", "Enter the term to block."),
        ("—.—!", "A term needs at least one letter or digit."),
        ("x", "A term of one character would match almost any text"),
        ("a" * 201, "Ensure this value has at most 200 characters"),
    ],
)
def test_a_malformed_term_is_refused_with_a_clear_message(client, officer, case, term, message):
    client.force_login(officer)
    response = client.post(
        reverse("sixdegree_privacy_terms:add"), {"case": case.pk, "term": term, "kind": "name"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SensitiveTerm.objects.exists()


def test_a_term_listed_twice_in_another_spelling_is_refused(client, officer, case):
    add_term(case, "Desa Contoh", kind="village")
    client.force_login(officer)
    response = client.post(
        reverse("sixdegree_privacy_terms:add"), {"case": case.pk, "term": "desa-CONTOH", "kind": "village"}
    )
    assert "already listed for this case" in response.content.decode()
    assert SensitiveTerm.objects.count() == 1


@pytest.mark.parametrize(
    ("given_on", "message"),
    [
        ("", "Enter the date consent was given."),
        ("last spring", "Enter the date consent was given as a valid date."),
        (
            (datetime.date.today() + datetime.timedelta(days=3)).isoformat(),
            "Consent cannot be given in the future.",
        ),
    ],
)
def test_consent_without_a_valid_date_is_refused(client, officer, case_index, given_on, message):
    from tests.factories import make_case_page

    page = make_case_page(case_index, slug="undated")
    client.force_login(officer)
    data = {"case": page.pk, "given_on": given_on, "scope_story": "on", "language": "Thai"}
    response = client.post(reverse("sixdegree_privacy_consent:add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ConsentRecord.objects.filter(case=page).exists()


def test_consent_covering_nothing_is_refused(client, officer, case_index):
    from tests.factories import make_case_page

    page = make_case_page(case_index, slug="empty-scope")
    client.force_login(officer)
    data = {"case": page.pk, "given_on": "2024-05-01", "language": "Thai"}
    response = client.post(reverse("sixdegree_privacy_consent:add"), data)
    assert "Choose what the survivor consented to" in response.content.decode()
    assert not ConsentRecord.objects.filter(case=page).exists()


def test_the_audit_log_keeps_a_term_masked(client, officer, case):
    from wagtail.models import ModelLogEntry

    client.force_login(officer)
    client.post(
        reverse("sixdegree_privacy_terms:add"), {"case": case.pk, "term": "Desa Contoh", "kind": "village"}
    )
    labels = list(ModelLogEntry.objects.values_list("label", flat=True))
    assert labels == ["Home village or town: [Latin] •••• ••••••"]


def test_an_officer_adds_variants_of_a_term_and_they_block(client, officer, case):
    from tests.privacy.helpers import findings_of

    client.force_login(officer)
    response = client.post(
        reverse("sixdegree_privacy_terms:add"),
        {"case": case.pk, "term": "မောင်မောင်", "kind": "name", "variants": "Maung Maung\r\n\r\nMg Mg\r\n"},
    )
    assert response.status_code == 302
    assert SensitiveTerm.objects.get(case=case).variant_list == ["Maung Maung", "Mg Mg"]
    case.summary = "Mg Mg spent two years on a boat."
    assert len(findings_of(case, "sensitive_terms")) == 1


def test_a_one_letter_variant_is_refused_and_nothing_is_saved(client, officer, case):
    client.force_login(officer)
    response = client.post(
        reverse("sixdegree_privacy_terms:add"),
        {"case": case.pk, "term": "Maung Maung", "kind": "name", "variants": "M"},
    )
    assert response.status_code == 200
    assert "one would match almost any text" in response.content.decode()
    assert not SensitiveTerm.objects.filter(case=case).exists()
