"""The fact cache: the validated FactBase as JSON, keyed by everything it was built from.

A warm run reads one file and decodes it, skipping TOML parsing, validation and the
cross-checks. The cache is data only: JSON holds no code, so a file planted in the cache
folder can at worst be refused. Records are stored as tables under their field names and
checked on the way back (exactly their class's fields, each value of the right JSON type,
dates and enums parsed), and every part of the file carries a BLAKE2b digest, so a flipped byte, a
truncation or a file of another shape is refused, never served.

The key, written in full in the file, covers the cache format, the package and Python
versions, the record classes' fields, the facts folder's absolute path and every fact
file's name, size, modification time, change time and inode, so a changed, added or
deleted file is seen on the next run (the change time catches an edit that restores size
and modification time). A cache that cannot be read, is corrupt, or was built from other
files is ignored (and rebuilt by the caller); one that cannot be written is skipped
without a word. The folder is created owner-only (0700). Never prints.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import sys
import zlib
from itertools import chain
from pathlib import Path
from typing import Any, Callable

from . import __version__, models
from .models import (
    STATE_KINDS,
    AreaKind,
    Casualty,
    Conflict,
    Contamination,
    Contribution,
    Country,
    Donor,
    Edition,
    Event,
    EventType,
    Extension,
    ExtensionOutcome,
    ExtentBand,
    FactBase,
    FundingEvent,
    FundingEventType,
    FundingGap,
    FundingScope,
    FundingTotal,
    GapKind,
    RecipientFigure,
    Meta,
    Obligation,
    Reason,
    Retained,
    Source,
    Treaty,
    Weapon,
)
from .layout import COUNTRY_DIR, SINGLE_FILES, country_file_names

# Bump when the layout of the cache file changes. Changes to the records' fields need no
# bump: the key includes every record class's field names (_SHAPE).
FORMAT = 6
MAGIC = b"landmine-cache %d\n" % FORMAT
ENV_DIR = "LANDMINE_CACHE_DIR"
_PREFIX = "facts-"
_SUFFIX = ".json"
_DIGEST_BYTES = 16


# The field names of every record class, so that a cache written by code with other
# records (a field added during development, say) is never read into these.
_SHAPE = ",".join(
    f"{name}({'|'.join(cls._fields)})"
    for name, cls in sorted(vars(models).items())
    if isinstance(cls, type) and issubclass(cls, tuple) and hasattr(cls, "_fields")
)


def _digest(data: bytes | memoryview) -> str:
    try:
        # hashlib's own BLAKE2 (the same code): importing hashlib would also load OpenSSL,
        # about 2 ms of every warm start.
        from _blake2 import blake2b
    except ImportError:  # an interpreter without the built-in module
        from hashlib import blake2b

    return blake2b(data, digest_size=_DIGEST_BYTES).hexdigest()


def cache_dir() -> Path:
    """$LANDMINE_CACHE_DIR, else $XDG_CACHE_HOME/landmine, else ~/.cache/landmine.

    A relative $XDG_CACHE_HOME is ignored, as the XDG Base Directory spec requires.
    """
    chosen = os.environ.get(ENV_DIR)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "landmine"


def _file_for(root: Path) -> Path:
    # One cache file per facts folder; the name only spreads folders apart (the key inside
    # decides whether the content may be used).
    folder = zlib.crc32(os.fsencode(os.path.abspath(root)))
    return cache_dir() / f"{_PREFIX}{folder:08x}{_SUFFIX}"


def fingerprint(root: Path) -> bytes:
    """What the fact base would be built from: versions, folder, and each file's stat."""
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    head = f"{FORMAT} {__version__} {version} {_SHAPE} {os.path.abspath(root)}"
    parts = [head] + [_entry(str(root), name) for name in SINGLE_FILES]
    folder = os.path.join(root, COUNTRY_DIR)
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        parts.append(f"{COUNTRY_DIR} -")
    else:
        try:
            # Relative to an open folder: one cheap stat per file, even for 20,000 files.
            parts += [_entry(fd, name) for name in country_file_names(fd)]
        finally:
            os.close(fd)
    return "\t".join(parts).encode("utf-8", "surrogateescape")


def _entry(folder: str | int, name: str) -> str:
    try:
        if isinstance(folder, int):
            info = os.stat(name, dir_fd=folder)
        else:
            info = os.stat(os.path.join(folder, name))
    except OSError:
        return f"{name} -"
    return f"{name} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}"


