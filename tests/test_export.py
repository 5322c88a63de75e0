"""Exports: reproducible SQLite and CSV whose answers agree with the CLI for every state."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REAL_FACTS
from landmine_cli import store
from landmine_cli.cli import app


# The day the exported standing is computed for (recorded in the database's meta table).
AS_OF = "2026-01-31"


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "landmine.db"
    run("export", "--sqlite", str(path), "--on", AS_OF)
    return path


def test_same_facts_give_byte_identical_files(tmp_path):
    run("export", "--sqlite", str(tmp_path / "a.db"), "--csv", str(tmp_path / "a"), "--on", AS_OF)
    run("export", "--sqlite", str(tmp_path / "b.db"), "--csv", str(tmp_path / "b"), "--on", AS_OF)
    assert (tmp_path / "a.db").read_bytes() == (tmp_path / "b.db").read_bytes()
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_tables_keys_and_indexes(database):
    db = sqlite3.connect(database)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"countries", "treaties", "events", "reasons", "funding", "funding_events", "sources"} <= tables
    views = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
    assert {"membership", "withdrawals", "non_members"} <= views
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'index'").fetchone()[0] >= 6
    assert db.execute("SELECT count(*) FROM countries").fetchone()[0] == 197
    fks = db.execute("PRAGMA foreign_key_list(events)").fetchall()
    assert {fk[2] for fk in fks} == {"countries", "treaties"}


def test_membership_agrees_with_status_for_every_state(database):
    db = sqlite3.connect(database)
    today = db.execute("SELECT value FROM meta WHERE key = 'as_of'").fetchone()[0]
    assert today == AS_OF
    membership = {(iso3, treaty): (status, since)
                  for iso3, treaty, status, since in db.execute("SELECT iso3, treaty, status, since FROM membership")}
    codes = sorted({iso3 for iso3, _ in membership})
    assert len(codes) == 197
    for iso3 in codes:
        doc = json.loads(run("status", iso3, "--on", today, "--json").stdout)
        for t in doc["treaties"]:
            assert membership[(iso3, t["treaty"])] == (t["status"], t["since"]), (iso3, t["treaty"])


def test_withdrawals_and_non_members_agree_with_the_cli(database):
    db = sqlite3.connect(database)
    db.row_factory = sqlite3.Row
    today = db.execute("SELECT value FROM meta WHERE key = 'as_of'").fetchone()[0]
    assert today == AS_OF
    keys = ("iso3", "treaty", "kind", "stage", "announced", "approved", "deposited", "effective")
    sql = {tuple(r[k] for k in keys) for r in db.execute("SELECT * FROM withdrawals")}
    cli = {tuple(r[k] for k in keys) for r in json.loads(run("withdrawals", "--on", today, "--json").stdout)}
    assert sql == cli and len(sql) == 8
    keys = ("iso3", "treaty", "status", "since")
    sql = {tuple(r[k] for k in keys) for r in db.execute("SELECT * FROM non_members")}
    cli = {tuple(r[k] for k in keys) for r in json.loads(run("non-members", "--on", today, "--json").stdout)}
    assert sql == cli


def test_csv_files_hold_the_same_tables(tmp_path, database):
    run("export", "--csv", str(tmp_path / "csv"))
    db = sqlite3.connect(database)
    with open(tmp_path / "csv" / "events.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    columns = [c[1] for c in db.execute("PRAGMA table_info(events)")]
    assert rows[0] == columns
    assert len(rows) - 1 == db.execute("SELECT count(*) FROM events").fetchone()[0]


def test_export_needs_a_target(cli):
    result = cli("export")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "Error: export: give --sqlite FILE, --csv DIR or both\n"


def test_an_unwritable_target_is_a_clean_error(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = cli("export", "--sqlite", str(blocker / "x.db"))
    assert result.exit_code == 5 and result.stderr.startswith("Error: export: cannot write")


def test_the_views_answer_for_the_recorded_day_not_the_clock(tmp_path):
    """Two exports of the same facts for different days differ only where the law says so:
    Finland's APMBC withdrawal took effect on 2026-01-10."""
    before, after = tmp_path / "before.db", tmp_path / "after.db"
    run("export", "--sqlite", str(before), "--on", "2026-01-09")
    run("export", "--sqlite", str(after), "--on", "2026-01-10")
    query = "SELECT status, since FROM membership WHERE iso3 = 'FIN' AND treaty = 'apmbc'"
    assert sqlite3.connect(before).execute(query).fetchone() == ("withdrawing", "2025-07-10")
    assert sqlite3.connect(after).execute(query).fetchone() == ("withdrawn", "2026-01-10")
    for path, day in ((before, "2026-01-09"), (after, "2026-01-10")):
        db = sqlite3.connect(path)
        assert db.execute("SELECT value FROM meta WHERE key = 'as_of'").fetchone() == (day,)
        views = db.execute("SELECT sql FROM sqlite_master WHERE type = 'view'").fetchall()
        assert views and not any("now" in sql for (sql,) in views)


