"""The home page routes to a case in one query (by URL path): the same pages as Wagtail's own
routing, child by child, whatever an editor does to slugs, the tree or publication."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction

from home.models import HomePage
from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.review.services import approve_and_publish
from tests.factories import make_case_index, make_case_page


def route(home, path):
    request = RequestFactory().get(path, HTTP_HOST="localhost")
    components = [c for c in path.split("/") if c]
    home = HomePage.objects.get(pk=home.pk)
    try:
        ours = home.route(request, components)[0].pk
    except Http404:
        ours = None
    try:
        # Wagtail's routing, one child at a time (each page type's own `route` below the home).
        wagtails = Page.route(home, request, components)[0].pk
    except Http404:
        wagtails = None
    return ours, wagtails


def test_the_same_page_as_wagtails_routing(home, case_index):
    case = make_case_page(case_index, slug="ana")
    draft = make_case_page(case_index, slug="draft", publish=False)
    for path, expected in (
        ("/cases/ana/", case.pk),
        ("/cases/draft/", None),
        ("/cases/nobody/", None),
        ("/nowhere/ana/", None),
        ("/cases/", case_index.pk),
        ("/cases/ana/more/", None),
    ):
        assert route(home, path) == (expected, expected), path
    assert draft.pk not in route(home, "/cases/draft/")


def test_a_slug_change_and_a_move_leave_no_old_path(home, case_index):
    case = make_case_page(case_index, slug="ana")
    page = SurvivorCasePage.objects.get(pk=case.pk)
    page.slug = "bea"
    # Approved and published as an editor's would be: Wagtail updates url_path with the slug.
    approve_and_publish(page.save_revision(), require_checks=False)
    page.refresh_from_db()
    assert route(home, "/cases/ana/") == (None, None)
    assert route(home, "/cases/bea/") == (case.pk, case.pk)

    other = make_case_index(home, title="Other cases", slug="other")
    page.move(other, pos="last-child")
    assert route(home, "/cases/bea/") == (None, None)
    assert route(home, "/other/bea/") == (case.pk, case.pk)


def test_a_case_of_an_unpublished_index_is_routed_like_wagtail(home, case_index):
    case = make_case_page(case_index, slug="ana")
    case_index.unpublish()
    assert route(home, "/cases/ana/") == (case.pk, case.pk)


def test_unpublished_case_is_a_404_and_its_text_is_gone(client, home, case_index):
    case = make_case_page(case_index, slug="ana", summary="Canary summary XK-41.")
    assert client.get("/cases/ana/?uncached=1").status_code == 200
    SurvivorCasePage.objects.get(pk=case.pk).unpublish()
    response = client.get("/cases/ana/?uncached=1")
    assert response.status_code == 404
    assert b"XK-41" not in response.content


@pytest.mark.parametrize("on", ["index", "case"])
def test_a_restriction_on_the_case_or_its_index_is_kept(client, home, case_index, on):
    case = make_case_page(case_index, slug="ana", summary="Canary summary XK-42.")
    assert b"XK-42" in client.get("/cases/ana/?uncached=1").content
    PageViewRestriction.objects.create(
        page=case_index if on == "index" else case, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get("/cases/ana/?uncached=1")
    assert response.status_code == 302
    assert b"XK-42" not in response.content
