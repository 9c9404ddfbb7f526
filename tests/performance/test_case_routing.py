"""A case's URL is resolved below its index in one query (Wagtail's route takes two)."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from sixdegree_cases.models import SurvivorCasePage
from tests.factories import make_case_page


def test_a_case_is_routed_in_one_query(rf, case_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case_page(case_index)
    index = case_index.specific
    with CaptureQueriesContext(connection) as queries:
        page, _args, _kwargs = index.route(rf.get(case.url), [case.slug])
    assert len(queries.captured_queries) == 1
    assert type(page) is SurvivorCasePage
    assert page.pk == case.pk
    assert page.live


def test_drafts_and_unknown_slugs_are_not_found(rf, case_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_case_page(case_index, publish=False, slug="draft")
    for slug in (draft.slug, "nobody"):
        with pytest.raises(Http404):
            case_index.specific.route(rf.get("/"), [slug])
