"""The organisation's details a process keeps between publications (home.organisation, kept by
sixdegree_cases.caching.process): no query for them while nothing changed, never a stale
footer after a change — made in this process or in another one."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache as default_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from home.models import InformationPage, OrganisationSettings
from sixdegree_cases.caching import process, sites
from sixdegree_cases.caching.backends import ALL, get_page_cache
from sixdegree_cases.review.services import approve_and_publish
from tests.factories import make_case_index, make_case_page

UNCACHED = "?uncached=1"


@pytest.fixture(autouse=True)
def page_cache(page_cache_on):
    return page_cache_on


@pytest.fixture
def case(case_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_case_page(case_index, slug="ana")


@pytest.fixture
def about(home, django_capture_on_commit_callbacks):
    """An About page chosen in the organisation settings (a footer link)."""
    with django_capture_on_commit_callbacks(execute=True):
        page = home.add_child(instance=InformationPage(title="About", slug="about", body="Us.", live=False))
        approve_and_publish(page.save_revision(), require_checks=False)
        organisation = settings_of_default_site()
        organisation.name = "Canary Org XK-60"
        organisation.about_page = page
        organisation.save()
    return InformationPage.objects.get(pk=page.pk)


def settings_of_default_site():
    return OrganisationSettings.for_site(Site.objects.get(is_default_site=True))


def footer(client, url):
    response = client.get(url + UNCACHED)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("footer")


def footer_links(client, url):
    return {a.get_text(strip=True): a["href"] for a in footer(client, url).select("a")}


def organisation_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url + UNCACHED).status_code == 200
    return [
        q["sql"]
        for q in queries.captured_queries
        # The settings, and which of the trust pages chosen are live and public.
        if '"home_organisationsettings"' in q["sql"] or '"wagtailcore_page"."id" IN (' in q["sql"]
    ]


def warm(client, url):
    """The first view sets the page cache's epoch; the second keeps what it read."""
    for _ in range(2):
        client.get(url + UNCACHED)


def test_no_organisation_query_while_nothing_changes(client, case, about):
    assert organisation_queries(client, case.url)  # sets the epoch
    assert organisation_queries(client, case.url)  # reads, and keeps
    assert organisation_queries(client, case.url) == []
    assert "Canary Org XK-60" in footer(client, case.url).get_text()
    assert footer_links(client, case.url)["About"] == "/about/"


def test_saved_settings_are_shown_on_the_next_request(
    client, case, about, django_capture_on_commit_callbacks
):
    warm(client, case.url)
    with django_capture_on_commit_callbacks(execute=True):
        organisation = settings_of_default_site()
        organisation.name = "Renamed XK-61"
        organisation.about_page = None
        organisation.save()
    text = footer(client, case.url).get_text()
    assert "Renamed XK-61" in text
    assert "About" not in footer_links(client, case.url)


def test_deleted_settings_leave_the_defaults(client, case, about, django_capture_on_commit_callbacks):
    warm(client, case.url)
    with django_capture_on_commit_callbacks(execute=True):
        OrganisationSettings.objects.all().delete()
    assert "XK-60" not in footer(client, case.url).get_text()


def test_an_unpublished_trust_page_leaves_the_footer_at_once(
    client, case, about, django_capture_on_commit_callbacks
):
    warm(client, case.url)
    with django_capture_on_commit_callbacks(execute=True):
        about.unpublish()
    assert "About" not in footer_links(client, case.url)


@pytest.mark.parametrize("kind", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD])
def test_a_restricted_trust_page_leaves_the_footer_at_once(
    client, case, about, kind, django_capture_on_commit_callbacks
):
    warm(client, case.url)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=about, restriction_type=kind, password="opensesame")
    assert "About" not in footer_links(client, case.url)


def test_a_moved_trust_page_is_linked_at_its_new_url(client, case, about, django_capture_on_commit_callbacks):
    warm(client, case.url)
    with django_capture_on_commit_callbacks(execute=True):
        about = InformationPage.objects.get(pk=about.pk)
        about.slug = "who-we-are"
        approve_and_publish(about.save_revision(), require_checks=False)
    assert footer_links(client, case.url)["About"] == "/who-we-are/"


def test_a_change_made_by_another_process_is_seen_once_its_version_moves_on(client, case, about):
    """Another server saves the settings: this process's signals never run, only the page
    cache's generation (shared, in Redis) moves on when that server's change commits."""
    warm(client, case.url)
    # The other server's write, without this process's signal handlers:
    OrganisationSettings.objects.filter(pk=settings_of_default_site().pk).update(name="Elsewhere XK-62")
    assert "XK-60" in footer(client, case.url).get_text(), "kept while the version holds"
    # ...and its invalidation when it commits (`invalidation.invalidate_tags`), as that server runs it:
    get_page_cache().invalidate([ALL])
    assert "Elsewhere XK-62" in footer(client, case.url).get_text()


