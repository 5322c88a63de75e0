"""The whole fact base as a normalised SQLite database or as one CSV file per table.

Both are reproducible: the same facts and the same `as_of` day give byte-identical files
(rows are written in a fixed order, and nothing records when the export ran). The database
has foreign keys and indexes, a `status_changes` table computed by the treaty rules
(law.transitions), and the standing of every state and the stages of every withdrawal as
the rules give them on the `as_of` day (recorded in `meta`). Its views read those tables,
so they answer like the CLI on that day, never re-deriving status in SQL: `membership`
(each state's status per treaty), `withdrawals` and `non_members`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from enum import Enum
from pathlib import Path
from typing import Any

from . import __version__, dates, law
from . import funding as funding_query
from .models import STATE_KINDS, FactBase
from .queries import withdrawal_records
from .rows import iso, standing, transitions

SCHEMA = """
PRAGMA foreign_keys = ON;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    id TEXT PRIMARY KEY, publisher TEXT NOT NULL, title TEXT NOT NULL, url TEXT NOT NULL,
    published TEXT, note TEXT);
CREATE TABLE treaties (
    id TEXT PRIMARY KEY, short_name TEXT NOT NULL, name TEXT NOT NULL, adopted TEXT NOT NULL,
    opened_for_signature TEXT NOT NULL, entered_into_force TEXT NOT NULL,
    depositary TEXT NOT NULL, entry_into_force_article TEXT NOT NULL,
    entry_into_force_months INTEGER NOT NULL, withdrawal_article TEXT NOT NULL,
    withdrawal_months INTEGER NOT NULL, withdrawal_waits_for_armed_conflict INTEGER NOT NULL);
CREATE TABLE treaty_aliases (
    treaty TEXT NOT NULL REFERENCES treaties(id), alias TEXT NOT NULL,
    PRIMARY KEY (treaty, alias));
CREATE TABLE countries (
    iso3 TEXT PRIMARY KEY, iso2 TEXT NOT NULL UNIQUE, name TEXT NOT NULL, note TEXT,
    statehood TEXT, part_of TEXT, part_of_name TEXT);
CREATE TABLE country_aliases (
    iso3 TEXT NOT NULL REFERENCES countries(iso3), alias TEXT NOT NULL,
    PRIMARY KEY (iso3, alias));
CREATE TABLE researched (
    iso3 TEXT NOT NULL REFERENCES countries(iso3), treaty TEXT NOT NULL REFERENCES treaties(id),
    PRIMARY KEY (iso3, treaty));
CREATE TABLE country_sources (
    iso3 TEXT NOT NULL REFERENCES countries(iso3), source TEXT NOT NULL REFERENCES sources(id),
    PRIMARY KEY (iso3, source));
CREATE TABLE statehood_sources (
    iso3 TEXT NOT NULL REFERENCES countries(iso3), source TEXT NOT NULL REFERENCES sources(id),
    PRIMARY KEY (iso3, source));
"""

# Per-state kinds (models.STATE_KINDS) come here: <name> and <singular>_sources.

SCHEMA_LAW = """
CREATE TABLE status_changes (
    iso3 TEXT NOT NULL REFERENCES countries(iso3), treaty TEXT NOT NULL REFERENCES treaties(id),
    date TEXT NOT NULL, seq INTEGER NOT NULL, status_before TEXT NOT NULL,
    status_after TEXT NOT NULL, change TEXT, derived INTEGER NOT NULL,
    PRIMARY KEY (iso3, treaty, seq));
CREATE TABLE standing (
    iso3 TEXT NOT NULL REFERENCES countries(iso3), treaty TEXT NOT NULL REFERENCES treaties(id),
    status TEXT NOT NULL, since TEXT, next_status TEXT, next_date TEXT,
    party INTEGER NOT NULL, non_member INTEGER NOT NULL,
    PRIMARY KEY (iso3, treaty));
