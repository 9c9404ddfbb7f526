"""The case page's "What happened next", the map's later stops, listings and donor accounts."""

import json
import re

import pytest
from payments import PaymentStatus

from sixdegree_cases.updates.lifecycle import CaseStatus, set_case_status
from tests.donations.conftest import make_donation

from .helpers import make_update, update_milestone

pytestmark = pytest.mark.django_db


def timeline_titles(html):
    section = html.split('id="updates"', 1)[1]
    return re.findall(r'class="update__title">([^<]+)<', section)


def test_the_case_page_shows_live_updates_newest_first(client, case):
    make_update(case, title="Sewing course finished", period_part="early", period_year=2026)
    make_update(case, title="Her own sewing corner", slug="corner", period_part="09", period_year=2026)
    make_update(case, title="Qzdraftupdate", slug="draft", publish=False)
    html = client.get(case.url).content.decode()
    assert "What happened next" in html
    assert timeline_titles(html) == ["Her own sewing corner", "Sewing course finished"]
    assert "September 2026" in html
    assert "Early 2026" in html
    assert "Qzdraftupdate" not in html


def test_a_case_without_updates_has_no_timeline(client, case):
    assert 'id="updates"' not in client.get(case.url).content.decode()


def test_milestones_added_by_updates_are_later_stops_on_the_map(client, case):
    make_update(case, milestone=update_milestone(title="Her own sewing corner"))
    make_update(
        case, title="Qzdraftupdate", slug="draft", publish=False, milestone=update_milestone("Qzdraftstop")
    )
    html = client.get(case.url).content.decode()
    data = json.loads(
        re.search(r'<script id="story-milestones" type="application/json">(.*?)</script>', html, re.S).group(
            1
        )
    )
    assert [m["number"] for m in data] == [1, 2, 3, 4]
    assert data[-1]["title"] == "Her own sewing corner"
    assert "Qzdraftstop" not in html
    # The API's story stays the survivor's own milestones.
    assert len(client.get(f"/api/v2/pages/{case.pk}/").json()["milestones"]) == 3


def test_the_lifecycle_shows_on_the_case_page_and_its_card(client, case):
    set_case_status(case, CaseStatus.COMPLETED)
    page = client.get(case.url).content.decode()
    assert "Completed" in page
    assert "case-status--completed" in page
    index = client.get(case.get_parent().url).content.decode()
    assert "case-status--completed" in index


def test_fully_funded_in_days_by_donors_stays_beside_the_status(client, case_index):
    from tests.donations.conftest import launch_date
    from tests.factories import make_case_page

    case = make_case_page(case_index, slug="funded", launch_date=launch_date(15))
    for email in ("a@example.org", "b@example.org"):  # USD 1,500 from two donors
        make_donation(case, "750.00", billing_email=email).change_status(PaymentStatus.CONFIRMED)
    set_case_status(case, CaseStatus.COMPLETED)
    page = client.get(case.url).content.decode()
    assert "Fully funded in 15 days by 2 donors" in page
    assert "case-status--completed" in page


def test_index_and_home_show_recently_updated(client, case):
    update = make_update(case)
    for url in (case.get_parent().url, "/"):
        html = client.get(url).content.decode()
        assert "Recently updated" in html
        assert f"#update-{update.pk}" in html


def test_signed_in_donors_see_updates_of_cases_they_supported(client, case, case_index):
    from tests.donations.donor_helpers import confirmed_donor
    from tests.factories import make_case_page
    from tests.privacy.helpers import record_consent

    other = make_case_page(case_index, title="Other", slug="other")
    record_consent(other)
    make_update(other, title="Qznotmine", slug="not-mine")
    make_update(case, title="Her own sewing corner")
    donor = confirmed_donor(client)
    make_donation(case, status=PaymentStatus.CONFIRMED, billing_email=donor.email, donor=donor)
    client.login(username=donor.username, password="a long donor passphrase 42")
    html = client.get("/donations/account/").content.decode()
    assert "Her own sewing corner" in html
    assert "Qznotmine" not in html


def test_the_update_page_itself_shows_the_public_fields(client, case):
    update = make_update(case)
    html = client.get(update.url).content.decode()
    assert "Her own sewing corner" in html
    assert "March 2026" in html
