"""The treaty rules (law.py) and date handling (dates.py) as pure functions."""

from __future__ import annotations

import datetime as dt

import pytest

from landmine_cli import dates, law
from landmine_cli.errors import UsageError
from landmine_cli.models import Conflict, Event, EventType, Status

D = dt.date.fromisoformat


def treaty(base, treaty_id="apmbc"):
    return base.treaties[treaty_id]


@pytest.mark.parametrize(
    ("deposit", "expected"),
    [
        ("2012-01-09", "2012-07-01"),  # Finland: first day of the sixth month after January
        ("2025-03-12", "2025-09-01"),  # Marshall Islands
        ("2025-06-25", "2025-12-01"),  # Tonga
        ("2005-12-27", "2006-06-01"),  # across a year end
        ("1998-07-09", "1999-03-01"),  # before the treaty's own entry into force
        ("1998-09-16", "1999-03-01"),  # the 40th instrument itself
    ],
)
def test_entry_into_force_follows_article_17(fixture_base, deposit, expected):
    assert law.entry_into_force(treaty(fixture_base), D(deposit)) == D(expected)


def test_withdrawal_takes_effect_six_months_after_receipt(fixture_base):
    effect = law.withdrawal_effect(treaty(fixture_base), D("2025-08-20"))
    assert effect == law.WithdrawalEffect(D("2026-02-20"), D("2026-02-20"))


def test_six_months_from_the_31st_lands_on_the_last_day_of_a_short_month(fixture_base):
    assert law.withdrawal_effect(treaty(fixture_base), D("2025-08-31")).date == D("2026-02-28")


def test_withdrawal_waits_for_an_armed_conflict_under_way_at_expiry(fixture_base):
    war = Conflict(start=D("2025-01-01"), description="war", sources=("src-a",))
    effect = law.withdrawal_effect(treaty(fixture_base), D("2025-08-20"), (war,))
    assert effect.six_months == D("2026-02-20")
    assert effect.date is None and effect.conflict is war


def test_withdrawal_takes_effect_when_the_conflict_ends(fixture_base):
    war = Conflict(start=D("2025-01-01"), end=D("2026-05-01"), description="war", sources=("s",))
    assert law.withdrawal_effect(treaty(fixture_base), D("2025-08-20"), (war,)).date == D("2026-05-01")


def test_a_conflict_that_ended_before_expiry_does_not_delay(fixture_base):
    war = Conflict(start=D("2020-01-01"), end=D("2025-12-31"), description="war", sources=("s",))
    assert law.withdrawal_effect(treaty(fixture_base), D("2025-08-20"), (war,)).date == D("2026-02-20")


def ev(kind: EventType, date: str) -> Event:
    return Event(treaty="apmbc", type=kind, date=D(date), sources=("s",))


WITHDRAWN = (
    ev(EventType.ACCEDED, "2004-05-12"),
    ev(EventType.ENTERED_INTO_FORCE, "2004-11-01"),
    ev(EventType.WITHDRAWAL_ANNOUNCED, "2025-03-18"),
    ev(EventType.WITHDRAWAL_DEPOSITED, "2025-06-27"),
    ev(EventType.WITHDRAWAL_EFFECTIVE, "2025-12-27"),
)


@pytest.mark.parametrize(
    ("on", "status", "since"),
    [
        ("2004-05-11", Status.NOT_JOINED, None),
        ("2004-05-12", Status.JOINING, "2004-05-12"),
        ("2004-11-01", Status.PARTY, "2004-11-01"),
        ("2025-06-26", Status.PARTY, "2004-11-01"),
        ("2025-06-27", Status.WITHDRAWING, "2025-06-27"),
        ("2025-12-26", Status.WITHDRAWING, "2025-06-27"),
        ("2025-12-27", Status.WITHDRAWN, "2025-12-27"),
    ],
)
def test_status_follows_the_dated_events(fixture_base, on, status, since):
    got = law.standing(treaty(fixture_base), WITHDRAWN, D(on))
    assert (got.status, got.since) == (status, None if since is None else D(since))


def test_a_pending_change_is_announced_with_its_date(fixture_base):
    got = law.standing(treaty(fixture_base), WITHDRAWN, D("2025-07-01"))
    assert (got.next_status, got.next_date) == (Status.WITHDRAWN, D("2025-12-27"))


def test_entry_into_force_is_derived_when_not_recorded(fixture_base):
    events = (ev(EventType.ACCEDED, "2026-02-10"),)
    assert law.standing(treaty(fixture_base), events, D("2026-07-31")).status is Status.JOINING
    assert law.standing(treaty(fixture_base), events, D("2026-08-01")).status is Status.PARTY


def test_signature_alone_makes_a_signatory(fixture_base):
    events = (ev(EventType.SIGNED, "1997-12-04"),)
    assert law.standing(treaty(fixture_base), events, D("2026-01-01")).status is Status.SIGNATORY


def test_a_suspension_changes_no_status(fixture_base):
    events = WITHDRAWN[:2] + (ev(EventType.SUSPENSION_NOTIFIED, "2025-07-18"),)
    assert law.standing(treaty(fixture_base), events, D("2026-01-01")).status is Status.PARTY


def test_an_unresearched_record_is_unknown_not_not_joined(fixture_base):
    assert law.standing(treaty(fixture_base), (), D("2026-01-01"), researched=False).status is Status.UNKNOWN
    assert law.standing(treaty(fixture_base), (), D("2026-01-01")).status is Status.NOT_JOINED


def test_withdrawing_state_in_armed_conflict_stays_withdrawing(fixture_base):
    war = Conflict(start=D("2025-01-01"), description="war", sources=("s",))
    events = WITHDRAWN[:2] + (ev(EventType.WITHDRAWAL_DEPOSITED, "2025-06-27"),)
    got = law.standing(treaty(fixture_base), events, D("2030-01-01"), (war,))
    assert (got.status, got.next_status, got.next_date) == (Status.WITHDRAWING, Status.WITHDRAWN, None)


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


# 2025-3, 2025/03 and yesterday are read now (test_reading.py), and said on stderr.
@pytest.mark.parametrize("text", ["", "25", "2025-13", "2025-02-30", "2025-3-32", "tomorrow", "03/04/2025"])
def test_bad_dates_are_usage_errors(text):
    with pytest.raises(UsageError, match="--since"):
        dates.parse_date(text, "--since")
