"""The plugin's modules depend on each other one way: its import graph has no cycle.

Every import of a `sixdegree_cases` module counts, at module level and inside functions: a
function-level import hides a cycle from Python, not from a reader who has to know both modules
to change either. The graph is read from the source with `ast`, so no module is imported here.
"""

import ast
from pathlib import Path

import sixdegree_cases

PACKAGE = "sixdegree_cases"
ROOT = Path(sixdegree_cases.__file__).parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py")) if "migrations" not in p.parts}


def _resolve(current: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".")
    if not is_package:
        base = base[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(name: str, path: Path, known: set[str]) -> list[tuple[str, bool]]:
    """(imported module, imported inside a function) for every plugin module `path` imports."""
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    found = []

    def target(dotted: str) -> str | None:
        # The longest known module that `dotted` names (a.b.c may be module a.b's attribute c).
        while dotted:
            if dotted in known:
                return dotted
            dotted = dotted.rpartition(".")[0]
        return None

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.split(".")[0] == PACKAGE and (t := target(alias.name)):
                        found.append((t, nested))
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(name, is_package, child)
                if base.split(".")[0] != PACKAGE:
                    continue
                for alias in child.names:
                    # `from pkg import module` imports the submodule; `from mod import name` the module.
                    t = target(f"{base}.{alias.name}") if f"{base}.{alias.name}" in known else target(base)
                    if t:
                        found.append((t, nested))
            visit(child, nested)

    visit(tree, False)
    return [(t, f) for t, f in found if t != name]


def import_graph() -> tuple[dict[str, set[str]], int]:
    """The graph {module: modules it imports} and the number of function-level plugin imports."""
    modules = source_modules()
    known = set(modules)
    graph, module_level, function_level = {}, {}, 0
    for name, path in modules.items():
        edges = imports_of(name, path, known)
        function_level += sum(1 for _, nested in edges if nested)
        graph[name] = {t for t, _ in edges}
        module_level[name] = {t for t, nested in edges if not nested}
    # Importing a.b.c runs a/__init__ and a/b/__init__ first, and with them every module they
    # import at module level: a module depends on what its packages pull in from outside them.
    # (A package that imports its own modules is not a cycle: Python imports them in order.)
    for name in modules:
        package = name.rpartition(".")[0]
        while package:
            graph[name] |= {
                t for t in _module_level_closure(package, module_level) if not t.startswith(package + ".")
            }
            package = package.rpartition(".")[0]
    return graph, function_level


def _module_level_closure(start: str, module_level: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for t in module_level.get(todo.pop(), ()):
            if t not in seen and t != start:
                seen.add(t)
                todo.append(t)
    return seen


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the components with more than one module."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        result.append(sorted(component))
    return result


def a_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One concrete cycle inside a strongly connected component, for the failure message."""
    members = set(component)
    start = component[0]
    path, seen = [start], {start}
    # Walk breadth-first back to start: the shortest cycle through it.
    from collections import deque

    queue = deque([(start, [start])])
    while queue:
        node, path = queue.popleft()
        for child in sorted(graph[node] & members):
            if child == start:
                return [*path, start]
            if child not in seen:
                seen.add(child)
                queue.append((child, [*path, child]))
    return component


def describe(graph, components) -> str:
    lines = [f"{sum(map(len, components))} modules in {len(components)} import cycle(s):"]
    for component in components:
        lines.append("  " + " -> ".join(a_cycle(graph, component)))
        lines.append(f"    ({len(component)} modules: {', '.join(component)})")
    return "\n".join(lines)


def test_the_plugin_import_graph_has_no_cycle():
    graph, _ = import_graph()
    components = strongly_connected(graph)
    assert not components, describe(graph, components)


def test_the_graph_sees_every_kind_of_import(tmp_path):
    """The reader counts the imports that hold cycles together: relative, absolute, in functions."""
    known = {
        "sixdegree_cases",
        "sixdegree_cases.a",
        "sixdegree_cases.b",
        "sixdegree_cases.sub",
        "sixdegree_cases.sub.c",
    }
    source = tmp_path / "a.py"
    source.write_text(
        "from . import b\n"
        "import sixdegree_cases.sub.c as c\n"
        "def f():\n"
        "    from .sub import c\n"
        "    from .sub.c import thing\n"
        "    import os\n"
    )
    edges = imports_of("sixdegree_cases.a", source, known)
    assert edges == [
        ("sixdegree_cases.b", False),
        ("sixdegree_cases.sub.c", False),
        ("sixdegree_cases.sub.c", True),
        ("sixdegree_cases.sub.c", True),
    ]


def test_a_cycle_is_found_and_printed():
    graph = {"p.a": {"p.b"}, "p.b": {"p.c"}, "p.c": {"p.a"}, "p.d": {"p.a"}}
    components = strongly_connected(graph)
    assert components == [["p.a", "p.b", "p.c"]]
    assert "p.a -> p.b -> p.c -> p.a" in describe(graph, components)
