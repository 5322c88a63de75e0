"""How each command's data is shown to people: column specs and table layout.

The rows are the very dicts that --json prints; a column's key is the JSON key it shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import law
from .models import Status
from .output import (
    DATE,
    MONEY,
    PERCENT,
    SIGNED_MONEY,
    SIGNED_PERCENT,
    STATUS,
    Column,
    Line,
    Table,
)
from .rows import Row, count_key, iso


# -- words for tokens: tables show words, JSON keeps the tokens ------------------------------

# The row keys whose values are enum tokens (a Status, an EventType or FundingEventType, a
# withdrawal stage, a record kind, a field name) in every answer; a table shows them as words.
TOKEN_KEYS = frozenset({"status", "type", "stage", "kind", "change", "field"})


def label(token: str) -> str:
    """An enum token as people read it: "not_joined" -> "not joined", "entered_into_force"
    -> "entered into force". Every token is lower-case words joined by underscores, so text
    built around tokens ("party -> not_joined", "entered_into_force*") reads right too.
    Returns a str; raises nothing. JSON, CSV and the other data formats keep the tokens."""
    return token.replace("_", " ")


def _table(columns, rows: list[Row], **options: Any) -> Table:
    """The Table of `rows`, with every cell of a TOKEN_KEYS column shown as words (label).
    Every table in this module is built here, so no view can forget it."""
    keys = [c.key for c in columns if c.key in TOKEN_KEYS]
    if keys:
        rows = [r | {k: label(r[k]) for k in keys if isinstance(r.get(k), str)} for r in rows]
    return Table(columns, rows, **options)


def countdown(as_of: str, day: str) -> str:
    """How far a date lies ahead of the answer's day, for people ("in 45 days")."""
    days = (dt.date.fromisoformat(day) - dt.date.fromisoformat(as_of)).days
    return "tomorrow" if days == 1 else f"in {days} days"


def footer(facts_as_of: str, as_of: str | None = None) -> str:
    when = "" if as_of is None else f"Answer as of {as_of}. "
    return f"{when}Facts as of {facts_as_of}."


WITHDRAWAL_COLUMNS = (
    Column("country", "Country", no_wrap=True),
    Column("treaty", "Treaty", no_wrap=True),
    Column("stage", "Stage", no_wrap=True),
    Column("announced", "Announced", DATE),
    Column("approved", "Approved", DATE),
    Column("deposited", "Deposited", DATE),
    Column("effective", "Effective", DATE),
)


# A suspension's one date is the day its notice was received (the rows' `deposited`).
SUSPENSION_COLUMNS = (
    Column("country", "Country", no_wrap=True),
    Column("treaty", "Treaty", no_wrap=True),
    Column("stage", "Stage", no_wrap=True),
    Column("deposited", "Notified", DATE),
)


def withdrawals(rows: list[Row]) -> list[Table | Line]:
    """Withdrawals, then suspensions in a table of their own (a suspension is not a
    withdrawal, and its one stage is "notified", as in the JSON), then the reasons the
    states gave, then the notes on what the law makes of each row."""
    withdrawn = [r for r in rows if r["kind"] == "withdrawal"]
    suspended = [r for r in rows if r["kind"] == "suspension"]
    out: list[Table | Line] = []
    if withdrawn or not suspended:
        out.append(_table(WITHDRAWAL_COLUMNS, withdrawn, empty="No withdrawal or suspension matched."))
    if suspended:
        out.append(_table(SUSPENSION_COLUMNS, suspended, title="Suspensions"))
    # Each reason once per state and treaty (a withdrawal and a suspension share them).
    stated = {(r["country"], r["treaty"], reason): None for r in rows for reason in r["reasons"]}
    if stated:
        out.append(Line("Stated reasons:", "bold"))
        out += [Line(f"{country} ({treaty}): {reason}", label="-") for country, treaty, reason in stated]
    notes = [r for r in rows if r["effective_note"]]
    if notes:
        out.append(Line("Notes:", "bold"))
        for r in notes:
            text = f"{r['country']} ({r['treaty']}, {r['kind']}): {r['effective_note']}"
            if r["effective_expected"]:
                text += f" (effective {countdown(r['as_of'], r['effective_expected'])})"
            text += "."
            out.append(Line(text, label="-"))
    return out


NON_MEMBER_COLUMNS = (
    Column("country", "Country", no_wrap=True),
    Column("iso3", "ISO3", no_wrap=True),
    Column("treaty", "Treaty", no_wrap=True),
    Column("status", "Status", STATUS),
    Column("since", "Since", DATE),
)


