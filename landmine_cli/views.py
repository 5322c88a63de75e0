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
# withdrawal stage, a record kind, a field name, a Weapon) in every answer; a table shows
# them as words.
TOKEN_KEYS = frozenset({"status", "type", "stage", "kind", "change", "field", "weapon"})
# Tokens whose words are not just the token's parts.
_WORDS = {"mines_erw": "mines/ERW"}


def label(token: str) -> str:
    """An enum token as people read it: "not_joined" -> "not joined", "entered_into_force"
    -> "entered into force". Every token is lower-case words joined by underscores, so text
    built around tokens ("party -> not_joined", "entered_into_force*") reads right too.
    Returns a str; raises nothing. JSON, CSV and the other data formats keep the tokens."""
    return _WORDS.get(token) or token.replace("_", " ")


def _table(columns, rows: list[Row], **options: Any) -> Table:
    """The Table of `rows`, with every cell of a TOKEN_KEYS column shown as words (label).
    Every table in this module is built here, so no view can forget it."""
    keys = [c.key for c in columns if c.key in TOKEN_KEYS]
    if keys:
        rows = [r | {k: label(r[k]) for k in keys if isinstance(r.get(k), str)} for r in rows]
    return Table(columns, rows, **options)


def countdown(as_of: str, day: str) -> str:
    """How far a date lies ahead of the answer's day, for people: "tomorrow" or "in N days".

    Raises ValueError if either ISO date is malformed."""
    days = (dt.date.fromisoformat(day) - dt.date.fromisoformat(as_of)).days
    return "tomorrow" if days == 1 else f"in {days} days"


def footer(facts_as_of: str, as_of: str | None = None) -> str:
    """The line under every table: "Answer as of D. Facts as of F." (the first part only
    with `as_of`). Raises nothing."""
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
    # A withdrawal deposited but not yet in effect shows, starred, the day the treaty rule
    # gives (one character, so that the table keeps its width).
    due = [r for r in withdrawn if not r["effective"] and r["effective_expected"]]
    withdrawn = [r | {"effective": f"{r['effective_expected']}*"} if r in due else r for r in withdrawn]
    if withdrawn or not suspended:
        out.append(_table(WITHDRAWAL_COLUMNS, withdrawn, empty="No withdrawal or suspension matched."))
    if due:
        out.append(Line("* not in effect yet: the day the treaty's withdrawal article gives, counted "
                        "from the deposit."))
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
    """One table per treaty with its counts by status in the title, and a note when a
    listed state is still a party. Returns [Table..., Line?]. Raises KeyError on a malformed row."""
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
    """Each treaty's names and dates as lines, then one table of counts by status (a column
    per treaty). Returns [Line..., Table, Line]. Raises KeyError on a malformed row."""
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
            'ones included ("of which"); the rows above "states that existed" add up to it; '
            '"not a state yet" counts states of the fact base that did not exist on the day; '
            "unknown means not yet researched."
        )
    )
    return out


def status_counts(rows: list[Row]) -> list[Row]:
    """The count table of `treaties`: one row {status, <treaty id>: count, ...} per Status,
    in the enum's order, so that a new status gets its row. The statuses that still count as
    party (law.IS_PARTY: withdrawing) are shown as "of which" rows under party, since the
    party row includes them; then "states that existed", the sum of the rows above it, and
    a last row for the states that did not exist yet (not_a_state), outside that sum.
    Raises KeyError if a row lacks a status's count (rows.count_key)."""
    parts = [s for s in Status if s in law.IS_PARTY and s is not Status.PARTY]
    table = []
    for status in Status:
        if status in parts or status is Status.NOT_A_STATE:
            continue
        table.append({"status": str(status)} | {r["treaty"]: r[count_key(status)] for r in rows})
        if status is Status.PARTY:
            table += [{"status": f"  of which {s}"} | {r["treaty"]: r[count_key(s)] for r in rows}
                      for s in parts]
    total = {r["treaty"]: sum(row[r["treaty"]] for row in table if not row["status"].startswith(" "))
             for r in rows}
    later = {"status": "not a state yet"} | {r["treaty"]: r[count_key(Status.NOT_A_STATE)] for r in rows}
    return table + [{"status": "states that existed"} | total, later]


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
    """A numbered list of source records (`numbers`: id -> number), the URL under each.

    Returns [Line...]. Raises KeyError for a source without a number."""
    lines: list[Table | Line] = [Line("Sources", "bold")]
    for source in records:
        when = f" ({source['published']})" if source["published"] else ""
        label = f"{numbers[source['id']]:>2}"
        lines.append(Line(f"{source['publisher']}: {source['title']}{when}", label=label))
        lines.append(Line(f"   {source['url']}", "dim", no_wrap=True))
    return lines


