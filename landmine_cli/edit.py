"""Adding records to a facts folder without ever losing or corrupting data.

A change is made to the text of one file in memory; the whole resulting fact base is
validated before anything touches disk; the file is then replaced atomically (a temporary
file in the same folder, flushed and synced, then renamed over the old one), so that a
crash at any moment leaves either the old file or the new one.

A file in canonical form (exactly what tomli-w writes, as every shipped file is) is
rewritten whole, which is lossless, with the new record in its place. Any other file,
such as one edited by hand with comments, keeps every byte: the record is appended as a
new array-of-tables entry at its end, with the file's own line breaks (CRLF or LF). Where
appending cannot add exactly that record (the table is an inline array, say), or the file
starts with a byte-order mark, the add is refused and nothing changes.

Writes are serialised by a lock on the facts folder (folder_lock: flock on the folder), and a record that
duplicates one already recorded (DUPLICATES) is refused.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import store
from .errors import FactsError, UsageError, WriteError
from .files import write_atomic
from .positions import locate
from .record import Record

# Arrays kept in date order when a record is inserted.
_DATED = {"events": "date", "reasons": "date"}  # (also funding.toml's events)


class Change(Record):
    """One record added to one file."""

    root: Path
    rel: str
    table: str
    record: dict[str, Any]
    snippet: str
    new_text: str

    @property
    def shown(self) -> str:
        return f"{store.shown_root(self.root)}/{self.rel}"


def writable_root(option: str | None, dry_run: bool = False) -> Path:
    """The facts folder to add to (store.facts_dir). The copy installed inside the package
    is read-only: a dry run may read it (it writes nothing), a real add is refused there
    with UsageError (exit 2), telling the user to point --facts at their checkout's facts
    (`pip install .` copies the facts into the package; a checkout's own folder is not it)."""
    root = store.facts_dir(option)
    if store.is_bundled(root) and not dry_run:
        folder = "facts" if (Path("facts") / "meta.toml").is_file() else "DIR"
        raise UsageError(
            "the fact base installed with the package is read-only; to add to the facts of "
            f"your checkout, pass --facts {folder} (its facts folder) or set LANDMINE_FACTS; "
            "--dry-run shows the record without writing"
        )
    return root


def plan(root: Path, rel: str, table: str, record: dict[str, Any]) -> Change:
    """The change that adds `record` to `table` of the file `rel`, validated but not written.

    Raises FactsError with every problem of the resulting fact base, or with the record it
    duplicates (DUPLICATES); UsageError if the file cannot be changed without losing bytes.
    """
    import tomli
    import tomli_w

    path = root / rel
    shown = f"{store.shown_root(root)}/{rel}"
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror or err}") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raise UsageError(f"{shown} starts with a UTF-8 byte-order mark, which TOML does not "
                         "allow; remove it (the file was not changed)")
    try:
        old_text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{shown} is not valid UTF-8; run landmine validate") from None
    try:
        doc = tomli.loads(old_text)
    except tomli.TOMLDecodeError:
        doc = None
    if doc is not None:
        _refuse_duplicate(shown, old_text, doc, table, record)
    # Line breaks as the file has them: CRLF only if every line break is one.
    newline = "\r\n" if "\r\n" in old_text and "\n" not in old_text.replace("\r\n", "") else "\n"
    snippet = tomli_w.dumps({table: [record]})
    old_lines = old_text.splitlines()
    if doc is not None and tomli_w.dumps(doc).replace("\n", newline) == old_text:
        new_text = tomli_w.dumps(_inserted(doc, table, record)).replace("\n", newline)
        # The record's header line (0-based): it goes where _inserted put it.
        start = locate(new_text, table, _position(doc, table, record), None) - 1
    else:
        # Not canonical (comments, another layout): keep every byte, append the record.
        separator = "" if old_text.endswith("\n") or not old_text else newline
        new_text = f"{old_text}{separator}{newline}{snippet.replace(chr(10), newline)}"
        start = len(old_lines)
        if doc is not None and _appended(new_text) != dict(doc) | {table: [*doc.get(table, []), record]}:
            raise UsageError(
                f"cannot add to {shown} without rewriting it: its {table!r} are not written as "
                f"[[{table}]] tables, and the file is not in the canonical form the shipped "
                "files use (rewriting would lose its comments or layout); add the record by "
                "hand (the file was not changed)"
            )
    base, problems = store.check(root, {rel: new_text})
    if problems or base is None:
        added = len(new_text.splitlines()) - len(old_lines)
        raise FactsError(_as_in_file(problems, shown, start, added))
    return Change(root, rel, table, record, snippet, new_text)


