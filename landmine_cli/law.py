"""The treaty rules, as pure functions of dates: the one place where treaty articles live in code.

Both conventions share the same rules, parameterised by their treaty records:
- Art. 17: for a state that consents after the treaty's own entry into force threshold, the
  treaty enters into force on the first day of the sixth month after the month of deposit;
  earlier instruments take effect with the treaty itself.
- Art. 20(3): a withdrawal takes effect six months after the depositary receives the
  instrument, but if the withdrawing state is then engaged in an armed conflict, not before
  the end of that conflict.
- Art. 15: both conventions are open for signature only until their own entry into force;
  a state that has not signed by then joins by accession.
A notice that "suspends" obligations is not an instrument under Art. 20 and changes no status.

Also here: the taxonomy of withdrawal stages, who counts as a party, which statuses are not
membership, and the legal order of events that fall on the same day. The sentences that
explain these rules to people are in law_notes.py.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from .dates import add_months, first_of_month_after
from .models import CONSENT_TYPES, Conflict, Event, EventType, Status, Treaty

# Events of one state and treaty are ordered by date, then by the legal sequence (the order
# of EventType), so that same-day events (a signature and a ratification) come out right.
_RANK = {kind: rank for rank, kind in enumerate(EventType)}


def event_order(event: Event) -> tuple[dt.date, int]:
    """Sort key for one state's events: (date, rank of the event type in the legal sequence)."""
    return event.date, _RANK[event.type]


# Both conventions are open for signature "until its entry into force" (Art. 15 APMBC,
# Art. 15 CCM); the day of entry into force itself is read as still open.
SIGNATURE_ARTICLE = "Art. 15"


def signature_open(treaty: Treaty, day: dt.date) -> bool:
    """Whether `treaty` could be signed on `day` (Art. 15 of both conventions): from its opening
    for signature until its entry into force, both days included. Raises nothing."""
    return treaty.opened_for_signature <= day <= treaty.entered_into_force


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


# Bound by the treaty on the day: a withdrawing state stays a party until its withdrawal
# takes effect (Art. 20(3)).
IS_PARTY = frozenset({Status.PARTY, Status.WITHDRAWING})

# Not parties on the day, in the order the groups are shown; a withdrawing state is still
# a party but is listed so that nobody mistakes a pending withdrawal for a finished one.
NON_MEMBERS = (
    Status.NOT_JOINED,
    Status.SIGNATORY,
    Status.WITHDRAWN,
    Status.JOINING,
    Status.WITHDRAWING,
)

# The stages of a withdrawal, in order; only the deposit (Art. 20(2)) starts the clock.
WITHDRAWAL_STAGES = {
    EventType.WITHDRAWAL_ANNOUNCED: "announced",
    EventType.WITHDRAWAL_APPROVED: "approved",
    EventType.WITHDRAWAL_DEPOSITED: "deposited",
    EventType.WITHDRAWAL_EFFECTIVE: "effective",
}

# A suspension (not provided for by Art. 20) has one stage: its notice.
SUSPENSION_STAGES = {EventType.SUSPENSION_NOTIFIED: "notified"}

# Stage events that leave the status as it is (a suspension is not provided for by Art. 20).
STAGE_ONLY_EVENTS = (
    EventType.WITHDRAWAL_ANNOUNCED,
    EventType.WITHDRAWAL_APPROVED,
    EventType.SUSPENSION_NOTIFIED,
)


class WithdrawalProgress(NamedTuple):
    """How far one withdrawal has gone on a day.

    `dates` maps each stage name (WITHDRAWAL_STAGES' values, in order) to the last recorded
    date of that stage or None; `effective` is the recorded date or, when the rule has made
    it due but no event records it, the derived one; `expected` is the date a deposited but
    not yet effective withdrawal takes effect (None while an armed conflict delays it);
    `effect` is Art. 20(3) applied to the deposit (None before a deposit)."""

    dates: dict[str, dt.date | None]
    stage: str
    effective: dt.date | None
    expected: dt.date | None
    effect: WithdrawalEffect | None


def withdrawal_progress(
    treaty: Treaty,
    steps: list[Event],
    now: Standing,
    conflicts: tuple[Conflict, ...] = (),
) -> WithdrawalProgress:
    """The progress of a withdrawal from its stage events up to a day (`steps`, at least one,
    in date order) and the state's standing that day. Raises ValueError if `steps` is empty."""
    if not steps:
        raise ValueError("withdrawal_progress needs at least one stage event")
    dates = {
        stage: max((e.date for e in steps if e.type is kind), default=None)
        for kind, stage in WITHDRAWAL_STAGES.items()
    }
    reached = [stage for stage, day in dates.items() if day is not None]
    effective = dates["effective"]
    if effective is None and now.status is Status.WITHDRAWN:
        effective = now.since  # due under the treaty rule, not yet recorded
    expected, effect = None, None
    if effective is None and dates["deposited"] is not None:
        effect = withdrawal_effect(treaty, dates["deposited"], conflicts)
        expected = now.next_date
    stage = "effective" if effective is not None else reached[-1]
    return WithdrawalProgress(dates, stage, effective, expected, effect)


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


# The event a derived transition stands for (the rule gave its date, no event records it).
_DERIVED_EVENT = {Status.PARTY: EventType.ENTERED_INTO_FORCE, Status.WITHDRAWN: EventType.WITHDRAWAL_EFFECTIVE}


def change_type(change: Transition) -> EventType:
    """The event type of a transition: the recorded cause, or for a derived transition the
    event the rule stands in for (entered_into_force or withdrawal_effective)."""
    return _DERIVED_EVENT[change.after] if change.derived else change.event.type


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