def status(doc: Row) -> list[Table | Line]:
    """A status document as a headline per treaty, its stage notes, the events and reasons
    tables and the numbered sources. Returns [Line, Table...]. Raises KeyError on a
    malformed document."""
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
        if t.get("status_note"):
            out.append(Line(t["status_note"][0].upper() + t["status_note"][1:] + "."))
        for w in (t["withdrawal"], t["suspension"]):
            if w:
                out.append(Line(f"{label(w['kind']).capitalize()} stage: {label(w['stage'])}."))
                if w["effective_note"]:
                    out.append(Line(w["effective_note"][0].upper() + w["effective_note"][1:] + "."))
        numbers = {s["id"]: i for i, s in enumerate(t["sources"], start=1)}
        events = _with_refs([_with_counterpart(e) for e in t["events"]], numbers)
        out.append(_table(EVENT_COLUMNS, events, empty="No events recorded."))
        if t["reasons"]:
            out.append(_table(REASON_COLUMNS, _with_refs(t["reasons"], numbers), title="Stated reasons"))
        if t.get("obligations"):
            out.append(_table(STATUS_OBLIGATION_COLUMNS, _with_refs(t["obligations"], numbers),
                             title="Obligations"))
            for o in t["obligations"]:
                if o["remark"]:
                    out.append(Line(f"{o['article']}: {o['remark']}.", label="-"))
        if t["sources"]:
            out.extend(sources(t["sources"], numbers))
    out.extend(_status_figures(doc["figures"]))
    return out


def _with_counterpart(event: Row) -> Row:
    """The event, its type naming the other state of a use or transfer ("transfer: UKR")."""
    other = event.get("counterpart")
    return event | {"type": f"{event['type']}: {other}"} if other else event


LATEST_FIGURE_COLUMNS = (
    Column("what", "Figure"),
    Column("year", "Year", no_wrap=True),
    Column("value", "Value"),
    Column("edition", "Edition", no_wrap=True),
    Column("refs", "Src", no_wrap=True),
)


def _status_figures(figs: Row) -> list[Table | Line]:
    """The latest published figures below a state's treaties; unknown ones say so."""
    numbers = {s["id"]: i for i, s in enumerate(figs["sources"], start=1)}
    rows = []
    for key, what in (("casualties", "Mine/ERW casualties"), ("cluster_casualties", "Cluster munition casualties")):
        r = figs[key]
        if r is None:
            rows.append({"what": what, "year": None, "value": None, "edition": None, "sources": []})
            continue
        parts = [f"{r[k]:,} {k}" for k in ("total", "killed", "injured") if r[k] is not None]
        rows.append({"what": what, "year": r["year"], "value": ", ".join(parts),
                     "edition": _starred_edition(r), "sources": r["sources"]})
    if not figs["contamination"]:
        rows.append({"what": "Contamination", "year": None, "value": None, "edition": None, "sources": []})
    for r in figs["contamination"]:
        rows.append({"what": f"Contamination ({label(r['weapon'])})", "year": r["edition_covers"],
                     "value": _extent(r), "edition": _starred_edition(r), "sources": r["sources"]})
    shown = [r | {"refs": ",".join(str(numbers[s]) for s in r["sources"]) or None} for r in rows]
    out: list[Table | Line] = [Line("\nLatest published figures", "bold"), _table(LATEST_FIGURE_COLUMNS, shown)]
    out.append(Line("- unknown: no figure published. * read in a copy quoting the edition. "
                    "All editions: landmine figures COUNTRY."))
    if figs["sources"]:
        out.extend(sources(figs["sources"], numbers))
    return out


