"""The package's import graph has no cycle, counting imports inside functions too: each
module can be read, tested and replaced on its own, and cli imports the rest."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "landmine_cli"
NAME = PACKAGE.name


def _imports(path: Path) -> set[str]:
    """The landmine_cli modules a module imports, anywhere in its body."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:  # from .x import y
                found.add(node.module.split(".")[0])
            elif node.level == 1:  # from . import x, y
                found.update(alias.name for alias in node.names)
            elif node.level == 0 and node.module and node.module.split(".")[0] == NAME:
                parts = node.module.split(".")
                if len(parts) > 1:
                    found.add(parts[1])
                else:
                    found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == NAME and len(parts) > 1:
                    found.add(parts[1])
    return found


def graph() -> dict[str, set[str]]:
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    edges = {p.stem: _imports(p) & modules for p in PACKAGE.glob("*.py")}
    # `from . import __version__` names the package's __init__, not a module of its own.
    return {m: {d for d in deps if d != m} for m, deps in edges.items()}


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for dep in sorted(edges.get(node, ())):
            if state.get(dep) == 1:
                return path[path.index(dep):] + [dep]
            if dep not in state and (found := visit(dep)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_parser_sees_function_level_imports():
    edges = graph()
    assert "edit" in edges["cli"]  # imported inside a function only
    assert "checks" in edges["store"]  # likewise
    assert "law" in edges["rows"]


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_among_landmine_cli_modules():
    assert _cycle(graph()) is None


def test_nothing_imports_cli_but_the_entry_points():
    entry_points = {"__init__", "__main__"}  # main() and `python -m landmine_cli`
    assert [m for m, deps in graph().items() if "cli" in deps and m not in entry_points] == []


def test_every_per_state_kind_is_registered_once():
    """A kind added to CountryFile but not to models.STATE_KINDS would be parsed and then
    silently left out of the checks, the FactBase and the export."""
    from landmine_cli import export
    from landmine_cli.models import STATE_KINDS, CountryFile, FactBase

    names = [k.name for k in STATE_KINDS]
    assert names == [f for f in CountryFile._fields if f != "country"]
    assert set(names) <= set(FactBase._fields)
    for kind in STATE_KINDS:
        assert set(kind.columns) == set(kind.record._fields) - {"sources"}, kind.name
    sql = export.state_kinds_sql()
    assert all(f"CREATE TABLE {k.name} (" in sql and f"CREATE TABLE {k.singular}_sources (" in sql
               for k in STATE_KINDS)