def non_members(rows: list[Row]) -> list[Table | Line]:
    tables: list[Table | Line] = []
    for treaty in dict.fromkeys(r["treaty"] for r in rows):
        mine = [r for r in rows if r["treaty"] == treaty]
        counts = {}
        for r in mine:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        summary = ", ".join(f"{n} {label(status)}" for status, n in counts.items())
        tables.append(_table(NON_MEMBER_COLUMNS, mine, title=f"{treaty.upper()}: {summary}"))
    if any(r["still_party"] for r in rows):
        tables.append(
            Line(
                "A state that is joining or withdrawing is listed too; a withdrawing state is "
                "still a party until its withdrawal takes effect."
            )
        )
    return tables or [_table(NON_MEMBER_COLUMNS, [], empty="Every state is a party.")]


def treaties(rows: list[Row]) -> list[Table | Line]:
    out: list[Table | Line] = []
    for row in rows:
        out += [
            Line(f"{row['treaty'].upper()}: {row['short_name']}", "bold"),
            Line(f"  {row['name']}"),
            Line(f"  Aliases: {', '.join(row['aliases'])}"),
            Line(
                f"  Adopted {row['adopted']}, opened for signature {row['opened_for_signature']}, "
                f"in force {row['entered_into_force']}"
            ),
            Line(f"  Depositary: {row['depositary']}"),
        ]
    # One row per status, one column per treaty: fits any number of treaties in 80 columns.
    columns = [Column("status", "Status", STATUS)]
    columns += [Column(r["treaty"], r["treaty"].upper(), MONEY) for r in rows]
    as_of = rows[0]["as_of"] if rows else ""
    out.append(_table(columns, status_counts(rows), title=f"States by status on {as_of}"))
    out.append(
        Line(
            "party counts states for which the treaty is in force on the day, withdrawing "
            'ones included ("of which"); all rows but "of which" add up to all states; '
            "unknown means not yet researched."
        )
    )
    return out


def status_counts(rows: list[Row]) -> list[Row]:
    """The count table of `treaties`: one row {status, <treaty id>: count, ...} per Status,
    in the enum's order, so that a new status gets its row. The statuses that still count as
    party (law.IS_PARTY: withdrawing) are shown as "of which" rows under party, since the
    party row includes them; a last row, "all states", is the sum of the other rows.
    Raises KeyError if a row lacks a status's count (rows.count_key)."""
    parts = [s for s in Status if s in law.IS_PARTY and s is not Status.PARTY]
    table = []
    for status in Status:
        if status in parts:
            continue
        table.append({"status": str(status)} | {r["treaty"]: r[count_key(status)] for r in rows})
        if status is Status.PARTY:
            table += [{"status": f"  of which {s}"} | {r["treaty"]: r[count_key(s)] for r in rows}
                      for s in parts]
    total = {r["treaty"]: sum(row[r["treaty"]] for row in table if not row["status"].startswith(" "))
             for r in rows}
    return table + [{"status": "all states"} | total]


EVENT_COLUMNS = (
    Column("date", "Date", DATE),
    Column("type", "Event", no_wrap=True),
    Column("note", "Note"),
    Column("refs", "Src", no_wrap=True),
)
REASON_COLUMNS = (
    Column("date", "Stated", DATE),
    Column("summary", "Reason"),
    Column("refs", "Src", no_wrap=True),
)


def _with_refs(rows: list[Row], numbers: dict[str, int]) -> list[Row]:
    """Rows plus a `refs` cell citing sources by their number in the list below the tables,
    with any reason a fact is unverified appended to its note."""
    shown = []
    for r in rows:
        extra = {"refs": ",".join(str(numbers[s]) for s in r["sources"])}
        if r.get("unverified"):
            extra["note"] = " ".join(filter(None, (r["note"], f"(Unverified: {r['unverified']})")))
        shown.append(r | extra)
    return shown


def sources(records: list[Row], numbers: dict[str, int]) -> list[Table | Line]:
    lines: list[Table | Line] = [Line("Sources", "bold")]
    for source in records:
        when = f" ({source['published']})" if source["published"] else ""
        label = f"{numbers[source['id']]:>2}"
        lines.append(Line(f"{source['publisher']}: {source['title']}{when}", label=label))
        lines.append(Line(f"   {source['url']}", "dim", no_wrap=True))
    return lines