def _as_in_file(problems: list, shown: str, start: int, added: int) -> list:
    """The problems of the file as it would be, located in the file as it is: the record
    being added takes `added` lines after the first `start` ones; a line inside it is named
    as that (it is in no file yet), a line after it moves back by `added`. Returns
    [Problem...]; raises nothing."""
    out = []
    for problem in problems:
        if problem.path != shown or problem.line is None or problem.line <= start:
            out.append(problem)
        elif problem.line <= start + added:
            out.append(problem._replace(line=None, message=f"{problem.message} (in the record being added)"))
        else:
            out.append(problem._replace(line=problem.line - added))
    return out


def _appended(text: str) -> Any:
    import tomli

    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError:
        return None


# What makes a record the same as one already recorded, per table (README, "Duplicates"):
# (the keys compared, the field reported, the message). funding.toml's events have a
# summary; a state's events do not, so the two kinds of "events" are told apart by it.
_SAME: dict[str, tuple[tuple[tuple[str, ...], str, str], ...]] = {
    "events": (
        (("treaty", "type", "date", "counterpart"), "type", "duplicate {type} event on {date}"),
        (("date", "type", "donor", "summary"), "summary",
         "duplicate {type} funding event on {date} with the same donor and summary"),
    ),
    "reasons": ((("treaty", "date", "summary"), "summary",
                 "duplicate reason on {date}: the same summary is already recorded"),),
    "sources": ((("id",), "id", "duplicate id {id!r}"), (("url",), "url", "duplicate url {url!r}")),
    # A later edition's revision is a second record beside the first (as validation has it).
    "contributions": ((("donor", "year", "edition"), "year",
                       "duplicate contribution of {donor} for {year} from the same edition"),),
    # A state's obligations and extensions (countries/<iso3>.toml): one obligation per duty;
    # an extension is the same when its outcome, new deadline and request are.
    "obligations": ((("treaty", "article"), "article",
                     "duplicate {treaty} {article} obligation: one record per duty"),),
    "extensions": ((("treaty", "article", "outcome", "new_deadline", "requested", "requested_year"),
                    "article", "duplicate {treaty} {article} extension with the same outcome, "
                    "new deadline and request"),),
    "retained": ((("treaty", "year", "figure_kind"), "mines_retained",
                  "duplicate {treaty} retained-mines figure of kind {figure_kind!r} for {year}"),),
    # figures.toml: an edition by its id; a casualty or contamination figure by what it counts
    # and where from (the same keys as validation's duplicate rules).
    "editions": ((("id",), "id", "duplicate edition id {id!r}"),),
    "casualties": ((("scope", "year", "weapon", "edition"), "edition",
                    "duplicate {weapon} casualty figure for {scope} {year} in {edition}"),),
    "contamination": ((("scope", "weapon", "edition"), "edition",
                       "duplicate {weapon} contamination figure for {scope} in {edition}"),),
}


def _refuse_duplicate(shown: str, text: str, doc: dict, table: str, record: dict) -> None:
    """FactsError (exit 3) pointing at the recorded twin of `record`, if there is one."""
    from .errors import Problem

    for keys, field, message in _SAME.get(table, ()):
        if table == "events" and ("summary" in keys) != ("summary" in record):
            continue
        wanted = tuple(record.get(k) for k in keys)
        for index, row in enumerate(doc.get(table, [])):
            if isinstance(row, dict) and tuple(row.get(k) for k in keys) == wanted:
                line = locate(text, table, index, field) or locate(text, table, index, None)
                said = message.format(**{k: record.get(k) for k in keys})
                raise FactsError([Problem(shown, line, field,
                                          f"{said} (already recorded here; nothing was added)")])


def _position(doc: dict[str, Any], table: str, record: dict[str, Any]) -> int:
    """Where `record` goes in `table`: after every row dated on or before it (stable,
    date-ordered) for a dated table, else last."""
    rows = doc.get(table, [])
    key = _DATED.get(table)
    if key is None:
        return len(rows)
    return sum(1 for row in rows if row.get(key) is not None and row[key] <= record[key])


