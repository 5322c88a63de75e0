"""Where records sit in their TOML files: the raw result of reading a folder (`Parsed`), the
origin of each record (`Origin`), and the line finder that turns an origin into a line number.

A leaf module shared by the loader (store.py), which fills a `Parsed`, and the cross-checks
(checks.py), which report problems against it; neither imports the other for it.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import Problem
from .record import Record


class Origin(Record):
    """Where a record came from: its file and its place in the TOML structure."""

    path: str
    table: str
    index: int | None = None


class Parsed:
    """The raw result of reading a facts folder, before cross-checks."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.texts: dict[str, str] = {}
        self.records: dict[str, Any] = {}
        self.problems: list[Problem] = []

    def line_of(self, origin: Origin, key: str | None = None) -> int | None:
        text = self.texts.get(origin.path)
        return None if text is None else locate(text, origin.table, origin.index, key)




_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?")
_KEY = re.compile(r'^\s*("?)([A-Za-z0-9_-]+)\1\s*=')


def locate(text: str, table: str, index: int | None, key: str | None) -> int | None:
    """The 1-based line of a record (or of one of its keys) in a TOML file.

    tomli keeps no positions, so this scans the text the way tomli-w lays it out:
    `[table]`, the index-th `[[table]]` (then the record's own lines for `key = `), or
    for short records an inline array `table = [` with one `{ ... }` entry per line; for
    table "" a top-level key.
    """
    lines = text.splitlines()
    found = _locate_in_headers(lines, table, index, key)
    if found is None and index is not None:
        found = _locate_inline(lines, table, index)
    return found


def _locate_in_headers(lines: list[str], table: str, index: int | None, key: str | None) -> int | None:
    seen: dict[str, int] = {}
    start: int | None = 1 if table == "" else None
    for number, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header:
            if start is not None:
                break
            current = header.group(2)
            count = seen[current] = seen.get(current, -1) + 1
            if current == table and (index is None or count == index):
                start = number
                if key is None:
                    return number
            continue
        if start is not None and key is not None:
            match = _KEY.match(line)
            if match and match.group(2) == key:
                return number
    return start if table else None


def _locate_inline(lines: list[str], table: str, index: int) -> int | None:
    opened = False
    count = -1
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not opened:
            match = _KEY.match(line)
            opened = bool(match and match.group(2) == table and stripped.endswith("["))
            continue
        if stripped.startswith("{"):
            count += 1
            if count == index:
                return number
        elif stripped.startswith("]"):
            return None
    return None
