"""Proxy headers from configured proxies only; lock-outs per username and address; origins
refused before acting; Permissions-Policy."""

import json

import pytest
from django.test import Client, RequestFactory

from sixdegree_cases.addresses import client_address
from sixdegree_cases.donations.models import Donation
from tests.factories import make_case_page

pytestmark = pytest.mark.django_db

LOAD_BALANCER = "10.0.0.1"
PASSWORD = "a-long-enough-password"


@pytest.fixture
def behind_a_load_balancer(settings):
    settings.SIXDEGREE_TRUSTED_PROXIES = [LOAD_BALANCER]
    settings.SIXDEGREE_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"


@pytest.fixture
def case(case_index):
    return make_case_page(case_index)


def request_from(peer, forwarded_for=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


# --- Client addresses ------------------------------------------------------------------------


def test_the_proxy_header_names_the_client_when_a_trusted_proxy_sent_it(behind_a_load_balancer):
    # The client may send its own X-Forwarded-For; the balancer appends what it saw.
    assert client_address(request_from(LOAD_BALANCER, "1.2.3.4, 203.0.113.7")) == "203.0.113.7"


def test_a_client_cannot_choose_its_address_by_sending_the_header_itself(behind_a_load_balancer):
    assert client_address(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_nothing_is_believed_without_configured_proxies(settings):
    settings.SIXDEGREE_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.SIXDEGREE_TRUSTED_PROXIES = []
    assert client_address(request_from("127.0.0.1", "198.51.100.1")) == "127.0.0.1"


def test_proxies_that_append_themselves_are_skipped(behind_a_load_balancer, settings):
    settings.SIXDEGREE_PROXY_COUNT = 1  # a CDN in front of the load balancer
    assert client_address(request_from(LOAD_BALANCER, "1.2.3.4, 203.0.113.7, 192.0.2.10")) == "203.0.113.7"


def test_a_garbled_header_falls_back_to_the_peer(behind_a_load_balancer):
    assert client_address(request_from(LOAD_BALANCER, "not an address")) == LOAD_BALANCER


def test_trusted_proxies_may_be_networks(settings):
    settings.SIXDEGREE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.SIXDEGREE_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert client_address(request_from("10.2.3.4", "203.0.113.7")) == "203.0.113.7"


# --- Lock-out (django-axes) behind a load balancer ---------------------------------------------


@pytest.fixture
def admin_user(settings, django_user_model):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def sign_in(password, client_address, peer=LOAD_BALANCER):
    return Client().post(
        "/admin/login/",
        {"username": "editor", "password": password},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_bad_passwords_through_the_balancer_lock_out_that_address_only(behind_a_load_balancer, admin_user):
    for _ in range(5):
        sign_in("wrong", "203.0.113.66")
    assert sign_in(PASSWORD, "203.0.113.66").status_code == 429
    # The real administrator, through the same load balancer, from elsewhere.
    assert sign_in(PASSWORD, "198.51.100.7").status_code == 302


def test_a_direct_client_cannot_escape_its_lock_out_with_a_forged_header(behind_a_load_balancer, admin_user):
    for number in range(5):
        sign_in("wrong", f"192.0.2.{number}", peer="203.0.113.66")
    assert sign_in(PASSWORD, "192.0.2.200", peer="203.0.113.66").status_code == 429


# --- X-Forwarded-Proto -------------------------------------------------------------------------


@pytest.fixture
def https_behind_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SIXDEGREE_TRUSTED_PROXIES = [LOAD_BALANCER]


def test_x_forwarded_proto_from_a_trusted_proxy_means_https(client, case, https_behind_proxy):
    response = client.get(case.url, REMOTE_ADDR=LOAD_BALANCER, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


def test_x_forwarded_proto_from_anyone_else_is_ignored(client, case, https_behind_proxy):
    response = client.get(case.url, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


# --- The giving API: other sites refused before anything happens ------------------------------


FRONT = "https://front.example"


@pytest.fixture
def allowed_front_end(settings):
    settings.SIXDEGREE_DONATION_ALLOWED_ORIGINS = [FRONT]
    settings.SIXDEGREE_DONATION_RATE_LIMIT = 1


def give(client, case, origin, content_type="application/json"):
    body = json.dumps({"case": case.pk, "amount": "25", "currency": "USD", "email": "h@example.org"})
    return client.post("/api/v2/donations/", data=body, content_type=content_type, HTTP_ORIGIN=origin)


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_page_on_another_site_cannot_start_a_gift(client, case, allowed_front_end, content_type):
    response = give(client, case, "https://evil.example", content_type)
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert not Donation.objects.exists()


def test_a_refused_origin_uses_up_no_attempt(client, case, allowed_front_end):
    give(client, case, "https://evil.example")
    assert give(client, case, FRONT).status_code == 201


def test_a_listed_front_end_gets_cors_headers(client, case, allowed_front_end):
    response = give(client, case, FRONT)
    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == FRONT
    assert "Access-Control-Allow-Credentials" not in response


def test_cors_is_for_the_giving_api_only(client, case, allowed_front_end):
    response = client.get(f"/api/v2/pages/{case.pk}/", HTTP_ORIGIN=FRONT)
    assert "Access-Control-Allow-Origin" not in response


# --- Permissions-Policy ---------------------------------------------------------------------


def test_public_pages_deny_browser_features(client, case):
    policy = client.get(case.url)["Permissions-Policy"]
    for feature in ("geolocation=()", "camera=()", "microphone=()", "payment=()"):
        assert feature in policy


# --- The system check: proxies, not everyone ---------------------------------------------------


def proxy_check_ids():
    from django.core import checks

    return [e.id for e in checks.run_checks() if e.id.startswith("sixdegree_cases.E10")]


@pytest.mark.parametrize(
    ("proxies", "expected"),
    [
        (["0.0.0.0/0"], ["sixdegree_cases.E102"]),
        (["::/0"], ["sixdegree_cases.E102"]),
        (["10.0.0.1,"], ["sixdegree_cases.E101"]),
        (["10.0.0.0/8", "127.0.0.1"], []),
    ],
)
def test_trusting_everyone_or_nonsense_is_an_error(settings, proxies, expected):
    settings.SIXDEGREE_TRUSTED_PROXIES = proxies
    assert proxy_check_ids() == expected