@pytest.mark.parametrize(("table", "link", "records"), [
    ("funding_totals", "funding_total", "totals"),
    ("funding", "funding", "contributions"),
    ("funding_recipients", "funding_recipient", "recipients"),
    ("funding_gaps", "funding_gap", "funding_gaps"),
    ("funding_events", "funding_event", "funding_events"),
])
def test_every_funding_record_keeps_its_sources(database, table, link, records):
    base = store.load(REAL_FACTS)
    db = sqlite3.connect(database)
    exported = db.execute(f"SELECT {link}, source FROM {link}_sources ORDER BY {link}, source").fetchall()
    wanted = sorted((n, s) for n, r in enumerate(getattr(base, records), start=1) for s in set(r.sources))
    assert exported == wanted and exported
    assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(getattr(base, records))


def test_funding_events_keep_their_notes(database):
    db = sqlite3.connect(database)
    exported = db.execute("SELECT id, note FROM funding_events WHERE note IS NOT NULL ORDER BY id").fetchall()
    base = store.load(REAL_FACTS).funding_events
    assert exported == [(n, e.note) for n, e in enumerate(base, start=1) if e.note is not None] and exported


def test_per_state_numbers_are_stored_as_numbers(database):
    """Columns of the per-state kinds take their SQL type from the record's annotation: a
    year or a count is an INTEGER (a stringified ForwardRef once made every one TEXT)."""
    db = sqlite3.connect(database)
    declared = {(table, name): kind for table in ("extensions", "obligations", "retained")
                for _, name, kind, *_ in db.execute(f"PRAGMA table_info({table})")}
    assert declared[("extensions", "requested_year")] == "INTEGER"
    assert declared[("obligations", "mines_destroyed")] == "INTEGER"
    assert declared[("retained", "mines_retained")] == "INTEGER"
    assert declared[("obligations", "note")] == "TEXT"
    stored = {t for (t,) in db.execute("SELECT DISTINCT typeof(requested_year) FROM extensions")}
    assert stored == {"integer", "null"}


def test_shown_marks_the_figure_the_cli_gives_for_each_year(database):
    db = sqlite3.connect(database)
    rows = db.execute("SELECT year, amount_usd, edition FROM funding_totals "
                      "WHERE scope = 'international' AND shown = 1 ORDER BY year").fetchall()
    assert len({year for year, *_ in rows}) == len(rows)  # one figure a year
    doc = json.loads(run("funding", "--on", AS_OF, "--json").stdout)
    assert rows == [(t["year"], t["amount_usd"], t["edition"]) for t in doc["totals"]]
    assert (2017, 696_300_000, "lm2019") in rows and (2017, 673_200_000, "lm2018") not in rows
    revised = db.execute("SELECT shown FROM funding_totals WHERE year = 2017 AND edition = 'lm2018' "
                         "AND scope = 'international'").fetchone()
    assert revised == (0,)
    shown = {(d, y, e) for d, y, e in db.execute("SELECT donor, year, edition FROM funding WHERE shown = 1")}
    everything = json.loads(run("funding", "--since", "1990", "--on", AS_OF, "--json").stdout)
    assert shown == {(c["donor"], c["year"], c["edition"]) for c in everything["contributions"]}


@pytest.mark.parametrize("option", ["--sqlite", "--csv"])
def test_a_mistyped_folder_is_refused_not_created(cli, tmp_path, option):
    target = tmp_path / "no-such-folder" / "out"
    result = cli("export", option, str(target))
    assert result.exit_code == 5
    assert result.stderr == (f"Error: export: cannot write {target}: no folder {target.parent} "
                             "(create it first)\n")
    assert not target.parent.exists()


def test_a_pipe_behind_dev_stdout_is_named_as_a_pipe(tmp_path):
    import subprocess
    import sys

    from conftest import child_env

    done = subprocess.run([sys.executable, "-m", "landmine_cli", "export", "--sqlite", "/dev/stdout"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60,
                          env=child_env(LANDMINE_CACHE_DIR=str(tmp_path / "cache")))
    assert done.returncode == 5 and done.stdout == ""
    assert done.stderr == "Error: export: cannot write /dev/stdout: not a regular file (a pipe)\n"
