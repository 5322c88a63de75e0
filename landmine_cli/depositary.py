"""The depositary's record: UN Treaty Collection status pages read into records, and compared
with the fact base.

Two forms of the same page are read: the HTML status page as a user saves it from
treaties.un.org (``ViewDetails.aspx?src=TREATY&mtdsg_no=XXVI-5...``) and the MTDSG XML file
(``.../Chapter XXVI/XXVI-5.en.xml``). Both are read with the standard library's
``html.parser``: its tokenizer is lenient where ``xml.etree`` is not, and the UN's XML is not
always well-formed (XXVI-6 has a bare "&" in an end note, XXVI-5 a stray U+001C control
character; expat rejects both). Regular expressions are used on text only, never on markup.

The treaty is recognised from the page (its chapter and number, or its title), never from the
file name. A participant the fact base cannot name is reported, never dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .countries import normalize, resolve
from .errors import UsageError
from .models import CONSENT_TYPES, Event, EventType, FactBase
from .record import Record

# The UN Treaty Collection's numbers for the two conventions (Multilateral Treaties Deposited
# with the Secretary-General, chapter XXVI, Disarmament).
MTDSG = {"XXVI-5": "apmbc", "XXVI-6": "ccm"}

# The kind of consent each marker after a date in the consent column stands for. A date with no
# marker is a ratification. "n" (provisional application, CCM art. 18) has its own column.
MARKERS = {
    "": EventType.RATIFIED,
    "a": EventType.ACCEDED,
    "A": EventType.ACCEPTED,
    "AA": EventType.APPROVED,
    "d": EventType.SUCCEEDED,
}

# The comparison's fields, in the order rows are shown.
FIELDS = (
    "participant",
    "signature",
    "consent_date",
    "consent_kind",
    "withdrawal_deposited",
    "withdrawal_effective",
)

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})")
_STATUS_AS_AT = re.compile(r"status\s+as\s+at\s*:?\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", re.I)
# A full status page is about 0.5 MB (HTML) or 50 KB (XML); anything far larger is not one.
MAX_PAGE_BYTES = 32 * 2**20
_MTDSG_NO = re.compile(r"\bXXVI-(\d+)\b")
# Characters XML 1.0 forbids and the UN's files sometimes contain (see the module docstring).
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))
# HTML elements that never have content (html.parser reports no end tag for them).
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Participant(Record):
    """One row of the participant table, as the page states it."""

    name: str  # footnote markers removed
    signature: dt.date | None
    consent: dt.date | None
    consent_kind: EventType | None
    provisional: dt.date | None = None
    notes: tuple[int, ...] = ()
    # The cells' text where a date could not be read (kept so that nothing is lost silently).
    signature_text: str = ""
    consent_text: str = ""


class Notice(Record):
    """An end note: a withdrawal (with the day the notification was received and, if the page
    gives it, the day it takes effect) or another notification, such as a suspension."""

    index: int
    participants: tuple[str, ...]
    kind: str  # "withdrawal" or "notification"
    text: str
    date: dt.date | None
    effective: dt.date | None = None


class Page(Record):
    path: str
    treaty: str
    mtdsg: str
    title: str
    status_as_at: dt.date | None
    participants: tuple[Participant, ...]
    notices: tuple[Notice, ...]
    parties: int | None = None


# -- a small element tree built by html.parser -------------------------------------------------


class _Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []

    def iter(self, tag: str | None = None):
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, _Node):
                yield from child.iter(tag)

    def find(self, tag: str) -> _Node | None:
        return next((n for n in self.iter(tag) if n is not self), None)

    def kids(self, tag: str) -> list[_Node]:
        return [c for c in self.children if isinstance(c, _Node) and c.tag == tag]

    def text(self, skip: frozenset[str] = frozenset()) -> str:
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in skip:
                parts.append(child.text(skip))
        return "".join(parts)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching open element; an end tag with none open is ignored.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _tree(text: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def _clean(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


class _Cell(Record):
    text: str
    notes: tuple[int, ...]


def _cell(node: _Node) -> _Cell:
    """A table cell's text without its footnote markers, and the end notes they point to.

    In the XML the cell's content is itself escaped markup ("Montenegro<superscript>1
    </superscript>"), so it is parsed once more; in the HTML the markers are <sup> elements.
    """
    inner = node.text()
    if "<" in inner:
        node = _tree(inner)
    marks = frozenset({"sup", "superscript"})
    notes = []
    for mark in marks:
        for sup in node.iter(mark):
            notes += [int(n) for n in re.findall(r"\d+", sup.text())]
    return _Cell(_clean(node.text(skip=marks)), tuple(sorted(set(notes))))


# -- dates and markers on the page ------------------------------------------------------------


def _date(match: re.Match[str]) -> dt.date | None:
    day, month, year = match.groups()
    number = _MONTHS.get(month[:3].casefold())
    try:
        return dt.date(int(year), number, int(day)) if number else None
    except ValueError:
        return None


def parse_cell_date(text: str) -> tuple[dt.date | None, str]:
    """ "3 Dec 1997 a" -> (1997-12-03, "a"); an empty cell -> (None, "")."""
    text = _clean(text)
    match = _DATE.match(text)
    if not match:
        return None, text
    return _date(match), text[match.end():].strip()


def dates_in(text: str) -> list[dt.date]:
    return [d for d in map(_date, _DATE.finditer(text)) if d is not None]


def _status_as_at(text: str) -> dt.date | None:
    match = _STATUS_AS_AT.search(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# -- reading a page ----------------------------------------------------------------------------


class PageError(UsageError):
    """The file is not a UN Treaty Collection status page for either convention."""


def read(path: Path) -> Page:
    """Read a saved UN status page (HTML or MTDSG XML) for the APMBC or the CCM.

    Raises PageError (exit 2) for a path that cannot be read, is not a regular file (a pipe
    would block, a folder cannot be read), is larger than a status page can be, or is not a
    UN status page of either convention."""
    import stat

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise PageError(f"{path}: not a regular file")
        if info.st_size > MAX_PAGE_BYTES:
            raise PageError(f"{path}: larger than {MAX_PAGE_BYTES // 2**20} MiB, so not a UN status page")
        raw = path.read_bytes()
    except (OSError, ValueError) as err:  # ValueError: a NUL byte in the path
        reason = getattr(err, "strerror", None) or err
        raise PageError(f"{path!s:.200}: cannot read it: {reason}") from None
    return parse(raw, str(path))


def _decode(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # The MTDSG XML declares ISO-8859-1 but is written by Windows tools; cp1252 is the
        # superset that also reads its curly quotes.
        text = raw.decode("cp1252", errors="replace")
    return text.translate(_CONTROL)


def parse(raw: bytes, path: str = "<page>") -> Page:
    if b"\x00" in raw[:4096]:
        raise PageError(f"{path}: not a UN Treaty Collection status page (a binary file)")
    root = _tree(_decode(raw))
    document = root.find("document")
    if document is not None and document.find("participants") is not None:
        return _from_xml(document, path)
    grid = _grid(root)
    if grid is not None:
        return _from_html(root, grid, path)
    raise PageError(
        f"{path}: not a UN Treaty Collection status page: no participant table found "
        "(save the page from treaties.un.org, or the MTDSG XML file)"
    )


def _treaty(path: str, mtdsg: set[str], title: str) -> tuple[str, str]:
    """Which convention the page is about, from its MTDSG number and its title."""
    by_title = set()
    key = normalize(title)
    if "anti personnel mines" in key:
        by_title.add("XXVI-5")
    if "cluster munitions" in key:
        by_title.add("XXVI-6")
    found = (mtdsg & set(MTDSG)) | by_title
    if len(found) == 1:
        number = found.pop()
        return MTDSG[number], number
    if not found:
        shown = ", ".join(sorted(mtdsg)) or "none"
        raise PageError(
            f"{path}: a UN status page, but not for the Mine Ban Convention (XXVI-5) or the "
            f"Convention on Cluster Munitions (XXVI-6) (treaty numbers seen: {shown})"
        )
    raise PageError(f"{path}: the page names more than one convention: {', '.join(sorted(found))}")


def _columns(header: list[str]) -> dict[str, int]:
    """Which column holds what, from the header labels (their order differs between pages)."""
    found: dict[str, int] = {}
    for i, label in enumerate(header):
        key = label.casefold()
        if key.startswith("participant"):
            found.setdefault("participant", i)
        elif key.startswith("signature"):
            found.setdefault("signature", i)
        elif key.startswith("provisional"):
            found.setdefault("provisional", i)
        elif any(w in key for w in ("ratification", "accession", "acceptance", "approval")):
            found.setdefault("consent", i)
    return found


def _participants(path: str, header: list[str], rows: list[list[_Cell]]) -> tuple[Participant, ...]:
    columns = _columns(header)
    if "participant" not in columns or "consent" not in columns:
        raise PageError(f"{path}: the participant table has no participant or consent column")

    def cell(row: list[_Cell], name: str) -> _Cell:
        i = columns.get(name)
        return row[i] if i is not None and i < len(row) else _Cell("", ())

    out = []
    for row in rows:
        name = cell(row, "participant")
        if not name.text:
            continue
        signed, _ = parse_cell_date(cell(row, "signature").text)
        consent, marker = parse_cell_date(cell(row, "consent").text)
        provisional, _ = parse_cell_date(cell(row, "provisional").text)
        out.append(Participant(
            name=name.text,
            signature=signed,
            consent=consent,
            consent_kind=MARKERS.get(marker) if consent else None,
            provisional=provisional,
            notes=name.notes,
            signature_text=cell(row, "signature").text,
            consent_text=cell(row, "consent").text,
        ))
    return tuple(out)


def _notice(index: int, text: str, participants: tuple[Participant, ...]) -> Notice | None:
    text = _clean(text)
    if not text:
        return None
    named = tuple(p.name for p in participants if index in p.notes)
    found = dates_in(text)
    key = text.casefold()
    if "withdraw" in key or "denounc" in key:
        # "On 6 September 2024, the Government of Lithuania notified the Secretary-General of its
        # decision to withdraw ... The withdrawal will take effect on 6 March 2025."
        effect = key.find("effect")
        after = dates_in(text[effect:]) if effect >= 0 else []
        return Notice(index, named, "withdrawal", text, found[0] if found else None,
                      after[0] if after else None)
    return Notice(index, named, "notification", text, found[0] if found else None)


def _notices(notes: dict[int, str], participants: tuple[Participant, ...]) -> tuple[Notice, ...]:
    out = (_notice(i, t, participants) for i, t in sorted(notes.items()))
    return tuple(n for n in out if n is not None)


def _int(text: str) -> int | None:
    text = _clean(text)
    return int(text) if text.isdigit() else None


def _from_xml(document: _Node, path: str) -> Page:
    chapter = document.find("chapter")
    chapter_head = _clean(chapter.find("header").text()) if chapter and chapter.find("header") else ""
    numsect = document.find("numsect")
    number = _clean(numsect.text()) if numsect else ""
    roman = chapter_head.split()[-1] if chapter_head.split() else ""
    mtdsg = {f"{roman}-{number}"} if roman and number else set()
    title_node = document.find("titlesect")
    title = _clean(title_node.text()) if title_node else ""
    treaty, number = _treaty(path, mtdsg, title)

    table = document.find("participants")
    head = table.find("thead")
    header = [_cell(e).text for e in head.iter("entry")] if head else []
    body = table.find("tbody") or table
    rows = [[_cell(e) for e in row.kids("entry")] for row in body.iter("row")]
    participants = _participants(path, header, rows)

    notes: dict[int, str] = {}
    endnotes = document.find("endnotes")
    for note in endnotes.iter("note") if endnotes else ():
        index = note.find("index")
        value = _int(index.text()) if index else None
        if value is not None:
            notes[value] = " ".join(_cell(t).text for t in note.kids("text"))
    parties = document.find("parties")
    return Page(
        path=path,
        treaty=treaty,
        mtdsg=number,
        title=title,
        status_as_at=_status_as_at(document.text()),
        participants=participants,
        notices=_notices(notes, participants),
        parties=_int(parties.text()) if parties else None,
    )


def _grid(root: _Node) -> _Node | None:
    """The participant table: the UN's grid (its id ends in "tblgrid"), or any table whose first
    cell reads "Participant"."""
    tables = list(root.iter("table"))
    for table in tables:
        if table.attrs.get("id", "").endswith("tblgrid"):
            return table
    for table in tables:
        first = table.find("td") or table.find("th")
        if first is not None and _clean(first.text()).casefold().startswith("participant"):
            return table
    return None


def _rows(table: _Node) -> list[list[_Cell]]:
    rows = []
    for tr in table.iter("tr"):
        rows.append([_cell(c) for c in tr.children if isinstance(c, _Node) and c.tag in ("td", "th")])
    return rows


def _html_notes(root: _Node, grid: _Node) -> dict[int, str]:
    """End notes outside the grid: a block that opens with a footnote marker (<sup>N</sup>
    text), or a table row whose first cell is the note's number and whose next cell its text."""
    inside = {id(n) for n in grid.iter()}
    notes: dict[int, str] = {}
    for node in root.iter():
        if id(node) in inside:
            continue
        parts = [c for c in node.children if not (isinstance(c, str) and not c.strip())]
        if node.tag in ("p", "div", "li", "td", "span") and parts:
            first = parts[0]
            if isinstance(first, _Node) and first.tag == "sup":
                index = _int(first.text())
                body = _clean(_text_after(node, first))
                if index is not None and body:
                    notes.setdefault(index, body)
        if node.tag == "tr":
            cells = [c for c in node.children if isinstance(c, _Node) and c.tag in ("td", "th")]
            if len(cells) >= 2:
                index = _int(cells[0].text())
                body = _clean(" ".join(c.text() for c in cells[1:]))
                if index is not None and body:
                    notes.setdefault(index, body)
    return notes


