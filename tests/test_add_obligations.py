"""`landmine add obligation` and `add extension`: a state's deadline records, validated
against the treaty rules before the locked atomic write, duplicates refused."""

from __future__ import annotations

import datetime as dt
import json
import tomllib

import pytest
from typer.testing import CliRunner

from conftest import snapshot
from landmine_cli import edit, store
from landmine_cli.cli import app


def run(*args: str):
    return CliRunner().invoke(app, list(args))


# Betaland entered the APMBC into force on 2004-11-01: Art. 4 gives four years.
OBLIGATION = ("add", "obligation", "--country", "Betaland", "--treaty", "apmbc", "--article", "Art. 4",
              "--original-deadline", "2008-11-01", "--source", "src-a")


def test_add_obligation_lands_and_reads_back(facts_copy):
    result = run(*OBLIGATION, "--completed", "2007-05-02", "--mines-destroyed", "0",
                 "--note", "Fixture: destroyed early.", "--facts", str(facts_copy), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "path": "facts/countries/bet.toml",
        "table": "obligations",
        "id": None,
        "record": {"treaty": "apmbc", "article": "Art. 4", "original_deadline": "2008-11-01",
                   "sources": ["src-a"], "completed": "2007-05-02", "mines_destroyed": 0,
                   "note": "Fixture: destroyed early."},
        "written": True,
    }
    rows = tomllib.loads((facts_copy / "countries" / "bet.toml").read_text())["obligations"]
    assert [(r["article"], r.get("completed")) for r in rows] == [
        ("Art. 5", None), ("Art. 4", dt.date(2007, 5, 2))]
    base = store.load(facts_copy)
    [stock] = [o for o in base.obligations["BET"] if o.article == "Art. 4"]
    assert stock.mines_destroyed == 0  # a count of zero is a fact, kept
    assert run("validate", "--facts", str(facts_copy)).exit_code == 0


def test_add_extension_lands_and_moves_the_deadline(facts_copy):
    result = run("add", "extension", "--country", "THE", "--treaty", "apmbc", "--article", "Art. 5",
                 "--outcome", "granted", "--new-deadline", "2026-06-01", "--requested", "2016-03-01",
                 "--granted-by", "15MSP", "--granted", "2016-06-02", "--source", "src-a",
                 "--facts", str(facts_copy))
    assert (result.exit_code, result.stdout) == (0, "Added to facts/countries/the.toml (extensions).\n")
    rows = tomllib.loads((facts_copy / "countries" / "the.toml").read_text())["extensions"]
    assert rows[-1] == {"treaty": "apmbc", "article": "Art. 5", "outcome": "granted",
                        "sources": ["src-a"], "new_deadline": dt.date(2026, 6, 1),
                        "requested": dt.date(2016, 3, 1), "granted_by": "15MSP",
                        "granted": dt.date(2016, 6, 2)}


def test_a_wrong_original_deadline_is_refused_with_the_rule(facts_copy):
    before = snapshot(facts_copy)
    args = list(OBLIGATION)
    args[args.index("2008-11-01")] = "2008-11-02"
    result = run(*args, "--facts", str(facts_copy))
    assert result.exit_code == 3
    assert result.stderr == (
        "facts/countries/bet.toml: original_deadline: 2008-11-02 contradicts Art. 4: entry into "
        "force on 2004-11-01 gives 2008-11-01 (record a sourced rule_exception if it is right) "
        "(in the record being added)\n"
        "Error: the fact base has 1 problem\n"
    )
    assert snapshot(facts_copy) == before


def test_an_extension_beyond_the_article_is_refused(facts_copy):
    before = snapshot(facts_copy)
    result = run("add", "extension", "--country", "THE", "--treaty", "apmbc", "--article", "Art. 5",
                 "--outcome", "granted", "--new-deadline", "2026-06-02", "--source", "src-a",
                 "--facts", str(facts_copy))
    assert result.exit_code == 3
    assert "2026-06-02 is more than 10 years after the deadline it extends (2016-06-01)" in result.stderr
    assert snapshot(facts_copy) == before


def test_a_duplicate_obligation_is_refused_with_exit_3(facts_copy):
    before = snapshot(facts_copy)
    result = run("add", "obligation", "--country", "BET", "--treaty", "apmbc", "--article", "Art. 5",
                 "--original-deadline", "2014-11-01", "--source", "src-b", "--facts", str(facts_copy))
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "facts/countries/bet.toml:75: article: duplicate apmbc Art. 5 obligation: one record per "
        "duty (already recorded here; nothing was added)\n")
    assert snapshot(facts_copy) == before


