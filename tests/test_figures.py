"""`landmine figures`: each figure with its edition, revisions kept, --on by publication day,
unknown never zero; the validation rules of figures.toml and of use/transfer events."""

from __future__ import annotations

import pytest

from landmine_cli import store
from conftest import FIXTURE_FACTS
from golden import assert_golden

# --- behaviour on the fixture ----------------------------------------------------------------


def _by_year(doc):
    return {r["year"]: r for r in doc["figures"]}


def test_latest_edition_shown_with_the_others(cli):
    doc = cli.json("figures")
    assert (doc["metric"], doc["weapon"], doc["scope"], doc["dated_editions_only"]) == (
        "casualties", "mines_erw", "world", False)
    y2023 = _by_year(doc)[2023]
    assert (y2023["total"], y2023["edition"], y2023["edition_published"], y2023["secondary"]) == (
        250, "rep2025", "2025-12-01", True)
    assert y2023["other_editions"] == [{"edition": "rep2024", "edition_published": "2024-11-20",
                                        "killed": None, "injured": None, "total": 200,
                                        "civilian_pct": None}]


def test_unknown_is_null_and_a_published_zero_is_zero(cli):
    years = _by_year(cli.json("figures"))
    assert years[2022]["total"] is None and years[2022]["edition"] is None and years[2022]["sources"] == []
    assert years[2021]["total"] == 0 and years[2021]["edition"] == "rep2024"
    # A state with no published figure: a row of nulls, never 0.
    [row] = cli.json("figures", "Alphaland", "--year", "2024")["figures"]
    assert (row["killed"], row["injured"], row["total"], row["edition"]) == (None, None, None, None)


@pytest.mark.parametrize(("day", "total", "edition"), [
    ("2025-11-30", 200, "rep2024"),  # the day before the revising edition came out
    ("2025-12-01", 250, "rep2025"),  # its day of publication
    ("2025-12-02", 250, "rep2025"),
])
def test_on_answers_with_the_editions_published_by_that_day(cli, day, total, edition):
    doc = cli.json("figures", "--year", "2023", "--on", day)
    assert doc["dated_editions_only"] is True and doc["as_of"] == day
    [row] = doc["figures"]
    assert (row["total"], row["edition"]) == (total, edition)


def test_on_counts_an_edition_with_no_known_day_from_the_end_of_its_title_year(cli):
    # Report 2013 (covering 2012) gives no day of publication: it counts from 2013-12-31.
    assert _by_year(cli.json("figures"))[2012]["total"] == 400
    assert cli.json("figures", "--on", "2013-12-30")["figures"] == []
    [row] = cli.json("figures", "--on", "2013-12-31")["figures"]
    assert (row["year"], row["total"], row["edition"], row["edition_published"]) == (2012, 400, "rep2013", None)
    years = _by_year(cli.json("figures", "--on", "2026-06-30"))
    assert (min(years), years[2012]["total"], years[2012]["edition"]) == (2012, 400, "rep2013")


def test_top_states_of_the_latest_year_with_state_figures(cli):
    top = cli.json("figures")["top_states"]
    assert top["year"] == 2024
    assert [(r["rank"], r["scope"], r["total"]) for r in top["rows"]] == [(1, "GAM", 75), (2, "BET", 40)]
    before = cli.json("figures", "--on", "2025-11-30")["top_states"]
    assert before == {"year": None, "rows": []}


def test_cluster_casualties_and_contamination(cli):
    [row] = cli.json("figures", "--metric", "cluster-casualties")["figures"]
    assert (row["year"], row["total"], row["weapon"]) == (2024, 30, "cluster_munitions")
    doc = cli.json("figures", "Betaland", "--metric", "contamination", "--weapon", "ap_mines")
    [row] = doc["figures"]
    assert (row["area_km2"], row["area_kind"], row["extent_band"], row["edition"]) == (
        12.5, "confirmed", None, "rep2025")
    assert row["other_editions"][0]["extent_band"] == "medium"
    earlier = cli.json("figures", "Betaland", "--metric", "contamination", "--on", "2025-01-01")
    ap, cluster = earlier["figures"]
    assert (ap["extent_band"], ap["edition"]) == ("medium", "rep2024")
    assert (cluster["weapon"], cluster["extent_band"], cluster["edition"]) == ("cluster_munitions", None, None)


def test_figures_table(cli):
    result = cli("figures")
    assert result.exit_code == 0
    assert_golden("figures", result.stdout)