def status(doc: Row) -> list[Table | Line]:
    country = doc["country"]
    out: list[Table | Line] = [Line(f"{country['name']} ({country['iso3']})", "bold")]
    for t in doc["treaties"]:
        headline = f"\n{t['treaty'].upper()} ({t['short_name']}): {label(t['status'])}"
        if t["since"]:
            headline += f" since {t['since']}"
        if t["next_status"] and t["next_date"]:
            when = countdown(doc["as_of"], t["next_date"])
            headline += f"; {label(t['next_status'])} from {t['next_date']} ({when})"
        elif t["next_status"]:
            headline += f"; {label(t['next_status'])} from a date not yet known"
        out.append(Line(headline, "bold"))
        for w in (t["withdrawal"], t["suspension"]):
            if w:
                out.append(Line(f"{label(w['kind']).capitalize()} stage: {label(w['stage'])}."))
                if w["effective_note"]:
                    out.append(Line(w["effective_note"][0].upper() + w["effective_note"][1:] + "."))
        numbers = {s["id"]: i for i, s in enumerate(t["sources"], start=1)}
        events = _with_refs(t["events"], numbers)
        out.append(_table(EVENT_COLUMNS, events, empty="No events recorded."))
        if t["reasons"]:
            out.append(_table(REASON_COLUMNS, _with_refs(t["reasons"], numbers), title="Stated reasons"))
        if t["sources"]:
            out.extend(sources(t["sources"], numbers))
    return out


CONTRIBUTION_COLUMNS = (
    Column("donor_name", "Donor", no_wrap=True),
    Column("year", "Year", no_wrap=True),
    Column("amount_usd", "US$", MONEY),
    Column("change_usd", "Change US$", SIGNED_MONEY),
    Column("change_pct", "Change", SIGNED_PERCENT),
    Column("share_pct", "Share", PERCENT),
)
TOTAL_COLUMNS = (
    Column("year", "Year", no_wrap=True),
    Column("amount_usd", "All donors US$", MONEY),
    Column("donors", "Donors", MONEY),
    Column("note", "Note"),
)
FUNDING_EVENT_COLUMNS = (
    Column("date", "Date", DATE),
    Column("donor_name", "Donor", no_wrap=True),
    Column("type", "Type", no_wrap=True),
    Column("summary", "What happened"),
)


def funding(doc: Row) -> list[Table | Line]:
    out: list[Table | Line] = [
        _table(CONTRIBUTION_COLUMNS, doc["contributions"], title="International mine-action support"),
    ]
    if doc["donor"] is None:
        out.append(_table(TOTAL_COLUMNS, doc["totals"], title="Yearly totals"))
    out.append(_table(FUNDING_EVENT_COLUMNS, doc["events"], title="Funding events"))
    return out


CHANGE_COLUMNS = (
    Column("date", "Date", DATE),
    Column("country", "Country"),
    Column("treaty", "Treaty", no_wrap=True),
    Column("change", "Change", no_wrap=True),
    Column("status", "Status", no_wrap=True),
)


def _arrow(row: Row) -> str:
    before, after = row["status_before"], row["status_after"]
    return after if before == after else f"{before} -> {after}"


def _starred(row: Row, key: str) -> str:
    """The cell, with a star when the treaty rule, not a recorded event, gives the day."""
    return row[key] + ("*" if row["derived"] else "")


def _with_derived_note(table: Table, rows: list[Row]) -> list[Table | Line]:
    note = Line("* no event recorded that day: the date follows from the treaty rule.")
    return [table, note] if any(r["derived"] for r in rows) else [table]


def changes(rows: list[Row]) -> list[Table | Line]:
    shown = [r | {"status": _arrow(r), "change": _starred(r, "change")} for r in rows]
    return _with_derived_note(_table(CHANGE_COLUMNS, shown, empty="No change in that period."), rows)


TIMELINE_COLUMNS = (
    Column("date", "Date", DATE),
    Column("country", "Country"),
    Column("treaty", "Treaty", no_wrap=True),
    Column("type", "Event", no_wrap=True),
    Column("status", "Status", STATUS),
)
COUNTRY_TIMELINE_COLUMNS = (
    Column("date", "Date", DATE),
    Column("treaty", "Treaty", no_wrap=True),
    Column("type", "Event", no_wrap=True),
    Column("note", "Note"),
)


def timeline(rows: list[Row], one_country: bool) -> list[Table | Line]:
    columns = COUNTRY_TIMELINE_COLUMNS if one_country else TIMELINE_COLUMNS
    shown = [r | {"type": _starred(r, "type")} for r in rows]
    return _with_derived_note(_table(columns, shown, empty="No event in that period."), rows)


def validation(problems: list, base: Any) -> list[Table | Line]:
    # One problem per line, never wrapped, so that editors and grep can use the locations.
    out: list[Table | Line] = [Line(str(p), no_wrap=True) for p in problems]
    if problems:
        files = len({p.path for p in problems})
        noun = "problem" if len(problems) == 1 else "problems"
        out.append(Line(f"{len(problems)} {noun} in {files} file{'s' if files != 1 else ''}.", "bold"))
    else:
        events = sum(len(e) for e in base.events.values())
        out.append(
            Line(
                f"No problems: {len(base.countries)} states, {events} events, "
                f"{len(base.sources)} sources; facts as of {base.meta.facts_as_of}."
            )
        )
    return out


