"""Password-protected pages and documents take a few guesses per client, then lock it out."""

import time

import pytest
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests.factories import make_case_page

PASSWORD = "correct horse battery"
LIMIT = 5


@pytest.fixture(autouse=True)
def guess_settings(settings):
    settings.SIXDEGREE_PASSWORD_GUESS_LIMIT = LIMIT
    settings.SIXDEGREE_PASSWORD_LOCKOUT_SECONDS = 900


def protect(page):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )


@pytest.fixture
def protected(case_index):
    page = make_case_page(case_index, title="Protected", slug="protected")
    protect(page)
    return page


def guess(client, page, password, address="203.0.113.7"):
    restriction = page.get_view_restrictions()[0]
    return client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk]),
        {"password": password, "return_url": "/"},
        REMOTE_ADDR=address,
    )


def wrong_guesses(client, page, count, **kwargs):
    return [guess(client, page, f"guess-{n}", **kwargs).status_code for n in range(count)]


def test_wrong_passwords_within_the_limit_get_the_form_again(client, protected):
    assert wrong_guesses(client, protected, LIMIT) == [200] * LIMIT


def test_the_guess_after_the_limit_is_refused_with_a_message(client, protected):
    wrong_guesses(client, protected, LIMIT)
    response = guess(client, protected, "one more")
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.content.decode()


def test_the_right_password_is_refused_during_a_lockout(client, protected):
    wrong_guesses(client, protected, LIMIT + 1)
    assert guess(client, protected, PASSWORD).status_code == 429
    assert "Password required" in client.get(protected.url).content.decode()


def test_forty_quick_guesses_never_reach_the_password(client, protected):
    """The issue's attack: 40 guesses in a row, the right one last. It stays locked."""
    statuses = wrong_guesses(client, protected, 39) + [guess(client, protected, PASSWORD).status_code]
    assert statuses.count(200) == LIMIT
    assert statuses[-1] == 429
    assert "Password required" in client.get(protected.url).content.decode()


def test_the_right_password_within_the_limit_opens_the_page(client, protected):
    wrong_guesses(client, protected, LIMIT - 1)
    response = guess(client, protected, PASSWORD)
    assert response.status_code == 302
    assert "Password required" not in client.get(protected.url).content.decode()


def test_the_right_password_starts_the_count_again(client, protected):
    wrong_guesses(client, protected, LIMIT - 1)
    guess(client, protected, PASSWORD)
    assert wrong_guesses(client, protected, LIMIT) == [200] * LIMIT


def test_another_client_address_is_not_locked_out(client, protected):
    wrong_guesses(client, protected, LIMIT + 1)
    assert guess(client, protected, PASSWORD, address="198.51.100.9").status_code == 302


def test_another_protected_page_is_not_locked_out(client, protected, case_index):
    other = make_case_page(case_index, title="Other", slug="other")
    protect(other)
    wrong_guesses(client, protected, LIMIT + 1)
    assert guess(client, other, PASSWORD).status_code == 302


def test_a_page_below_the_protected_one_shares_its_count(client, protected):
    """Both pages are opened by one restriction (one password): guesses on either count."""
    child = make_case_page(protected, title="Child", slug="child")
    wrong_guesses(client, protected, LIMIT)
    assert guess(client, child, PASSWORD).status_code == 429


def test_many_addresses_together_lock_the_page_for_everyone(client, protected, settings):
    """A botnet gets no more guesses than the page limit, however many addresses it has."""
    settings.SIXDEGREE_PASSWORD_GUESS_PAGE_LIMIT = 12
    statuses = [guess(client, protected, "wrong", address=f"203.0.113.{n}").status_code for n in range(13)]
    assert statuses == [200] * 12 + [429]
    assert guess(client, protected, PASSWORD, address="198.51.100.9").status_code == 429


def test_the_lockout_ends_after_its_time(client, protected, settings):
    settings.SIXDEGREE_PASSWORD_LOCKOUT_SECONDS = 1
    wrong_guesses(client, protected, LIMIT + 1)
    time.sleep(1.2)
    assert guess(client, protected, PASSWORD).status_code == 302


def test_the_lockout_holds_when_redis_is_down(client, protected, settings):
    """The shared cache refuses every connection: each process still counts on its own."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    assert wrong_guesses(client, protected, LIMIT) == [200] * LIMIT
    assert guess(client, protected, PASSWORD).status_code == 429


def test_the_lockout_holds_when_the_cache_silently_counts_nothing(client, protected, settings):
    """A cache that accepts and forgets everything (DummyCache) cannot lift the limit."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    wrong_guesses(client, protected, LIMIT)
    assert guess(client, protected, PASSWORD).status_code == 429


def test_the_lockout_is_shared_by_app_servers_through_the_cache(client, protected):
    """Another process (an empty local counter) still sees the lock-out in the shared cache."""
    from sixdegree_cases.restrictions import guesses

    wrong_guesses(client, protected, LIMIT + 1)
    guesses._local.clear()
    assert guess(client, protected, PASSWORD).status_code == 429


def test_document_collection_passwords_are_limited_too(client, db):
    collection = Collection.get_first_root_node().add_child(name="Partner documents")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password=PASSWORD
    )
    url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])
    statuses = [
        client.post(url, {"password": f"guess-{n}", "return_url": "/"}).status_code for n in range(LIMIT)
    ]
    assert statuses == [200] * LIMIT
    assert client.post(url, {"password": PASSWORD, "return_url": "/"}).status_code == 429


def test_a_login_only_collection_has_no_password_form(client, db):
    collection = Collection.get_first_root_node().add_child(name="Staff documents")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])
    assert client.get(url).status_code == client.get(url.replace(str(restriction.pk), "987654")).status_code


@pytest.mark.parametrize(
    "path",
    ["/_util/authenticate_with_password/1/2/", "/documents/authenticate_with_password/1/"],
)
def test_wagtails_password_paths_reach_the_limited_views(path):
    """The site's URLs must list these before Wagtail's, or Wagtail's unlimited views answer."""
    from django.urls import resolve

    from sixdegree_cases.restrictions import views

    assert resolve(path).func in (
        views.authenticate_page_with_password,
        views.authenticate_document_with_password,
    )
