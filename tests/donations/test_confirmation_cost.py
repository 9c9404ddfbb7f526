"""A confirmation is a few SQL statements, whatever the case's history: the token lookup
django-payments makes, one statement that deduplicates and adds to the totals, and the receipt's
queued task. The statements themselves are checked: totals are added in SQL, never read into
Python and written back."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from payments import PaymentStatus

from sixdegree_cases.donations.models import CaseFunding

from .conftest import make_donation

pytestmark = pytest.mark.django_db

CONFIRMED = {"verification_result": PaymentStatus.CONFIRMED}


def confirm(client, donation):
    with CaptureQueriesContext(connection) as context:
        response = client.get(donation.get_process_url(), CONFIRMED)
    assert response.status_code == 302
    return [query["sql"] for query in context.captured_queries]


def statements(queries):
    """The queries that read or write data (savepoints, the test's transaction, left out)."""
    return [sql for sql in queries if not sql.upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))]


def test_a_confirmation_is_one_lookup_and_one_counting_statement(client, case):
    for _ in range(3):
        make_donation(case, "10.00").change_status(PaymentStatus.CONFIRMED)
    donation = make_donation(case, "50.00")

    queries = statements(confirm(client, donation))

    # django-payments' own lookup by token, then the one statement that counts the gift.
    assert len(queries) == 2, queries
    counting = queries[1]
    assert "ON CONFLICT" in counting
    assert "raised = f.raised +" in counting.replace('"', "")
    # No row is read and locked first to be written back from Python.
    assert not any("FOR UPDATE" in sql and not sql.startswith("WITH") for sql in queries), queries
    totals = CaseFunding.objects.get(case_id=case.pk)
    assert (totals.raised, totals.donors) == (Decimal("80.00"), 4)


def test_a_repeated_confirmation_is_the_same_statement_matching_nothing(client, case):
    donation = make_donation(case, "50.00")
    confirm(client, donation)

    queries = statements(confirm(client, donation))

    # The lookup, the counting statement (it matches no row: the gift is already confirmed),
    # and a re-read of what is stored, for the provider's redirect.
    assert len(queries) == 3, queries
    assert queries[1].startswith("WITH")
    totals = CaseFunding.objects.get(case_id=case.pk)
    assert (totals.raised, totals.donors) == (Decimal("50.00"), 1)
