"""The headless API: only allow-listed fields of live, public cases, ever."""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from tests.factories import make_case_page, milestone

CASE_KEYS = {
    "id",
    "meta",
    "title",
    "pseudonym",
    "summary",
    "origin",
    "dream",
    "age_group",
    "launch_date",
    "milestones",
    "funding_target",
    "currency",
    "funding_items",
    "raised",
    "target",
    "percent",
    "donors",
    "status",
    "funded_in_days",
    "lifecycle",
    "accepts_gifts",
}
META_KEYS = {
    "type",
    "detail_url",
    "html_url",
    "slug",
    "first_published_at",
    "search_description",
    "parent",
    "locale",
}
MILESTONE_KEYS = {
    "number",
    "stage",
    "stage_label",
    "title",
    "period",
    "precision",
    "place_label",
    "lat",
    "lng",
    "narrative",
    "illustration",
    "stage_icon",
}
FUNDING_ITEM_KEYS = {"category", "category_label", "description", "amount"}
SECRET = "Officer Canary-7731"


@pytest.fixture
def case(case_index):
    return make_case_page(case_index, case_officer_reference=SECRET)


def test_case_detail_has_exactly_the_public_keys(client, case):
    response = client.get(f"/api/v2/pages/{case.pk}/", {"fields": "*"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == CASE_KEYS
    assert set(data["meta"]) == META_KEYS
    assert all(set(m) == MILESTONE_KEYS for m in data["milestones"])
    assert [set(item) for item in data["funding_items"]] == [FUNDING_ITEM_KEYS]
    assert data["funding_target"] == "1500.00"
    assert data["currency"] == "USD"
    assert SECRET not in response.content.decode()


def test_milestones_are_snapped_and_in_order(client, case):
    data = client.get(f"/api/v2/pages/{case.pk}/").json()
    assert [m["number"] for m in data["milestones"]] == [1, 2, 3]
    assert [m["stage"] for m in data["milestones"]] == ["recruitment", "exploitation", "escape"]
    assert (data["milestones"][1]["lat"], data["milestones"][1]["lng"]) == (-7.2492, 112.7508)


def test_listing_with_all_fields_leaks_nothing(client, case):
    response = client.get("/api/v2/pages/", {"type": "sixdegree_cases.SurvivorCasePage", "fields": "*"})
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert set(item) == CASE_KEYS
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"fields": "case_officer_reference"},
        {"type": "sixdegree_cases.SurvivorCasePage", "case_officer_reference": SECRET},
        {"fields": "seo_title"},
        {"fields": "show_in_menus"},
    ],
)
def test_internal_fields_cannot_be_requested_or_filtered(client, case, params):
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 400
    assert SECRET not in response.content.decode()