def test_a_duplicate_extension_is_refused_with_exit_3(facts_copy):
    before = snapshot(facts_copy)
    result = run("add", "extension", "--country", "BET", "--treaty", "apmbc", "--article", "Art. 5",
                 "--outcome", "granted", "--new-deadline", "2029-11-01", "--requested-year", "2019",
                 "--granted", "2019-11-30", "--source", "src-a", "--facts", str(facts_copy))
    assert result.exit_code == 3
    assert "duplicate apmbc Art. 5 extension with the same outcome, new deadline and request " \
           "(already recorded here; nothing was added)" in result.stderr
    assert snapshot(facts_copy) == before


def test_an_extension_with_another_request_is_not_a_duplicate():
    doc = {"extensions": [edit.extension_record("apmbc", "Art. 5", "unknown", ["s"], requested_year=2019)]}
    other = edit.extension_record("apmbc", "Art. 5", "unknown", ["s"], requested_year=2020)
    edit._refuse_duplicate("x.toml", "", doc, "extensions", other)  # no error


def test_dry_run_writes_nothing(facts_copy):
    before = snapshot(facts_copy)
    result = run(*OBLIGATION, "--dry-run", "--facts", str(facts_copy))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# would be added to facts/countries/bet.toml\n[[obligations]]\n")
    assert snapshot(facts_copy) == before


@pytest.mark.parametrize(("args", "message"), [
    (["--outcome", "denied"], "--outcome: 'denied' is not one of granted, unknown"),
    (["--outcome", "granted", "--granted", "2019"], "--granted: '2019' must be a full date, YYYY-MM-DD"),
])
def test_extension_options_are_checked(facts_copy, args, message):
    result = run("add", "extension", "--country", "BET", "--treaty", "apmbc", "--article", "Art. 5",
                 *args, "--source", "src-a", "--facts", str(facts_copy))
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize(("option", "value"), [
    ("--original-deadline", "2008-11"), ("--completed-period", "2007-13"), ("--reopened-period", "07"),
])
def test_obligation_options_are_checked(facts_copy, option, value):
    args = list(OBLIGATION)
    if option == "--original-deadline":
        args[args.index("2008-11-01")] = value
    else:
        args += [option, value]
    result = run(*args, "--facts", str(facts_copy))
    assert result.exit_code == 2
    assert option in result.stderr and value in result.stderr


def test_record_builders_refuse_unknown_fields():
    with pytest.raises(ValueError, match="not obligation fields: deadline"):
        edit.obligation_record("apmbc", "Art. 4", None, [], deadline=1)
    with pytest.raises(ValueError, match="not extension fields: granted_on"):
        edit.extension_record("apmbc", "Art. 5", "granted", [], granted_on=1)


@pytest.mark.parametrize("kind", ["obligation", "extension"])
def test_help(kind):
    result = run("add", kind, "--help")
    assert result.exit_code == 0
    assert "--article" in result.stdout and "--dry-run" in result.stdout


RETAINED = ("add", "retained", "--country", "BET", "--treaty", "apmbc", "--mines-retained", "0",
            "--figure-kind", "reported", "--year", "2024", "--source", "src-a")


def test_add_retained_lands_with_a_zero_kept(facts_copy):
    result = run(*RETAINED, "--facts", str(facts_copy), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["record"] == {
        "treaty": "apmbc", "mines_retained": 0, "figure_kind": "reported", "sources": ["src-a"],
        "year": 2024}
    [figure] = store.load(facts_copy).retained["BET"]
    assert (figure.mines_retained, figure.year) == (0, 2024)


def test_a_duplicate_retained_figure_is_refused_and_another_year_is_not(facts_copy):
    assert run(*RETAINED, "--facts", str(facts_copy)).exit_code == 0
    before = snapshot(facts_copy)
    again = list(RETAINED)
    again[again.index("0")] = "7"  # another number for the same year and kind
    result = run(*again, "--facts", str(facts_copy))
    assert result.exit_code == 3
    assert "mines_retained: duplicate apmbc retained-mines figure of kind 'reported' for 2024 " \
           "(already recorded here; nothing was added)" in result.stderr
    assert snapshot(facts_copy) == before
    again[again.index("2024")] = "2023"
    assert run(*again, "--facts", str(facts_copy)).exit_code == 0


def test_retained_dry_run_writes_nothing(facts_copy):
    before = snapshot(facts_copy)
    result = run(*RETAINED, "--dry-run", "--facts", str(facts_copy))
    assert result.exit_code == 0, result.stderr
    assert "[[retained]]\ntreaty = \"apmbc\"\nmines_retained = 0\n" in result.stdout
    assert snapshot(facts_copy) == before


def test_retained_help():
    result = run("add", "retained", "--help")
    assert result.exit_code == 0 and "--mines-retained" in result.stdout