def _inserted(doc: dict[str, Any], table: str, record: dict[str, Any]) -> dict[str, Any]:
    rows = list(doc.get(table, []))
    rows.insert(_position(doc, table, record), record)
    # Tables keep their place in the file; a table the file did not have goes last.
    return dict(doc) | {table: rows}


LOCK_TIMEOUT = 30.0  # seconds; one add takes well under one


def apply(change: Change) -> Change:
    """Write the change, holding the facts folder's lock from reading to replacing.

    The file is read and validated again under the lock, so that concurrent `add` runs
    each land their record (or fail cleanly: a duplicate, a busy folder) and none is lost.
    """
    with folder_lock(change.root):
        fresh = plan(change.root, change.rel, change.table, change.record)
        try:
            write_atomic(change.root / change.rel, fresh.new_text)
        except OSError as err:
            raise _write_error(err) from None
    return fresh


def _write_error(err: OSError) -> WriteError:
    why = err.strerror or str(err)
    return WriteError(f"cannot write {err.filename}: {why}; nothing was changed")


@contextmanager
def folder_lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the facts folder: fcntl.flock on the folder itself.

    flock, from the standard library, rather than a lock-file library: the kernel releases
    it when the process ends, however it ends, so a crashed run never leaves the folder
    locked; and taken on the folder's own descriptor it needs no lock file (nothing new in
    the facts folder, and a read-only folder still gets the write error that names the
    file). WriteError if another run holds it past the timeout.
    """
    import fcntl
    import time

    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as err:
        raise WriteError(f"cannot lock the facts folder {root}: {err.strerror or err}; "
                         "nothing was changed") from None
    try:
        deadline = time.monotonic() + (LOCK_TIMEOUT if timeout is None else timeout)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WriteError(f"the facts folder {root} is busy: another landmine add "
                                     "held it too long; nothing was changed") from None
                time.sleep(0.01)
        yield
    finally:
        os.close(fd)  # releases the lock


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
    counterpart: str | None = None,
) -> dict[str, Any]:
    """A countries/<iso3>.toml [[events]] record: {treaty, type, date, sources[, note]
    [, unverified][, counterpart (ISO alpha-3)]}. Raises nothing (validation happens in plan())."""
    record = {"treaty": treaty, "type": type_, "date": day, "sources": sources}
    return _present(record, (("note", note), ("unverified", unverified), ("counterpart", counterpart)))


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
    return _present(record, (("published", published),))


def contribution_record(
    donor: str, year: int, amount_usd: int, sources: list[str], **optional: Any
) -> dict[str, Any]:
    """A funding.toml [[contributions]] record (models.Contribution): {donor, year,
    amount_usd, sources[, share_pct, note, edition, lower_bound, approximate, rank]},
    optional keys in the model's order; a flag only when true. Raises ValueError for a
    key the model does not have."""
    from .models import Contribution

    required = {"donor": donor, "year": year, "amount_usd": amount_usd, "sources": sources}
    return _figure_record(Contribution, required, optional)


def funding_event_record(
    day: Any, type_: str, summary: str, sources: list[str], donor: str | None = None
) -> dict[str, Any]:
    """A funding.toml [[events]] record: {date, type, summary, sources[, donor]}.
    Raises nothing."""
    record = {"date": day, "type": type_, "summary": summary, "sources": sources}
    return _present(record, (("donor", donor),))


def _present(record: dict[str, Any], optional: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    """`record` with the optional (key, value) pairs that hold something (None and "" are
    left out; 0 is kept, since a count of zero is a fact)."""
    return record | {k: v for k, v in optional if v is not None and v != ""}


def obligation_record(
    treaty: str,
    article: str,
    original_deadline: Any,
    sources: list[str],
    **optional: Any,
) -> dict[str, Any]:
    """A countries/<iso3>.toml [[obligations]] record (models.Obligation): {treaty, article,
    original_deadline, sources[, completed, completed_period, completed_by, no_stockpile,
    reopened_period, researched_to, mines_destroyed, cluster_munitions_destroyed,
    submunitions_destroyed, stockpile_declared, remaining, remaining_as_of, note,
    rule_exception]}, optional keys in the model's order. Raises ValueError for a key the
    model does not have (validation of values happens in plan())."""
    from .models import Obligation

    order = Obligation._fields[4:]
    unknown = set(optional) - set(order)
    if unknown:
        raise ValueError(f"not obligation fields: {', '.join(sorted(unknown))}")
    record = {"treaty": treaty, "article": article, "original_deadline": original_deadline,
              "sources": sources}
    return _present(record, tuple((k, optional.get(k)) for k in order))


def extension_record(
    treaty: str,
    article: str,
    outcome: str,
    sources: list[str],
    **optional: Any,
) -> dict[str, Any]:
    """A countries/<iso3>.toml [[extensions]] record (models.Extension): {treaty, article,
    outcome, sources[, new_deadline, requested, requested_year, requested_text, granted_by,
    granted, granted_year, note]}, optional keys in the model's order. Raises ValueError for
    a key the model does not have."""
    from .models import Extension

    order = Extension._fields[4:]
    unknown = set(optional) - set(order)
    if unknown:
        raise ValueError(f"not extension fields: {', '.join(sorted(unknown))}")
    record = {"treaty": treaty, "article": article, "outcome": outcome, "sources": sources}
    return _present(record, tuple((k, optional.get(k)) for k in order))


def retained_record(
    treaty: str,
    mines_retained: int,
    figure_kind: str,
    sources: list[str],
    year: int | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """A countries/<iso3>.toml [[retained]] record (models.Retained): {treaty,
    mines_retained, figure_kind, sources[, year][, note]}. Raises nothing."""
    record = {"treaty": treaty, "mines_retained": mines_retained, "figure_kind": figure_kind,
              "sources": sources}
    return _present(record, (("year", year), ("note", note)))


def edition_record(
    id_: str,
    title: str,
    publisher: str,
    covers: int,
    sources: list[str],
    published: Any = None,
    note: str | None = None,
) -> dict[str, Any]:
    """A figures.toml [[editions]] record (models.Edition): {id, title, publisher, covers,
    sources[, published][, note]}. Raises nothing."""
    record = {"id": id_, "title": title, "publisher": publisher, "covers": covers, "sources": sources}
    return _present(record, (("published", published), ("note", note)))


def _figure_record(cls: type, required: dict[str, Any], optional: dict[str, Any]) -> dict[str, Any]:
    """A figures.toml (or funding.toml) record of `cls`: the required keys, then the optional ones that hold
    something, in the model's order; a flag only when true. Raises ValueError for a key the
    model does not have."""
    order = cls._fields[len(required):]
    unknown = set(optional) - set(order)
    if unknown:
        raise ValueError(f"not {cls.__name__.lower()} fields: {', '.join(sorted(unknown))}")
    optional = {k: v for k, v in optional.items() if v is not False}
    return _present(required, tuple((k, optional.get(k)) for k in order))


def casualty_record(
    scope: str,
    year: int,
    weapon: str,
    edition: str,
    sources: list[str],
    **optional: Any,
) -> dict[str, Any]:
    """A figures.toml [[casualties]] record (models.Casualty): {scope ("world" or ISO
    alpha-3), year, weapon, edition, sources[, killed, injured, total, civilian_pct,
    secondary, note]}, optional keys in the model's order; `secondary` only when true.
    Raises ValueError for a key the model does not have."""
    from .models import Casualty

    required = {"scope": scope, "year": year, "weapon": weapon, "edition": edition, "sources": sources}
    return _figure_record(Casualty, required, optional)


def contamination_record(
    scope: str,
    weapon: str,
    edition: str,
    sources: list[str],
    **optional: Any,
) -> dict[str, Any]:
    """A figures.toml [[contamination]] record (models.Contamination): {scope ("world" or
    ISO alpha-3), weapon, edition, sources[, area_km2, area_kind, extent_band,
    states_and_areas, states, states_parties, states_not_party, other_areas, at_least,
    secondary, note]}, optional keys in the model's order; flags only when true.
    Raises ValueError for a key the model does not have."""
    from .models import Contamination

    required = {"scope": scope, "weapon": weapon, "edition": edition, "sources": sources}
    return _figure_record(Contamination, required, optional)