def _text_after(node: _Node, marker: _Node) -> str:
    seen = False
    parts = []
    for child in node.children:
        if child is marker:
            seen = True
        elif seen:
            parts.append(child if isinstance(child, str) else child.text())
    return "".join(parts)


def _from_html(root: _Node, grid: _Node, path: str) -> Page:
    rows = _rows(grid)
    header = [c.text for c in rows[0]] if rows else []
    participants = _participants(path, header, rows[1:])
    mtdsg: set[str] = set()
    for node in root.iter():
        for value in node.attrs.values():
            mtdsg.update(f"XXVI-{n}" for n in _MTDSG_NO.findall(value))
    visible = root.text(skip=frozenset({"script", "style"}))
    title = ""
    for node in root.iter():
        if node.attrs.get("id", "").endswith("tcTreaty"):
            title = _clean(node.text())
            break
    if not title:
        head = root.find("title")
        title = _clean(head.text()) if head else ""
    treaty, number = _treaty(path, mtdsg, title or _clean(visible)[:2000])
    return Page(
        path=path,
        treaty=treaty,
        mtdsg=number,
        title=title,
        status_as_at=_status_as_at(visible),
        participants=participants,
        notices=_notices(_referenced(_html_notes(root, grid), participants), participants),
    )


def _referenced(notes: dict[int, str], participants: tuple[Participant, ...]) -> dict[int, str]:
    # Outside the grid, a numbered block is an end note only if a participant points to it;
    # the HTML page's other tables hold numbers too (the counts of signatories and parties).
    marked = {i for p in participants for i in p.notes}
    return {i: text for i, text in notes.items() if i in marked}


