"""Donor privacy (issue 10, item 5), public names: short plain text, shown as the donor chose
(first name or initials, and country), hideable by finance; overlong addresses get a message."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from payments import PaymentStatus

from sixdegree_cases.donations.models import Donation
from sixdegree_cases.donations.progress import public_supporters

from .donor_helpers import (
    EMAIL,
    LONG_EMAIL,
    PASSWORD,
    confirmed_gift,
    give,
)

pytestmark = pytest.mark.django_db


# --- Public donor names --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Visit https://evil.example",
        "www.evil.example",
        "<a href=x>Mia</a>",
        "Mia\u202egnp.exe",  # right-to-left override
        "Mia\u2066x",  # bidi isolate
        "Mia\u200bx",  # zero-width space
        "Mia\x07",
        "Call 0812345678",
        "Maria" * 10,
    ],
)
def test_a_display_name_that_is_not_short_plain_text_is_refused(client, case, name):
    response = give(client, case, display_name=name)
    assert response.status_code == 400
    assert 'class="donate-form__error" role="alert"' in response.content.decode()
    assert not Donation.objects.exists()


def test_the_api_refuses_a_display_name_with_a_link(client, case):
    response = client.post(
        "/api/v2/donations/",
        json.dumps(
            {
                "case": case.pk,
                "amount": "30",
                "currency": "USD",
                "email": EMAIL,
                "anonymous": False,
                "display_name": "see evil.example/x",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["display_name"]
    assert not Donation.objects.exists()


def test_a_donor_is_shown_by_first_name_and_country_when_chosen(client, case):
    give(client, case, display_name="Maria", name_style="first_name", show_country="on", country="BR")
    Donation.objects.get().change_status(PaymentStatus.CONFIRMED)
    assert public_supporters(case) == ["Maria, Brazil"]


def test_a_donor_is_shown_by_initials_when_chosen(client, case):
    give(client, case, display_name="Maria Clara", name_style="initials")
    Donation.objects.get().change_status(PaymentStatus.CONFIRMED)
    assert public_supporters(case) == ["M. C."]


def test_the_country_is_not_shown_unless_chosen(client, case):
    give(client, case, display_name="Maria", name_style="first_name", country="BR")
    Donation.objects.get().change_status(PaymentStatus.CONFIRMED)
    assert public_supporters(case) == ["Maria"]


def test_a_finance_user_can_hide_a_name(client, case, django_user_model):
    gift = confirmed_gift(case, anonymous=False, display_name="Maria")
    finance = django_user_model.objects.create_user("finance", "f@example.org", PASSWORD, is_staff=True)
    finance.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_donation"),
        Permission.objects.get(codename="hide_donor_name"),
    )
    client.force_login(finance)
    response = client.post(reverse("sixdegree_donations_admin:hide_name", args=[gift.pk]))
    assert response.status_code == 302
    assert public_supporters(case) == []
    gift.refresh_from_db()
    assert (gift.status, gift.counted_amount) == (PaymentStatus.CONFIRMED, gift.total)


def test_a_user_without_the_permission_cannot_hide_a_name(client, case, django_user_model):
    gift = confirmed_gift(case, anonymous=False, display_name="Maria")
    viewer = django_user_model.objects.create_user("viewer", "v@example.org", PASSWORD, is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_donation")
    )
    client.force_login(viewer)
    response = client.post(reverse("sixdegree_donations_admin:hide_name", args=[gift.pk]))
    assert response.status_code in (302, 403)
    assert public_supporters(case) == ["Maria"]


def test_hiding_a_name_asks_first_on_get(client, case, admin_user):
    gift = confirmed_gift(case, anonymous=False, display_name="Maria")
    client.force_login(admin_user)
    response = client.get(reverse("sixdegree_donations_admin:hide_name", args=[gift.pk]))
    assert response.status_code == 200
    assert "Yes, hide the name" in response.content.decode()
    assert public_supporters(case) == ["Maria"]


def test_the_inspect_page_offers_hiding_to_finance(client, case, admin_user):
    gift = confirmed_gift(case, anonymous=False, display_name="Maria")
    client.force_login(admin_user)
    page = client.get(reverse("donations:inspect", args=[gift.pk])).content.decode()
    assert reverse("sixdegree_donations_admin:hide_name", args=[gift.pk]) in page


def test_a_hidden_name_is_absent_from_the_case_page(client, case, admin_user):
    gift = confirmed_gift(case, anonymous=False, display_name="Canarymaria")
    assert "Canarymaria" in client.get(case.url).content.decode()
    client.force_login(admin_user)
    client.post(reverse("sixdegree_donations_admin:hide_name", args=[gift.pk]))
    client.logout()
    assert "Canarymaria" not in client.get(case.url).content.decode()


# --- Long addresses answer 4xx, never 500 --------------------------------------------------


def test_a_long_email_on_the_donate_form_is_refused_with_a_message(client, case):
    assert len(LONG_EMAIL) > 254
    response = give(client, case, email=LONG_EMAIL, anonymous="on")
    assert response.status_code == 400
    assert 'class="donate-form__error" role="alert"' in response.content.decode()
    assert not Donation.objects.exists()


def test_a_long_email_on_the_api_is_refused_with_a_message(client, case):
    response = client.post(
        "/api/v2/donations/",
        json.dumps({"case": case.pk, "amount": "30", "currency": "USD", "email": LONG_EMAIL}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["email"]
    assert not Donation.objects.exists()


def test_a_name_written_around_the_form_is_not_shown(case):
    # A hostile insider (a shell, an import) can write any text to the row: it is checked again.
    confirmed_gift(case, anonymous=False, display_name="Mia\u202egnp.exe")
    confirmed_gift(case, anonymous=False, display_name="see evil.example")
    assert public_supporters(case) == []


def test_the_inspect_page_offers_no_hiding_without_the_permission(client, case, django_user_model):
    gift = confirmed_gift(case, anonymous=False, display_name="Maria")
    viewer = django_user_model.objects.create_user("viewer", "v@example.org", PASSWORD, is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_donation")
    )
    client.force_login(viewer)
    page = client.get(reverse("donations:inspect", args=[gift.pk])).content.decode()
    assert reverse("sixdegree_donations_admin:hide_name", args=[gift.pk]) not in page


def test_the_api_takes_initials_and_country_as_chosen(client, case):
    payload = {
        "case": case.pk,
        "amount": "30",
        "currency": "USD",
        "email": EMAIL,
        "anonymous": False,
        "display_name": "Maria Clara",
        "name_style": "initials",
        "show_country": True,
        "country": "BR",
    }
    response = client.post("/api/v2/donations/", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201
    gift = Donation.objects.get()
    assert gift.display_name == "M. C."
    gift.change_status(PaymentStatus.CONFIRMED)
    assert public_supporters(case) == ["M. C., Brazil"]
