"""The fact cache: the validated FactBase, pickled, keyed by everything it was built from.

A warm run reads one file and unpickles it, skipping TOML parsing, validation and the
cross-checks. The key, written in full at the head of the cache file, covers the cache
format, the package and Python versions, the facts folder's absolute path and every fact
file's name, size, modification time and inode, so a changed, added or deleted file is
seen on the next run. (Comparing the key itself, rather than a digest of it, spares
start-up the import of hashlib.) A cache that cannot
be read, is corrupt, or was built from other files is ignored (and rebuilt by the
caller); one that cannot be written is skipped without a word. Never prints.
"""

from __future__ import annotations

import os
import pickle
import sys
import zlib
from pathlib import Path
from typing import Any, BinaryIO

from . import __version__, models
from .models import FactBase
from .layout import COUNTRY_DIR, SINGLE_FILES, country_file_names

# Bump when the layout of the cache file changes. Changes to the records' fields need no
# bump: the key includes every record class's field names (_SHAPE).
FORMAT = 3
ENV_DIR = "LANDMINE_CACHE_DIR"
_PREFIX = "facts-"
_SUFFIX = ".pickle"


# The field names of every pickled record class, so that a cache written by code with
# other records (a field added during development, say) is never unpickled into these.
_SHAPE = ",".join(
    f"{name}({'|'.join(cls._fields)})"
    for name, cls in sorted(vars(models).items())
    if isinstance(cls, type) and issubclass(cls, tuple) and hasattr(cls, "_fields")
)


def cache_dir() -> Path:
    """$LANDMINE_CACHE_DIR, else $XDG_CACHE_HOME/landmine, else ~/.cache/landmine."""
    chosen = os.environ.get(ENV_DIR)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
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
    return f"{name} {info.st_size} {info.st_mtime_ns} {info.st_ino}"


# File layout, after the key line: a line with the length of the head, the head (a pickle
# of the small shared tables, the name index and where each state's records lie), then one
# pickle per state and one for the funding tables. A lookup of one state unpickles the head
# and one state; everything else unpickles all of it.


def _open(root: Path, key: bytes) -> tuple[BinaryIO, dict, int] | None:
    """The open cache file, its head and the offset of its data, if the key matches."""
    try:
        handle = open(_file_for(root), "rb")
    except OSError:
        return None
    try:
        if handle.readline().rstrip(b"\n") != key:  # the key holds no newline
            raise ValueError("stale")
        size = int(handle.readline())
        head = pickle.loads(handle.read(size))
    except Exception:  # stale or corrupt: both mean "no cache"
        handle.close()
        return None
    return handle, head, handle.tell()


def _blob(handle: BinaryIO, start: int, span: tuple[int, int]) -> object:
    offset, length = span
    handle.seek(start + offset)
    return pickle.loads(handle.read(length))


def read(root: Path, key: bytes) -> FactBase | None:
    """The whole cached fact base if it was built from exactly these files, else None."""
    opened = _open(root, key)
    if opened is None:
        return None
    handle, head, _ = opened
    try:
        with handle:
            data = memoryview(handle.read())  # one read for all of it, then slices

        def blob(span: tuple[int, int]) -> Any:
            return pickle.loads(data[span[0] : span[0] + span[1]])

        states = {iso3: blob(span) for iso3, span in head["states"].items()}
        return _assemble(head, states, blob(head["funding"]))
    except Exception:
        return None


def read_state(root: Path, key: bytes, name: str) -> tuple[FactBase, str] | None:
    """A fact base holding just the state that `name` (already normalised) names, read
    from the cache without unpickling the others; None if not cached or not found."""
    opened = _open(root, key)
    if opened is None:
        return None
    handle, head, start = opened
    with handle:
        iso3 = head["names"].get(name)
        if iso3 is None:
            return None
        try:
            state = _blob(handle, start, head["states"][iso3])
        except Exception:
            return None
    return _assemble(head, {iso3: state}), iso3


def _assemble(head: dict, states: dict[str, Any], funding: Any = None) -> FactBase:
    """A FactBase from the cache's head, some states' records and (maybe) the funding."""
    donors, totals, contributions, funding_events = funding or ({}, (), (), ())
    return FactBase(
        meta=head["meta"],
        treaties=head["treaties"],
        sources=head["sources"],
        countries={k: v[0] for k, v in states.items()},
        events={k: v[1] for k, v in states.items()},
        reasons={k: v[2] for k, v in states.items()},
        conflicts={k: v[3] for k, v in states.items()},
        donors=donors,
        totals=totals,
        contributions=contributions,
        funding_events=funding_events,
        names=head["names"],
    )


def write(root: Path, key: bytes, base: FactBase) -> None:
    """Store the fact base for the next run; any failure just means no cache."""
    blobs: list[bytes] = []
    offset = 0

    def add(value: object) -> tuple[int, int]:
        nonlocal offset
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        blobs.append(blob)
        span = (offset, len(blob))
        offset += len(blob)
        return span

    states = {
        iso3: add((country, base.events.get(iso3, ()), base.reasons.get(iso3, ()),
                   base.conflicts.get(iso3, ())))
        for iso3, country in base.countries.items()
    }
    funding = add((base.donors, base.totals, base.contributions, base.funding_events))
    head = pickle.dumps(
        {"meta": base.meta, "treaties": base.treaties, "sources": base.sources,
         "names": base.names, "states": states, "funding": funding},
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    import tempfile  # only a cold run writes

    target = _file_for(root)
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=_SUFFIX)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key + b"\n" + str(len(head)).encode() + b"\n" + head)
            handle.writelines(blobs)
        os.replace(tmp, target)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def clear() -> list[Path]:
    """Remove every cached fact base; the files removed."""
    removed = []
    try:
        candidates = list(cache_dir().glob(f"{_PREFIX}*{_SUFFIX}"))
    except OSError:
        return removed
    for path in candidates:
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed
