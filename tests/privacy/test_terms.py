"""The sensitive-terms check: any variant of a case's private terms in any public text blocks."""

import pytest

from sixdegree_cases.privacy.checks.terms import find_term
from tests.factories import milestone
from tests.privacy.helpers import add_term, findings_of


@pytest.mark.parametrize(
    "written",
    ["Desa Contoh", "desa-contoh", "DESA  CONTOH", "Désa Contoh", "Desa.Contoh", "DesaContoh", "desa_contoh"],
)
def test_a_term_is_found_whatever_its_case_accents_spacing_or_punctuation(written):
    assert find_term("Desa Contoh", f"She grew up in {written}, near the river.") == [written]


def test_a_term_with_accents_matches_text_without_them():
    assert find_term("Nguyễn Thị", "Nguyen Thi worked there") == ["Nguyen Thi"]


def test_a_term_matches_whole_words_only():
    assert find_term("Ana", "Ananda and Mariana went home") == []
    assert find_term("Ana", "Ana's brother") == ["Ana"]


def test_a_term_in_an_unspaced_script_is_found_inside_a_sentence():
    assert find_term("บ้านนา", "เธอมาจากบ้านนาในปี") == ["บ้านนา"]


def test_a_term_in_the_narrative_blocks_with_where_and_masked_text(case):
    add_term(case, "Desa Contoh", kind="village")
    case.story = [
        milestone("recruitment", "Recruited", lat=-0.03, lng=109.33),
        milestone("escape", "Away", narrative="<p>She left <b>desa-contoh</b> at night.</p>"),
    ]
    (finding,) = findings_of(case, "sensitive_terms")
    assert finding.severity == "block"
    assert finding.where == "Milestone 2 · narrative"
    assert finding.field == "story.1.narrative"
    assert finding.masked == "[Latin] ••••-••••••"
    assert "village" in finding.message
    assert "contoh" not in finding.message.lower()


def test_a_term_split_by_inline_markup_is_still_found(case):
    add_term(case, "Contoh")
    case.story = [
        milestone("recruitment", "Recruited", lat=-0.03, lng=109.33),
        milestone("escape", "Away", narrative="<p>Con<i>toh</i> was far.</p>"),
    ]
    assert len(findings_of(case, "sensitive_terms")) == 1


@pytest.mark.parametrize(
    ("field", "where"),
    [
        ("title", "Title"),
        ("slug", "Slug"),
        ("pseudonym", "Pseudonym"),
        ("summary", "Summary"),
        ("dream", "Dream"),
        ("origin", "Origin"),
        ("seo_title", "SEO title"),
        ("search_description", "Search description"),
    ],
)
def test_a_term_in_any_page_field_blocks(case, field, where):
    add_term(case, "Dewi Contoh")
    setattr(case, field, "dewi-contoh" if field == "slug" else "About Dewi Contoh")
    (finding,) = findings_of(case, "sensitive_terms")
    assert (finding.where, finding.field) == (where, field)


@pytest.mark.parametrize("child", ["title", "period", "place_label"])
def test_a_term_in_any_milestone_field_blocks(case, child):
    add_term(case, "Kapal Biru", kind="vessel_or_agency")
    story = [milestone("recruitment", "Recruited", lat=-0.03, lng=109.33), milestone("escape", "Away")]
    story[1][1][child] = "Kapal Biru"
    case.story = story
    (finding,) = findings_of(case, "sensitive_terms")
    assert finding.field == f"story.1.{child}"


def test_a_term_in_a_funding_item_description_blocks(case):
    add_term(case, "Contoh Fisheries", kind="employer")
    item = case.funding_items.first()
    item.description = "Legal claim against Contoh Fisheries"
    item.save()
    (finding,) = findings_of(case, "sensitive_terms")
    assert (finding.where, finding.field) == ("Funding item 1 · description", "funding_items.0.description")


def test_terms_of_another_case_do_not_apply(case, case_index):
    from tests.factories import make_case_page

    other = make_case_page(case_index, slug="other")
    add_term(other, "Mawar")
    assert findings_of(case, "sensitive_terms") == []


