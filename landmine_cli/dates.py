"""Calendar arithmetic and the date forms people type (YYYY, YYYY-MM, YYYY-MM-DD)."""

from __future__ import annotations

import datetime as dt
import os
import re

from .errors import UsageError

_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


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
    if len(pinned.strip()) != 10:
        raise UsageError(f"${TODAY_VAR}: {pinned!r} must be a full date, YYYY-MM-DD")
    return parse_date(pinned, f"${TODAY_VAR}")


def parse_date(text: str, option: str, *, end: bool = False) -> dt.date:
    """Read YYYY, YYYY-MM or YYYY-MM-DD as the first day of that period (or the last, with end)."""
    match = _PARTIAL.fullmatch(text.strip())
    if not match:
        raise UsageError(f"{option}: {text!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        if day is not None:
            return dt.date(int(year), int(month), int(day))
        if month is not None:
            last = days_in_month(int(year), int(month)) if end else 1
            return dt.date(int(year), int(month), last)
        return dt.date(int(year), 12, 31) if end else dt.date(int(year), 1, 1)
    except ValueError:
        raise UsageError(f"{option}: {text!r} is not a calendar date") from None


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
