"""Issue 9's measure for faces: ≥ 95 % of the face set found, ≤ 5 % of the photos without people flagged.

The sets are built in `tests.privacy.faceset` from pictures packages ship. The table is printed
with the results (`pytest -s` not needed) and written to build/face-sets.txt.
"""

from collections import defaultdict
from pathlib import Path

import pytest

from sixdegree_cases.privacy.faces import get_face_detector
from tests.privacy import faceset

MIN_FACES_FOUND = 0.95
MAX_NO_PEOPLE_FLAGGED = 0.05


def measure(detector):
    """{set: {family: [(name, verdict)]}}, verdict "face", "drawn" or "" for each picture."""
    results = {}
    for set_name, samples in (
        ("faces", faceset.face_set()),
        ("no people", faceset.no_people_set()),
        ("drawings", faceset.drawings_set()),
    ):
        families = defaultdict(list)
        for sample in samples:
            faces = detector.find_in_file(sample.picture)
            verdict = "face" if any(not f.drawn for f in faces) else ("drawn" if faces else "")
            families[sample.family].append((sample.name, verdict))
        results[set_name] = dict(families)
    return results


def share(results, set_name, verdicts):
    items = [verdict for rows in results[set_name].values() for _, verdict in rows]
    return sum(verdict in verdicts for verdict in items) / len(items), len(items)


def table(results):
    lines = [
        f"{'set':<10} | {'family':<42} | {'pictures':>8} | {'face':>5} | {'drawn':>5} | missed or flagged"
    ]
    lines.append("-" * len(lines[0]))
    for set_name, families in results.items():
        for family, rows in families.items():
            faces = sum(verdict == "face" for _, verdict in rows)
            drawn = sum(verdict == "drawn" for _, verdict in rows)
            wrong = [
                name
                for name, verdict in rows
                if (set_name == "faces" and verdict != "face")
                or (set_name == "no people" and verdict)
                or (set_name == "drawings" and verdict != "drawn")
            ]
            counts = f"{len(rows):>8} | {faces:>5} | {drawn:>5}"
            lines.append(f"{set_name:<10} | {family:<42} | {counts} | {', '.join(wrong)}")
    found, total = share(results, "faces", {"face"})
    flagged, clean_total = share(results, "no people", {"face", "drawn"})
    lines.append(f"faces found: {found:.1%} of {total} (goal ≥ {MIN_FACES_FOUND:.0%})")
    lines.append(
        f"no-people photos flagged: {flagged:.1%} of {clean_total} (goal ≤ {MAX_NO_PEOPLE_FLAGGED:.0%})"
    )
    return "\n".join(lines)


@pytest.fixture(scope="module")
def results(request):
    measured = measure(get_face_detector())
    text = table(measured)
    plugins = request.config.pluginmanager
    reporter, capture = plugins.getplugin("terminalreporter"), plugins.getplugin("capturemanager")
    if reporter and capture:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            for line in text.splitlines():
                reporter.write_line(line)
    build = Path(__file__).resolve().parents[2] / "build"
    build.mkdir(exist_ok=True)
    (build / "face-sets.txt").write_text(text + "\n")
    return measured


def test_at_least_95_percent_of_the_face_set_is_found(results):
    found, _ = share(results, "faces", {"face"})
    assert found >= MIN_FACES_FOUND, table(results)


def test_at_most_5_percent_of_the_photos_without_people_are_flagged(results):
    flagged, _ = share(results, "no people", {"face", "drawn"})
    assert flagged <= MAX_NO_PEOPLE_FLAGGED, table(results)


def test_every_drawn_face_warns_and_none_blocks(results):
    warned, _ = share(results, "drawings", {"drawn"})
    assert warned == 1, table(results)


def test_the_sets_are_as_large_as_the_issue_asks():
    # 95 % must mean something: at least 100 faces and 100 photos without people.
    assert len(faceset.face_set()) >= 100
    assert len(faceset.no_people_set()) >= 100