def test_drafts_and_private_cases_are_not_served(client, case_index):
    draft = make_case_page(case_index, publish=False, title="Draft", slug="draft")
    private = make_case_page(case_index, title="Private", slug="private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    listing = client.get("/api/v2/pages/", {"type": "sixdegree_cases.SurvivorCasePage"}).json()
    assert listing["items"] == []
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{private.pk}/").status_code == 404


def test_images_endpoint_is_not_mounted(client, case):
    assert client.get("/api/v2/images/").status_code == 404


def test_journey_geojson(client, case_index):
    case = make_case_page(
        case_index,
        story=[
            milestone("recruitment", "Recruited", precision="region", lat=0.1, lng=109.4),
            milestone("exploitation", "Exploited", lat=-7.3, lng=112.7),
        ],
    )
    response = client.get(reverse("sixdegree_cases:journey_geojson", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["title"] for f in data["features"]] == ["Recruited", "Exploited"]
    assert data["features"][1]["geometry"] == {"type": "Point", "coordinates": [112.7508, -7.2492]}
    assert data["features"][0]["properties"]["place_label"] == "West Kalimantan, Indonesia"
    assert set(data["features"][0]["properties"]) == MILESTONE_KEYS - {"lat", "lng"}


def test_journey_geojson_of_draft_or_private_case_is_404(client, case_index):
    draft = make_case_page(case_index, publish=False, slug="draft")
    private = make_case_page(case_index, slug="private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    for page in (draft, private):
        assert client.get(reverse("sixdegree_cases:journey_geojson", args=[page.pk])).status_code == 404
    assert client.get("/api/v2/cases/999999/journey.geojson").status_code == 404


def test_milestones_carry_precision_icon_and_plain_narrative(client, case_index, settings):
    settings.WAGTAILAPI_BASE_URL = "https://cases.example.org"
    story = [
        milestone("recruitment", "Recruited", narrative='<p data-block-key="x1a2">Promised <b>work</b>.</p>'),
        milestone("escape", "Escape", precision="country"),
    ]
    case = make_case_page(case_index, story=story)
    data = client.get(f"/api/v2/pages/{case.pk}/", {"fields": "*"}).json()
    first, second = data["milestones"]
    assert (first["precision"], second["precision"]) == ("town", "country")
    assert first["stage_icon"] == "https://cases.example.org/static/sixdegree_cases/icons/recruitment.svg"
    assert first["narrative"] == "<p>Promised <b>work</b>.</p>"
    assert "data-block-key" not in client.get(f"/api/v2/cases/{case.pk}/journey.geojson").content.decode()


def test_illustration_urls_are_absolute_from_one_setting(client, case_index, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images import get_image_model

    from tests.test_templates_no_third_party import png_bytes

    settings.MEDIA_ROOT = tmp_path
    settings.WAGTAILAPI_BASE_URL = "https://cases.example.org"
    image = get_image_model()(title="A field", file=SimpleUploadedFile("field.png", png_bytes()))
    image.save()
    image.contextual_alt_text = "A field at dusk"
    image.decorative = False
    case = make_case_page(case_index, story=[milestone(illustration=image), milestone("escape", "Escape")])
    data = client.get(f"/api/v2/pages/{case.pk}/", {"fields": "milestones"}).json()
    url = data["milestones"][0]["illustration"]["url"]
    assert url.startswith("https://cases.example.org/media/")
    geojson = client.get(f"/api/v2/cases/{case.pk}/journey.geojson").json()
    assert geojson["features"][0]["properties"]["illustration"]["url"] == url


def test_age_group_and_launch_date_are_published(client, case_index):
    import datetime

    case = make_case_page(case_index, age_group="18_24", launch_date=datetime.date(2025, 3, 1))
    data = client.get(f"/api/v2/pages/{case.pk}/", {"fields": "age_group,launch_date"}).json()
    assert (data["age_group"], data["launch_date"]) == ("18_24", "2025-03-01")


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v2/no-such-endpoint/", 404),
        ("get", "/api/v2/pages/999999/", 404),
        ("get", "/api/v2/cases/999999/journey.geojson", 404),
        ("get", "/api/v2/cases/not-a-number/journey.geojson", 404),
        ("get", "/api/v2/pages/?type=nosuchapp.NoSuchPage", 400),
        ("get", "/api/v2/pages/?limit=banana", 400),
        ("post", "/api/v2/pages/", 405),
    ],
)
def test_api_errors_are_json(client, case, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json()["message"], str)


def test_a_wrong_method_on_the_journey_is_json_and_says_what_is_allowed(client, case):
    response = client.post(f"/api/v2/cases/{case.pk}/journey.geojson")
    assert response.status_code == 405
    assert response.json() == {"message": "Method Not Allowed"}
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


def test_pages_outside_the_api_keep_their_html_errors(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


PARTNER = "https://partner.example.org"


@pytest.mark.parametrize(
    "path", ["/api/v2/pages/", "/api/v2/pages/{pk}/", "/api/v2/cases/{pk}/journey.geojson"]
)
def test_reads_get_cors_for_the_listed_origins(client, case, settings, path):
    settings.SIXDEGREE_API_CORS_ORIGINS = [PARTNER]
    path = path.format(pk=case.pk)
    assert client.get(path, HTTP_ORIGIN=PARTNER)["Access-Control-Allow-Origin"] == PARTNER
    assert "Access-Control-Allow-Origin" not in client.get(path, HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Credentials" not in client.get(path, HTTP_ORIGIN=PARTNER)


def test_any_origin_when_the_setting_says_so(client, case, settings):
    settings.SIXDEGREE_API_CORS_ORIGINS = ["*"]
    response = client.get(f"/api/v2/cases/{case.pk}/journey.geojson", HTTP_ORIGIN="https://any.example")
    assert response["Access-Control-Allow-Origin"] == "https://any.example"


def test_no_cors_by_default_nor_for_writes_or_other_paths(client, case, settings):
    assert settings.SIXDEGREE_API_CORS_ORIGINS == []
    assert "Access-Control-Allow-Origin" not in client.get("/api/v2/pages/", HTTP_ORIGIN=PARTNER)
    settings.SIXDEGREE_API_CORS_ORIGINS = ["*"]
    journey = f"/api/v2/cases/{case.pk}/journey.geojson"
    assert "Access-Control-Allow-Origin" not in client.post(journey, HTTP_ORIGIN=PARTNER)
    assert "Access-Control-Allow-Origin" not in client.get(case.url, HTTP_ORIGIN=PARTNER)
    assert "Access-Control-Allow-Origin" not in client.get("/admin/", HTTP_ORIGIN=PARTNER)


def test_a_preflight_for_a_read_is_answered(client, case, settings):
    settings.SIXDEGREE_API_CORS_ORIGINS = [PARTNER]
    response = client.options("/api/v2/pages/", HTTP_ORIGIN=PARTNER, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == PARTNER


def test_a_json_error_keeps_the_security_headers(client, case):
    html_404 = client.get("/no-such-page/")
    api_404 = client.get("/api/v2/no-such-endpoint/")
    assert api_404["Content-Type"].startswith("application/json")
    for header in ("X-Content-Type-Options", "Content-Security-Policy", "Referrer-Policy", "X-Frame-Options"):
        if header in html_404:
            assert api_404[header] == html_404[header], header
    assert "X-Content-Type-Options" in api_404
