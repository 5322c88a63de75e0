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

from .dates import add_months, first_of_month_after
from .models import CONSENT_TYPES, Conflict, Event, EventType, Status, Treaty
from .record import Record

# Events of one state and treaty are ordered by date, then by the legal sequence (the order
# of EventType), so that same-day events (a signature and a ratification) come out right.
_RANK = {kind: rank for rank, kind in enumerate(EventType)}


def event_order(event: Event) -> tuple[dt.date, int]:
    """Sort key for one state's events: (date, rank of the event type in the legal sequence).

    Raises KeyError only for a value outside EventType."""
    return event.date, _RANK[event.type]


# Both conventions are open for signature "until its entry into force" (Art. 15 APMBC,
# Art. 15 CCM); the day of entry into force itself is read as still open.
SIGNATURE_ARTICLE = "Art. 15"


def signature_open(treaty: Treaty, day: dt.date) -> bool:
    """Whether `treaty` could be signed on `day` (Art. 15 of both conventions): from its opening
    for signature until its entry into force, both days included. Raises nothing."""
    return treaty.opened_for_signature <= day <= treaty.entered_into_force


def entry_into_force(treaty: Treaty, deposit: dt.date) -> dt.date:
    """When the treaty enters into force for a state that deposited consent on `deposit` (Art. 17):
    a date, never before the treaty's own entry into force. Raises nothing."""
    own = first_of_month_after(deposit, treaty.entry_into_force_months)
    # Instruments deposited before the treaty itself entered into force take effect with it.
    return max(own, treaty.entered_into_force)


class WithdrawalEffect(Record):
    """When a deposited withdrawal takes effect under Art. 20(3)."""

    six_months: dt.date
    # None while an armed conflict that was under way at `six_months` has not ended.
    date: dt.date | None
    conflict: Conflict | None = None


def withdrawal_effect(
    treaty: Treaty, received: dt.date, conflicts: tuple[Conflict, ...] = ()
) -> WithdrawalEffect:
    """Six months after the depositary received the instrument, or the end of an armed conflict
    (Art. 20(3)): a WithdrawalEffect(six_months, date or None while the conflict goes on,
    conflict or None). Raises nothing."""
    expiry = add_months(received, treaty.withdrawal_months)
    if treaty.withdrawal_waits_for_armed_conflict:
        for conflict in conflicts:
            if conflict.start <= expiry and (conflict.end is None or conflict.end >= expiry):
                return WithdrawalEffect(expiry, conflict.end, conflict)
    return WithdrawalEffect(expiry, expiry)


class Standing(Record):
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
    statehood: dt.date | None = None,
) -> Standing:
    """Derive the status on `on` from the dated events (in date order) of one state and treaty.

    Recorded entry-into-force and withdrawal-effective events are used when present; otherwise
    the treaty rules give the date. Validation reports any disagreement between the two.
    Before `statehood` (the day the state came into being, None for older states) the
    status is not_a_state, whatever the events say: only a state can sign or consent
    (Art. 15 and 16 of both conventions), and a successor bound from independence is bound
    from that day. Returns Standing(status, since, next_status, next_date); Status.UNKNOWN when not
    researched. Raises nothing.
    """
    if statehood is not None and on < statehood:
        return Standing(Status.NOT_A_STATE)
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


class WithdrawalProgress(Record):
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


class Transition(Record):
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

# The change type of the day a state came into being, when no event of that day changes its
# status (it leaves not_a_state for not_joined).
BECAME_STATE = "became_state"


def change_type(change: Transition) -> str:
    """The type of a transition, as text: the recorded cause's event type; for a derived
    transition the event the rule stands in for (entered_into_force or withdrawal_effective);
    BECAME_STATE for a state's first day when no event of that day is the cause."""
    if change.derived:
        return str(_DERIVED_EVENT[change.after])
    return BECAME_STATE if change.event is None else str(change.event.type)


def transitions(
    treaty: Treaty,
    events: tuple[Event, ...],
    conflicts: tuple[Conflict, ...] = (),
    researched: bool = True,
    statehood: dt.date | None = None,
) -> list[Transition]:
    """Every change of status of one state under one treaty, in date order: a list of
    Transition(date, before, after, event, derived); [] when not researched and not new.

    A state that came into being on `statehood` has a first transition that day, from
    not_a_state (caused by an event of that day, if one changes the status, else by
    nothing: `event` None and `derived` False). Raises nothing."""
    days = {e.date for e in events} if researched else set()
    if statehood is not None:
        days = {d for d in days if d >= statehood} | {statehood}
    for day in sorted(days):
        pending = standing(treaty, events, day, conflicts, researched, statehood).next_date
        if pending is not None:
            days.add(pending)
    found = []
    for day in sorted(days):
        before = standing(treaty, events, day - dt.timedelta(days=1), conflicts, researched, statehood)
        after = standing(treaty, events, day, conflicts, researched, statehood)
        if after.status is before.status:
            continue
        cause = next((e for e in events if e.date == day and e.type in _STATUS_EVENTS), None)
        if before.status is Status.NOT_A_STATE:
            # The state's first day: a change of its own, whatever event may fall on it.
            found.append(Transition(day, before.status, after.status, cause))
            continue
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


