"""The only writer to stdout and stderr, in every output format.

Commands hand `emit` their data (what `--format json` prints), the flat rows that
`jsonl`, `csv` and `markdown` print (for list answers, the data itself), and a function
that builds the tables and lines showing the same answer to people. Every format is
implemented once, here: JSON has one serializer; CSV and Markdown have the JSON keys as
their headers; tables are Rich tables built per call, so that NO_COLOR, COLUMNS and
terminal detection are read when the output is made. Rich is imported only for tables.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any, NamedTuple

from .errors import Problem

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
    "unknown": "dim",
}
_NONE = "-"


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    MARKDOWN = "markdown"


class Column(NamedTuple):
    key: str
    header: str
    kind: str = TEXT
    # Columns that must never wrap (names, dates, codes) get no_wrap.
    no_wrap: bool = False
    max_width: int | None = None


class Line(NamedTuple):
    """A line of text between tables; data is never read as Rich markup."""

    text: str
    style: str = ""
    # For text that must stay whole to be usable, such as a URL.
    no_wrap: bool = False
    # A label in its own column (e.g. "[1]"), so that wrapped text keeps its indent.
    label: str | None = None
    # Pieces with their own styles (a bar chart); `text` is then ignored.
    segments: tuple[tuple[str, str], ...] = ()


class Table(NamedTuple):
    columns: Sequence[Column]
    rows: Sequence[dict[str, Any]]
    title: str | None = None
    empty: str = "Nothing matched."


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


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
    if fmt is Format.JSON:
        sys.stdout.write(to_json(data))
        return
    if fmt is not Format.TABLE:
        flat = rows if rows is not None else (data if isinstance(data, list) else [data])
        sys.stdout.write(_FLAT[fmt](flat))
        return
    console = _console(sys.stdout)
    tables = view()
    with console.capture() as captured:
        for item in tables:
            if isinstance(item, Line):
                _line(console, item)
            elif item.rows:
                if item.title:
                    console.print(item.title, style="bold", markup=False)
                console.print(_table(item))
            else:
                empty = item.empty if item.title is None else f"{item.title}: {item.empty}"
                console.print(empty, markup=False)
        if footer:
            console.print(footer, style="dim", markup=False)
    # Rich pads table cells to the column width; trailing blanks only get in the way.
    sys.stdout.write(_TRAILING.sub("", captured.get()))


def to_jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


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


def error(message: str, suggestions: Sequence[str] = ()) -> None:
    sys.stderr.write(f"Error: {message}\n")
    if suggestions:
        sys.stderr.write(f"Did you mean: {', '.join(suggestions)}?\n")


def problems(found: Sequence[Problem]) -> None:
    for problem in found:
        sys.stderr.write(f"{problem}\n")


def cell(value: Any, kind: str) -> str:
    """Plain text for one table cell."""
    if value is None or value == []:
        return _NONE
    if kind == MONEY:
        return f"{value:,}"
    if kind == SIGNED_MONEY:
        return f"{value:+,}"
    if kind == PERCENT:
        return f"{value:.1f}%"
    if kind == SIGNED_PERCENT:
        return f"{value:+.1f}%"
    return str(value)


_TRAILING = re.compile(r"[ \t]+(?=(?:\x1b\[[0-9;]*m)*$)", re.M)


def _line(console: Any, item: Line) -> None:
    if item.segments:
        from rich.text import Text

        console.print(Text.assemble(*item.segments), no_wrap=True, crop=False, overflow="ignore")
        return
    if item.label is not None:
        from rich.table import Table as RichTable
        from rich.text import Text

        grid = RichTable.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        grid.add_row(item.label, Text(item.text, style=item.style))
        console.print(grid)
        return
    console.print(
        item.text,
        style=item.style or None,
        markup=False,
        no_wrap=item.no_wrap,
        crop=not item.no_wrap,
        overflow="ignore" if item.no_wrap else None,
    )


def _console(file: Any) -> Any:
    from rich.console import Console

    # NO_COLOR (https://no-color.org): Rich alone would still print bold and dim; no
    # colour system means no escape codes at all. Off a terminal Rich prints none anyway.
    plain = bool(os.environ.get("NO_COLOR"))
    extra = {"color_system": None} if plain else {}
    return Console(file=file, highlight=False, emoji=False, soft_wrap=False, **extra)


def _table(spec: Table) -> Any:
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    table = RichTable(
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        collapse_padding=True,
        pad_edge=False,
        show_edge=False,
    )
    for col in spec.columns:
        fixed = col.no_wrap or col.kind in _RIGHT or col.kind in (DATE, STATUS)
        table.add_column(
            col.header,
            justify="right" if col.kind in _RIGHT else "left",
            no_wrap=fixed,
            min_width=10 if col.kind == DATE else None,
            max_width=col.max_width,
            overflow="fold",
        )
    for row in spec.rows:
        cells = []
        for col in spec.columns:
            text = cell(row.get(col.key), col.kind)
            style = _STATUS_STYLE.get(text, "") if col.kind == STATUS else ""
            cells.append(Text(text, style=style))
        table.add_row(*cells)
    return table
