"""Tables and JSON written to pipes: greppable records, and a reader that stops early.

A closed pipe ends the run quietly with exit code 0 (errors.EXIT_PIPE), whatever the
format and however much was left to write; the answers here are far larger than a pipe's
buffer (64 KiB on Linux), so the writer really meets the closed pipe.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from landmine_cli.errors import EXIT_PIPE

LANDMINE = [sys.executable, "-m", "landmine_cli"]
TODAY = "2026-11-26"


def environment(**env: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LANDMINE_FACTS")}
    return base | {"LANDMINE_TODAY": TODAY} | env


def shell(command: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                          env=environment(**env), timeout=60)


LANDMINE_SH = " ".join(LANDMINE)


def test_piped_records_stay_on_one_line_for_grep():
    rows = json.loads(shell(f"{LANDMINE_SH} changes --from 2025-03 --to 2025-09 --json").stdout)
    expected = sum(r["country"] == "Marshall Islands" for r in rows)
    assert expected >= 1
    result = shell(f'{LANDMINE_SH} changes --from 2025-03 --to 2025-09 | grep -c "Marshall Islands"')
    assert result.stdout.strip() == str(expected)


def test_piped_tables_are_not_wrapped_at_80_columns():
    result = shell(f"{LANDMINE_SH} status Finland | cat")
    doc = json.loads(shell(f"{LANDMINE_SH} status Finland --json").stdout)
    lines = result.stdout.splitlines()
    for event in doc["treaties"][0]["events"]:
        if event["note"]:
            assert any(event["date"] in line and event["note"] in line for line in lines)
    assert max(len(line) for line in lines) > 80


def test_columns_still_sets_the_width_of_piped_tables():
    result = shell(f"{LANDMINE_SH} status Finland | cat", COLUMNS="60")
    # Only URLs, which are never broken, are longer.
    long = [line for line in result.stdout.splitlines() if len(line) > 60]
    assert long and all(line.split()[0].startswith(("https://", "http://")) for line in long)


ARGS = {
    "table": ["search", "the"],
    "json": ["timeline", "--json"],
    "jsonl": ["timeline", "--format", "jsonl"],
    "csv": ["timeline", "--format", "csv"],
    "markdown": ["timeline", "--format", "markdown"],
    "small table": ["treaties"],
}


@pytest.mark.parametrize("name", ARGS)
def test_a_reader_that_stops_early_gets_a_quiet_end(name):
    process = subprocess.Popen([*LANDMINE, *ARGS[name]], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=environment())
    assert process.stdout is not None and process.stderr is not None
    head = process.stdout.read(10)
    process.stdout.close()  # like `head -c 10`
    err = process.stderr.read()
    process.wait(timeout=60)
    assert head
    assert err == b""
    assert process.returncode == EXIT_PIPE == 0


@pytest.mark.parametrize("command", [
    "timeline | head -1",
    "timeline --json | head -c 10",
    "search the | head -1",
    "search the --format csv | head -1",
])
def test_head_in_a_shell_pipeline(command):
    result = shell(f"{LANDMINE_SH} {command}; echo \"status=${{PIPESTATUS[0]}}\" >&2")
    assert result.stderr == f"status={EXIT_PIPE}\n"
