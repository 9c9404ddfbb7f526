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
    assert finding.masked == "d•••-c•••••"
    assert "village" in finding.message and "contoh" not in finding.message.lower()


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
