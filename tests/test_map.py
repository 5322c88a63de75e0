"""`landmine map`: the SVG's structure, its colours against its legend, and real statuses."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from landmine_cli import maps, pictures
from landmine_cli.models import Status

SVG = "{http://www.w3.org/2000/svg}"
WORLD = Path(maps.__file__).parent / "world.json"


def states_of(svg: str) -> dict[str, ET.Element]:
    """Every element that carries a state's ISO 3166-1 alpha-3 code, by code (checked unique)."""
    root = ET.fromstring(svg.encode("utf-8"))
    found: dict[str, ET.Element] = {}
    for el in root.iter():
        code = el.get("id", "")
        if len(code) == 3 and code.isupper():
            assert code not in found, f"{code} carried twice"
            found[code] = el
    return found


def legend_of(svg: str, key: str = "data-status") -> dict[str, str]:
    root = ET.fromstring(svg.encode("utf-8"))
    return {el.get(key): el.get("fill") for el in root.iter(f"{SVG}rect") if el.get(key)}


def status_set(svg: str, *wanted: str) -> dict[str, str]:
    return {c: el.get("data-status") for c, el in states_of(svg).items() if el.get("data-status") in wanted}


@pytest.fixture(scope="module")
def apmbc_svg(real_base):
    return maps.status_map(real_base, real_base.treaties["apmbc"], __import__("datetime").date(2026, 11, 26))[1]


def test_every_state_is_one_element_with_its_code_status_and_legend_colour(real_base, apmbc_svg):
    found = states_of(apmbc_svg)
    assert set(found) == set(real_base.countries)
    legend = legend_of(apmbc_svg)
    for code, el in found.items():
        assert el.get("data-status") in legend, code
        assert el.get("fill") == legend[el.get("data-status")], code
        assert el.find(f"{SVG}title") is not None, code


def test_every_status_has_a_colour_and_a_legend_entry(apmbc_svg):
    assert set(pictures.statuses()) == {str(s) for s in Status}
    legend = legend_of(apmbc_svg)
    # not_a_state is in the legend only on a day when some state did not exist yet.
    for status in set(Status) - {Status.NOT_A_STATE}:
        assert legend[str(status)] == pictures.STATUS_COLOURS[str(status)]
    assert str(Status.NOT_A_STATE) not in legend
    assert len(set(pictures.STATUS_COLOURS.values())) == len(pictures.STATUS_COLOURS)


def test_small_states_are_dotted_and_listed(real_base, apmbc_svg):
    geo = maps.world()
    small = {c for c, s in geo["states"].items() if s["area"] < maps.SMALL_AREA}
    assert {"TUV", "NRU", "VAT", "MCO", "KNA", "PLW", "MHL"} <= small
    root = ET.fromstring(apmbc_svg.encode("utf-8"))
    listed = {el.get("data-ref") for el in root.iter(f"{SVG}g") if el.get("data-ref")}
    assert listed == small
    for code in small:
        assert states_of(apmbc_svg)[code].find(f"{SVG}circle") is not None, code


def test_the_shipped_boundaries_cover_every_state_and_stay_small(real_base):
    assert WORLD.stat().st_size < 300_000
    assert set(maps.world()["states"]) == set(real_base.countries)


# --- golden status sets on the real facts --------------------------------------------------


def test_finland_withdrawing_the_day_before_its_withdrawal_took_effect(real_cli):
    svg = real_cli("map", "--treaty", "apmbc", "--on", "2026-01-09").stdout
    assert status_set(svg, "withdrawing", "withdrawn") == {
        "EST": "withdrawn", "LVA": "withdrawn", "LTU": "withdrawn",
        "FIN": "withdrawing", "POL": "withdrawing",
    }


def test_finland_withdrawn_from_2026_01_10(real_cli):
    svg = real_cli("map", "--treaty", "apmbc", "--on", "2026-01-10").stdout
    assert status_set(svg, "withdrawing", "withdrawn") == {
        "EST": "withdrawn", "LVA": "withdrawn", "LTU": "withdrawn",
        "FIN": "withdrawn", "POL": "withdrawing",
    }


@pytest.mark.parametrize(
    ("day", "status"),
    [("2024-06-30", "party"), ("2024-12-31", "withdrawing"), ("2025-03-05", "withdrawing"),
     ("2025-03-06", "withdrawn"), ("2025-12-31", "withdrawn")],
)
def test_lithuania_on_the_ccm_map(real_cli, day, status):
    svg = real_cli("map", "--treaty", "ccm", "--on", day).stdout
    assert states_of(svg)["LTU"].get("data-status") == status
    assert states_of(svg)["LTU"].get("fill") == pictures.STATUS_COLOURS[status]


