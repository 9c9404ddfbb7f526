"""Fixtures of the browser tests: a live site holding Xiao Fang's case, and a request log.

Playwright drives Debian's chromium (see tests/conftest.py) against pytest-django's live
server. The database is transactional (the live server runs in another thread) and emptied
after each test; each test starts from Wagtail's roots.
"""

import importlib.util
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page

from sixdegree_cases.models import SurvivorCasePage
from tests.factories import make_case_index, make_case_page, make_home, milestone

DEMO_COMMAND = "home.management.commands.load_demo_content"
PSEUDONYM = "Xiao Fang"


def demo_command_exists():
    return importlib.util.find_spec(DEMO_COMMAND) is not None


def build_xiao_fang():
    """Xiao Fang's case from the factories, for as long as the demo command does not exist."""
    home = make_home()
    index = make_case_index(home)
    return make_case_page(
        index,
        title="From a broken promise to her own sewing shop",
        slug="xiao-fang",
        pseudonym=PSEUDONYM,
        origin="Indonesia",
        story=[
            milestone(
                "recruitment",
                "A promise of restaurant work",
                lat=-0.03,
                lng=109.33,
                period="2009",
                narrative="<p>At 16 a neighbour promised her a job in a restaurant in the city.</p>",
            ),
            milestone(
                "journey",
                "Taken across the sea",
                lat=3.14,
                lng=101.69,
                period="late 2009",
                narrative="<p>Instead she was taken by boat to another country, her papers kept.</p>",
            ),
            milestone(
                "exploitation",
                "Six years without pay",
                lat=-7.3,
                lng=112.7,
                period="six years",
                narrative="<p>She worked in a house from dawn to midnight and was never paid.</p>",
            ),
            milestone(
                "escape",
                "Reaching out for help",
                lat=-7.25,
                lng=112.75,
                period="2015",
                narrative="<p>A shopkeeper lent her a phone and she called a helpline.</p>",
            ),
            milestone(
                "dream",
                "A sewing shop of her own",
                lat=-6.2,
                lng=106.82,
                period="next year",
                narrative="<p>She has finished a tailoring course and wants to open a shop.</p>",
            ),
        ],
    )


def ensure_wagtail_roots():
    """Recreate what Wagtail's migrations put in a new database: a locale, the page tree's root
    and the collections' root.

    A transactional test ends by emptying every table. Django's serialized rollback would bring
    them back, but the connection Playwright's event loop sees does not carry the serialized
    data, so the roots are made here instead.
    """
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@pytest.fixture
def site_db(transactional_db):
    """A transactional database (the live server runs in another thread) with Wagtail's roots."""
    ensure_wagtail_roots()


@pytest.fixture
def xiao_fang(site_db):
    """Xiao Fang's published case: the demo content when it can be loaded, else the factories'."""
    if demo_command_exists():
        call_command("load_demo_content", force=True, no_admin=True, verbosity=0)
        return SurvivorCasePage.objects.live().get(pseudonym=PSEUDONYM)
    return build_xiao_fang()


@pytest.fixture
def requests_seen(page):
    """Every URL the page asks for, from now on (data: and blob: URLs never leave the browser)."""
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def foreign(urls, live_server):
    """The URLs that went to any host other than the live server."""
    own = urlsplit(live_server.url).netloc
    return [
        url for url in urls if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != own
    ]
