"""Questions asked of the FactBase, answered as plain JSON-ready dicts and lists.

Each function returns exactly what `--json` prints; tables are rendered from the same data.
Dates are ISO 8601 strings, unknown values None. Nested documents (status, funding) cite
sources by id and carry the full source records once in `sources`; flat row lists
(withdrawals) carry full source records in every row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from . import law, law_notes
from .countries import normalize
from .errors import UsageError
from .models import (
    Event,
    EventType,
    FactBase,
    Source,
    Status,
    Treaty,
)

Row = dict[str, Any]


def iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def resolve_treaty(base: FactBase, text: str | None) -> list[Treaty]:
    """All treaties for None, else the one named by id or alias (case-insensitive)."""
    if text is None:
        return list(base.treaties.values())
    key = normalize(text)
    for treaty in base.treaties.values():
        if key in {normalize(t) for t in (treaty.id, *treaty.aliases)}:
            return [treaty]
    known = ", ".join(sorted(base.treaties))
    raise UsageError(f"no treaty matches {text!r} (known: {known})")


def source_record(source: Source) -> Row:
    return {
        "id": source.id,
        "publisher": source.publisher,
        "title": source.title,
        "url": source.url,
        "published": iso(source.published),
    }


def _sources(base: FactBase, ids: Iterable[str]) -> list[Row]:
    return [source_record(base.sources[i]) for i in dict.fromkeys(ids)]


def _with_sources(base: FactBase, row: Row) -> Row:
    """The row with its private source ids replaced by the full source records."""
    ids = row.pop("_sources")
    return row | {"sources": _sources(base, ids)}


def _standing(base: FactBase, iso3: str, treaty: Treaty, on: dt.date) -> law.Standing:
    country = base.countries[iso3]
    return law.standing(
        treaty,
        base.treaty_events(iso3, treaty.id),
        on,
        base.conflicts.get(iso3, ()),
        researched=treaty.id in country.complete_for,
    )


# --- withdrawals -------------------------------------------------------------------------

def withdrawal_records(base: FactBase, iso3: str, treaty: Treaty, on: dt.date) -> list[Row]:
    """The withdrawal and the suspension (if any) of one state from one treaty, as of `on`."""
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
    now = _standing(base, iso3, treaty, on)
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
    standing = _standing(base, iso3, treaty, on)
    row.update(
        stage="notified",
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
    """Every withdrawal or suspension in motion or done, as of `on`, touching `since` or later."""
    rows = []
    for t in resolve_treaty(base, treaty):
        for iso3 in base.countries:
            for row in withdrawal_records(base, iso3, t, on):
                days = [row[k] for k in ("announced", "approved", "deposited", "effective")]
                if since is None or any(d is not None and d >= since.isoformat() for d in days):
                    row = _with_sources(base, row)
                    rows.append({k: row[k] for k in _ROW_KEYS} | _stamp(base, on))
    rows.sort(key=lambda r: (r["deposited"] or r["approved"] or r["announced"] or "", r["country"]))
    return rows


def _stamp(base: FactBase, on: dt.date) -> Row:
    return {"as_of": on.isoformat(), "facts_as_of": base.meta.facts_as_of.isoformat()}


# --- status ------------------------------------------------------------------------------

_SUMMARY_KEYS = (
    "kind stage announced approved deposited effective effective_expected effective_note"
).split()


def _summary(row: Row) -> Row:
    """A withdrawal row as nested in a status document (sources are listed once, per treaty)."""
    return {k: row[k] for k in _SUMMARY_KEYS}



def status(base: FactBase, iso3: str, on: dt.date) -> Row:
    """One state's whole picture under every treaty, as of `on`."""
    country = base.countries[iso3]
    treaties = []
    for treaty in base.treaties.values():
        standing = _standing(base, iso3, treaty, on)
        events = [e for e in base.treaty_events(iso3, treaty.id) if e.date <= on]
        reasons = [r for r in base.reasons.get(iso3, ()) if r.treaty == treaty.id and r.date <= on]
        records = {r["kind"]: _summary(r) for r in withdrawal_records(base, iso3, treaty, on)}
        cited = [s for e in events for s in e.sources] + [s for r in reasons for s in r.sources]
        treaties.append(
            {
                "treaty": treaty.id,
                "treaty_name": treaty.short_name,
                "status": str(standing.status),
                "since": iso(standing.since),
                "next_status": None if standing.next_status is None else str(standing.next_status),
                "next_date": iso(standing.next_date),
                "events": [
                    {
                        "type": str(e.type),
                        "date": e.date.isoformat(),
                        "note": e.note,
                        "unverified": e.unverified,
                        "sources": list(e.sources),
                    }
                    for e in events
                ],
                "withdrawal": records.get("withdrawal"),
                "suspension": records.get("suspension"),
                "reasons": [
                    {"date": r.date.isoformat(), "summary": r.summary, "sources": list(r.sources)}
                    for r in reasons
                ],
                "sources": _sources(base, cited),
            }
        )
    return {
        "country": {"name": country.name, "iso2": country.iso2, "iso3": country.iso3},
        "as_of": on.isoformat(),
        "facts_as_of": base.meta.facts_as_of.isoformat(),
        "treaties": treaties,
    }