CONTRIBUTION_COLUMNS = (
    Column("donor_name", "Donor", no_wrap=True),
    Column("year", "Year", no_wrap=True),
    Column("amount_usd", "US$", MONEY),
    Column("change_usd", "Change US$", SIGNED_MONEY),
    Column("change_pct", "Change", SIGNED_PERCENT),
    Column("share_pct", "Share", PERCENT),
    Column("edition", "Edition", no_wrap=True),
    Column("marks", "Notes", no_wrap=True),
)
LATEST_DONOR_COLUMNS = tuple(c for c in CONTRIBUTION_COLUMNS if c.key != "year")
TOTAL_COLUMNS = (
    Column("year", "Year", no_wrap=True),
    Column("amount_usd", "All donors US$", MONEY),
    Column("change_usd", "Change US$", SIGNED_MONEY),
    Column("donors", "Donors", MONEY),
    Column("edition", "Edition", no_wrap=True),
    Column("marks", "Notes", no_wrap=True),
)
OTHER_TOTAL_COLUMNS = (
    Column("scope", "Scope", no_wrap=True),
    Column("year", "Year", no_wrap=True),
    Column("amount_usd", "US$", MONEY),
    Column("share_pct", "Share", PERCENT),
    Column("edition", "Edition", no_wrap=True),
    Column("marks", "Notes", no_wrap=True),
)
RECIPIENT_COLUMNS = (
    Column("year", "Year", no_wrap=True),
    Column("country", "Recipient"),
    Column("donor_name", "From"),
    Column("amount_usd", "US$", MONEY),
    Column("rank", "Rank", MONEY),
    Column("share_pct", "Share", PERCENT),
    Column("edition", "Edition", no_wrap=True),
    Column("marks", "Notes", no_wrap=True),
)
GAP_COLUMNS = (
    Column("year", "Year", no_wrap=True),
    Column("what", "Missing figure"),
    Column("edition", "Edition", no_wrap=True),
    Column("note", "What is known"),
)
FUNDING_EVENT_COLUMNS = (
    Column("date", "Date", DATE),
    Column("donor_name", "Donor", no_wrap=True),
    Column("type", "Type", no_wrap=True),
    Column("summary", "What happened"),
    Column("marks", "Notes", no_wrap=True),
)


def _caveats(row: Row, who: str) -> list[str]:
    """The caveats a funding figure carries, as sentences for footnotes."""
    out = []
    if row.get("lower_bound"):
        out.append(f"{who}: a lower bound; the source says more than this.")
    if row.get("approximate"):
        out.append(f"{who}: approximate; the source says about or almost this.")
    if row.get("revises_edition"):
        out.append(f"{who}: {row['edition']} revised {row['revises_edition']}'s "
                   f"US${row['revises_amount_usd']:,}.")
    if row.get("revised_by_edition"):
        out.append(f"{who}: {row['revised_by_edition']}, published later, revised this to "
                   f"US${row['revised_amount_usd']:,}.")
    if row.get("share_basis") == "stated":
        out.append(f"{who}: share as the source states it; no total is recorded to compute it.")
    # An event's note, and a recipient figure's (where its caveats live: "nearly", an
    # inferred rank), are shown whole.
    if row.get("note") and ("summary" in row or "iso3" in row):
        out.append(f"{who}: {row['note']}")
    return out