CREATE TABLE withdrawal_stages (
    iso3 TEXT NOT NULL REFERENCES countries(iso3), treaty TEXT NOT NULL REFERENCES treaties(id),
    kind TEXT NOT NULL, stage TEXT NOT NULL, announced TEXT, approved TEXT, deposited TEXT,
    effective TEXT, effective_expected TEXT, PRIMARY KEY (iso3, treaty, kind));
CREATE TABLE donors (id TEXT PRIMARY KEY, name TEXT NOT NULL, iso3 TEXT REFERENCES countries(iso3));
CREATE TABLE funding_totals (
    id INTEGER PRIMARY KEY, scope TEXT NOT NULL, year INTEGER NOT NULL, amount_usd INTEGER NOT NULL,
    donors INTEGER, edition TEXT NOT NULL REFERENCES editions(id), share_pct REAL,
    affected_states INTEGER, lower_bound INTEGER NOT NULL, approximate INTEGER NOT NULL, note TEXT,
    shown INTEGER NOT NULL, UNIQUE (scope, year, edition));
CREATE TABLE funding (
    id INTEGER PRIMARY KEY, donor TEXT NOT NULL REFERENCES donors(id), year INTEGER NOT NULL,
    amount_usd INTEGER NOT NULL, share_pct REAL, note TEXT,
    edition TEXT NOT NULL REFERENCES editions(id), lower_bound INTEGER NOT NULL,
    approximate INTEGER NOT NULL, rank INTEGER, shown INTEGER NOT NULL,
    UNIQUE (donor, year, edition));
CREATE TABLE funding_recipients (
    id INTEGER PRIMARY KEY, year INTEGER NOT NULL, iso3 TEXT NOT NULL REFERENCES countries(iso3),
    donor TEXT REFERENCES donors(id), amount_usd INTEGER, rank INTEGER, share_pct REAL,
    edition TEXT NOT NULL REFERENCES editions(id), note TEXT);
CREATE TABLE funding_gaps (
    id INTEGER PRIMARY KEY, year INTEGER NOT NULL, kind TEXT NOT NULL,
    donor TEXT REFERENCES donors(id), iso3 TEXT REFERENCES countries(iso3),
    edition TEXT NOT NULL REFERENCES editions(id), note TEXT NOT NULL);
CREATE TABLE funding_sources (
    funding INTEGER NOT NULL REFERENCES funding(id), source TEXT NOT NULL REFERENCES sources(id),
    PRIMARY KEY (funding, source));
CREATE TABLE funding_total_sources (
    funding_total INTEGER NOT NULL REFERENCES funding_totals(id),
    source TEXT NOT NULL REFERENCES sources(id), PRIMARY KEY (funding_total, source));
CREATE TABLE funding_recipient_sources (
    funding_recipient INTEGER NOT NULL REFERENCES funding_recipients(id),
    source TEXT NOT NULL REFERENCES sources(id), PRIMARY KEY (funding_recipient, source));
-- A gap may cite nothing: it records that no figure was found.
CREATE TABLE funding_gap_sources (
    funding_gap INTEGER NOT NULL REFERENCES funding_gaps(id),
    source TEXT NOT NULL REFERENCES sources(id), PRIMARY KEY (funding_gap, source));
CREATE TABLE funding_events (
    id INTEGER PRIMARY KEY, date TEXT NOT NULL, donor TEXT REFERENCES donors(id),
    type TEXT NOT NULL, summary TEXT NOT NULL, note TEXT);
CREATE TABLE funding_event_sources (
    funding_event INTEGER NOT NULL REFERENCES funding_events(id),
    source TEXT NOT NULL REFERENCES sources(id), PRIMARY KEY (funding_event, source));
CREATE TABLE editions (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, publisher TEXT NOT NULL, covers INTEGER NOT NULL,
    published TEXT, note TEXT);
CREATE TABLE edition_sources (
    edition TEXT NOT NULL REFERENCES editions(id), source TEXT NOT NULL REFERENCES sources(id),
    PRIMARY KEY (edition, source));
