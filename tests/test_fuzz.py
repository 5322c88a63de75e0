"""Hostile input: random command lines and mutated fact files never produce a traceback."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import FIXTURE_FACTS, command_paths, takes_facts
from landmine_cli import store
from landmine_cli.cli import app
from landmine_cli.errors import LandmineError

# Every command in the app's registry; those that write do so in a throw-away copy and folder.
COMMANDS = [list(path) for path in command_paths()]
OPTIONS = ["--json", "--on", "--since", "--treaty", "-t", "--donor", "--from", "--to", "--help",
           "--format", "csv", "jsonl", "markdown", "--chart", "--dry-run", "--country", "--type",
           "--date", "--source", "--sqlite", "--csv", "--url", "--summary", "--year"]
EXIT_CODES = {0, 2, 3, 4, 5}

# Any character an operating system can pass in an argument, as Python hands it over: every
# one but NUL (which ends a C string) and lone surrogates other than the ones Python makes of
# bytes that are not UTF-8 (U+DC80-U+DCFF, which the entry point refuses before the app runs,
# tested in test_safety.py); this in-process runner skips that entry point.
ARGUMENT_CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
texts = st.one_of(
    st.text(ARGUMENT_CHARACTERS, max_size=40),  # any unicode, control characters included
    st.text(alphabet="0123456789-", max_size=12),  # date-like
    st.sampled_from(["Finland", "fi", "Türkiye", "ccm", "ottawa", "2025", "2025-02-30", "USA", ""]),
    st.text(ARGUMENT_CHARACTERS, min_size=2000, max_size=5000),  # very long
)
tokens = st.lists(st.one_of(st.sampled_from(OPTIONS), texts), max_size=6)


@settings(max_examples=200, deadline=None)
@given(command=st.one_of(st.sampled_from(COMMANDS), texts.map(lambda t: [t])), args=tokens)
def test_random_command_lines_exit_cleanly(command, args):
    with tempfile.TemporaryDirectory() as tmp:
        facts = Path(tmp) / "facts"
        shutil.copytree(FIXTURE_FACTS, facts)
        cwd = os.getcwd()
        os.chdir(tmp)
        try:
            extra = ["--facts", str(facts)] if takes_facts(command) else []
            result = CliRunner().invoke(app, [*command, *args, *extra])
        finally:
            os.chdir(cwd)
    # CliRunner keeps an escaped exception here rather than printing a traceback.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in EXIT_CODES, (result.exit_code, result.stderr)


FILES = sorted(p.relative_to(FIXTURE_FACTS).as_posix() for p in FIXTURE_FACTS.rglob("*.toml"))


@st.composite
def mutations(draw):
    rel = draw(st.sampled_from(FILES))
    lines = (FIXTURE_FACTS / rel).read_text(encoding="utf-8").splitlines(keepends=True)
    op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate", "bytes"]))
    i = draw(st.integers(0, max(0, len(lines) - 1)))
    j = draw(st.integers(0, max(0, len(lines) - 1)))
    if op == "delete" and lines:
        del lines[i]
    elif op == "duplicate" and lines:
        lines.insert(i, lines[i])
    elif op == "swap" and lines:
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "insert":
        lines.insert(i, draw(st.text(max_size=60)) + "\n")
    elif op == "truncate":
        lines = lines[:i]
    data = "".join(lines).encode("utf-8")
    if op == "bytes" and data:
        k = draw(st.integers(0, len(data) - 1))
        data = data[:k] + draw(st.binary(min_size=1, max_size=4)) + data[k + 1 :]
    return rel, data


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(change=mutations())
def test_mutated_fact_files_load_or_fail_cleanly(change):
    rel, data = change
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "facts"
        shutil.copytree(FIXTURE_FACTS, root)
        (root / rel).write_bytes(data)
        try:
            store.load(root)
        except LandmineError as err:
            assert err.exit_code in EXIT_CODES
            for problem in getattr(err, "problems", []):
                assert problem.path.startswith(f"{root}/")  # as the user can open it
