"""The OpenAPI schema is valid OpenAPI 3.1, describes real answers, and its page loads nothing
from another host."""

import jsonschema
import pytest
from bs4 import BeautifulSoup
from openapi_spec_validator import validate

from sixdegree_cases.api.schema import OPENAPI
from tests.factories import make_case_page, milestone
from tests.test_api import CASE_KEYS, MILESTONE_KEYS


def component(name):
    """A component schema with its references resolvable by jsonschema."""
    return {**OPENAPI["components"]["schemas"][name], "components": OPENAPI["components"]}


def test_the_schema_is_valid_openapi():
    validate(OPENAPI)


def test_the_schema_names_every_public_field_and_no_other():
    assert set(OPENAPI["components"]["schemas"]["Case"]["properties"]) == CASE_KEYS
    assert set(OPENAPI["components"]["schemas"]["Milestone"]["properties"]) == MILESTONE_KEYS


@pytest.fixture
def case(case_index):
    return make_case_page(case_index, story=[milestone(), milestone("escape", "Escape", precision="region")])


def test_real_answers_match_the_schema(client, case):
    detail = client.get(f"/api/v2/pages/{case.pk}/", {"fields": "*"}).json()
    jsonschema.validate(detail, component("Case"))
    listing = client.get("/api/v2/pages/", {"type": "sixdegree_cases.SurvivorCasePage", "fields": "*"}).json()
    for item in listing["items"]:
        jsonschema.validate(item, component("Case"))
    journey = client.get(f"/api/v2/cases/{case.pk}/journey.geojson").json()
    jsonschema.validate(journey, component("Journey"))
    missing = client.get("/api/v2/pages/999999/").json()
    jsonschema.validate(missing, component("Error"))


def test_the_schema_is_served_with_this_site_as_server(client, settings, db):
    settings.WAGTAILAPI_BASE_URL = "https://cases.example.org"
    response = client.get("/api/v2/schema.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["servers"] == [{"url": "https://cases.example.org"}]
    validate(schema)


def test_the_docs_page_lists_every_operation_and_loads_nothing(client, db):
    response = client.get("/api/v2/docs/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    headings = [heading.get_text(" ", strip=True) for heading in soup.find_all("h2")]
    for path, item in OPENAPI["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in headings
    # No script, stylesheet, image or frame: nothing is fetched, from here or elsewhere.
    assert soup.find_all(["script", "link", "img", "iframe", "style"]) == []
    assert soup.find("a", href="/api/v2/schema.json")
