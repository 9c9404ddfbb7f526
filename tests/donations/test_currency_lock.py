"""A case's currency is fixed once anyone gave to it, on every path; and a gift in another
currency than its case's is never added to the case's totals (it stays for finance)."""

import logging
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from payments import PaymentStatus

from sixdegree_cases.donations.models import CaseFunding, Donation
from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.review.guard import UnreviewedRevisionError
from sixdegree_cases.review.services import approve_and_publish

from .conftest import make_donation

pytestmark = pytest.mark.django_db


def stored_currency(case):
    return SurvivorCasePage.objects.values_list("currency", flat=True).get(pk=case.pk)


def test_the_form_says_why_the_currency_cannot_change(case):
    make_donation(case, "50.00")  # still at the provider's page: it will arrive in USD
    page = SurvivorCasePage.objects.get(pk=case.pk)
    page.currency = "EUR"
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert list(refused.value.message_dict) == ["currency"]
    assert "already has donations in USD" in refused.value.message_dict["currency"][0]


def test_a_draft_revision_with_another_currency_is_refused(case):
    make_donation(case, "50.00", status=PaymentStatus.CONFIRMED)
    page = SurvivorCasePage.objects.get(pk=case.pk)
    page.currency = "EUR"
    with pytest.raises(ValidationError):
        page.save_revision()
    assert stored_currency(case) == "USD"


def test_a_save_that_skips_cleaning_is_refused_by_the_publishing_guard(case):
    make_donation(case, "50.00")
    page = SurvivorCasePage.objects.get(pk=case.pk)
    page.currency = "EUR"
    with pytest.raises(UnreviewedRevisionError, match="currency cannot change"):
        page.save(clean=False)
    assert stored_currency(case) == "USD"


def test_an_approved_revision_with_another_currency_is_refused_when_it_goes_live(case):
    make_donation(case, "50.00")
    page = SurvivorCasePage.objects.get(pk=case.pk)
    page.currency = "EUR"
    revision = page.save_revision(clean=False)
    with pytest.raises(UnreviewedRevisionError, match="currency cannot change"):
        approve_and_publish(revision, require_checks=False)
    assert stored_currency(case) == "USD"


def test_a_case_nobody_gave_to_may_change_its_currency(case):
    page = SurvivorCasePage.objects.get(pk=case.pk)
    page.currency = "EUR"
    approve_and_publish(page.save_revision(), require_checks=False)
    assert stored_currency(case) == "EUR"


def test_other_edits_of_a_case_with_gifts_still_publish(case):
    make_donation(case, "50.00", status=PaymentStatus.CONFIRMED)
    page = SurvivorCasePage.objects.get(pk=case.pk)
    page.title = "Another title"
    approve_and_publish(page.save_revision(), require_checks=False)
    assert SurvivorCasePage.objects.get(pk=case.pk).title == "Another title"


@pytest.mark.parametrize("path", ["confirm", "locked"])
def test_a_gift_in_another_currency_is_confirmed_but_never_counted(case, caplog, path, monkeypatch):
    if path == "locked":
        # The portable path (SQLite) and refunds count through `countable_amount`.
        from django.db import connection

        monkeypatch.setattr(connection, "vendor", "sqlite")
    make_donation(case, "100.00").change_status(PaymentStatus.CONFIRMED)
    stray = make_donation(case, "300.00", currency="EUR")
    with caplog.at_level(logging.ERROR, logger="sixdegree_cases.donations.totals"):
        stray.change_status(PaymentStatus.CONFIRMED)

    stray.refresh_from_db()
    assert (stray.status, stray.counted_amount) == (PaymentStatus.CONFIRMED, Decimal("0.00"))
    funding = CaseFunding.objects.get(case_id=case.pk)
    assert (funding.raised, funding.donors) == (Decimal("100.00"), 1)
    assert f"Donation {stray.pk} is in EUR but its case is in USD" in caplog.text
    # Finance still sees it.
    assert Donation.objects.filter(pk=stray.pk, status=PaymentStatus.CONFIRMED).exists()
