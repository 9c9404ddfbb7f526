"""pyproject.toml declares what the plugin imports, with ranges that hold the tested pins, and
nothing of the site's production stack."""

import ast
import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

import sixdegree_cases

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = Path(sixdegree_cases.__file__).parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# The site's production stack: requirements.txt, never the plugin's dependencies.
SITE_STACK = {
    "gunicorn",
    "whitenoise",
    "redis",
    "hiredis",
    "django-csp",
    "django-axes",
    "django-storages",
    "boto3",
    "python-json-logger",
    "psycopg2-binary",
    "dj-database-url",
    "django-tasks-db",
    "django-permissions-policy",
    "django-cors-headers",
}


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(strings):
    return [Requirement(string) for string in strings]


def closure(names):
    """Every distribution the named ones pull in (installed metadata, extras left out)."""
    seen, todo = set(), [canonical(name) for name in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for string in metadata.requires(name) or []:
            requirement = Requirement(string)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonical(requirement.name))
    return seen


def imports(path, *, module_level):
    """Absolute imports of `path`: those run on import, or those inside functions."""
    tree = ast.parse(path.read_text(), filename=str(path))
    functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    nested = {id(child) for function in functions for child in ast.walk(function)}
    for node in ast.walk(tree):
        if (id(node) not in nested) != module_level:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def third_party(module_level):
    distributions = metadata.packages_distributions()
    found = {}
    for path in PLUGIN.rglob("*.py"):
        for module in imports(path, module_level=module_level):
            if module in distributions and module != "sixdegree_cases":
                found.setdefault(module, set()).update(canonical(name) for name in distributions[module])
    return found


def pins():
    pinned = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pinned[canonical(name.split("[")[0])] = version
    return pinned


def test_every_module_level_import_is_a_declared_dependency_or_comes_with_one():
    declared = closure(requirement.name for requirement in requirements(PYPROJECT["dependencies"]))
    missing = {
        module: names for module, names in third_party(module_level=True).items() if not names & declared
    }
    assert missing == {}


def test_every_guarded_import_is_declared_or_an_extra():
    extras = [string for group in PYPROJECT["optional-dependencies"].values() for string in group]
    available = closure(
        requirement.name for requirement in requirements([*PYPROJECT["dependencies"], *extras])
    )
    missing = {
        module: names for module, names in third_party(module_level=False).items() if not names & available
    }
    assert missing == {}


def test_the_site_stack_is_not_a_dependency_of_the_plugin():
    declared = {canonical(requirement.name) for requirement in requirements(PYPROJECT["dependencies"])}
    assert declared & SITE_STACK == set()


def test_each_range_holds_the_version_the_suite_runs_on():
    pinned = pins()
    extras = [string for group in PYPROJECT["optional-dependencies"].values() for string in group]
    for requirement in requirements([*PYPROJECT["dependencies"], *extras]):
        name = canonical(requirement.name)
        assert name in pinned, f"{name} is not pinned in requirements.txt"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (name, pinned[name])
        # An upper bound: a major release nobody has tested is not accepted silently.
        assert any(spec.operator in {"<", "<=", "~=", "=="} for spec in requirement.specifier), name
