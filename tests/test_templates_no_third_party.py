"""Public pages ask nothing of any other host, and show only the public fields of a case.

Rendered with Django's test client as an anonymous visitor. Every URL the browser would fetch
by itself (scripts, stylesheets, icons, images, frames, CSS `url()`, the story map's JSON) must
be relative or on the site's own host.
"""

import io
import json
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from sixdegree_cases.journey import milestones_for
from tests.factories import make_case_page, milestone
from tests.test_api import MILESTONE_KEYS

OFFICER_CANARY = "CANARY-officer-7Q4Z"
SITE_HOSTS = {"testserver", "localhost"}

# Attributes whose URL the browser fetches without a click, per element.
FETCHED_ATTRIBUTES = {
    "script": ["src"],
    "link": ["href"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "iframe": ["src"],
    "frame": ["src"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "track": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "input": ["src"],
    "image": ["href", "xlink:href"],
    "use": ["href", "xlink:href"],
    "base": ["href"],
    "form": ["action"],
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
LOOKS_LIKE_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def png_bytes(size=(160, 100)):
    output = io.BytesIO()
    PILImage.new("RGB", size, (90, 140, 170)).save(output, format="PNG")
    return output.getvalue()


def json_strings(value):
    """Every string inside a decoded JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def fetched_urls(html, public=True):
    """(where, url) for every URL the page makes the browser request by itself.

    On public pages the inline scripts must be JSON data only, and the URLs in that data count
    too. Wagtail's admin has inline scripts of its own, and JSON data holding links (its help
    menu) that the browser does not fetch: there, test_admin_map.py records the real requests.
    """
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for attribute in FETCHED_ATTRIBUTES.get(tag.name, []):
            value = tag.get(attribute)
            if not value:
                continue
            if attribute == "srcset":
                for candidate in value.split(","):
                    yield f"<{tag.name} {attribute}>", candidate.strip().split(" ")[0]
            else:
                yield f"<{tag.name} {attribute}>", value
        if tag.get("style"):
            for match in CSS_URL.finditer(tag["style"]):
                yield f"<{tag.name} style>", match.group(1) or match.group(2)
        # Open Graph and similar tags hand URLs to whoever shares the page.
        if tag.name == "meta" and LOOKS_LIKE_URL.match(tag.get("content", "")):
            yield "<meta content>", tag["content"]
    for style in soup.find_all("style"):
        for match in CSS_URL.finditer(style.get_text()):
            yield "<style>", match.group(1) or match.group(2)
    for script in soup.find_all("script"):
        if script.get("src") or not public:
            continue
        # The only inline scripts allowed are json_script data (a strict CSP stays possible).
        assert script.get("type") == "application/json", f"inline script code: {script}"
        for value in json_strings(json.loads(script.get_text())):
            if LOOKS_LIKE_URL.match(value):
                yield f"<script id={script.get('id')}> JSON", value


def foreign_urls(html, public=True):
    found = []
    for where, url in fetched_urls(html, public):
        parts = urlsplit(url.strip())
        if parts.scheme in ("data", "blob"):
            continue
        if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.hostname not in SITE_HOSTS):
            found.append((where, url))
    return found


@pytest.fixture
def illustration(db):
    image = get_image_model()(title="road_near_home_2019", file=SimpleUploadedFile("road.png", png_bytes()))
    image.save()
    image.contextual_alt_text = "A road through rice fields at dusk"
    image.decorative = False
    return image


@pytest.fixture
def case_page(case_index, illustration):
    return make_case_page(
        case_index,
        title="From a promise to a sewing shop",
        pseudonym="Xiao Fang",
        case_officer_reference=OFFICER_CANARY,
        story=[
            milestone("recruitment", "A promise of work", lat=-0.03, lng=109.33, period="2009"),
            milestone(
                "journey",
                "Taken across the sea",
                lat=3.14,
                lng=101.69,
                period="late 2009",
                illustration=illustration,
            ),
            milestone("exploitation", "Six years without pay", lat=-7.3, lng=112.7, period="six years"),
            milestone("escape", "Reaching out for help", lat=-7.25, lng=112.75, period="2015"),
        ],
    )


@pytest.fixture
def pages(client, home, case_index, case_page):
    """Rendered HTML of every kind of public page, as an anonymous visitor sees it."""
    urls = {
        "home": home.url,
        "case index": case_index.url,
        "case": case_page.url,
        "search": "/search/?query=promise",
        "not found": "/no-such-page/",
    }
    rendered = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not found" else 200), name
        rendered[name] = response.content.decode()
    return rendered


def test_no_page_requests_anything_from_another_host(pages):
    for name, html in pages.items():
        assert foreign_urls(html) == [], name


def test_admin_editor_of_a_case_references_no_other_host(client, admin_user, case_page):
    client.force_login(admin_user)
    response = client.get(f"/admin/pages/{case_page.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "sixdegree_cases/js/admin-map.js" in html
    assert foreign_urls(html, public=False) == []


def test_the_check_itself_catches_foreign_urls():
    html = """
        <link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Inter">
        <img src="/media/images/a.webp" srcset="/a.webp 1x, //cdn.example.org/a.webp 2x">
        <div style="background: url('https://tile.openstreetmap.org/1/1/1.png')"></div>
        <script id="cfg" type="application/json">{"tiles": "https://a.tile.example.com/{z}/{x}/{y}.png"}</script>
        <script src="http://testserver/static/ok.js"></script>
    """
    assert [url for _where, url in foreign_urls(html)] == [
        "https://fonts.googleapis.com/css?family=Inter",
        "//cdn.example.org/a.webp",
        "https://tile.openstreetmap.org/1/1/1.png",
        "https://a.tile.example.com/{z}/{x}/{y}.png",
    ]


def test_map_assets_are_served_by_the_site(pages):
    soup = BeautifulSoup(pages["case"], "html.parser")
    scripts = [tag["src"] for tag in soup.find_all("script", src=True)]
    assert "/static/sixdegree_cases/vendor/leaflet/leaflet.js" in scripts
    assert "/static/sixdegree_cases/vendor/topojson-client/topojson-client.min.js" in scripts
    assert "/static/sixdegree_cases/js/story-map.js" in scripts
    config = json.loads(soup.find(id="story-map-config").get_text())
    assert config["basemapUrl"] == "/static/sixdegree_cases/vendor/world-atlas/countries-110m.json"
    assert config["tileLayer"] == ""


def test_case_page_lists_every_milestone_in_order(pages):
    soup = BeautifulSoup(pages["case"], "html.parser")
    items = soup.select("ol[data-story-list] > li")
    titles = [item.find(class_="milestone__title").get_text(strip=True) for item in items]
    assert titles == [
        "A promise of work",
        "Taken across the sea",
        "Six years without pay",
        "Reaching out for help",
    ]
    assert [item["value"] for item in items] == ["1", "2", "3", "4"]
    third = items[2].get_text(" ", strip=True)
    assert "Exploitation" in third
    assert "six years" in third
    assert "Surabaya" in third
    assert "Six years without pay." in third  # the narrative


def test_case_page_never_shows_the_case_officer_reference(pages):
    for name, html in pages.items():
        assert OFFICER_CANARY not in html, name


def test_story_map_data_is_the_public_allow_list(pages, case_page):
    soup = BeautifulSoup(pages["case"], "html.parser")
    data = json.loads(soup.find(id="story-milestones").get_text())
    # The API's keys less the stage icon (the map's configuration carries the icons).
    assert [set(item) for item in data] == [MILESTONE_KEYS - {"stage_icon"}] * 4
    assert data == json.loads(json.dumps(milestones_for(case_page)))


def test_pseudonym_is_labelled_and_funding_is_shown(pages):
    soup = BeautifulSoup(pages["case"], "html.parser")
    assert soup.select_one(".case__pseudonym").get_text(" ", strip=True) == "Xiao Fang (pseudonym)"
    table = soup.select_one(".funding-table").get_text(" ", strip=True)
    assert "Psychological support" in table
    assert "Counselling" in table
    assert "1,500.00" in table


def test_illustration_is_a_rendition_with_its_contextual_alt_text(pages):
    soup = BeautifulSoup(pages["case"], "html.parser")
    image = soup.select_one(".milestone__illustration img")
    assert image["src"].startswith("/media/images/")
    assert ".fill-800x500" in image["src"]
    assert "original_images" not in pages["case"]
    assert image["alt"] == "A road through rice fields at dusk"
    data = json.loads(soup.find(id="story-milestones").get_text())
    assert data[1]["illustration"]["url"] == image["src"]
    # The image's title is an upload detail, never public.
    assert "road_near_home_2019" not in pages["case"]


def test_landmarks_and_skip_link(pages):
    for name, html in pages.items():
        soup = BeautifulSoup(html, "html.parser")
        assert soup.select_one("a.skip-link[href='#main']"), name
        assert soup.select_one("main#main"), name
        assert soup.find("header", class_="site-header"), name
        assert soup.find("footer"), name
        assert soup.select_one("nav[aria-label]"), name
