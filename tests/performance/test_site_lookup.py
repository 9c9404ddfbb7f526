"""The site and root page a process keeps between publications (sixdegree_cases.caching.sites):
no query for them while nothing changed, never a stale one after a change."""

import pytest
from django.core.cache import cache as default_cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from home.models import HomePage
from sixdegree_cases.caching import invalidate_all, sites
from sixdegree_cases.review.services import approve_and_publish
from tests.factories import make_case_page

UNCACHED = "?uncached=1"


@pytest.fixture(autouse=True)
def page_cache(page_cache_on):
    return page_cache_on


@pytest.fixture
def case(case_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_case_page(case_index, slug="ana", summary="Canary summary XK-51.")


def site_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries if '"wagtailcore_site"' in q["sql"]]


def test_no_site_query_while_nothing_changes(client, case):
    assert site_queries(client, case.url + UNCACHED)  # sets the epoch
    assert site_queries(client, case.url + UNCACHED)  # looks, and keeps
    assert site_queries(client, case.url + UNCACHED) == []
    assert b"XK-51" in client.get(case.url + UNCACHED).content


def test_a_site_change_is_seen_by_the_next_request(client, case, django_capture_on_commit_callbacks):
    for _ in range(3):
        client.get(case.url + UNCACHED)
    assert site_queries(client, case.url + UNCACHED) == []
    elsewhere = Page.get_first_root_node().add_child(
        instance=Page(title="Elsewhere", slug="elsewhere", live=False)
    )
    with django_capture_on_commit_callbacks(execute=True):
        # Saved as an admin would (the signal drops the cache): the site serves another tree.
        site = Site.objects.get()
        site.root_page = elsewhere
        site.save()
    assert client.get(case.url + UNCACHED).status_code == 404


def test_a_host_with_no_site_is_a_404_not_a_500(client, case, django_capture_on_commit_callbacks):
    for _ in range(3):
        client.get(case.url + UNCACHED)
    with django_capture_on_commit_callbacks(execute=True):
        site = Site.objects.get()
        site.is_default_site = False
        site.hostname = "elsewhere.example"
        site.save()
    response = client.get(case.url + UNCACHED)
    assert response.status_code == 404
    assert b"XK-51" not in response.content


def test_a_republished_root_page_shows_its_new_text(client, home, case, django_capture_on_commit_callbacks):
    for _ in range(3):
        client.get("/" + UNCACHED)
    page = HomePage.objects.get(pk=home.pk)
    page.introduction = "<p>New words XK-52.</p>"
    with django_capture_on_commit_callbacks(execute=True):
        approve_and_publish(page.save_revision(), require_checks=False)
    assert b"XK-52" in client.get("/" + UNCACHED).content


def test_an_unpublished_root_page_is_not_served_from_the_kept_copy(
    client, home, case, django_capture_on_commit_callbacks
):
    for _ in range(3):
        client.get("/" + UNCACHED)
    with django_capture_on_commit_callbacks(execute=True):
        HomePage.objects.get(pk=home.pk).unpublish()
    assert client.get("/" + UNCACHED).status_code == 404


def test_a_restriction_on_the_root_page_is_never_missed(
    client, home, case, django_capture_on_commit_callbacks
):
    for _ in range(3):
        client.get("/" + UNCACHED)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
    for url in ("/", case.url):
        response = client.get(url + UNCACHED)
        assert response.status_code == 302, url
        assert b"XK-51" not in response.content


def test_each_request_gets_its_own_copy(home, page_cache):
    invalidate_all()  # a generation exists
    page_cache.add_key(page_cache.epoch_key, "e1")
    factory = RequestFactory()
    requests = [factory.get("/", HTTP_HOST="localhost") for _ in range(3)]
    for request in requests:
        sites.set_site_for_request(request, page_cache)
    roots = [request._wagtail_site.root_page for request in requests]
    assert all(isinstance(root, HomePage) for root in roots)
    assert len({id(root) for root in roots}) == 3
    # What one request's serve sets on its page (its restrictions, read once) stays there.
    roots[1].__dict__["_sixdegree_served"] = True
    later = factory.get("/", HTTP_HOST="localhost")
    sites.set_site_for_request(later, page_cache)
    assert "_sixdegree_served" not in later._wagtail_site.root_page.__dict__


def test_nothing_is_kept_under_a_version_that_can_repeat(home, page_cache):
    """Without an epoch (Redis lost its data) nothing is kept; a new epoch never matches an
    old one, even at the same generation."""
    factory = RequestFactory()
    sites.set_site_for_request(first := factory.get("/", HTTP_HOST="localhost"), page_cache)
    assert not hasattr(first, "_wagtail_site")
    sites.set_site_for_request(second := factory.get("/", HTTP_HOST="localhost"), page_cache)
    assert isinstance(second._wagtail_site.root_page, HomePage)
    default_cache.clear()  # Redis lost everything: the generation starts again
    sites.set_site_for_request(third := factory.get("/", HTTP_HOST="localhost"), page_cache)
    assert not hasattr(third, "_wagtail_site")
    with CaptureQueriesContext(connection) as queries:
        sites.set_site_for_request(fourth := factory.get("/", HTTP_HOST="localhost"), page_cache)
    assert fourth._wagtail_site.root_page.pk == home.pk
    assert queries.captured_queries, "looked again under the new epoch"


def test_a_redis_outage_leaves_wagtail_to_look(home, page_cache, monkeypatch):
    def broken(keys):
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(page_cache, "read_keys", broken)
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    sites.set_site_for_request(request, page_cache)
    assert not hasattr(request, "_wagtail_site")
