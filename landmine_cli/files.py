"""Writing files so that a crash at any moment leaves either the old file or the new one.

The one atomic-write helper, shared by `landmine add` (edit.py), the fact cache and the
exports. A leaf module: it imports nothing of the package.

A write goes *through* symbolic links: the file a link points to is replaced and the link
stays. Anything but a regular file (a folder, a pipe, a device) is refused, never
replaced. Every failure is an OSError whose `filename` is the path the caller gave, never
an internal temporary file.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFile(OSError):
    """The path names something other than a regular file, which a write must not replace."""


def target_of(path: Path) -> Path:
    """The file a write to `path` replaces: `path`, or where its symbolic links lead.

    Raises NotRegularFile (naming `path`) if that exists and is not a regular file.
    """
    real = Path(os.path.realpath(path))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        try:
            # /dev/stdout on a pipe resolves to "pipe:[...]", a path that does not exist;
            # following the link itself finds the pipe.
            mode = os.stat(path).st_mode
        except OSError:
            return real
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a file")
        raise NotRegularFile(errno.EINVAL, f"not a regular file ({kind})", str(path))
    return real


def write_atomic(path: Path, text: str | bytes) -> None:
    """Replace the file at `path` (through links) with `text`; a crash leaves the old or
    the new file. A file the user made read-only is refused, not replaced."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    replace_atomic(path, lambda handle: handle.write(data))


def replace_atomic(path: Path, fill: Callable, sync: bool = True) -> None:
    """Replace the file at `path` with one that `fill(handle)` writes (binary handle)."""
    try:
        target = target_of(path)
        exists = target.exists()
        if exists and not os.access(target, os.W_OK):
            raise PermissionError(errno.EACCES, "Permission denied (the file is read-only)", str(path))
        mode = stat.S_IMODE(target.stat().st_mode) if exists else 0o644 & ~_umask()
        # The temporary name does not end in .toml, so the loader never reads a leftover one.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except NotRegularFile:
        raise
    except OSError as err:
        raise _named(err, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise _named(err, path) from None
        raise
    _sync_folder(target.parent)


def _named(err: OSError, path: Path) -> OSError:
    """The same error, naming the user's path instead of a temporary file."""
    named = OSError(err.errno, err.strerror or str(err), str(path))
    if err.errno in (errno.EACCES, errno.EPERM):
        named = PermissionError(err.errno, err.strerror or str(err), str(path))
    return named


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _sync_folder(folder: Path) -> None:
    # Makes the rename itself durable; some file systems cannot sync a folder.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
