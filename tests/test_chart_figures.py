"""`landmine chart casualties` and `chart funding`: the bars are the figures and funding
answers, a year with no published figure is a gap (never a bar of 0), and every output fits."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

SVG = "{http://www.w3.org/2000/svg}"


def bars(doc):
    return {b["year"]: b for b in doc["bars"]}


@pytest.mark.parametrize("args, metric", [
    ([], "casualties"),
    (["--weapon", "cluster_munitions"], "cluster-casualties"),
    (["--on", "2019"], "casualties"),
])
def test_casualty_bars_equal_figures(real_cli, args, metric):
    chart = bars(real_cli.json("chart", "casualties", *args))
    on = args[1:] if args[:1] == ["--on"] else []
    rows = real_cli.json("figures", "--metric", metric, *(["--on", *on] if on else []))["figures"]
    assert set(chart) == {r["year"] for r in rows}
    for row in rows:
        assert chart[row["year"]]["value"] == row["total"]
        assert chart[row["year"]]["edition"] == row["edition"]
    assert len([b for b in chart.values() if b["value"] is not None]) >= 5


def test_funding_bars_equal_funding(real_cli):
    for on in ([], ["--on", "2019"]):
        chart = bars(real_cli.json("chart", "funding", *on))
        totals = real_cli.json("funding", *on)["totals"]
        assert len(totals) >= 5
        for t in totals:
            assert chart[t["year"]]["value"] == t["amount_usd"]
            assert chart[t["year"]]["edition"] == t["edition"]


def test_a_year_without_a_figure_is_a_gap_not_zero(cli):
    chart = bars(cli.json("chart", "casualties"))
    # The fixture publishes 2012, 2021 (a real 0), 2023 and 2024: 2013-2020 and 2022 are gaps.
    assert (chart[2022]["value"], chart[2022]["gap"]) == (None, True)
    assert chart[2022]["gap_note"] == "no figure published"
    assert (chart[2021]["value"], chart[2021]["gap"]) == (0, False)
    assert [y for y, b in chart.items() if b["gap"]] == [*range(2013, 2021), 2022]


def test_an_approximate_total_is_marked(real_cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    chart = bars(real_cli.json("chart", "funding"))
    assert chart[2013]["approximate"] and not chart[2012]["approximate"]
    lines = real_cli("chart", "funding").stdout.splitlines()
    assert any(l.startswith("2013 ") and l.endswith("~$446.0M") for l in lines)
    assert any(l.startswith("2012 ") and l.endswith(" $498.9M") for l in lines)


def test_a_recorded_funding_gap_keeps_its_note(real_cli):
    chart = bars(real_cli.json("chart", "funding"))
    assert chart[2011]["gap"] and chart[2011]["value"] is None
    assert "LM2012" in chart[2011]["gap_note"]


def test_on_hides_later_editions(cli):
    later = bars(cli.json("chart", "casualties"))
    earlier = bars(cli.json("chart", "casualties", "--on", "2013"))
    assert later[2024]["value"] == 300 and 2024 not in earlier


def test_svg_draws_a_gap_as_a_gap(cli, tmp_path):
    target = tmp_path / "c.svg"
    result = cli("chart", "casualties", "-o", str(target), "--json")
    assert result.exit_code == 0, result.stderr
    root = ET.fromstring(target.read_bytes())
    rects = {el.get("data-year"): el for el in root.iter(f"{SVG}rect") if el.get("class") == "bar"}
    gaps = {el.get("data-year"): el for el in root.iter(f"{SVG}g") if el.get("class") == "gap"}
    assert "2022" in gaps and "2022" not in rects
    assert gaps["2022"].get("data-gap") == "true" and not list(gaps["2022"].iter(f"{SVG}rect"))
    assert rects["2024"].get("data-value") == "300"
    assert rects["2021"].get("data-value") == "0"  # a published zero is a bar, of height 0
    assert float(rects["2021"].get("height")) == 0


@pytest.mark.parametrize("command", ["casualties", "funding"])
@pytest.mark.parametrize("name", ["chart.png", "chart.html", "chart.svg"])
def test_png_html_and_svg_are_written(real_cli, tmp_path, command, name):
    target = tmp_path / name
    result = real_cli("chart", command, "-o", str(target), "--json")
    assert result.exit_code == 0, result.stderr
    data = target.read_bytes()
    if name.endswith(".png"):
        assert data.startswith(b"\x89PNG")
    else:
        assert b'class="bar"' in data and b'class="gap"' in data


@pytest.mark.parametrize("command", ["casualties", "funding"])
@pytest.mark.parametrize("width", [50, 120])
def test_text_chart_fits_the_width(real_cli, monkeypatch, command, width):
    monkeypatch.setenv("COLUMNS", str(width))
    result = real_cli("chart", command)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= width for line in lines), [l for l in lines if len(l) > width]
    assert any("· gap:" in line for line in lines)
    # Rich would wrap a line too long: each year's bar must end on its own line with its figure.
    doc = real_cli.json("chart", command)
    from landmine_cli.yearcharts import amount

    for b in doc["bars"]:
        [line] = [l for l in lines if l.startswith(f"{b['year']} ")]
        assert "· gap:" in line if b["gap"] else line.endswith(amount(doc, b["value"])), line


def test_a_weapon_without_casualty_figures_is_bad_usage(cli):
    result = cli("chart", "casualties", "--weapon", "ap_mines")
    assert result.exit_code == 2 and "mines_erw or cluster_munitions" in result.stderr


@pytest.mark.parametrize("command", ["casualties", "funding"])
def test_help(cli, command):
    result = cli("chart", command, "--help")
    assert result.exit_code == 0 and "--on" in result.stdout and "gap" in result.stdout
