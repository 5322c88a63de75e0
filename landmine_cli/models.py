"""The records of the fact base, one class per kind of TOML record, and the enums they use.

The records are frozen standard-library dataclasses that pydantic v2 validates (see
``store.py``): the same classes serve the cold path, where TOML is parsed and validated,
and the warm path, where records come back from the cache without pydantic ever being
imported. ``__pydantic_config__`` makes unknown keys errors. No I/O happens here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

# Read by pydantic when it builds a validator for a record; a plain dict, so that this
# module does not import pydantic.
STRICT = {"extra": "forbid", "strict": True}


class EventType(StrEnum):
    SIGNED = "signed"
    RATIFIED = "ratified"
    ACCEDED = "acceded"
    ACCEPTED = "accepted"
    APPROVED = "approved"
    SUCCEEDED = "succeeded"
    ENTERED_INTO_FORCE = "entered_into_force"
    WITHDRAWAL_ANNOUNCED = "withdrawal_announced"
    WITHDRAWAL_APPROVED = "withdrawal_approved"
    WITHDRAWAL_DEPOSITED = "withdrawal_deposited"
    WITHDRAWAL_EFFECTIVE = "withdrawal_effective"
    SUSPENSION_NOTIFIED = "suspension_notified"
    STATEMENT = "statement"


# The kinds of instrument by which a state consents to be bound (Art. 16 of both treaties,
# plus succession for new states).
CONSENT_TYPES = frozenset(
    {
        EventType.RATIFIED,
        EventType.ACCEDED,
        EventType.ACCEPTED,
        EventType.APPROVED,
        EventType.SUCCEEDED,
    }
)

WITHDRAWAL_TYPES = (
    EventType.WITHDRAWAL_ANNOUNCED,
    EventType.WITHDRAWAL_APPROVED,
    EventType.WITHDRAWAL_DEPOSITED,
    EventType.WITHDRAWAL_EFFECTIVE,
)


class Status(StrEnum):
    PARTY = "party"
    JOINING = "joining"
    SIGNATORY = "signatory"
    WITHDRAWING = "withdrawing"
    WITHDRAWN = "withdrawn"
    NOT_JOINED = "not_joined"
    UNKNOWN = "unknown"


class FundingEventType(StrEnum):
    FREEZE = "freeze"
    STOP_WORK = "stop_work"
    REVIEW = "review"
    WAIVER = "waiver"
    RESTART = "restart"
    CUT = "cut"
    BUDGET = "budget"
    STATEMENT = "statement"


@dataclass(frozen=True, slots=True)
class Meta:
    __pydantic_config__ = STRICT
    facts_as_of: dt.date
    title: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    __pydantic_config__ = STRICT
    id: str
    publisher: str
    title: str
    url: str
    published: dt.date | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Treaty:
    """A treaty and the parameters of its rules (the rules themselves live in law.py)."""

    __pydantic_config__ = STRICT
    id: str
    short_name: str
    name: str
    aliases: tuple[str, ...]
    adopted: dt.date
    opened_for_signature: dt.date
    entered_into_force: dt.date
    depositary: str
    entry_into_force_article: str
    entry_into_force_months: int
    withdrawal_article: str
    withdrawal_months: int
    withdrawal_waits_for_armed_conflict: bool
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Country:
    __pydantic_config__ = STRICT
    iso3: str
    iso2: str
    name: str
    # The treaties for which this record's events have been researched in full; for any
    # other treaty the state's status is "unknown", because absence of data is not a fact.
    complete_for: tuple[str, ...]
    # Sources for the codes and names, and for the completeness claimed by complete_for.
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    __pydantic_config__ = STRICT
    treaty: str
    type: EventType
    date: dt.date
    sources: tuple[str, ...]
    note: str | None = None
    # Why this date departs from the treaty rule (e.g. a successor state bound from
    # independence); the event's sources must support it.
    rule_exception: str | None = None
    # Set when no source seen states this exact fact (e.g. an entry-into-force date derived
    # from a sourced deposit date under Art. 17): says why it is not verified.
    unverified: str | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    __pydantic_config__ = STRICT
    treaty: str
    date: dt.date
    summary: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    """A period in which the state is engaged in an armed conflict (APMBC/CCM Art. 20(3))."""

    __pydantic_config__ = STRICT
    start: dt.date
    description: str
    sources: tuple[str, ...]
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CountryFile:
    __pydantic_config__ = STRICT
    country: Country
    events: tuple[Event, ...] = ()
    reasons: tuple[Reason, ...] = ()
    conflicts: tuple[Conflict, ...] = ()


@dataclass(frozen=True, slots=True)
class Donor:
    __pydantic_config__ = STRICT
    id: str
    name: str
    iso3: str | None = None


@dataclass(frozen=True, slots=True)
class FundingTotal:
    """All international mine-action support in one year, as a published total."""

    __pydantic_config__ = STRICT
    year: int
    amount_usd: int
    sources: tuple[str, ...]
    donors: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Contribution:
    __pydantic_config__ = STRICT
    donor: str
    year: int
    amount_usd: int
    sources: tuple[str, ...]
    # The donor's share of all international support in percent, as a source states it;
    # used only when no yearly total is recorded to compute it from.
    share_pct: float | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class FundingEvent:
    __pydantic_config__ = STRICT
    date: dt.date
    type: FundingEventType
    summary: str
    sources: tuple[str, ...]
    # None when the event concerns mine-action funding as a whole.
    donor: str | None = None


@dataclass(frozen=True, slots=True)
class FundingFile:
    __pydantic_config__ = STRICT
    donors: tuple[Donor, ...] = ()
    totals: tuple[FundingTotal, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    events: tuple[FundingEvent, ...] = ()


@dataclass(frozen=True, slots=True)
class TreatiesFile:
    __pydantic_config__ = STRICT
    treaties: tuple[Treaty, ...]


@dataclass(frozen=True, slots=True)
class SourcesFile:
    __pydantic_config__ = STRICT
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class FactBase:
    """The whole validated fact base, indexed for lookups."""

    meta: Meta
    treaties: dict[str, Treaty]
    sources: dict[str, Source]
    countries: dict[str, Country]
    # Per country (ISO alpha-3), in date order.
    events: dict[str, tuple[Event, ...]]
    reasons: dict[str, tuple[Reason, ...]]
    conflicts: dict[str, tuple[Conflict, ...]]
    donors: dict[str, Donor] = field(default_factory=dict)
    totals: tuple[FundingTotal, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    funding_events: tuple[FundingEvent, ...] = ()

    def treaty_events(self, iso3: str, treaty: str) -> tuple[Event, ...]:
        return tuple(e for e in self.events.get(iso3, ()) if e.treaty == treaty)
