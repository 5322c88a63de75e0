"""`landmine add edition`, `add casualty` and `add contamination`: figures.toml records, validated before the
locked atomic write, duplicates refused, unknown figures left out (never zero)."""

from __future__ import annotations

import json
import tomllib

import pytest
from typer.testing import CliRunner

from conftest import snapshot
from landmine_cli import edit, store
from landmine_cli.cli import app


def run(*args: str):
    return CliRunner().invoke(app, list(args))


EDITION = ("add", "edition", "--id", "rep2026", "--title", "Report 2026", "--publisher", "Test Monitor",
           "--covers", "2025", "--source", "src-a")
CASUALTY = ("add", "casualty", "--scope", "Gammaland", "--year", "2025", "--weapon", "mines_erw",
            "--edition", "rep2026", "--killed", "0", "--source", "src-a")


def test_an_edition_then_a_figure_it_printed_land(facts_copy):
    result = run(*EDITION, "--facts", str(facts_copy))
    assert (result.exit_code, result.stdout) == (0, "Added edition rep2026 to facts/figures.toml.\n"), result.stderr
    result = run(*CASUALTY, "--facts", str(facts_copy), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["record"] == {
        "scope": "GAM", "year": 2025, "weapon": "mines_erw", "edition": "rep2026",
        "sources": ["src-a"], "killed": 0}  # zero kept; injured and total unknown, left out
    base = store.load(facts_copy)
    assert base.editions["rep2026"].covers == 2025
    [figure] = [c for c in base.casualties if c.edition == "rep2026"]
    assert (figure.killed, figure.injured, figure.total, figure.secondary) == (0, None, None, False)
    assert run("validate", "--facts", str(facts_copy)).exit_code == 0


def test_a_figure_of_an_unknown_edition_is_refused(facts_copy):
    before = snapshot(facts_copy)
    result = run(*CASUALTY, "--facts", str(facts_copy))
    assert result.exit_code == 3
    assert "edition: unknown edition 'rep2026'" in result.stderr
    assert snapshot(facts_copy) == before


def test_a_figure_after_the_year_the_edition_covers_is_refused(facts_copy):
    before = snapshot(facts_copy)
    args = list(CASUALTY)
    args[args.index("rep2026")] = "rep2025"
    result = run(*args, "--facts", str(facts_copy))
    assert result.exit_code == 3
    assert "year: 2025 is after the year rep2025 covers (2024)" in result.stderr
    assert snapshot(facts_copy) == before


def test_duplicates_are_refused_with_exit_3(facts_copy):
    before = snapshot(facts_copy)
    edition = run("add", "edition", "--id", "rep2025", "--title", "Another", "--publisher", "P",
                  "--covers", "2024", "--source", "src-a", "--facts", str(facts_copy))
    assert edition.exit_code == 3
    assert edition.stderr.startswith("facts/figures.toml:12: id: duplicate edition id 'rep2025' "
                                     "(already recorded here; nothing was added)\n")
    figure = run("add", "casualty", "--scope", "world", "--year", "2024", "--weapon", "mines_erw",
                 "--edition", "rep2025", "--total", "301", "--source", "src-a", "--facts", str(facts_copy))
    assert figure.exit_code == 3
    assert figure.stderr.startswith(
        "facts/figures.toml:45: edition: duplicate mines_erw casualty figure for world 2024 in "
        "rep2025 (already recorded here; nothing was added)\n")
    assert snapshot(facts_copy) == before


def test_another_weapon_is_not_a_duplicate():
    doc = {"casualties": [edit.casualty_record("world", 2024, "mines_erw", "e", ["s"], total=1)]}
    other = edit.casualty_record("world", 2024, "cluster_munitions", "e", ["s"], total=1)
    edit._refuse_duplicate("x.toml", "", doc, "casualties", other)  # no error


def test_dry_run_writes_nothing(facts_copy):
    before = snapshot(facts_copy)
    result = run(*EDITION, "--dry-run", "--facts", str(facts_copy))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# would be added to facts/figures.toml\n[[editions]]\nid = \"rep2026\"\n")
    assert snapshot(facts_copy) == before


def test_secondary_is_written_only_when_true():
    assert "secondary" not in edit.casualty_record("world", 2024, "mines_erw", "e", ["s"], secondary=False)
    assert edit.casualty_record("world", 2024, "mines_erw", "e", ["s"], secondary=True)["secondary"] is True
    with pytest.raises(ValueError, match="not casualty fields: dead"):
        edit.casualty_record("world", 2024, "mines_erw", "e", ["s"], dead=1)


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--weapon", "mines"], 2, "--weapon: 'mines' is not one of mines_erw, ap_mines, cluster_munitions"),
    (["--scope", "Nowhereland"], 2, "Nowhereland"),
    (["--weapon", "ap_mines"], 3, "weapon: casualties are counted for mines_erw or cluster_munitions"),
])
def test_casualty_options_are_checked(facts_copy, args, code, message):
    base = ["add", "casualty", "--scope", "world", "--year", "2023", "--weapon", "cluster_munitions",
            "--edition", "rep2025", "--total", "4", "--source", "src-a"]
    for option, value in zip(args[::2], args[1::2]):
        base[base.index(option) + 1] = value
    result = run(*base, "--facts", str(facts_copy))
    assert result.exit_code == code
    assert message in result.stderr


