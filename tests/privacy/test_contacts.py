"""Contact details and identifiers: phones in the case's countries and in "+" format, e-mails,
URLs, handles, ID-like numbers and exact dates all block; amounts and years do not."""

import pytest

from tests.factories import milestone
from tests.privacy.helpers import findings_of


def found(case, text, field="summary"):
    setattr(case, field, text)
    return findings_of(case, "contact_details")


def test_an_international_phone_number_blocks_masked(case):
    (finding,) = found(case, "Call her on +62 812-3456-789 any time.")
    assert finding.severity == "block"
    assert finding.masked == "+62 8••-••••-789"
    assert (finding.where, finding.field) == ("Summary", "summary")


def test_a_local_number_of_a_country_on_the_journey_blocks(case):
    # The case's milestones are in Indonesia: a national-format Indonesian mobile is found.
    (finding,) = found(case, "Her number 0812 3456 789 was taken by the agent.")
    assert finding.masked.endswith("789") and "3456" not in finding.masked


def test_a_local_number_of_the_origin_country_blocks(case):
    case.origin = "Thailand"
    assert len(found(case, "Her aunt's number is 089 123 4567.")) == 1


def test_a_local_number_of_a_country_not_in_the_case_is_still_caught_if_international(case):
    assert len(found(case, "Her cousin in Cambodia: +855 12 345 678.")) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Write to maya.sari@example.org",
        "Write to maya.sari (at) example (dot) org",
    ],
)
def test_an_email_address_blocks(case, text):
    (finding,) = found(case, text)
    assert "e-mail" in finding.message
    assert "sari" not in finding.masked


@pytest.mark.parametrize(
    "text",
    [
        "See https://example.org/her-story",
        "See www.example.org",
        "See mayasari.blogspot.com",
        "on maya.co.id",
    ],
)
def test_a_web_address_blocks(case, text):
    assert [f.message for f in found(case, text)] == ["A web address. Remove it."]


def test_a_social_handle_blocks(case):
    (finding,) = found(case, "Follow @maya_sari88 for news.")
    assert finding.masked == "[Latin] @••••_••••••"


def test_a_messaging_account_blocks(case):
    assert len(found(case, "Her Line ID: mayasari is still active.")) == 1


@pytest.mark.parametrize(
    "text", ["Her passport A1234567 was kept.", "ID card 3201012345670001.", "No. 3201-0123-4567-0001"]
)
def test_passport_and_id_like_numbers_block(case, text):
    assert [f.message for f in found(case, text)] == ["A passport or ID-like number. Remove it."]


@pytest.mark.parametrize(
    "text", ["She left on 12 March 2015.", "On 2015-03-12 she escaped.", "March 12, 2015"]
)
def test_an_exact_date_blocks(case, text):
    assert "exact date" in found(case, text)[0].message


@pytest.mark.parametrize(
    "text",
    [
        "In 2009 she was 16 and earned 1,500,000 rupiah a month for six years.",
        "From 2015-2019 she paid Rp 150000000 in debts, about USD 1500.00.",
        "She met a man on Facebook: a recruiter offered work in Malaysia.",
        "Early 2015, twelve hours a day, 7 days a week.",
        "The years 2009 2010 2011 were the hardest.",
    ],
)
def test_ordinary_story_text_has_no_finding(case, text):
    assert found(case, text) == []


def test_a_phone_in_a_milestone_narrative_names_the_milestone(case):
    case.story = [
        milestone("recruitment", "Recruited", lat=-0.03, lng=109.33),
        milestone("escape", "Away", narrative="<p>She called +62 812-3456-789.</p>"),
    ]
    (finding,) = findings_of(case, "contact_details")
    assert finding.where == "Milestone 2 · narrative"


def test_one_number_is_reported_once_not_once_per_detector(case):
    assert len(found(case, "Call 081234567890 now")) == 1
