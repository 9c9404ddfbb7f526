"""The surplus the public sees is what donors were told (their gifts' `surplus_amount`), never
raised − target, and never more than the case holds past its target."""

from decimal import Decimal

import pytest

from sixdegree_cases.donations.progress import gift_surplus, progress_for
from sixdegree_cases.models import SurvivorCasePage
from tests.redteam.test_money_attacks import confirm, in_flight, republish

from .conftest import make_donation

pytestmark = pytest.mark.django_db


def public_surplus(case):
    return progress_for(SurvivorCasePage.objects.get(pk=case.pk)).surplus


def test_lowering_the_target_after_a_surplus_keeps_what_donors_were_told(client, case):
    confirm(client, make_donation(case, "1400.00"))
    confirm(client, in_flight(case, "300.00"))
    case = republish(case, funding_target=Decimal("1000.00"))  # raised − target is now 700.00
    assert public_surplus(case) == Decimal("200.00")
    assert "200.00\N{NO-BREAK SPACE}USD above the goal" in client.get(case.url).content.decode()
    assert progress_for(case).percent == 100


def test_raising_the_target_past_what_was_raised_shows_no_surplus(client, case):
    confirm(client, make_donation(case, "1400.00"))
    confirm(client, in_flight(case, "300.00"))
    case = republish(case, funding_target=Decimal("2000.00"))
    assert public_surplus(case) == Decimal("0.00")
    assert "above the goal" not in client.get(case.url).content.decode()


def test_the_surplus_never_exceeds_what_the_case_holds_past_its_target(client, case):
    confirm(client, make_donation(case, "1400.00"))
    confirm(client, in_flight(case, "300.00"))  # told 200.00
    case = republish(case, funding_target=Decimal("1600.00"))  # only 100.00 past the target now
    assert public_surplus(case) == Decimal("100.00")


def test_a_gifts_share_costs_nothing_unless_it_went_past_the_goal_and_one_sum_if_it_did(
    client, case, django_assert_num_queries
):
    from sixdegree_cases.donations.models import Donation

    ordinary = confirm(client, make_donation(case, "1400.00"))
    late = confirm(client, in_flight(case, "300.00"))
    ordinary = Donation.objects.select_related("case").get(pk=ordinary.pk)
    with django_assert_num_queries(0):
        assert gift_surplus(ordinary) == Decimal("0.00")
    late = Donation.objects.select_related("case").get(pk=late.pk)
    progress_for(late.case)  # the thank-you page and the API have read the totals already
    with django_assert_num_queries(1):
        assert gift_surplus(late) == Decimal("200.00")
