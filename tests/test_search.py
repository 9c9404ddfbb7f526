"""Site search shows only live, public pages."""

from wagtail.models import PageViewRestriction

from tests.factories import make_case_page


def titles(response):
    return [result.title for result in response.context["search_results"]]


def test_search_finds_live_public_cases(client, case_index):
    make_case_page(case_index, title="Public story", slug="public", summary="sewing machine dream")
    response = client.get("/search/", {"query": "sewing"})
    assert response.status_code == 200
    assert titles(response) == ["Public story"]


def test_search_excludes_drafts_and_login_restricted_pages(client, case_index):
    make_case_page(case_index, publish=False, title="Draft story", slug="draft", summary="sewing secret")
    private = make_case_page(case_index, title="Private story", slug="private", summary="sewing secret")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    response = client.get("/search/", {"query": "sewing"})
    assert titles(response) == []
    assert "secret" not in response.content.decode().lower()


def test_empty_and_odd_queries_do_not_fail(client, case_index):
    for params in ({}, {"query": ""}, {"query": "x" * 5000}, {"query": "sewing", "page": "abc"}):
        assert client.get("/search/", params).status_code == 200


def test_search_stems_words(client, case_index):
    # PostgreSQL's English configuration: "sew" finds "sewing", "dreams" finds "dream".
    make_case_page(case_index, title="Public story", slug="public", summary="She took a sewing course.")
    assert titles(client.get("/search/", {"query": "sew"})) == ["Public story"]
    assert titles(client.get("/search/", {"query": "courses"})) == ["Public story"]


def test_stemming_does_not_reach_drafts_or_restricted_pages(client, case_index):
    make_case_page(case_index, publish=False, title="Draft story", slug="draft", summary="sewing secret")
    private = make_case_page(case_index, title="Private story", slug="private", summary="sewing secret")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    response = client.get("/search/", {"query": "sew secrets"})
    assert titles(response) == []
    assert "sewing secret" not in response.content.decode().lower()


def test_private_fields_are_not_searchable_even_stemmed(client, case_index):
    make_case_page(
        case_index, title="Public story", slug="public", case_officer_reference="Officer Sewingham"
    )
    assert titles(client.get("/search/", {"query": "Sewingham"})) == []