def _footnoted(rows: list[Row], who, notes: list[str]) -> list[Row]:
    """Rows with a `marks` cell numbering their caveats; the caveats join `notes`. A share
    that rounds to 0.0% of a recorded amount reads "<0.1%" (it is not nothing)."""
    out = []
    for row in rows:
        marks = []
        for text in _caveats(row, who(row)):
            if text not in notes:
                notes.append(text)
            marks.append(str(notes.index(text) + 1))
        extra: Row = {"marks": ",".join(marks) or None}
        if row.get("share_pct") == 0 and (row.get("amount_usd") or 0) > 0:
            extra["share_pct"] = "<0.1%"
        out.append(row | extra)
    return out


def _notes(notes: list[str]) -> list[Line]:
    return [Line(text, label=f"{n}.") for n, text in enumerate(notes, start=1)]


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def _gap_what(g: Row) -> str:
    if g["kind"] == "contribution":
        return f"{_possessive(g['donor_name'])} contribution"
    if g["kind"] == "recipient":
        return f"support received by {g['country']}"
    return f"{_words(g['kind'])} total"


def _words(token: str) -> str:
    return token.replace("_", " ")


def _money(amount: int) -> str:
    return f"US${amount:,}"


def _figure(row: Row) -> str:
    """A funding figure in words with its caveat: "more than US$760,000,000"."""
    words = "more than " if row["lower_bound"] else "about " if row["approximate"] else ""
    return words + _money(row["amount_usd"])


def _latest_lines(doc: Row, notes: list[str]) -> list[Table | Line]:
    latest = doc["latest"]
    if latest is None:
        return [Line("No international total recorded.")]
    when = latest["edition_title"]
    if latest["edition_published"]:
        when += f", published {latest['edition_published']}"
    text = f"International mine-action support in {latest['year']}: {_figure(latest)} ({when})"
    if latest["change_usd"] is not None:
        previous = {"amount_usd": latest["previous_amount_usd"], "lower_bound": latest["previous_lower_bound"],
                    "approximate": latest["previous_approximate"]}
        way = "up" if latest["change_usd"] >= 0 else "down"
        text += (f", {way} {_money(abs(latest['change_usd']))} ({latest['change_pct']:+.1f}%) on "
                 f"{latest['previous_year']} ({_figure(previous)})")
        if any(r["lower_bound"] or r["approximate"] for r in (latest, previous)):
            text += ", a change only as exact as these figures"
    elif latest["previous_gap"] is not None:
        text += f"; no change is given: {latest['year'] - 1} is a gap (no total recorded, not zero)"
    out: list[Table | Line] = [Line(text + ".", "bold")]
    donors = _footnoted(latest["donors"], lambda r: f"{r['donor_name']} {r['year']}", notes)
    out.append(_table(LATEST_DONOR_COLUMNS, donors, title=f"Donors recorded for {latest['year']}, largest first",
                     empty="No donor's amount is recorded for that year."))
    if donors:
        part = sum(d["amount_usd"] for d in donors)
        # A sum is only as exact as its parts.
        rough = [d["donor_name"] for d in donors if d["approximate"] or d["lower_bound"]]
        caveat = f", {', '.join(rough)} approximate or a lower bound" if rough else ""
        out.append(Line(f"Amounts are recorded for {len(donors)} donors ({_money(part)}{caveat}); the "
                        f"rest of the year's total is not broken down here."))
    later = _footnoted(latest["later_contributions"], lambda r: f"{r['donor_name']} {r['year']}", notes)
    if later:
        out.append(_table(CONTRIBUTION_COLUMNS, later, title="Recorded for later years"))
    out += _notes(notes)
    for g in latest["later_gaps"]:
        out.append(Line(f"{g['year']}: no international total recorded here ({g['edition_title']}). "
                        f"{g['note']}", label="Gap"))
    return out


# What a dash means in the funding tables (a change with no previous year, a rank no source
# gives, a row without footnotes): never a zero.
_DASH = "- in a cell: not recorded, or nothing to note (never zero)."


