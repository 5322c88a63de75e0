"""Domain errors, each carrying the exit code the CLI turns it into.

Exit codes (documented in README): 0 success, 2 bad usage (unknown country, treaty, donor
or date; a file that is not a UN status page; an argument that is not valid UTF-8), 3 invalid
fact data (a duplicate record included), 4 the fact base disagrees with the UN depositary's
record (`landmine verify`), 5 a file cannot be written (permission denied, read-only, not a
regular file, the facts folder busy), 130 interrupted.

A reader that stops early (`landmine timeline | head -1`) ends the run quietly with 0
(`EXIT_PIPE`), whatever the format and the size of the answer. Not 141 (a death by
SIGPIPE): an answer small enough to fit the pipe's buffer is written in full before the
reader goes away, so the tool cannot tell that case apart, and only 0 is the same for all.
"""

from __future__ import annotations

from .record import Record


EXIT_USAGE = 2
EXIT_DATA = 3
EXIT_DISAGREE = 4
EXIT_WRITE = 5
EXIT_PIPE = 0


class LandmineError(Exception):
    """Base class: a message for people and the exit code for scripts."""

    exit_code = 1

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions


class UsageError(LandmineError):
    """The user asked for something that does not exist or cannot be parsed."""

    exit_code = EXIT_USAGE


class Problem(Record):
    """One defect in the fact base, located as precisely as the file allows."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class FactsError(LandmineError):
    """The fact base cannot be used; carries every problem found, not only the first."""

    exit_code = EXIT_DATA

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"the fact base has {count} {noun}")
        self.problems = problems


class WriteError(LandmineError):
    """A file could not be written (nothing was changed); the message names the file."""

    exit_code = EXIT_WRITE
