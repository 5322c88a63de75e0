"""Calendar arithmetic and the date forms people type (YYYY, YYYY-MM, YYYY-MM-DD, 2025-3,
today), with a note of what was understood when the text was not ISO 8601."""

from __future__ import annotations

import datetime as dt
import os
import re

from .errors import UsageError
from .record import Record

_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# Year first, with one-digit months or days, or / or . between the parts: 2025-3, 2025/3/5.
_LOOSE = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")
# Day or month first (03/04/2025): which is which cannot be known.
_AMBIGUOUS = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{4}")
# Words for days, as days before today.
_RELATIVE = {"today": 0, "yesterday": 1}
# In English whatever the locale (strftime's %B follows LC_TIME).
_MONTHS = ("January February March April May June July August September October November "
           "December").split()


TODAY_VAR = "LANDMINE_TODAY"


def today() -> dt.date:
    """The day the tool answers for when no date is given: $LANDMINE_TODAY (YYYY-MM-DD) if set,
    else the real current date. The one place that reads the clock, so that subprocess tests
    and the README's examples can pin "today" (as congress-legislators' validator reads NOW=).

    Raises UsageError (exit 2) if $LANDMINE_TODAY is set but is not a full calendar date.
    """
    pinned = os.environ.get(TODAY_VAR)
    if not pinned:
        return dt.date.today()
    match = _PARTIAL.fullmatch(pinned.strip())
    if not match or match[3] is None:
        raise UsageError(f"${TODAY_VAR}: {pinned!r} must be a full date, YYYY-MM-DD")
    return parse_date(pinned, f"${TODAY_VAR}")


class Reading(Record):
    """A date as typed, understood: `day` is the date, `precision` how much the text gave
    ("year", "month" or "day"), and `note` says what was understood ("Read --on 2025-3 as
    2025-03-31 (end of March 2025).") when the text was not already ISO 8601 (YYYY, YYYY-MM,
    YYYY-MM-DD), else None."""

    day: dt.date
    precision: str
    note: str | None


def read_date(text: str, option: str, *, end: bool = False) -> Reading:
    """Read a date as people type it, as the first day of the period it names (the last,
    with end): YYYY, YYYY-MM and YYYY-MM-DD (ISO 8601), the same with one-digit months or
    days or with / or . between the parts (2025-3, 2025/3/5), and today or yesterday
    (dates.today(), so $LANDMINE_TODAY pins them too).

    Raises UsageError (exit 2) for anything else, naming `option`: a date that does not
    exist, or day-first and month-first forms such as 03/04/2025, which are ambiguous."""
    typed = text.strip()
    word = typed.casefold()
    if word in _RELATIVE:
        day = today() - dt.timedelta(days=_RELATIVE[word])
        return Reading(day, "day", f"Read {option} {typed} as {day.isoformat()}.")
    if _AMBIGUOUS.fullmatch(typed):
        raise UsageError(f"{option}: {text!r} could be day-first or month-first; "
                         "write it year first, YYYY-MM-DD")
    match = _PARTIAL.fullmatch(typed) or _LOOSE.fullmatch(typed)
    if not match:
        raise UsageError(f"{option}: {text!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD "
                         "(or today)")
    year, month, day = match.groups()
    try:
        if day is not None:
            reading = Reading(dt.date(int(year), int(month), int(day)), "day", None)
        elif month is not None:
            last = days_in_month(int(year), int(month)) if end else 1
            reading = Reading(dt.date(int(year), int(month), last), "month", None)
        else:
            reading = Reading(dt.date(int(year), 12, 31) if end else dt.date(int(year), 1, 1), "year", None)
    except ValueError:
        raise UsageError(f"{option}: {text!r} is not a calendar date") from None
    if _PARTIAL.fullmatch(typed):
        return reading
    understood = f"Read {option} {typed} as {reading.day.isoformat()}"
    if reading.precision == "month":
        edge = "end" if end else "start"
        understood += f" ({edge} of {_MONTHS[reading.day.month - 1]} {reading.day.year})"
    return reading._replace(note=understood + ".")


def parse_date(text: str, option: str, *, end: bool = False) -> dt.date:
    """The date of read_date(text, option, end=end), without the note. Raises UsageError."""
    return read_date(text, option, end=end).day


def days_in_month(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = days_in_month(year, month + 1)
    return dt.date(year, month + 1, min(day.day, last))


def first_of_month_after(day: dt.date, months: int) -> dt.date:
    """The first day of the `months`-th month after the month of `day`."""
    return add_months(day.replace(day=1), months)
