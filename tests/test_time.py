"""Answers in time: changes between two dates, timelines, and their agreement with --on."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Invoker
from golden import assert_golden
from landmine_cli import law


def test_changes_table(cli):
    result = cli("changes", "--from", "2025", "--to", "2026-12-31")
    assert result.exit_code == 0
    assert_golden("changes", result.stdout)


def test_changes_json(cli):
    rows = cli.json("changes", "--from", "2026", "--to", "2026-12-31", "--treaty", "apmbc")
    assert [(r["date"], r["iso3"], r["change"], r["status_before"], r["status_after"], r["derived"]) for r in rows] == [
        ("2026-01-15", "GAM", "withdrawal_announced", "party", "party", False),
        ("2026-03-10", "GAM", "withdrawal_deposited", "party", "withdrawing", False),
        ("2026-09-10", "GAM", "withdrawal_effective", "withdrawing", "withdrawn", True),
    ]
    assert rows[2]["note"] == "date given by Art. 20 from the withdrawal_deposited of 2026-03-10"
    assert [s["id"] for s in rows[2]["sources"]] == ["src-b"]


def test_changes_include_both_ends(cli):
    days = [r["date"] for r in cli.json("changes", "--from", "2025-12-27", "--to", "2026-01-15")]
    assert days == ["2025-12-27", "2026-01-15"]


def test_to_before_from_is_a_usage_error(cli):
    result = cli("changes", "--from", "2026", "--to", "2025")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "Error: --to (2025-12-31) is before --from (2026-01-01)\n"


def test_timeline_of_a_treaty(cli):
    result = cli("timeline", "--treaty", "ccm")
    assert result.exit_code == 0
    assert_golden("timeline-ccm", result.stdout)


def test_timeline_of_one_state(cli):
    rows = cli.json("timeline", "Gammaland", "--on", "2026-12-31")
    assert [(r["date"], r["type"], r["status"], r["derived"]) for r in rows] == [
        ("2012-01-09", "acceded", "joining", False),
        ("2012-07-01", "entered_into_force", "party", False),
        ("2026-01-15", "withdrawal_announced", "party", False),
        ("2026-03-10", "withdrawal_deposited", "withdrawing", False),
        ("2026-09-10", "withdrawal_effective", "withdrawn", True),
    ]
    assert [r["date"] for r in cli.json("timeline", "GAM", "--since", "2026-02")] == ["2026-03-10"]


def test_countdown_to_a_pending_withdrawal(cli):
    result = cli("status", "Gammaland")
    assert "withdrawn from 2026-09-10 (in 72 days)" in result.stdout


# --- the real fact base ---------------------------------------------------------------------


def test_real_baltic_withdrawals_appear_as_changes(real_cli):
    rows = real_cli.json("changes", "--from", "2025-12-27", "--to", "2025-12-27")
    assert {(r["iso3"], r["status_after"]) for r in rows} == {
        ("EST", "withdrawn"),
        ("LVA", "withdrawn"),
        ("LTU", "withdrawn"),
    }


def recorded_status(events, researched: bool, day: dt.date, statehood: dt.date | None = None) -> str:
    """The status on `day` read straight from the recorded events, without law.py.

    Up to facts_as_of the shipped facts record every entry into force and every withdrawal
    taking effect (validation requires them), so nothing needs deriving: this plain reading
    is an oracle independent of the code under test.
    """
    if statehood is not None and day < statehood:
        return "not_a_state"
    if not researched:
        return "unknown"
    status = "not_joined"
    for event in events:
        if event.date > day:
            break
        kind = str(event.type)
        if kind == "signed" and status in ("not_joined", "withdrawn"):
            status = "signatory"
        elif kind in {"ratified", "acceded", "accepted", "approved", "succeeded"} and status != "party":
            status = "joining"
        elif kind == "entered_into_force":
            status = "party"
        elif kind == "withdrawal_deposited":
            status = "withdrawing"
        elif kind == "withdrawal_effective":
            status = "withdrawn"
    return status


def recorded_map(base, day: dt.date) -> dict[tuple[str, str], str]:
    return {
        (iso3, t.id): recorded_status(base.treaty_events(iso3, t.id), t.id in country.complete_for,
                                      day, country.statehood)
        for iso3, country in base.countries.items()
        for t in base.treaties.values()
    }


def days_until(base):
    return st.dates(min_value=dt.date(1997, 11, 1), max_value=base.meta.facts_as_of)


def test_standing_agrees_with_the_recorded_events_around_each_of_them(real_base):
    # For every state and treaty: the day before, of and after each of its events.
    checked = 0
    for iso3, country in real_base.countries.items():
        for t in real_base.treaties.values():
            events = real_base.treaty_events(iso3, t.id)
            researched = t.id in country.complete_for
            days = {e.date + dt.timedelta(days=k) for e in events for k in (-1, 0, 1)}
            for day in sorted(d for d in days if d <= real_base.meta.facts_as_of):
                got = law.standing(t, events, day, real_base.conflicts.get(iso3, ()), researched,
                                   country.statehood)
                expected = recorded_status(events, researched, day, country.statehood)
                assert str(got.status) == expected, (iso3, t.id, day)
                checked += 1
    assert checked > 2000


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_changes_carry_the_state_at_d1_to_the_state_at_d2(real_base, data):
    d1, d2 = sorted([data.draw(days_until(real_base)), data.draw(days_until(real_base))])
    state = recorded_map(real_base, d1 - dt.timedelta(days=1))
    for row in Invoker(None).json("changes", "--from", d1.isoformat(), "--to", d2.isoformat()):
        key = (row["iso3"], row["treaty"])
        assert state[key] == row["status_before"], row
        state[key] = row["status_after"]
    assert state == recorded_map(real_base, d2)