def funding(doc: Row, summary: bool = False) -> list[Table | Line]:
    """The funding answer for people. `summary` (no filter given): the latest year with a
    total, its donors and the events since; otherwise every table the filters leave."""
    notes: list[str] = []
    if summary:
        out = _latest_lines(doc, notes)
        since = doc["latest"]["events_since"] if doc["latest"] else None
        events = [e for e in doc["events"] if since is None or e["date"] >= since]
        shown = len(notes)
        events = _footnoted(events, lambda r: f"{r['date']}", notes)
        title = "Funding events" + (f" since {since}" if since else "")
        out.append(_table(FUNDING_EVENT_COLUMNS, events, title=title, empty="none recorded."))
        out += _notes(notes)[shown:]
        out.append(Line(_DASH, "dim"))
        out.append(Line("Every year: landmine funding --since 2009. One donor: --donor NAME. "
                        "As published by a day: --on DATE. Bars: --chart.", "dim"))
        return out
    out: list[Table | Line] = []
    if doc["recipient"] is None:
        rows = _footnoted(doc["contributions"], lambda r: f"{r['donor_name']} {r['year']}", notes)
        out.append(_table(CONTRIBUTION_COLUMNS, rows, title="International mine-action support by donor",
                         empty="none recorded."))
    if doc["donor"] is None and doc["recipient"] is None:
        rows = _footnoted(doc["totals"], lambda r: f"All donors {r['year']}", notes)
        out.append(_table(TOTAL_COLUMNS, rows, title="Yearly totals", empty="none recorded."))
        rows = _footnoted([r | {"scope": _words(r["scope"])} for r in doc["other_totals"]],
                          lambda r: f"{r['scope'].capitalize()} {r['year']}", notes)
        if rows:
            out.append(_table(OTHER_TOTAL_COLUMNS, rows, title="Global, national and victim-assistance totals"))
    if doc["recipient"] is not None or doc["year"] is not None:
        rows = _footnoted([r | {"donor_name": r["donor_name"] or "all donors"} for r in doc["recipients"]],
                          lambda r: f"{r['country']} {r['year']} ({r['donor_name']})", notes)
        out.append(_table(RECIPIENT_COLUMNS, rows, title="Support by recipient state",
                         empty="none recorded."))
    elif doc["recipients"]:
        out.append(Line(f"Support by recipient state: {len(doc['recipients'])} figures for these years "
                        "(--year YEAR or --recipient STATE lists them; --json holds them all)."))
    out += _notes(notes)
    if doc["unreported_years"]:
        [year] = doc["unreported_years"]
        by = f" as published by {doc['on']}" if doc["on"] else ""
        latest = ("" if doc["latest_year_covered"] is None
                  else f"; the latest recorded covers {doc['latest_year_covered']}")
        out.append(Line(f"{year}: no Landmine Monitor edition covering it is recorded{by}{latest}. "
                        "Not a zero: not yet reported here.", label="Not reported"))
    if doc["gaps"]:
        gaps = [g | {"what": _gap_what(g)} for g in doc["gaps"]]
        out.append(_table(GAP_COLUMNS, gaps, title="Gaps: no figure recorded (never read as zero)"))
    if doc["recipient"] is None:
        shown = len(notes)
        events = _footnoted(doc["events"], lambda r: f"{r['date']}", notes)
        out.append(_table(FUNDING_EVENT_COLUMNS, events, title="Funding events", empty="none recorded."))
        out += _notes(notes)[shown:]
    else:
        name = next((r["country"] for r in doc["recipients"] + doc["gaps"] if r.get("country")),
                    doc["recipient"])
        out.append(Line("Funding events and donors' overall contributions are not tied to a "
                        "recipient here: see landmine funding --since YEAR, or landmine search "
                        f"{name}.", "dim"))
    out.append(Line(_DASH, "dim"))
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
    """The changes rows as one table (status shown as before -> after, derived days starred),
    and the star's note if needed. Returns [Table, Line?]. Raises KeyError on a malformed row."""
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
    """The timeline rows as one table (country column only for a whole treaty), and the
    star's note if needed. Returns [Table, Line?]. Raises KeyError on a malformed row."""
    columns = COUNTRY_TIMELINE_COLUMNS if one_country else TIMELINE_COLUMNS
    shown = [r | {"type": _starred(r, "type")} for r in rows]
    return _with_derived_note(_table(columns, shown, empty="No event in that period."), rows)