# --- obligations: stockpile destruction and clearance deadlines --------------------------
#
# APMBC Art. 4: each State Party destroys its stockpiled anti-personnel mines "as soon as
# possible but not later than four years after the entry into force of this Convention for
# that State Party"; the article provides no extension.
# APMBC Art. 5(1): mined areas cleared "not later than ten years after the entry into force";
# Art. 5(3)-(6): a Meeting of the States Parties or a Review Conference may extend that
# deadline, for up to ten years at a time.
# CCM Art. 3(2): stockpiles destroyed "not later than eight years after the entry into force";
# Art. 3(3)-(5): extensions of up to four years at a time.
# CCM Art. 4(1)(a): remnants cleared "not later than ten years after the entry into force";
# Art. 4(5)-(8): extensions of up to five years at a time. Art. 4(1)(b) counts the ten years
# for remnants that arose after entry into force from the end of the active hostilities:
# no state in the fact base needs that rule, so an obligation that follows it records the
# date with a sourced rule_exception instead of the code computing it.
# A deadline is the last day on which the duty may still be met ("not later than").


class Duty(Record):
    """One treaty obligation with a deadline: what it is, its period and its extensions."""

    treaty: str
    article: str
    name: str
    years: int
    # None when the article provides no extension.
    extension_article: str | None
    extension_max_years: int | None


DUTIES = {
    ("apmbc", "Art. 4"): Duty("apmbc", "Art. 4", "stockpile destruction", 4, None, None),
    ("apmbc", "Art. 5"): Duty("apmbc", "Art. 5", "clearance of mined areas", 10, "Art. 5(3)-(6)", 10),
    ("ccm", "Art. 3"): Duty("ccm", "Art. 3", "stockpile destruction", 8, "Art. 3(3)-(5)", 4),
    ("ccm", "Art. 4"): Duty("ccm", "Art. 4", "clearance of cluster munition remnants", 10,
                            "Art. 4(5)-(8)", 5),
}


def original_deadline(duty: Duty, entered_into_force: dt.date) -> dt.date:
    """The deadline the article sets: entry into force for the state plus the duty's years
    (APMBC Art. 4: 4, Art. 5: 10; CCM Art. 3: 8, Art. 4: 10). Raises nothing."""
    return add_months(entered_into_force, 12 * duty.years)


def longest_extension(duty: Duty, previous: dt.date) -> dt.date | None:
    """The latest new deadline one extension may set from the `previous` deadline (APMBC Art.
    5(3): ten years; CCM Art. 3(3): four; CCM Art. 4(5): five); None if the duty cannot be
    extended (APMBC Art. 4). Raises nothing."""
    if duty.extension_max_years is None:
        return None
    return add_months(previous, 12 * duty.extension_max_years)


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of "YYYY" or "YYYY-MM". Raises ValueError for anything else."""
    from .dates import days_in_month

    parts = period.split("-")
    if len(parts) == 1 and len(parts[0]) == 4 and parts[0].isdigit():
        year = int(parts[0])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2 and period.replace("-", "").isdigit():
        year, month = int(parts[0]), int(parts[1])
        if 1 <= month <= 12:
            return dt.date(year, month, 1), dt.date(year, month, days_in_month(year, month))
    raise ValueError(f"{period!r} is not YYYY or YYYY-MM")


DONE, NOT_DONE, UNCERTAIN = "done", "not_done", "uncertain"


def completion(obligation, on: dt.date) -> str:
    """Whether the duty had been met by the end of `on`: DONE, NOT_DONE (as far as recorded)
    or UNCERTAIN (the completion is known only to a month, a year or a latest day, and `on`
    falls before that bound). A reopened duty (mines found after completion) is NOT_DONE
    from the end of its reopening period, UNCERTAIN within it. Raises nothing for valid
    records."""
    if obligation.completed is not None:
        state = DONE if obligation.completed <= on else NOT_DONE
    else:
        bounds = [] if obligation.completed_period is None else list(period_bounds(obligation.completed_period))
        done_by = min([d for d in (bounds[1:] + [obligation.completed_by]) if d is not None], default=None)
        if done_by is not None and done_by <= on:
            state = DONE
        elif bounds and on < bounds[0]:
            state = NOT_DONE
        else:
            state = UNCERTAIN if done_by is not None else NOT_DONE
    if state == DONE and obligation.reopened_period is not None:
        first, last = period_bounds(obligation.reopened_period)
        if last <= on:
            return NOT_DONE
        if first <= on:
            return UNCERTAIN
    return state


class DeadlineStep(Record):
    """A granted extension as the law counts it: in force from `effective`; `assumed` when no
    grant day or year is recorded and the previous deadline stands in for it."""

    extension: object
    effective: dt.date
    assumed: bool


def deadline_steps(original: dt.date, extensions) -> list[DeadlineStep]:
    """The granted extensions of one obligation in the order they take effect, each with the
    day it does: the recorded grant day; else, when only the year is known, that year's last
    day (or the deadline it extends, `assumed`, if that falls earlier in the same year); else
    the deadline it extends (`assumed`).

    Extensions that set a new deadline form a chain in the order of those deadlines (each
    extends the one before); a granted extension whose new deadline is not recorded is
    placed by its grant day. Requests with an unknown outcome are left out. Raises nothing."""
    granted = [e for e in extensions if str(e.outcome) == "granted"]
    chain = sorted((e for e in granted if e.new_deadline is not None), key=lambda e: e.new_deadline)
    steps, previous = [], original
    for extension in chain:
        steps.append(_step(extension, previous))
        previous = extension.new_deadline
    for extension in granted:
        if extension.new_deadline is None:
            before = [s for s in steps if s.effective <= (extension.granted or dt.date.max)]
            steps.append(_step(extension, before[-1].extension.new_deadline if before else original))
    steps.sort(key=lambda s: s.effective)
    return steps


def _step(extension, previous: dt.date) -> DeadlineStep:
    if extension.granted is not None:
        return DeadlineStep(extension, extension.granted, False)
    if extension.granted_year is not None:
        first, last = dt.date(extension.granted_year, 1, 1), dt.date(extension.granted_year, 12, 31)
        if first <= previous < last:  # granted that year, perhaps before the deadline ran out
            return DeadlineStep(extension, previous, True)
        return DeadlineStep(extension, last, False)
    return DeadlineStep(extension, previous, True)


class Situation(Record):
    """Where one obligation stands at the end of a day.

    `status`: completed, no_stockpile, ended_by_withdrawal, due, overdue,
    unknown_after_deadline (the deadline passed and the record is not known complete after
    `researched_to`, so it is not called overdue) or deadline_unknown (an extension in force
    has no recorded new deadline). `current_deadline` is the original or the last extension
    in force that day (None if unknown); `days_left` counts to it (0 on the deadline day
    itself), `days_overdue` from it; `extensions` counts those in force; `assumed` is true
    when one of them is counted from the deadline it extends because its grant day is not
    recorded."""

    status: str
    current_deadline: dt.date | None
    extensions: int
    days_left: int | None = None
    days_overdue: int | None = None
    ended: dt.date | None = None
    assumed: bool = False


def situation(obligation, extensions, on: dt.date, withdrawal_effective: dt.date | None = None) -> Situation:
    """The obligation's standing at the end of `on` (see Situation), for a state whose
    withdrawal from the treaty took effect on `withdrawal_effective` (None if it has not).

    Current deadline: the last extension granted on or before `on`, else the original.
    Overdue: `on` is after the current deadline, the duty is known not met by `on`, and `on`
    is not after `researched_to`. A withdrawal ends the obligation on its effective date
    (Art. 20); a suspension is not a withdrawal and ends nothing. Raises nothing."""
    steps = [s for s in deadline_steps(obligation.original_deadline, extensions) if s.effective <= on]
    deadline = obligation.original_deadline
    for step in steps:
        deadline = step.extension.new_deadline
    assumed = any(s.assumed for s in steps)
    done = completion(obligation, on)
    base = Situation("", deadline, len(steps), assumed=assumed)
    if done == DONE:
        return base._replace(status="completed")
    if obligation.no_stockpile is not None:
        return base._replace(status="no_stockpile")
    if withdrawal_effective is not None and withdrawal_effective <= on:
        return base._replace(status="ended_by_withdrawal", ended=withdrawal_effective)
    if deadline is None:
        return base._replace(status="deadline_unknown")
    if on <= deadline:
        return base._replace(status="due", days_left=(deadline - on).days)
    known = obligation.researched_to is not None and on <= obligation.researched_to
    if done == NOT_DONE and known:
        return base._replace(status="overdue", days_overdue=(on - deadline).days)
    return base._replace(status="unknown_after_deadline")
