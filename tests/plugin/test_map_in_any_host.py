"""The story map's assets come with the plugin's own template, whatever the host's base is."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.templatetags.static import static

from tests.factories import make_case_page

HOST_TEMPLATES = Path(__file__).parent / "host_templates"
MAP_SCRIPTS = [
    static("sixdegree_cases/vendor/leaflet/leaflet.js"),
    static("sixdegree_cases/vendor/topojson-client/topojson-client.min.js"),
    static("sixdegree_cases/js/basemap-labels.js"),
    static("sixdegree_cases/js/basemap.js"),
    static("sixdegree_cases/js/story-route.js"),
    static("sixdegree_cases/js/story-map.js"),
]


@pytest.fixture
def host_base(settings):
    """The host's base.html (no `extra_head` block) is found before the site's."""
    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [HOST_TEMPLATES, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates


def test_a_case_in_a_host_without_extra_head_loads_the_map(host_base, client, case_index):
    page = make_case_page(case_index)
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert soup.body["class"] == ["host-site"]  # the host's base, not the site's
    scripts = [tag["src"] for tag in soup.find_all("script", src=True)]
    assert [src for src in scripts if src in MAP_SCRIPTS] == MAP_SCRIPTS
    stylesheets = [tag["href"] for tag in soup.find_all("link", rel="stylesheet")]
    assert static("sixdegree_cases/vendor/leaflet/leaflet.css") in stylesheets
    assert static("sixdegree_cases/css/story-map.css") in stylesheets
    # Each once: the site's own base does not add them a second time.
    assert len(stylesheets) == len(set(stylesheets))


def test_the_site_loads_the_map_once(client, case_index):
    page = make_case_page(case_index)
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    scripts = [tag["src"] for tag in soup.find_all("script", src=True)]
    assert [src for src in scripts if src in MAP_SCRIPTS] == MAP_SCRIPTS


def test_the_documented_tag_renders_the_assets():
    html = Template("{% load sixdegree_cases_tags %}{% sixdegree_map_assets %}").render(Context())
    soup = BeautifulSoup(html, "html.parser")
    assert [tag["src"] for tag in soup.find_all("script")] == MAP_SCRIPTS
    assert all(tag.has_attr("defer") for tag in soup.find_all("script"))