def status_rows(doc: Row) -> list[Row]:
    """The status document as flat rows, one per treaty (for JSON Lines, CSV, Markdown)."""
    return [
        {
            "country": doc["country"]["name"],
            "iso2": doc["country"]["iso2"],
            "iso3": doc["country"]["iso3"],
            **{k: t[k] for k in ("treaty", "treaty_name", "status", "since", "next_status", "next_date")},
            "as_of": doc["as_of"],
            "facts_as_of": doc["facts_as_of"],
        }
        for t in doc["treaties"]
    ]


# --- non-members -------------------------------------------------------------------------

def non_members(base: FactBase, on: dt.date, treaty: str | None) -> list[Row]:
    rows = []
    for t in resolve_treaty(base, treaty):
        for iso3, country in base.countries.items():
            standing = _standing(base, iso3, t, on)
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
                    | _stamp(base, on)
                )
    order = {str(s): i for i, s in enumerate(law.NON_MEMBERS)}
    rows.sort(key=lambda r: (r["treaty"], order[r["status"]], r["country"]))
    return rows


# --- treaties ----------------------------------------------------------------------------


def treaties(base: FactBase, on: dt.date) -> list[Row]:
    """Each treaty with its key dates and the count of states in each status on `on`.

    `states_parties` counts states for which the treaty is in force on the day (including
    those whose withdrawal is pending); `joining` counts deposits not yet in force.
    """
    rows = []
    for t in base.treaties.values():
        counts = dict.fromkeys((str(s) for s in Status), 0)
        for iso3 in base.countries:
            counts[str(_standing(base, iso3, t, on).status)] += 1
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
                "states_parties": counts["party"] + counts["withdrawing"],
                "joining": counts["joining"],
                "signatories": counts["signatory"],
                "withdrawing": counts["withdrawing"],
                "withdrawn": counts["withdrawn"],
                "not_joined": counts["not_joined"],
                "unknown": counts["unknown"],
                "sources": _sources(base, t.sources),
            }
            | _stamp(base, on)
        )
    return rows


# --- funding -----------------------------------------------------------------------------


def resolve_donor(base: FactBase, text: str) -> str:
    """A donor id from its id, its name, or (for a state) any name of that state."""
    key = normalize(text)
    for donor in base.donors.values():
        names = [donor.id, donor.name]
        if donor.iso3 in base.countries:
            country = base.countries[donor.iso3]
            names += [country.iso3, country.iso2, country.name, *country.aliases]
        if key in {normalize(n) for n in names}:
            return donor.id
    known = ", ".join(sorted(d.name for d in base.donors.values()))
    raise UsageError(f"no donor matches {text!r} (donors with data: {known})")


