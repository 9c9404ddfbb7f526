"""The evasion corpus: each family's recall and the clean narratives' false blocks, measured.

Every entry goes through the real path: it becomes the narrative of a milestone of a case that
otherwise passes every check, with the entry's sensitive terms recorded, and `check_page` runs
all configured checks on it. A family passes at 95 % blocked; clean narratives at most 5 %
blocked. The table is printed (run with `-s` to see it when the test passes).
"""

import html
import tomllib
from pathlib import Path

import pytest
from wagtail.rich_text import RichText

from sixdegree_cases.privacy import check_page
from sixdegree_cases.privacy.models import SensitiveTerm

CORPUS = Path(__file__).parent / "corpus"
FAMILIES = [
    ("sensitive terms", "terms.toml"),
    ("phone numbers", "phones.toml"),
    ("e-mail addresses", "emails.toml"),
    ("social and messaging handles", "handles.toml"),
    ("ID and passport numbers", "ids.toml"),
    ("exact dates", "dates.toml"),
]
MIN_ENTRIES = 40
MIN_CLEAN = 60
MIN_RECALL = 0.95
MAX_CLEAN_BLOCKED = 0.05


def load(name):
    with open(CORPUS / name, "rb") as handle:
        return tomllib.load(handle)


def blocks(case, entry, terms):
    """Whether the checks block `case` with the entry as a milestone narrative."""
    SensitiveTerm.objects.filter(case=case).delete()
    variants = entry.get("variants", {})
    SensitiveTerm.objects.bulk_create(
        SensitiveTerm(case=case, term=term, variants="\n".join(variants.get(term, []))) for term in terms
    )
    text = entry["text"]
    narrative = text if entry.get("html") else f"<p>{html.escape(text, quote=False)}</p>"
    # The stored (snapped) story of the case, with the entry as the last milestone's narrative.
    case.story[-1].value["narrative"] = RichText(narrative)
    return check_page(case).blocking


def test_the_baseline_case_passes_every_check(case):
    assert not blocks(case, {"text": "She travelled by bus."}, [])


def test_the_corpus_is_blocked_at_95_percent_and_clean_narratives_pass(case):
    rows, missed, failures = [], [], []
    for family, name in FAMILIES:
        entries = load(name)["entry"]
        assert len(entries) >= MIN_ENTRIES, f"{name} has {len(entries)} entries"
        blocked = 0
        for entry in entries:
            if blocks(case, entry, entry.get("terms", [])):
                blocked += 1
            else:
                missed.append(f"  missed ({family}): {entry['note']}")
        recall = blocked / len(entries)
        rows.append(f"| {family} | {blocked} of {len(entries)} ({recall:.0%}) |")
        if recall < MIN_RECALL:
            failures.append(family)
    clean = load("clean.toml")
    assert len(clean["entry"]) >= MIN_CLEAN
    wrongly = [entry for entry in clean["entry"] if blocks(case, entry, clean["clean_terms"])]
    missed.extend(f"  wrongly blocked: {entry['note']}" for entry in wrongly)
    share = len(wrongly) / len(clean["entry"])
    total = sum(len(load(name)["entry"]) for _family, name in FAMILIES)
    caught = total - sum(1 for line in missed if line.startswith("  missed"))
    rows.append(f"| **all** | **{caught} of {total} ({caught / total:.0%})** |")
    rows.append(
        f"| clean narratives wrongly blocked | {len(wrongly)} of {len(clean['entry'])} ({share:.0%}) |"
    )
    table = "\n".join(["| family | blocked |", "|---|---|", *rows, *missed])
    print("\n" + table)
    assert not failures, table
    assert share <= MAX_CLEAN_BLOCKED, table


@pytest.mark.parametrize("name", [name for _family, name in FAMILIES] + ["clean.toml"])
def test_every_corpus_entry_says_what_it_shows(name):
    assert all(entry.get("note") and entry.get("text") for entry in load(name)["entry"])
