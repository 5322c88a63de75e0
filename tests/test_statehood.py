"""States that did not exist yet: `not_a_state` before a state's statehood date.

Law tests build their events by hand (no loader); the golden cases use the real facts:
Timor-Leste (20 May 2002), Montenegro (3 June 2006, part of Serbia and Montenegro, a party)
and South Sudan (9 July 2011, part of Sudan, a party; bound from independence).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from landmine_cli import law, queries, store
from landmine_cli.models import Event, EventType, Status, Treaty

D = dt.date.fromisoformat
FIXTURE_FACTS = Path(__file__).parent / "fixtures" / "facts"

APMBC = Treaty(
    id="apmbc", short_name="Mine Ban Convention", name="APMBC", aliases=(),
    adopted=D("1997-09-18"), opened_for_signature=D("1997-12-03"),
    entered_into_force=D("1999-03-01"), depositary="UN", entry_into_force_article="Art. 17",
    entry_into_force_months=6, withdrawal_article="Art. 20", withdrawal_months=6,
    withdrawal_waits_for_armed_conflict=True, sources=("s",),
)


def ev(kind: EventType, day: str, **extra) -> Event:
    return Event("apmbc", kind, D(day), ("s",), **extra)


# A successor bound from independence (like South Sudan) and one bound later (Montenegro).
FROM_INDEPENDENCE = (
    ev(EventType.ENTERED_INTO_FORCE, "2011-07-09", rule_exception="bound from independence"),
    ev(EventType.SUCCEEDED, "2011-11-11"),
)
LATER = (ev(EventType.SUCCEEDED, "2006-10-23"), ev(EventType.ENTERED_INTO_FORCE, "2007-04-01"))


# --- the law ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "statehood", "on", "expected"),
    [
        (FROM_INDEPENDENCE, "2011-07-09", "2011-07-08", Status.NOT_A_STATE),
        (FROM_INDEPENDENCE, "2011-07-09", "2011-07-09", Status.PARTY),
        (LATER, "2006-06-03", "2006-06-02", Status.NOT_A_STATE),
        (LATER, "2006-06-03", "2006-06-03", Status.NOT_JOINED),
        (LATER, "2006-06-03", "2006-10-23", Status.JOINING),
        (LATER, "2006-06-03", "2007-04-01", Status.PARTY),
        ((), "2002-05-20", "2002-05-19", Status.NOT_A_STATE),
        ((), "2002-05-20", "2002-05-20", Status.NOT_JOINED),
    ],
)
def test_standing_is_not_a_state_before_statehood(events, statehood, on, expected):
    assert law.standing(APMBC, events, D(on), statehood=D(statehood)).status is expected


def test_not_a_state_comes_before_unknown():
    # A state that did not exist has no status to research.
    got = law.standing(APMBC, (), D("2001-01-01"), researched=False, statehood=D("2002-05-20"))
    assert got.status is Status.NOT_A_STATE
    got = law.standing(APMBC, (), D("2002-05-20"), researched=False, statehood=D("2002-05-20"))
    assert got.status is Status.UNKNOWN


def test_not_a_state_has_no_next_change():
    # What lies ahead of a territory that is not yet a state was not set in motion by a deposit.
    got = law.standing(APMBC, LATER, D("2006-01-01"), statehood=D("2006-06-03"))
    assert (got.since, got.next_status, got.next_date) == (None, None, None)


def test_transitions_start_with_the_change_from_not_a_state():
    later = law.transitions(APMBC, LATER, statehood=D("2006-06-03"))
    assert [(c.date, c.before, c.after, c.event, c.derived) for c in later] == [
        (D("2006-06-03"), Status.NOT_A_STATE, Status.NOT_JOINED, None, False),
        (D("2006-10-23"), Status.NOT_JOINED, Status.JOINING, LATER[0], False),
        (D("2007-04-01"), Status.JOINING, Status.PARTY, LATER[1], False),
    ]
    assert law.change_type(later[0]) == law.BECAME_STATE
    first = law.transitions(APMBC, FROM_INDEPENDENCE, statehood=D("2011-07-09"))
    assert [(c.date, c.before, c.after) for c in first] == [
        (D("2011-07-09"), Status.NOT_A_STATE, Status.PARTY)
    ]
    # Caused by the entry into force recorded that day.
    assert law.change_type(first[0]) == "entered_into_force"


def test_transitions_of_an_unresearched_new_state_still_show_its_first_day():
    found = law.transitions(APMBC, (), researched=False, statehood=D("2002-05-20"))
    assert [(c.date, c.before, c.after) for c in found] == [
        (D("2002-05-20"), Status.NOT_A_STATE, Status.UNKNOWN)
    ]


# --- golden cases on the real facts ----------------------------------------------------------


def apmbc(doc: dict) -> dict:
    return next(t for t in doc["treaties"] if t["treaty"] == "apmbc")


def test_montenegro_before_and_after_independence(real_cli):
    before = apmbc(real_cli.json("status", "Montenegro", "--on", "2005"))
    assert (before["status"], before["since"], before["next_status"]) == ("not_a_state", None, None)
    assert before["status_note"] == (
        "not yet a state: Montenegro came into being on 2006-06-03; until then part of Serbia "
        "and Montenegro, a party; the facts do not record Montenegro as bound from "
        "independence: its succession of 2006-10-23 took effect on 2007-04-01"
    )
    assert {s["id"] for s in before["sources"]} == {"wipo-un-depositary-mne", "hina-2006-06-05"}
    on_the_day = apmbc(real_cli.json("status", "MNE", "--on", "2006-06-03"))
    assert (on_the_day["status"], on_the_day["status_note"]) == ("not_joined", None)
    # The succession recorded from the Monitor is kept: a party from 2007-04-01.
    assert apmbc(real_cli.json("status", "MNE", "--on", "2007-03-31"))["status"] == "joining"
    assert apmbc(real_cli.json("status", "MNE", "--on", "2007-04-01"))["status"] == "party"


def test_south_sudan_before_and_after_independence(real_cli):
    before = apmbc(real_cli.json("status", "South Sudan", "--on", "2011-07-08"))
    assert before["status"] == "not_a_state"
    assert before["status_note"] == (
        "not yet a state: South Sudan came into being on 2011-07-09; until then part of Sudan, "
        "a party; as a successor state South Sudan is recorded as bound from independence"
    )
    after = apmbc(real_cli.json("status", "SSD", "--on", "2011-07-09"))
    assert (after["status"], after["since"], after["status_note"]) == ("party", "2011-07-09", None)


def test_serbia_carries_on_without_a_break(real_cli):
    for day in ("2005", "2006-06-03", "2007"):
        assert apmbc(real_cli.json("status", "Serbia", "--on", day))["status"] == "party"


def test_a_state_before_statehood_is_no_non_member(real_cli):
    def listed(day: str) -> set[str]:
        return {r["iso3"] for r in real_cli.json("non-members", "--treaty", "apmbc", "--on", day)}

    assert not {"MNE", "SSD"} & listed("2005")
    assert "TLS" not in listed("2002-05-19")
    assert {"TLS"} <= listed("2002-05-20")
    assert "MNE" in listed("2006-06-03")
    assert "SSD" not in listed("2011-07-09")  # a party from independence


@pytest.mark.parametrize(
    ("day", "not_a_state"),
    [("1999-03-01", 3), ("2002-05-20", 2), ("2005-12-31", 2), ("2006-06-03", 1),
     ("2011-07-08", 1), ("2011-07-09", 0), ("2026-01-01", 0)],
)
def test_treaties_counts_add_up_to_the_states_that_existed(real_base, day, not_a_state):
    for row in queries.treaties(real_base, D(day)):
        parts = ("states_parties", "joining", "signatories", "withdrawn", "not_joined", "unknown")
        assert sum(row[k] for k in parts) == row["states"], (day, row["treaty"])
        assert row["not_a_state"] == not_a_state
        assert row["states"] + row["not_a_state"] == len(real_base.countries)


def test_montenegro_and_south_sudan_in_the_counts(real_base):
    def count(day: str) -> dict:
        return next(r for r in queries.treaties(real_base, D(day)) if r["treaty"] == "apmbc")

    # Montenegro's first day adds a state that has not joined; South Sudan's adds a party.
    assert count("2006-06-03")["not_joined"] == count("2006-06-02")["not_joined"] + 1
    assert count("2006-06-03")["states"] == count("2006-06-02")["states"] + 1
    assert count("2011-07-09")["states_parties"] == count("2011-07-08")["states_parties"] + 1
    assert count("2011-07-09")["not_joined"] == count("2011-07-08")["not_joined"]


def test_the_first_day_is_a_change_and_a_timeline_row(real_cli):
    rows = real_cli.json("changes", "--from", "2006-06-03", "--to", "2006-06-03", "--treaty", "apmbc")
    [row] = [r for r in rows if r["iso3"] == "MNE"]
    assert (row["change"], row["status_before"], row["status_after"], row["derived"]) == (
        "became_state", "not_a_state", "not_joined", False)
    assert row["note"] == "Montenegro came into being; until then it was part of Serbia and Montenegro"
    assert [s["id"] for s in row["sources"]] == ["wipo-un-depositary-mne", "hina-2006-06-05"]
    rows = real_cli.json("timeline", "South Sudan", "--treaty", "apmbc")
    assert [(r["date"], r["type"], r["status"]) for r in rows][:2] == [
        ("2011-07-09", "became_state", "party"),
        ("2011-07-09", "entered_into_force", "party"),
    ]


def test_the_chart_counts_agree_with_treaties_across_independence(real_cli, real_base):
    doc = real_cli.json("chart", "parties", "--treaty", "apmbc", "--from", "2011-07-01",
                        "--to", "2011-07-31")
    assert doc["series"][-1]["states_parties"] == next(
        r for r in queries.treaties(real_base, D("2011-07-31")) if r["treaty"] == "apmbc"
    )["states_parties"]
    assert {(e["iso3"], e["event"]) for e in doc["events"]} >= {("SSD", "joined")}


# --- validation ------------------------------------------------------------------------------


def problems(overrides: dict[str, str]) -> list[str]:
    _, found = store.check(FIXTURE_FACTS, overrides)
    return [f"{p.field}: {p.message}" for p in found]


BETALAND = (FIXTURE_FACTS / "countries" / "bet.toml").read_text(encoding="utf-8")


def betaland(extra: str) -> dict[str, str]:
    head, rest = BETALAND.split("\n\n", 1)
    return {"countries/bet.toml": f"{head}\n{extra}\n\n{rest}"}


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('statehood = 2004-06-01\nstatehood_sources = ["src-a"]',
         "date: 2004-05-12 is before Betaland became a state (2004-06-01); record a sourced "
         "rule_exception if it is right"),
        ("statehood = 2003-01-01",
         "statehood_sources: statehood cites no source"),
        ('statehood = 2003-01-01\nstatehood_sources = ["nowhere"]',
         "statehood_sources: unknown source 'nowhere' (statehood_sources[0])"),
        ('statehood = 1990-01-01\nstatehood_sources = ["src-a"]',
         "statehood: 1990-01-01 is not after the first treaty opened for signature (1997-12-03); "
         "record statehood only for states that came into being later"),
        ('statehood = 1997-12-03\nstatehood_sources = ["src-a"]',
         "statehood: 1997-12-03 is not after the first treaty opened for signature (1997-12-03); "
         "record statehood only for states that came into being later"),
        ('statehood = 2003-01-01\nstatehood_sources = ["src-a"]\npart_of = "XXX"',
         "part_of: 'XXX' is not another state of the fact base"),
        ('statehood = 2003-01-01\nstatehood_sources = ["src-a"]\npart_of = "BET"',
         "part_of: 'BET' is not another state of the fact base"),
        ('statehood = 2003-01-01\nstatehood_sources = ["src-a"]\npart_of_name = "Old"',
         "part_of_name: is given without part_of"),
        ('statehood_sources = ["src-a"]', "statehood_sources: is given without a statehood date"),
        ('part_of = "ALP"', "part_of: is given without a statehood date"),
    ],
)
def test_statehood_checks(extra, expected):
    assert problems(betaland(extra)) == [expected]


def test_a_sound_statehood_passes_and_an_excepted_early_event_too():
    assert problems(betaland('statehood = 2003-01-01\nstatehood_sources = ["src-a"]\npart_of = "ALP"')) == []
    text = betaland('statehood = 2004-06-01\nstatehood_sources = ["src-a"]')["countries/bet.toml"]
    text = text.replace('type = "acceded"\ndate = 2004-05-12\n',
                        'type = "acceded"\ndate = 2004-05-12\nrule_exception = "why"\n')
    assert problems({"countries/bet.toml": text}) == []


def test_a_warm_lookup_of_one_state_brings_the_state_it_was_part_of(tmp_path, monkeypatch):
    from landmine_cli import cache

    monkeypatch.setenv("LANDMINE_CACHE_DIR", str(tmp_path))
    real = Path(__file__).parent.parent / "facts"
    key = cache.fingerprint(real)
    truth, _ = store.check(real)
    cache.write(real, key, truth)
    base, iso3 = cache.read_state(real, key, "south sudan")
    assert iso3 == "SSD" and set(base.countries) == {"SSD", "SDN"}
    doc = queries.status(base, "SSD", D("2005-01-01"))
    assert doc == queries.status(truth, "SSD", D("2005-01-01"))
    base, _ = cache.read_state(real, key, "finland")
    assert set(base.countries) == {"FIN"}


def test_the_export_carries_statehood_and_the_first_day(real_base, tmp_path):
    import sqlite3

    from landmine_cli import export

    path = tmp_path / "x.db"
    export.to_sqlite(real_base, path, D("2005-12-31"))
    db = sqlite3.connect(path)
    assert db.execute("SELECT statehood, part_of, part_of_name FROM countries WHERE iso3 = 'MNE'"
                      ).fetchone() == ("2006-06-03", "SRB", "Serbia and Montenegro")
    assert db.execute("SELECT count(*) FROM statehood_sources WHERE iso3 = 'SSD'").fetchone() == (3,)
    assert db.execute("SELECT status, non_member FROM standing WHERE iso3 = 'SSD' AND treaty = 'apmbc'"
                      ).fetchone() == ("not_a_state", 0)
    assert db.execute("SELECT date, status_before, change FROM status_changes WHERE iso3 = 'MNE' "
                      "AND treaty = 'apmbc' AND seq = 1").fetchone() == ("2006-06-03", "not_a_state",
                                                                         "became_state")