-- scope is 'world' or a state's iso3; a missing figure is NULL (unknown), never 0.
CREATE TABLE casualties (
    id INTEGER PRIMARY KEY, scope TEXT NOT NULL, year INTEGER NOT NULL, weapon TEXT NOT NULL,
    edition TEXT NOT NULL REFERENCES editions(id), killed INTEGER, injured INTEGER,
    total INTEGER, civilian_pct REAL, secondary INTEGER NOT NULL, note TEXT,
    UNIQUE (scope, year, weapon, edition));
CREATE TABLE casualty_sources (
    casualty INTEGER NOT NULL REFERENCES casualties(id), source TEXT NOT NULL REFERENCES sources(id),
    PRIMARY KEY (casualty, source));
CREATE TABLE contamination (
    id INTEGER PRIMARY KEY, scope TEXT NOT NULL, weapon TEXT NOT NULL,
    edition TEXT NOT NULL REFERENCES editions(id), area_km2 REAL, area_kind TEXT,
    extent_band TEXT, states_and_areas INTEGER, states INTEGER, states_parties INTEGER,
    states_not_party INTEGER, other_areas INTEGER, at_least INTEGER NOT NULL,
    secondary INTEGER NOT NULL, note TEXT, UNIQUE (scope, weapon, edition));
CREATE TABLE contamination_sources (
    contamination INTEGER NOT NULL REFERENCES contamination(id),
    source TEXT NOT NULL REFERENCES sources(id), PRIMARY KEY (contamination, source));
CREATE INDEX events_by_state ON events (iso3, treaty, date);
CREATE INDEX events_by_date ON events (date);
CREATE INDEX reasons_by_state ON reasons (iso3, treaty);
CREATE INDEX status_changes_by_date ON status_changes (iso3, treaty, date);
CREATE INDEX funding_by_year ON funding (year);
CREATE INDEX event_sources_by_source ON event_sources (source);

-- Views answer like the CLI as of the day recorded in meta.as_of: they read the standing
-- and withdrawal_stages tables, which the treaty rules (law.py) computed for that day.

-- The status of every state under every treaty, like `landmine status`.
CREATE VIEW membership AS
SELECT s.iso3, c.name AS country, s.treaty, s.status, s.since
FROM standing s JOIN countries c ON c.iso3 = s.iso3;

-- States that are not parties (with those joining or withdrawing), like
-- `landmine non-members`.
CREATE VIEW non_members AS
SELECT c.name AS country, s.iso3, s.treaty, s.status, s.since
FROM standing s JOIN countries c ON c.iso3 = s.iso3
WHERE s.non_member = 1;

-- Withdrawals and suspensions with the date of each stage reached, like
-- `landmine withdrawals`.
CREATE VIEW withdrawals AS
SELECT c.name AS country, w.iso3, w.treaty, w.kind, w.stage,
    w.announced, w.approved, w.deposited, w.effective
