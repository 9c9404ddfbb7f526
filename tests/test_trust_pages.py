"""About, How it works, Privacy policy and Contact; the organisation in the footer; the page's
description and Open Graph tags from public fields only; share links that load nothing."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import Page, PageViewRestriction, Site

from home.models import InformationPage, OrganisationSettings
from sixdegree_cases.review.models import ReviewApproval
from tests.factories import make_case_page

pytestmark = pytest.mark.django_db

TRUST_SLUGS = ["about", "how-it-works", "privacy", "contact"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def load():
    call_command("load_demo_content", force=True, no_admin=True, stdout=io.StringIO())


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_demo_creates_the_trust_pages_through_review_once(client):
    load()
    pages = InformationPage.objects.filter(slug__in=TRUST_SLUGS)
    assert sorted(pages.values_list("slug", flat=True)) == sorted(TRUST_SLUGS)
    for page in pages:
        assert page.live
        assert ReviewApproval.objects.filter(revision_id=page.live_revision_id).exists()
        assert client.get(page.url).status_code == 200
    before = (Page.objects.count(), OrganisationSettings.objects.count())
    load()
    assert (Page.objects.count(), OrganisationSettings.objects.count()) == before


def test_the_footer_names_the_organisation_and_links_the_trust_pages_and_donor_accounts(client):
    load()
    footer = soup(client.get("/")).select_one("footer")
    links = {a.get_text(strip=True): a["href"] for a in footer.select("a")}
    assert links["About"] == "/about/"
    assert links["How it works"] == "/how-it-works/"
    assert links["Privacy policy"] == "/privacy/"
    assert links["Contact"] == "/contact/"
    assert links["Donor account"] == "/donations/account/"
    assert "Sixdegree" in footer.get_text()
    assert "Demonstration site" in footer.get_text()
    header = soup(client.get("/")).select_one("header")
    assert header.find("a", string="Donor account")["href"] == "/donations/account/"
    contact = soup(client.get("/contact/"))
    assert contact.select_one(".contact-details a[href='mailto:hello@sixdegree.example']")


def test_a_trust_page_that_is_unpublished_or_restricted_leaves_the_footer(client):
    load()
    about = InformationPage.objects.get(slug="about")
    about.unpublish()
    privacy = InformationPage.objects.get(slug="privacy")
    PageViewRestriction.objects.create(page=privacy, restriction_type="login")
    footer = soup(client.get("/")).select_one("footer").get_text()
    assert "About" not in footer
    assert "Privacy policy" not in footer
    assert "How it works" in footer


def test_the_home_title_names_the_site_once(client):
    load()
    assert soup(client.get("/")).title.get_text() == "Sixdegree"
    assert soup(client.get("/about/")).title.get_text() == "About · Sixdegree"


def test_description_and_open_graph_come_from_public_fields(client, case_index):
    case = make_case_page(case_index, summary="Recruited with a promise of restaurant work.")
    page = soup(client.get(case.url))
    meta = {tag.get("property") or tag.get("name"): tag["content"] for tag in page.select("meta[content]")}
    assert meta["description"] == "Recruited with a promise of restaurant work."
    assert meta["og:description"] == meta["description"]
    assert meta["og:title"] == case.title
    assert meta["og:type"] == "article"
    assert meta["og:url"] == case.full_url
    assert "og:image" not in meta
    assert "CO-17" not in page.decode()


def test_no_description_of_a_restricted_page_or_from_a_draft(client, case_index):
    case = make_case_page(case_index, summary="Public summary.")
    case.summary = "CANARY draft summary"
    case.save_revision()
    html = client.get(case.url).content.decode()
    assert "CANARY" not in html
    assert "Public summary." in html
    PageViewRestriction.objects.create(page=case, restriction_type="password", password="x")
    html = client.get(case.url).content.decode()
    assert "og:" not in html
    assert "Public summary." not in html


def test_share_links_load_nothing_from_another_host(client, case_index):
    case = make_case_page(case_index)
    page = soup(client.get(case.url))
    share = page.select_one(".share")
    hrefs = [a["href"] for a in share.select("a")]
    assert any(href.startswith("https://wa.me/") for href in hrefs)
    assert any(href.startswith("mailto:") for href in hrefs)
    # Only links: nothing in the section is fetched by the browser on its own.
    assert all(src.startswith("/") for src in [tag["src"] for tag in share.select("[src]")])
    # Hidden with its list item until the script finds a share sheet: no empty bullet in a host
    # that does not style the list.
    assert share.select_one("li[data-share-item][hidden] > button[data-share]")
    # The page's own absolute address (read with the request's site root paths).
    assert share.select_one("button[data-share]")["data-share-url"] == case.full_url
    assert case.full_url.startswith("http")


def test_settings_change_is_saved_for_the_default_site(client):
    load()
    settings = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.registration = "Registered charity no. 1234567"
    settings.save()
    assert "Registered charity no. 1234567" in client.get("/").content.decode()
