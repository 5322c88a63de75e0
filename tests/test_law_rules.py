"""Treaty rules added to law.py, tested on hand-made records (not through the loader), and
the validation check built on them, tested on the fixture facts with one file overridden."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from landmine_cli import law, store
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


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        ("1997-12-02", False),  # before the opening
        ("1997-12-03", True),   # the first day
        ("1999-02-28", True),
        ("1999-03-01", True),   # the day of entry into force: "until" read as inclusive
        ("1999-03-02", False),  # closed: join by accession
        ("2025-01-01", False),
    ],
)
def test_signature_window(day: str, open_: bool) -> None:
    assert law.signature_open(APMBC, D(day)) is open_


def test_event_order_puts_same_day_events_in_legal_sequence() -> None:
    day = D("2000-01-01")
    ratified = Event("apmbc", EventType.RATIFIED, day, ("s",))
    signed = Event("apmbc", EventType.SIGNED, day, ("s",))
    earlier = Event("apmbc", EventType.STATEMENT, D("1999-12-31"), ("s",))
    assert sorted([ratified, signed, earlier], key=law.event_order) == [earlier, signed, ratified]


def test_non_members_are_not_parties_except_the_pending_ones() -> None:
    assert Status.PARTY not in law.NON_MEMBERS
    assert set(law.NON_MEMBERS) & law.IS_PARTY == {Status.WITHDRAWING}


def _progress(*events: Event, on: str) -> law.WithdrawalProgress:
    steps = [e for e in events if e.type in law.WITHDRAWAL_STAGES]
    standing = law.standing(APMBC, events, D(on))
    return law.withdrawal_progress(APMBC, steps, standing)


def test_derived_effective_date_of_an_unrecorded_withdrawal() -> None:
    joined = Event("apmbc", EventType.ACCEDED, D("2000-01-10"), ("s",))
    eif = Event("apmbc", EventType.ENTERED_INTO_FORCE, D("2000-07-01"), ("s",))
    deposit = Event("apmbc", EventType.WITHDRAWAL_DEPOSITED, D("2025-07-10"), ("s",))
    pending = _progress(joined, eif, deposit, on="2026-01-09")
    assert (pending.stage, pending.effective, pending.expected) == ("deposited", None, D("2026-01-10"))
    done = _progress(joined, eif, deposit, on="2026-01-10")
    assert (done.stage, done.effective, done.expected) == ("effective", D("2026-01-10"), None)


def _checked(rel: str, text: str) -> list[str]:
    _, problems = store.check(FIXTURE_FACTS, {rel: text})
    return [str(p) for p in problems]


def test_a_signature_after_entry_into_force_is_a_problem() -> None:
    rel = "countries/eps.toml"
    text = (FIXTURE_FACTS / rel).read_text(encoding="utf-8")
    late = text.replace("date = 1997-12-04", "date = 1999-03-02")
    assert late != text
    problems = _checked(rel, late)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{store.shown_root(FIXTURE_FACTS)}/countries/eps.toml:16: ")  # the date line
    assert "date: signature closed on 1999-03-01 (Art. 15); a state joins after that by accession" in problems[0]


def test_a_signature_on_the_day_of_entry_into_force_is_accepted() -> None:
    rel = "countries/eps.toml"
    text = (FIXTURE_FACTS / rel).read_text(encoding="utf-8")
    assert _checked(rel, text.replace("date = 1997-12-04", "date = 1999-03-01")) == []
