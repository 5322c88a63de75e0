"""The only writer to stdout and stderr.

Commands hand `emit` their data (what --json prints) and the tables that show the same
rows to people. JSON has one serializer; tables are Rich tables built per call, so that
NO_COLOR, COLUMNS and terminal detection are read when the output is made. Rich is
imported only when a table is printed.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from typing import Any, NamedTuple

from .errors import Problem

# How a column's values are shown in a table (JSON always carries the raw values).
TEXT, DATE, LIST, STATUS = "text", "date", "list", "status"
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


class Table(NamedTuple):
    columns: Sequence[Column]
    rows: Sequence[dict[str, Any]]
    title: str | None = None
    empty: str = "Nothing matched."


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def emit(
    data: Any,
    tables: Sequence[Table | Line],
    *,
    json_: bool,
    footer: str | None = None,
) -> None:
    """Print `data` as JSON, or the tables and lines that show it to people."""
    if json_:
        sys.stdout.write(to_json(data))
        return
    console = _console(sys.stdout)
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
    if kind == LIST:
        return "; ".join(str(v) for v in value)
    return str(value)


_TRAILING = re.compile(r"[ \t]+(?=(?:\x1b\[[0-9;]*m)*$)", re.M)


def _line(console: Any, item: Line) -> None:
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
