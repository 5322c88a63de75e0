"""The treaty rules (law.py) and date handling (dates.py) as pure functions.

The records are built here, not loaded: a test of the rules must not depend on the loader,
the fixture files or the cache.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from landmine_cli import dates, law
from landmine_cli.errors import UsageError
from landmine_cli.models import Conflict, Event, EventType, Status, Treaty

D = dt.date.fromisoformat

APMBC = Treaty(
    id="apmbc",
    short_name="Mine Ban Convention",
    name="Anti-Personnel Mine Ban Convention",
    aliases=("ottawa",),
    adopted=D("1997-09-18"),
    opened_for_signature=D("1997-12-03"),
    entered_into_force=D("1999-03-01"),
    depositary="Secretary-General of the United Nations",
    entry_into_force_article="Art. 17",
    entry_into_force_months=6,
    withdrawal_article="Art. 20",
    withdrawal_months=6,
    withdrawal_waits_for_armed_conflict=True,
    sources=("s",),
)
# A treaty whose withdrawals do not wait for the end of an armed conflict.
PLAIN = APMBC._replace(id="plain", withdrawal_waits_for_armed_conflict=False)


def war(start: str, end: str | None = None) -> Conflict:
    return Conflict(start=D(start), end=None if end is None else D(end), description="war", sources=("s",))


@pytest.mark.parametrize(
    ("deposit", "expected"),
    [
        ("2012-01-09", "2012-07-01"),  # Finland: first day of the sixth month after January
        ("2025-03-12", "2025-09-01"),  # Marshall Islands
        ("2025-06-25", "2025-12-01"),  # Tonga
        ("2005-12-27", "2006-06-01"),  # across a year end
        ("1998-07-09", "1999-03-01"),  # before the treaty's own entry into force
        ("1998-09-16", "1999-03-01"),  # the 40th instrument itself
        ("1998-09-30", "1999-03-01"),  # the last day whose own date is the treaty's
        ("1998-10-01", "1999-04-01"),  # the first day after it
        ("2012-01-31", "2012-07-01"),  # the last day of a month
        ("2012-02-01", "2012-08-01"),  # the first day of the next
        ("2024-02-29", "2024-08-01"),
    ],
)
def test_entry_into_force_follows_article_17(deposit, expected):
    assert law.entry_into_force(APMBC, D(deposit)) == D(expected)


def test_withdrawal_takes_effect_six_months_after_receipt():
    effect = law.withdrawal_effect(APMBC, D("2025-08-20"))
    assert effect == law.WithdrawalEffect(D("2026-02-20"), D("2026-02-20"))


def test_six_months_from_the_31st_lands_on_the_last_day_of_a_short_month():
    assert law.withdrawal_effect(APMBC, D("2025-08-31")).date == D("2026-02-28")


def test_withdrawal_waits_for_an_armed_conflict_under_way_at_expiry():
    conflict = war("2025-01-01")
    effect = law.withdrawal_effect(APMBC, D("2025-08-20"), (conflict,))
    assert effect.six_months == D("2026-02-20")
    assert effect.date is None and effect.conflict is conflict


def test_withdrawal_takes_effect_when_the_conflict_ends():
    assert law.withdrawal_effect(APMBC, D("2025-08-20"), (war("2025-01-01", "2026-05-01"),)).date == D("2026-05-01")


def test_a_conflict_that_ended_before_expiry_does_not_delay():
    assert law.withdrawal_effect(APMBC, D("2025-08-20"), (war("2020-01-01", "2025-12-31"),)).date == D("2026-02-20")


# Art. 20(3): "engaged in an armed conflict" at the expiry of the six months (2026-02-20 for an
# instrument received on 2025-08-20). The day the conflict starts and the day it ends count.
@pytest.mark.parametrize(
    ("start", "end", "date", "waits"),
    [
        ("2026-02-19", None, None, True),  # started the day before expiry
        ("2026-02-20", None, None, True),  # starts on the day of expiry
        ("2026-02-21", None, "2026-02-20", False),  # starts the day after: too late to delay
        ("2020-01-01", "2026-02-19", "2026-02-20", False),  # ended the day before expiry
        ("2020-01-01", "2026-02-20", "2026-02-20", True),  # ends on the day of expiry
        ("2020-01-01", "2026-02-21", "2026-02-21", True),  # ends the day after
    ],
)
def test_armed_conflict_boundaries_under_article_20_3(start, end, date, waits):
    conflict = war(start, end)
    effect = law.withdrawal_effect(APMBC, D("2025-08-20"), (conflict,))
    assert effect.six_months == D("2026-02-20")
    assert effect.date == (None if date is None else D(date))
    assert effect.conflict == (conflict if waits else None)


def test_the_conflict_that_delays_is_found_among_several():
    over, current = war("2010-01-01", "2012-01-01"), war("2026-01-01", "2026-07-01")
    effect = law.withdrawal_effect(APMBC, D("2025-08-20"), (over, current))
    assert (effect.date, effect.conflict) == (D("2026-07-01"), current)


def test_a_treaty_without_the_armed_conflict_clause_never_waits():
    effect = law.withdrawal_effect(PLAIN, D("2025-08-20"), (war("2025-01-01"),))
    assert effect == law.WithdrawalEffect(D("2026-02-20"), D("2026-02-20"))


def test_withdrawal_and_entry_into_force_use_the_treaty_s_months():
    quick = APMBC._replace(entry_into_force_months=1, withdrawal_months=12)
    assert law.entry_into_force(quick, D("2012-01-31")) == D("2012-02-01")
    assert law.withdrawal_effect(quick, D("2025-08-20")).date == D("2026-08-20")


def ev(kind: EventType, date: str) -> Event:
    return Event(treaty="apmbc", type=kind, date=D(date), sources=("s",))


WITHDRAWN = (
    ev(EventType.ACCEDED, "2004-05-12"),
    ev(EventType.ENTERED_INTO_FORCE, "2004-11-01"),
    ev(EventType.WITHDRAWAL_ANNOUNCED, "2025-03-18"),
    ev(EventType.WITHDRAWAL_DEPOSITED, "2025-06-27"),
    ev(EventType.WITHDRAWAL_EFFECTIVE, "2025-12-27"),
)


def day(text: str | None) -> dt.date | None:
    return None if text is None else D(text)


@pytest.mark.parametrize(
    ("on", "status", "since", "next_status", "next_date"),
    [
        ("2004-05-11", Status.NOT_JOINED, None, None, None),
        ("2004-05-12", Status.JOINING, "2004-05-12", Status.PARTY, "2004-11-01"),
        ("2004-10-31", Status.JOINING, "2004-05-12", Status.PARTY, "2004-11-01"),
        ("2004-11-01", Status.PARTY, "2004-11-01", None, None),
        ("2025-06-26", Status.PARTY, "2004-11-01", None, None),
        ("2025-06-27", Status.WITHDRAWING, "2025-06-27", Status.WITHDRAWN, "2025-12-27"),
        ("2025-12-26", Status.WITHDRAWING, "2025-06-27", Status.WITHDRAWN, "2025-12-27"),
        ("2025-12-27", Status.WITHDRAWN, "2025-12-27", None, None),
    ],
)
def test_status_follows_the_dated_events(on, status, since, next_status, next_date):
    # The whole Standing: a change that has happened is no longer announced as pending.
    got = law.standing(APMBC, WITHDRAWN, D(on))
    assert got == law.Standing(status, day(since), next_status, day(next_date))


def test_a_pending_change_is_announced_with_its_date():
    got = law.standing(APMBC, WITHDRAWN, D("2025-07-01"))
    assert (got.next_status, got.next_date) == (Status.WITHDRAWN, D("2025-12-27"))


def test_entry_into_force_is_derived_when_not_recorded():
    events = (ev(EventType.ACCEDED, "2026-02-10"),)
    joining = law.Standing(Status.JOINING, D("2026-02-10"), Status.PARTY, D("2026-08-01"))
    assert law.standing(APMBC, events, D("2026-07-31")) == joining
    assert law.standing(APMBC, events, D("2026-08-01")) == law.Standing(Status.PARTY, D("2026-08-01"))


def test_a_derived_entry_into_force_holds_across_later_events():
    events = (ev(EventType.ACCEDED, "2026-02-10"), ev(EventType.STATEMENT, "2026-09-01"))
    assert law.standing(APMBC, events, D("2026-09-01")) == law.Standing(Status.PARTY, D("2026-08-01"))


def test_the_derived_effective_date_of_a_withdrawal_whose_effect_is_not_recorded():
    # Received 2025-08-31: six months end on 2026-02-28 (no 31 February).
    events = WITHDRAWN[:2] + (ev(EventType.WITHDRAWAL_DEPOSITED, "2025-08-31"),)
    pending = law.Standing(Status.WITHDRAWING, D("2025-08-31"), Status.WITHDRAWN, D("2026-02-28"))
    assert law.standing(APMBC, events, D("2026-02-27")) == pending
    assert law.standing(APMBC, events, D("2026-02-28")) == law.Standing(Status.WITHDRAWN, D("2026-02-28"))
    later = events + (ev(EventType.STATEMENT, "2026-03-05"),)
    assert law.standing(APMBC, later, D("2026-03-05")) == law.Standing(Status.WITHDRAWN, D("2026-02-28"))


def test_events_after_the_day_asked_about_are_ignored_and_the_day_itself_counts():
    assert law.standing(APMBC, WITHDRAWN, D("2025-06-26")).status is Status.PARTY
    assert law.standing(APMBC, WITHDRAWN, D("2025-06-27")).status is Status.WITHDRAWING


def test_signature_alone_makes_a_signatory():
    events = (ev(EventType.SIGNED, "1997-12-04"),)
    assert law.standing(APMBC, events, D("2026-01-01")).status is Status.SIGNATORY


def test_a_suspension_changes_no_status():
    events = WITHDRAWN[:2] + (ev(EventType.SUSPENSION_NOTIFIED, "2025-07-18"),)
    assert law.standing(APMBC, events, D("2026-01-01")).status is Status.PARTY


def test_an_unresearched_record_is_unknown_not_not_joined():
    assert law.standing(APMBC, (), D("2026-01-01"), researched=False).status is Status.UNKNOWN
    assert law.standing(APMBC, (), D("2026-01-01")).status is Status.NOT_JOINED


def test_withdrawing_state_in_armed_conflict_stays_withdrawing():
    events = WITHDRAWN[:2] + (
        ev(EventType.WITHDRAWAL_DEPOSITED, "2025-06-27"),
        ev(EventType.STATEMENT, "2027-01-01"),  # later events do not end the wait
    )
    got = law.standing(APMBC, events, D("2030-01-01"), (war("2025-01-01"),))
    assert got == law.Standing(Status.WITHDRAWING, D("2025-06-27"), Status.WITHDRAWN, None)


def test_a_successor_bound_from_independence_stays_a_party_when_it_notifies():
    events = (ev(EventType.ENTERED_INTO_FORCE, "2006-06-03"), ev(EventType.SUCCEEDED, "2006-10-23"))
    assert law.standing(APMBC, events, D("2006-12-01")) == law.Standing(Status.PARTY, D("2006-06-03"))


# --- transitions: every change of status, with its cause -----------------------------------


def test_transitions_of_a_state_that_joined_and_left():
    events = (ev(EventType.SIGNED, "1997-12-03"), ev(EventType.RATIFIED, "1997-12-04"),
              ev(EventType.ENTERED_INTO_FORCE, "1999-03-01"), *WITHDRAWN[2:])
    got = [(t.date, t.before, t.after, t.event.type, t.derived) for t in law.transitions(APMBC, events)]
    assert got == [
        (D("1997-12-03"), Status.NOT_JOINED, Status.SIGNATORY, EventType.SIGNED, False),
        # The day before is what counts: a signature the day before the ratification.
        (D("1997-12-04"), Status.SIGNATORY, Status.JOINING, EventType.RATIFIED, False),
        (D("1999-03-01"), Status.JOINING, Status.PARTY, EventType.ENTERED_INTO_FORCE, False),
        (D("2025-06-27"), Status.PARTY, Status.WITHDRAWING, EventType.WITHDRAWAL_DEPOSITED, False),
        (D("2025-12-27"), Status.WITHDRAWING, Status.WITHDRAWN, EventType.WITHDRAWAL_EFFECTIVE, False),
    ]


def test_a_derived_transition_names_the_deposit_that_set_it_in_motion():
    deposit = ev(EventType.WITHDRAWAL_DEPOSITED, "2026-03-10")
    events = WITHDRAWN[:2] + (deposit, ev(EventType.STATEMENT, "2026-05-01"))
    *_, last = law.transitions(APMBC, events)
    assert last == law.Transition(D("2026-09-10"), Status.WITHDRAWING, Status.WITHDRAWN, deposit, True)


def test_transitions_of_an_unresearched_record_are_none():
    assert law.transitions(APMBC, WITHDRAWN, researched=False) == []
    assert len(law.transitions(APMBC, WITHDRAWN)) == 4


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2025", False, "2025-01-01"),
        ("2025", True, "2025-12-31"),
        ("2025-03", False, "2025-03-01"),
        ("2024-02", True, "2024-02-29"),
        ("2025-07-10", False, "2025-07-10"),
        (" 2025-07-10 ", True, "2025-07-10"),
    ],
)
def test_partial_dates(text, end, expected):
    assert dates.parse_date(text, "--on", end=end) == D(expected)


@pytest.mark.parametrize("year", [2024, 2025])
@pytest.mark.parametrize("month", range(1, 13))
def test_a_month_ends_on_its_last_day(year, month):
    # The standard library's calendar is the oracle.
    last = calendar.monthrange(year, month)[1]
    assert dates.parse_date(f"{year}-{month:02d}", "--on", end=True) == dt.date(year, month, last)
    assert dates.parse_date(f"{year}-{month:02d}", "--since") == dt.date(year, month, 1)


# 2025-3, 2025/03 and yesterday are read now (test_reading.py), and said on stderr.
@pytest.mark.parametrize("text", ["", "25", "2025-13", "2025-02-30", "2025-3-32", "tomorrow", "03/04/2025"])
def test_bad_dates_are_usage_errors(text):
    with pytest.raises(UsageError, match="--since"):
        dates.parse_date(text, "--since")
