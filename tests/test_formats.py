"""Every command in every format: output parses, and flat formats use the JSON keys."""

from __future__ import annotations

import csv
import io
import json

import pytest

from golden import assert_golden
from landmine_cli.cli import complete_country, complete_treaty

# Each command with arguments that give a non-empty answer on the fixture facts.
COMMANDS = {
    "status": ["status", "Betaland"],
    "withdrawals": ["withdrawals"],
    "non-members": ["non-members"],
    "funding": ["funding"],
    "treaties": ["treaties"],
    "changes": ["changes", "--from", "2025", "--to", "2026-12-31"],
    "timeline": ["timeline", "Gammaland"],
    "search": ["search", "alphaland"],
    "validate": ["validate"],
}


def flat_rows(cli, args):
    """The rows the flat formats should print: the JSON list, or the JSON Lines rows."""
    return [json.loads(line) for line in cli(*args, "--format", "jsonl").stdout.splitlines()]


@pytest.mark.parametrize("name", COMMANDS)
def test_json_parses(cli, name):
    result = cli(*COMMANDS[name], "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(cli(*COMMANDS[name], "--json").stdout)


@pytest.mark.parametrize("name", COMMANDS)
def test_jsonl_is_one_object_per_line(cli, name):
    result = cli(*COMMANDS[name], "--format", "jsonl")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(isinstance(row, dict) for row in rows)
    document = json.loads(cli(*COMMANDS[name], "--json").stdout)
    if isinstance(document, list):
        assert rows == document


@pytest.mark.parametrize("name", COMMANDS)
def test_csv_headers_are_the_json_keys(cli, name):
    result = cli(*COMMANDS[name], "--format", "csv")
    assert result.exit_code == 0
    rows = flat_rows(cli, COMMANDS[name])
    parsed = list(csv.reader(io.StringIO(result.stdout)))
    if not rows:  # validate on clean facts: nothing to list
        assert parsed == []
        return
    assert parsed[0] == list(rows[0])
    assert len(parsed) == len(rows) + 1


@pytest.mark.parametrize("name", COMMANDS)
def test_markdown_headers_are_the_json_keys(cli, name):
    result = cli(*COMMANDS[name], "--format", "markdown")
    assert result.exit_code == 0
    rows = flat_rows(cli, COMMANDS[name])
    lines = result.stdout.splitlines()
    if rows:
        assert lines[0] == "| " + " | ".join(rows[0]) + " |"
        assert len(lines) == len(rows) + 2


def test_csv_cells_keep_lists_and_sources():
    from landmine_cli.output import flat_value

    assert flat_value(["ottawa", "mbt"]) == "ottawa; mbt"
    assert flat_value([{"id": "a"}]) == '[{"id":"a"}]'
    assert (flat_value(None), flat_value(True), flat_value(2.5)) == ("", "true", "2.5")


def test_json_and_another_format_together_is_a_usage_error(cli):
    result = cli("treaties", "--json", "--format", "csv")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("Error: --json and --format csv disagree")


def test_an_unknown_format_is_a_usage_error(cli):
    assert cli("treaties", "--format", "xml").exit_code == 2


# --- tables at 80 columns ----------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in COMMANDS if n != "validate"])
def test_tables_fit_80_columns(cli, monkeypatch, name):
    monkeypatch.setenv("COLUMNS", "80")
    result = cli(*COMMANDS[name])
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert_golden(f"80-{name}", result.stdout)


def test_funding_chart_fits_80_columns(real_cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = real_cli("funding", "--chart")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    [y2022] = [line for line in lines if line.startswith("2022 ")]
    assert y2022.count("█") == 16 and y2022.endswith("798.4 39%")


# --- shell completion --------------------------------------------------------------------


def test_country_completion_from_a_partial_name(monkeypatch):
    monkeypatch.delenv("LANDMINE_FACTS", raising=False)
    assert "Finland" in complete_country("fin")
    assert "Türkiye" in complete_country("türk")
    assert "Türkiye" in complete_country("Turk")
    assert complete_country("turke") == ["Turkey"]  # matched by its alias
    assert complete_country("zzzz") == []


def test_treaty_completion():
    assert complete_treaty("o") == ["ottawa", "oslo"]
    assert complete_treaty("C") == ["ccm", "cluster"]
