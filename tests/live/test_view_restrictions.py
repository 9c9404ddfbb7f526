"""Door 5: making a live page private takes effect at once, in the page cache and the listings."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache as default_cache
from wagtail.models import PageViewRestriction

from sixdegree_cases.caching.backends import get_page_cache
from tests.factories import make_case_page

CACHE_HEADER = "X-Page-Cache"


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The real page cache on (as in tests/performance), emptied around each test."""
    settings.SIXDEGREE_PAGE_CACHE = {
        "BACKEND": "sixdegree_cases.caching.backends.DjangoCachePageCache",
        "TIMEOUT": 600,
        "PAGE_TYPES": ["sixdegree_cases.SurvivorCasePage", "sixdegree_cases.CaseIndexPage", "home.HomePage"],
        "SKIP_PATHS": ["/admin/", "/api/", "/donations/", "/payments/"],
    }
    default_cache.clear()
    yield get_page_cache()
    default_cache.clear()


@pytest.fixture
def case(case_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_case_page(
            case_index, pseudonym="Melati", items=[("education", "Tailoring course", Decimal("1500.00"))]
        )


def warm(client, *urls):
    """View each URL twice as an anonymous visitor, so the second view comes from the cache."""
    for url in urls:
        client.get(url)
        response = client.get(url)
        assert response[CACHE_HEADER] == "hit", url


def test_login_only_hides_the_cached_story_at_once(client, case, django_capture_on_commit_callbacks):
    warm(client, case.url)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(case.url)
    assert response.status_code == 302
    assert b"Melati" not in response.content


def test_login_only_drops_the_card_from_cached_listings(
    client, case, case_index, home, django_capture_on_commit_callbacks
):
    warm(client, case_index.url, home.url)
    assert b"Melati" in client.get(case_index.url).content
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.LOGIN)
    assert b"Melati" not in client.get(case_index.url).content


def test_restricting_the_index_hides_every_cached_case_below_it(
    client, case, case_index, django_capture_on_commit_callbacks
):
    warm(client, case.url)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=case_index, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-phrase"
        )
    assert b"Melati" not in client.get(case.url).content


def test_a_groups_restriction_takes_effect_at_once(client, case, django_capture_on_commit_callbacks):
    # Removing a restriction above a live case is refused (it counts as publishing, see
    # tests/review/test_default_groups.py), so the case starts public and becomes group-only.
    warm(client, case.url)
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=case, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(Group.objects.create(name="Board"))
    assert client.get(case.url).status_code == 302


def test_the_admin_privacy_switch_takes_effect_at_once(
    client, case, django_user_model, django_capture_on_commit_callbacks
):
    warm(client, case.url)
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    admin_client = type(client)()
    admin_client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/pages/{case.pk}/privacy/", {"restriction_type": PageViewRestriction.LOGIN}
        )
    assert response.status_code == 200, response.content[:500]
    assert PageViewRestriction.objects.filter(page=case).exists()
    assert b"Melati" not in client.get(case.url).content


def test_a_restricted_index_is_purged_from_a_cdn_with_every_page_below_it(
    case, case_index, settings, django_capture_on_commit_callbacks
):
    from tests.live.stand_ins import RecordingFrontendCache

    settings.WAGTAILFRONTENDCACHE = {"recorder": {"BACKEND": "tests.live.stand_ins.RecordingFrontendCache"}}
    RecordingFrontendCache.purged = []
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=case_index, restriction_type=PageViewRestriction.LOGIN)
    purged = {url.split("://", 1)[-1].split("/", 1)[-1] for url in RecordingFrontendCache.purged}
    assert {"cases/", "cases/her-story/"} <= purged