# Records are stored as tables: {"fields": [the class's field names], "rows": [[...]]}.
# The names are checked against the class, and each row's JSON types against the field
# types in one step (the tuple of its value types must be one the fields allow); then
# dates, enums and lists are converted. Anything else raises, and a raise means
# "no cache".


class _Bad(Exception):
    """The cache file is not what this code writes."""


_NONE = type(None)


def _optional(convert: Callable[[Any], Any]) -> Callable[[list], Any]:
    return lambda column: [None if v is None else convert(v) for v in column]


def _texts(column: list) -> Any:
    if not set(map(type, chain.from_iterable(column))) <= {str}:
        raise _Bad("not text")
    return map(tuple, column)


def _members(enum: type, optional: bool = False) -> Callable[[list], Any]:
    """A column of values -> the enum's members. The lookup table is built once, here, not
    on every read; a plain dict lookup (an unknown value raises KeyError) because calling
    the enum class is slow."""
    lookup = {member.value: member for member in enum}.__getitem__
    return _optional(lookup) if optional else (lambda column: map(lookup, column))


# What JSON types each kind of field may hold, and how a column of them becomes the
# records' values (whole columns at a time: most of the work stays in C).
_KINDS: dict[str, tuple[tuple[type, ...], Callable[[list], Any] | None]] = {
    "str": ((str,), None),
    "str?": ((str, _NONE), None),
    "int": ((int,), None),
    "int?": ((int, _NONE), None),
    "bool": ((bool,), None),
    "float?": ((float, int, _NONE), _optional(float)),
    "date": ((str,), lambda column: map(dt.date.fromisoformat, column)),
    "date?": ((str, _NONE), _optional(dt.date.fromisoformat)),
    "strs": ((list,), _texts),
    "EventType": ((str,), _members(EventType)),
    "FundingEventType": ((str,), _members(FundingEventType)),
    "FundingScope": ((str,), _members(FundingScope)),
    "GapKind": ((str,), _members(GapKind)),
    "ExtensionOutcome": ((str,), _members(ExtensionOutcome)),
    "Weapon": ((str,), _members(Weapon)),
    "AreaKind?": ((str, _NONE), _members(AreaKind, optional=True)),
    "ExtentBand?": ((str, _NONE), _members(ExtentBand, optional=True)),
}


class _Table:
    """How one record class is stored: its fields' kinds, the JSON types each column may
    hold, and the conversions to apply. Checks run a column at a time, in C."""

    def __init__(self, cls: type, kinds: str) -> None:
        from functools import partial

        self.cls = cls
        self.kinds = dict(zip(cls._fields, kinds.split()))
        self.fields = list(cls._fields)
        self.types = [frozenset(_KINDS[k][0]) for k in self.kinds.values()]
        self.converts = [(i, _KINDS[k][1]) for i, k in enumerate(self.kinds.values())
                         if _KINDS[k][1] is not None]
        self.make = partial(tuple.__new__, cls)  # the length is checked in decode

    def decode(self, table: Any) -> tuple[Any, ...]:
        if type(table) is not dict or table.keys() != {"fields", "rows"}:
            raise _Bad(self.cls.__name__)
        rows = table["rows"]
        if table["fields"] != self.fields or type(rows) is not list:
            raise _Bad(self.cls.__name__)
        if not rows:
            return ()
        if set(map(type, rows)) != {list} or set(map(len, rows)) != {len(self.fields)}:
            raise _Bad(self.cls.__name__)
        columns: list[Any] = list(zip(*rows))
        for column, types in zip(columns, self.types):
            if not set(map(type, column)) <= types:
                raise _Bad(self.cls.__name__)
        for i, convert in self.converts:
            columns[i] = convert(columns[i])
        return tuple(map(self.make, zip(*columns)))

    def one(self, table: Any) -> Any:
        records = self.decode(table)
        if len(records) != 1:
            raise _Bad(self.cls.__name__)
        return records[0]


def _encode(records: Any) -> dict:
    """A table of records (all of one class) as JSON-ready data."""
    records = list(records)
    fields = list(records[0]._fields) if records else None

    def value(item: Any) -> Any:
        if isinstance(item, dt.date):
            return item.isoformat()
        return list(item) if isinstance(item, tuple) else item  # enums are str

    return {"fields": fields, "rows": [[value(item) for item in record] for record in records]}


_TABLES: dict[type, _Table] = {}


def _table(cls: type) -> _Table:
    if cls not in _TABLES:
        _TABLES[cls] = _Table(cls, _FIELD_KINDS[cls])
    return _TABLES[cls]


