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


@pytest.mark.django_db
def test_stored_old_masks_in_approvals_and_log_labels_are_remasked(case_index):
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.models import ModelLogEntry

    from sixdegree_cases.privacy.remask import remask_stored
    from sixdegree_cases.review.models import ReviewApproval
    from tests.factories import make_case_page

    page = make_case_page(case_index)
    term = SensitiveTerm.objects.create(case=page, term="សុខា", kind="name")
    entry = ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(SensitiveTerm),
        object_id=str(term.pk),
        label="Name: ស•••",
        action="wagtail.create",
        timestamp=timezone.now(),
    )
    approval = ReviewApproval.objects.get(page=page)
    approval.report = {"findings": [{"masked": "D••• C•••••"}, {"masked": "+62 8••-••••-789"}]}
    approval.save()

    remask_stored(apps)

    entry.refresh_from_db()
    approval.refresh_from_db()
    assert entry.label == "Name: [Khmer] ••••"
    assert [f["masked"] for f in approval.report["findings"]] == ["[Latin] •••• ••••••", "+62 8••-••••-789"]
