"""Headless giving: the JSON endpoint validates like the form and says where the donor goes next."""

import json

import pytest

from sixdegree_cases.donations.models import Donation

pytestmark = pytest.mark.django_db

URL = "/api/v2/donations/"
FRONT = "https://front.example"


@pytest.fixture(autouse=True)
def allowed_front_end(settings):
    settings.SIXDEGREE_DONATION_ALLOWED_ORIGINS = [FRONT]


def start(client, **payload):
    body = {"case": payload.pop("case"), "amount": "25", "currency": "USD", "email": "h@example.org"}
    body.update(payload)
    return client.post(URL, data=json.dumps(body), content_type="application/json", HTTP_ORIGIN=FRONT)


def test_a_headless_gift_starts_and_returns_where_to_go(client, case):
    response = start(client, case=case.pk, success_url=f"{FRONT}/thanks", failure_url=f"{FRONT}/sorry?x=1")
    assert response.status_code == 201, response.content
    data = response.json()
    donation = Donation.objects.get()
    assert data["donation"] == str(donation.token)
    assert data["redirect_url"].endswith(f"/donations/{donation.token}/pay/")  # the dummy's own page
    assert response["Access-Control-Allow-Origin"] == FRONT
    assert donation.get_success_url() == f"{FRONT}/thanks?donation={donation.token}"
    assert donation.get_failure_url() == f"{FRONT}/sorry?x=1&donation={donation.token}"
    assert donation.anonymous is True
    assert "h@example.org" not in response.content.decode()


def test_same_errors_as_the_form(client, case):
    response = start(client, case=case.pk, amount="-3", currency="EUR")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["amount"] == ["The amount must be more than zero."]
    assert errors["currency"] == ["Donations to this case are in USD."]
    assert not Donation.objects.exists()


def test_a_return_url_outside_the_allow_list_is_refused(client, case):
    response = start(client, case=case.pk, success_url="https://evil.example/thanks")
    assert response.status_code == 400
    assert "success_url" in response.json()["errors"]
    assert not Donation.objects.exists()


def test_an_unknown_case_is_refused(client, case):
    response = start(client, case="nope")
    assert response.status_code == 404
    assert response.json()["errors"]["case"] == ["This case is not open for donations."]


def test_not_json(client, case):
    response = client.post(URL, data="amount=5", content_type="application/json")
    assert response.status_code == 400


def test_preflight_only_for_allowed_origins(client):
    ok = client.options(URL, HTTP_ORIGIN=FRONT)
    assert ok["Access-Control-Allow-Origin"] == FRONT
    other = client.options(URL, HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other


def test_status_endpoint_has_no_donor_data(client, case):
    token = start(client, case=case.pk).json()["donation"]
    data = client.get(f"{URL}{token}/").json()
    assert data["status"] == "input"
    assert set(data) == {
        "donation",
        "status",
        "amount",
        "currency",
        "case",
        "progress",
        "surplus",
        "surplus_note",
    }
    assert "h@example.org" not in json.dumps(data)


def test_failed_validations_do_not_use_up_the_rate_limit(client, case, settings):
    settings.SIXDEGREE_DONATION_RATE_LIMIT = 2
    for _ in range(5):
        assert start(client, case=case.pk, amount="-3").status_code == 400
    assert start(client, case=case.pk).status_code == 201
    assert start(client, case=case.pk).status_code == 201
    response = start(client, case=case.pk)
    assert response.status_code == 429
    assert response.json()["errors"]["__all__"] == ["Too many attempts. Please wait and try again."]
    # Once used up, even a bad request is refused before it is read.
    assert start(client, case=case.pk, amount="-3").status_code == 429
    assert Donation.objects.count() == 2
