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
from .models import Country, Event, EventType, FactBase, Status, Treaty
from .rows import Row, count_key, iso, sources, stamp, with_sources
from .rows import standing as standing_of

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
    short_name, status, since, next_status, next_date, events, withdrawal, suspension,
    reasons, sources}]}. Raises KeyError for a state the fact base lacks."""
    country = base.countries[iso3]
    treaties = []
    for treaty in base.treaties.values():
        standing = standing_of(base, iso3, treaty, on)
        events = [e for e in base.treaty_events(iso3, treaty.id) if e.date <= on]
        reasons = [r for r in base.reasons.get(iso3, ()) if r.treaty == treaty.id and r.date <= on]
        records = {r["kind"]: _summary(r) for r in withdrawal_records(base, iso3, treaty, on)}
        cited = [s for e in events for s in e.sources] + [s for r in reasons for s in r.sources]
        treaties.append(
            {
                "treaty": treaty.id,
                "short_name": treaty.short_name,
                "status": str(standing.status),
                "since": iso(standing.since),
                "next_status": None if standing.next_status is None else str(standing.next_status),
                "next_date": iso(standing.next_date),
                "events": [
                    {
                        "type": str(e.type),
                        "date": iso(e.date),
                        "note": e.note,
                        "unverified": e.unverified,
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
                "sources": sources(base, cited),
            }
        )
    return {
        "country": {"name": country.name, "iso2": country.iso2, "iso3": country.iso3},
        "as_of": iso(on),
        "facts_as_of": iso(base.meta.facts_as_of),
        "treaties": treaties,
    }


def status_rows(doc: Row) -> list[Row]:
    """The status document as flat rows, one per treaty (for JSON Lines, CSV, Markdown):
    {country, iso2, iso3, treaty, short_name, status, since, next_status, next_date, as_of,
    facts_as_of}. Raises KeyError if `doc` is not a status document."""
    return [
        {
            "country": doc["country"]["name"],
            "iso2": doc["country"]["iso2"],
            "iso3": doc["country"]["iso3"],
            **{k: t[k] for k in ("treaty", "short_name", "status", "since", "next_status", "next_date")},
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
    those whose withdrawal is pending); `joining` counts deposits not yet in force.
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


def _cause_sources(change: law.Transition) -> tuple[str, ...]:
    return () if change.event is None else change.event.sources


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
    conflicts = base.conflicts.get(iso3, ())
    researched = treaty.id in country.complete_for
    rows = []
    for change in law.transitions(treaty, events, conflicts, researched):
        cause = change.event
        fields = {
            "change": str(law.change_type(change)),
            "status_before": str(change.before),
            "status_after": str(change.after),
            "derived": change.derived,
            "note": law_notes.derived_note(treaty, cause) if change.derived else cause.note,
        }
        rows.append(_dated_row(change.date, country, treaty, fields, _cause_sources(change)))
    for event in events:
        if event.type in law.STAGE_ONLY_EVENTS and researched:
            status = str(law.standing(treaty, events, event.date, conflicts).status)
            fields = {
                "change": str(event.type),
                "status_before": status,
                "status_after": status,
                "derived": False,
                "note": event.note,
            }
            rows.append(_dated_row(event.date, country, treaty, fields, event.sources))
    return rows


def changes(base: FactBase, start: dt.date, end: dt.date, treaty: str | None) -> list[Row]:
    """Every change of status (and withdrawal or suspension stage) from `start` to `end`,
    both days included, in date order.

    Returns rows {date, country, iso3, treaty, change, status_before, status_after, derived,
    note, sources, as_of, facts_as_of}; none when `end` is before `start` (an empty period).
    Raises UsageError if the treaty is unknown."""
    rows = [
        row
        for t in resolve_treaty(base, treaty)
        for iso3 in base.countries
        for row in _transition_rows(base, iso3, t)
    ]
    return _in_period(base, rows, start, end)


def timeline(
    base: FactBase, iso3: str | None, treaty: str | None, since: dt.date | None, on: dt.date
) -> list[Row]:
    """Recorded events (and status changes the rules imply) in date order, up to `on`.

    Returns rows {date, country, iso3, treaty, type, status, derived, note, unverified,
    sources, as_of, facts_as_of}. Raises UsageError for an unknown treaty, KeyError for a
    state the fact base lacks."""
    rows = []
    countries = list(base.countries) if iso3 is None else [iso3]
    for t in resolve_treaty(base, treaty):
        for code in countries:
            country = base.countries[code]
            events = base.treaty_events(code, t.id)
            conflicts = base.conflicts.get(code, ())
            researched = t.id in country.complete_for
            for event in events:
                fields = {
                    "type": str(event.type),
                    "status": str(law.standing(t, events, event.date, conflicts, researched).status),
                    "derived": False,
                    "note": event.note,
                    "unverified": event.unverified,
                }
                rows.append(_dated_row(event.date, country, t, fields, event.sources))
            for change in law.transitions(t, events, conflicts, researched):
                if change.derived:
                    fields = {
                        "type": str(law.change_type(change)),
                        "status": str(change.after),
                        "derived": True,
                        "note": law_notes.derived_note(t, change.event),
                        "unverified": None,
                    }
                    rows.append(_dated_row(change.date, country, t, fields, _cause_sources(change)))
    return _in_period(base, rows, since, on)