# The kind of each field of each record, in field order (tests/test_cache_integrity.py
# checks that every record class is here with one kind per field).
_FIELD_KINDS: dict[type, str] = {
    Meta: "date str str?",
    Source: "str str str str date? str?",
    Treaty: "str str str strs date date date str str int str int bool strs",
    Country: "str str str strs strs strs str? date? strs str? str?",
    Event: "str EventType date strs str? str? str? str?",
    Reason: "str date str strs",
    Conflict: "date str strs date?",
    Donor: "str str str?",
    FundingTotal: "int int strs str int? str? FundingScope float? int? bool bool",
    Contribution: "str int int strs str float? str? bool bool int?",
    FundingEvent: "date FundingEventType str strs str? str?",
    RecipientFigure: "int str strs str str? int? int? float? str?",
    FundingGap: "int GapKind str str strs str? str?",
    Obligation: "str str date strs date? str? date? str? str? date? int? int? int? int? int? date? str? str?",
    Extension: "str str ExtensionOutcome strs date? date? int? str? str? date? int? str?",
    Retained: "str int str strs int? str?",
    Edition: "str str str int strs date? str?",
    Casualty: "str int Weapon str strs int? int? int? float? bool str?",
    Contamination: "str Weapon str strs float? AreaKind? ExtentBand? int? int? int? int? int? bool bool str?",
}


def _decode(cls: type, table: Any) -> tuple[Any, ...]:
    if type(table) is dict and table.get("fields") is None and table.get("rows") == []:
        return ()  # an empty table: no records, so no field names were written
    return _table(cls).decode(table)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# File layout: the magic line; a line "<key length> <head length> <head digest>"; the key;
# the head (JSON: the small shared tables, the name index, where each state's records lie
# with their digests); then one JSON blob per state, one
# holding every state's records again as one table per kind, one for the funding tables
# and one for the figures.
# A lookup of one state decodes the head and that state's blob; everything else decodes
# the all-states blob (seven tables instead of seven per state: a few milliseconds less).


