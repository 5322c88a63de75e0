"""The only writer to stdout and stderr, in every output format.

Commands hand `emit` their data (what `--format json` prints), the flat rows that
`jsonl`, `csv` and `markdown` print (for list answers, the data itself), and a function
that builds the tables and lines showing the same answer to people. Every format is
implemented once, here: JSON has one serializer; CSV and Markdown have the JSON keys as
their headers; tables and lines are laid out here, per call, so that NO_COLOR, COLUMNS and
terminal detection are read when the output is made.

What people see is made safe and made to fit, whatever the terminal, pipe or locale:

- Width: a table gets the terminal's width (or COLUMNS). Key columns (names, codes, dates,
  amounts, stages) are never cut; text columns wrap; a table that still cannot fit is
  folded into one "Header: value" block per record. Written to a pipe or a file with
  COLUMNS unset, nothing is wrapped, so each record stays on one greppable line.
  Messages wrap only between words, so a path or URL is never broken.
- Safety: text from the fact files is shown literally: control characters (escape
  sequences, OSC-8 links, C1 codes, bidi overrides) are shown as visible escapes such as
  `\x1b`, and nothing is ever read as Rich markup. A cell longer than `CELL_CAP`
  characters is cut with an ellipsis first, so layout time stays linear.
- Encodings: on a stream that cannot carry every character (PYTHONIOENCODING=ascii, a C
  locale), JSON escapes them (`ensure_ascii`) and text falls back to a transliteration
  ("Cote d'Ivoire"), then to "?".
- Broken pipes: a reader that stops early (`| head -1`) ends the run quietly with
  `errors.EXIT_PIPE` (0), however much was left to write.

Rich is imported only to colour a table on a terminal.
"""
from __future__ import annotations

import codecs
import io
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from .errors import EXIT_PIPE, Problem
from .record import Record

# How a column's values are shown in a table (JSON always carries the raw values).
TEXT, DATE, STATUS = "text", "date", "status"
MONEY, SIGNED_MONEY, PERCENT, SIGNED_PERCENT = "money", "signed_money", "percent", "signed_percent"
_RIGHT = {MONEY, SIGNED_MONEY, PERCENT, SIGNED_PERCENT}
_STATUS_STYLE = {
    "party": "green",
    "joining": "cyan",
    "signatory": "cyan",
    "withdrawing": "yellow",
    "withdrawn": "red",
    "not_joined": "magenta",
    "not_a_state": "dim",
    "unknown": "dim",
}
# Tables show statuses as words (views.label: "not joined"); both forms get the colour.
_STATUS_STYLE |= {status.replace("_", " "): style for status, style in _STATUS_STYLE.items()}
_NONE = "-"


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    MARKDOWN = "markdown"


class Column(Record):
    key: str
    header: str
    kind: str = TEXT
    # Columns that must never wrap (names, dates, codes) get no_wrap.
    no_wrap: bool = False
    max_width: int | None = None


class Line(Record):
    """A line of text between tables; data is never read as Rich markup."""

    text: str
    style: str = ""
    # For text that must stay whole to be usable, such as a URL.
    no_wrap: bool = False
    # A label in its own column (e.g. "[1]"), so that wrapped text keeps its indent.
    label: str | None = None
    # Pieces with their own styles (a bar chart); `text` is then ignored.
    segments: tuple[tuple[str, str], ...] = ()


class Table(Record):
    columns: Sequence[Column]
    rows: Sequence[dict[str, Any]]
    title: str | None = None
    empty: str = "Nothing matched."


def to_json(data: Any, ensure_ascii: bool = False) -> str:
    return json.dumps(data, indent=2, ensure_ascii=ensure_ascii) + "\n"


def emit(
    data: Any,
    view: Callable[[], Sequence[Table | Line]],
    *,
    fmt: Format,
    rows: list[dict[str, Any]] | None = None,
    footer: str | None = None,
) -> None:
    """Print an answer in `fmt`: `data` as JSON, `rows` (default: `data` when it is a list)
    as JSON Lines, CSV or Markdown, or the tables and lines `view()` builds for people."""
    stream = sys.stdout
    if fmt is Format.JSON:
        text = to_json(data)
        if not _can_encode(text, stream):
            text = to_json(data, ensure_ascii=True)
        _write(stream, text)
        return
    if fmt is not Format.TABLE:
        flat = rows if rows is not None else (data if isinstance(data, list) else [data])
        text = _FLAT[fmt](flat)
        if fmt is Format.JSONL and not _can_encode(text, stream):
            text = to_jsonl(flat, ensure_ascii=True)
        _write(stream, _encodable(text, stream))
        return
    items = list(view())
    if footer:
        items.append(Line(footer, "dim"))
    _write(stream, _encodable(render(items, _width(stream), _painter(stream)), stream))


