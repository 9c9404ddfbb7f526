"""The plugin stands alone: another Wagtail site can install `sixdegree_cases` without ours."""

import ast
from pathlib import Path

import sixdegree_cases

SITE_PACKAGES = {"sixdegree_site", "home", "search", "bench"}


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_plugin_imports_nothing_from_the_site():
    root = Path(sixdegree_cases.__file__).parent
    offending = [
        f"{path.relative_to(root.parent)}: {module}"
        for path in root.rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in SITE_PACKAGES
    ]
    assert offending == []