@pytest.mark.parametrize(("args", "message"), [
    (("--metric", "deaths"), "Error: --metric 'deaths': use one of casualties, cluster-casualties, contamination"),
    (("--weapon", "ap_mines"), "Error: --weapon applies to --metric contamination"),
    (("--metric", "contamination", "--weapon", "mines_erw"), "Error: --weapon mines_erw: contamination"),
    (("Atlantis",), "Error: "),
])
def test_bad_usage_exits_2(cli, args, message):
    result = cli("figures", *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(message)


def test_status_shows_the_latest_figures(cli):
    figs = cli.json("status", "Betaland")["figures"]
    assert (figs["casualties"]["year"], figs["casualties"]["total"]) == (2024, 40)
    assert figs["cluster_casualties"] is None
    assert [r["area_km2"] for r in figs["contamination"]] == [12.5]
    assert [s["id"] for s in figs["sources"]] == ["src-a"]


# --- real facts: a world total that a later edition revised -----------------------------------


@pytest.mark.parametrize(("year", "day", "total", "edition", "others"), [
    # Landmine Monitor 2020 (12 Nov 2020) printed 5,554 for 2019; LM2021 (10 Nov 2021), 5,853.
    (2019, "2020-11-11", None, None, []),
    (2019, "2020-11-12", 5554, "lm2020", []),
    (2019, "2021-11-09", 5554, "lm2020", []),
    (2019, "2021-11-10", 5853, "lm2021", [("lm2020", 5554)]),
    # LM2017 (14 Dec 2017) printed 8,605 for 2016; LM2018 (20 Nov 2018), 9,437.
    (2016, "2018-11-19", 8605, "lm2017", []),
    (2016, "2018-11-20", 9437, "lm2018", [("lm2017", 8605)]),
])
def test_a_revised_world_total_as_published_on_a_day(real_cli, year, day, total, edition, others):
    [row] = real_cli.json("figures", "--year", str(year), "--on", day)["figures"]
    assert (row["total"], row["edition"]) == (total, edition)
    assert [(o["edition"], o["total"]) for o in row["other_editions"]] == others


def test_every_printing_of_2016_is_kept(real_cli):
    [row] = real_cli.json("figures", "--year", "2016")["figures"]
    assert (row["total"], row["edition"]) == (9440, "lm2024")
    assert [(o["edition"], o["total"]) for o in row["other_editions"]] == [
        ("lm2021", 9440), ("lm2020", 9439), ("lm2019", 9439), ("lm2018", 9437), ("lm2017", 8605)]


def test_real_revision_golden(real_cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    result = real_cli("figures", "--year", "2019", "--on", "2021-11-10")
    assert result.exit_code == 0
    assert_golden("figures-2019-revised", result.stdout)


def test_real_top_states_and_unknown_states(real_cli):
    doc = real_cli.json("figures", "--on", "2026-11-26")
    assert doc["top_states"]["year"] == 2024
    assert [(r["scope"], r["total"]) for r in doc["top_states"]["rows"]] == [
        ("MMR", 2029), ("SYR", 1015), ("AFG", 624), ("UKR", 293)]
    libya = {r["year"]: r["total"] for r in real_cli.json("figures", "Libya")["figures"]}
    assert libya[2015] == 1004 and libya[2024] is None and 0 not in libya.values()


def test_real_conduct_events_in_status_changes_and_timeline(real_cli):
    usa = real_cli.json("status", "United States", "--on", "2026-11-26")["treaties"]
    ccm = next(t for t in usa if t["treaty"] == "ccm")
    assert {"type": "transfer", "date": "2023-07-07", "counterpart": "UKR"}.items() <= ccm["events"][0].items()
    apmbc = next(t for t in usa if t["treaty"] == "apmbc")
    assert [e["date"] for e in apmbc["events"] if e["type"] == "policy_change"] == [
        "2014-06-27", "2014-09-23", "2020-01-31", "2022-06-21", "2025-12-02"]
    changes = real_cli.json("changes", "--from", "2025-12-02", "--to", "2025-12-02")
    assert [(r["iso3"], r["change"], r["status_before"], r["status_after"]) for r in changes] == [
        ("USA", "policy_change", "not_joined", "not_joined")]
    timeline = real_cli.json("timeline", "Poland", "--since", "2025-12-17", "--on", "2025-12-17")
    assert [(r["type"], r["status"]) for r in timeline] == [("production_announced", "withdrawing")]
    found = real_cli.json("search", "Hegseth")
    assert [(r["kind"], r["iso3"], r["date"]) for r in found if r["kind"] == "event"] == [
        ("event", "USA", "2025-12-02")]


def test_unverified_humanitarian_program_claim_is_not_recorded(real_base):
    text = " ".join(e.note or "" for e in real_base.events["USA"])
    assert "Humanitarian Mine Action Program" not in text and "humanitarian mine action" not in text.lower()


# --- validation: every rule, broken on purpose ----------------------------------------------

FIGURES = (FIXTURE_FACTS / "figures.toml").read_text(encoding="utf-8")
GAMMA = (FIXTURE_FACTS / "countries" / "gam.toml").read_text(encoding="utf-8")
# Problems name files under the folder as the user can open it from the current folder.
ROOT = store.shown_root(FIXTURE_FACTS)


def _problems(rel: str, text: str) -> list[str]:
    base, found = store.check(FIXTURE_FACTS, overrides={rel: text})
    return [str(p) for p in found]


def _line(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


def _break(old: str, new: str, occurrence: int = 1) -> str:
    parts = FIGURES.split(old)
    assert len(parts) > occurrence, old
    return old.join(parts[:occurrence]) + new + old.join(parts[occurrence:])


FIGURE_DEFECTS = [
    # (old, new, occurrence, marker for the line, field: message)
    ('edition = "rep2024"\nsources = [\n    "src-a",\n]\ntotal = 200',
     'edition = "rep2023"\nsources = [\n    "src-a",\n]\ntotal = 200', 1,
     'edition = "rep2023"', "edition: unknown edition 'rep2023'"),
    ('scope = "BET"\nyear = 2024', 'scope = "XYZ"\nyear = 2024', 1,
     'scope = "XYZ"', "scope: 'XYZ' is neither \"world\" nor a known country"),
    ('total = 40\n', 'total = 40\nkilled = 41\n', 1,
     "killed = 41", "killed: 41 is more than the total (40)"),
    ('killed = 100\ninjured = 180', 'killed = 150\ninjured = 180', 1,
     "total = 300", "total: killed + injured (330) is more than the total (300)"),
    ('total = 75\n', '', 1, '[[casualties]]\nscope = "GAM"', "total: gives no figure: record killed, injured or total"),
    ('scope = "GAM"', 'scope = "BET"', 1, 'edition = "rep2025"\nsources = [\n    "src-a",\n]\ntotal = 75',
     "edition: duplicate figure for BET 2024 in rep2025"),
    ('weapon = "cluster_munitions"\nedition = "rep2025"', 'weapon = "ap_mines"\nedition = "rep2025"', 1,
     'weapon = "ap_mines"\nedition = "rep2025"\nsources = [\n    "src-a",\n]\ntotal = 30',
     "weapon: casualties are counted for mines_erw or cluster_munitions"),
    ('year = 2021\n', 'year = 2024\n', 1, "year = 2024\nweapon = \"mines_erw\"\nedition = \"rep2024\"",
     "year: 2024 is after the year rep2024 covers (2023)"),
    ('published = 2024-11-20', 'published = 2023-12-31', 1, "covers = 2023",
     "covers: an edition published on 2023-12-31 cannot report the whole of 2023"),
    ('covers = 2024\nsources = [\n    "src-a",\n]\npublished = 2025-12-01',
     'covers = 2024\nsources = [\n    "src-a",\n]\npublished = 2026-07-01', 1, "published = 2026-07-01",
     "published: 2026-07-01 is after facts_as_of (2026-06-30)"),
    ('weapon = "ap_mines"\nedition = "rep2025"\nsources = [\n    "src-a",\n]\nstates_and_areas',
     'weapon = "mines_erw"\nedition = "rep2025"\nsources = [\n    "src-a",\n]\nstates_and_areas', 1,
     'weapon = "mines_erw"\nedition = "rep2025"\nsources = [\n    "src-a",\n]\nstates_and_areas',
     "weapon: contamination is recorded for ap_mines or cluster_munitions"),
    ('states_and_areas = 12\n', 'states_and_areas = 12\nextent_band = "small"\n', 1,
     'scope = "world"\nweapon = "ap_mines"', "scope: world rows give counts of states and areas, not an area or band"),
    ('extent_band = "medium"\n', 'extent_band = "medium"\nstates = 3\n', 1, "states = 3",
     "states: counts of states and areas belong on world rows"),
    ('area_kind = "confirmed"\n', '', 1, '[[contamination]]\nscope = "BET"',
     "area_kind: give area_km2 and area_kind (confirmed or suspected) together"),
    ('extent_band = "medium"\n', '', 1, 'scope = "BET"\nweapon = "ap_mines"\nedition = "rep2024"',
     "scope: gives no figure: record an area, an extent band or counts"),
    ('states_and_areas = 12\n', 'states_and_areas = 12\nstates = 10\nother_areas = 3\n', 1,
     'states_and_areas = 12', "states_and_areas: 12 is less than its parts (13)"),
    ('"src-b",\n]\ntotal = 250', '"src-z",\n]\ntotal = 250', 1, 'sources = [\n    "src-z"',
     "sources: unknown source 'src-z' (sources[0])"),
]


@pytest.mark.parametrize(("old", "new", "occurrence", "marker", "problem"), FIGURE_DEFECTS,
                         ids=[d[4].split(":")[0] + "-" + str(i) for i, d in enumerate(FIGURE_DEFECTS)])
def test_each_figure_rule_reports_file_line_and_message(old, new, occurrence, marker, problem):
    text = _break(old, new, occurrence)
    assert _problems("figures.toml", text) == [f"{ROOT}/figures.toml:{_line(text, marker)}: {problem}"]


EVENT = '''
[[events]]
treaty = "ccm"
type = "{type}"
date = 2025-01-02
sources = [
    "src-a",
]{extra}
'''

EVENT_DEFECTS = [
    ("transfer", "", "type: a transfer needs a counterpart (the receiving state)"),
    ("policy_change", '\ncounterpart = "BET"',
     "counterpart: only transfer, use_alleged, use_confirmed events name a counterpart"),
    ("use_confirmed", '\ncounterpart = "XYZ"', "counterpart: unknown country 'XYZ'"),
    ("use_alleged", '\ncounterpart = "GAM"', "counterpart: names the state itself; omit it for use at home"),
]


@pytest.mark.parametrize(("kind", "extra", "problem"), EVENT_DEFECTS)
def test_each_counterpart_rule_reports_file_line_and_message(kind, extra, problem):
    text = GAMMA + EVENT.format(type=kind, extra=extra)
    marker = "\ncounterpart = " if "counterpart" in extra else f'\ntype = "{kind}"'
    line = _line(text, marker) + 1
    assert _problems("countries/gam.toml", text) == [f"{ROOT}/countries/gam.toml:{line}: {problem}"]


def test_a_valid_transfer_and_use_pass():
    text = GAMMA + EVENT.format(type="transfer", extra='\ncounterpart = "BET"') + EVENT.format(
        type="use_confirmed", extra="")
    assert _problems("countries/gam.toml", text) == []


# --- export ------------------------------------------------------------------------------------


def test_export_holds_every_figure_and_the_counterpart(real_base, tmp_path):
    import sqlite3

    from landmine_cli import export

    counts = export.to_sqlite(real_base, tmp_path / "f.db", real_base.meta.facts_as_of)
    assert counts["casualties"] == len(real_base.casualties)
    assert counts["contamination"] == len(real_base.contamination)
    assert counts["editions"] == len(real_base.editions)
    db = sqlite3.connect(tmp_path / "f.db")
    rows = db.execute("SELECT edition, total, killed FROM casualties WHERE scope = 'world' AND "
                      "year = 2019 AND weapon = 'mines_erw' ORDER BY edition").fetchall()
    assert rows == [("lm2020", 5554, 2170), ("lm2021", 5853, None)]
    assert db.execute("SELECT e.published FROM editions e WHERE id = 'lm2021'").fetchone() == ("2021-11-10",)
    assert db.execute("SELECT type, counterpart FROM events WHERE iso3 = 'USA' AND date = '2023-07-07'"
                      ).fetchall() == [("transfer", "UKR")]
    csv_counts = export.to_csv(real_base, tmp_path / "csv", real_base.meta.facts_as_of)
    assert csv_counts == counts
    header = (tmp_path / "csv" / "casualties.csv").read_text().splitlines()[0]
    assert header == "id,scope,year,weapon,edition,killed,injured,total,civilian_pct,secondary,note"


# --- add ---------------------------------------------------------------------------------------


def test_add_a_transfer_with_its_counterpart(facts_copy):
    from typer.testing import CliRunner

    from landmine_cli.cli import app

    def run(*extra: str):
        return CliRunner().invoke(app, [
            "add", "event", "--country", "Gammaland", "--treaty", "ccm", "--type", "transfer",
            "--date", "2025-01-02", "--source", "src-a", "--facts", str(facts_copy), *extra])

    before = (facts_copy / "countries" / "gam.toml").read_bytes()
    refused = run()
    assert refused.exit_code == 3 and refused.stdout == ""
    assert "a transfer needs a counterpart (the receiving state)" in refused.stderr
    assert (facts_copy / "countries" / "gam.toml").read_bytes() == before
    added = run("--counterpart", "Betaland", "--json")
    assert added.exit_code == 0, added.stderr
    assert '[[events]]\ntreaty = "ccm"\ntype = "transfer"\ndate = 2025-01-02\nsources = [\n    "src-a",\n]\n' \
        'counterpart = "BET"\n' in (facts_copy / "countries" / "gam.toml").read_text(encoding="utf-8")
    assert store.check(facts_copy)[1] == []