def to_jsonl(rows: list[dict[str, Any]], ensure_ascii: bool = False) -> str:
    return "".join(json.dumps(row, ensure_ascii=ensure_ascii) + "\n" for row in rows)


def flat_value(value: Any) -> str:
    """One CSV or Markdown cell: scalars as text, lists of scalars joined with "; ", and
    anything nested (a list of sources, say) as compact JSON, so nothing is lost."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return "; ".join("" if v is None else str(v) for v in value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _keys(rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(k for row in rows for k in row))


def to_csv(rows: list[dict[str, Any]]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    keys = _keys(rows)
    if keys:
        writer.writerow(keys)
    for row in rows:
        writer.writerow([flat_value(row.get(k)) for k in keys])
    return buffer.getvalue()


def to_markdown(rows: list[dict[str, Any]]) -> str:
    keys = _keys(rows)
    if not keys:
        return "Nothing matched.\n"

    def md(value: Any) -> str:
        return flat_value(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(keys) + " |", "| " + " | ".join("---" for _ in keys) + " |"]
    lines += ["| " + " | ".join(md(row.get(k)) for k in keys) + " |" for row in rows]
    return "\n".join(lines) + "\n"


_FLAT = {Format.JSONL: to_jsonl, Format.CSV: to_csv, Format.MARKDOWN: to_markdown}


def raw(text: str) -> None:
    """Text that is not an answer, such as a completion script, as it is."""
    _write(sys.stdout, _encodable(text, sys.stdout))


def error(message: str, suggestions: Sequence[str] = ()) -> None:
    text = f"Error: {safe(message)}\n"
    if suggestions:
        text += f"Did you mean: {', '.join(safe(s) for s in suggestions)}?\n"
    _write(sys.stderr, _encodable(text, sys.stderr))


def note(message: str) -> None:
    """A message for people, such as how a date was read, on stderr (stdout is data only)."""
    _write(sys.stderr, _encodable(f"{safe(message)}\n", sys.stderr))


def problems(found: Sequence[Problem]) -> None:
    text = "".join(f"{safe(str(problem))}\n" for problem in found)
    _write(sys.stderr, _encodable(text, sys.stderr))


def cell(value: Any, kind: str) -> str:
    """Plain text for one table cell."""
    if value is None or value == []:
        return _NONE
    if isinstance(value, str):  # already words ("<0.1%"), whatever the column's kind
        return value
    if kind == MONEY:
        return f"{value:,}"
    if kind == SIGNED_MONEY:
        return f"{value:+,}"
    if kind == PERCENT:
        return f"{value:.1f}%"
    if kind == SIGNED_PERCENT:
        return f"{value:+.1f}%"
    return str(value)


# --- Safety: data is printed literally -------------------------------------------------

# Longest text a cell or line shows; the rest is cut with an ellipsis before any layout,
# so that a megabyte-long note costs no more than this.
CELL_CAP = 2000
ELLIPSIS = "…"
# C0 controls but newline, DEL, C1 controls, and the bidirectional overrides and isolates
# (which reorder what follows them on the terminal line).
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str, one_line: bool = False) -> str:
    """`text` made safe for a terminal: capped, with control characters shown as escapes
    (`\\x1b`), and for table cells on one line."""
    if len(text) > CELL_CAP:
        text = text[: CELL_CAP - 1] + ELLIPSIS
    if one_line and ("\n" in text or "\r" in text or "\t" in text):
        text = " ".join(text.split())
    elif "\t" in text:
        text = text.replace("\t", " ")
    return _UNSAFE.sub(_visible, text)


# --- Encodings ---------------------------------------------------------------------------

# Readable stand-ins for the characters tables and charts use, on streams without them.
_FALLBACK = {
    "─": "-", "█": "#", "░": ".", ELLIPSIS: "...", "‘": "'", "’": "'", "“": '"', "”": '"',
    "–": "-", "—": "-", "\u00a0": " ", "→": "->", "×": "x",
}


def _transliterate(err: UnicodeError) -> tuple[str, int]:
    import unicodedata

    assert isinstance(err, UnicodeEncodeError)
    out = []
    for char in err.object[err.start : err.end]:
        plain = _FALLBACK.get(char)
        if plain is None:
            # "ô" -> "o", "ß" stays unknown: decomposed, without its combining marks.
            plain = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        try:
            plain.encode(err.encoding)
        except UnicodeEncodeError:
            plain = "?"
        out.append(plain or "?")
    return "".join(out), err.end


codecs.register_error("landmine-transliterate", _transliterate)


def _encoding(stream: Any) -> str:
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name
    except LookupError:
        return "utf-8"


def _can_encode(text: str, stream: Any) -> bool:
    encoding = _encoding(stream)
    if encoding.startswith("utf") or text.isascii():
        return True
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _encodable(text: str, stream: Any) -> str:
    """`text`, with what `stream` cannot carry transliterated or replaced by "?"."""
    if _can_encode(text, stream):
        return text
    encoding = _encoding(stream)
    return text.encode(encoding, "landmine-transliterate").decode(encoding)


# --- Writing -------------------------------------------------------------------------------


def silence(stream: Any) -> None:
    """Point `stream`'s file descriptor at /dev/null, so that the flush at exit cannot fail
    again (what the Python docs recommend for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def _write(stream: Any, text: str) -> None:
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        # The reader went away (`| head -1`): stop quietly, with one exit code.
        silence(stream)
        raise SystemExit(EXIT_PIPE) from None


# --- Layout --------------------------------------------------------------------------------

# A function that styles a piece of text (adds escape codes), or None for plain text.
Painter = Callable[[str, str], str] | None


def _width(stream: Any) -> int | None:
    """The width to lay out for: COLUMNS, else the terminal's; None (no limit) for a pipe or
    a file, so that every record stays on one line there."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if stream.isatty():
            return max(os.get_terminal_size(stream.fileno()).columns, 1) or 80
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass
    return None


def text_width() -> int:
    """The width, in characters, a text chart on stdout is drawn for: COLUMNS, else the
    terminal's; 80 for a pipe or a file (a chart needs a width, unlike a table)."""
    return _width(sys.stdout) or 80


def _painter(stream: Any) -> Painter:
    """Colours only on a terminal (or with FORCE_COLOR), never with NO_COLOR
    (https://no-color.org): no colour system means no escape codes at all."""
    if os.environ.get("NO_COLOR"):
        return None
    try:
        terminal = stream.isatty()
    except (ValueError, AttributeError):
        terminal = False
    if not terminal and not os.environ.get("FORCE_COLOR"):
        return None
    from rich.color import ColorSystem
    from rich.console import Console
    from rich.style import Style

    system = Console(file=stream).color_system
    if system is None:
        return None
    colors = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT,
              "truecolor": ColorSystem.TRUECOLOR, "windows": ColorSystem.WINDOWS}[system]
    styles: dict[str, Any] = {}

    def paint(text: str, style: str) -> str:
        if not style or not text:
            return text
        if style not in styles:
            styles[style] = Style.parse(style)
        return styles[style].render(text, color_system=colors)

    return paint