def test_a_change_whose_invalidation_was_missed_shows_once_a_cached_page_would_expire(
    client, case, about, monkeypatch
):
    """Redis did not answer when another server's change committed: its invalidation is lost and
    the version never moves on for it. A restricted trust page must not stay in the footer (nor
    the settings, nor the site) for longer than a cached page would (the page cache's TIMEOUT)."""
    now = [1000.0]
    monkeypatch.setattr(process, "clock", lambda: now[0])
    warm(client, case.url)
    assert "About" in footer_links(client, case.url)
    # The other server's writes, and no invalidation:
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=about, restriction_type=PageViewRestriction.LOGIN)]
    )
    OrganisationSettings.objects.filter(pk=settings_of_default_site().pk).update(name="Missed XK-65")
    now[0] += 59
    assert "About" in footer_links(client, case.url), "kept while a cached page would be"
    now[0] += 2  # past the TIMEOUT (60 s) of the page cache
    assert "About" not in footer_links(client, case.url)
    assert "Missed XK-65" in footer(client, case.url).get_text()


def test_nothing_is_kept_once_redis_lost_its_data(client, case, about):
    warm(client, case.url)
    OrganisationSettings.objects.filter(pk=settings_of_default_site().pk).update(name="Restarted XK-63")
    default_cache.clear()  # Redis lost everything: the generation starts again, under a new epoch
    assert "Restarted XK-63" in footer(client, case.url).get_text()
    assert organisation_queries(client, case.url), "read again under the new epoch"


def test_a_visitor_with_a_session_reads_the_settings_each_time(client, case, about):
    warm(client, case.url)
    client.cookies["sessionid"] = "anything"
    assert organisation_queries(client, case.url)
    OrganisationSettings.objects.filter(pk=settings_of_default_site().pk).update(name="Signed in XK-64")
    assert "Signed in XK-64" in footer(client, case.url).get_text()


def change_that_moves_the_version(name, home, case, about):
    """Each change a kept value may depend on, made as the admin makes it."""
    from sixdegree_cases.privacy import withdraw_consent
    from tests.privacy.helpers import OFFICER_PERMISSIONS, record_consent, user_with

    if name == "published":
        approve_and_publish(case.save_revision(), require_checks=False)
    elif name == "unpublished":
        case.unpublish()
    elif name == "moved":
        case.move(make_case_index(home, title="Other", slug="other"), pos="last-child")
    elif name == "deleted":
        about.delete()
    elif name == "restricted":
        PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.LOGIN)
    elif name == "site saved":
        site = Site.objects.get(is_default_site=True)
        site.site_name = "Renamed"
        site.save()
    elif name == "settings saved":
        settings_of_default_site().save()
    elif name == "settings deleted":
        OrganisationSettings.objects.all().delete()
    elif name == "consent withdrawn":
        record_consent(case)
        withdraw_consent(case, user_with("officer", OFFICER_PERMISSIONS))
    else:
        raise AssertionError(name)


@pytest.mark.parametrize(
    "change",
    [
        "published",
        "unpublished",
        "moved",
        "deleted",
        "restricted",
        "site saved",
        "settings saved",
        "settings deleted",
        "consent withdrawn",
    ],
)
def test_every_change_a_kept_value_depends_on_moves_the_version(
    change, home, case, about, page_cache, django_capture_on_commit_callbacks
):
    page_cache.add_key(page_cache.epoch_key, "e1")
    before = sites._version(page_cache)
    assert before is not None
    with django_capture_on_commit_callbacks(execute=True):
        change_that_moves_the_version(change, home, case, about)
    assert sites._version(page_cache) != before


def test_a_value_is_kept_per_key_and_version_only_for_requests_that_read_one(rf):
    kept = process.KeptPerProcess()
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    with_version, other, without = rf.get("/"), rf.get("/"), rf.get("/")
    process.remember_version(with_version, ("e1", "1"), 60)
    process.remember_version(other, ("e1", "2"), 60)
    assert [kept.get(with_version, "k", compute) for _ in range(2)] == [1, 1]
    assert kept.get(other, "k", compute) == 2
    assert kept.get(without, "k", compute) == 3
    assert kept.get(without, "k", compute) == 4
    process.clear()
    assert kept.get(other, "k", compute) == 5