def test_changes_colour_the_states_that_changed_by_kind(real_cli):
    svg = real_cli("map", "--changes", "2025", "2026-11-26").stdout
    changed = {c: el.get("data-change") for c, el in states_of(svg).items()
               if el.get("data-change") != "unchanged"}
    assert changed == {"EST": "withdrew", "FIN": "withdrew", "LVA": "withdrew", "LTU": "withdrew",
                       "POL": "withdrew", "MHL": "joined", "TON": "joined"}
    legend = legend_of(svg, "data-change")
    for el in states_of(svg).values():
        assert el.get("fill") == legend[el.get("data-change")]


def test_json_rows_and_the_svg_agree(real_cli):
    rows = real_cli.json("map", "--treaty", "ccm", "--on", "2025-06-30")
    svg = real_cli("map", "--treaty", "ccm", "--on", "2025-06-30").stdout
    assert {r["iso3"]: r["status"] for r in rows} == {c: el.get("data-status") for c, el in states_of(svg).items()}
    ltu = next(r for r in rows if r["iso3"] == "LTU")
    assert ltu["since"] == "2025-03-06" and {"event": "Withdrawal effective", "date": "2025-03-06"} in ltu["key_dates"]


def test_hover_text_names_the_state_its_status_and_dates(real_cli):
    svg = real_cli("map", "--on", "2026-11-26").stdout
    text = states_of(svg)["FIN"].find(f"{SVG}title").text
    assert text.splitlines()[:2] == ["Finland", "Withdrawn since 2026-01-10"]
    assert "Withdrawal deposited: 2025-07-10" in text


# --- files and the terminal -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["map.svg", "map.html", "map.png"])
def test_writes_each_format_by_suffix(real_cli, tmp_path, name):
    target = tmp_path / name
    result = real_cli("map", "--on", "2026-11-26", "-o", str(target), "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["path"] == str(target) and doc["states"] == 197 and doc["counts"]["withdrawn"] == 5
    data = target.read_bytes()
    if name.endswith(".png"):
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        assert set(states_of(data.decode().split("<body>")[-1].split('<div id="tip"')[0]
                             if name.endswith(".html") else data.decode())) >= {"FIN", "BRA"}


def test_html_loads_nothing_from_the_network(real_cli, tmp_path):
    target = tmp_path / "map.html"
    assert real_cli("map", "--on", "2026-11-26", "-o", str(target)).exit_code == 0
    page = target.read_text(encoding="utf-8")
    assert page.count("http") == page.count('xmlns="http://www.w3.org/2000/svg"')
    for loader in ("src=", "href=", "@import", "url("):
        assert loader not in page


@pytest.mark.parametrize("where", ["missing/map.svg", "folder.svg"])
def test_a_picture_that_cannot_be_written_exits_5_and_changes_nothing(real_cli, tmp_path, where):
    (tmp_path / "folder.svg").mkdir()
    target = tmp_path / where
    result = real_cli("map", "--on", "2026-11-26", "-o", str(target))
    assert (result.exit_code, result.stdout) == (5, "")
    assert result.stderr.startswith(f"Error: -o {target}: cannot write: ")
    assert result.stderr.endswith("; nothing was changed\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.svg"]


def test_unknown_suffix_is_bad_usage(real_cli, tmp_path):
    result = real_cli("map", "-o", str(tmp_path / "map.gif"))
    assert result.exit_code == 2 and "Error:" in result.stderr and result.stdout == ""
    assert not (tmp_path / "map.gif").exists()


def test_on_and_changes_together_are_bad_usage(real_cli):
    result = real_cli("map", "--on", "2025", "--changes", "2024", "2025")
    assert result.exit_code == 2 and "Error:" in result.stderr and result.stdout == ""


def test_a_terminal_gets_a_message_not_an_svg():
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    env["LANDMINE_TODAY"] = "2026-11-26"
    proc = subprocess.run([sys.executable, "-m", "landmine_cli", "map"], stdout=follower,
                          stderr=subprocess.PIPE, env=env, timeout=60)
    os.close(follower)
    os.close(leader)
    assert proc.returncode == 2
    assert b"-o map.svg" in proc.stderr


def test_piped_without_o_prints_the_svg():
    env = os.environ | {"LANDMINE_TODAY": "2026-11-26"}
    proc = subprocess.run([sys.executable, "-m", "landmine_cli", "map", "--treaty", "ccm"],
                          capture_output=True, env=env, timeout=60, check=True)
    svg = proc.stdout.decode()
    assert svg.startswith("<?xml") and "status of states on 26 November 2026" in svg
    assert states_of(svg)["LTU"].get("data-status") == "withdrawn"


def test_states_that_did_not_exist_yet_are_drawn_and_listed_as_such(real_base):
    svg = maps.status_map(real_base, real_base.treaties["apmbc"], __import__("datetime").date(2005, 12, 31))[1]
    assert status_set(svg, "not_a_state") == {"MNE": "not_a_state", "SSD": "not_a_state"}
    assert legend_of(svg)["not_a_state"] == pictures.STATUS_COLOURS["not_a_state"]