def validation(problems: list, base: Any) -> list[Table | Line]:
    # One problem per line, never wrapped, so that editors and grep can use the locations.
    """One line per problem and a count, or a one-line summary of a valid fact base.

    Returns [Line...]. Raises AttributeError if `base` is None while there are no problems."""
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
    """What `add` did, for --json: {path, table, id (the new source's or edition's id,
    which other records cite; None for records without one), record, written}."""
    return {
        "path": change.shown,
        "table": change.table,
        "id": change.record.get("id"),
        "record": {k: _plain(v) for k, v in change.record.items()},
        "written": not dry_run,
    }


def added(change: Any, dry_run: bool) -> list[Table | Line]:
    """What `add` prints for people: the TOML snippet of a dry run, else where it was added.

    Returns [Line...]. Raises nothing."""
    if dry_run:
        return [Line(f"# would be added to {change.shown}", "dim"), Line(change.snippet.rstrip("\n"))]
    if change.record.get("id"):
        # The id is what other records cite: say it, whether given or made up.
        noun = "edition" if change.table == "editions" else "source"
        return [Line(f"Added {noun} {change.record['id']} to {change.shown}.", no_wrap=True)]
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
    """One line per written export: format, path, number of tables and rows.

    Returns [Line...]. Raises KeyError on a malformed row."""
    out: list[Table | Line] = []
    for row in rows:
        total = sum(row["tables"].values())
        out.append(Line(f"Wrote {row['format']} to {row['path']}: {len(row['tables'])} tables, {total} rows."))
    return out


_BAR = 40


def chart(doc: Row) -> list[Table | Line]:
    """Yearly international totals as bars of one scale, the highlighted donor's part solid.

    Without --donor the United States is highlighted: the largest donor, whose 2025 aid
    freeze is the story. A known total whose split is not recorded is drawn in its own
    shade, never as "other donors"; a year with no recorded total is drawn as a labelled
    gap (with the donor's part alone when that is known). Returns [Line...]. Raises KeyError on a
    malformed document."""
    focus = doc["donor"] or "USA"
    rows = {t["year"]: t for t in doc["totals"]}
    totals = {year: t["amount_usd"] for year, t in rows.items()}
    gaps = {g["year"]: g for g in doc["gaps"] if g["kind"] == "international"}
    parts = {c["year"]: c for c in doc["contributions"] if c["donor"] == focus}
    name = next((c["donor_name"] for c in doc["contributions"] if c["donor"] == focus), focus)
    years = sorted(set(totals) | set(parts) | set(gaps))
    if not years:
        return [Line("No funding recorded.")]
    top = max(totals.values(), default=0) or max(c["amount_usd"] for c in parts.values())
    out: list[Table | Line] = [Line("International mine-action support per year, US$ million", "bold")]
    unsplit = marked = False
    for year in years:
        total, part = totals.get(year), parts.get(year)
        own = 0 if part is None else round(_BAR * part["amount_usd"] / top)
        whole = 0 if total is None else max(own, round(_BAR * total / top))
        # The rest of a total is "other donors" only when the donor's part is known.
        rest, blind = (0, 0) if total is None else (whole - own, 0) if part is not None else (0, whole)
        unsplit = unsplit or bool(blind)
        if part is None or part["share_pct"] is None:
            share = ""
        else:
            pct = part["share_pct"]
            share = (" <1%" if pct < 0.5 else f" {pct:.0f}%") + (" stated" if part["share_basis"] == "stated" else "")
        if total is not None:
            row = rows[year]
            mark = "≥" if row["lower_bound"] else "~" if row["approximate"] else " "
            marked = marked or mark != " "
            amount = " " + f"{mark.strip()}{total / 1e6:.1f}".rjust(7)
        else:
            amount = "     gap" if year in gaps else "  no total"
        pad = " " * (_BAR - own - rest - blind)
        out.append(
            Line(
                "",
                segments=(
                    (f"{year} ", ""),
                    ("█" * own, "bold yellow"),
                    ("░" * rest, "dim"),
                    ("▒" * blind, "dim"),
                    (pad, ""),
                    (amount, ""),
                    (share, "yellow"),
                ),
            )
        )
    legend = f"█ {name} (its share of the year's total)   ░ other donors"
    if unsplit:
        legend += f"   ▒ total, {_possessive(name)} part not recorded"
    out.append(Line(legend, "dim"))
    if marked:
        out.append(Line("~ the source says about or almost this; ≥ the source says more than this.", "dim"))
    for year in sorted(gaps):
        g = gaps[year]
        out.append(Line(f"{year}: no international total recorded here ({g['edition_title']}).",
                        label="gap"))
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


