"""Funding: real figures with their editions, revisions asked as of a day, gaps never read as
zero, the chart at narrow and wide widths, and the checks on funding.toml."""

from __future__ import annotations

import json
import re

import pytest

from landmine_cli import output, store
from landmine_cli.errors import FactsError


def _table(real_cli, monkeypatch, width: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    result = real_cli(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


# --- real figures with their sources and editions -------------------------------------------


@pytest.mark.parametrize(("year", "amount", "edition", "source"), [
    (2009, 449_000_000, "lm2010", "monitor-lm2010-sma"),
    (2014, 416_800_000, "lm2015", "monitor-lm2015-sma"),
    (2018, 642_600_000, "lm2019", "monitor-lm2019-sma"),
    (2022, 798_400_000, "lm2023", "monitor-lm2023-sma"),
])
def test_yearly_totals_with_their_edition_and_source(real_cli, year, amount, edition, source):
    doc = real_cli.json("funding", "--year", str(year))
    [total] = doc["totals"]
    assert (total["amount_usd"], total["edition"], total["sources"]) == (amount, edition, [source])
    assert source in {s["id"] for s in doc["sources"]}


def test_donor_amounts_with_their_edition_and_caveats(real_cli):
    rows = {(c["donor"], c["year"]): c for c in real_cli.json("funding", "--since", "2009")["contributions"]}
    us22, de22 = rows[("USA", 2022)], rows[("DEU", 2022)]
    assert (us22["amount_usd"], us22["edition"], us22["sources"]) == (310_200_000, "lm2023", ["monitor-usa-sma-2023"])
    assert (us22["share_pct"], us22["share_basis"]) == (38.9, "computed")
    assert (de22["amount_usd"], de22["edition_published"]) == (78_831_189, "2023-11-14")
    assert rows[("USA", 2014)]["lower_bound"] is True
    us23 = rows[("USA", 2023)]
    assert (us23["amount_usd"], us23["share_pct"], us23["share_basis"]) == (309_800_000, 39.0, "stated")


@pytest.mark.parametrize(("year", "edition", "source", "order"), [
    # ICBL's lists of the year's top contributors, from the Monitor's data for that edition.
    (2015, "lm2016", "icbl-intl-coop-2015-data",
     ["USA", "JPN", "EU", "NOR", "NLD", "CHE", "GBR", "DEU", "DNK", "CAN"]),
    (2016, "lm2017", "icbl-intl-coop-2016-data",
     ["USA", "EU", "JPN", "DEU", "NOR", "NLD", "CHE", "CAN", "NZL", "AUS"]),
])
def test_a_top_ten_as_the_source_ranks_it(real_cli, year, edition, source, order):
    rows = [c for c in real_cli.json("funding", "--year", str(year))["contributions"]
            if c["edition"] == edition and c["rank"] is not None and c["rank"] <= 10]
    assert [c["donor"] for c in sorted(rows, key=lambda c: c["rank"])] == order
    assert all(source in c["sources"] for c in rows)


def test_the_us_2015_figure_fills_what_was_a_gap(real_cli):
    doc = real_cli.json("funding", "--donor", "USA", "--year", "2015")
    [us] = doc["contributions"]
    assert (us["amount_usd"], us["edition"], us["rank"], us["approximate"]) == (119_200_000, "lm2016", 1, False)
    assert not [g for g in doc["gaps"] if g["kind"] == "contribution" and g["year"] == 2015]


def test_latest_answer_is_a_lower_bound_for_2024_after_a_gap(real_cli):
    latest = real_cli.json("funding")["latest"]
    assert (latest["year"], latest["amount_usd"], latest["lower_bound"], latest["edition"]) == (
        2024, 760_000_000, True, "lm2025")
    # 2023 is a gap, so no change is given (never a change from zero).
    assert (latest["change_usd"], latest["previous_year"]) == (None, None)
    assert (latest["previous_gap"]["year"], latest["previous_gap"]["edition"]) == (2023, "lm2024")
    assert "309.8 million" in latest["previous_gap"]["note"]
    assert (latest["donors"], latest["later_gaps"], latest["events_since"]) == ([], [], "2025-01-01")


def test_latest_answer_the_day_before_landmine_monitor_2025(real_cli):
    latest = real_cli.json("funding", "--on", "2025-11-30")["latest"]
    assert (latest["year"], latest["amount_usd"], latest["change_usd"]) == (2022, 798_400_000, 254_900_000)
    assert (latest["lower_bound"], latest["previous_lower_bound"], latest["previous_gap"]) == (False, False, None)
    assert [d["donor"] for d in latest["donors"]][:3] == ["USA", "EU", "DEU"]
    assert [(g["year"], g["edition"]) for g in latest["later_gaps"]] == [(2023, "lm2024")]
    assert "309.8 million" in latest["later_gaps"][0]["note"]
    assert latest["events_since"] == "2023-01-01"


def test_a_gap_is_never_a_zero(real_cli):
    doc = real_cli.json("funding", "--since", "2023")
    # 2023 has no total recorded, so none is shown: it is a gap; 2024's is a lower bound.
    assert [(t["year"], t["lower_bound"]) for t in doc["totals"]] == [(2024, True)]
    gaps = {(g["kind"], g["year"]) for g in doc["gaps"]}
    assert {("international", 2023), ("contribution", 2024)} <= gaps
    assert ("international", 2024) not in gaps
    for row in (*doc["totals"], *doc["contributions"], *doc["other_totals"]):
        assert row["amount_usd"] > 0


def test_summary_table_answers_the_question(real_cli, monkeypatch):
    latest = " ".join(_table(real_cli, monkeypatch, 100, "funding").split())
    assert latest.startswith("International mine-action support in 2024: more than US$760,000,000 "
                             "(Landmine Monitor 2025, published 2025-12-01); no change is given: 2023 is a gap")
    # As published the day before Landmine Monitor 2025:
    out = _table(real_cli, monkeypatch, 100, "funding", "--on", "2025-11-30")
    assert out.startswith("International mine-action support in 2022: US$798,400,000 (Landmine Monitor 2023")
    assert "up US$254,900,000 (+46.9%) on 2021" in out
    assert "Gap 2023: no international total recorded here (Landmine Monitor 2024)" in " ".join(out.split())
    assert "Funding events since 2023-01-01" in out
    assert re.search(r"United States\s+2023\s+309,800,000 .* 39\.0% .*lm2024\s+\d", out)
    # The sum of the recorded donors is as exact as its parts, and says so.
    assert ("(US$584,622,139, United States, Japan, United Kingdom approximate or a lower bound)"
            in " ".join(out.split()))


# --- a revision asked before and after it was published -------------------------------------


def test_revised_2017_total_before_and_after_landmine_monitor_2019(real_cli, monkeypatch):
    before = real_cli.json("funding", "--year", "2017", "--on", "2019-11-20")["totals"][0]
    assert (before["amount_usd"], before["edition"]) == (673_200_000, "lm2018")
    assert (before["revised_by_edition"], before["revised_amount_usd"]) == ("lm2019", 696_300_000)
    after = real_cli.json("funding", "--year", "2017", "--on", "2019-11-21")["totals"][0]
    assert (after["amount_usd"], after["edition"], after["edition_published"]) == (696_300_000, "lm2019", "2019-11-21")
    assert (after["revises_edition"], after["revises_amount_usd"], after["revised_by_edition"]) == ("lm2018", 673_200_000, None)
    out = _table(real_cli, monkeypatch, 100, "funding", "--year", "2017", "--on", "2019-11-20")
    assert "lm2019, published later, revised this to US$696,300,000." in out
    out = _table(real_cli, monkeypatch, 100, "funding", "--year", "2017")
    assert "lm2019 revised lm2018's US$673,200,000." in out


def test_on_a_day_before_an_edition_hides_its_years(real_cli):
    doc = real_cli.json("funding", "--on", "2023-11-13")
    # LM2022's total for 2021 is not recorded, so the latest total is 2020 and 2021 a gap.
    assert doc["latest"]["year"] == 2020 and doc["on"] == "2023-11-13"
    assert [(g["year"], g["edition"]) for g in doc["latest"]["later_gaps"]] == [(2021, "lm2022")]
    assert all(e["date"] <= "2023-11-13" for e in doc["events"])
    # LM2015 (covering 2014) has no recorded release day: it counts from the end of 2015, the
    # year in its title (rows.edition_counts_from).
    assert real_cli.json("funding", "--year", "2014", "--on", "2015-12-30")["totals"] == []
    assert real_cli.json("funding", "--year", "2014", "--on", "2015-12-31")["totals"][0]["edition"] == "lm2015"


def test_since_takes_a_year_only(real_cli):
    for option in ("--since", "--year"):
        result = real_cli("funding", option, "2025-03")
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.startswith(f"Error: {option} takes a year (YYYY), not '2025-03'")


def test_recipient_ukraine(real_cli):
    doc = real_cli.json("funding", "--recipient", "UKR")
    assert {r["iso3"] for r in doc["recipients"]} == {"UKR"}
    all_donors = {r["year"]: r for r in doc["recipients"] if r["donor"] is None}
    assert (all_donors[2022]["amount_usd"], all_donors[2022]["share_pct"], all_donors[2022]["edition"]) == (
        162_300_000, 20.0, "lm2023")
    assert (all_donors[2019]["amount_usd"], all_donors[2019]["edition"]) == (22_278_654, "lm2020")
    us_2022 = [r for r in doc["recipients"] if (r["year"], r["donor"]) == (2022, "USA")]
    assert [r["amount_usd"] for r in us_2022] == [91_286_000]
    assert (all_donors[2018]["amount_usd"], all_donors[2018]["edition"]) == (11_867_014, "lm2020")
    gaps = [(g["kind"], g["year"]) for g in doc["gaps"]]
    assert gaps == [("recipient", 2020), ("recipient", 2021), ("recipient", 2023), ("recipient", 2024)]
    # Every year from the first figure to the latest edition's is a figure or a gap, never absent.
    assert sorted(set(all_donors) | {year for _, year in gaps}) == list(range(2015, 2025))
    assert real_cli("funding", "--recipient", "Atlantis").exit_code == 2


# --- the chart: gaps are gaps, at any width --------------------------------------------------


@pytest.mark.parametrize("width", [50, 120])
def test_chart_draws_gaps_as_labelled_gaps(real_cli, monkeypatch, width):
    out = _table(real_cli, monkeypatch, width, "funding", "--chart")
    lines = out.splitlines()
    for line in lines:
        assert output.width_of(line) <= width, line
    rows = {line[:4]: line for line in lines if re.match(r"\d{4} ", line)}
    # 2023: the US part is known, the total is not: no "other donors" beside it.
    assert "█" in rows["2023"] and "░" not in rows["2023"] and "▒" not in rows["2023"]
    assert rows["2023"].split()[-3:] == ["gap", "39%", "stated"]
    # 2024: a lower bound, its US part unknown: drawn as a total, marked, with no "other donors".
    assert rows["2024"].split()[-1] == "≥760.0" and "░" not in rows["2024"]
    # 2017: a total whose US part is not recorded is not drawn as "other donors".
    assert "░" not in rows["2017"] and "▒" in rows["2017"]
    assert "░" in rows["2022"]
    text = " ".join(out.split())
    assert "gap 2023: no international total recorded here (Landmine Monitor 2024)." in text
    assert "gap 2024" not in text


# --- checks on funding.toml ------------------------------------------------------------------

# The fixture's editions are in its figures.toml, the one register of editions: rep2024
# covers 2023 (published 2024-11-20), rep2025 covers 2024 (published 2025-12-01), brief2025
# covers 2025 (published 2026-06-01).


@pytest.mark.parametrize(("extra", "message"), [
    ('\n[[totals]]\nyear = 2023\namount_usd = 5\nsources = ["src-a"]\nedition = "lm2099"\n',
     "funding.toml:81: edition: unknown edition 'lm2099'"),
    ('\n[[totals]]\nyear = 2024\namount_usd = 5\nsources = ["src-a"]\nedition = "rep2024"\n',
     "funding.toml:81: edition: rep2024 covers 2023, so it cannot report 2024"),
    ('\n[[contributions]]\ndonor = "ALP"\nyear = 2024\namount_usd = 5\nsources = ["src-a"]\n'
     'edition = "rep2024"\n',
     "funding.toml:82: edition: rep2024 covers 2023, so it cannot report 2024"),
    ('\n[[gaps]]\nyear = 2024\nkind = "international"\nedition = "rep2024"\nnote = "x"\n',
     "funding.toml:80: edition: rep2024 covers 2023, so it cannot report 2024"),
    ('\n[[totals]]\nyear = 2022\namount_usd = 5\nsources = ["src-a"]\nedition = "rep2024"\n'
     '\n[[totals]]\nyear = 2022\namount_usd = 6\nsources = ["src-a"]\nedition = "rep2024"\n',
     "year: duplicate international total for 2022 from rep2024"),
    ('\n[[totals]]\nyear = 2022\namount_usd = 5\nsources = ["src-a"]\nedition = "rep2024"\n'
     '\n[[gaps]]\nyear = 2022\nkind = "international"\nedition = "rep2024"\nnote = "x"\n',
     "year: a gap for 2022 beside a figure from the same edition"),
    ('\n[[gaps]]\nyear = 2022\nkind = "contribution"\nedition = "rep2024"\nnote = "x"\n',
     "donor: a contribution gap names its donor, and only it does"),
])
def test_funding_checks(facts_copy, extra, message):
    path = facts_copy / "funding.toml"
    path.write_text(path.read_text() + extra)
    with pytest.raises(FactsError) as err:
        store.load(facts_copy, use_cache=False)
    assert any(message in str(p) for p in err.value.problems), err.value.problems


def test_funding_has_no_editions_of_its_own(facts_copy):
    # One register of editions (figures.toml); a second one in funding.toml is refused.
    path = facts_copy / "funding.toml"
    path.write_text(path.read_text() + '\n[[editions]]\nid = "rep2024"\ntitle = "t"\npublisher = "p"\n'
                    'covers = 2023\nsources = ["src-a"]\n')
    with pytest.raises(FactsError) as err:
        store.load(facts_copy, use_cache=False)
    assert [(p.field, p.message) for p in err.value.problems] == [("editions", "unknown key")]


def test_a_revision_beside_the_first_figure_is_valid(facts_copy):
    from conftest import Invoker

    path = facts_copy / "funding.toml"
    path.write_text(path.read_text()
                    + '\n[[totals]]\nyear = 2024\namount_usd = 900\nsources = ["src-a"]\nedition = "brief2025"\n')
    doc = Invoker(facts_copy).json("funding", "--year", "2024")
    [total] = doc["totals"]
    assert (total["amount_usd"], total["revises_edition"], total["revises_amount_usd"]) == (900, "rep2025", 800)
    assert (total["edition"], total["edition_published"]) == ("brief2025", "2026-06-01")


# --- filters apply to every output; nothing unreported reads as zero ----------------------


def test_a_recipient_answer_holds_only_what_the_state_received(real_cli):
    doc = real_cli.json("funding", "--recipient", "Ukraine")
    assert (doc["contributions"], doc["totals"], doc["other_totals"], doc["events"]) == ([], [], [], [])
    assert {g["kind"] for g in doc["gaps"]} == {"recipient"}
    csv = real_cli("funding", "--recipient", "Ukraine", "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("year,iso3,country,donor,")
    assert len(csv) == 1 + len(doc["recipients"]) and all(",UKR,Ukraine," in line for line in csv[1:])
    table = real_cli("funding", "--recipient", "Ukraine").stdout
    assert "all donors" in table and "not tied to a" in table


def test_a_donor_answer_keeps_the_gaps_of_the_totals_its_shares_are_of(real_cli, monkeypatch):
    doc = real_cli.json("funding", "--donor", "Japan")
    assert {(g["kind"], g["year"]) for g in doc["gaps"]} >= {("international", 2023)}
    assert {g["kind"] for g in doc["gaps"]} <= {"international", "contribution"}
    monkeypatch.setenv("COLUMNS", "100")
    # The chart highlights the United States by default: asking for it changes nothing.
    assert real_cli("funding", "--chart").stdout == real_cli("funding", "--chart", "--donor", "USA").stdout
    japan = real_cli("funding", "--chart", "--donor", "Japan").stdout
    assert "gap 2023: no international total recorded here" in japan


def test_the_chart_does_not_take_a_recipient(real_cli):
    result = real_cli("funding", "--chart", "--recipient", "Ukraine")
    assert result.exit_code == 2 and "does not take --recipient" in result.stderr


@pytest.mark.parametrize(("args", "unreported", "covered"), [
    (["--year", "2025"], [2025], 2024),
    (["--year", "2022", "--on", "2023-11-13"], [2022], 2021),   # LM2023 came out on 2023-11-14
    (["--year", "2022", "--on", "2023-11-14"], [], 2022),
    (["--since", "2030"], [2030], 2024),
])
def test_a_year_no_edition_covers_yet_is_said_to_be_unreported(real_cli, args, unreported, covered):
    doc = real_cli.json("funding", *args)
    assert (doc["unreported_years"], doc["latest_year_covered"]) == (unreported, covered)
    table = real_cli("funding", *args).stdout
    assert ("Not reported" in table) == bool(unreported)


def test_caveats_reach_the_chart_the_recipient_table_and_small_shares(real_cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    chart = real_cli("funding", "--chart").stdout
    line_2013 = next(line for line in chart.splitlines() if line.startswith("2013 "))
    assert "~446.0" in line_2013 and "~ the source says about or almost this" in chart
    table = " ".join(real_cli("funding", "--year", "2019").stdout.split())
    assert "Iraq 2019 (all donors): Stated as $95.7 million" in table and "Rank 1 is inferred" in table
    saudi = real_cli("funding", "--donor", "Saudi Arabia").stdout
    assert "<0.1%" in saudi and " 0.0%" not in saudi


def test_funding_says_how_it_read_a_date_that_is_not_iso(real_cli):
    result = real_cli("funding", "--on", "2025-3", "--year", "2020", "--json")
    assert result.exit_code == 0 and "Read --on 2025-3 as 2025-03-31" in result.stderr
    assert json.loads(result.stdout)["on"] == "2025-03-31"


def test_year_and_since_together_are_refused(real_cli):
    result = real_cli("funding", "--since", "2023", "--year", "2020")
    assert result.exit_code == 2 and "not both" in result.stderr


def test_an_empty_flat_answer_says_on_stderr_where_the_gaps_are(real_cli):
    result = real_cli("funding", "--year", "2024", "--format", "csv")
    assert result.exit_code == 0 and result.stdout == ""
    assert "gaps (never zero)" in result.stderr
    full = real_cli("funding", "--year", "2022", "--format", "csv")
    assert full.stdout and full.stderr == ""
