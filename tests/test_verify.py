"""`landmine verify`: UN Treaty Collection status pages read and compared with the facts.

The pages in tests/fixtures/un/ are real MTDSG XML files, or cuts from them; the README there
says where each came from and which two fixtures are constructed (no public copy of a saved
HTML page or of a page with a withdrawal end note was found).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REAL_FACTS
from golden import assert_golden
from landmine_cli import depositary, store
from landmine_cli.cli import app
from landmine_cli.errors import EXIT_DISAGREE
from landmine_cli.models import EventType

UN = Path(__file__).parent / "fixtures" / "un"
FACTS = UN / "facts"  # real states with the dates of the cut pages
D = dt.date.fromisoformat


def run(*args: str, facts: Path | None = FACTS):
    argv = [*args] + ([] if facts is None else ["--facts", str(facts)])
    return CliRunner().invoke(app, ["verify", *argv])


@pytest.fixture(scope="module")
def base():
    return store.load(FACTS)


def page(name: str) -> depositary.Page:
    return depositary.read(UN / name)


def participant(found: depositary.Page, name: str) -> depositary.Participant:
    return next(p for p in found.participants if p.name == name)


# --- reading the page -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "consent", "kind"),
    [
        ("Albania", "2000-02-29", EventType.RATIFIED),  # no marker
        ("Afghanistan", "2002-09-11", EventType.ACCEDED),  # a
        ("Netherlands", "1999-04-12", EventType.ACCEPTED),  # A
        ("Slovakia", "1999-02-25", EventType.APPROVED),  # AA
        ("Montenegro", "2006-10-23", EventType.SUCCEEDED),  # d
    ],
)
def test_each_consent_marker(name, consent, kind):
    found = participant(page("apmbc-cut.en.xml"), name)
    assert (found.consent, found.consent_kind) == (D(consent), kind)


def test_a_signatory_without_consent():
    found = participant(page("apmbc-cut.en.xml"), "Marshall Islands")
    assert (found.signature, found.consent, found.consent_kind) == (D("1997-12-04"), None, None)


def test_provisional_application_is_its_own_column():
    found = participant(page("ccm-withdrawal.en.xml"), "Belize")
    assert found.provisional == D("2014-09-02")
    assert (found.consent, found.consent_kind) == (D("2014-09-02"), EventType.ACCEDED)


def test_footnote_markers_leave_the_name_and_point_to_end_notes():
    found = participant(page("apmbc-cut.en.xml"), "Ukraine")
    assert found.notes == (4,)
    notice = next(n for n in page("apmbc-cut.en.xml").notices if n.index == 4)
    assert notice.participants == ("Ukraine",)
    assert (notice.kind, notice.date) == ("notification", D("2016-03-30"))


def test_a_withdrawal_end_note():
    notice = next(n for n in page("ccm-withdrawal.en.xml").notices if n.kind == "withdrawal")
    assert notice.participants == ("Lithuania",)
    assert (notice.date, notice.effective) == (D("2024-09-06"), D("2025-03-06"))


def test_the_treaty_comes_from_the_page_not_the_file_name(tmp_path):
    misleading = tmp_path / "XXVI-5.en.xml"
    shutil.copy(UN / "ccm-withdrawal.en.xml", misleading)
    assert depositary.read(misleading).treaty == "ccm"


def test_a_saved_html_page():
    found = page("apmbc-status.html")
    assert (found.treaty, found.mtdsg, found.status_as_at) == ("apmbc", "XXVI-5", D("2018-01-15"))
    assert participant(found, "Bolivia (Plurinational State of)").signature == D("1997-12-03")
    assert participant(found, "Slovakia").consent_kind is EventType.APPROVED
    assert participant(found, "Montenegro").notes == (1,)
    assert [n.index for n in found.notices] == [1, 2, 4]


@pytest.mark.parametrize(("name", "treaty", "count"), [("XXVI-5.en.xml", "apmbc", 165),
                                                       ("XXVI-6.en.xml", "ccm", 119)])
def test_a_full_real_page_reads_whole(name, treaty, count):
    # The real files are not well-formed XML (a bare "&", a U+001C); every row still reads,
    # and the states with a consent date are exactly the parties the page counts.
    found = page(name)
    assert (found.treaty, len(found.participants)) == (treaty, count)
    assert sum(1 for p in found.participants if p.consent) == found.parties


# --- names -------------------------------------------------------------------------------


def test_a_bracketed_un_name_maps_to_its_state(base):
    assert depositary.map_name("Bolivia (Plurinational State of)", base) == "BOL"
    assert depositary.map_name("Netherlands (Kingdom of the)", base) == "NLD"
    assert depositary.map_name("Atlantis (Lost City of)", base) is None


def test_a_participant_that_maps_to_nothing_is_reported_not_dropped():
    result = run(str(UN / "apmbc-cut.en.xml"), "--as-at", "2018-01-15", "--json")
    rows = json.loads(result.stdout)["disagreements"]
    assert rows == [{"treaty": "apmbc", "state": "Afghanistan", "iso3": None,
                     "field": "participant", "fact_base": None, "un": "listed",
                     "note": "unmapped participant"}]


# --- comparing -----------------------------------------------------------------------------


def compare(base, name: str, as_at: str, *edits: tuple[bytes, bytes]):
    raw = (UN / name).read_bytes()
    for old, new in edits:
        assert old in raw
        raw = raw.replace(old, new)
    return depositary.compare(depositary.parse(raw, name), base, D(as_at))


def fields(rows):
    return [(r["state"], r["field"], r["fact_base"], r["un"]) for r in rows]


def test_all_agree(base):
    assert compare(base, "ccm-withdrawal.en.xml", "2025-06-30") == []


def test_a_kind_of_consent_that_differs(base):
    rows = compare(base, "ccm-withdrawal.en.xml", "2025-06-30",
                   (b"23 Feb 2011 A", b"23 Feb 2011"))
    assert fields(rows) == [("Netherlands", "consent_kind", "accepted", "ratified")]


def test_dates_that_differ(base):
    rows = compare(base, "ccm-withdrawal.en.xml", "2025-06-30",
                   (b"<Entry>3 Dec 2008</Entry>\n                <Entry />\n                "
                    b"<Entry>30 Apr 2013</Entry>",
                    b"<Entry>4 Dec 2008</Entry>\n                <Entry />\n                "
                    b"<Entry>29 Apr 2013</Entry>"))
    assert fields(rows) == [("Bolivia", "signature", "2008-12-03", "2008-12-04"),
                            ("Bolivia", "consent_date", "2013-04-30", "2013-04-29")]


def test_withdrawal_dates_that_differ(base):
    rows = compare(base, "ccm-withdrawal.en.xml", "2025-06-30",
                   (b"take effect on 6 March 2025", b"take effect on 7 March 2025"))
    assert fields(rows) == [("Lithuania", "withdrawal_effective", "2025-03-06", "2025-03-07")]


def test_a_withdrawal_the_page_lacks(base):
    rows = compare(base, "apmbc-cut.en.xml", "2026-01-15")
    assert ("Lithuania", "withdrawal_deposited", "2025-06-27", None) in fields(rows)
    assert ("Lithuania", "withdrawal_effective", "2025-12-27", None) in fields(rows)


def test_an_event_after_the_status_date_is_not_a_disagreement(base):
    # Lithuania deposited its APMBC withdrawal in 2025: not on a page as at 2018.
    rows = compare(base, "apmbc-cut.en.xml", "2018-01-15")
    assert [r for r in rows if r["iso3"] == "LTU"] == []


def test_a_state_the_page_does_not_list(base):
    rows = compare(base, "ccm-withdrawal.en.xml", "2025-06-30",
                   (b"<Entry>Norway", b"<Entry>Narnia"))
    assert ("Norway", "participant", "signed 2008-12-03", None) in fields(rows)
    assert ("Narnia", "participant", None, "listed") in fields(rows)


# --- the command -------------------------------------------------------------------------


def test_exit_0_when_all_agree():
    result = run(str(UN / "ccm-withdrawal.en.xml"), "--as-at", "2025-06-30")
    assert result.exit_code == 0, result.stderr
    assert "The fact base agrees with the UN record." in result.stdout


def test_exit_4_when_anything_differs():
    result = run(str(UN / "apmbc-status.html"))
    assert result.exit_code == EXIT_DISAGREE == 4
    assert "Afghanistan" in result.stdout and result.stderr == ""


def test_json_shape():
    result = run(str(UN / "apmbc-cut.en.xml"), str(UN / "ccm-withdrawal.en.xml"),
                 "--as-at", "2018-01-15", "--json")
    doc = json.loads(result.stdout)
    assert set(doc) == {"pages", "disagreements"}
    assert [p["treaty"] for p in doc["pages"]] == ["apmbc", "ccm"]
    assert set(doc["pages"][1]) == {"path", "treaty", "mtdsg", "title", "status_as_at",
                                    "status_as_at_from", "participants", "parties", "notices"}
    assert doc["pages"][1]["status_as_at_from"] == "--as-at"
    withdrawal = [n for n in doc["pages"][1]["notices"] if n["kind"] == "withdrawal"]
    assert withdrawal == [{"index": 9, "participants": ["Lithuania"], "kind": "withdrawal",
                           "date": "2024-09-06", "effective": "2025-03-06",
                           "text": withdrawal[0]["text"]}]
    assert all(set(r) == {"treaty", "state", "iso3", "field", "fact_base", "un", "note"}
               for r in doc["disagreements"])


def test_csv_prints_the_disagreements_with_the_json_keys():
    result = run(str(UN / "apmbc-status.html"), "--format", "csv")
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert header == ["treaty", "state", "iso3", "field", "fact_base", "un", "note"]


@pytest.mark.parametrize("name", ["not-un.html", "other-treaty.en.xml", "missing.xml"])
def test_a_file_that_is_not_a_un_status_page(name):
    result = run(str(UN / name), "--as-at", "2018-01-15")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and result.stdout == ""


def test_an_xml_page_needs_a_status_date():
    result = run(str(UN / "apmbc-cut.en.xml"))
    assert result.exit_code == 2 and "--as-at" in result.stderr and result.stdout == ""


def test_a_partial_status_date_is_refused():
    result = run(str(UN / "apmbc-cut.en.xml"), "--as-at", "2018")
    assert result.exit_code == 2 and result.stdout == ""


def test_help():
    result = run("--help", facts=None)
    assert result.exit_code == 0 and "Example: landmine verify" in result.stdout


# --- the real facts against a full real page ----------------------------------------------


@pytest.mark.parametrize("name", ["XXVI-5.en.xml", "XXVI-6.en.xml"])
def test_real_facts_agree_with_a_full_real_page(name):
    # Saved on 2018-01-15 at the latest (the commit that holds it); the files show no date.
    rows = depositary.compare(page(name), store.load(REAL_FACTS), D("2018-01-15"))
    assert rows == []


def test_table_at_80_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.chdir(UN)  # the page's path is shown, so keep it short and the same everywhere
    assert_golden("80-verify", run("apmbc-status.html").stdout)


def test_a_folder_is_one_clear_error(tmp_path):
    result = run(str(tmp_path))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {tmp_path}: not a regular file\n"