# -- mapping names and comparing ---------------------------------------------------------------


def map_name(name: str, base: FactBase) -> str | None:
    """The ISO alpha-3 code of the state a UN participant name refers to ("Bolivia
    (Plurinational State of)" -> "BOL"), or None when it names no state of the fact base."""
    try:
        return resolve(name, base)
    except UsageError:
        return None


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _row(page: Page, state: str, iso3: str | None, field: str, fact_base: Any, un: Any,
         note: str | None = None) -> dict[str, Any]:
    return {
        "treaty": page.treaty,
        "state": state,
        "iso3": iso3,
        "field": field,
        "fact_base": fact_base,
        "un": un,
        "note": note,
    }


def compare(page: Page, base: FactBase, as_at: dt.date) -> list[dict[str, Any]]:
    """Every field where the fact base and the UN page disagree, for every state; events after
    `as_at` (the page's "status as at" date) are not on the page, so they do not count."""
    rows: list[dict[str, Any]] = []
    listed: set[str] = set()
    withdrawals: dict[str, Notice] = {}
    for notice in page.notices:
        if notice.kind == "withdrawal":
            for name in notice.participants:
                withdrawals.setdefault(name, notice)

    for p in page.participants:
        iso3 = map_name(p.name, base)
        if iso3 is None:
            rows.append(_row(page, p.name, None, "participant", None, "listed",
                             "unmapped participant"))
            continue
        listed.add(iso3)
        state = base.countries[iso3].name
        events = base.treaty_events(iso3, page.treaty)
        first: dict[EventType, Event] = {}
        for e in events:
            first.setdefault(e.type, e)
        consent = next((e for e in events if e.type in CONSENT_TYPES), None)

        def check(field: str, ours: Event | None, theirs: dt.date | None,
                  note: str | None = None) -> None:
            if ours is not None and theirs is None and ours.date > as_at:
                return  # after the page's "status as at" date, so not on the page
            if _iso(ours.date if ours else None) != _iso(theirs):
                rows.append(_row(page, state, iso3, field, _iso(ours.date if ours else None),
                                 _iso(theirs), note))

        check("signature", first.get(EventType.SIGNED), p.signature,
              None if p.signature or not p.signature_text else f"unread cell: {p.signature_text}")
        check("consent_date", consent, p.consent,
              None if p.consent or not p.consent_text else f"unread cell: {p.consent_text}")
        if consent and p.consent and consent.type != p.consent_kind:
            kind = p.consent_kind.value if p.consent_kind else None
            marker = p.consent_text.split()[-1] if p.consent_text.split() else ""
            rows.append(_row(page, state, iso3, "consent_kind", consent.type.value, kind,
                             None if kind else f"unknown marker {marker!r} on the page"))

        notice = withdrawals.get(p.name)
        effective = first.get(EventType.WITHDRAWAL_EFFECTIVE)
        check("withdrawal_deposited", first.get(EventType.WITHDRAWAL_DEPOSITED),
              notice.date if notice else None)
        # A withdrawal note that gives no effective date leaves nothing to compare it with.
        if notice is None or notice.effective is not None:
            check("withdrawal_effective", effective, notice.effective if notice else None)

    for iso3, events in sorted(base.events.items()):
        if iso3 in listed:
            continue
        joined = [e for e in events if e.treaty == page.treaty and e.date <= as_at
                  and (e.type == EventType.SIGNED or e.type in CONSENT_TYPES)]
        if joined:
            e = joined[0]
            rows.append(_row(page, base.countries[iso3].name, iso3, "participant",
                             f"{e.type.value} {e.date.isoformat()}", None,
                             "not on the UN page"))
    order = {f: i for i, f in enumerate(FIELDS)}
    rows.sort(key=lambda r: (r["treaty"], r["state"], order[r["field"]]))
    return rows


def page_record(page: Page, as_at: dt.date, as_at_from: str) -> dict[str, Any]:
    """What the page says, in the shape --json prints."""
    return {
        "path": page.path,
        "treaty": page.treaty,
        "mtdsg": page.mtdsg,
        "title": page.title,
        "status_as_at": as_at.isoformat(),
        "status_as_at_from": as_at_from,
        "participants": len(page.participants),
        "parties": page.parties,
        "notices": [
            {
                "index": n.index,
                "participants": list(n.participants),
                "kind": n.kind,
                "date": _iso(n.date),
                "effective": _iso(n.effective),
                "text": n.text,
            }
            for n in page.notices
        ],
    }
