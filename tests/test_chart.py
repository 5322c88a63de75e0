"""`landmine chart parties`: the series equals `treaties --on`; SVG and text fit."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from landmine_cli import charts

SVG = "{http://www.w3.org/2000/svg}"
DATES = ["1999-02-28", "1999-03-01", "2003-12-31", "2010-08-01", "2018-06-01",
         "2025-03-06", "2025-12-27", "2026-01-09", "2026-01-10", "2026-02-20", "2026-11-26"]


@pytest.mark.parametrize("treaty", ["apmbc", "ccm"])
def test_series_equals_treaties_on_every_date(real_cli, treaty):
    doc = real_cli.json("chart", "parties", "--treaty", treaty, "--from", "1997-12-03",
                        "--to", "2026-11-26")
    for day in DATES:
        [row] = [r for r in real_cli.json("treaties", "--on", day) if r["treaty"] == treaty]
        on = dt.date.fromisoformat(day)
        assert charts.value_on(doc, on) == row["states_parties"], (treaty, day)
        assert charts.value_on(doc, on, "signatories") == row["signatories"], (treaty, day)


def test_series_starting_mid_period_equals_treaties(real_cli):
    doc = real_cli.json("chart", "parties", "--from", "2025-06-01", "--to", "2026-03-31")
    [row] = [r for r in real_cli.json("treaties", "--on", "2025-06-01") if r["treaty"] == "apmbc"]
    assert doc["series"][0]["states_parties"] == row["states_parties"]


def test_withdrawals_and_accessions_of_the_period_are_annotated(real_cli):
    doc = real_cli.json("chart", "parties", "--from", "2025", "--to", "2026-11-26")
    assert [(e["date"], e["iso3"], e["event"]) for e in doc["events"]] == [
        ("2025-09-01", "MHL", "joined"), ("2025-12-01", "TON", "joined"),
        ("2025-12-27", "EST", "withdrew"), ("2025-12-27", "LVA", "withdrew"),
        ("2025-12-27", "LTU", "withdrew"), ("2026-01-10", "FIN", "withdrew"),
        ("2026-02-20", "POL", "withdrew"),
    ]


def test_svg_has_both_series_and_an_event_per_annotation(real_cli, tmp_path):
    target = tmp_path / "parties.svg"
    result = real_cli("chart", "parties", "--treaty", "ccm", "--from", "2024", "--to", "2025-12-31",
                      "-o", str(target))
    assert result.exit_code == 0, result.stderr
    root = ET.fromstring(target.read_bytes())
    assert {el.get("id") for el in root.iter(f"{SVG}polyline")} == {"states_parties", "signatories"}
    events = {(el.get("data-iso3"), el.get("data-event")) for el in root.iter(f"{SVG}g") if el.get("data-event")}
    assert ("LTU", "withdrew") in events
    assert "Lithuania withdrew 2025-03-06" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["parties.png", "parties.html"])
def test_png_and_html(real_cli, tmp_path, name):
    target = tmp_path / name
    result = real_cli("chart", "parties", "--to", "2026-11-26", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG") if name.endswith(".png") else b"<polyline" in data


@pytest.mark.parametrize("width", [40, 80, 132])
def test_text_chart_fits_the_width(real_cli, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    result = real_cli("chart", "parties", "--from", "2024", "--to", "2026-11-26")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= width for line in lines[1:10]), lines
    assert "2026-01-10  Finland withdrew" in result.stdout


def test_long_periods_list_withdrawals_and_count_accessions(real_cli):
    out = real_cli("chart", "parties", "--to", "2026-11-26").stdout
    assert "2026-02-20  Poland withdrew" in out and "states joined in the period" in out


def test_to_before_from_is_bad_usage(real_cli):
    result = real_cli("chart", "parties", "--from", "2025", "--to", "2024")
    assert result.exit_code == 2 and "Error:" in result.stderr and result.stdout == ""


def test_help_has_an_example(real_cli):
    for args in (("chart", "parties", "--help"), ("map", "--help")):
        result = real_cli(*args)
        assert result.exit_code == 0 and "Example: landmine " in result.stdout


def test_a_columns_value_that_is_not_a_number_falls_back_to_80(real_cli, monkeypatch):
    # The width comes from the output layer's one reading of COLUMNS (output.text_width).
    monkeypatch.setenv("COLUMNS", "wide")
    result = real_cli("chart", "parties", "--from", "2025", "--to", "2025-12-31")
    assert result.exit_code == 0, result.exception
    assert max(map(len, result.stdout.splitlines())) <= 80
