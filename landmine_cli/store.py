"""Finds the facts folder, reads and parses its TOML files, validates them with pydantic,
cross-checks them (checks.py) and builds the FactBase. Raises domain errors; never prints.
The folder's layout is described in layout.py (and facts/README.md).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import FactsError, Problem, UsageError
from .layout import (
    COUNTRY_DIR,
    ENV_VAR,
    MAX_FILE_BYTES,
    OPTIONAL_FILES,
    SINGLE_FILES,
    country_file_names,
)
from .models import CountryFile, FactBase
from .positions import Origin, Parsed


def _bundled() -> Path:
    # The wheel puts the facts inside the package (pyproject.toml); a plain path is enough
    # and spares start-up the import of importlib.resources and zipfile.
    return Path(__file__).resolve().parent / "facts"


def facts_dir(option: str | None = None) -> Path:
    """The facts folder: --facts, else $LANDMINE_FACTS, else the one shipped in the package."""
    chosen = option or os.environ.get(ENV_VAR)
    if chosen:
        return Path(chosen)
    bundled = _bundled()
    if bundled.is_dir():
        return bundled
    # Running from a source checkout: the facts sit beside the package.
    return Path(__file__).resolve().parent.parent / "facts"


def is_bundled(root: Path) -> bool:
    """Whether `root` is the copy of the facts installed inside the package."""
    return root.resolve() == _bundled().resolve()


def shown_root(root: Path) -> str:
    """The facts folder as the user can open it from where they stand: relative to the
    current folder when it lies inside it ("facts"), else as given ("../data/facts", or an
    absolute path). Problems and messages name files under it ("facts/countries/fin.toml").
    Raises nothing."""
    if not root.is_absolute():
        return os.path.normpath(root)
    try:
        return str(root.relative_to(Path.cwd()))
    except (ValueError, OSError):  # outside the current folder, or that folder is gone
        return str(root)


def fact_files(root: Path, parsed: Parsed) -> list[str]:
    """The relative paths of the fact files of a folder, in a stable order.

    Required files are listed even when missing (the loader reports them); a countries
    folder that cannot be listed is reported here.
    """
    names = list(SINGLE_FILES)
    country_dir = root / COUNTRY_DIR
    if not (country_dir.exists() or country_dir.is_symlink()):
        return names
    try:
        entries = country_file_names(country_dir)
    except OSError as err:
        reason = err.strerror or str(err)
        parsed.problems.append(Problem(f"{parsed.label}/{COUNTRY_DIR}", None, "", f"cannot read folder: {reason}"))
        return names
    return names + [f"{COUNTRY_DIR}/{name}" for name in entries]


def read_folder(root: Path, overrides: Mapping[str, str] | None = None) -> Parsed:
    """Read, parse and validate every file; collect every problem instead of stopping.

    `overrides` maps relative paths to the text they would have, so that a change can be
    validated as part of the whole fact base before anything is written.
    """
    if not root.exists():
        raise UsageError(f"facts folder {str(root)!r} does not exist")
    if not root.is_dir():
        raise UsageError(f"facts folder {str(root)!r} is not a folder")
    overrides = dict(overrides or {})
    parsed = Parsed(label=shown_root(root))
    names = fact_files(root, parsed)
    names += sorted(set(overrides) - set(names))
    for rel in names:
        shown = f"{parsed.label}/{rel}"
        if rel in overrides:
            text = overrides[rel]
        elif rel in OPTIONAL_FILES and not (root / rel).exists() and not (root / rel).is_symlink():
            continue
        else:
            text = _read(root / rel, shown, rel in SINGLE_FILES, parsed)
        if text is None:
            continue
        parsed.texts[shown] = text
        data = _parse(text, shown, parsed)
        if data is not None:
            record = _validate(data, _record_class(rel), shown, parsed)
            if record is not None:
                parsed.records[shown] = record
    return parsed


def _record_class(rel: str) -> type:
    return SINGLE_FILES.get(rel, CountryFile)


def _read(path: Path, shown: str, required: bool, parsed: Parsed) -> str | None:
    """The text of one fact file, or None with the reason recorded as a problem."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if required:
            parsed.problems.append(Problem(shown, None, "", "required file is missing"))
        else:  # a dangling symbolic link
            parsed.problems.append(Problem(shown, None, "", "cannot read file: it points nowhere"))
        return None
    except OSError as err:
        parsed.problems.append(Problem(shown, None, "", f"cannot read file: {err.strerror or err}"))
        return None
    if not stat.S_ISREG(info.st_mode):
        # Directories, pipes and devices: reading them fails or blocks forever.
        parsed.problems.append(Problem(shown, None, "", "not a regular file"))
        return None
    if info.st_size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 2**20
        parsed.problems.append(Problem(shown, None, "", f"file is larger than {limit} MiB"))
        return None
    try:
        raw = path.read_bytes()
    except OSError as err:
        parsed.problems.append(Problem(shown, None, "", f"cannot read file: {err.strerror or err}"))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        parsed.problems.append(Problem(shown, line, "", "file is not valid UTF-8"))
        return None


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def _parse(text: str, shown: str, parsed: Parsed) -> dict[str, Any] | None:
    # tomli, the project tomllib was taken from, ships compiled wheels: parsing the fact
    # base on a cold run takes about half the time of the pure-Python tomllib. Held below
    # 2.4 (pyproject.toml), so it reads TOML 1.0 as tomllib does.
    import tomli

    if text.startswith("\ufeff"):
        parsed.problems.append(Problem(shown, 1, "", "file starts with a UTF-8 byte-order mark "
                                       "(U+FEFF), which TOML does not allow; remove it"))
        return None
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as err:
        message = str(err)
        position = _TOML_POSITION.search(message)
        line = int(position.group(1)) if position else None
        if message.endswith("(at end of document)"):
            line = max(1, len(text.splitlines()))
        detail = _TOML_POSITION.sub("", message).replace("(at end of document)", "").strip()
        if position:
            detail = f"{detail} (column {position.group(2)})"
        parsed.problems.append(Problem(shown, line, "", f"TOML syntax error: {detail}"))
        return None


