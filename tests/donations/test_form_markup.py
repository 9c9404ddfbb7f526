"""The donate form's markup: every description a field points at exists, and the case page
has a Donate link to the form while it is open."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from payments import PaymentStatus

from .conftest import make_donation

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def dangling_descriptions(page):
    ids = {tag["id"] for tag in page.select("[id]")}
    return [
        (tag.get("name"), ref)
        for tag in page.select("[aria-describedby]")
        for ref in tag["aria-describedby"].split()
        if ref not in ids
    ]


def described_by(page, name):
    field = page.select_one(f'[name="{name}"]:not([type="radio"])')
    return [page.find(id=ref).get_text(" ", strip=True) for ref in field["aria-describedby"].split()]


def test_every_description_on_the_case_page_exists(client, case):
    page = soup(client.get(case.url))
    assert page.select_one("form.donate-form")
    assert dangling_descriptions(page) == []
    assert "For your receipt" in described_by(page, "email")[0]
    assert "Used only for totals per country" in described_by(page, "country")[0]
    assert "untick" in described_by(page, "display_name")[0]
    assert "never appears" in described_by(page, "anonymous")[0]


def test_errors_are_descriptions_of_their_fields_too(client, case):
    url = reverse("sixdegree_donations:donate", kwargs={"case_id": case.pk})
    response = client.post(
        url, {"amount": "abc", "currency": "USD", "email": "not an address", "display_name": "x" * 200}
    )
    assert response.status_code == 400
    page = soup(response)
    assert dangling_descriptions(page) == []
    assert any("valid email" in text for text in described_by(page, "email"))
    assert any("Enter the amount as a number" in text for text in described_by(page, "amount"))
    assert page.select_one('[name="email"]')["aria-invalid"] == "true"


def test_the_case_page_has_a_donate_link_to_the_form_in_its_header(client, case):
    page = soup(client.get(case.url))
    link = page.select_one("header [data-donate-jump]")
    assert link.get_text(strip=True) == "Donate"
    assert link["href"] == "#donate"
    assert page.find(id="donate").select_one("form.donate-form")


def test_no_donate_link_once_the_target_is_reached(client, case):
    make_donation(case, str(Decimal("1500.00"))).change_status(PaymentStatus.CONFIRMED)
    page = soup(client.get(case.url))
    assert page.select_one("[data-donate-jump]") is None
