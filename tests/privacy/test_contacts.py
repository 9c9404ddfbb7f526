"""Contact details and identifiers: phones in the case's countries and in "+" format, e-mails,
URLs, handles, ID-like numbers and exact dates all block; amounts and years do not."""

import phonenumbers
import pytest

from sixdegree_cases.conf import get_setting
from sixdegree_cases.geo.gazetteer import PRECISION_REGION, get_gazetteer
from sixdegree_cases.geo.snapping import current_gazetteer
from sixdegree_cases.privacy.checks import CheckContext
from sixdegree_cases.privacy.checks.contacts import case_regions
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
    assert finding.masked.endswith("789")
    assert "3456" not in finding.masked


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


@pytest.mark.parametrize(
    "text",
    [
        "The broker's phone, +95 9 4500 12345, was on her hand.",  # a country not the case's
        "เบอร์ ๐๘๙-๑๒๓-๔๕๖๗",  # Thai digits
        "លេខ ០១២ ៣៤៥ ៦៧៨",  # Khmer digits
        "Call ０８１２ ３４５６ ７８９０",  # full-width digits
        "Her number is zero eight one two, three four five six, seven eight nine zero.",
        "Nomornya nol delapan satu dua tiga empat lima enam tujuh delapan sembilan.",
        "Số của cô ấy là không chín một hai ba bốn năm sáu bảy tám.",
        "เบอร์ ศูนย์แปดเก้า หนึ่งสองสาม สี่ห้าหกเจ็ด",
    ],
)
def test_a_phone_number_in_any_country_script_or_words_blocks(case, text):
    assert [f.message for f in found(case, text)] == ["A phone number. Remove it."]


def test_a_phone_number_in_a_tel_link_blocks(case):
    case.story = [
        milestone("recruitment", "Recruited", lat=-0.03, lng=109.33),
        milestone("escape", "Away", narrative='<p>Call <a href="tel:+6281234567890">her sister</a>.</p>'),
    ]
    (finding,) = findings_of(case, "contact_details")
    assert finding.message == "A phone number. Remove it."


@pytest.mark.parametrize(
    "text",
    [
        "You can email her: rina susanti at gmail dot com",
        "Emailnya wulan.sari di gmail titik com.",
        "Her email is dewi.l at gmail, she checks it on Sundays.",
        "Email: maya＠gmail.com",
        "dewi<at>gmail<dot>com",
        "m a y a @ g m a i l . c o m",
    ],
)
def test_an_email_address_written_with_words_or_brackets_blocks(case, text):
    assert [f.message for f in found(case, text)] == ["An e-mail address. Remove it."]


@pytest.mark.parametrize(
    "text",
    [
        "Her broker recruits on t.me/kerja_malaysia",
        "He sent wa.me/6281234567890 to every girl.",
        "Add her: line.me/ti/p/~somsri99",
        "WeChat ID chenxf_1999",
        "Telegram: maya_sari88",
        "Find her on TikTok as dewidance99",
        "follow maya_sari88 on instagram",
    ],
)
def test_a_messaging_account_with_or_without_at_blocks(case, text):
    assert found(case, text), text


@pytest.mark.parametrize(
    "text",
    [
        "No. KTP 32.01.01.234567.0001",
        "Her Thai ID 1 2345 67890 12 3 was copied.",
        "CCCD 001 203 012 345",
        "Her NRC 12/MaYaKa(N)123456 was copied.",
        "passport p1234567a",
        "Court case 1234/Pid.Sus/2019/PN Jkt.Utr",
    ],
)
def test_id_numbers_of_the_region_block(case, text):
    assert [f.message for f in found(case, text)] == ["A passport or ID-like number. Remove it."]


@pytest.mark.parametrize(
    "text",
    [
        "She saved Rp 1.500.000 in two years.",
        "She earned ฿9,000 a month.",
        "Counselling costs USD 1.26 a minute.",
        "Her family borrowed 30.000.000 đồng.",
        "Her mother sold the buffalo for 1,200,000 kyat.",
        "เธอได้ค่าแรงวันละ 300 บาท",
        "Aged 14-16, the girls worked 10-12 hour shifts.",
    ],
)
def test_amounts_ages_and_durations_of_the_region_have_no_finding(case, text):
    assert found(case, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Dia berangkat pada 3 Maret 2019.",
        "วันที่ ๓ มีนาคม ๒๕๖๒ เธอได้รับการช่วยเหลือ",
        "Contract dated 3/3/2562.",
        "Cô ấy được giải cứu ngày 3 tháng 3 năm 2019.",
        "她于2019年3月3日被解救。",
        "二〇一九年三月三日她离开了家。",
        "It was the third of March 2019.",
        "Rescued 3.III.2019",
    ],
)
def test_exact_dates_in_the_region_languages_and_calendars_block(case, text):
    assert "exact date" in found(case, text)[0].message


@pytest.mark.parametrize(
    "text",
    [
        "In early 2015 she left.",
        "Pada Maret 2016 ia pulang.",
        "ในปี พ.ศ. 2558",
        "2019年3月，她回家了。",
        "Tháng 3 năm 2019",
    ],
)
def test_a_year_or_a_month_and_year_is_not_an_exact_date(case, text):
    assert found(case, text) == []


def test_letters_typed_for_digits_inside_a_phone_number_still_block(case):
    assert [f.message for f in found(case, "Call O8l2-3456-789O tonight.")] == ["A phone number. Remove it."]


def test_a_word_with_an_o_next_to_a_number_is_not_changed(case):
    assert found(case, "She had 2 jobs and 3 rooms, no money.") == []


def test_a_region_snapped_with_the_sites_clearance_names_its_country(case, settings):
    # The places were snapped with SIXDEGREE_PLACE_CLEARANCE_KM: a region point that setting
    # gives, and the default clearance does not, is still the story's country.
    settings.SIXDEGREE_PLACE_CLEARANCE_KM = 1
    default = get_gazetteer(get_setting("SIXDEGREE_MIN_PLACE_POPULATION"))
    place = next(
        place
        for (precision, lat, lng), place in current_gazetteer()._centres.items()
        if precision == PRECISION_REGION
        and default.find(lat, lng) is None
        and phonenumbers.country_code_for_region(place.country_code)
    )
    case.origin = ""
    case.story = [milestone(lat=place.lat, lng=place.lng, precision="region")]
    assert case_regions(CheckContext(case, case_id=case.pk)) == [place.country_code]