def test_files_stay_canonical(facts_copy):
    import tomli_w

    assert run(*EDITION, "--facts", str(facts_copy)).exit_code == 0
    text = (facts_copy / "figures.toml").read_text()
    assert tomli_w.dumps(tomllib.loads(text)) == text


@pytest.mark.parametrize("kind", ["edition", "casualty"])
def test_help(kind):
    result = run("add", kind, "--help")
    assert result.exit_code == 0 and "--dry-run" in result.stdout


# --- add contamination -------------------------------------------------------------------

CONTAMINATION = ("add", "contamination", "--scope", "Gammaland", "--weapon", "ap_mines",
                 "--edition", "rep2025", "--area-km2", "0.4", "--area-kind", "suspected",
                 "--source", "src-a")


def test_a_contamination_figure_lands_with_only_what_was_given(facts_copy):
    result = run(*CONTAMINATION, "--facts", str(facts_copy), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["record"] == {
        "scope": "GAM", "weapon": "ap_mines", "edition": "rep2025", "sources": ["src-a"],
        "area_km2": 0.4, "area_kind": "suspected"}  # no band, no counts: unknown, left out
    [figure] = [k for k in store.load(facts_copy).contamination if k.scope == "GAM"]
    assert (figure.area_km2, str(figure.area_kind), figure.extent_band, figure.at_least) == (
        0.4, "suspected", None, False)


def test_the_same_contamination_figure_twice_is_refused_with_exit_3(facts_copy):
    before = snapshot(facts_copy)
    result = run("add", "contamination", "--scope", "world", "--weapon", "ap_mines", "--edition",
                 "rep2025", "--states-and-areas", "13", "--source", "src-a", "--facts", str(facts_copy))
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "facts/figures.toml:131: edition: duplicate ap_mines contamination figure for world in "
        "rep2025 (already recorded here; nothing was added)\n")
    assert snapshot(facts_copy) == before


def test_a_world_row_with_an_area_is_refused_by_validation(facts_copy):
    before = snapshot(facts_copy)
    result = run("add", "contamination", "--scope", "world", "--weapon", "cluster_munitions",
                 "--edition", "rep2025", "--area-km2", "3", "--area-kind", "confirmed",
                 "--source", "src-a", "--facts", str(facts_copy))
    assert result.exit_code == 3
    assert "scope: world rows give counts of states and areas, not an area or band" in result.stderr
    assert snapshot(facts_copy) == before


@pytest.mark.parametrize(("option", "value"), [("--area-kind", "probable"), ("--extent-band", "huge"),
                                               ("--weapon", "mines")])
def test_contamination_choices_are_checked(facts_copy, option, value):
    args = list(CONTAMINATION)
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    result = run(*args, "--facts", str(facts_copy))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"Error: {option}: {value!r} is not one of ")


def test_the_figure_builders_share_one_rule_for_flags_and_unknown_keys():
    record = edit.contamination_record("world", "ap_mines", "e", ["s"], states=3, at_least=False)
    assert record == {"scope": "world", "weapon": "ap_mines", "edition": "e", "sources": ["s"], "states": 3}
    assert edit.contamination_record("world", "ap_mines", "e", ["s"], at_least=True)["at_least"] is True
    with pytest.raises(ValueError, match="not contamination fields: year"):
        edit.contamination_record("world", "ap_mines", "e", ["s"], year=2024)
