"""Donor accounts: register, confirm by e-mail, earlier gifts attach, delete (gifts stay)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from payments import PaymentStatus

from sixdegree_cases.donations.models import Donation, DonorAccount

from .conftest import make_donation

pytestmark = pytest.mark.django_db

EMAIL = "Giver@Example.org"
PASSWORD = "a long donor passphrase 42"


def register(client, email=EMAIL, password=PASSWORD):
    return client.post(reverse("sixdegree_donations:register"), {"email": email, "password": password})


def confirmation_link():
    return re.search(r"https?://\S+/account/confirm/\S+/", mail.outbox[-1].body).group(0)


def sign_in(client):
    return client.post(reverse("sixdegree_donations:login"), {"username": EMAIL, "password": PASSWORD})


def test_register_confirm_and_see_earlier_gifts(client, case):
    earlier = make_donation(case, "40.00", billing_email="giver@example.org")
    earlier.change_status(PaymentStatus.CONFIRMED)
    response = register(client)
    assert "Check your inbox" in response.content.decode()
    user = get_user_model().objects.get(email="giver@example.org")
    assert not user.is_active
    # Not yet confirmed: cannot sign in.
    login = client.post(reverse("sixdegree_donations:login"), {"username": EMAIL, "password": PASSWORD})
    assert login.status_code == 200

    link = confirmation_link()
    assert client.get(link).status_code == 200  # a button, no side effect
    assert not get_user_model().objects.get(pk=user.pk).is_active
    response = client.post(link)
    assert response.status_code == 302
    assert Donation.objects.get(pk=earlier.pk).donor_id == user.pk
    sign_in(client)

    page = client.get(reverse("sixdegree_donations:account")).content.decode()
    assert "40.00\N{NO-BREAK SPACE}USD" in page
    assert "Mawar" in page


def test_registering_an_existing_address_reveals_nothing(client):
    register(client)
    client.post(confirmation_link())
    mail.outbox.clear()
    response = register(client, email="giver@example.org")
    assert "Check your inbox" in response.content.decode()
    assert get_user_model().objects.filter(email__iexact=EMAIL).count() == 1
    assert "already has one" in mail.outbox[0].body


def test_a_weak_password_is_refused(client):
    response = register(client, password="123")
    assert response.status_code == 200
    assert not get_user_model().objects.exists()


def test_a_tampered_confirmation_link_is_refused(client):
    register(client)
    response = client.post(confirmation_link().replace("/confirm/", "/confirm/x"))
    assert response.status_code == 400
    assert not get_user_model().objects.get().is_active


def test_a_signed_in_donor_gives_and_it_attaches(client, case):
    register(client)
    client.post(confirmation_link())
    sign_in(client)
    user = get_user_model().objects.get()
    form = client.get(reverse("sixdegree_donations:donate", kwargs={"case_id": case.pk})).content.decode()
    assert 'value="giver@example.org"' in form
    client.post(
        reverse("sixdegree_donations:donate", kwargs={"case_id": case.pk}),
        {"amount": "30", "currency": "USD", "email": "giver@example.org", "anonymous": "on"},
    )
    assert Donation.objects.get().donor_id == user.pk


def test_a_staff_user_is_not_a_donor(client, case, django_user_model):
    editor = django_user_model.objects.create_user("editor", "editor@example.org", PASSWORD)
    client.force_login(editor)
    assert client.get(reverse("sixdegree_donations:account")).status_code == 302
    assert (
        client.post(reverse("sixdegree_donations:delete_account"), {"password": PASSWORD}).status_code == 302
    )
    assert django_user_model.objects.filter(pk=editor.pk).exists()
    client.post(
        reverse("sixdegree_donations:donate", kwargs={"case_id": case.pk}),
        {"amount": "30", "currency": "USD", "email": "x@example.org", "anonymous": "on"},
    )
    assert Donation.objects.get().donor_id is None


def test_deleting_the_account_keeps_the_gifts_anonymised(client, case):
    register(client)
    client.post(confirmation_link())
    sign_in(client)
    gift = make_donation(
        case, "60.00", billing_email="giver@example.org", display_name="Giver", anonymous=False
    )
    gift.change_status(PaymentStatus.CONFIRMED)
    client.get(reverse("sixdegree_donations:account"))  # attaches the gift
    wrong = client.post(reverse("sixdegree_donations:delete_account"), {"password": "nope"})
    assert "not your password" in wrong.content.decode()
    response = client.post(reverse("sixdegree_donations:delete_account"), {"password": PASSWORD})
    assert "Account deleted" in response.content.decode()
    assert not get_user_model().objects.exists()
    assert not DonorAccount.objects.exists()
    gift.refresh_from_db()
    assert (gift.donor_id, gift.billing_email, gift.display_name, gift.anonymous) == (None, "", "", True)
    assert gift.status == PaymentStatus.CONFIRMED
    assert case.funding.raised == gift.total
