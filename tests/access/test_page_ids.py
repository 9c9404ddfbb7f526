"""An anonymous visitor cannot tell which page ids exist: every non-public id answers alike.

Each URL that takes a page id is asked for an id that never existed and for the ids of a
draft, an unpublished case, a login-only case, a case below a login-only index and a case
protected by another password. The answers
(status, content type and body, with the id itself blanked out) must be identical.
"""

import json
import re

import pytest
from wagtail.models import PageViewRestriction

from tests.factories import make_case_index, make_case_page

MISSING_ID = 987_654


@pytest.fixture
def hidden_ids(case_index):
    draft = make_case_page(case_index, publish=False, title="Draft canary", slug="draft-canary")
    unpublished = make_case_page(case_index, title="Unpublished canary", slug="unpublished-canary")
    unpublished.unpublish()
    login_only = make_case_page(case_index, title="Login canary", slug="login-canary")
    PageViewRestriction.objects.create(page=login_only, restriction_type=PageViewRestriction.LOGIN)
    private_index = make_case_index(case_index.get_parent(), title="Private cases", slug="private-cases")
    PageViewRestriction.objects.create(page=private_index, restriction_type=PageViewRestriction.LOGIN)
    below_private = make_case_page(private_index, title="Below canary", slug="below-canary")
    password_only = make_case_page(case_index, title="Password canary", slug="password-canary")
    PageViewRestriction.objects.create(
        page=password_only, restriction_type=PageViewRestriction.PASSWORD, password="another one"
    )
    return {
        "draft": draft.pk,
        "unpublished": unpublished.pk,
        "login only": login_only.pk,
        "below a private index": below_private.pk,
        "password protected": password_only.pk,
    }


@pytest.fixture
def password_restriction(case_index):
    """A live, password-protected case: its restriction id is public (its form shows it)."""
    protected = make_case_page(case_index, title="Protected", slug="protected")
    return PageViewRestriction.objects.create(
        page=protected, restriction_type=PageViewRestriction.PASSWORD, password="correct horse"
    )


def _answer(response, page_id):
    body = response.content.decode()
    # The id the visitor typed may be echoed back (e.g. in a login redirect): that says nothing.
    body = re.sub(rf"\b{page_id}\b", "<id>", body)
    location = re.sub(rf"\b{page_id}\b", "<id>", response.get("Location", ""))
    return response.status_code, response.get("Content-Type"), location, body


def _probe(client, request, hidden_ids):
    missing = _answer(request(client, MISSING_ID), MISSING_ID)
    for name, page_id in hidden_ids.items():
        assert _answer(request(client, page_id), page_id) == missing, name


URLS = {
    "api detail": lambda c, i: c.get(f"/api/v2/pages/{i}/"),
    "api find by id": lambda c, i: c.get("/api/v2/pages/find/", {"id": i}),
    "api child_of": lambda c, i: c.get("/api/v2/pages/", {"child_of": i}),
    "api descendant_of": lambda c, i: c.get("/api/v2/pages/", {"descendant_of": i}),
    "api ancestor_of": lambda c, i: c.get("/api/v2/pages/", {"ancestor_of": i}),
    "api translation_of": lambda c, i: c.get("/api/v2/pages/", {"translation_of": i}),
    "journey geojson": lambda c, i: c.get(f"/api/v2/cases/{i}/journey.geojson"),
    "donate form": lambda c, i: c.get(f"/donations/cases/{i}/give/"),
    "headless donation": lambda c, i: c.post(
        "/api/v2/donations/",
        json.dumps({"case": i, "amount": "25", "currency": "EUR", "email": "d@example.org"}),
        content_type="application/json",
    ),
    "admin edit": lambda c, i: c.get(f"/admin/pages/{i}/edit/"),
    "admin view draft": lambda c, i: c.get(f"/admin/pages/{i}/view_draft/"),
    "admin preview": lambda c, i: c.get(f"/admin/pages/{i}/edit/preview/"),
}


@pytest.mark.parametrize("name", URLS)
def test_every_non_public_id_answers_like_a_missing_one(client, hidden_ids, name):
    _probe(client, URLS[name], hidden_ids)


def test_password_form_answers_every_non_public_id_like_a_missing_one(
    client, hidden_ids, password_restriction
):
    def request(c, page_id):
        return c.get(f"/_util/authenticate_with_password/{password_restriction.pk}/{page_id}/")

    _probe(client, request, hidden_ids)


def test_password_post_answers_every_non_public_id_like_a_missing_one(
    client, hidden_ids, password_restriction
):
    def request(c, page_id):
        return c.post(
            f"/_util/authenticate_with_password/{password_restriction.pk}/{page_id}/",
            {"password": "wrong", "return_url": "/"},
        )

    _probe(client, request, hidden_ids)


def test_password_form_of_a_page_outside_the_restriction_is_not_found(
    client, case_index, password_restriction
):
    """A restriction id only opens the pages it protects: any other live page is not found."""
    other = make_case_page(case_index, title="Open case", slug="open-case")
    response = client.get(f"/_util/authenticate_with_password/{password_restriction.pk}/{other.pk}/")
    assert response.status_code == 404


def test_password_form_of_a_draft_below_the_protected_page_is_not_found(client, password_restriction):
    """A draft the restriction would cover is still a draft: the same 404 as a missing id."""
    draft = make_case_page(password_restriction.page.specific.get_parent(), publish=False, slug="draft-x")
    draft.move(password_restriction.page, pos="last-child")
    response = client.get(f"/_util/authenticate_with_password/{password_restriction.pk}/{draft.pk}/")
    missing = client.get(f"/_util/authenticate_with_password/{password_restriction.pk}/{MISSING_ID}/")
    assert _answer(response, draft.pk) == _answer(missing, MISSING_ID)