def _open(root: Path, key: bytes) -> tuple[int, dict, int] | None:
    """The open cache file, its checked head and the offset of its data, if the key matches."""
    try:
        # Never follow a link or wait on a pipe planted where the cache file goes.
        fd = os.open(_file_for(root), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _Bad("not a file")
        size = os.fstat(fd).st_size
        first = os.pread(fd, min(size, len(MAGIC) + 120), 0)
        if not first.startswith(MAGIC):
            raise _Bad("magic")
        line, _, _ = first[len(MAGIC):].partition(b"\n")
        key_size, head_size, digest = line.split(b" ")
        start = len(MAGIC) + len(line) + 1
        key_size, head_size = int(key_size), int(head_size)
        stored = os.pread(fd, key_size + head_size, start)
        if stored[:key_size] != key:
            raise _Bad("stale")
        head_bytes = memoryview(stored)[key_size:]
        if len(head_bytes) != head_size or _digest(head_bytes).encode() != digest:
            raise _Bad("digest")
        head = json.loads(head_bytes.tobytes())
        _check_head(head)
    except Exception:  # stale or corrupt: both mean "no cache"
        os.close(fd)
        return None
    return fd, head, start + key_size + head_size


def _span(value: Any) -> tuple[int, int, str]:
    if type(value) is not list or len(value) != 3:
        raise _Bad("span")
    offset, length, digest = value
    if type(offset) is not int or type(length) is not int or type(digest) is not str:
        raise _Bad("span")
    return offset, length, digest


def _check_head(head: Any) -> None:
    if type(head) is not dict or head.keys() != {"meta", "treaties", "sources", "names",
                                                 "states", "all", "funding", "figures"}:
        raise _Bad("head")
    if type(head["states"]) is not dict or type(head["names"]) is not dict:
        raise _Bad("head")
    # Each state's span and name is checked where it is used: a one-state read looks up
    # one name and one span (and fails on anything else), a full read checks every name
    # (read); checking all of them here cost a one-state lookup in a 100x fact base 25 ms.
    _span(head["all"])
    _span(head["funding"])
    _span(head["figures"])


def _blob(fd: int, start: int, span: Any) -> Any:
    """One part of the data, read, checked against its digest and parsed."""
    offset, length, digest = _span(span)
    data = os.pread(fd, length, start + offset)
    if len(data) != length or _digest(data) != digest:
        raise _Bad("digest")
    return json.loads(data)


def read(root: Path, key: bytes) -> FactBase | None:
    """The whole cached fact base if it was built from exactly these files, else None."""
    opened = _open(root, key)
    if opened is None:
        return None
    fd, head, start = opened
    try:
        # The all-states part (one table per kind: 7 decodes, not 7 per state), the funding
        # and the figures, each read and digested on its own; the per-state blobs are not read.
        if not set(head["names"].values()) <= head["states"].keys():  # raises if unhashable
            raise _Bad("names")
        countries, per_state = _all_states(head, _blob(fd, start, head["all"]))
        return _base(head, countries, per_state, _blob(fd, start, head["funding"]),
                     _blob(fd, start, head["figures"]))
    except Exception:
        return None
    finally:
        os.close(fd)


def read_state(root: Path, key: bytes, name: str) -> tuple[FactBase, str] | None:
    """A fact base holding just the state that `name` (already normalised) names (and the
    state it was part of before its statehood, which its status notes name), read from the
    cache without decoding the others; None if not cached or not found. A damaged part is
    a damaged cache: the file is removed, so that the caller's full load rebuilds it (a full
    read does not read the per-state parts, and would otherwise serve around it forever)."""
    opened = _open(root, key)
    if opened is None:
        return None
    fd, head, start = opened
    try:
        iso3 = head["names"].get(name)
        if iso3 is None:
            return None
        # The figures are small and `status` shows a state's latest ones.
        figures = _blob(fd, start, head["figures"])
        states = {iso3: _blob(fd, start, head["states"][iso3])}
        base = _assemble(head, states, None, figures)
        part_of = base.countries[iso3].part_of
        if part_of is not None:
            states[part_of] = _blob(fd, start, head["states"][part_of])
            base = _assemble(head, states, None, figures)
        return base, iso3
    except Exception:
        _discard(root)
        return None
    finally:
        os.close(fd)


def _discard(root: Path) -> None:
    """Remove the cache file of `root`, if any; a failure just leaves it."""
    try:
        os.unlink(_file_for(root))
    except OSError:
        pass


_FUNDING_KEYS = {"donors", "totals", "contributions", "events", "recipients", "gaps"}


def _assemble(head: dict, states: dict[str, Any], funding: Any = None, figures: Any = None) -> FactBase:
    """A FactBase from the cache's head, some states' records (one blob each) and (maybe)
    the funding and the figures; raises if any part is not what write() stores."""
    countries: dict[str, Country] = {}
    per_state: dict[str, dict[str, tuple[Any, ...]]] = {kind.name: {} for kind in STATE_KINDS}
    for iso3, state in states.items():
        if type(state) is not dict or state.keys() != {"country", *per_state}:
            raise _Bad(iso3)
        country = _table(Country).one(state["country"])
        if country.iso3 != iso3:
            raise _Bad(iso3)
        countries[iso3] = country
        for kind in STATE_KINDS:
            per_state[kind.name][iso3] = _decode(kind.record, state[kind.name])
    return _base(head, countries, per_state, funding, figures)


def _all_states(head: dict, part: Any) -> tuple[dict[str, Country], dict[str, dict[str, tuple]]]:
    """Every state and its records from the all-states part: {"countries": table, <kind>:
    {"owners": [iso3 of each row], "table": table}}; raises if it is not what write()
    stores or does not hold exactly the head's states."""
    if type(part) is not dict or part.keys() != {"countries", *(kind.name for kind in STATE_KINDS)}:
        raise _Bad("all")
    rows = _decode(Country, part["countries"])
    countries = {c.iso3: c for c in rows}
    if len(rows) != len(countries) or countries.keys() != head["states"].keys():
        raise _Bad("all")
    per_state: dict[str, dict[str, tuple]] = {}
    for kind in STATE_KINDS:
        section = part[kind.name]
        if type(section) is not dict or section.keys() != {"owners", "table"}:
            raise _Bad(kind.name)
        owners, records = section["owners"], _decode(kind.record, section["table"])
        if type(owners) is not list or len(owners) != len(records) or not set(owners) <= countries.keys():
            raise _Bad(kind.name)
        grouped: dict[str, list] = {iso3: [] for iso3 in countries}
        for iso3, record in zip(owners, records):
            grouped[iso3].append(record)
        per_state[kind.name] = {iso3: tuple(rows) for iso3, rows in grouped.items()}
    return countries, per_state


def _base(head: dict, countries: dict[str, Country], per_state: dict[str, dict[str, tuple]],
          funding: Any = None, figures: Any = None) -> FactBase:
    """The FactBase of these states with the head's shared tables and (maybe) the funding
    and the figures (None: empty); raises if a part is not what write() stores."""
    empty = {"fields": None, "rows": []}
    if funding is None:
        funding = {key: empty for key in _FUNDING_KEYS}
    if type(funding) is not dict or funding.keys() != _FUNDING_KEYS:
        raise _Bad("funding")
    if figures is None:
        figures = {"editions": empty, "casualties": empty, "contamination": empty}
    if type(figures) is not dict or figures.keys() != {"editions", "casualties", "contamination"}:
        raise _Bad("figures")
    treaties = _decode(Treaty, head["treaties"])
    sources = _decode(Source, head["sources"])
    donors = _decode(Donor, funding["donors"])
    return FactBase(
        meta=_table(Meta).one(head["meta"]),
        treaties={t.id: t for t in treaties},
        sources={s.id: s for s in sources},
        countries=countries,
        **per_state,
        donors={d.id: d for d in donors},
        totals=_decode(FundingTotal, funding["totals"]),
        contributions=_decode(Contribution, funding["contributions"]),
        funding_events=_decode(FundingEvent, funding["events"]),
        names=head["names"],
        recipients=_decode(RecipientFigure, funding["recipients"]),
        funding_gaps=_decode(FundingGap, funding["gaps"]),
        editions={e.id: e for e in _decode(Edition, figures["editions"])},
        casualties=_decode(Casualty, figures["casualties"]),
        contamination=_decode(Contamination, figures["contamination"]),
    )


def write(root: Path, key: bytes, base: FactBase) -> None:
    """Store the fact base for the next run; any failure just means no cache."""
    blobs: list[bytes] = []
    offset = 0

    def add(value: object) -> tuple[int, int, str]:
        nonlocal offset
        blob = _dumps(value)
        blobs.append(blob)
        span = (offset, len(blob), _digest(blob))
        offset += len(blob)
        return span

    states = {
        iso3: add({"country": _encode([country])}
                  | {kind.name: _encode(getattr(base, kind.name).get(iso3, ())) for kind in STATE_KINDS})
        for iso3, country in base.countries.items()
    }
    # The same records again, one table per kind for all states, for full reads.
    all_states: dict[str, Any] = {"countries": _encode(base.countries.values())}
    for kind in STATE_KINDS:
        owned = [(iso3, record) for iso3 in base.countries for record in getattr(base, kind.name).get(iso3, ())]
        all_states[kind.name] = {"owners": [iso3 for iso3, _ in owned],
                                 "table": _encode(record for _, record in owned)}
    everything = add(all_states)
    funding = add({"donors": _encode(base.donors.values()), "totals": _encode(base.totals),
                   "contributions": _encode(base.contributions),
                   "events": _encode(base.funding_events),
                   "recipients": _encode(base.recipients), "gaps": _encode(base.funding_gaps)})
    figures = add({"editions": _encode(base.editions.values()), "casualties": _encode(base.casualties),
                   "contamination": _encode(base.contamination)})
    head = _dumps(
        {"meta": _encode([base.meta]), "treaties": _encode(base.treaties.values()),
         "sources": _encode(base.sources.values()), "names": base.names, "states": states,
         "all": everything, "funding": funding, "figures": figures}
    )
    import tempfile  # only a cold run writes

    target = _file_for(root)
    tmp = None
    try:
        _make_private_folder(target.parent)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=_SUFFIX)
        with os.fdopen(fd, "wb") as handle:  # mkstemp: owner-only (0600)
            handle.write(MAGIC + b"%d %d %s\n" % (len(key), len(head), _digest(head).encode()))
            handle.write(key)
            handle.write(head)
            handle.writelines(blobs)
        os.replace(tmp, target)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _make_private_folder(folder: Path) -> None:
    """Create the cache folder, and any missing parent, owner-only (XDG: 0700)."""
    missing = []
    for path in (folder, *folder.parents):
        if path.exists():
            break
        missing.append(path)
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            pass
        os.chmod(path, 0o700)  # whatever the umask


def clear() -> list[Path]:
    """Remove every cached fact base (and any left by older versions); the files removed."""
    removed = []
    try:
        candidates = [p for p in cache_dir().glob(f"{_PREFIX}*")
                      if p.suffix in (_SUFFIX, ".pickle")]
    except OSError:
        return removed
    for path in candidates:
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed
