"""Questions about the treaties asked of the FactBase (status, withdrawals, non-members,
treaties, changes, timeline), answered as plain JSON-ready dicts and lists. Funding is in
funding.py, search in search.py, the shared row helpers in rows.py.

Each function returns exactly what `--json` prints; tables are rendered from the same data.
Dates are ISO 8601 strings, unknown values None. Nested documents (status, funding) cite
sources by id and carry the full source records once in `sources`; flat row lists
(withdrawals) carry full source records in every row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from . import law, law_notes
from .countries import resolve_treaty
from .figures import latest_for_state
from .models import CONDUCT_TYPES, Country, Event, EventType, FactBase, Status, Treaty
from .rows import Row, count_key, iso, sources, stamp, with_sources
from .rows import standing as standing_of
from .rows import transitions as transitions_of

# --- withdrawals -------------------------------------------------------------------------

def withdrawal_records(base: FactBase, iso3: str, treaty: Treaty, on: dt.date) -> list[Row]:
    """The withdrawal and the suspension (if any) of one state from one treaty, as of `on`.

    Returns 0 to 2 rows {country, iso3, treaty, kind, reasons, stage, announced, approved,
    deposited, effective, effective_expected, effective_note, _sources (ids)}. Raises
    KeyError for a state the fact base lacks."""
    events = [e for e in base.treaty_events(iso3, treaty.id) if e.date <= on]
    rows = []
    steps = [e for e in events if e.type in law.WITHDRAWAL_STAGES]
    if steps:
        rows.append(_withdrawal_row(base, iso3, treaty, on, steps))
    notices = [e for e in events if e.type is EventType.SUSPENSION_NOTIFIED]
    if notices:
        rows.append(_suspension_row(base, iso3, treaty, on, notices))
    return rows


def _row_base(base: FactBase, iso3: str, treaty: Treaty, on: dt.date, kind: str) -> Row:
    country = base.countries[iso3]
    reasons = [r for r in base.reasons.get(iso3, ()) if r.treaty == treaty.id and r.date <= on]
    return {
        "country": country.name,
        "iso3": iso3,
        "treaty": treaty.id,
        "kind": kind,
        "reasons": [r.summary for r in reasons],
        # Source ids, replaced by the full records (_with_sources) when the row is listed.
        "_sources": [s for r in reasons for s in r.sources],
    }


def _withdrawal_row(base, iso3, treaty, on, steps: list[Event]) -> Row:
    row = _row_base(base, iso3, treaty, on, "withdrawal")
    now = standing_of(base, iso3, treaty, on)
    progress = law.withdrawal_progress(treaty, steps, now, base.conflicts.get(iso3, ()))
    dates = progress.dates
    row.update(
        stage=progress.stage,
        announced=iso(dates["announced"]),
        approved=iso(dates["approved"]),
        deposited=iso(dates["deposited"]),
        effective=iso(progress.effective),
        effective_expected=iso(progress.expected),
        effective_note=law_notes.withdrawal_note(treaty, progress),
    )
    row["_sources"] = [s for e in steps for s in e.sources] + row["_sources"]
    return row


def _suspension_row(base, iso3, treaty, on, notices: list[Event]) -> Row:
    row = _row_base(base, iso3, treaty, on, "suspension")
    standing = standing_of(base, iso3, treaty, on)
    row.update(
        stage=law.SUSPENSION_STAGES[EventType.SUSPENSION_NOTIFIED],
        announced=None,
        approved=None,
        deposited=iso(max(e.date for e in notices)),
        effective=None,
        effective_expected=None,
        effective_note=law_notes.suspension_note(treaty, standing.status),
    )
    row["_sources"] = [s for e in notices for s in e.sources] + row["_sources"]
    return row


_ROW_KEYS = (
    "country iso3 treaty kind stage announced approved deposited effective "
    "effective_expected effective_note reasons sources"
).split()


def withdrawals(
    base: FactBase, on: dt.date, since: dt.date | None, treaty: str | None
) -> list[Row]:
    """Every withdrawal or suspension in motion or done, as of `on`, touching `since` or later.

    Returns rows {country, iso3, treaty, kind, stage, announced, approved, deposited,
    effective, effective_expected, effective_note, reasons, sources, as_of, facts_as_of},
    ordered by date reached and country. Raises UsageError for an unknown treaty."""
    rows = []
    for t in resolve_treaty(base, treaty):
        for iso3 in base.countries:
            for row in withdrawal_records(base, iso3, t, on):
                days = [row[k] for k in ("announced", "approved", "deposited", "effective")]
                if since is None or any(d is not None and d >= iso(since) for d in days):
                    row = with_sources(base, row)
                    rows.append({k: row[k] for k in _ROW_KEYS} | stamp(base, on))
    rows.sort(key=lambda r: (r["deposited"] or r["approved"] or r["announced"] or "", r["country"]))
    return rows


# --- status ------------------------------------------------------------------------------

_SUMMARY_KEYS = (
    "kind stage announced approved deposited effective effective_expected effective_note"
).split()


def _summary(row: Row) -> Row:
    """A withdrawal row as nested in a status document (sources are listed once, per treaty)."""
    return {k: row[k] for k in _SUMMARY_KEYS}



def status(base: FactBase, iso3: str, on: dt.date) -> Row:
    """One state's whole picture under every treaty, as of `on`.

    Returns {country: {name, iso2, iso3}, as_of, facts_as_of, treaties: [{treaty,
    short_name, status, since, next_status, next_date, status_note, events, withdrawal,
    suspension, reasons, obligations, sources}], figures: {casualties, cluster_casualties,
    contamination, sources} (figures.latest_for_state, editions published by `on`)};
    `status_note` explains not_a_state (None otherwise); each obligation is an `obligations`
    row without country, iso3 and treaty, citing its sources by id. Raises KeyError for a
    state the fact base lacks."""
    country = base.countries[iso3]
    treaties = []
    for treaty in base.treaties.values():
        standing = standing_of(base, iso3, treaty, on)
        events = [e for e in base.treaty_events(iso3, treaty.id) if e.date <= on]
        reasons = [r for r in base.reasons.get(iso3, ()) if r.treaty == treaty.id and r.date <= on]
        records = {r["kind"]: _summary(r) for r in withdrawal_records(base, iso3, treaty, on)}
        duties = _obligation_summaries(base, iso3, treaty, on)
        cited = [s for e in events for s in e.sources] + [s for r in reasons for s in r.sources]
        note = None
        if standing.status is Status.NOT_A_STATE:
            note = _not_a_state_note(base, country, treaty, on)
            cited += country.statehood_sources
        cited += [s for d in duties for s in d.pop("_sources")]
        treaties.append(
            {
                "treaty": treaty.id,
                "short_name": treaty.short_name,
                "status": str(standing.status),
                "since": iso(standing.since),
                "next_status": None if standing.next_status is None else str(standing.next_status),
                "next_date": iso(standing.next_date),
                "status_note": note,
                "events": [
                    {
                        "type": str(e.type),
                        "date": iso(e.date),
                        "note": e.note,
                        "unverified": e.unverified,
                        "counterpart": e.counterpart,
                        "sources": list(e.sources),
                    }
                    for e in events
                ],
                "withdrawal": records.get("withdrawal"),
                "suspension": records.get("suspension"),
                "reasons": [
                    {"date": iso(r.date), "summary": r.summary, "sources": list(r.sources)}
                    for r in reasons
                ],
                "obligations": duties,
                "sources": sources(base, cited),
            }
        )
    return {
        "country": {"name": country.name, "iso2": country.iso2, "iso3": country.iso3},
        "as_of": iso(on),
        "facts_as_of": iso(base.meta.facts_as_of),
        "treaties": treaties,
        # The state's latest published casualty and contamination figures (figures.py).
        "figures": latest_for_state(base, iso3, on),
    }


def _not_a_state_note(base: FactBase, country: Country, treaty: Treaty, on: dt.date) -> str:
    """The status note of a state on a day before its statehood: the state it was part of
    (with that state's status on the day) and, for a successor, whether the facts bind it
    from independence."""
    part_of = None
    if country.part_of is not None:
        predecessor = base.countries[country.part_of]
        name = country.part_of_name or predecessor.name
        part_of = (name, standing_of(base, country.part_of, treaty, on).status)
    successor = None
    succession = next(
        (e for e in base.treaty_events(country.iso3, treaty.id) if e.type is EventType.SUCCEEDED), None
    )
    bound = next(
        (c.date for c in transitions_of(base, country.iso3, treaty) if c.after in law.IS_PARTY), None
    )
    if succession is not None and bound is not None:
        successor = (bound, succession)
    return law_notes.not_a_state_note(country.name, country.statehood, part_of, successor)


def _obligation_summaries(base: FactBase, iso3: str, treaty: Treaty, on: dt.date) -> list[Row]:
    """The state's obligations under one treaty as nested in a status document: the
    obligations rows without country, iso3 and treaty, with `sources` as ids (and the
    private `_sources` the caller pools)."""
    from .obligations import obligation_row

    found = []
    for ob in base.obligations.get(iso3, ()):
        if ob.treaty == treaty.id:
            row = obligation_row(base, iso3, ob, on)
            if row is not None:
                ids = list(dict.fromkeys(row["_sources"]))
                found.append({k: v for k, v in row.items() if k not in ("country", "iso3", "treaty", "_sources")}
                             | {"sources": ids, "_sources": ids})
    return found


def status_rows(doc: Row) -> list[Row]:
    """The status document as flat rows, one per treaty (for JSON Lines, CSV, Markdown):
    {country, iso2, iso3, treaty, short_name, status, since, next_status, next_date,
    status_note, as_of, facts_as_of}. Raises KeyError if `doc` is not a status document."""
    return [
        {
            "country": doc["country"]["name"],
            "iso2": doc["country"]["iso2"],
            "iso3": doc["country"]["iso3"],
            **{k: t[k] for k in ("treaty", "short_name", "status", "since", "next_status", "next_date",
                                 "status_note")},
            "as_of": doc["as_of"],
            "facts_as_of": doc["facts_as_of"],
        }
        for t in doc["treaties"]
    ]


# --- non-members -------------------------------------------------------------------------

def non_members(base: FactBase, on: dt.date, treaty: str | None) -> list[Row]:
    """The states that are not parties on `on` (law.NON_MEMBERS, withdrawing ones included).

    Returns rows {country, iso3, treaty, status, since, still_party, as_of, facts_as_of},
    grouped by treaty and status. Raises UsageError for an unknown treaty."""
    rows = []
    for t in resolve_treaty(base, treaty):
        for iso3, country in base.countries.items():
            standing = standing_of(base, iso3, t, on)
            if standing.status in law.NON_MEMBERS:
                rows.append(
                    {
                        "country": country.name,
                        "iso3": iso3,
                        "treaty": t.id,
                        "status": str(standing.status),
                        "since": iso(standing.since),
                        "still_party": standing.status in law.IS_PARTY,
                    }
                    | stamp(base, on)
                )
    order = {str(s): i for i, s in enumerate(law.NON_MEMBERS)}
    rows.sort(key=lambda r: (r["treaty"], order[r["status"]], r["country"]))
    return rows


# --- treaties ----------------------------------------------------------------------------


def treaties(base: FactBase, on: dt.date) -> list[Row]:
    """Each treaty with its key dates and the count of states in each status on `on`.

    `states_parties` counts states for which the treaty is in force on the day (including
    those whose withdrawal is pending, which `withdrawing` counts again); `joining` counts
    deposits not yet in force. `states` counts the states that existed on the day and equals
    states_parties + joining + signatories + withdrawn + not_joined + unknown; `not_a_state`
    counts those of the fact base that did not exist yet (in no other count).
    Returns one row per treaty {treaty, short_name, name, aliases, key dates, depositary,
    one count per Status (keyed by rows.count_key, in the enum's order), sources, as_of,
    facts_as_of}. Raises nothing.
    """
    rows = []
    for t in base.treaties.values():
        # One count per Status, in the enum's order, so that a new status gets its key.
        counts = dict.fromkeys(Status, 0)
        for iso3 in base.countries:
            counts[standing_of(base, iso3, t, on).status] += 1
        parties = sum(counts[s] for s in law.IS_PARTY)
        rows.append(
            {
                "treaty": t.id,
                "short_name": t.short_name,
                "name": t.name,
                "aliases": list(t.aliases),
                "adopted": iso(t.adopted),
                "opened_for_signature": iso(t.opened_for_signature),
                "entered_into_force": iso(t.entered_into_force),
                "depositary": t.depositary,
            }
            | {count_key(s): parties if s is Status.PARTY else n for s, n in counts.items()}
            | {"states": len(base.countries) - counts[Status.NOT_A_STATE]}
            | {"sources": sources(base, t.sources)}
            | stamp(base, on)
        )
    return rows


# --- changes and timelines ---------------------------------------------------------------

def _dated_row(
    day: dt.date, country: Country, treaty: Treaty, fields: Row, sources: Iterable[str]
) -> Row:
    """The one row shape of `changes` and `timeline`: {date, country, iso3, treaty}, then the
    command's own `fields`, then private `_sources` ids (with_sources replaces them)."""
    head = {"date": iso(day), "country": country.name, "iso3": country.iso3, "treaty": treaty.id}
    return head | fields | {"_sources": list(sources)}


def _cause_sources(change: law.Transition, country: Country) -> tuple[str, ...]:
    if change.event is None:
        # A state's first day with no event that day: the sources of its statehood.
        return () if change.derived else country.statehood_sources
    return change.event.sources


def _change_note(base: FactBase, treaty: Treaty, change: law.Transition, country: Country) -> str | None:
    """The note of a transition: the cause's own, the rule's, or the state's first day's."""
    if change.derived:
        return law_notes.derived_note(treaty, change.event)
    if change.event is None:
        part_of = country.part_of_name or (
            None if country.part_of is None else base.countries[country.part_of].name
        )
        return law_notes.became_state_note(country.name, part_of)
    return change.event.note


def _in_period(base: FactBase, rows: list[Row], start: dt.date | None, end: dt.date) -> list[Row]:
    """The rows dated from `start` (None: any) to `end`, both included, with their source
    records and the stamp of `end`, ordered by date, country and treaty."""
    low, high = iso(start) or "", iso(end)
    listed = [with_sources(base, r) | stamp(base, end) for r in rows if low <= r["date"] <= high]
    listed.sort(key=lambda r: (r["date"], r["country"], r["treaty"]))
    return listed


def _transition_rows(base: FactBase, iso3: str, treaty: Treaty) -> list[Row]:
    """Status changes and stage events of one state under one treaty, oldest first."""
    country = base.countries[iso3]
    events = base.treaty_events(iso3, treaty.id)
    researched = treaty.id in country.complete_for
    rows = []
    for change in transitions_of(base, iso3, treaty):
        fields = {
            "change": law.change_type(change),
            "status_before": str(change.before),
            "status_after": str(change.after),
            "derived": change.derived,
            "note": _change_note(base, treaty, change, country),
            "counterpart": None,
        }
        rows.append(_dated_row(change.date, country, treaty, fields, _cause_sources(change, country)))
    for event in events:
        # Stage events, and use, production and transfer events (which change no status).
        if (event.type in law.STAGE_ONLY_EVENTS and researched) or event.type in CONDUCT_TYPES:
            status = str(standing_of(base, iso3, treaty, event.date).status)
            fields = {
                "change": str(event.type),
                "status_before": status,
                "status_after": status,
                "derived": False,
                "note": event.note,
                "counterpart": event.counterpart,
            }
            rows.append(_dated_row(event.date, country, treaty, fields, event.sources))
    return rows


def changes(base: FactBase, start: dt.date, end: dt.date, treaty: str | None) -> list[Row]:
    """Every change of status (and withdrawal or suspension stage, and use, production,
    transfer, stockpile or policy event), every extension of an obligation's deadline granted
    and every obligation completed, from `start` to `end`, both days included, in date order.

    Returns rows {date, country, iso3, treaty, change, status_before, status_after, derived,
    note, counterpart, sources, as_of, facts_as_of}; none when `end` is before `start` (an empty period).
    Raises UsageError if the treaty is unknown."""
    rows = [
        row
        for t in resolve_treaty(base, treaty)
        for iso3 in base.countries
        for row in _transition_rows(base, iso3, t) + _obligation_change_rows(base, iso3, t)
    ]
    return _in_period(base, rows, start, end)


def _obligation_change_rows(base: FactBase, iso3: str, treaty: Treaty) -> list[Row]:
    """Extensions granted and completions as `changes` rows: the status is unchanged (they
    move a deadline, not a membership), the note says what moved."""
    from .obligations import dated_events

    rows = []
    for day, fields, cited in dated_events(base, iso3, treaty.id):
        status = str(standing_of(base, iso3, treaty, day).status)
        row = {"change": fields["type"], "status_before": status, "status_after": status,
               "derived": False, "note": fields["note"], "counterpart": None}
        rows.append(_dated_row(day, base.countries[iso3], treaty, row, cited))
    return rows


def _obligation_events(base: FactBase, iso3: str, treaty: str) -> list:
    from .obligations import dated_events

    return dated_events(base, iso3, treaty)


def timeline(
    base: FactBase, iso3: str | None, treaty: str | None, since: dt.date | None, on: dt.date
) -> list[Row]:
    """Recorded events (and status changes the rules imply, extensions granted and
    obligations completed) in date order, up to `on`.

    Returns rows {date, country, iso3, treaty, type, status, derived, note, unverified,
    counterpart, sources, as_of, facts_as_of}. Raises UsageError for an unknown treaty, KeyError for a
    state the fact base lacks."""
    rows = []
    countries = list(base.countries) if iso3 is None else [iso3]
    for t in resolve_treaty(base, treaty):
        for code in countries:
            country = base.countries[code]
            events = base.treaty_events(code, t.id)
            found = transitions_of(base, code, t)
            for change in found:
                # A state's first day comes before any event of that day.
                if change.before is Status.NOT_A_STATE:
                    fields = {
                        "type": law.BECAME_STATE,
                        "status": str(change.after),
                        "derived": False,
                        "note": _change_note(base, t, change._replace(event=None), country),
                        "unverified": None,
                        "counterpart": None,
                    }
                    sources = country.statehood_sources
                    rows.append(_dated_row(change.date, country, t, fields, sources))
            for event in events:
                fields = {
                    "type": str(event.type),
                    "status": str(standing_of(base, code, t, event.date).status),
                    "derived": False,
                    "note": event.note,
                    "unverified": event.unverified,
                    "counterpart": event.counterpart,
                }
                rows.append(_dated_row(event.date, country, t, fields, event.sources))
            for day, extra, cited in _obligation_events(base, code, t.id):
                fields = {
                    "type": extra["type"],
                    "status": str(standing_of(base, code, t, day).status),
                    "derived": False,
                    "note": extra["note"],
                    "unverified": None,
                    "counterpart": None,
                }
                rows.append(_dated_row(day, country, t, fields, cited))
            for change in found:
                if change.derived:
                    fields = {
                        "type": law.change_type(change),
                        "status": str(change.after),
                        "derived": True,
                        "note": law_notes.derived_note(t, change.event),
                        "unverified": None,
                        "counterpart": None,
                    }
                    rows.append(_dated_row(change.date, country, t, fields, _cause_sources(change, country)))
    return _in_period(base, rows, since, on)
