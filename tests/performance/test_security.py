"""Security headers (CSP, HSTS, nosniff, framing) and the sign-in lock-out."""

import pytest
from django.test import Client

from tests.factories import make_case_page

PASSWORD = "a-long-enough-password"


@pytest.fixture
def case(case_index):
    return make_case_page(case_index)


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_public_pages_allow_only_this_site(client, case):
    policy = directives(client.get(case.url))
    for directive in (
        "default-src",
        "script-src",
        "style-src",
        "img-src",
        "connect-src",
        "font-src",
        "form-action",
    ):
        assert policy[directive] == ["'self'"], directive
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in client.get(case.url)["Content-Security-Policy"]


def test_the_admin_gets_only_the_allowances_it_needs(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    client.force_login(user)
    policy = directives(client.get("/admin/"))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    # The editor's preview frames the page from the admin itself, never from another site.
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]


def test_no_sniffing_no_framing_and_hsts_over_https(client, case, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get(case.url, secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


# --- Lock-out (django-axes): by username and address together ------------------------------


@pytest.fixture
def lockout(settings, django_user_model):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def sign_in(client, password, username="editor", address="203.0.113.7"):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_that_username_from_that_address(lockout):
    client = Client()
    for _ in range(4):
        response = sign_in(client, "wrong")
        assert response.status_code == 200  # the form again, with its error
    assert sign_in(client, "wrong").status_code == 429  # the fifth failure locks
    locked = sign_in(client, PASSWORD)
    assert locked.status_code == 429
    assert b"locked" in locked.content.lower()
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_the_pair_only(lockout, django_user_model):
    django_user_model.objects.create_superuser("other", "other@example.org", PASSWORD)
    for _ in range(5):
        sign_in(Client(), "wrong")
    # The same person from another address, another person from the same address: not locked.
    assert sign_in(Client(), PASSWORD, address="198.51.100.9").status_code == 302
    assert sign_in(Client(), PASSWORD, username="other").status_code == 302


def test_a_success_before_the_limit_resets_the_count(lockout):
    for _ in range(4):
        sign_in(Client(), "wrong")
    assert sign_in(Client(), PASSWORD).status_code == 302
    for _ in range(4):
        sign_in(Client(), "wrong")
    assert sign_in(Client(), PASSWORD).status_code == 302
