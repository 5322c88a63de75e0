"""The sentences that explain the treaty rules of law.py to people, beside the law.

Each function takes the treaty (for its article names and periods) and what law.py derived,
and returns the note the commands print; none reads the fact base.
"""

from __future__ import annotations

import datetime as dt

from .law import WithdrawalProgress
from .models import Event, EventType, Status, Treaty

_NUMBERS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def months(count: int) -> str:
    """A period in words: "one month", "six months", "13 months". Raises nothing."""
    words = _NUMBERS[count] if count < len(_NUMBERS) else str(count)
    return f"{words} month" if count == 1 else f"{words} months"


def withdrawal_note(treaty: Treaty, progress: WithdrawalProgress) -> str | None:
    """Why a withdrawal has not (yet) taken effect, as one sentence without a final stop;
    None once it has. Raises nothing."""
    if progress.effective is not None:
        return None
    period = months(treaty.withdrawal_months)
    if progress.dates["deposited"] is None:
        return (
            "no instrument of withdrawal has reached the depositary; the "
            f"{period} of {treaty.withdrawal_article} start only then"
        )
    effect = progress.effect
    if effect is not None and effect.conflict is not None and progress.expected is None:
        return (
            f"engaged in an armed conflict when the {period} "
            f"expired on {effect.six_months}: under {treaty.withdrawal_article} the "
            "withdrawal cannot take effect before that conflict ends; still a party"
        )
    return (
        f"takes effect on {progress.expected}, {period} after the "
        f"depositary received the instrument ({treaty.withdrawal_article}); "
        "still a party until then"
    )


def suspension_note(treaty: Treaty, status: Status) -> str:
    """What a notified suspension means (nothing, in law), with the state's status. Raises nothing."""
    return (
        f"a suspension is not a withdrawal under {treaty.withdrawal_article}, which the "
        f"treaty alone provides for; it changes no status (status: {status})"
    )


def derived_note(treaty: Treaty, cause: Event | None) -> str:
    """Which article gave the date of a transition no event records, and from which deposit.
    Raises nothing."""
    article = (
        treaty.withdrawal_article
        if cause is not None and cause.type is EventType.WITHDRAWAL_DEPOSITED
        else treaty.entry_into_force_article
    )
    base = f"date given by {article}"
    return base if cause is None else f"{base} from the {cause.type} of {cause.date}"


# How a predecessor's status reads after "part of X, ".
_STATUS_WORDS = {
    Status.PARTY: "a party",
    Status.WITHDRAWING: "a party (withdrawing)",
    Status.JOINING: "joining (consent deposited, not yet in force)",
    Status.SIGNATORY: "a signatory",
    Status.WITHDRAWN: "withdrawn",
    Status.NOT_JOINED: "not a party",
    Status.NOT_A_STATE: "not a state",
    Status.UNKNOWN: "of unknown status",
}


def not_a_state_note(
    name: str,
    statehood: dt.date,
    part_of: tuple[str, Status] | None,
    successor: tuple[dt.date, Event] | None,
) -> str:
    """Why a state has no status under a treaty before its statehood, as one sentence without
    a final stop. `part_of` is the name of the state it was part of and that state's status
    on the day, or None; `successor` is, for a state that notified succession, the day it was
    first bound and the succession event (None when it did not succeed). Raises nothing."""
    text = f"not yet a state: {name} came into being on {statehood}"
    if part_of is not None:
        text += f"; until then part of {part_of[0]}, {_STATUS_WORDS[part_of[1]]}"
    if successor is not None:
        bound, event = successor
        if bound <= statehood:
            text += f"; as a successor state {name} is recorded as bound from independence"
        else:
            text += (
                f"; the facts do not record {name} as bound from independence: its succession "
                f"of {event.date} took effect on {bound}"
            )
    return text


def became_state_note(name: str, part_of: str | None) -> str:
    """The note of a state's first day, as one sentence without a final stop. Raises nothing."""
    text = f"{name} came into being"
    return text if part_of is None else f"{text}; until then it was part of {part_of}"


# --- obligations ----------------------------------------------------------------------------

def obligation_countdown(found, obligation) -> str:
    """Where an obligation stands, in a few words: "in 123 days", "overdue by 4 days",
    "passed 2025-03-01, later decisions not found", "completed", ... Raises nothing."""
    status = found.status
    if status == "completed":
        return "completed"
    if status == "no_stockpile":
        return "nothing to destroy (no stockpile declared)"
    if status == "ended_by_withdrawal":
        return f"obligation ended: withdrawal effective {found.ended}"
    if status == "deadline_unknown":
        return "extended; the new deadline is not recorded"
    if status == "due":
        days = found.days_left
        return "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")
    if status == "overdue":
        days = found.days_overdue
        return f"overdue by {days} day" + ("" if days == 1 else "s")
    return f"passed {found.current_deadline}, later decisions not found"


def obligation_remark(treaty, found, suspended) -> str | None:
    """What a withdrawal or a suspension means for the obligation, or None. Raises nothing."""
    if found.ended is not None:
        return (f"the withdrawal took effect on {found.ended} ({treaty.withdrawal_article}); "
                "the obligation ended with it")
    if suspended is not None:
        return (f"suspension notified on {suspended}: not a withdrawal under "
                f"{treaty.withdrawal_article}, so the obligation still stands")
    if found.assumed:
        return "an extension's grant day is not recorded; it is counted from the deadline it extends"
    return None


def extension_note(obligation, extension) -> str:
    """One sentence for an extension granted: by whom and to when. Raises nothing."""
    by = f" by the {extension.granted_by}" if extension.granted_by else ""
    to = f" to {extension.new_deadline}" if extension.new_deadline else " (new deadline not recorded)"
    return f"{obligation.article} deadline extended{by}{to}"