# -- schema: the commands whose JSON output has a schema ----------------------------------------

SCHEMA_COLUMNS = (
    Column("command", "Command", no_wrap=True),
    Column("description", "JSON output"),
)


def schemas(rows: list[Row]) -> list[Table | Line]:
    return [
        _table(SCHEMA_COLUMNS, rows),
        Line("landmine schema COMMAND prints the JSON Schema (draft 2020-12) of its --json output."),
    ]


# --- obligations ----------------------------------------------------------------------------

STATUS_OBLIGATION_COLUMNS = (
    Column("article", "Art.", no_wrap=True),
    Column("duty", "Duty"),
    Column("original_deadline", "Original", DATE),
    Column("current_deadline", "Current", DATE),
    Column("extensions", "Ext.", MONEY),
    Column("countdown", "Where it stands"),
    Column("refs", "Src", no_wrap=True),
)

OBLIGATION_COLUMNS = (
    Column("country", "Country"),
    Column("obligation", "Obligation", no_wrap=True),
    Column("original_deadline", "Original", DATE),
    Column("current_deadline", "Current", DATE),
    Column("extensions", "Ext.", MONEY),
    Column("completed", "Completed", no_wrap=True),
    Column("countdown", "Where it stands"),
)


def _with_requests(row: Row) -> str:
    """The countdown, with the requests whose outcome was not found (never a deadline)."""
    count = row["requests_pending"]
    if not count:
        return row["countdown"]
    return f"{row['countdown']}; {count} request{'s' if count > 1 else ''}, outcome not found"


def obligations(rows: list[Row]) -> list[Table | Line]:
    """The obligations table, then one line per remark (withdrawal, suspension, assumed
    grant day) and the meaning of a passed deadline that is not called overdue."""
    shown = [r | {"countdown": _with_requests(r), "obligation": f"{r['treaty'].upper()} {r['article']}"}
             for r in rows]
    countries = {r["country"] for r in rows}
    if len(countries) == 1:  # one state: its name once, as the title
        columns = OBLIGATION_COLUMNS[1:]
        table = _table(columns, shown, title=next(iter(countries)))
    else:
        table = _table(OBLIGATION_COLUMNS, shown, empty="No obligation matched.")
    out: list[Table | Line] = [table]
    remarks = [r for r in rows if r["remark"]]
    if remarks:
        out.append(Line("Notes:", "bold"))
        for r in remarks:
            out.append(Line(f"{r['country']} ({r['treaty']} {r['article']}): {r['remark']}.", label="-"))
    if any(r["status"] == "unknown_after_deadline" for r in rows):
        out.append(Line("\"Later decisions not found\": the deadline passed after the last day "
                        "the record is known complete, so it is not called overdue."))
    return out


# --- figures ---------------------------------------------------------------------------------

