"""Preset amounts follow the case's currency: 10 THB is not a gift, 300 THB is."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from sixdegree_cases.donations.presets import presets_for
from tests.factories import make_case_page

pytestmark = pytest.mark.django_db


def presets_on_form(client, case):
    from bs4 import BeautifulSoup

    response = client.get(reverse("sixdegree_donations:donate", kwargs={"case_id": case.pk}))
    page = BeautifulSoup(response.content, "html.parser")
    return [radio["value"] for radio in page.select('input[name="amount_choice"]')]


def test_a_baht_case_offers_baht_sized_presets(client, case_index):
    case = make_case_page(case_index, currency="THB", items=[("education", "School", Decimal("20000.00"))])
    assert presets_on_form(client, case) == ["300.00", "800.00", "1500.00", "3500.00", "other"]


def test_a_rupiah_case_offers_whole_rupiah_amounts(client, case_index):
    case = make_case_page(case_index, currency="IDR", items=[("education", "School", Decimal("9000000.00"))])
    choices = presets_on_form(client, case)
    assert choices[:4] == ["150000.00", "400000.00", "800000.00", "1500000.00"]
    response = client.post(
        reverse("sixdegree_donations:donate", kwargs={"case_id": case.pk}),
        {"amount_choice": choices[1], "currency": "IDR", "email": "g@example.org", "anonymous": "on"},
    )
    assert response.status_code == 302


def test_presets_that_exceed_what_remains_are_hidden(client, case_index):
    case = make_case_page(case_index, currency="GBP", items=[("education", "School", Decimal("30.00"))])
    assert presets_on_form(client, case) == ["10.00", "20.00", "30.00", "other"]


def test_a_deployment_sets_its_own_presets_per_currency(client, case_index, settings):
    settings.SIXDEGREE_PRESET_AMOUNTS = {"usd": ["5", "15"]}
    case = make_case_page(case_index)
    assert presets_on_form(client, case) == ["5.00", "15.00", "other"]
    # Other currencies keep their defaults.
    assert presets_for("EUR")[0] == Decimal("10.00")


def test_a_currency_without_presets_offers_only_what_remains_and_other_amounts(client, case_index):
    case = make_case_page(case_index, currency="ISK", items=[("education", "School", Decimal("90000.00"))])
    assert presets_on_form(client, case) == ["90000.00", "other"]


@pytest.mark.parametrize("bad", [{"THB": ["ten"]}, {"THB": ["-5"]}, {"baht": ["300"]}, ["300"]])
def test_a_broken_setting_is_reported_by_the_system_checks(settings, bad):
    settings.SIXDEGREE_PRESET_AMOUNTS = bad
    with pytest.raises(SystemCheckError, match="SIXDEGREE_PRESET_AMOUNTS"):
        call_command("check")
