"""`landmine add`: records validated before writing, written atomically, read back."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REAL_FACTS, child_env, snapshot
from landmine_cli import edit, store
from landmine_cli.cli import app
from landmine_cli.errors import WriteError


@pytest.fixture
def real_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the real facts in a folder named facts, the current folder its parent."""
    target = tmp_path / "facts"
    shutil.copytree(REAL_FACTS, target)
    monkeypatch.chdir(tmp_path)
    return target


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_add_source_then_event_then_read_back(real_copy):
    source = run(
        "add", "source", "--url", "https://example.org/poland-2026", "--publisher", "Example Wire",
        "--title", "Poland leaves", "--published", "2026-11-20", "--facts", str(real_copy), "--json",
    )
    assert source.exit_code == 0, source.stderr
    added = json.loads(source.stdout)
    assert added == {
        "path": "facts/sources.toml",
        "table": "sources",
        "id": "example-wire-2026-11-20",
        "record": {"id": "example-wire-2026-11-20", "publisher": "Example Wire",
                   "title": "Poland leaves", "url": "https://example.org/poland-2026",
                   "published": "2026-11-20"},
        "written": True,
    }
    event = run(
        "add", "event", "--country", "Poland", "--treaty", "ottawa", "--type", "statement",
        "--date", "2026-11-21", "--source", "example-wire-2026-11-20", "--note", "A new step.",
        "--facts", str(real_copy),
    )
    assert (event.exit_code, event.stdout) == (0, "Added to facts/countries/pol.toml (events).\n")
    doc = json.loads(run("status", "POL", "--on", "2026-11-26", "--json", "--facts", str(real_copy)).stdout)
    last = doc["treaties"][0]["events"][-1]
    assert (last["date"], last["note"], last["sources"]) == ("2026-11-21", "A new step.", ["example-wire-2026-11-20"])
    assert "example-wire-2026-11-20" in {s["id"] for s in doc["treaties"][0]["sources"]}
    assert store.load(real_copy)  # still valid
    assert run("validate", "--facts", str(real_copy)).exit_code == 0


def test_events_are_inserted_in_date_order_and_files_stay_canonical(real_copy):
    import tomllib

    import tomli_w

    result = run(
        "add", "event", "--country", "FIN", "--treaty", "apmbc", "--type", "statement",
        "--date", "2025-06-20", "--source", "dpa-finland-parliament", "--facts", str(real_copy),
    )
    assert result.exit_code == 0, result.stderr
    text = (real_copy / "countries" / "fin.toml").read_text()
    dates = [e["date"].isoformat() for e in tomllib.loads(text)["events"] if e["treaty"] == "apmbc"]
    assert dates == sorted(dates) and "2025-06-20" in dates
    assert tomli_w.dumps(tomllib.loads(text)) == text


