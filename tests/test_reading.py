"""Answers that read well (issue 14): words instead of tokens in tables, tables that add
up, whole-word search, empty periods, dates as people type them, paths people can open."""

from __future__ import annotations

import json
import re

import pytest

from landmine_cli import views
from landmine_cli.law import WITHDRAWAL_STAGES
from landmine_cli.models import EventType, FundingEventType, Status, Weapon
from landmine_cli.schemas import OBLIGATION_EVENTS, ObligationStatus
from test_formats import COMMANDS, EXIT_CODES, example  # noqa: F401 (example is a fixture)

# Every enum token of more than one word, as a whole word in a table.
TOKENS = sorted(
    {str(v) for enum in (Status, EventType, FundingEventType, Weapon) for v in enum if "_" in str(v)}
    | {t for t in (*OBLIGATION_EVENTS, *ObligationStatus.__args__) if "_" in t}
    | {"funding_event"}
)
RAW_TOKEN = re.compile(r"(?<![\w-])(" + "|".join(TOKENS) + r")(?![\w-])")


# --- tokens become words in tables; JSON keeps the tokens --------------------------------

def test_label_turns_every_token_into_words():
    values = [*Status, *EventType, *FundingEventType, *Weapon, *WITHDRAWAL_STAGES.values()]
    for token in map(str, values):
        assert "_" not in views.label(token)
    assert views.label("not_joined") == "not joined"
    assert views.label("mines_erw") == "mines/ERW"
    assert views.label("entered_into_force*") == "entered into force*"


@pytest.mark.parametrize("name", [n for n in COMMANDS if n != "validate"])
def test_no_table_shows_a_raw_token(cli, example, name):
    result = cli(*example(name))
    assert result.exit_code == EXIT_CODES.get(name, 0), result.stderr
    if result.stdout.startswith("# would be added to "):
        # An add's dry run prints the TOML it would write, which holds the tokens as stored
        # (add casualty's weapon = "mines_erw"): not a table.
        return
    assert not RAW_TOKEN.search(result.stdout), RAW_TOKEN.search(result.stdout)


@pytest.mark.parametrize("args", [
    ["funding"], ["non-members", "--on", "2026-06-30"], ["status", "Finland", "--on", "2026-06-30"],
    ["timeline", "Finland", "--on", "2026-06-30"],
    ["changes", "--from", "2025-01", "--to", "2026-03"], ["treaties", "--on", "2025-12-26"],
    ["withdrawals", "--on", "2026-06-30"], ["search", "suspension"],
    ["status", "Ukraine", "--on", "2026-06-30"], ["obligations", "--on", "2026-06-30"],
    ["changes", "--from", "2019", "--to", "2021"], ["figures"], ["figures", "--metric", "contamination"],
])
def test_no_table_of_the_real_facts_shows_a_raw_token(real_cli, args):
    result = real_cli(*args)
    assert result.exit_code == 0, result.stderr
    assert not RAW_TOKEN.search(result.stdout), RAW_TOKEN.search(result.stdout)


def test_json_and_csv_keep_the_tokens(cli):
    rows = json.loads(cli("non-members", "--treaty", "ccm", "--json").stdout)
    assert "not_joined" in {r["status"] for r in rows}
    assert ",not_joined," in cli("non-members", "--treaty", "ccm", "--format", "csv").stdout
    table = cli("non-members", "--treaty", "ccm").stdout
    assert "CCM: 4 not joined," in table and "not_joined" not in table


def test_a_status_shown_as_words_keeps_its_colour():
    from landmine_cli.output import STATUS, Column, Table, render

    spec = Table([Column("status", "Status", STATUS)], [{"status": "not joined"}, {"status": "not_joined"}])
    text = render([spec], None, paint=lambda text, style: f"<{style}>{text}")
    assert "<magenta>not joined" in text and "<magenta>not_joined" in text


# --- search matches whole words and phrases, and names the treaty ------------------------

