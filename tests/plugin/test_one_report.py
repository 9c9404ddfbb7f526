"""The privacy findings have one report type and one severity enumeration in the plugin.

`privacy.report` defines `PrivacyReport`, `Finding` and `Severity`; the review, the live re-check,
the editor's live check and the demo loader use them. A second report class or a bare
"block"/"warn" constant beside `Severity` is how the two drifted apart before (issue 12).
Read from the source with `ast`, like the import-graph test.
"""

import ast
from pathlib import Path

import sixdegree_cases

ROOT = Path(sixdegree_cases.__file__).parent
HOME = ROOT / "privacy" / "report.py"
SEVERITY_VALUES = {"block", "warn"}


def plugin_sources():
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), filename=str(path))


def test_one_report_class_for_privacy_findings():
    reports = [
        f"{path.relative_to(ROOT)}:{node.name}"
        for path, tree in plugin_sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and (node.name.endswith("Report") or node.name == "Finding")
    ]
    assert reports == ["privacy/report.py:Finding", "privacy/report.py:PrivacyReport"]


def test_severities_are_named_by_severity_never_by_bare_strings():
    bare = []
    for path, tree in plugin_sources():
        if path == HOME:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.Compare):
                values = [node.value] if isinstance(node, ast.Assign) else node.comparators + [node.left]
                if any(isinstance(v, ast.Constant) and v.value in SEVERITY_VALUES for v in values):
                    bare.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert bare == [], "use sixdegree_cases.privacy.report.Severity"
