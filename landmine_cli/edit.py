"""Adding records to a facts folder without ever losing or corrupting data.

A change is made to the text of one file in memory; the whole resulting fact base is
validated before anything touches disk; the file is then replaced atomically (a temporary
file in the same folder, flushed and synced, then renamed over the old one), so that a
crash at any moment leaves either the old file or the new one.

A file in canonical form (exactly what tomli-w writes, as every shipped file is) is
rewritten whole, which is lossless, with the new record in its place. Any other file,
such as one edited by hand with comments, keeps every byte: the record is appended as a
new array-of-tables entry at its end.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from . import store
from .files import write_atomic
from .errors import FactsError, UsageError

# Arrays kept in date order when a record is inserted.
_DATED = {"events": "date", "reasons": "date"}  # (also funding.toml's events)


class Change(NamedTuple):
    """One record added to one file."""

    root: Path
    rel: str
    table: str
    record: dict[str, Any]
    snippet: str
    new_text: str

    @property
    def shown(self) -> str:
        return f"{self.root.name or self.root}/{self.rel}"


def writable_root(option: str | None) -> Path:
    """The facts folder to write to (a Path); the copy shipped inside the package is read-only.

    Raises UsageError for the shipped copy."""
    root = store.facts_dir(option)
    if store.is_bundled(root):
        raise UsageError(
            "the fact base shipped in the package is read-only; "
            "pass --facts DIR (or set LANDMINE_FACTS) to add facts to a copy"
        )
    return root


def plan(root: Path, rel: str, table: str, record: dict[str, Any]) -> Change:
    """The change that adds `record` to `table` of the file `rel`, validated but not written.

    Raises FactsError with every problem of the resulting fact base (duplicates included).
    """
    import tomllib

    import tomli_w

    path = root / rel
    try:
        old_text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"cannot read {path}: {err}") from None
    snippet = tomli_w.dumps({table: [record]})
    try:
        doc = tomllib.loads(old_text)
    except tomllib.TOMLDecodeError:
        doc = None
    if doc is not None and tomli_w.dumps(doc) == old_text:
        new_text = tomli_w.dumps(_inserted(doc, table, record))
    else:
        separator = "" if old_text.endswith("\n") or not old_text else "\n"
        new_text = f"{old_text}{separator}\n{snippet}"
    base, problems = store.check(root, {rel: new_text})
    if problems or base is None:
        raise FactsError(problems)
    return Change(root, rel, table, record, snippet, new_text)


def _inserted(doc: dict[str, Any], table: str, record: dict[str, Any]) -> dict[str, Any]:
    rows = list(doc.get(table, []))
    key = _DATED.get(table)
    position = len(rows)
    if key is not None:
        # After every row dated on or before the new one: stable, date-ordered.
        position = sum(1 for row in rows if row.get(key) is not None and row[key] <= record[key])
    rows.insert(position, record)
    # Tables keep their place in the file; a table the file did not have goes last.
    return dict(doc) | {table: rows}


def apply(change: Change) -> None:
    write_atomic(change.root / change.rel, change.new_text)


def new_source_id(publisher: str, published: Any, taken: Mapping[str, Any]) -> str:
    """A readable, unused id such as "icbl-cmc-2026-02-20" (a str not in `taken`).

    Raises nothing."""
    from .countries import normalize
    from .rows import iso

    words = normalize(publisher).split()[:3] or ["source"]
    base = "-".join(words + ([iso(published)] if published else []))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


# --- records for `landmine add`: parsed values in, the TOML record (a dict) out -----------
# Keys are in the order the shipped files use; optional keys are left out when empty, so
# that tomli-w writes the record as a person would.


def event_record(
    treaty: str,
    type_: str,
    day: Any,
    sources: list[str],
    note: str | None = None,
    unverified: str | None = None,
) -> dict[str, Any]:
    """A countries/<iso3>.toml [[events]] record: {treaty, type, date, sources[, note]
    [, unverified]}. Raises nothing (validation happens in plan())."""
    record = {"treaty": treaty, "type": type_, "date": day, "sources": sources}
    return record | {k: v for k, v in (("note", note), ("unverified", unverified)) if v}


def reason_record(treaty: str, day: Any, summary: str, sources: list[str]) -> dict[str, Any]:
    """A countries/<iso3>.toml [[reasons]] record: {treaty, date, summary, sources}.
    Raises nothing."""
    return {"treaty": treaty, "date": day, "summary": summary, "sources": sources}


def source_record(
    url: str,
    publisher: str,
    title: str,
    published: Any,
    id_: str | None,
    taken: Mapping[str, Any],
) -> dict[str, Any]:
    """A sources.toml [[sources]] record: {id, publisher, title, url[, published]}; without
    `id_`, an unused id made from the publisher and date (new_source_id). Raises nothing."""
    record = {
        "id": id_ or new_source_id(publisher, published, taken),
        "publisher": publisher,
        "title": title,
        "url": url,
    }
    if published is not None:
        record["published"] = published
    return record


def contribution_record(
    donor: str, year: int, amount_usd: int, sources: list[str], note: str | None = None
) -> dict[str, Any]:
    """A funding.toml [[contributions]] record: {donor, year, amount_usd, sources[, note]}.
    Raises nothing."""
    record = {"donor": donor, "year": year, "amount_usd": amount_usd, "sources": sources}
    if note:
        record["note"] = note
    return record


def funding_event_record(
    day: Any, type_: str, summary: str, sources: list[str], donor: str | None = None
) -> dict[str, Any]:
    """A funding.toml [[events]] record: {date, type, summary, sources[, donor]}.
    Raises nothing."""
    record = {"date": day, "type": type_, "summary": summary, "sources": sources}
    if donor is not None:
        record["donor"] = donor
    return record
