"""The basemap's place names endpoint: public geography of the gazetteer, never case data."""

import gzip
import json

import pytest
from django.urls import reverse

from sixdegree_cases.geo.basemap import SMALLEST_TOWN_ZOOM, labels_json, town_zoom
from sixdegree_cases.geo.snapping import current_gazetteer
from tests.factories import make_case_page, milestone

pytestmark = pytest.mark.django_db

URL = "/api/v2/basemap/labels.json"


def test_the_url_is_the_plugins():
    assert reverse("sixdegree_cases:basemap_labels") == URL


def test_towns_of_the_population_rule_and_regions(client, settings):
    settings.SIXDEGREE_MIN_PLACE_POPULATION = 1_000_000
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    gazetteer = current_gazetteer()
    # Every town of at least the setting's population, none smaller, largest first.
    assert len(data["towns"]) == len(gazetteer._towns)
    names = [row[0] for row in data["towns"]]
    assert names[:2] == ["Shanghai", "Beijing"]
    assert "Surabaya" in names
    assert all(len(row) == 4 and row[3] <= 4 for row in data["towns"])
    assert {"East Java", "Henan"} <= {row[0] for row in data["regions"]}


def test_fewer_towns_when_the_rule_is_stricter(client, settings):
    settings.SIXDEGREE_MIN_PLACE_POPULATION = 50_000
    many = len(json.loads(client.get(URL).content)["towns"])
    settings.SIXDEGREE_MIN_PLACE_POPULATION = 500_000
    few = json.loads(client.get(URL).content)["towns"]
    assert 0 < len(few) < many
    assert "Surabaya" in {row[0] for row in few}


def test_a_town_is_named_from_farther_out_the_larger_it_is():
    assert town_zoom(20_000_000) < town_zoom(2_000_000) < town_zoom(400_000) < town_zoom(150_000)
    assert town_zoom(50_000) == SMALLEST_TOWN_ZOOM


def test_no_case_data_in_the_names(client):
    before = labels_json()
    make_case_page(
        pseudonym="Canary Pseudonym Zq",
        story=[
            milestone("recruitment", "Canary Title Zq", lat=-7.3, lng=112.7, place_label="Surabaya"),
            milestone("escape", "Another", lat=-6.2, lng=106.8),
        ],
    )
    body = client.get(URL).content
    assert body == before
    assert b"Zq" not in body


def test_cacheable_compressed_and_revalidated(client):
    response = client.get(URL, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "public" in response["Cache-Control"]
    assert json.loads(gzip.decompress(response.content))["towns"]
    etag = response["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_only_read(client):
    assert client.post(URL).status_code == 405
    assert client.head(URL).status_code == 200
