"""The fact cache: the validated FactBase as JSON, keyed by everything it was built from.

A warm run reads one file and decodes it, skipping TOML parsing, validation and the
cross-checks. The cache is data only: JSON holds no code, so a file planted in the cache
folder can at worst be refused. Every record is stored by field name and checked on the
way back (exactly its class's fields, each of the right JSON type, dates and enums
parsed), and every part of the file carries a BLAKE2b digest, so a flipped byte, a
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
from pathlib import Path
from typing import Any, Callable

from . import __version__, models
from .models import (
    Conflict,
    Contribution,
    Country,
    Donor,
    Event,
    EventType,
    FactBase,
    FundingEvent,
    FundingEventType,
    FundingTotal,
    Meta,
    Reason,
    Source,
    Treaty,
)
from .layout import COUNTRY_DIR, SINGLE_FILES, country_file_names

# Bump when the layout of the cache file changes. Changes to the records' fields need no
# bump: the key includes every record class's field names (_SHAPE).
FORMAT = 4
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


# Decoding: each record class's fields with the check-and-convert of each. A record is a
# JSON object with exactly its class's fields; anything else raises, and a raise means
# "no cache".


class _Bad(Exception):
    """The cache file is not what this code writes."""


def _str(value: Any) -> str:
    if type(value) is not str:
        raise _Bad(value)
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise _Bad(value)
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise _Bad(value)
    return value


def _float(value: Any) -> float:
    if type(value) not in (int, float):
        raise _Bad(value)
    return float(value)


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(_str(value))


def _strs(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise _Bad(value)
    return tuple(map(_str, value))


def _optional(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


def _enum(cls: type) -> Callable[[Any], Any]:
    return lambda value: cls(_str(value))


# Each names exactly its record's fields, in order (tests/test_cache_integrity.py).
_FIELDS: dict[type, dict[str, Callable[[Any], Any]]] = {
    Meta: {"facts_as_of": _date, "title": _str, "note": _optional(_str)},
    Source: {"id": _str, "publisher": _str, "title": _str, "url": _str,
             "published": _optional(_date), "note": _optional(_str)},
    Treaty: {"id": _str, "short_name": _str, "name": _str, "aliases": _strs, "adopted": _date,
             "opened_for_signature": _date, "entered_into_force": _date, "depositary": _str,
             "entry_into_force_article": _str, "entry_into_force_months": _int,
             "withdrawal_article": _str, "withdrawal_months": _int,
             "withdrawal_waits_for_armed_conflict": _bool, "sources": _strs},
    Country: {"iso3": _str, "iso2": _str, "name": _str, "complete_for": _strs, "sources": _strs,
              "aliases": _strs, "note": _optional(_str)},
    Event: {"treaty": _str, "type": _enum(EventType), "date": _date, "sources": _strs,
            "note": _optional(_str), "rule_exception": _optional(_str),
            "unverified": _optional(_str)},
    Reason: {"treaty": _str, "date": _date, "summary": _str, "sources": _strs},
    Conflict: {"start": _date, "description": _str, "sources": _strs, "end": _optional(_date)},
    Donor: {"id": _str, "name": _str, "iso3": _optional(_str)},
    FundingTotal: {"year": _int, "amount_usd": _int, "sources": _strs,
                   "donors": _optional(_int), "note": _optional(_str)},
    Contribution: {"donor": _str, "year": _int, "amount_usd": _int, "sources": _strs,
                   "share_pct": _optional(_float), "note": _optional(_str)},
    FundingEvent: {"date": _date, "type": _enum(FundingEventType), "summary": _str,
                   "sources": _strs, "donor": _optional(_str)},
}


def _record(cls: type, value: Any) -> Any:
    spec = _FIELDS[cls]
    if type(value) is not dict or value.keys() != spec.keys():
        raise _Bad(cls.__name__)
    return cls(*[convert(value[name]) for name, convert in spec.items()])


def _records(cls: type, value: Any) -> tuple[Any, ...]:
    if type(value) is not list:
        raise _Bad(cls.__name__)
    return tuple(_record(cls, item) for item in value)


def _encode(value: Any) -> Any:
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {name: _encode(item) for name, item in zip(value._fields, value)}
    if isinstance(value, (tuple, list)):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value  # str (enums included), int, float, bool, None


def _dumps(value: Any) -> bytes:
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# File layout: the magic line; a line "<key length> <head length> <head digest>"; the key;
# the head (JSON: the small shared tables, the name index, and where each state's records
# lie with their digests); then one JSON blob per state and one for the funding tables.
# A lookup of one state decodes the head and one state; everything else decodes it all.


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
    return _int(offset), _int(length), _str(digest)


def _check_head(head: Any) -> None:
    if type(head) is not dict or head.keys() != {"meta", "treaties", "sources", "names",
                                                 "states", "funding"}:
        raise _Bad("head")
    states, names = head["states"], head["names"]
    if type(states) is not dict or type(names) is not dict:
        raise _Bad("head")
    for span in states.values():
        _span(span)
    _span(head["funding"])
    for name, iso3 in names.items():
        if type(iso3) is not str or iso3 not in states:
            raise _Bad(name)


def _blob(fd: int, start: int, span: Any) -> Any:
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
        states = {iso3: _blob(fd, start, span) for iso3, span in head["states"].items()}
        return _assemble(head, states, _blob(fd, start, head["funding"]))
    except Exception:
        return None
    finally:
        os.close(fd)


def read_state(root: Path, key: bytes, name: str) -> tuple[FactBase, str] | None:
    """A fact base holding just the state that `name` (already normalised) names, read
    from the cache without decoding the others; None if not cached or not found."""
    opened = _open(root, key)
    if opened is None:
        return None
    fd, head, start = opened
    try:
        iso3 = head["names"].get(name)
        if iso3 is None:
            return None
        return _assemble(head, {iso3: _blob(fd, start, head["states"][iso3])}), iso3
    except Exception:
        return None
    finally:
        os.close(fd)


def _assemble(head: dict, states: dict[str, Any], funding: Any = None) -> FactBase:
    """A FactBase from the cache's head, some states' records and (maybe) the funding;
    raises if any part is not what write() stores."""
    countries, events, reasons, conflicts = {}, {}, {}, {}
    for iso3, state in states.items():
        if type(state) is not dict or state.keys() != {"country", "events", "reasons", "conflicts"}:
            raise _Bad(iso3)
        country = _record(Country, state["country"])
        if country.iso3 != iso3:
            raise _Bad(iso3)
        countries[iso3] = country
        events[iso3] = _records(Event, state["events"])
        reasons[iso3] = _records(Reason, state["reasons"])
        conflicts[iso3] = _records(Conflict, state["conflicts"])
    if funding is None:
        funding = {"donors": [], "totals": [], "contributions": [], "events": []}
    if type(funding) is not dict or funding.keys() != {"donors", "totals", "contributions", "events"}:
        raise _Bad("funding")
    treaties = _records(Treaty, head["treaties"])
    sources = _records(Source, head["sources"])
    donors = _records(Donor, funding["donors"])
    return FactBase(
        meta=_record(Meta, head["meta"]),
        treaties={t.id: t for t in treaties},
        sources={s.id: s for s in sources},
        countries=countries,
        events=events,
        reasons=reasons,
        conflicts=conflicts,
        donors={d.id: d for d in donors},
        totals=_records(FundingTotal, funding["totals"]),
        contributions=_records(Contribution, funding["contributions"]),
        funding_events=_records(FundingEvent, funding["events"]),
        names=head["names"],
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
        iso3: add({"country": country, "events": base.events.get(iso3, ()),
                   "reasons": base.reasons.get(iso3, ()),
                   "conflicts": base.conflicts.get(iso3, ())})
        for iso3, country in base.countries.items()
    }
    funding = add({"donors": list(base.donors.values()), "totals": base.totals,
                   "contributions": base.contributions, "events": base.funding_events})
    head = _dumps(
        {"meta": base.meta, "treaties": list(base.treaties.values()),
         "sources": list(base.sources.values()), "names": base.names, "states": states,
         "funding": funding}
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