def _search(cli, text):
    result = cli("search", text, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_search_matches_whole_words_not_parts_of_words(real_cli, real_base):
    rows = _search(real_cli, "US")
    assert "Australia" not in {r["country"] for r in rows}
    assert {r["iso3"] for r in rows if r["kind"] == "country"} == {"USA"}
    from landmine_cli.countries import normalize

    for row in rows:
        if row["kind"] == "country":
            continue
        # A source also matches by its URL, which its row's text (publisher: title) leaves out.
        found = row["text"] + (f" {real_base.sources[row['sources'][0]].url}" if row["kind"] == "source" else "")
        assert re.search(r"\bus\b", normalize(found)), found


def test_search_alpha_finds_the_alias_not_the_longer_name(cli):
    rows = _search(cli, "alpha")
    assert [(r["kind"], r["iso3"]) for r in rows] == [("country", "ALP")]
    assert {r["kind"] for r in _search(cli, "Alphaland")} == {"country", "funding_event"}


def test_search_matches_a_phrase_in_order(real_cli):
    assert [r["iso3"] for r in _search(real_cli, "Vienna Convention")] == ["UKR"]
    assert _search(real_cli, "Convention Vienna") == []


@pytest.mark.parametrize("text", ["COTE D'IVOIRE", "côte d’ivoire", "Cote-d'Ivoire"])
def test_search_ignores_case_accents_and_punctuation(real_cli, text):
    assert ("country", "CIV") in {(r["kind"], r["iso3"]) for r in _search(real_cli, text)}


def test_search_shows_the_treaty_and_the_type_on_each_row(cli):
    [row] = _search(cli, "government")
    assert (row["kind"], row["treaty"], row["type"]) == ("event", "apmbc", "withdrawal_announced")
    assert row["text"] == "The government announced it would leave."
    table = cli("search", "government").stdout
    assert table.splitlines()[0].split() == ["Kind", "Country", "Treaty", "Date", "Text"]
    assert "event  Betaland  apmbc   2025-03-18  withdrawal announced: The government" in table


# --- withdrawals: the same stage words as the JSON, and the reasons ---------------------

@pytest.mark.parametrize("which", ["fixture", "real"])
def test_withdrawal_tables_use_the_json_stage_and_show_every_reason(cli, real_cli, which):
    run = cli if which == "fixture" else real_cli
    args = ["withdrawals"] + ([] if which == "fixture" else ["--on", "2026-06-30"])
    rows = json.loads(run(*args, "--json").stdout)
    table = run(*args).stdout
    lines = table.splitlines()
    for row in rows:
        cells = [row["country"], row["treaty"], views.label(row["stage"])]
        assert any(line.split()[:3] == cells for line in lines if line.split()), cells
        flat = " ".join(table.split())
        for reason in row["reasons"]:
            assert f"{row['country']} ({row['treaty']}): {reason}" in flat
    assert "suspension" not in {line.split()[2] for line in lines[2:] if len(line.split()) > 2}


def test_a_suspension_is_listed_apart_with_its_one_stage(cli):
    lines = cli("withdrawals").stdout.splitlines()
    start = lines.index("Suspensions")
    assert lines[start + 1].split() == ["Country", "Treaty", "Stage", "Notified"]
    assert lines[start + 3].split() == ["Thetaland", "apmbc", "notified", "2025-07-18"]


# --- treaties: the count table adds up and follows the Status enum -----------------------

def _count_table(stdout: str) -> dict[str, list[int]]:
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("States by status on"))
    table = {}
    for line in lines[start + 3:]:
        words = line.split()
        if len(words) < 2 or not words[-1].isdigit():
            break
        split = len(words) - 2  # two treaties
        table[line[: line.index(words[split])].rstrip()] = [int(n) for n in words[split:]]
    return table


@pytest.mark.parametrize(("which", "on"), [("fixture", "2025-12-26"), ("real", "2025-12-26"),
                                          ("real", "2005-01-01")])  # South Sudan was no state yet
def test_the_count_table_adds_up_to_all_states(cli, real_cli, fixture_base, real_base, which, on):
    run, base = (cli, fixture_base) if which == "fixture" else (real_cli, real_base)
    table = _count_table(run("treaties", "--on", on).stdout)
    later = table.pop("not a state yet")
    total = table.pop("states that existed")
    assert [a + b for a, b in zip(total, later)] == [len(base.countries)] * 2
    assert (on == "2005-01-01") == (later[0] > 0)
    assert table.pop("  of which withdrawing") <= table["party"]
    assert [sum(column) for column in zip(*table.values())] == total
    if which == "real" and on == "2025-12-26":  # five states had deposited withdrawals from the APMBC that day
        assert table["party"][0] == 166


def test_the_count_table_has_a_row_per_status_and_json_a_key_per_status(cli):
    from landmine_cli.law import IS_PARTY
    from landmine_cli.rows import count_key

    table = _count_table(cli("treaties", "--on", "2025-12-26").stdout)
    expected = {("  of which " if s in IS_PARTY and s is not Status.PARTY else "") + views.label(s)
                for s in Status if s is not Status.NOT_A_STATE}
    assert set(table) == expected | {"states that existed", "not a state yet"}
    for row in json.loads(cli("treaties", "--json").stdout):
        assert all(count_key(s) in row for s in Status)


# --- a period with nothing in it is an empty answer --------------------------------------

@pytest.mark.parametrize("args", [
    ["changes", "--from", "2027"],                      # --to defaults to today (2026-06-30)
    ["changes", "--from", "2026-05-01", "--to", "2026-05-02"],
    ["timeline", "--since", "2030"],
    ["timeline", "Betaland", "--since", "2026", "--on", "2025"],
    ["withdrawals", "--since", "2030"],
    ["withdrawals", "--since", "2026", "--on", "2025"],
])
def test_an_empty_period_is_an_empty_answer(cli, args):
    result = cli(*args, "--json")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "[]\n", "")
    table = cli(*args)
    assert table.exit_code == 0 and table.stderr == ""
    assert table.stdout.splitlines()[0].startswith(("No change", "No event", "No withdrawal"))


def test_a_period_given_backwards_names_the_options_given(cli):
    result = cli("changes", "--from", "2026-05", "--to", "2026-04")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "Error: --to (2026-04-30) is before --from (2026-05-01)\n"


def test_a_chart_from_a_future_day_names_from_not_to(cli):
    result = cli("chart", "parties", "--from", "2030")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "Error: --from 2030-01-01 is after today (2026-06-30): nothing to chart yet\n"


# --- dates as people type them, and what was understood ----------------------------------

@pytest.mark.parametrize("typed, option, end, day, note", [
    ("2025", "--on", True, "2025-12-31", None),
    ("2025-03", "--on", True, "2025-03-31", None),
    ("2025-03-05", "--from", False, "2025-03-05", None),
    ("2025-3", "--on", True, "2025-03-31", "Read --on 2025-3 as 2025-03-31 (end of March 2025)."),
    ("2025-3", "--since", False, "2025-03-01", "Read --since 2025-3 as 2025-03-01 (start of March 2025)."),
    ("2025/3/5", "--to", True, "2025-03-05", "Read --to 2025/3/5 as 2025-03-05."),
    ("2024-2-29", "--on", True, "2024-02-29", "Read --on 2024-2-29 as 2024-02-29."),
    ("today", "--on", True, "2026-06-30", "Read --on today as 2026-06-30."),
    ("Yesterday", "--on", True, "2026-06-29", "Read --on Yesterday as 2026-06-29."),
])
def test_dates_as_people_type_them(monkeypatch, typed, option, end, day, note):
    import datetime as dt

    from landmine_cli import dates

    monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 6, 30))
    reading = dates.read_date(typed, option, end=end)
    assert (reading.day.isoformat(), reading.note) == (day, note)


@pytest.mark.parametrize("typed, message", [
    ("03/04/2025", "could be day-first or month-first; write it year first, YYYY-MM-DD"),
    ("2025-2-30", "is not a calendar date"),
    ("soon", "is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (or today)"),
    ("tomorrow", "is not a date"),
])
def test_dates_that_cannot_be_read_are_refused(cli, typed, message):
    result = cli("status", "Betaland", "--on", typed)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"Error: --on: {typed!r} {message}")


def test_what_was_understood_goes_to_stderr_only(cli):
    loose = cli("withdrawals", "--since", "2025-3", "--json")
    assert loose.stderr == "Read --since 2025-3 as 2025-03-01 (start of March 2025).\n"
    iso = cli("withdrawals", "--since", "2025-03", "--json")
    assert (loose.stdout, iso.stderr) == (iso.stdout, "")
    today = cli("status", "Betaland", "--on", "today", "--json")
    assert today.stderr == "Read --on today as 2026-06-30.\n"
    assert json.loads(today.stdout)["as_of"] == "2026-06-30"


def test_add_takes_a_loose_full_date_but_not_a_month(real_cli, facts_copy):
    args = ["add", "reason", "--country", "Betaland", "--treaty", "apmbc", "--summary", "A new reason.",
            "--source", "src-b", "--facts", str(facts_copy), "--dry-run"]
    ok = real_cli(*args, "--date", "2026-1-2")
    assert ok.exit_code == 0, ok.stderr
    assert ok.stderr == "Read --date 2026-1-2 as 2026-01-02.\n" and "2026-01-02" in ok.stdout
    month = real_cli(*args, "--date", "2026-1")
    assert (month.exit_code, month.stderr) == (2, "Error: --date: '2026-1' must be a full date, YYYY-MM-DD\n")


# --- paths people can open: validate, add and export ------------------------------------

def _broken_copy(facts_copy):
    path = facts_copy / "countries" / "zet.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\nbogus = 1\n", encoding="utf-8")


@pytest.mark.parametrize("where, given, shown", [
    ("work", "../data/facts", "../data/facts"),        # relative: as given
    ("data", "{abs}", "facts"),                        # absolute, inside the current folder
    ("work", "{abs}", "{abs}"),                        # absolute, elsewhere: as given
])
def test_validate_names_files_as_the_user_can_open_them(real_cli, facts_copy, monkeypatch, where, given,
                                                        shown):
    data = facts_copy.parent / "data"
    data.mkdir()
    moved = data / "facts"
    facts_copy.rename(moved)
    _broken_copy(moved)
    (facts_copy.parent / "work").mkdir()
    monkeypatch.chdir(facts_copy.parent / where)
    result = real_cli("validate", "--facts", given.format(abs=moved))
    assert result.exit_code == 3
    first = result.stdout.splitlines()[0]
    path = first.split(":", 1)[0]
    assert path == f"{shown.format(abs=moved)}/countries/zet.toml"
    assert (facts_copy.parent / where / path).is_file()  # it opens from where the user stands


def test_export_to_a_folder_names_the_users_path(cli, tmp_path):
    (tmp_path / "out").mkdir()
    result = cli("export", "--sqlite", str(tmp_path / "out"))
    assert (result.exit_code, result.stdout) == (5, "")
    assert result.stderr == f"Error: export: cannot write {tmp_path / 'out'}: not a regular file (a folder)\n"
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600)])
def test_exported_files_follow_the_umask(cli, tmp_path, umask, mode):
    import os
    import stat

    old = os.umask(umask)
    try:
        result = cli("export", "--sqlite", str(tmp_path / "a.db"), "--csv", str(tmp_path / "csv"))
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    files = [tmp_path / "a.db", *(tmp_path / "csv").iterdir()]
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {mode}


# --- add: a dry run in an installed package, and the id of a new source -----------------

ADD_EVENT = ["add", "event", "--country", "Betaland", "--treaty", "apmbc", "--type", "statement",
             "--date", "2026-03-01", "--source", "src-b"]


@pytest.fixture
def installed(facts_copy, monkeypatch):
    """As after `pip install .`: the default facts are the copy inside the package."""
    from landmine_cli import store

    monkeypatch.setattr(store, "_bundled", lambda: facts_copy)
    monkeypatch.delenv("LANDMINE_FACTS", raising=False)
    return facts_copy


def _snapshot(folder):
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_dry_run_in_an_installed_package_is_not_refused(real_cli, installed):
    before = _snapshot(installed)
    result = real_cli(*ADD_EVENT, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# would be added to facts/countries/bet.toml\n[[events]]\n")
    assert _snapshot(installed) == before


def test_adding_to_an_installed_package_says_to_pass_the_checkouts_facts(real_cli, installed, monkeypatch):
    before = _snapshot(installed)
    result = real_cli(*ADD_EVENT)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: the fact base installed with the package is read-only; to add to the facts of your "
        "checkout, pass --facts facts (its facts folder) or set LANDMINE_FACTS; --dry-run shows the "
        "record without writing\n")
    monkeypatch.chdir(installed)  # no facts folder here: the message names DIR
    assert "pass --facts DIR (its facts folder)" in real_cli(*ADD_EVENT).stderr
    assert _snapshot(installed) == before


def test_add_source_prints_the_id_it_made(real_cli, facts_copy):
    args = ["add", "source", "--url", "https://example.org/new", "--publisher", "Example Wire",
            "--title", "A new page", "--published", "2026-03-01", "--facts", str(facts_copy)]
    table = real_cli(*args)
    assert (table.exit_code, table.stdout) == (0, "Added source example-wire-2026-03-01 to facts/sources.toml.\n")
    again = real_cli(*args[:-2], "--id", "wire-2", "--url", "https://example.org/other", "--facts",
                     str(facts_copy), "--json")
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["id"] == "wire-2"
