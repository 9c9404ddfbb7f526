"""The editor's place search and "Shown as" preview: offline, staff only, bad input refused."""

import pytest
from django.contrib.auth import get_user_model

from sixdegree_cases.geo.search import search_places, shown_as
from sixdegree_cases.geo.snapping import snap

pytestmark = pytest.mark.django_db

SEARCH = "/admin/places/search/"
PREVIEW = "/admin/places/preview/"


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("staff", "staff@example.org", "x")
    client.force_login(user)
    return client


def test_a_town_found_is_where_the_public_will_see_it():
    [surabaya] = [place for place in search_places("Surabaya") if place["precision"] == "town"]
    assert surabaya["label"] == "Surabaya, Indonesia"
    # Picking the result stores exactly that place: it snaps to itself.
    place = snap({"lat": surabaya["lat"], "lng": surabaya["lng"]}, "town")
    assert (place.lat, place.lng, place.label) == (surabaya["lat"], surabaya["lng"], surabaya["label"])


def test_regions_and_countries_are_found_at_their_own_precision():
    henan = search_places("Henan")[0]
    assert (henan["label"], henan["precision"]) == ("Henan, China", "region")
    place = snap({"lat": henan["lat"], "lng": henan["lng"]}, "region")
    assert place.label == "Henan, China"
    thailand = search_places("thailand")[0]
    assert (thailand["label"], thailand["precision"]) == ("Thailand", "country")


def test_every_word_narrows_the_search_and_accents_do_not_matter():
    assert [p["label"] for p in search_places("sura indo")][:2] == [
        "Surabaya, Indonesia",
        "Surakarta, Indonesia",
    ]
    assert search_places("São Paulo")[0]["label"] == search_places("sao paulo")[0]["label"]
    assert search_places("s") == []
    assert search_places("") == []
    assert search_places("zzqxj") == []
    assert len(search_places("san")) == 10


def test_shown_as_is_what_the_save_stores():
    picked = {"lat": -7.3, "lng": 112.7}
    assert shown_as(picked, "town")["label"] == "Surabaya, Indonesia"
    assert shown_as(picked, "region")["label"] == "East Java, Indonesia"
    assert shown_as(picked, "country")["label"] == "Indonesia"
    # An unknown precision is the town rule, as on save.
    assert shown_as(picked, "street")["precision"] == "town"
    # A label the editor wrote is what the public sees; a stale automatic one is replaced.
    assert shown_as(picked, "town", "East Java")["label"] == "East Java"
    assert shown_as(picked, "town", "Jakarta, Indonesia")["label"] == "Surabaya, Indonesia"


def test_staff_search_and_preview(staff_client):
    response = staff_client.get(SEARCH, {"q": "Surabaya"})
    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert response.json()["results"][0]["label"] == "Surabaya, Indonesia"
    response = staff_client.get(PREVIEW, {"lat": "-7.3", "lng": "112.7", "precision": "region"})
    assert response.status_code == 200
    assert response.json()["label"] == "East Java, Indonesia"


@pytest.mark.parametrize(
    "params",
    [{}, {"lat": "x", "lng": "1"}, {"lat": "91", "lng": "0"}, {"lat": "nan", "lng": "0"}, {"lat": "1"}],
)
def test_a_bad_point_gets_a_message(staff_client, params):
    response = staff_client.get(PREVIEW, params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_a_long_query_gets_a_message(staff_client):
    response = staff_client.get(SEARCH, {"q": "a" * 101})
    assert response.status_code == 400
    assert "100" in response.json()["error"]


def test_only_reads(staff_client):
    assert staff_client.post(SEARCH, {"q": "Surabaya"}).status_code == 405
    assert staff_client.post(PREVIEW).status_code == 405


@pytest.mark.parametrize("url", [SEARCH, PREVIEW])
def test_not_for_the_public(client, url):
    response = client.get(url, {"q": "Surabaya", "lat": "-7.3", "lng": "112.7"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("url", [SEARCH, PREVIEW])
def test_not_for_accounts_without_admin_access(client, url):
    donor = get_user_model().objects.create_user("donor", "donor@example.org", "x")
    client.force_login(donor)
    response = client.get(url, {"q": "Surabaya", "lat": "-7.3", "lng": "112.7"})
    assert response.status_code in (302, 403)
    assert b"Surabaya" not in response.content