def _arrays_as_tuples(value: Any) -> Any:
    # TOML arrays arrive as lists; the records hold tuples, and strict mode takes only those.
    if isinstance(value, list):
        return tuple(_arrays_as_tuples(item) for item in value)
    if isinstance(value, dict):
        return {key: _arrays_as_tuples(item) for key, item in value.items()}
    return value


# What tomli gives for each TOML value, named as the TOML spec names it.
_TOML_KINDS = (
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a float"),
    (str, "a string"),
    (dt.datetime, "a date-time"),
    (dt.date, "a date"),
    (dt.time, "a time"),
    (tuple, "an array"),
    (dict, "a table"),
)
# Strict type errors, said in TOML's words: "must be a TOML date, not a string".
_EXPECTED = {
    "date_type": "a TOML date such as 2012-01-09 (no quotes, no time)",
    "string_type": "a string",
    "int_type": "an integer",
    "float_type": "a number",
    "bool_type": "a boolean (true or false)",
    "tuple_type": "an array",
}


def _kind(value: Any) -> str:
    return next((name for cls, name in _TOML_KINDS if isinstance(value, cls)), type(value).__name__)


_MESSAGES = {
    "missing": "required key is missing",
    "unexpected_keyword_argument": "unknown key",
    "extra_forbidden": "unknown key",
}


def _message(error: Any) -> str:
    kind = error["type"]
    if kind in _EXPECTED:
        return f"must be {_EXPECTED[kind]}, not {_kind(error['input'])}"
    return _MESSAGES.get(kind, error["msg"])


def _validate(data: dict[str, Any], cls: type, shown: str, parsed: Parsed) -> Any:
    """Validate one parsed file, as the Python values tomli gives, in strict mode.

    The values themselves are checked, not a JSON rendering of them: a date must be a
    TOML date (not a string that looks like one, nor a date-time), a string a string, an
    integer an integer (never a boolean); every range and text rule sits in models.py.
    """
    from pydantic import ValidationError

    adapter = _adapter(cls)
    try:
        return adapter.validate_python(_arrays_as_tuples(data))
    except ValidationError as err:
        for error in err.errors():
            table, index, key = _split_loc(error["loc"])
            origin = Origin(shown, table, index)
            message = _message(error)
            line = parsed.line_of(origin, key.split("[")[0] if key else None)
            field_name = key or table
            parsed.problems.append(Problem(shown, line, field_name, message))
        return None


_ADAPTERS: dict[type, Any] = {}


def _adapter(cls: type) -> Any:
    """A strict validator for one kind of file (named tuples forbid unknown keys)."""
    if cls not in _ADAPTERS:
        from pydantic import ConfigDict, TypeAdapter

        _ADAPTERS[cls] = TypeAdapter(cls, config=ConfigDict(strict=True))
    return _ADAPTERS[cls]


def _split_loc(loc: tuple[Any, ...]) -> tuple[str, int | None, str]:
    """('events', 3, 'sources', 0) -> ('events', 3, 'sources[0]')."""
    parts = list(loc)
    table = str(parts.pop(0)) if parts else ""
    index = parts.pop(0) if parts and isinstance(parts[0], int) else None
    key = ""
    for part in parts:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    if not key and table and index is None and not isinstance(loc[-1], int) and len(loc) == 1:
        # A top-level key of a file (e.g. meta.toml's facts_as_of).
        return "", None, table
    return table, index, key


def check(root: Path, overrides: Mapping[str, str] | None = None) -> tuple[FactBase | None, list[Problem]]:
    """Read, validate and cross-check a facts folder: the fact base (if complete) and every problem."""
    from .checks import build

    parsed = read_folder(root, overrides)
    base, problems = build(parsed)
    return base, parsed.problems + problems


def load_state(root: Path, name: str, use_cache: bool = True) -> tuple[FactBase, str]:
    """The fact base (possibly holding only that state) and the ISO alpha-3 code of the
    state `name` names; UsageError with suggestions if none does."""
    from .countries import resolve, variants

    if use_cache and root.is_dir():
        from . import cache

        key = cache.fingerprint(root)
        for form in variants(name):
            found = cache.read_state(root, key, form)
            if found is not None:
                return found
    base = load(root, use_cache)
    return base, resolve(name, base)


def load(root: Path, use_cache: bool = True) -> FactBase:
    """The fact base of a folder; FactsError lists every problem if there is any.

    A valid fact base is cached (cache.py), so later runs skip parsing and validation
    until a fact file changes.
    """
    if not root.is_dir():
        read_folder(root)  # raises the right UsageError
    if use_cache:
        from . import cache

        key = cache.fingerprint(root)
        cached = cache.read(root, key)
        if cached is not None:
            return cached
    base, problems = check(root)
    if problems or base is None:
        raise FactsError(problems)
    if use_cache:
        cache.write(root, key, base)
    return base
