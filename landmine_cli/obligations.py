"""Questions about treaty obligations (stockpile destruction and clearance deadlines),
answered as plain JSON-ready rows: where each state's obligation stands on a day, and the
dated extension and completion events for `changes` and `timeline`. The rules are law.py's
(DUTIES, situation); the sentences are law_notes.py's.
"""

from __future__ import annotations

import datetime as dt

from . import law, law_notes
from .countries import resolve_treaty
from .models import EventType, Extension, FactBase, Obligation, Status
from .rows import Row, iso, stamp, with_sources
from .rows import standing as standing_of


def _completion_text(ob: Obligation, on: dt.date) -> str | None:
    """The completion as recorded (a day, a month or year, or "by DAY"), once it is known
    to have happened by `on`; None before."""
    if law.completion(ob, on) != law.DONE:
        return None
    if ob.completed is not None:
        return iso(ob.completed)
    if ob.completed_period is not None:
        return ob.completed_period
    if ob.completed_by is not None:
        return f"by {iso(ob.completed_by)}"
    return None


def _mine(base: FactBase, iso3: str, ob: Obligation) -> tuple[Extension, ...]:
    return tuple(e for e in base.extensions.get(iso3, ()) if (e.treaty, e.article) == (ob.treaty, ob.article))


def _requested_by(ext: Extension, on: dt.date) -> bool:
    if ext.requested is not None:
        return ext.requested <= on
    return ext.requested_year is None or ext.requested_year <= on.year


def obligation_row(base: FactBase, iso3: str, ob: Obligation, on: dt.date) -> Row | None:
    """One obligation of one state as of `on`, or None if the state was not bound by the
    treaty that day (before entry into force, or never a party).

    Returns {country, iso3, treaty, article, duty, original_deadline, current_deadline,
    extensions, requests_pending, status, days_left, days_overdue, countdown, completed,
    researched_to, ended, remark, note, _sources (ids)}. Raises KeyError for a state the
    fact base lacks."""
    treaty = base.treaties[ob.treaty]
    standing = standing_of(base, iso3, treaty, on)
    ended = None
    if standing.status is Status.WITHDRAWN:
        ended = standing.since
    elif standing.status not in law.IS_PARTY:
        return None
    extensions = _mine(base, iso3, ob)
    found = law.situation(ob, extensions, on, withdrawal_effective=ended)
    suspended = [e.date for e in base.treaty_events(iso3, ob.treaty)
                 if e.type is EventType.SUSPENSION_NOTIFIED and e.date <= on]
    pending = [e for e in extensions if str(e.outcome) == "unknown" and _requested_by(e, on)]
    in_force = [s.extension for s in law.deadline_steps(ob.original_deadline, extensions) if s.effective <= on]
    duty = law.DUTIES[(ob.treaty, ob.article)]
    country = base.countries[iso3]
    return {
        "country": country.name,
        "iso3": iso3,
        "treaty": ob.treaty,
        "article": ob.article,
        "duty": duty.name,
        "original_deadline": iso(ob.original_deadline),
        "current_deadline": iso(found.current_deadline),
        "extensions": found.extensions,
        "requests_pending": len(pending),
        "status": found.status,
        "days_left": found.days_left,
        "days_overdue": found.days_overdue,
        "countdown": law_notes.obligation_countdown(found, ob),
        "completed": _completion_text(ob, on),
        "researched_to": iso(ob.researched_to),
        "ended": iso(found.ended),
        "remark": law_notes.obligation_remark(treaty, found, max(suspended, default=None)),
        "note": ob.note,
        "_sources": list(ob.sources) + [s for e in in_force + pending for s in e.sources],
    }


def obligations(
    base: FactBase, iso3: str | None, treaty: str | None, on: dt.date, overdue: bool = False
) -> list[Row]:
    """Every recorded obligation (of one state, or all) under the treaty (or both), as of
    `on`; only the overdue ones with `overdue`.

    Returns rows as obligation_row, with `sources` (records) and {as_of, facts_as_of},
    ordered by country, treaty and article. Raises UsageError for an unknown treaty."""
    treaties = {t.id for t in resolve_treaty(base, treaty)}
    rows = []
    for code in (base.countries if iso3 is None else [iso3]):
        for ob in base.obligations.get(code, ()):
            if ob.treaty not in treaties:
                continue
            row = obligation_row(base, code, ob, on)
            if row is None or (overdue and row["status"] != "overdue"):
                continue
            rows.append(with_sources(base, row) | stamp(base, on))
    rows.sort(key=lambda r: (r["country"], r["treaty"], r["article"]))
    return rows


def dated_events(base: FactBase, iso3: str, treaty: str) -> list[tuple[dt.date, Row, tuple[str, ...]]]:
    """The obligation events of one state under one treaty that have a day: extensions
    granted (on their grant day) and completions (on their day). Returns (day, fields,
    source ids) with fields {type ("extension_granted" or "obligation_completed"), article,
    new_deadline, granted_by, note}. Raises nothing for a valid fact base."""
    found = []
    for ob in base.obligations.get(iso3, ()):
        if ob.treaty != treaty:
            continue
        for ext in _mine(base, iso3, ob):
            if str(ext.outcome) == "granted" and ext.granted is not None:
                fields = {"type": "extension_granted", "article": ob.article,
                          "new_deadline": iso(ext.new_deadline), "granted_by": ext.granted_by,
                          "note": law_notes.extension_note(ob, ext)}
                found.append((ext.granted, fields, ext.sources))
        if ob.completed is not None:
            fields = {"type": "obligation_completed", "article": ob.article, "new_deadline": None,
                      "granted_by": None,
                      "note": f"{ob.article} {law.DUTIES[(ob.treaty, ob.article)].name} completed"}
            found.append((ob.completed, fields, ob.sources))
    return found