def _plain(value: Any) -> Any:
    return iso(value) if isinstance(value, dt.date) else value


def added_record(change: Any, dry_run: bool) -> Row:
    """What `add` did, for --json: {path, table, id (the new source's id, which other
    records cite; None for records without one), record, written}."""
    return {
        "path": change.shown,
        "table": change.table,
        "id": change.record.get("id"),
        "record": {k: _plain(v) for k, v in change.record.items()},
        "written": not dry_run,
    }


def added(change: Any, dry_run: bool) -> list[Table | Line]:
    if dry_run:
        return [Line(f"# would be added to {change.shown}", "dim"), Line(change.snippet.rstrip("\n"))]
    if change.record.get("id"):
        # The id is what other records cite: say it, whether given or made up.
        return [Line(f"Added source {change.record['id']} to {change.shown}.", no_wrap=True)]
    return [Line(f"Added to {change.shown} ({change.table}).")]


SEARCH_COLUMNS = (
    Column("kind", "Kind", no_wrap=True),
    Column("country", "Country"),
    Column("treaty", "Treaty", no_wrap=True),
    Column("date", "Date", DATE),
    Column("text", "Text"),
)


def search(rows: list[Row]) -> list[Table | Line]:
    # An event's text starts with its type, as words ("withdrawal announced: ...").
    shown = [r | {"text": f"{label(r['type'])}: {r['text']}"} if r["type"] else r for r in rows]
    return [_table(SEARCH_COLUMNS, shown, empty="Nothing matched.")]


def exported(rows: list[Row]) -> list[Table | Line]:
    out: list[Table | Line] = []
    for row in rows:
        total = sum(row["tables"].values())
        out.append(Line(f"Wrote {row['format']} to {row['path']}: {len(row['tables'])} tables, {total} rows."))
    return out


_BAR = 40


def chart(doc: Row) -> list[Table | Line]:
    """Yearly totals as bars of one width scale, the highlighted donor's part drawn solid.

    Without --donor the United States is highlighted: the largest donor, whose 2025 aid
    freeze is the story."""
    focus = doc["donor"] or "USA"
    totals = {t["year"]: t["amount_usd"] for t in doc["totals"]}
    parts = {c["year"]: c for c in doc["contributions"] if c["donor"] == focus}
    name = next((c["donor_name"] for c in doc["contributions"] if c["donor"] == focus), focus)
    years = sorted(set(totals) | set(parts))
    if not years:
        return [Line("No funding recorded.")]
    top = max(totals.values(), default=0) or max(c["amount_usd"] for c in parts.values())
    out: list[Table | Line] = [Line("International mine-action support per year, US$ million", "bold")]
    for year in years:
        total, part = totals.get(year), parts.get(year)
        own = 0 if part is None else round(_BAR * part["amount_usd"] / top)
        rest = 0 if total is None else max(0, round(_BAR * total / top) - own)
        if part is None:
            share = f" {focus}: not recorded"
        elif part["share_pct"] is None:
            share = ""
        else:
            share = f" {part['share_pct']:.0f}%"
        amount = "  total not recorded" if total is None else f" {total / 1e6:7.1f}"
        pad = " " * (_BAR - own - rest)
        out.append(
            Line(
                "",
                segments=(
                    (f"{year} ", ""),
                    ("█" * own, "bold yellow"),
                    ("░" * rest, "dim"),
                    (pad, ""),
                    (amount, ""),
                    (share, "yellow"),
                ),
            )
        )
    out.append(Line(f"█ {name} (its share of the year's total)   ░ other donors", "dim"))
    return out


# -- verify: the fact base against the UN depositary's status pages ---------------------------

VERIFY_COLUMNS = (
    Column("state", "State", no_wrap=True, max_width=24),
    Column("treaty", "Treaty", no_wrap=True),
    Column("field", "Field", no_wrap=True),
    Column("fact_base", "Fact base", no_wrap=True),
    Column("un", "UN", no_wrap=True),
    Column("note", "Note"),
)


def verify(doc: dict[str, Any]) -> list[Table | Line]:
    out: list[Table | Line] = []
    for page in doc["pages"]:
        source = "" if page["status_as_at_from"] == "page" else " (given with --as-at)"
        out.append(Line(
            f"{page['path']}: {page['mtdsg']} ({page['treaty']}), status as at "
            f"{page['status_as_at']}{source}; {page['participants']} participants."
        ))
    out.append(_table(VERIFY_COLUMNS, doc["disagreements"],
                     empty="The fact base agrees with the UN record."))
    return out
