"""The treaty rules, as pure functions of dates: the one place where treaty articles live in code.

Both conventions share the same rules, parameterised by their treaty records:
- Art. 17: for a state that consents after the treaty's own entry into force threshold, the
  treaty enters into force on the first day of the sixth month after the month of deposit;
  earlier instruments take effect with the treaty itself.
- Art. 20(3): a withdrawal takes effect six months after the depositary receives the
  instrument, but if the withdrawing state is then engaged in an armed conflict, not before
  the end of that conflict.
A notice that "suspends" obligations is not an instrument under Art. 20 and changes no status.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from .dates import add_months, first_of_month_after
from .models import CONSENT_TYPES, Conflict, Event, EventType, Status, Treaty


def entry_into_force(treaty: Treaty, deposit: dt.date) -> dt.date:
    """When the treaty enters into force for a state that deposited consent on `deposit` (Art. 17)."""
    own = first_of_month_after(deposit, treaty.entry_into_force_months)
    # Instruments deposited before the treaty itself entered into force take effect with it.
    return max(own, treaty.entered_into_force)


class WithdrawalEffect(NamedTuple):
    """When a deposited withdrawal takes effect under Art. 20(3)."""

    six_months: dt.date
    # None while an armed conflict that was under way at `six_months` has not ended.
    date: dt.date | None
    conflict: Conflict | None = None


def withdrawal_effect(
    treaty: Treaty, received: dt.date, conflicts: tuple[Conflict, ...] = ()
) -> WithdrawalEffect:
    """Six months after the depositary received the instrument, or the end of an armed conflict."""
    expiry = add_months(received, treaty.withdrawal_months)
    if treaty.withdrawal_waits_for_armed_conflict:
        for conflict in conflicts:
            if conflict.start <= expiry and (conflict.end is None or conflict.end >= expiry):
                return WithdrawalEffect(expiry, conflict.end, conflict)
    return WithdrawalEffect(expiry, expiry)


class Standing(NamedTuple):
    """A state's position under one treaty at the end of a given day."""

    status: Status
    since: dt.date | None = None
    # The next change already set in motion (entry into force, withdrawal taking effect).
    next_status: Status | None = None
    next_date: dt.date | None = None


def _first(events: tuple[Event, ...], kind: EventType, after: dt.date) -> dt.date | None:
    return next((e.date for e in events if e.type is kind and e.date >= after), None)


def standing(
    treaty: Treaty,
    events: tuple[Event, ...],
    on: dt.date,
    conflicts: tuple[Conflict, ...] = (),
    researched: bool = True,
) -> Standing:
    """Derive the status on `on` from the dated events (in date order) of one state and treaty.

    Recorded entry-into-force and withdrawal-effective events are used when present; otherwise
    the treaty rules give the date. Validation reports any disagreement between the two.
    """
    if not researched:
        return Standing(Status.UNKNOWN)
    status, since = Status.NOT_JOINED, None
    next_status: Status | None = None
    next_date: dt.date | None = None
    pending = False  # whether next_status is awaited (its date may still be unknown)

    for event in events:
        if event.date > on:
            break
        if pending and next_date is not None and next_date <= event.date:
            status, since, pending = next_status, next_date, False
        kind = event.type
        if kind is EventType.SIGNED and status in (Status.NOT_JOINED, Status.WITHDRAWN):
            status, since = Status.SIGNATORY, event.date
        elif kind in CONSENT_TYPES and status is Status.PARTY:
            # Already bound from an earlier date (a successor state bound from independence).
            continue
        elif kind in CONSENT_TYPES:
            status, since, pending = Status.JOINING, event.date, True
            next_status = Status.PARTY
            next_date = _first(events, EventType.ENTERED_INTO_FORCE, event.date) or entry_into_force(
                treaty, event.date
            )
        elif kind is EventType.ENTERED_INTO_FORCE:
            status, since, pending = Status.PARTY, event.date, False
        elif kind is EventType.WITHDRAWAL_DEPOSITED:
            status, since, pending = Status.WITHDRAWING, event.date, True
            next_status = Status.WITHDRAWN
            next_date = _first(events, EventType.WITHDRAWAL_EFFECTIVE, event.date)
            if next_date is None:
                next_date = withdrawal_effect(treaty, event.date, conflicts).date
        elif kind is EventType.WITHDRAWAL_EFFECTIVE:
            status, since, pending = Status.WITHDRAWN, event.date, False

    if pending and next_date is not None and next_date <= on:
        status, since, pending = next_status, next_date, False
    if not pending:
        return Standing(status, since)
    return Standing(status, since, next_status, next_date)


IS_PARTY = frozenset({Status.PARTY, Status.WITHDRAWING})


# The events that can change a status by themselves (the others only mark stages).
_STATUS_EVENTS = CONSENT_TYPES | {
    EventType.SIGNED,
    EventType.ENTERED_INTO_FORCE,
    EventType.WITHDRAWAL_DEPOSITED,
    EventType.WITHDRAWAL_EFFECTIVE,
}


class Transition(NamedTuple):
    """A change of status on `date`, caused by `event`; `derived` when no event is recorded
    that day and the treaty rule alone gives the date (then `event` is the deposit that set
    the change in motion)."""

    date: dt.date
    before: Status
    after: Status
    event: Event | None
    derived: bool = False


def transitions(
    treaty: Treaty,
    events: tuple[Event, ...],
    conflicts: tuple[Conflict, ...] = (),
    researched: bool = True,
) -> list[Transition]:
    """Every change of status of one state under one treaty, in date order."""
    if not researched:
        return []
    days = {e.date for e in events}
    for day in sorted(days):
        pending = standing(treaty, events, day, conflicts).next_date
        if pending is not None:
            days.add(pending)
    found = []
    for day in sorted(days):
        before = standing(treaty, events, day - dt.timedelta(days=1), conflicts)
        after = standing(treaty, events, day, conflicts)
        if after.status is before.status:
            continue
        cause = next((e for e in events if e.date == day and e.type in _STATUS_EVENTS), None)
        derived = cause is None
        if derived:
            # The rule applied to the latest earlier deposit (consent or withdrawal).
            cause = next(
                (
                    e
                    for e in reversed(events)
                    if e.date < day and e.type in (CONSENT_TYPES | {EventType.WITHDRAWAL_DEPOSITED})
                ),
                None,
            )
        found.append(Transition(day, before.status, after.status, cause, derived))
    return found
