"""The basemap's place names: cells of public geography from the gazetteer, never case data."""

import gzip
import hashlib
import json

import pytest
from django.urls import reverse

from sixdegree_cases.geo.basemap import (
    BANDS,
    SMALLEST_TOWN_ZOOM,
    Band,
    band_of,
    cell_of,
    label_cell,
    label_rows,
    town_zoom,
)
from sixdegree_cases.geo.snapping import current_gazetteer
from sixdegree_cases.geo.widgets import map_options
from tests.factories import make_case_page, milestone

pytestmark = pytest.mark.django_db

PREFIX = "/api/v2/basemap/labels/"


def url(band, x, y):
    return f"{PREFIX}{band}/{x}/{y}.json"


def cell_at(band, lat, lng):
    return url(band.zoom, *cell_of(band, lat, lng))


def every_cell():
    for band in BANDS:
        for x in range(band.columns):
            for y in range(band.rows):
                yield band, x, y


def read(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    return json.loads(response.content)


def test_the_urls_are_the_plugins():
    assert reverse("sixdegree_cases:basemap_label_cell", kwargs={"band": 5, "x": 3, "y": 2}) == url(5, 3, 2)
    assert map_options()["labelsUrl"] == PREFIX
    assert map_options()["labelBands"] == [[band.zoom, band.degrees] for band in BANDS]


def test_the_grid_tiles_the_world():
    for band in BANDS:
        assert band.columns * band.degrees == 360
        assert band.rows * band.degrees == 180
    assert cell_of(BANDS[-1], -90, -180) == (0, 0)
    # The east and north edges of the world belong to the last cells, not to cells past them.
    assert cell_of(BANDS[-1], 90, 180) == (BANDS[-1].columns - 1, BANDS[-1].rows - 1)
    # A cell holds its west and south edges.
    assert cell_of(Band(7, 11.25), 0.0, 0.0) == (16, 8)
    assert cell_of(Band(7, 11.25), -0.001, -0.001) == (15, 7)


def test_each_name_is_in_the_band_of_its_zoom():
    # Every zoom a name can have is drawn by some band, and never before its own zoom.
    assert band_of(3).zoom == 3
    assert band_of(4).zoom == 3
    assert [band_of(zoom).zoom for zoom in (5, 6, SMALLEST_TOWN_ZOOM)] == [5, 6, 7]
    assert min(town_zoom(population) for population in (10**9, 10**6, 10**5)) >= BANDS[0].zoom


def test_a_cell_holds_exactly_the_names_whose_points_fall_inside_it(client, settings):
    settings.SIXDEGREE_MIN_PLACE_POPULATION = 500_000
    expected = {}
    for kind, row in label_rows(current_gazetteer()):
        band = band_of(row[3])
        expected.setdefault((band.zoom, *cell_of(band, row[1], row[2])), set()).add((kind, json.dumps(row)))
    served = {}
    for band, x, y in every_cell():
        data = read(client, url(band.zoom, x, y))
        west, south = x * band.degrees - 180, y * band.degrees - 90
        for kind in ("region", "town"):
            for row in data[f"{kind}s"]:
                assert west <= row[2] <= west + band.degrees, (row, band, x, y)
                assert south <= row[1] <= south + band.degrees, (row, band, x, y)
                assert band_of(row[3]) == band, (row, band)
                served.setdefault((band.zoom, x, y), set()).add((kind, json.dumps(row)))
    assert served == expected
    # Every name of the gazetteer is served, once.
    assert sum(map(len, served.values())) == len(label_rows(current_gazetteer()))


def test_towns_of_the_population_rule_and_regions(client, settings):
    settings.SIXDEGREE_MIN_PLACE_POPULATION = 1_000_000
    gazetteer = current_gazetteer()
    rows = label_rows(gazetteer)
    towns = sorted((row for kind, row in rows if kind == "town"), key=lambda row: row[4])
    # Every town of at least the setting's population, none smaller, ranked largest first.
    assert len(towns) == len(gazetteer._towns)
    assert [row[0] for row in towns[:2]] == ["Shanghai", "Beijing"]
    assert [row[4] for row in towns] == list(range(len(towns)))
    assert all(row[3] <= 4 for row in towns)
    # Surabaya (East Java) and Zhengzhou (Henan) in their cells, at the zooms that name them.
    java = read(client, cell_at(band_of(4), -7.25, 112.75))
    assert "Surabaya" in {row[0] for row in java["towns"]}
    regions = read(client, cell_at(band_of(5), -7.5, 112.5))["regions"]
    regions += read(client, cell_at(band_of(5), 34.0, 113.5))["regions"]
    assert {"East Java", "Henan"} <= {row[0] for row in regions}


def test_fewer_towns_when_the_rule_is_stricter(settings):
    settings.SIXDEGREE_MIN_PLACE_POPULATION = 50_000
    many = [row for kind, row in label_rows(current_gazetteer()) if kind == "town"]
    settings.SIXDEGREE_MIN_PLACE_POPULATION = 500_000
    few = [row for kind, row in label_rows(current_gazetteer()) if kind == "town"]
    assert 0 < len(few) < len(many)
    assert "Surabaya" in {row[0] for row in few}


def test_a_town_is_named_from_farther_out_the_larger_it_is():
    assert town_zoom(20_000_000) < town_zoom(2_000_000) < town_zoom(400_000) < town_zoom(150_000)
    assert town_zoom(50_000) == SMALLEST_TOWN_ZOOM


def test_the_cells_are_the_same_whatever_the_case(client):
    """The same files for every case and every page: nothing a case holds changes them."""
    addresses = [url(band.zoom, *cell_of(band, -7.25, 112.75)) for band in BANDS]
    before = [client.get(address).content for address in addresses]
    config = map_options()
    make_case_page(
        slug="canary",
        pseudonym="Canary Pseudonym Zq",
        story=[
            milestone("recruitment", "Canary Title Zq", lat=-7.3, lng=112.7, place_label="Surabaya"),
            milestone("escape", "Another", lat=-6.2, lng=106.82),
        ],
    )
    make_case_page(
        slug="second", pseudonym="Second", story=[milestone("escape", "Elsewhere", lat=13.75, lng=100.5)]
    )
    after = [client.get(address).content for address in addresses]
    assert after == before
    assert not any(b"Zq" in body for body in after)
    # And the page tells every map the same addresses: no case-specific cell list.
    assert map_options() == config


def test_cacheable_compressed_and_revalidated(client):
    address = cell_at(band_of(7), 34.75, 113.65)
    response = client.get(address, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "public" in response["Cache-Control"]
    assert json.loads(gzip.decompress(response.content))["towns"]
    etag = response["ETag"]
    assert client.get(address, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # Each cell has its own validator: another cell's does not match.
    other = client.get(cell_at(band_of(7), -7.25, 112.75))
    assert other["ETag"] != etag
    assert client.get(address, HTTP_IF_NONE_MATCH=other["ETag"]).status_code == 200


def test_the_etag_is_the_content_hash():
    band = band_of(6)
    body, etag = label_cell(band.zoom, *cell_of(band, 34.75, 113.65))
    assert etag == hashlib.sha256(body).hexdigest()[:32]


def test_a_cell_of_open_sea_is_empty_not_missing(client):
    band = band_of(7)
    # The middle of the South Pacific.
    assert read(client, cell_at(band, -40.0, -130.0)) == {"regions": [], "towns": []}


@pytest.mark.parametrize(
    "address",
    [
        url(4, 0, 0),  # not a band
        url(0, 0, 0),
        url(3, 2, 0),  # past the last column
        url(5, 0, 4),  # past the last row
        url(7, 32, 0),
        url(7, 99999999999999999999999, 0),
        f"{PREFIX}7/-1/0.json",
        f"{PREFIX}7/a/0.json",
        f"{PREFIX}7/0/0",
        f"{PREFIX}7/0/0.json/extra",
        f"{PREFIX}7/0.5/0.json",
        f"{PREFIX}labels.json",
        "/api/v2/basemap/labels.json",
    ],
)
def test_a_bad_cell_address_is_a_clean_404(client, address):
    # Django's APPEND_SLASH may first redirect a path with no ".json" to the same with a slash.
    response = client.get(address, follow=True)
    assert response.status_code == 404
    assert b"Traceback" not in response.content


def test_only_read(client):
    address = url(3, 1, 0)
    assert client.post(address).status_code == 405
    assert client.head(address).status_code == 200