def test_add_reason_and_read_it_back(real_copy):
    result = run(
        "add", "reason", "--country", "Latvia", "--treaty", "apmbc", "--date", "2025-06-27",
        "--summary", "A reason in our own words.", "--source", "leta-2025-04-16",
        "--facts", str(real_copy),
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(run("withdrawals", "--json", "--on", "2026-11-26", "--facts", str(real_copy)).stdout)
    latvia = next(r for r in rows if r["iso3"] == "LVA")
    assert latvia["reasons"][-1] == "A reason in our own words."


def test_add_funding_and_read_it_back(real_copy):
    # A later edition's figure for 2023: shown as the 2023 figure, naming the one it revises.
    result = run(
        "add", "funding", "--donor", "United States", "--year", "2023", "--amount-usd", "300000000",
        "--edition", "lm2025", "--source", "icbl-2025-01-30-us-funds", "--facts", str(real_copy),
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(run("funding", "--donor", "USA", "--since", "2022", "--json", "--facts", str(real_copy)).stdout)
    assert [(c["year"], c["amount_usd"], c["edition"], c["revises_edition"]) for c in doc["contributions"]] == [
        (2022, 310_200_000, "lm2023", None),
        (2023, 300_000_000, "lm2025", "lm2024"),
    ]


def test_add_funding_keeps_the_edition_and_caveats_and_a_revision_beside_the_first(real_copy):
    args = ("add", "funding", "--donor", "EU", "--year", "2022", "--source", "monitor-lm2023-sma",
            "--facts", str(real_copy))
    # EU 2022 is recorded from lm2023: a later edition's figure is a revision beside it.
    result = run(*args, "--amount-usd", "125000000", "--edition", "lm2024", "--rank", "2",
                 "--share-pct", "15.5", "--approximate", "--lower-bound", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["record"] == {
        "donor": "EU", "year": 2022, "amount_usd": 125_000_000, "sources": ["monitor-lm2023-sma"],
        "share_pct": 15.5, "edition": "lm2024", "lower_bound": True, "approximate": True, "rank": 2}
    eu = [r for r in store.load(real_copy).contributions if (r.donor, r.year) == ("EU", 2022)]
    assert sorted((r.edition, r.amount_usd) for r in eu) == [("lm2023", 124_000_000), ("lm2024", 125_000_000)]
    again = run(*args, "--amount-usd", "1", "--edition", "lm2023")
    assert again.exit_code == 3
    assert "duplicate contribution of EU for 2022 from the same edition" in again.stderr


def test_add_funding_where_a_gap_is_recorded_names_the_gap(real_copy):
    gap = next(g for g in store.load(real_copy).funding_gaps if g.kind == "contribution")
    result = run("add", "funding", "--donor", gap.donor, "--year", str(gap.year), "--amount-usd", "1",
                 "--edition", gap.edition, "--source", "icbl-2025-01-30-us-funds", "--facts", str(real_copy))
    assert result.exit_code == 3
    assert f"a gap for {gap.year} beside a figure from the same edition" in result.stderr
    # The line is the gap's, in the file as it is (not as it would be with the record).
    line = int(result.stderr.split("funding.toml:")[1].split(":")[0])
    lines = (real_copy / "funding.toml").read_text(encoding="utf-8").splitlines()
    assert lines[line - 1] == f"year = {gap.year}" and lines[line] == 'kind = "contribution"'
    assert "remove this record" in result.stderr


def test_a_problem_in_the_record_being_added_is_named_as_such(real_copy):
    result = run("add", "funding", "--donor", "Japan", "--year", "2023", "--amount-usd", "1",
                 "--edition", "lm2099", "--source", "monitor-lm2023-sma", "--facts", str(real_copy))
    assert result.exit_code == 3
    assert "facts/funding.toml: edition: unknown edition 'lm2099' (in the record being added)" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "no-such-source"], "unknown source 'no-such-source'"),
        (["--source", "monitor-pol-mbp", "--date", "2026-02-20", "--type", "withdrawal_effective"],
         "duplicate withdrawal_effective event on 2026-02-20"),
    ],
)
def test_invalid_or_duplicate_records_are_refused_and_nothing_changes(real_copy, args, message):
    before = snapshot(real_copy)
    defaults = {"--country": "Poland", "--treaty": "apmbc", "--type": "statement", "--date": "2026-03-01"}
    for flag, value in zip(args[::2], args[1::2]):
        defaults[flag] = value
    argv = ["add", "event", *[x for kv in defaults.items() for x in kv]]
    if "--source" not in defaults:
        argv += ["--source", "monitor-pol-mbp"]
    result = run(*argv, "--facts", str(real_copy))
    assert result.exit_code == 3
    assert result.stdout == ""
    assert message in result.stderr
    assert snapshot(real_copy) == before


def test_bad_type_or_date_is_a_usage_error(real_copy):
    before = snapshot(real_copy)
    for extra in (["--type", "left"], ["--date", "2026-02"]):
        argv = {"--type": "statement", "--date": "2026-03-01"} | dict([extra])
        result = run("add", "event", "--country", "POL", "--treaty", "apmbc", "--source",
                     "monitor-pol-mbp", *[x for kv in argv.items() for x in kv], "--facts", str(real_copy))
        assert result.exit_code == 2 and result.stderr.startswith("Error: ")
    assert snapshot(real_copy) == before


def test_dry_run_prints_the_toml_and_writes_nothing(real_copy):
    before = snapshot(real_copy)
    result = run("add", "event", "--country", "POL", "--treaty", "apmbc", "--type", "statement",
                 "--date", "2026-03-01", "--source", "monitor-pol-mbp", "--dry-run", "--facts", str(real_copy))
    assert result.exit_code == 0
    assert result.stdout == (
        "# would be added to facts/countries/pol.toml\n"
        '[[events]]\ntreaty = "apmbc"\ntype = "statement"\ndate = 2026-03-01\n'
        'sources = [\n    "monitor-pol-mbp",\n]\n'
    )
    assert snapshot(real_copy) == before


@pytest.fixture
def installed(tmp_path: Path) -> Path:
    """A copy of the package laid out as a wheel installs it: the facts inside the package."""
    site = tmp_path / "site"
    package = Path(store.__file__).parent
    shutil.copytree(package, site / "landmine_cli", ignore=shutil.ignore_patterns("__pycache__", "facts"))
    shutil.copytree(REAL_FACTS, site / "landmine_cli" / "facts")
    return site


