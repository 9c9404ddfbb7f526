"""The read API, fuzzed from its own schema: whatever a client sends, never a 5xx.

Bounded and deterministic: a fixed number of examples per operation, derandomized, no example
database; valid and invalid inputs alike (schemathesis' positive and negative modes).
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode

from sixdegree_cases.api.schema import OPENAPI
from tests.factories import make_case_page

SCHEMA = schemathesis.openapi.from_dict(OPENAPI)
READ_OPERATIONS = [
    ("/api/v2/pages/", "GET"),
    ("/api/v2/pages/{id}/", "GET"),
    ("/api/v2/cases/{id}/journey.geojson", "GET"),
    ("/api/v2/donations/{token}/", "GET"),
]
FUZZ = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@pytest.fixture
def case(case_index):
    return make_case_page(case_index)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("path", "method"), READ_OPERATIONS)
def test_no_input_makes_the_read_api_fail(client, case, path, method, mode):
    operation = SCHEMA[path][method]
    seen = []

    @FUZZ
    @given(operation.as_strategy(generation_mode=mode))
    def fuzz(generated):
        response = client.generic(
            method,
            generated.formatted_path,
            QUERY_STRING=_query(generated.query),
            HTTP_ACCEPT="application/json",
        )
        seen.append(response.status_code)
        assert response.status_code < 500, (generated.formatted_path, generated.query, response.content[:300])
        assert "json" in response["Content-Type"], (generated.formatted_path, response["Content-Type"])

    fuzz()
    assert seen


def _query(query):
    from urllib.parse import urlencode

    return urlencode(query or {}, doseq=True)