_FIGURE_TITLES = {
    "casualties": "Casualties of mines and explosive remnants of war",
    "cluster-casualties": "Cluster munition casualties",
    "contamination": "Contamination",
}
CASUALTY_COLUMNS = (
    Column("year", "Year", no_wrap=True),
    Column("killed", "Killed", MONEY),
    Column("injured", "Injured", MONEY),
    Column("total", "Total", MONEY),
    Column("civilian_pct", "Civilians", PERCENT),
    Column("edition", "Edition", no_wrap=True),
    Column("edition_published", "Published", DATE),
    Column("others", "Others"),
    Column("refs", "Src", no_wrap=True),
)
TOP_STATE_COLUMNS = (
    Column("rank", "Rank", MONEY),
    Column("country", "Country"),
    Column("total", "Total", MONEY),
    Column("killed", "Killed", MONEY),
    Column("injured", "Injured", MONEY),
    Column("edition", "Edition", no_wrap=True),
    Column("refs", "Src", no_wrap=True),
)
CONTAMINATION_COLUMNS = (
    Column("place", "Scope"),
    Column("weapon", "Weapon", no_wrap=True),
    Column("extent", "Extent"),
    Column("edition", "Edition", no_wrap=True),
    Column("edition_published", "Published", DATE),
    Column("others", "Others"),
    Column("refs", "Src", no_wrap=True),
)


def _starred_edition(row: Row) -> str | None:
    """The edition, starred when the figure was read in a copy quoting it."""
    return None if row["edition"] is None else row["edition"] + ("*" if row["secondary"] else "")


def _extent(row: Row) -> str | None:
    """Contamination in words: an area, a band or a count of states and areas (None: unknown)."""
    if row["area_km2"] is not None:
        return f"{row['area_km2']:,} km2 {row['area_kind']}"
    if row["extent_band"] is not None:
        return row["extent_band"].replace("_", " ")
    if row["states_and_areas"] is not None:
        floor = "at least " if row["at_least"] else ""
        return f"{floor}{row['states_and_areas']} states and other areas"
    return None


def _others(row: Row, value) -> str | None:
    return "; ".join(f"{o['edition']}: {value(o)}" for o in row["other_editions"]) or None


def figures(doc: Row) -> list[Table | Line]:
    """The figures document (figures.casualties or figures.contamination) as tables."""
    numbers = {s["id"]: i for i, s in enumerate(doc["sources"], start=1)}
    where = doc["country"] or "world"
    out: list[Table | Line] = [Line(f"{_FIGURE_TITLES[doc['metric']]}: {where}", "bold")]
    if doc["dated_editions_only"]:
        out.append(Line(f"As published by {doc['as_of']}; an edition with no known day of "
                        "publication counts from the end of the year in its title."))

    def refs(rows: list[Row]) -> list[Row]:
        return [r | {"refs": ",".join(str(numbers[s]) for s in r["sources"]) or None} for r in rows]

    rows = refs(doc["figures"])
    if doc["metric"] == "contamination":
        shown = [r | {"place": r["country"] or "world", "extent": _extent(r), "edition": _starred_edition(r),
                      "others": _others(r, lambda o: _extent(o) or "-")} for r in rows]
        out.append(_table(CONTAMINATION_COLUMNS, shown, empty="No contamination figure published."))
    else:
        total = lambda o: "-" if o["total"] is None else f"{o['total']:,}"  # noqa: E731
        shown = [r | {"edition": _starred_edition(r), "others": _others(r, total)} for r in rows]
        out.append(_table(CASUALTY_COLUMNS, shown, empty="No casualty figure published."))
    top = doc["top_states"]
    if top and top["year"] is not None:
        listed = [r | {"edition": _starred_edition(r)} for r in refs(top["rows"])]
        out.append(_table(TOP_STATE_COLUMNS, listed, title=f"States with the most casualties in {top['year']}",
                         empty="No state figure published for that year."))
        if top["rows"]:
            out.append(Line(f"Only states with a published figure for {top['year']} are listed; "
                            "for every other state the number is unknown, not zero."))
    out.append(Line("- unknown: no figure published. * read in a copy quoting the edition "
                    "(a release or news item), not in the edition itself. Others: the "
                    "figure as other editions printed it."))
    if doc["sources"]:
        out.extend(sources(doc["sources"], numbers))
    return out
