"""The layout holds: packages by concern, dependencies pointing one way, no cycle, no module over 400 lines.

The rules are those of ``docs/concepts/architecture.md``. Each is read from the source text (``ast``), so a
rule broken anywhere under ``src/tuoyu_rules`` fails here with the module and line that break it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "tuoyu_rules"
PACKAGE = "tuoyu_rules"

MAX_LINES = 400
MAX_TOP_LEVEL_MODULES = 8

ALLOWED: dict[str, frozenset[str]] = {
    "core": frozenset({"core"}),
    "jurisdictions": frozenset({"core"}),
    "families": frozenset({"core"}),
    "compliance": frozenset({"core"}),
    "batch": frozenset({"core", "io"}),
    "io": frozenset({"core"}),
    "whatif": frozenset({"core", "batch", "io"}),
    "cli": frozenset({"core", "families", "compliance", "batch", "io", "whatif", "server", "cli", "<top>"}),
    "server": frozenset({"core", "families", "compliance", "batch", "io", "whatif", "<top>"}),
}
"""Package -> the packages its modules may import (besides itself). ``<top>`` is ``tuoyu_rules/__init__.py``
(the public facade, which imports lazily and only under ``TYPE_CHECKING``)."""


@dataclass(frozen=True)
class Import:
    importer: str
    target: str
    line: int
    in_function: bool


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(importer: str, node: ast.ImportFrom) -> list[str]:
    """The project modules an ``import from`` names (a name that is a submodule counts as that module)."""
    if node.level:
        base = importer.split(".")
        if not _is_package(importer):
            base = base[:-1]
        base = base[: len(base) - node.level + 1]
        source = ".".join([*base, node.module] if node.module else base)
    else:
        source = node.module or ""
    if not source.startswith(PACKAGE):
        return []
    found = []
    for alias in node.names:
        sub = f"{source}.{alias.name}"
        found.append(sub if sub in MODULES else source)
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str) -> Iterator[Import]:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))

    def walk(node: ast.AST, in_function: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for other in child.orelse:
                    yield from walk(other, in_function)
                continue
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.ImportFrom):
                for target in _resolve(name, child):
                    yield Import(name, target, child.lineno, in_function)
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith(PACKAGE):
                        yield Import(name, alias.name, child.lineno, in_function)
            yield from walk(child, inner)

    yield from walk(tree, False)


IMPORTS: list[Import] = [imp for name in MODULES for imp in _imports(name)]


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and module not in (PACKAGE,) else "<top>"


def _where(imp: Import) -> str:
    return f"{MODULES[imp.importer].relative_to(SRC.parent)}:{imp.line} imports {imp.target}"


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(SRC.parent)): n
        for path in MODULES.values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_few_modules_sit_flat_at_the_top() -> None:
    flat = sorted(p.name for p in SRC.glob("*.py"))
    assert len(flat) <= MAX_TOP_LEVEL_MODULES, flat


def test_every_package_says_what_it_holds_and_may_import() -> None:
    for package in ALLOWED:
        init = SRC / package / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{package}/__init__.py has no docstring"
        assert "may import" in doc, f"{package}/__init__.py does not say what it may import"


def test_no_project_import_inside_a_function() -> None:
    """An import inside a function hides a dependency (and often dodges a cycle): there are none."""
    assert [_where(imp) for imp in IMPORTS if imp.in_function] == []


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_dependencies_point_one_way(package: str) -> None:
    allowed = ALLOWED[package] | {package}
    wrong = [
        _where(imp) for imp in IMPORTS if _package(imp.importer) == package and _package(imp.target) not in allowed
    ]
    assert wrong == []


def test_core_knows_no_concern() -> None:
    """The core imports nothing of the package outside itself, not even under ``TYPE_CHECKING``."""
    wrong = []
    for name, path in MODULES.items():
        if _package(name) != "core":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                wrong += [f"{name}:{node.lineno} {t}" for t in _resolve(name, node) if _package(t) != "core"]
    assert wrong == []


def test_no_import_cycle() -> None:
    """No cycle between modules (imports under ``TYPE_CHECKING`` aside): Tarjan's strongly connected parts."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for imp in IMPORTS:
        if imp.target in graph and imp.target != imp.importer:
            graph[imp.importer].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                cycles.append(sorted(part))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert cycles == []


def test_the_checker_sees_imports() -> None:
    """The rules above are not vacuous: the engine's imports are found, and resolved to modules."""
    engine = {imp.target for imp in IMPORTS if imp.importer == "tuoyu_rules.core.engine"}
    assert {"tuoyu_rules.core.models", "tuoyu_rules.core.results", "tuoyu_rules.core.registry"} <= engine
