"""`landmine validate`: every defect reported with its file, line and message; hostile folders."""

from __future__ import annotations

import ast
import json
import os
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from landmine_cli import checks, store
from landmine_cli.cli import app

DEFECTS = Path(__file__).parent / "defects"
BASE = DEFECTS / "base"
CASES = sorted(p.stem for p in DEFECTS.glob("*.toml"))


def validate(folder: Path, *extra: str):
    return CliRunner().invoke(app, ["validate", "--facts", str(folder), *extra])


def case(name: str) -> dict:
    with open(DEFECTS / f"{name}.toml", "rb") as handle:
        return tomllib.load(handle)


def build_case(name: str, parent: Path) -> Path:
    """The base facts with one defect applied, in a folder named after the case.

    A case holds `expected` (the report), `edits` (each replaces the one occurrence of `old`
    in `file` with `new`), `files` (whole new files), `remove` (files to delete) and `latin1`
    (files to write in Latin-1 rather than UTF-8).
    """
    spec = case(name)
    root = parent / name
    shutil.copytree(BASE, root)
    texts: dict[str, str] = {}
    for edit in spec.get("edits", []):
        path = edit["file"]
        text = texts.get(path) or (root / path).read_text(encoding="utf-8")
        assert text.count(edit["old"]) == 1, f"{name}: {edit['old']!r} is not in {path} exactly once"
        texts[path] = text.replace(edit["old"], edit["new"])
    texts |= spec.get("files", {})
    for path, text in texts.items():
        encoding = "latin-1" if path in spec.get("latin1", []) else "utf-8"
        (root / path).write_bytes(text.encode(encoding))
    for path in spec.get("remove", []):
        (root / path).unlink()
    return root


def test_the_base_is_clean(tmp_path):
    result = validate(BASE)
    assert (result.exit_code, result.stdout[:12]) == (0, "No problems:"), result.stdout


@pytest.mark.parametrize("name", CASES)
def test_each_defect_is_reported_exactly(name, tmp_path, monkeypatch):
    build_case(name, tmp_path)
    # Paths in the report start with the folder's name; run from the folder holding it.
    monkeypatch.chdir(tmp_path)
    result = validate(Path(name))
    assert result.exit_code == 3
    assert result.stdout == case(name)["expected"]


def test_json_lists_the_same_problems(tmp_path, monkeypatch):
    build_case("unknown-treaty", tmp_path)
    monkeypatch.chdir(tmp_path)
    result = validate(Path("unknown-treaty"), "--json")
    assert result.exit_code == 3
    assert json.loads(result.stdout) == [
        {"path": "unknown-treaty/countries/alp.toml", "line": 16, "field": "treaty",
         "message": "unknown treaty 'oslo-2008'"},
        {"path": "unknown-treaty/countries/alp.toml", "line": 25, "field": "type",
         "message": "ratified requires an earlier signature; use acceded"},
    ]


# --- every rule of the checks module is hit by a case -----------------------------------------


def rule_sites() -> list[tuple[int, int, str]]:
    """Each place in checks.py that reports a problem (a call of the checker's add): its first
    and last line and its source, found by reading the module, not from a list kept here."""
    source = Path(checks.__file__).read_text(encoding="utf-8")
    return sorted(
        (node.lineno, node.end_lineno, ast.get_source_segment(source, node.args[-1]))
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "add"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in ("check", "self")
    )


def lines_run_in_checks(run) -> set[int]:
    """The lines of checks.py that ran during run()."""
    filename = str(Path(checks.__file__))
    seen: set[int] = set()

    def local(frame, event, arg):
        if event == "line":
            seen.add(frame.f_lineno)
        return local

    def calls(frame, event, arg):
        return local if frame.f_code.co_filename == filename else None

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        run()
    finally:
        sys.settrace(previous)
    return seen


def test_every_rule_of_the_checks_module_is_hit_by_a_defect_case(tmp_path):
    sites = rule_sites()
    assert len(sites) >= 30  # the walk found the checker's calls
    ran: set[int] = set()
    for name in CASES:
        root = build_case(name, tmp_path)
        ran |= lines_run_in_checks(lambda: store.check(root))
    missed = [f"checks.py:{first}: {text}" for first, last, text in sites if not ran & set(range(first, last + 1))]
    assert missed == [], "no defect case reaches:\n" + "\n".join(missed)


def test_clean_facts_exit_0_with_a_summary(cli):
    result = cli("validate")
    assert result.exit_code == 0
    assert result.stdout == (
        "No problems: 8 states, 23 events, 2 sources; facts as of 2026-06-30.\n"
    )
    assert cli.json("validate") == []


def test_the_shipped_facts_are_clean(real_cli):
    result = real_cli("validate")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("No problems: 197 states")


# --- hostile folders ----------------------------------------------------------------------


def problems(folder: Path) -> tuple[int, str]:
    result = validate(folder)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout + result.stderr


def test_missing_folder(tmp_path):
    assert problems(tmp_path / "nope") == (2, f"Error: facts folder '{tmp_path / 'nope'}' does not exist\n")


def test_a_file_instead_of_a_folder(tmp_path):
    (tmp_path / "facts").write_text("")
    assert problems(tmp_path / "facts") == (2, f"Error: facts folder '{tmp_path / 'facts'}' is not a folder\n")


def test_empty_folder(tmp_path):
    code, text = problems(tmp_path)
    assert code == 3 and "meta.toml: required file is missing" in text


def test_symlink_loops(facts_copy):
    loop = facts_copy / "countries" / "loop.toml"
    loop.symlink_to(loop)
    code, text = problems(facts_copy)
    assert code == 3
    assert "facts/countries/loop.toml: cannot read file: Too many levels of symbolic links" in text


def test_a_countries_folder_that_loops(facts_copy):
    shutil.rmtree(facts_copy / "countries")
    (facts_copy / "countries").symlink_to(facts_copy / "countries")
    code, text = problems(facts_copy)
    assert code == 3
    assert "facts/countries: cannot read folder: Too many levels of symbolic links" in text


def test_huge_file(facts_copy):
    with open(facts_copy / "countries" / "big.toml", "wb") as handle:
        handle.truncate(9 * 2**20)  # sparse: large without writing 9 MiB
    code, text = problems(facts_copy)
    assert code == 3 and "facts/countries/big.toml: file is larger than 8 MiB" in text


def test_unreadable_entries(facts_copy):
    (facts_copy / "countries" / "dir.toml").mkdir()
    os.mkfifo(facts_copy / "countries" / "pipe.toml")  # reading it would block forever
    code, text = problems(facts_copy)
    assert code == 3
    assert "facts/countries/dir.toml: not a regular file" in text
    assert "facts/countries/pipe.toml: not a regular file" in text


def test_dangling_link(facts_copy):
    (facts_copy / "countries" / "gone.toml").symlink_to(facts_copy / "nowhere.toml")
    code, text = problems(facts_copy)
    assert code == 3 and "facts/countries/gone.toml: cannot read file: it points nowhere" in text


def test_non_utf8_anywhere(facts_copy):
    (facts_copy / "meta.toml").write_bytes(b"\xff\xfe")
    code, text = problems(facts_copy)
    assert (code, text.splitlines()[0]) == (3, "facts/meta.toml:1: file is not valid UTF-8")
