"""The JSON contract is machine-checkable: every command of the Typer app (walked from its
registry, sub-commands included) has a JSON Schema, and its --json output, run on the
fixture facts (real facts where a command needs them), validates against that schema with
extra keys refused and dates checked as dates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from typer.main import get_command
from typer.testing import CliRunner

from conftest import FIXTURE_FACTS, FIXTURE_TODAY, REAL_FACTS
from landmine_cli import dates, schemas
from landmine_cli.cli import app

TESTS = Path(__file__).parent
UN = TESTS / "fixtures" / "un"


def registry(group=None, prefix: str = "") -> list[str]:
    """Every runnable command of the app, as typed ("status", "add event", "cache clear")."""
    group = group or get_command(app)
    found = []
    for name, cmd in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if hasattr(cmd, "commands"):  # a group: walk its sub-commands
            found += registry(cmd, f"{path} ")
        else:
            found.append(path)
    return found


def validator(command: str) -> Draft202012Validator:
    schema = schemas.schema_of(command)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


# (command as typed, argv after the program name; {facts}: fixture copy, {tmp}: a temporary
# folder, {defect:NAME}: a case of the defect corpus, no --facts: the shipped facts; allowed
# exit codes)
FIX, REAL = "{facts}", None
CASES = [
    ("status", ["status", "Betaland", "--facts", FIX], (0,)),
    ("status", ["status", "Gammaland", "--facts", FIX], (0,)),
    ("status", ["status", "Montenegro", "--on", "2005"], (0,)),
    ("withdrawals", ["withdrawals", "--facts", FIX], (0,)),
    ("withdrawals", ["withdrawals", "--since", "2030", "--facts", FIX], (0,)),
    ("non-members", ["non-members", "--facts", FIX], (0,)),
    ("non-members", ["non-members", "--on", "2005"], (0,)),
    ("funding", ["funding", "--facts", FIX], (0,)),
    ("funding", ["funding", "--donor", "ALP", "--since", "2024", "--facts", FIX], (0,)),
    ("treaties", ["treaties", "--facts", FIX], (0,)),
    ("treaties", ["treaties", "--on", "2005"], (0,)),
    ("changes", ["changes", "--from", "2025", "--to", "2026-12-31", "--facts", FIX], (0,)),
    ("changes", ["changes", "--from", "2006", "--to", "2011-12"], (0,)),
    ("timeline", ["timeline", "--facts", FIX], (0,)),
    ("timeline", ["timeline", "South Sudan"], (0,)),
    ("obligations", ["obligations", "--facts", FIX], (0,)),
    ("obligations", ["obligations"], (0,)),
    ("obligations", ["obligations", "--overdue", "--on", "2015"], (0,)),
    ("figures", ["figures", "--facts", FIX], (0,)),
    ("figures", ["figures"], (0,)),
    ("figures", ["figures", "Afghanistan", "--metric", "cluster-casualties", "--on", "2019"], (0,)),
    ("figures", ["figures", "--metric", "contamination"], (0,)),
    ("figures", ["figures", "Ukraine", "--metric", "contamination", "--weapon", "ap_mines"], (0,)),
    ("funding", ["funding", "--on", "2019"], (0,)),
    ("funding", ["funding", "--recipient", "Ukraine"], (0,)),
    ("status", ["status", "Ukraine"], (0,)),
    ("status", ["status", "United States"], (0,)),
    ("validate", ["validate", "--facts", FIX], (0,)),
    ("validate", ["validate", "--facts", "{defect:unknown-treaty}"], (3,)),
    ("cache clear", ["cache", "clear"], (0,)),
    ("add event", ["add", "event", "--country", "Alphaland", "--treaty", "apmbc", "--type",
                   "statement", "--date", "2026-01-01", "--source", "src-a", "--note", "A note.",
                   "--facts", FIX], (0,)),
    ("add event", ["add", "event", "--country", "Alphaland", "--treaty", "apmbc", "--type",
                   "statement", "--date", "2026-01-02", "--source", "src-a", "--dry-run",
                   "--facts", FIX], (0,)),
    ("add reason", ["add", "reason", "--country", "Betaland", "--treaty", "apmbc", "--date",
                    "2025-04-01", "--summary", "Security.", "--source", "src-a", "--facts", FIX], (0,)),
    ("add source", ["add", "source", "--url", "https://example.org/new", "--publisher", "P",
                    "--title", "T", "--published", "2026-01-01", "--facts", FIX], (0,)),
    ("add source", ["add", "source", "--url", "https://example.org/other", "--publisher", "Q",
                    "--title", "T", "--dry-run", "--facts", FIX], (0,)),
    ("add funding", ["add", "funding", "--donor", "ALP", "--year", "2012", "--amount-usd", "5",
                     "--edition", "rep2013", "--source", "src-a", "--facts", FIX], (0,)),
    ("add funding-event", ["add", "funding-event", "--date", "2026-01-05", "--type", "cut",
                           "--summary", "A cut.", "--source", "src-a", "--donor", "ALP",
                           "--facts", FIX], (0,)),
    ("add funding-event", ["add", "funding-event", "--date", "2026-01-06", "--type", "review",
                           "--summary", "A review.", "--source", "src-a", "--dry-run",
                           "--facts", FIX], (0,)),
    ("add obligation", ["add", "obligation", "--country", "BET", "--treaty", "apmbc", "--article",
                        "Art. 4", "--original-deadline", "2008-11-01", "--source", "src-a",
                        "--completed-period", "2007-05", "--completed-by", "2007-12-31",
                        "--no-stockpile", "None.", "--reopened-period", "2010",
                        "--researched-to", "2026-06-30", "--mines-destroyed", "1",
                        "--cluster-munitions-destroyed", "2", "--submunitions-destroyed", "3",
                        "--stockpile-declared", "4", "--remaining", "0", "--remaining-as-of",
                        "2008-01-01", "--note", "N.", "--rule-exception", "R.", "--facts", FIX], (0,)),
    ("add obligation", ["add", "obligation", "--country", "BET", "--treaty", "apmbc", "--article",
                        "Art. 4", "--original-deadline", "2008-11-01", "--completed", "2007-05-02",
                        "--source", "src-a", "--dry-run", "--facts", FIX], (0,)),
    ("add extension", ["add", "extension", "--country", "THE", "--treaty", "apmbc", "--article",
                       "Art. 5", "--outcome", "granted", "--new-deadline", "2026-06-01",
                       "--requested", "2016-03-02", "--requested-year", "2016", "--requested-text", "T",
                       "--granted-by", "15MSP", "--granted", "2016-06-02", "--granted-year", "2016",
                       "--note", "N.", "--source", "src-a", "--facts", FIX], (0,)),
    ("add extension", ["add", "extension", "--country", "THE", "--treaty", "apmbc", "--article",
                       "Art. 5", "--outcome", "unknown", "--requested-year", "2020",
                       "--source", "src-a", "--dry-run", "--facts", FIX], (0,)),
    ("add retained", ["add", "retained", "--country", "BET", "--treaty", "apmbc", "--mines-retained",
                      "120", "--figure-kind", "reported", "--year", "2024", "--note", "N.",
                      "--source", "src-a", "--facts", FIX], (0,)),
    ("add retained", ["add", "retained", "--country", "BET", "--treaty", "apmbc", "--mines-retained",
                      "0", "--figure-kind", "declared", "--source", "src-a", "--dry-run",
                      "--facts", FIX], (0,)),
    ("add edition", ["add", "edition", "--id", "rep2026", "--title", "Report 2026", "--publisher", "P",
                     "--covers", "2025", "--published", "2026-06-01", "--note", "N.",
                     "--source", "src-a", "--facts", FIX], (0,)),
    ("add edition", ["add", "edition", "--id", "rep2027", "--title", "Report 2027", "--publisher", "P",
                     "--covers", "2026", "--source", "src-a", "--dry-run", "--facts", FIX], (0,)),
    ("add casualty", ["add", "casualty", "--scope", "Gammaland", "--year", "2024", "--weapon",
                      "cluster_munitions", "--edition", "rep2025", "--killed", "1", "--injured", "2",
                      "--total", "4", "--civilian-pct", "75", "--secondary", "--note", "N.",
                      "--source", "src-a", "--facts", FIX], (0,)),
    ("add casualty", ["add", "casualty", "--scope", "world", "--year", "2012", "--weapon",
                      "cluster_munitions", "--edition", "rep2013", "--total", "4", "--source", "src-a", "--dry-run",
                      "--facts", FIX], (0,)),
    ("add contamination", ["add", "contamination", "--scope", "Gammaland", "--weapon", "ap_mines",
                           "--edition", "rep2025", "--area-km2", "2.5", "--area-kind", "suspected",
                           "--secondary", "--note", "N.", "--source", "src-a", "--facts", FIX], (0,)),
    ("add contamination", ["add", "contamination", "--scope", "world", "--weapon", "cluster_munitions",
                           "--edition", "rep2025", "--states-and-areas", "9", "--states", "7",
                           "--other-areas", "2", "--at-least", "--source", "src-a", "--dry-run",
                           "--facts", FIX], (0,)),
    ("search", ["search", "alpha", "--facts", FIX], (0,)),
    ("search", ["search", "nothing-like-this", "--facts", FIX], (0,)),
    ("export", ["export", "--sqlite", "{tmp}/x.db", "--csv", "{tmp}/csv", "--facts", FIX], (0,)),
    ("verify", ["verify", str(UN / "apmbc-cut.en.xml"), "--as-at", "2018-01-15",
                "--facts", str(UN / "facts")], (0, 4)),
    ("verify", ["verify", str(UN / "ccm-withdrawal.en.xml"), str(UN / "apmbc-status.html"),
                "--as-at", "2018-01-15"], (0, 4)),
    ("map", ["map", "--on", "2005"], (0,)),
    ("map", ["map", "--changes", "2025", "2026", "--treaty", "ccm"], (0,)),
    ("map", ["map", "--on", "2005", "-o", "{tmp}/m.svg"], (0,)),
    ("map", ["map", "--changes", "2025", "2026", "-o", "{tmp}/c.html"], (0,)),
    ("chart parties", ["chart", "parties", "--facts", FIX], (0,)),
    ("chart parties", ["chart", "parties", "--treaty", "ccm", "-o", "{tmp}/p.svg", "--facts", FIX], (0,)),
    ("chart casualties", ["chart", "casualties", "--facts", FIX], (0,)),
    ("chart casualties", ["chart", "casualties", "--weapon", "cluster_munitions", "--on", "2019"], (0,)),
    ("chart casualties", ["chart", "casualties", "-o", "{tmp}/c.svg", "--facts", FIX], (0,)),
    ("chart funding", ["chart", "funding", "--facts", FIX], (0,)),
    ("chart funding", ["chart", "funding", "--on", "2019"], (0,)),
    ("chart funding", ["chart", "funding", "-o", "{tmp}/f.html"], (0,)),
    ("schema", ["schema"], (0,)),
    ("schema", ["schema", "chart", "parties"], (0,)),
]


def run(argv: list[str], tmp_path: Path, monkeypatch) -> tuple[int, str]:
    facts = tmp_path / "facts"
    if not facts.exists():
        shutil.copytree(FIXTURE_FACTS, facts)
    monkeypatch.setenv("LANDMINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(dates, "today", lambda: FIXTURE_TODAY)
    args = [a.replace("{facts}", str(facts)).replace("{tmp}", str(tmp_path)) for a in argv]
    if any(a.startswith("{defect:") for a in args):
        from test_validate import build_case

        args = [str(build_case(a[8:-1], tmp_path)) if a.startswith("{defect:") else a for a in args]
    result = CliRunner().invoke(app, [*args, "--json"])
    return result.exit_code, result.stdout


def test_every_command_in_the_registry_has_a_schema():
    assert set(registry()) == set(schemas.COMMANDS)
    assert schemas.names() == list(schemas.COMMANDS)


def test_every_command_in_the_registry_is_run_here():
    assert {name for name, _, _ in CASES} == set(registry())


@pytest.mark.parametrize(("command", "argv", "codes"), CASES,
                         ids=[" ".join(argv[:4]) for _, argv, _ in CASES])
def test_json_output_validates_against_its_schema(command, argv, codes, tmp_path, monkeypatch):
    code, stdout = run(argv, tmp_path, monkeypatch)
    assert code in codes, stdout
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(command).iter_errors(json.loads(stdout))]
    assert errors == []


@pytest.mark.parametrize("command", schemas.names())
def test_every_schema_is_a_valid_draft_2020_12_schema(command):
    schema = schemas.schema_of(command)
    Draft202012Validator.check_schema(schema)
    assert schema["title"] == f"landmine {command} --json"


# --- the schemas can fail ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def status_doc(real_base):
    from landmine_cli import queries

    return queries.status(real_base, "MNE", __import__("datetime").date(2005, 12, 31))


def errors(command: str, doc) -> list[str]:
    return [e.message for e in validator(command).iter_errors(doc)]


def test_a_valid_document_passes(status_doc):
    assert errors("status", json.loads(json.dumps(status_doc))) == []


def test_an_extra_key_fails(status_doc):
    doc = json.loads(json.dumps(status_doc))
    doc["treaties"][0]["colour"] = "red"
    assert errors("status", doc) == ["Additional properties are not allowed ('colour' was unexpected)"]
    doc = json.loads(json.dumps(status_doc))
    doc["extra"] = 1
    assert errors("status", doc)


def test_a_missing_key_fails(status_doc):
    doc = json.loads(json.dumps(status_doc))
    del doc["treaties"][0]["status_note"]
    assert errors("status", doc) == ["'status_note' is a required property"]


def test_a_date_that_is_not_a_date_fails(status_doc):
    doc = json.loads(json.dumps(status_doc))
    doc["as_of"] = "31 December 2005"
    assert errors("status", doc) == ["'31 December 2005' is not a 'date'"]


def test_an_unknown_status_fails(status_doc):
    doc = json.loads(json.dumps(status_doc))
    doc["treaties"][0]["status"] = "maybe"
    assert len(errors("status", doc)) == 1


def test_a_list_answer_with_a_wrong_row_fails(real_base):
    from landmine_cli import queries

    rows = json.loads(json.dumps(queries.treaties(real_base, __import__("datetime").date(2005, 1, 1))))
    assert errors("treaties", rows) == []
    rows[1]["states"] = "195"
    assert errors("treaties", rows) == ["'195' is not of type 'integer'"]


# --- the schema command --------------------------------------------------------------------------


def test_schema_lists_the_commands_in_every_format(real_cli):
    table = real_cli("schema")
    assert table.exit_code == 0
    assert "add event" in table.stdout and "chart parties" in table.stdout
    assert real_cli.json("schema") == schemas.listing()
    for fmt in ("jsonl", "csv", "markdown"):
        result = real_cli("schema", "--format", fmt)
        assert result.exit_code == 0 and "cache clear" in result.stdout


def test_schema_of_a_command_is_json_in_any_format(real_cli):
    table = real_cli("schema", "non-members")
    assert table.exit_code == 0
    assert json.loads(table.stdout) == schemas.schema_of("non-members")
    assert real_cli.json("schema", "cache", "clear")["title"] == "landmine cache clear --json"


def test_schema_of_an_unknown_command_is_a_usage_error(real_cli):
    result = real_cli("schema", "nonmembers")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Error: 'nonmembers' is not a command with JSON output" in result.stderr
    assert "non-members" in result.stderr


def test_schema_help(real_cli):
    result = real_cli("schema", "--help")
    assert result.exit_code == 0
    assert "Example: landmine schema " in result.stdout and "--json" in result.stdout


def test_no_other_command_loads_pydantic_or_the_schemas(tmp_path):
    import os
    import subprocess
    import sys

    code = ("import sys; from landmine_cli.cli import app; "
            "sys.argv = ['landmine', 'treaties', '--json', '--facts', sys.argv[1]]\n"
            "try: app()\nexcept SystemExit: pass\n"
            "print(sorted(m for m in ('pydantic', 'landmine_cli.schemas') if m in sys.modules))")
    env = dict(os.environ, LANDMINE_CACHE_DIR=str(tmp_path), LANDMINE_TODAY="2026-06-30")
    run = lambda: subprocess.run([sys.executable, "-c", code, str(REAL_FACTS)], env=env,  # noqa: E731
                                 capture_output=True, text=True, check=True).stdout.splitlines()[-1]
    run()  # the first run builds the cache (and validates with pydantic)
    assert run() == "[]"


def test_new_parts_of_the_contract_can_fail(real_base):
    import datetime as dt

    from landmine_cli import funding, queries

    doc = json.loads(json.dumps(queries.status(real_base, "USA", dt.date(2026, 1, 1))))
    assert errors("status", doc) == []
    event = next(e for t in doc["treaties"] for e in t["events"] if e["counterpart"] is not None)
    del event["counterpart"]
    assert errors("status", doc) == ["'counterpart' is a required property"]
    doc = json.loads(json.dumps(queries.status(real_base, "UKR", dt.date(2026, 1, 1))))
    obligation = next(o for t in doc["treaties"] for o in t["obligations"])
    obligation["status"] = "late"
    assert len(errors("status", doc)) == 1
    obligation["status"] = "due"
    del doc["figures"]
    assert errors("status", doc) == ["'figures' is a required property"]
    money = json.loads(json.dumps(funding.funding(real_base)))
    assert errors("funding", money) == []
    money["contributions"][0]["edition_published"] = "2024"
    assert errors("funding", money) == ["'2024' is not valid under any of the given schemas"]  # date or null