FROM withdrawal_stages w JOIN countries c ON c.iso3 = w.iso3;
"""


_SQL_TYPES = {"int": "INTEGER", "bool": "INTEGER", "float": "REAL", "Year": "INTEGER",
              "Quantity": "INTEGER", "Count": "INTEGER", "Amount": "INTEGER"}


def _column_sql(record: type, column: str) -> str:
    """One column's SQL from the record's annotation: TEXT, INTEGER or REAL, NOT NULL unless
    optional, and a foreign key for a `treaty` column."""
    annotation = str(record.__annotations__[column])
    base = annotation.split("|")[0].strip()
    sql = f'"{column}" {_SQL_TYPES.get(base, "TEXT")}'
    if "None" not in annotation:
        sql += " NOT NULL"
    if column == "treaty":
        sql += " REFERENCES treaties(id)"
    return sql


def state_kinds_sql() -> str:
    """CREATE TABLE statements for every per-state kind (models.STATE_KINDS) and its link
    table to sources, as one SQL script. Raises KeyError if a kind names a column its
    record lacks."""
    out = []
    for kind in STATE_KINDS:
        columns = ", ".join(_column_sql(kind.record, c) for c in kind.columns)
        out.append(
            f"CREATE TABLE {kind.name} (\n    id INTEGER PRIMARY KEY, "
            f"iso3 TEXT NOT NULL REFERENCES countries(iso3),\n    {columns});"
        )
        out.append(
            f"CREATE TABLE {kind.singular}_sources (\n"
            f"    {kind.singular} INTEGER NOT NULL REFERENCES {kind.name}(id), "
            "source TEXT NOT NULL REFERENCES sources(id),\n"
            f"    PRIMARY KEY ({kind.singular}, source));"
        )
    return "\n".join(out) + "\n"


def _cell(value: Any) -> Any:
    """A record's value as SQLite and CSV store it: dates as ISO text, enums as their value,
    booleans as 0/1."""
    if isinstance(value, dt.date):
        return iso(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    return value


def tables(base: FactBase, on: dt.date | None = None) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table's columns and rows, in a fixed order: {table: (column names, rows)}.

    `standing` and `withdrawal_stages` hold what the treaty rules give as of `on` (default:
    dates.today()), recorded as the `as_of` row of `meta`. Raises UsageError only if
    "today" is needed and $LANDMINE_TODAY is malformed.
    """
    day = dates.today() if on is None else on

    out: dict[str, tuple[list[str], list[tuple]]] = {}

    def put(name: str, columns: str, rows: list[tuple]) -> None:
        out[name] = (columns.split(), rows)

    put("meta", "key value", [("as_of", iso(day)), ("facts_as_of", iso(base.meta.facts_as_of)),
                              ("title", base.meta.title), ("landmine_version", __version__)])
    put("sources", "id publisher title url published note",
        [(s.id, s.publisher, s.title, s.url, iso(s.published), s.note)
         for s in sorted(base.sources.values(), key=lambda s: s.id)])
    put("treaties", "id short_name name adopted opened_for_signature entered_into_force "
        "depositary entry_into_force_article entry_into_force_months withdrawal_article "
        "withdrawal_months withdrawal_waits_for_armed_conflict",
        [(t.id, t.short_name, t.name, iso(t.adopted), iso(t.opened_for_signature),
          iso(t.entered_into_force), t.depositary, t.entry_into_force_article,
          t.entry_into_force_months, t.withdrawal_article, t.withdrawal_months,
          int(t.withdrawal_waits_for_armed_conflict)) for t in base.treaties.values()])
    put("treaty_aliases", "treaty alias",
        [(t.id, a) for t in base.treaties.values() for a in t.aliases])
    countries = sorted(base.countries.values(), key=lambda c: c.iso3)
    put("countries", "iso3 iso2 name note statehood part_of part_of_name",
        [(c.iso3, c.iso2, c.name, c.note, iso(c.statehood), c.part_of, c.part_of_name) for c in countries])
    put("statehood_sources", "iso3 source",
        [(c.iso3, s) for c in countries for s in dict.fromkeys(c.statehood_sources)])
    put("country_aliases", "iso3 alias", [(c.iso3, a) for c in countries for a in dict.fromkeys(c.aliases)])
    put("researched", "iso3 treaty", [(c.iso3, t) for c in countries for t in c.complete_for])
    put("country_sources", "iso3 source", [(c.iso3, s) for c in countries for s in dict.fromkeys(c.sources)])

    for kind in STATE_KINDS:
        records, links = [], []
        for c in countries:
            for r in getattr(base, kind.name).get(c.iso3, ()):
                records.append((len(records) + 1, c.iso3, *(_cell(getattr(r, k)) for k in kind.columns)))
                links += [(len(records), s) for s in dict.fromkeys(r.sources)]
        put(kind.name, " ".join(("id", "iso3", *kind.columns)), records)
        put(f"{kind.singular}_sources", f"{kind.singular} source", links)

    changes, standings, stages = [], [], []
    for c in countries:
        for t in base.treaties.values():
            found = transitions(base, c.iso3, t)
            for seq, change in enumerate(found, start=1):
                kind = None if change.event is None else str(change.event.type)
                if change.event is None and not change.derived:
                    kind = law.BECAME_STATE
                changes.append((c.iso3, t.id, iso(change.date), seq, str(change.before),
                                str(change.after), kind, int(change.derived)))
            now = standing(base, c.iso3, t, day)
            standings.append((c.iso3, t.id, str(now.status), iso(now.since),
                              None if now.next_status is None else str(now.next_status),
                              iso(now.next_date), int(now.status in law.IS_PARTY),
                              int(now.status in law.NON_MEMBERS)))
            for w in withdrawal_records(base, c.iso3, t, day):
                stages.append((c.iso3, t.id, w["kind"], w["stage"], w["announced"], w["approved"],
                               w["deposited"], w["effective"], w["effective_expected"]))
    put("status_changes", "iso3 treaty date seq status_before status_after change derived", changes)
    put("standing", "iso3 treaty status since next_status next_date party non_member", standings)
    put("withdrawal_stages", "iso3 treaty kind stage announced approved deposited effective "
        "effective_expected", stages)

    put("donors", "id name iso3", [(d.id, d.name, d.iso3) for d in sorted(base.donors.values(), key=lambda d: d.id)])
    # `shown`: 1 for the figure the funding answers give for its year as of the export's day
    # (the latest edition published by then), 0 for one a later edition revised or one not
    # yet published; summing the shown rows counts each year once.
    shown_totals, shown_contributions = funding_query.shown(base, day)
    put("funding_totals", "id scope year amount_usd donors edition share_pct affected_states "
        "lower_bound approximate note shown",
        [(n, str(t.scope), t.year, t.amount_usd, t.donors, t.edition, t.share_pct, t.affected_states,
          int(t.lower_bound), int(t.approximate), t.note, int(t in shown_totals))
         for n, t in enumerate(base.totals, start=1)])
    put("funding", "id donor year amount_usd share_pct note edition lower_bound approximate rank shown",
        [(n, f.donor, f.year, f.amount_usd, f.share_pct, f.note, f.edition, int(f.lower_bound),
          int(f.approximate), f.rank, int(f in shown_contributions))
         for n, f in enumerate(base.contributions, start=1)])
    put("funding_recipients", "id year iso3 donor amount_usd rank share_pct edition note",
        [(n, r.year, r.iso3, r.donor, r.amount_usd, r.rank, r.share_pct, r.edition, r.note)
         for n, r in enumerate(base.recipients, start=1)])
    put("funding_gaps", "id year kind donor iso3 edition note",
        [(n, g.year, str(g.kind), g.donor, g.iso3, g.edition, g.note)
         for n, g in enumerate(base.funding_gaps, start=1)])
    put("funding_events", "id date donor type summary note",
        [(n, iso(e.date), e.donor, str(e.type), e.summary, e.note)
         for n, e in enumerate(base.funding_events, start=1)])
    # Each funding record's sources, linked by the record's number (its id above).
    for table, records in (("funding_total", base.totals), ("funding", base.contributions),
                           ("funding_recipient", base.recipients), ("funding_gap", base.funding_gaps),
                           ("funding_event", base.funding_events)):
        put(f"{table}_sources", f"{table} source",
            [(n, s) for n, r in enumerate(records, start=1) for s in dict.fromkeys(r.sources)])

    editions = sorted(base.editions.values(), key=lambda e: e.id)
    put("editions", "id title publisher covers published note",
        [(e.id, e.title, e.publisher, e.covers, iso(e.published), e.note) for e in editions])
    put("edition_sources", "edition source", [(e.id, s) for e in editions for s in dict.fromkeys(e.sources)])
    casualties, casualty_sources = [], []
    for c in base.casualties:
        casualties.append((len(casualties) + 1, c.scope, c.year, str(c.weapon), c.edition, c.killed,
                           c.injured, c.total, c.civilian_pct, int(c.secondary), c.note))
        casualty_sources += [(len(casualties), s) for s in dict.fromkeys(c.sources)]
    put("casualties", "id scope year weapon edition killed injured total civilian_pct secondary note",
        casualties)
    put("casualty_sources", "casualty source", casualty_sources)
    contamination, contamination_sources = [], []
    for k in base.contamination:
        contamination.append((len(contamination) + 1, k.scope, str(k.weapon), k.edition, k.area_km2,
                              None if k.area_kind is None else str(k.area_kind),
                              None if k.extent_band is None else str(k.extent_band), k.states_and_areas,
                              k.states, k.states_parties, k.states_not_party, k.other_areas,
                              int(k.at_least), int(k.secondary), k.note))
        contamination_sources += [(len(contamination), s) for s in dict.fromkeys(k.sources)]
    put("contamination", "id scope weapon edition area_km2 area_kind extent_band states_and_areas "
        "states states_parties states_not_party other_areas at_least secondary note", contamination)
    put("contamination_sources", "contamination source", contamination_sources)
    return out


def to_sqlite(base: FactBase, target: Path, on: dt.date | None = None) -> dict[str, int]:
    """Write the database, as of `on` (default today), to `target` (replaced atomically,
    through a symbolic link; a folder, pipe or device is refused).

    Returns {table: row count}. Raises OSError (files.NotRegularFile for a target that is
    not a regular file) if the target cannot be written."""
    from .files import write_atomic

    data = tables(base, on)
    # Built in memory, then written by the one atomic writer: the target is checked and
    # every error names it, never a temporary file.
    connection = sqlite3.connect(":memory:")
    try:
        connection.executescript(SCHEMA + state_kinds_sql() + SCHEMA_LAW)
        with connection:
            # Tables are filled in the order tables() lists them; references between them
            # (funding figures cite editions listed later) are checked at commit.
            connection.execute("PRAGMA defer_foreign_keys = ON")
            for name, (columns, rows) in data.items():
                quoted = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" for _ in columns)
                connection.executemany(f"INSERT INTO {name} ({quoted}) VALUES ({marks})", rows)
        problems = connection.execute("PRAGMA foreign_key_check").fetchall()
        if problems:  # the fact base is validated, so this would be a bug here
            raise RuntimeError(f"export broke a foreign key: {problems[:3]}")
        image = connection.serialize()
    finally:
        connection.close()
    _folder_exists(target.parent, target)
    write_atomic(target, image)
    return {name: len(rows) for name, (_, rows) in data.items()}


