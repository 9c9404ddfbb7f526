"""Finance in the admin: read-only listing with filters, CSV export, dashboard panel."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from payments import PaymentStatus

from sixdegree_cases.donations.admin_views import finance_figures
from sixdegree_cases.donations.models import Donation, DonorAccount
from tests.factories import make_case_page

from .conftest import make_donation

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/donations/"


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("finance-admin", "fa@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def gifts(case, case_index):
    other = make_case_page(case_index, slug="other-case", pseudonym="Noy")
    confirmed = make_donation(case, "50.00", billing_email="secret-donor@example.org", display_name="Hidden")
    confirmed.change_status(PaymentStatus.CONFIRMED)
    waiting = make_donation(other, "20.00", billing_email="other-donor@example.org")
    return confirmed, waiting, other


def test_the_listing_shows_donations_without_emails(admin_client, gifts):
    response = admin_client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "50.00" in html
    assert "20.00" in html
    assert "secret-donor@example.org" not in html


def test_filter_by_case_status_and_date(admin_client, case, gifts):
    confirmed, waiting, other = gifts
    by_case = admin_client.get(LIST_URL, {"case": other.pk}).context["object_list"]
    assert list(by_case) == [waiting]
    by_status = admin_client.get(LIST_URL, {"status": PaymentStatus.CONFIRMED}).context["object_list"]
    assert list(by_status) == [confirmed]
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    assert list(admin_client.get(LIST_URL, {"created__date__gte": tomorrow}).context["object_list"]) == []


def test_csv_export_has_figures_and_no_personal_data(admin_client, gifts):
    response = admin_client.get(LIST_URL, {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    header = body.splitlines()[0]
    assert "Amount" in header
    assert "Status" in header
    assert "Pseudonym" in header
    assert "50.00" in body
    assert "Mawar" in body
    assert "secret-donor@example.org" not in body
    assert "Hidden" not in body


def test_csv_export_has_readable_headings_and_iso_dates(admin_client, gifts):
    import csv
    import io

    confirmed, _waiting, _other = gifts
    response = admin_client.get(LIST_URL, {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert list(rows[0]) == [
        "Donation",
        "Started (UTC)",
        "Confirmed (UTC)",
        "Case ID",
        "Pseudonym",
        "Amount",
        "Currency",
        "Status",
        "Counted",
        "Refunded",
        "Provider",
        "Provider transaction",
        "Anonymous",
        "Country",
    ]
    row = next(row for row in rows if row["Donation"] == str(confirmed.pk))
    confirmed.refresh_from_db()
    expected = confirmed.confirmed_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert row["Confirmed (UTC)"] == expected
    assert datetime.datetime.fromisoformat(row["Started (UTC)"]).tzinfo is not None


def test_case_totals_list_every_live_case_even_without_gifts(admin_client, case, case_index):
    quiet = make_case_page(case_index, slug="quiet", pseudonym="Quiet", currency="THB")
    draft = make_case_page(case_index, slug="draft", pseudonym="Draft", publish=False)
    response = admin_client.get("/admin/case_totals/")
    listed = {funding.case_id for funding in response.context["object_list"]}
    assert {case.pk, quiet.pk} <= listed
    assert draft.pk not in listed
    export = admin_client.get("/admin/case_totals/", {"export": "csv"})
    body = b"".join(export.streaming_content).decode()
    assert body.splitlines()[0].startswith("Case ID,Case,Currency,Raised,Target")
    assert f"{quiet.pk},Quiet" in body or f"{quiet.pk},{quiet.title}" in body
    assert "THB" in body


def test_nobody_can_add_edit_or_delete(admin_client, gifts):
    confirmed, _waiting, _other = gifts
    assert admin_client.get(f"{LIST_URL}new/").status_code in (302, 403)
    assert admin_client.get(f"{LIST_URL}edit/{confirmed.pk}/").status_code in (302, 403)
    assert admin_client.post(f"{LIST_URL}delete/{confirmed.pk}/").status_code in (302, 403)
    assert Donation.objects.filter(pk=confirmed.pk).exists()
    # The inspect view shows the e-mail to finance, for answering the donor.
    inspect = admin_client.get(f"{LIST_URL}inspect/{confirmed.pk}/")
    assert inspect.status_code == 200
    assert "secret-donor@example.org" in inspect.content.decode()


def test_case_totals_show_the_surplus(admin_client, case):
    make_donation(case, "1500.00").change_status(PaymentStatus.CONFIRMED)
    make_donation(case, "30.00").change_status(PaymentStatus.CONFIRMED)
    response = admin_client.get("/admin/case_totals/")
    assert response.status_code == 200
    assert "30.00" in response.content.decode()


def test_editors_without_the_permission_see_no_finance(client, django_user_model, gifts):
    editor = django_user_model.objects.create_user("editor", "e@example.org", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(LIST_URL).status_code in (302, 403)
    assert "Raised this month" not in client.get("/admin/").content.decode()


def test_finance_staff_get_the_dashboard_panel(client, django_user_model, gifts):
    finance = Group.objects.create(name="Finance")
    finance.permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_donation")
    )
    user = django_user_model.objects.create_user("fin", "fin@example.org", "pw")
    user.groups.add(finance)
    client.force_login(user)
    assert client.get(LIST_URL).status_code == 200
    html = client.get("/admin/").content.decode()
    assert "Raised this month" in html
    assert "50.00\N{NO-BREAK SPACE}USD" in html


def test_finance_figures(case, case_index, django_user_model):
    make_donation(case, "1500.00").change_status(PaymentStatus.CONFIRMED)
    donor = django_user_model.objects.create_user("d@example.org", "d@example.org", "pw")
    DonorAccount.objects.create(user=donor, confirmed_at=timezone.now())
    unconfirmed = django_user_model.objects.create_user("u@example.org", "u@example.org", "pw")
    DonorAccount.objects.create(user=unconfirmed)
    figures = finance_figures()
    assert figures["registered_donors"] == 1
    assert figures["raised_this_month"] == [("USD", 1500)]
    assert figures["fully_funded_cases"] == 1
    assert figures["median_days_to_funding"] == 15
    assert figures["live_cases"] >= 1


def test_a_case_with_donations_cannot_be_deleted(admin_client, case):
    make_donation(case, "20.00")
    response = admin_client.post(f"/admin/pages/{case.pk}/delete/")
    assert response.status_code == 302
    assert type(case).objects.filter(pk=case.pk).exists()