def funding(base: FactBase, donor: str | None, since: int | None) -> Row:
    """Contributions by donor and year with change and share, plus dated funding events."""
    donor_id = None if donor is None else resolve_donor(base, donor)
    totals = {t.year: t for t in base.totals}
    by_key = {(c.donor, c.year): c for c in base.contributions}
    contributions = []
    for c in base.contributions:
        if (donor_id and c.donor != donor_id) or (since and c.year < since):
            continue
        previous = by_key.get((c.donor, c.year - 1))
        change = None if previous is None else c.amount_usd - previous.amount_usd
        pct = None
        if previous is not None and previous.amount_usd:
            pct = round(100 * change / previous.amount_usd, 1)
        total = totals.get(c.year)
        if total is not None:
            share, basis = round(100 * c.amount_usd / total.amount_usd, 1), "computed"
        elif c.share_pct is not None:
            share, basis = c.share_pct, "stated"
        else:
            share, basis = None, None
        contributions.append(
            {
                "donor": c.donor,
                "donor_name": base.donors[c.donor].name,
                "year": c.year,
                "amount_usd": c.amount_usd,
                "share_of_total": share,
                "share_basis": basis,
                "change_usd": change,
                "change_pct": pct,
                "note": c.note,
                "sources": list(c.sources),
            }
        )
    events = [
        {
            "date": e.date.isoformat(),
            "donor": e.donor,
            "donor_name": None if e.donor is None else base.donors[e.donor].name,
            "type": str(e.type),
            "summary": e.summary,
            "sources": list(e.sources),
        }
        for e in base.funding_events
        if not (donor_id and e.donor != donor_id) and not (since and e.date.year < since)
    ]
    yearly = [
        {
            "year": t.year,
            "amount_usd": t.amount_usd,
            "donors": t.donors,
            "note": t.note,
            "sources": list(t.sources),
        }
        for t in base.totals
        if not (since and t.year < since)
    ]
    contributions.sort(key=lambda row: (row["donor_name"], row["year"]))
    cited = [s for row in (*contributions, *events, *yearly) for s in row["sources"]]
    return {
        "facts_as_of": base.meta.facts_as_of.isoformat(),
        "donor": donor_id,
        "since": since,
        "totals": yearly,
        "contributions": contributions,
        "events": events,
        "sources": _sources(base, cited),
    }


# --- changes and timelines ---------------------------------------------------------------

def _transition_rows(base: FactBase, iso3: str, treaty: Treaty) -> list[Row]:
    """Status changes and stage events of one state under one treaty, oldest first."""
    country = base.countries[iso3]
    events = base.treaty_events(iso3, treaty.id)
    conflicts = base.conflicts.get(iso3, ())
    researched = treaty.id in country.complete_for
    rows = []
    for change in law.transitions(treaty, events, conflicts, researched):
        cause = change.event
        rows.append(
            {
                "date": change.date.isoformat(),
                "country": country.name,
                "iso3": iso3,
                "treaty": treaty.id,
                "change": str(law.change_type(change)),
                "status_before": str(change.before),
                "status_after": str(change.after),
                "derived": change.derived,
                "note": law_notes.derived_note(treaty, cause) if change.derived else cause.note,
                "_sources": [] if cause is None else list(cause.sources),
            }
        )
    for event in events:
        if event.type in law.STAGE_ONLY_EVENTS and researched:
            status = str(law.standing(treaty, events, event.date, conflicts).status)
            rows.append(
                {
                    "date": event.date.isoformat(),
                    "country": country.name,
                    "iso3": iso3,
                    "treaty": treaty.id,
                    "change": str(event.type),
                    "status_before": status,
                    "status_after": status,
                    "derived": False,
                    "note": event.note,
                    "_sources": list(event.sources),
                }
            )
    return rows


def changes(base: FactBase, start: dt.date, end: dt.date, treaty: str | None) -> list[Row]:
    """Every change of status (and withdrawal or suspension stage) from `start` to `end`,
    both days included, in date order."""
    if end < start:
        raise UsageError(f"--to ({end}) is before --from ({start})")
    rows = [
        _with_sources(base, row) | _stamp(base, end)
        for t in resolve_treaty(base, treaty)
        for iso3 in base.countries
        for row in _transition_rows(base, iso3, t)
        if start.isoformat() <= row["date"] <= end.isoformat()
    ]
    rows.sort(key=lambda r: (r["date"], r["country"], r["treaty"]))
    return rows