# OWASP "CSV Injection": a spreadsheet runs a cell that starts with one of these as a
# formula (=HYPERLINK(...), +cmd|...), so such a text cell gets a leading single quote.
# Only text is touched: numbers are written as numbers (and the fact base has no negative
# ones: amounts, years and counts are non-negative by the models).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """A CSV cell that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(base: FactBase, folder: Path, on: dt.date | None = None, neutralise: bool = True) -> dict[str, int]:
    """Write one CSV per table, as of `on` (default today), into `folder`. Text cells that a
    spreadsheet would run as formulas are neutralised unless `neutralise` is false.

    Returns {table: row count}. Raises OSError if a file cannot be written."""
    from .files import write_atomic

    _make_folder(folder)
    counts = {}
    for name, (columns, rows) in tables(base, on).items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        clean = neutralised if neutralise else (lambda v: v)
        writer.writerows(["" if v is None else clean(v) for v in row] for row in rows)
        write_atomic(folder / f"{name}.csv", buffer.getvalue())
        counts[name] = len(rows)
    return counts


def _make_folder(folder: Path) -> None:
    """Create the CSV folder if missing (its parent must exist: a mistyped path makes no
    folders); an existing non-folder is refused, naming it. Raises OSError."""
    import errno

    from .files import NotRegularFile

    if folder.exists() and not folder.is_dir():
        raise NotRegularFile(errno.ENOTDIR, "not a folder", str(folder))
    _folder_exists(folder.parent, folder)
    folder.mkdir(exist_ok=True)


def _folder_exists(folder: Path, target: Path) -> None:
    """OSError (ENOENT, naming `target`) unless `folder`, where `target` goes, exists."""
    import errno

    if not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"no folder {folder} (create it first)", str(target))
