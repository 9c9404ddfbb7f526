"""Masks show which script and how long, never the readable text, in every script."""

import pytest

from sixdegree_cases.privacy.models import SensitiveTerm
from sixdegree_cases.privacy.text import mask


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Desa Contoh", "[Latin] •••• ••••••"),
        ("សុខា", "[Khmer] ••"),
        ("ភូមិត្រពាំង", "[Khmer] ••••••"),
        ("မောင်မောင်", "[Myanmar] ••••••"),
        ("สมศรี", "[Thai] ••••"),
        ("李小芳", "[Han] •••"),
        ("Nguyễn Thị", "[Latin] •••••• •••"),
        ("ນາງສີດາ", "[Lao] ••••••"),
        ("Сергей", "[Cyrillic] ••••••"),
    ],
)
def test_a_name_in_any_script_shows_only_script_and_length(name, masked):
    assert mask(name) == masked


@pytest.mark.parametrize("name", ["សុខា", "မောင်မောင်", "สมศรี", "李小芳", "Desa Contoh", "Ma\u200bya"])
def test_no_letter_of_the_name_survives_the_mask(name):
    _label, masked = mask(name).split("] ", 1)
    assert set(masked) <= {"•", " "}


def test_invisible_characters_do_not_reach_the_mask():
    assert mask("Ma\u200bya") == "[Latin] ••••"


def test_long_digit_runs_keep_their_last_three_digits():
    assert mask("3201012345670001") == "•••••••••••••001"


@pytest.mark.django_db
def test_the_audit_label_of_a_khmer_term_is_masked(case_index):
    from tests.factories import make_case_page

    term = SensitiveTerm(case=make_case_page(case_index), term="សុខា", kind="name")
    assert str(term) == "Name: [Khmer] ••"