def test_the_case_internal_reference_is_not_a_public_text(case):
    add_term(case, "Officer Rahma")
    case.case_officer_reference = "Officer Rahma"
    assert findings_of(case, "sensitive_terms") == []


@pytest.mark.parametrize(
    "written",
    [
        "M.a.y.a Sari",
        "Ma-ya Sari",
        "M a y a  S a r i",
        "Мауа Sari",
        "M4ya S@ri",
        "Ma\u200bya Sa\u00adri",
        "ＭＡＹＡ SARI",
    ],
)
def test_a_name_is_found_through_separators_look_alikes_leetspeak_and_invisible_characters(written):
    assert find_term("Maya Sari", f"Later {written} found work.") == [written]


def test_the_words_of_a_name_match_in_any_order():
    assert find_term("Nguyen Thi Lan", "Lan Nguyen Thi was 17") == ["Lan Nguyen Thi"]


def test_a_long_name_tolerates_one_edit():
    assert find_term("Lestari", "Lestary left") == ["Lestary"]
    assert find_term("Lestari", "Lestri left") == ["Lestri"]


def test_a_long_name_does_not_tolerate_two_edits():
    assert find_term("Lestari", "Lestri, Lestry and Lesty left") == ["Lestri"]


def test_a_short_name_tolerates_no_edit():
    assert find_term("Maya", "Maja and Mayo") == []


def test_words_of_a_name_across_a_sentence_do_not_match():
    assert find_term("Dewi Lestari", "Dewi worked. Lestari came later.") == []


def test_a_thai_term_does_not_match_inside_a_longer_word_or_a_word_with_other_marks():
    # "สม" (a nickname) is inside "เหมาะสม" (suitable), and "ส้ม" (orange) differs by a tone mark.
    assert find_term("สม", "งานที่เหมาะสม เธอชอบกินส้มตำ") == []


def test_a_khmer_term_does_not_match_inside_a_longer_word():
    # "សុភាព" (polite) starts with the name "សុភា".
    assert find_term("សុភា", "នាងជាមនុស្សសុភាព") == []


def test_a_khmer_name_is_found_between_words_written_without_spaces():
    assert find_term("សុខា", "នាងសុខាមកពីភូមិ") == ["សុខា"]


def test_a_chinese_name_with_a_space_or_in_traditional_characters_is_found():
    assert find_term("陈小芳", "她叫陈 小芳。") == ["陈 小芳"]
    assert find_term("陈小芳", "她叫陳小芳。") == ["陳小芳"]


def test_the_transliteration_of_a_non_latin_term_is_found():
    assert find_term("李小芳", "Li Xiaofang left Yunnan") == ["Li Xiaofang"]
    assert find_term("សុខា", "Sokha left") == ["Sokha"]


def test_a_variant_listed_by_the_officer_is_found():
    assert find_term("สมศรี", "Somsri left", variants=["Somsri"]) == ["Somsri"]


def test_a_variant_blocks_the_case(case):
    from sixdegree_cases.privacy.models import SensitiveTerm

    SensitiveTerm.objects.create(case=case, term="မောင်မောင်", kind="name", variants="Maung Maung\nMg Mg")
    case.summary = "Mg Mg crossed the border."
    (finding,) = findings_of(case, "sensitive_terms")
    assert finding.masked == "[Latin] •• ••"


def test_a_variant_of_one_letter_is_refused_with_a_message(case):
    from django.core.exceptions import ValidationError

    from sixdegree_cases.privacy.models import SensitiveTerm

    term = SensitiveTerm(case=case, term="Maung Maung", variants="M")
    with pytest.raises(ValidationError) as error:
        term.full_clean()
    assert "variants" in error.value.message_dict


def test_a_broken_segmentation_library_blocks_instead_of_passing(case, monkeypatch):
    # If ICU or PyThaiNLP fails, "nothing found" must never be the answer.
    from sixdegree_cases.privacy import matching

    def broken(text):
        raise RuntimeError("segmentation data missing")

    monkeypatch.setattr(matching, "words", broken)
    add_term(case, "Dewi Lestari")
    (finding,) = findings_of(case, "sensitive_terms")
    assert finding.severity == "block"
    assert "could not run" in finding.message
