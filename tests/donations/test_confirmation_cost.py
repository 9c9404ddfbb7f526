"""A confirmation is two SQL statements, whatever the case's history: the token lookup
django-payments makes (without the donor's columns, which no callback reads), and one statement
that is a compare-and-set on the donation (which also marks its receipt owed) feeding the
addition to the totals. The statements themselves are checked: totals are added in SQL, never
read into Python and written back."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from payments import PaymentStatus

from sixdegree_cases.donations.models import CaseFunding, Donation

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


def test_a_confirmation_is_a_lookup_and_one_statement_that_sets_and_counts(client, case):
    for _ in range(3):
        make_donation(case, "10.00").change_status(PaymentStatus.CONFIRMED)
    donation = make_donation(case, "50.00")

    queries = statements(confirm(client, donation))

    # django-payments' own lookup by token, then one statement: the compare-and-set on the
    # donation feeding the totals, added in SQL, last before the commit (every confirmation of
    # the case queues on that row until the previous one commits).
    assert len(queries) == 2, queries
    confirmation = queries[1]
    assert confirmation.startswith("WITH")
    assert "NOT IN" in confirmation
    assert "INSERT INTO" in confirmation
    assert "ON CONFLICT" in confirmation
    assert "raised = f.raised + EXCLUDED.raised" in confirmation.replace('"', "")
    # No row is read into Python to be written back.
    assert not any(sql.startswith("SELECT") and "FOR UPDATE" in sql for sql in queries), queries
    totals = CaseFunding.objects.get(case_id=case.pk)
    assert (totals.raised, totals.donors) == (Decimal("80.00"), 4)


def test_a_repeated_confirmation_is_the_same_statement_matching_nothing(client, case):
    donation = make_donation(case, "50.00")
    confirm(client, donation)

    queries = statements(confirm(client, donation))

    # The lookup, the confirmation (its compare-and-set matches no row: the gift is already
    # confirmed, so nothing reaches the totals), and a re-read of what is stored, for the
    # provider's redirect.
    assert len(queries) == 3, queries
    assert queries[1].startswith("WITH")
    assert not any("casefunding" in sql for sql in queries[2:]), queries
    totals = CaseFunding.objects.get(case_id=case.pk)
    assert (totals.raised, totals.donors) == (Decimal("50.00"), 1)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_with_a_database_queue_the_confirmation_writes_no_task_and_owes_the_receipt_in_its_row(
    client, case, database_queue, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    donation = make_donation(case, "50.00", billing_email="giver@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        queries = statements(confirm(client, donation))
    # The lookup and the confirmation (which marks the receipt owed and adds to the totals):
    # no task row is written per gift in the counting transaction.
    assert len(queries) == 2, queries
    assert not any("dbtaskresult" in sql.lower() for sql in queries), queries
    stored = Donation.objects.get(pk=donation.pk)
    assert stored.receipted_at is not None
    assert stored.receipt_sent_at is None
    # After the commit, one sweep is asked for (the sweep, not the gift, is the task).
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "sixdegree_cases.donations.tasks.send_due_receipts"
    ]


def test_a_rolled_back_confirmation_leaves_no_receipt_task(case, database_queue):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    donation = make_donation(case, "50.00")

    def confirm_then_break():
        with transaction.atomic():
            donation.change_status(PaymentStatus.CONFIRMED)
            raise RuntimeError("the connection broke before the commit")

    with pytest.raises(RuntimeError, match="the connection broke"):
        confirm_then_break()
    assert not DBTaskResult.objects.exists()
    assert Donation.objects.get(pk=donation.pk).receipted_at is None
    assert not CaseFunding.objects.filter(case_id=case.pk, raised__gt=0).exists()


# --- No savepoint of its own (each cost two round trips per gift) --------------------------


@pytest.fixture
def live_case(site_db):
    """A case in a committing database: django-payments' atomic view is then the outermost
    transaction, as on a server, and every statement it sends is seen."""
    from tests.factories import make_case_index, make_case_page, make_home

    from .conftest import launch_date

    return make_case_page(make_case_index(make_home()), launch_date=launch_date())


def test_a_confirmation_through_the_callback_opens_no_savepoint(client, live_case):
    make_donation(live_case, "10.00").change_status(PaymentStatus.CONFIRMED)
    donation = make_donation(live_case, "50.00")

    queries = confirm(client, donation)

    assert not [sql for sql in queries if "SAVEPOINT" in sql.upper()], queries
    # The lookup and the confirmation, in the view's one transaction (the test settings'
    # immediate task queue then sends the receipt, after the commit).
    assert queries[0] == "BEGIN", queries
    committed = queries.index("COMMIT")
    assert len(queries[1:committed]) == 2, queries
    totals = CaseFunding.objects.get(case_id=live_case.pk)
    assert (totals.raised, totals.donors) == (Decimal("60.00"), 2)


def test_the_callback_loads_no_donor_column_and_reads_none_later(client, case):
    """django-payments' lookup by token loads the donation without the columns no callback
    reads (the donor's name, address, e-mail, account): fewer columns to send and build, and
    the donor's details stay in the database. Nothing on the way reads them back."""
    donation = make_donation(case, "50.00", billing_email="giver@example.org")

    queries = statements(confirm(client, donation))

    lookup = queries[0]
    assert lookup.startswith("SELECT"), queries
    assert "token" in lookup, queries
    for column in ("billing_email", "billing_first_name", "customer_ip_address", "display_name", "donor_id"):
        assert column not in lookup, column
    # No deferred column is fetched afterwards (each would be one more SELECT by id).
    assert len(queries) == 2, queries
    stored = Donation.objects.get(pk=donation.pk)
    assert stored.status == PaymentStatus.CONFIRMED
    assert stored.billing_email == "giver@example.org"


def test_saving_a_donation_loaded_by_a_callback_writes_only_its_loaded_fields(case):
    from sixdegree_cases.donations.models import loading_for_callback

    donation = make_donation(case, "50.00", billing_email="giver@example.org")
    with loading_for_callback():
        lean = Donation.objects.get(pk=donation.pk)
    Donation.objects.filter(pk=donation.pk).update(billing_email="changed@example.org")

    with CaptureQueriesContext(connection) as context:
        lean.transaction_id = "cs_test_1"
        lean.save()

    # One UPDATE, with neither a read of the deferred fields nor a write of them.
    assert len(context.captured_queries) == 1, context.captured_queries
    assert "billing_email" not in context.captured_queries[0]["sql"]
    stored = Donation.objects.get(pk=donation.pk)
    assert (stored.transaction_id, stored.billing_email) == ("cs_test_1", "changed@example.org")


def test_only_the_callbacks_lookup_is_lean(case):
    """What runs later in the callback's request (a figures render after the commit lists named
    supporters) loads whole donations: a deferred field read there would cost a query each."""
    from sixdegree_cases.donations.models import loading_for_callback

    donation = make_donation(case, "50.00", display_name="Ana", anonymous=False)
    with loading_for_callback():
        lookup = Donation.objects.get(pk=donation.pk)
        later = list(Donation.objects.filter(case=case))

    assert "display_name" in lookup.get_deferred_fields()
    assert later[0].get_deferred_fields() == set()


def _totals_at_the_column_limit(case):
    """Totals one cent below what their column holds (numeric(12, 2)): the next gift's addition
    fails in PostgreSQL itself, after the compare-and-set already moved the donation."""
    CaseFunding.objects.update_or_create(
        case=case, defaults={"raised": Decimal("9999999999.99"), "donors": 1}
    )


def test_a_failing_totals_statement_leaves_the_gift_unconfirmed(live_case):
    from django.db import DataError

    _totals_at_the_column_limit(live_case)
    donation = make_donation(live_case, "5.00")

    with pytest.raises(DataError):
        donation.change_status(PaymentStatus.CONFIRMED)

    stored = Donation.objects.get(pk=donation.pk)
    assert (stored.status, stored.counted_amount, stored.confirmed_at) == (PaymentStatus.WAITING, 0, None)
    totals = CaseFunding.objects.get(case_id=live_case.pk)
    assert (totals.raised, totals.donors) == (Decimal("9999999999.99"), 1)


def test_a_caller_cannot_swallow_a_failed_count_and_commit_the_rest(live_case):
    """The contract without a savepoint: an error inside the confirmation dooms the caller's
    whole transaction (its own writes roll back too), and a caller that catches the error
    cannot carry on writing as if nothing happened. Nothing is half-committed either way."""
    from django.db import DataError, transaction
    from django.db.transaction import TransactionManagementError

    _totals_at_the_column_limit(live_case)
    donation = make_donation(live_case, "5.00")
    other = make_donation(live_case, "7.00")

    with transaction.atomic():
        Donation.objects.filter(pk=other.pk).update(message="written by the caller")
        try:
            donation.change_status(PaymentStatus.CONFIRMED)
        except DataError:
            pass
        with pytest.raises(TransactionManagementError):
            Donation.objects.filter(pk=donation.pk).update(message="carried on regardless")

    assert Donation.objects.get(pk=donation.pk).status == PaymentStatus.WAITING
    assert Donation.objects.get(pk=other.pk).message == ""
    assert CaseFunding.objects.get(case_id=live_case.pk).raised == Decimal("9999999999.99")