def timeline(
    base: FactBase, iso3: str | None, treaty: str | None, since: dt.date | None, on: dt.date
) -> list[Row]:
    """Recorded events (and status changes the rules imply) in date order, up to `on`."""
    rows = []
    countries = list(base.countries) if iso3 is None else [iso3]
    for t in resolve_treaty(base, treaty):
        for code in countries:
            country = base.countries[code]
            events = base.treaty_events(code, t.id)
            conflicts = base.conflicts.get(code, ())
            researched = t.id in country.complete_for
            for event in events:
                rows.append(
                    {
                        "date": event.date.isoformat(),
                        "country": country.name,
                        "iso3": code,
                        "treaty": t.id,
                        "type": str(event.type),
                        "status": str(law.standing(t, events, event.date, conflicts, researched).status),
                        "derived": False,
                        "note": event.note,
                        "unverified": event.unverified,
                        "_sources": list(event.sources),
                    }
                )
            for change in law.transitions(t, events, conflicts, researched):
                if change.derived:
                    rows.append(
                        {
                            "date": change.date.isoformat(),
                            "country": country.name,
                            "iso3": code,
                            "treaty": t.id,
                            "type": str(law.change_type(change)),
                            "status": str(change.after),
                            "derived": True,
                            "note": law_notes.derived_note(t, change.event),
                            "unverified": None,
                            "_sources": [] if change.event is None else list(change.event.sources),
                        }
                    )
    low = "" if since is None else since.isoformat()
    rows = [
        _with_sources(base, r) | _stamp(base, on)
        for r in rows
        if low <= r["date"] <= on.isoformat()
    ]
    rows.sort(key=lambda r: (r["date"], r["country"], r["treaty"]))
    return rows


# --- search ------------------------------------------------------------------------------

_KIND_ORDER = ("country", "event", "reason", "funding_event", "source")


def search(base: FactBase, text: str) -> list[Row]:
    """Countries, events, reasons, funding events and sources whose text contains `text`
    (case-, accent- and punctuation-insensitive)."""
    key = normalize(text)
    if not key:
        raise UsageError("search: give a word or phrase to look for")

    def hit(*texts: str | None) -> bool:
        return any(key in normalize(t) for t in texts if t)

    rows: list[Row] = []

    def add(kind, iso3, treaty, day, found, sources) -> None:
        country = base.countries[iso3].name if iso3 in base.countries else None
        rows.append({"kind": kind, "iso3": iso3, "country": country, "treaty": treaty,
                     "date": iso(day), "text": found, "sources": list(sources)})

    for iso3, country in base.countries.items():
        if hit(country.name, country.iso3, country.iso2, *country.aliases):
            add("country", iso3, None, None, ", ".join((country.name, *country.aliases)), country.sources)
        for event in base.events.get(iso3, ()):
            if hit(event.note, event.unverified, event.rule_exception):
                add("event", iso3, event.treaty, event.date, f"{event.type}: {event.note}", event.sources)
        for reason in base.reasons.get(iso3, ()):
            if hit(reason.summary):
                add("reason", iso3, reason.treaty, reason.date, reason.summary, reason.sources)
    for event in base.funding_events:
        if hit(event.summary):
            donor = base.donors.get(event.donor) if event.donor else None
            add("funding_event", donor.iso3 if donor else None, None, event.date, event.summary, event.sources)
    for source in base.sources.values():
        if hit(source.publisher, source.title, source.url):
            add("source", None, None, source.published, f"{source.publisher}: {source.title}", [source.id])
    order = {kind: i for i, kind in enumerate(_KIND_ORDER)}
    rows.sort(key=lambda r: (order[r["kind"]], r["date"] or "", r["country"] or "", r["text"]))
    return rows