def _paint(paint: Painter, text: str, style: str) -> str:
    return text if paint is None or not style else paint(text, style)


def width_of(text: str) -> int:
    """Terminal cells `text` takes: East Asian wide characters take two, marks none."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


_WORD = re.compile(r"\s*\S+")


def wrap(text: str, width: int | None, fold: bool = False) -> list[str]:
    """Greedy word wrap in linear time. Leading blanks of the text are kept; a word longer
    than `width` is cut into pieces only when `fold`, else it overflows whole (so that
    names, dates, paths and URLs are never broken)."""
    if width is None or width_of(text) <= width:
        return [text]
    lines: list[str] = []
    line, used = "", 0
    for match in _WORD.finditer(text):
        piece = match.group()
        size = width_of(piece)
        if line and used + size > width:
            lines.append(line)
            piece = piece.lstrip()
            size = width_of(piece)
            line, used = "", 0
        if fold and size > width and not line:
            while width_of(piece) > width:
                head = _cut(piece, width)
                lines.append(head)
                piece = piece[len(head):]
            size = width_of(piece)
        line += piece
        used += size
    if line or not lines:
        lines.append(line)
    return lines


def _cut(text: str, width: int) -> str:
    """The longest head of `text` that fits `width` cells (at least one character)."""
    if text.isascii():
        return text[: max(width, 1)]
    used = 0
    for i, char in enumerate(text):
        used += width_of(char)
        if used > width:
            return text[: max(i, 1)]
    return text


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(width - width_of(text), 0)
    return gap + text if right else text + gap


def render(items: Sequence[Table | Line], width: int | None, paint: Painter = None) -> str:
    """Lay out tables and lines for `width` cells (None: no limit) as one string."""
    out: list[str] = []
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, Line) and item.segments:
            # A run of segment lines (a chart) is scaled as one, so that its bars stay comparable.
            j = i
            while j < len(items) and isinstance(items[j], Line) and items[j].segments:
                j += 1
            out += _segment_lines(items[i:j], width, paint)
            i = j
            continue
        if isinstance(item, Line):
            out += _text_lines(item, width, paint)
        elif item.rows:
            if item.title:
                out += _text_lines(Line(item.title, "bold"), width, paint)
            out += _table_lines(item, width, paint)
        else:
            empty = item.empty if item.title is None else f"{item.title}: {item.empty}"
            out += _text_lines(Line(empty), width, paint)
        i += 1
    # Padding is for the columns' sake; trailing blanks only get in the way.
    return "".join(line.rstrip(" ") + "\n" for line in out)


def _text_lines(item: Line, width: int | None, paint: Painter) -> list[str]:
    limit = None if item.no_wrap else width
    out = []
    if item.label is not None:
        label = safe(item.label, one_line=True)
        indent = width_of(label) + 1
        text = safe(item.text, one_line=True)
        if limit is not None and limit - indent < 10:
            # Too narrow for a hanging indent: the label starts the text.
            return [_paint(paint, line, item.style) for line in wrap(f"{label} {text}", limit)]
        inner = None if limit is None else limit - indent
        for n, line in enumerate(wrap(text, inner)):
            head = label if n == 0 else ""
            out.append(_pad(head, indent, False) + _paint(paint, line, item.style))
        return out
    for part in safe(item.text).split("\n"):
        out += [_paint(paint, line, item.style) for line in wrap(part, limit)]
    return out


def _elastic(text: str) -> bool:
    """A chart bar or its padding: one character repeated, which can be drawn shorter."""
    return bool(text) and text[0] in "█░▒▓ " and text == text[0] * len(text)


def _segment_lines(items: Sequence[Line], width: int | None, paint: Painter) -> list[str]:
    rows = [[(safe(text, one_line=True), style) for text, style in item.segments] for item in items]
    scale = 1.0
    if width is not None:
        for row in rows:
            stretch = sum(len(t) for t, _ in row if _elastic(t))
            fixed = sum(width_of(t) for t, _ in row if not _elastic(t))
            if stretch and fixed + stretch > width:
                scale = min(scale, max(width - fixed, 0) / stretch)
    out = []
    for row in rows:
        if width is not None and width_of("".join(t for t, _ in row if not _elastic(t))) > width:
            # Narrower than the labels and figures alone: no bars, the words wrapped.
            plain = " ".join(" ".join(t for t, _ in row if not _elastic(t)).split())
            out += wrap(plain, width)
            continue
        line, before, after = [], 0, 0
        for text, style in row:
            if _elastic(text) and scale < 1:
                # Scale where each bar ends, not each bar, so that rows stay aligned.
                after += len(text)
                text = text[0] * (round(after * scale) - round(before * scale))
                before = after
            line.append(_paint(paint, text, style))
        out.append("".join(line))
    return out


def _table_lines(spec: Table, width: int | None, paint: Painter) -> list[str]:
    columns = list(spec.columns)
    headers = [safe(c.header, one_line=True) for c in columns]
    grid = [[safe(cell(row.get(c.key), c.kind), one_line=True) for c in columns] for row in spec.rows]
    sizes = [[width_of(text) for text in col] for col in zip(*grid)]
    natural = []
    for n, col in enumerate(columns):
        size = max([width_of(headers[n]), *sizes[n]])
        natural.append(max(size, 10) if col.kind == DATE else size)
    gaps = 2 * (len(columns) - 1)
    if width is None or sum(natural) + gaps <= width:
        widths = natural
    else:
        minimum = [_min_width(col, headers[n], grid, n, natural[n]) for n, col in enumerate(columns)]
        if sum(minimum) + gaps > width:
            return _stacked(spec, headers, grid, width, paint)
        widths = _share(natural, minimum, width - gaps)
    for n, col in enumerate(columns):
        if col.max_width and _kind(col) == "text":
            widths[n] = min(widths[n], max(col.max_width, 1))
    right = [c.kind in _RIGHT for c in columns]
    fold = [_kind(c) == "text" for c in columns]
    out = _block(
        [wrap(h, widths[n]) for n, h in enumerate(headers)], widths, right, ["bold"] * len(columns), paint
    )
    out.append(_paint(paint, "─" * (sum(widths) + gaps), ""))
    for values in grid:
        styles = [
            _STATUS_STYLE.get(v, "") if c.kind == STATUS else "" for c, v in zip(columns, values)
        ]
        out += _block([wrap(v, widths[n], fold[n]) for n, v in enumerate(values)], widths, right, styles, paint)
    return out


def _kind(col: Column) -> str:
    """"key": never wrapped (codes, dates, amounts, stages); "name": wrapped between words
    only (a country's name); "text": wrapped, long words cut (notes, reasons)."""
    if col.no_wrap or col.kind != TEXT:
        return "key"
    return "name" if col.key in _NAME_KEYS else "text"


_NAME_KEYS = {"country", "donor_name", "name"}
# The narrowest a text column may get before the table is folded into records instead:
# twelve characters still read as a few words a line (a verify table fits 80 columns).
_TEXT_MIN = 12


def _min_width(col: Column, header: str, grid: list[list[str]], n: int, natural: int) -> int:
    header_word = max((width_of(w) for w in header.split()), default=0)
    kind = _kind(col)
    if kind == "key":
        values = max((width_of(row[n]) for row in grid), default=0)
        return max(values, header_word, 10 if col.kind == DATE else 0)
    if kind == "name":
        words = max((width_of(w) for row in grid for w in row[n].split()), default=0)
        return max(words, header_word)
    return max(min(natural, _TEXT_MIN), header_word)


def _share(natural: list[int], minimum: list[int], room: int) -> list[int]:
    """Column widths between `minimum` and `natural` that add up to `room`: the room above
    the minimums goes to each column in proportion to what it lacks."""
    widths = list(minimum)
    spare = room - sum(minimum)
    lacking = [max(nat - low, 0) for nat, low in zip(natural, minimum)]
    total = sum(lacking)
    if total == 0:
        return widths
    for n, lack in enumerate(lacking):
        widths[n] += min(lack, spare * lack // total)
    left = room - sum(widths)
    for n in sorted(range(len(widths)), key=lambda n: lacking[n], reverse=True):
        if left <= 0:
            break
        add = min(natural[n] - widths[n], left)
        if add > 0:
            widths[n] += add
            left -= add
    return widths


def _block(cells: list[list[str]], widths: list[int], right: list[bool], styles: list[str],
           paint: Painter) -> list[str]:
    """One table row (or the header), as many lines as its tallest cell."""
    height = max(len(lines) for lines in cells)
    out = []
    for i in range(height):
        parts = []
        for n, lines in enumerate(cells):
            text = lines[i] if i < len(lines) else ""
            parts.append(_styled_pad(text, widths[n], right[n], styles[n], paint))
        out.append("  ".join(parts))
    return out


def _styled_pad(text: str, width: int, right: bool, style: str, paint: Painter) -> str:
    gap = " " * max(width - width_of(text), 0)
    styled = _paint(paint, text, style)
    return gap + styled if right else styled + gap


def _stacked(spec: Table, headers: list[str], grid: list[list[str]], width: int,
             paint: Painter) -> list[str]:
    """The table as one block of "Header: value" lines per record, for widths too narrow
    for its key columns side by side. Values wrap after the labels; key values never break."""
    labels = [f"{h}:" for h in headers]
    indent = max(width_of(label) for label in labels) + 1
    if width - indent < 12:
        # Too narrow to align values after the labels: each value follows its own label.
        indent = 0
    out: list[str] = []
    for r, values in enumerate(grid):
        if r:
            out.append("")
        for n, col in enumerate(spec.columns):
            style = _STATUS_STYLE.get(values[n], "") if col.kind == STATUS else ""
            label = _paint(paint, labels[n], "bold")
            if indent:
                lines = wrap(values[n], width - indent, _kind(col) == "text")
                out.append(label + " " * (indent - width_of(labels[n])) + _paint(paint, lines[0], style))
                out += [" " * indent + _paint(paint, line, style) for line in lines[1:]]
            else:
                value = values[n]
                if width_of(labels[n]) + 1 + width_of(value) <= width:
                    out.append(label + " " + _paint(paint, value, style))
                    continue
                out += [_paint(paint, line, "bold") for line in wrap(labels[n], width)]
                lines = wrap(value, max(width - 2, 1), _kind(col) == "text")
                out += ["  " + _paint(paint, line, style) for line in lines]
    return out
