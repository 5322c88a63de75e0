"""Every command in every format: output parses, and flat formats use the JSON keys."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from conftest import command_paths
from golden import assert_golden
from landmine_cli.cli import complete_country, complete_treaty

# Arguments that give each command a non-empty answer on the fixture facts, keyed by the
# command's path in the app. The commands themselves come from the app's registry: a new
# command fails test_every_command_has_an_example until it is given one here. Commands that
# write do so into a temporary folder, or not at all (--dry-run).
EXAMPLES = {
    ("status",): ["status", "Betaland"],
    ("withdrawals",): ["withdrawals"],
    ("non-members",): ["non-members"],
    ("funding",): ["funding"],
    ("treaties",): ["treaties"],
    ("changes",): ["changes", "--from", "2025", "--to", "2026-12-31"],
    ("timeline",): ["timeline", "Gammaland"],
    ("search",): ["search", "alphaland"],
    ("validate",): ["validate"],
    ("export",): ["export", "--csv", "{tmp}/csv"],
    ("cache", "clear"): ["cache", "clear"],
    ("add", "event"): ["add", "event", "--country", "BET", "--treaty", "apmbc", "--type", "statement",
                       "--date", "2026-03-01", "--source", "src-a", "--dry-run"],
    ("add", "reason"): ["add", "reason", "--country", "BET", "--treaty", "apmbc", "--date", "2026-03-01",
                        "--summary", "A reason.", "--source", "src-a", "--dry-run"],
    ("add", "source"): ["add", "source", "--url", "https://example.org/x", "--publisher", "P",
                        "--title", "T", "--dry-run"],
    ("add", "funding"): ["add", "funding", "--donor", "ALP", "--year", "2012", "--amount-usd", "5",
                         "--edition", "rep2013", "--source", "src-a", "--dry-run"],
    ("add", "funding-event"): ["add", "funding-event", "--date", "2026-03-01", "--type", "cut",
                               "--summary", "A cut.", "--source", "src-a", "--dry-run"],
    ("add", "obligation"): ["add", "obligation", "--country", "BET", "--treaty", "apmbc",
                            "--article", "Art. 4", "--original-deadline", "2008-11-01",
                            "--source", "src-a", "--dry-run"],
    ("add", "extension"): ["add", "extension", "--country", "THE", "--treaty", "apmbc",
                           "--article", "Art. 5", "--outcome", "granted", "--new-deadline",
                           "2026-06-01", "--granted", "2016-06-02", "--source", "src-a", "--dry-run"],
    ("add", "retained"): ["add", "retained", "--country", "BET", "--treaty", "apmbc",
                          "--mines-retained", "120", "--figure-kind", "reported", "--year", "2024",
                          "--source", "src-a", "--dry-run"],
    ("add", "edition"): ["add", "edition", "--id", "rep2026", "--title", "Report 2026", "--publisher",
                         "Test Monitor", "--covers", "2025", "--source", "src-a", "--dry-run"],
    ("add", "casualty"): ["add", "casualty", "--scope", "Gammaland", "--year", "2023", "--weapon",
                          "mines_erw", "--edition", "rep2025", "--total", "4", "--source", "src-a",
                          "--dry-run"],
    ("add", "contamination"): ["add", "contamination", "--scope", "Gammaland", "--weapon", "ap_mines",
                               "--edition", "rep2025", "--extent-band", "small", "--source", "src-a",
                               "--dry-run"],
    ("verify",): ["verify", "{un}/apmbc-cut.en.xml", "--as-at", "2018-01-15"],
    ("map",): ["map", "--on", "2026-01-10", "-o", "{tmp}/map.svg"],
    ("chart", "parties"): ["chart", "parties", "--from", "2025", "--to", "2026-06-30"],
    ("chart", "casualties"): ["chart", "casualties"],
    ("chart", "funding"): ["chart", "funding"],
    ("schema",): ["schema"],
    ("obligations",): ["obligations"],
    ("figures",): ["figures"],
}
# The fixture facts hold invented states, so the UN page disagrees with them: verify's
# documented exit code for disagreements.
EXIT_CODES = {"verify": 4}
UN_PAGES = Path(__file__).parent / "fixtures" / "un"
COMMANDS = [" ".join(path) for path in command_paths()]


@pytest.fixture
def example(tmp_path, monkeypatch):
    """The example arguments of a command, with its own empty cache folder."""
    monkeypatch.setenv("LANDMINE_CACHE_DIR", str(tmp_path / "cache"))
    return lambda name: [arg.format(tmp=tmp_path, un=UN_PAGES) for arg in EXAMPLES[tuple(name.split())]]


def test_every_command_has_an_example():
    assert set(EXAMPLES) == set(command_paths())


def flat_rows(cli, args):
    """The rows the flat formats should print: the JSON list, or the JSON Lines rows."""
    return [json.loads(line) for line in cli(*args, "--format", "jsonl").stdout.splitlines()]


@pytest.mark.parametrize("name", COMMANDS)
def test_json_parses(cli, example, name):
    result = cli(*example(name), "--format", "json")
    assert result.exit_code == EXIT_CODES.get(name, 0), result.stderr
    assert json.loads(result.stdout) == json.loads(cli(*example(name), "--json").stdout)


@pytest.mark.parametrize("name", COMMANDS)
def test_jsonl_is_one_object_per_line(cli, example, name):
    result = cli(*example(name), "--format", "jsonl")
    assert result.exit_code == EXIT_CODES.get(name, 0)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(isinstance(row, dict) for row in rows)
    document = json.loads(cli(*example(name), "--json").stdout)
    assert rows == (document if isinstance(document, list) else rows)
    assert rows or name == "validate"  # the examples give answers; clean facts give no problem


@pytest.mark.parametrize("name", COMMANDS)
def test_csv_headers_are_the_json_keys(cli, example, name):
    result = cli(*example(name), "--format", "csv")
    assert result.exit_code == EXIT_CODES.get(name, 0)
    rows = flat_rows(cli, example(name))
    parsed = list(csv.reader(io.StringIO(result.stdout)))
    if not rows:  # validate on clean facts: nothing to list
        assert parsed == []
        return
    assert parsed[0] == list(rows[0])
    assert len(parsed) == len(rows) + 1


@pytest.mark.parametrize("name", COMMANDS)
def test_markdown_headers_are_the_json_keys(cli, example, name):
    result = cli(*example(name), "--format", "markdown")
    assert result.exit_code == EXIT_CODES.get(name, 0)
    rows = flat_rows(cli, example(name))
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


@pytest.mark.parametrize("name", COMMANDS)
def test_tables_fit_80_columns(cli, example, monkeypatch, name):
    monkeypatch.setenv("COLUMNS", "80")
    result = cli(*example(name))
    assert result.exit_code == EXIT_CODES.get(name, 0)
    # A path in a message is never broken (issue 14), so only a line holding one whole may
    # be longer: the cache folder in `cache clear`'s message.
    long = [line for line in result.stdout.splitlines() if len(line) > 80]
    assert all(os.environ["LANDMINE_CACHE_DIR"] in line for line in long), long


# Golden tables of the commands whose output does not name a temporary folder.
@pytest.mark.parametrize("name", ["status", "withdrawals", "non-members", "funding", "treaties",
                                  "changes", "timeline", "search"])
def test_tables_at_80_columns_are_unchanged(cli, example, monkeypatch, name):
    monkeypatch.setenv("COLUMNS", "80")
    assert_golden(f"80-{name}", cli(*example(name)).stdout)


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
