"""View restrictions read in fewer queries (sixdegree_cases.restrictions.queries) keep exactly
Wagtail's answers: the same public pages, the same restrictions per page (aliases included),
a restriction added a moment ago is never missed, and the home page still routes everything."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction

from home.models import InformationPage
from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.restrictions.queries import (
    MAYBE_RESTRICTED,
    public,
    view_restrictions_of,
    with_restrictions_known,
)
from sixdegree_cases.review.services import approve_and_publish
from tests.factories import make_case_index, make_case_page


def restrict(page, kind=PageViewRestriction.PASSWORD):
    if kind == PageViewRestriction.GROUPS:
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind)
        restriction.groups.add(Group.objects.get_or_create(name="Case officers")[0])
        return restriction
    return PageViewRestriction.objects.create(page=page, restriction_type=kind, password="opensesame")


def information_page(parent, slug):
    page = parent.add_child(
        instance=InformationPage(title=slug.title(), slug=slug, body="About us.", live=False)
    )
    approve_and_publish(page.save_revision(), require_checks=False)
    page.refresh_from_db()
    return page


@pytest.fixture
def tree(home):
    """Two indexes with cases; one index restricted, one case restricted, a sibling whose
    path differs from a restricted one only in its last step."""
    open_index = make_case_index(home, title="Open", slug="open")
    closed_index = make_case_index(home, title="Closed", slug="closed")
    cases = {
        "open": make_case_page(open_index, title="Open case", slug="open-case"),
        "restricted": make_case_page(open_index, title="Restricted case", slug="restricted-case"),
        "sibling": make_case_page(open_index, title="Sibling case", slug="sibling-case"),
        "under closed": make_case_page(closed_index, title="Closed case", slug="closed-case"),
    }
    restrict(cases["restricted"])
    restrict(closed_index, PageViewRestriction.GROUPS)
    return {"home": home, "open index": open_index, "closed index": closed_index, **cases}


def test_public_is_wagtails_public_in_one_query(tree, django_assert_num_queries):
    for queryset in (Page.objects.all(), SurvivorCasePage.objects.live(), Page.objects.filter(depth__gte=3)):
        expected = set(queryset.public().values_list("pk", flat=True))
        with django_assert_num_queries(1):
            found = set(public(queryset).values_list("pk", flat=True))
        assert found == expected
    shown = set(public(SurvivorCasePage.objects.all()).values_list("slug", flat=True))
    assert shown == {"open-case", "sibling-case"}


def test_public_with_no_restriction_at_all_keeps_every_page(home):
    make_case_page(make_case_index(home, title="Open", slug="open"), slug="open-case")
    assert not PageViewRestriction.objects.exists()
    assert public(Page.objects.all()).count() == Page.objects.count() > 3


def as_alias(source, placed_at):
    """An alias of `source` at the place of `placed_at` (unsaved: cases cannot be aliased on
    this site, but other page types can, and Wagtail resolves them to their source)."""
    return Page(path=placed_at.path, depth=placed_at.depth, alias_of_id=source.pk, title="Alias")


def test_view_restrictions_are_wagtails_for_every_page_and_alias(tree):
    pages = list(Page.objects.all())
    aliases = [
        as_alias(tree["restricted"], tree["open"]),
        as_alias(tree["open"], tree["under closed"]),
        as_alias(tree["open"], tree["sibling"]),
    ]
    for page in [*pages, *aliases]:
        ours = set(view_restrictions_of(page).values_list("pk", flat=True))
        wagtails = set(Page.get_view_restrictions(page).values_list("pk", flat=True))
        assert ours == wagtails, page
    assert view_restrictions_of(aliases[0]).exists(), "an alias is restricted as its source page is"
    assert view_restrictions_of(aliases[1]).exists(), "and as its own ancestors are"
    assert not view_restrictions_of(aliases[2]).exists()


def test_an_instance_not_being_served_reads_restrictions_each_time(tree):
    case = SurvivorCasePage.objects.get(pk=tree["open"].pk)
    assert not case.get_view_restrictions().exists()
    restrict(case)
    assert case.get_view_restrictions().exists()


def routed(client, *path_components):
    from wagtail.models import Site

    request = client.get("/").wsgi_request
    return Site.find_for_request(request).root_page.specific.route(request, list(path_components)).page


def test_the_served_page_reads_its_restrictions_once(tree, client, django_assert_num_queries):
    for path, key in (
        (("open", "restricted-case"), "restricted"),
        (("closed", "closed-case"), "under closed"),
    ):
        case = routed(client, *path)
        assert case.pk == tree[key].pk
        wagtails = set(Page.get_view_restrictions(case).values_list("pk", flat=True))
        with django_assert_num_queries(1):
            assert case.get_view_restrictions().exists()
            assert {r.pk for r in case.get_view_restrictions()} == wagtails
            assert case.get_view_restrictions().exists()


def test_a_served_page_with_no_restriction_reads_none(tree, client, django_assert_num_queries):
    """Routing read, with the page, that nothing restricts it: no query for its restrictions."""
    for path in (("open", "open-case"), ("open", "sibling-case"), ("open",)):
        page = routed(client, *path)
        assert not Page.get_view_restrictions(page).exists()
        with django_assert_num_queries(0):
            assert not page.get_view_restrictions().exists()
            assert list(page.get_view_restrictions()) == []


def test_may_be_restricted_is_true_wherever_wagtail_finds_a_restriction(tree):
    """Saved aliases too (of plain drafts: reviewed pages cannot be aliased), of a restricted
    page elsewhere and of an open page below a restricted one."""
    restricted_folder = tree["home"].add_child(
        instance=Page(title="Restricted folder", slug="restricted", live=False)
    )
    restrict(restricted_folder)
    open_folder = tree["home"].add_child(instance=Page(title="Open folder", slug="open-folder", live=False))
    aliases = [
        restricted_folder.create_alias(parent=tree["open index"], update_slug="restricted-alias"),
        open_folder.create_alias(parent=tree["closed index"], update_slug="closed-alias"),
        open_folder.create_alias(parent=tree["open index"], update_slug="open-alias"),
    ]
    pages = with_restrictions_known(Page.objects.all())
    assert len(pages) == Page.objects.count()
    for page in pages:
        wagtails = Page.get_view_restrictions(page).exists()
        assert getattr(page, MAYBE_RESTRICTED) is wagtails, page
    by_pk = {page.pk: getattr(page, MAYBE_RESTRICTED) for page in pages}
    assert [by_pk[alias.pk] for alias in aliases] == [True, True, False]


def test_restricted_pages_stay_closed_and_their_meta_tags_empty(tree, client):
    for key in ("restricted", "under closed"):
        response = client.get(tree[key].url)
        assert response.status_code in (200, 302)
        html = response.content.decode()
        assert tree[key].summary not in html, key
        assert 'property="og:' not in html, key
    response = client.get(tree["open"].url)
    assert response.status_code == 200
    assert 'property="og:title"' in response.content.decode()


def test_a_password_restriction_added_after_a_view_closes_the_page_at_once(tree, client):
    assert client.get(tree["sibling"].url).status_code == 200
    restrict(tree["sibling"])
    response = client.get(tree["sibling"].url)
    assert tree["sibling"].summary not in response.content.decode()


@pytest.mark.parametrize(
    "kind", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN, PageViewRestriction.GROUPS]
)
def test_a_restriction_added_to_the_index_closes_its_cases_on_the_next_request(tree, client, kind):
    """Whether the case may be restricted is read with the case, each request: nothing kept."""
    for _ in range(2):
        assert tree["open"].summary in client.get(tree["open"].url).content.decode()
    restrict(tree["open index"], kind)
    for url in (tree["open"].url, tree["open index"].url):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert tree["open"].summary not in response.content.decode(), url


def test_the_home_page_still_routes_every_child(tree, client):
    about = information_page(tree["home"], "about")
    assert client.get(about.url).status_code == 200
    assert client.get(tree["open index"].url).status_code == 200
    assert client.get(tree["open"].url).status_code == 200
    assert client.get("/open/no-such-case/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/open/open-case/extra/").status_code == 404
    draft = make_case_page(tree["open index"], title="Draft", slug="draft-case", publish=False)
    assert client.get("/open/draft-case/").status_code == 404, draft


def test_a_case_routed_by_the_index_carries_its_totals_and_lifecycle(tree, client):
    from wagtail.models import Site

    request = client.get("/").wsgi_request
    case = Site.find_for_request(request).root_page.specific.route(request, ["open", "open-case"]).page
    assert SurvivorCasePage.funding.is_cached(case)
    assert SurvivorCasePage.lifecycle.is_cached(case)


def test_a_case_without_child_pages_reads_no_updates_and_one_with_them_shows_them(
    case_index, client, django_assert_num_queries
):
    from sixdegree_cases.updates.public import live_updates_of
    from tests.updates.helpers import make_update

    case = make_case_page(case_index, slug="quiet-case")
    fresh = SurvivorCasePage.objects.get(pk=case.pk)
    with django_assert_num_queries(0):
        assert live_updates_of(fresh) == []

    make_update(case, require_checks=False, title="A sewing corner of her own")
    fresh = SurvivorCasePage.objects.get(pk=case.pk)
    assert [update.title for update in live_updates_of(fresh)] == ["A sewing corner of her own"]
    assert "A sewing corner of her own" in client.get(case.url).content.decode()


def test_an_alias_of_an_alias_is_restricted_as_the_first_source_is(tree):
    """Wagtail follows an alias to its source, and that source to its own when it is an alias
    too (`create_alias` of an alias makes such a chain): a restriction added to the page at the
    end of the chain, after the aliases were made (`create_alias` copies only the restrictions
    that exist then), restricts every alias along it."""
    folder = tree["home"].add_child(instance=Page(title="Folder", slug="folder", live=False))
    first = folder.create_alias(parent=tree["open index"], update_slug="first-alias")
    second = first.create_alias(parent=tree["open index"], update_slug="second-alias")
    below = tree["home"].add_child(instance=Page(title="Below", slug="below", live=False))
    third = second.create_alias(parent=below, update_slug="third-alias")
    restrict(folder)
    for alias in (second, third):
        alias = Page.objects.get(pk=alias.pk)
        assert Page.get_view_restrictions(alias).exists(), "Wagtail's answer"
        assert view_restrictions_of(alias).exists()
        assert getattr(with_restrictions_known(Page.objects.filter(pk=alias.pk)).get(), MAYBE_RESTRICTED)


def test_a_page_below_an_alias_of_an_alias_is_restricted_too(tree):
    folder = tree["home"].add_child(instance=Page(title="Folder", slug="folder", live=False))
    first = folder.create_alias(parent=tree["open index"], update_slug="first-alias")
    second = first.create_alias(parent=tree["home"], update_slug="second-alias")
    child = Page.objects.get(pk=second.pk).add_child(instance=Page(title="Child", slug="child", live=False))
    restrict(folder)
    child = Page.objects.get(pk=child.pk)
    assert Page.get_view_restrictions(child).exists(), "Wagtail's answer"
    assert view_restrictions_of(child).exists()
    assert getattr(with_restrictions_known(Page.objects.filter(pk=child.pk)).get(), MAYBE_RESTRICTED)