@pytest.mark.parametrize("where", [[], ["--facts", "{bundled}"]])
def test_the_shipped_copy_is_read_only(installed, where, tmp_path):
    bundled = installed / "landmine_cli" / "facts"
    before = snapshot(bundled)
    argv = ["add", "source", "--url", "https://example.org", "--publisher", "X", "--title", "Y"]
    argv += [arg.format(bundled=bundled) for arg in where]
    result = subprocess.run(
        [sys.executable, "-m", "landmine_cli", *argv],
        cwd=tmp_path,
        env=child_env(PYTHONPATH=str(installed)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr.startswith("Error: the fact base installed with the package is read-only")
    assert snapshot(bundled) == before


def test_hand_written_files_keep_their_comments(real_copy):
    path = real_copy / "countries" / "nor.toml"
    hand = "# Edited by hand: keep this comment.\n" + path.read_text()
    path.write_text(hand)
    result = run("add", "event", "--country", "Norway", "--treaty", "ccm", "--type", "statement",
                 "--date", "2026-01-05", "--source", "monitor-nor-ccm", "--facts", str(real_copy))
    assert result.exit_code == 0, result.stderr
    text = path.read_text()
    assert text.startswith(hand)
    assert text[len(hand):] == '\n[[events]]\ntreaty = "ccm"\ntype = "statement"\ndate = 2026-01-05\nsources = [\n    "monitor-nor-ccm",\n]\n'
    assert store.load(real_copy)


def test_a_failure_between_write_and_rename_changes_nothing(real_copy, monkeypatch):
    before = snapshot(real_copy)

    def crash(src, dst):
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)
    change = edit.plan(real_copy, "countries/pol.toml", "events",
                       {"treaty": "apmbc", "type": "statement", "date": __import__("datetime").date(2026, 3, 1),
                        "sources": ["monitor-pol-mbp"]})
    with pytest.raises(WriteError, match="disk gone"):  # one clear message, exit 5
        edit.apply(change)
    assert snapshot(real_copy) == before  # and no temporary file is left behind
    assert store.load(real_copy)


def test_killed_mid_write_leaves_the_old_file(real_copy):
    # A real process, killed by SIGKILL after writing the temporary file and before the rename.
    before = (real_copy / "countries" / "pol.toml").read_bytes()
    script = (
        "import os, signal, sys\n"
        "real_replace = os.replace\n"
        "def replace(src, dst):\n"
        "    if str(dst).endswith('.toml'):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    real_replace(src, dst)\n"
        "os.replace = replace\n"
        "from landmine_cli import main\n"
        "sys.argv = ['landmine', 'add', 'event', '--country', 'POL', '--treaty', 'apmbc', "
        "'--type', 'statement', '--date', '2026-03-01', '--source', 'monitor-pol-mbp', "
        f"'--facts', {str(real_copy)!r}]\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60, env=child_env())
    assert result.returncode == -signal.SIGKILL
    assert (real_copy / "countries" / "pol.toml").read_bytes() == before
    leftovers = [p.name for p in (real_copy / "countries").iterdir() if not p.name.endswith(".toml")]
    assert len(leftovers) == 1 and leftovers[0].endswith(".tmp")  # ignored by the loader
    assert store.load(real_copy)


def test_add_funding_event_and_read_it_back(real_copy):
    result = run(
        "add", "funding-event", "--date", "2026-11-01", "--type", "cut", "--donor", "USA",
        "--summary", "A made-up cut, for the test.", "--source", "icbl-2025-01-30-us-funds",
        "--facts", str(real_copy),
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(run("funding", "--since", "2026", "--json", "--facts", str(real_copy)).stdout)
    assert ("2026-11-01", "cut", "USA") in [(e["date"], e["type"], e["donor"]) for e in doc["events"]]
    bad = run("add", "funding-event", "--date", "2026-11-01", "--type", "boom", "--summary", "x",
              "--source", "icbl-2025-01-30-us-funds", "--facts", str(real_copy))
    assert bad.exit_code == 2


@pytest.mark.parametrize(("extra", "message"), [
    ([], "Missing option '--edition'"),
    (["--edition", "lm2024", "--rank", "0"], "--rank"),
])
def test_add_funding_needs_its_edition_and_a_rank_from_1(real_copy, extra, message):
    result = run("add", "funding", "--donor", "Japan", "--year", "2023", "--amount-usd", "1",
                 "--source", "monitor-lm2023-sma", "--facts", str(real_copy), "--dry-run", *extra)
    assert result.exit_code == 2 and message in result.stderr


def test_a_problem_is_located_right_when_the_record_goes_before_a_twin(real_copy):
    """Events go in date order; the next record may start with the same lines as the new
    one, which must not shift where a problem is said to be."""
    new = run("add", "event", "--country", "USA", "--treaty", "apmbc", "--type", "transfer",
              "--date", "2024-11-30", "--source", "dw-2024-12-02-ukraine", "--facts", str(real_copy),
              "--dry-run")
    assert new.exit_code == 3
    assert new.stderr.startswith("facts/countries/usa.toml: type: a transfer needs a counterpart")
    assert "(in the record being added)" in new.stderr
    old = run("add", "event", "--country", "Poland", "--treaty", "apmbc", "--type", "ratified",
              "--date", "2012-12-26", "--source", "monitor-pol-mbp", "--facts", str(real_copy), "--dry-run")
    assert old.exit_code == 3 and "(in the record being added)" not in old.stderr
    line = int(old.stderr.split("pol.toml:")[1].split(":")[0])
    lines = (real_copy / "countries" / "pol.toml").read_text(encoding="utf-8").splitlines()
    assert lines[line - 1] == 'type = "ratified"'
