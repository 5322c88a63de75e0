"""The records of the fact base, one class per kind of TOML record, and the enums they use.

The records are immutable named tuples that pydantic v2 validates (see ``store.py``, strict,
unknown keys forbidden): the same classes serve the cold path, where TOML is parsed and
validated, and the warm path, where records come back from the cache. Named tuples rather
than dataclasses because start-up time is a feature: seventeen frozen dataclasses take
about 12 ms to create at import, named tuples about 2 ms, and they pickle smaller and
faster. No I/O happens here.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import NamedTuple

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


class Meta(NamedTuple):
    facts_as_of: dt.date
    title: str
    note: str | None = None


class Source(NamedTuple):
    id: str
    publisher: str
    title: str
    url: str
    published: dt.date | None = None
    note: str | None = None


class Treaty(NamedTuple):
    """A treaty and the parameters of its rules (the rules themselves live in law.py)."""

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


class Country(NamedTuple):
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


class Event(NamedTuple):
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


class Reason(NamedTuple):
    treaty: str
    date: dt.date
    summary: str
    sources: tuple[str, ...]


class Conflict(NamedTuple):
    """A period in which the state is engaged in an armed conflict (APMBC/CCM Art. 20(3))."""

    start: dt.date
    description: str
    sources: tuple[str, ...]
    end: dt.date | None = None


class CountryFile(NamedTuple):
    country: Country
    events: tuple[Event, ...] = ()
    reasons: tuple[Reason, ...] = ()
    conflicts: tuple[Conflict, ...] = ()


class StateKind(NamedTuple):
    """A kind of record kept per state: the [[name]] array of countries/<iso3>.toml, which is
    also the CountryFile and FactBase field and the export table of that name."""

    name: str
    record: type
    # The export's link table to sources is <singular>_sources, with a <singular> column.
    singular: str
    # The exported columns after id and iso3, in order (every field but sources).
    columns: tuple[str, ...]


# Every per-state record kind. checks.py cross-checks their sources and treaties and
# assembles them into the FactBase, and export.py writes a table for each, from this list.
STATE_KINDS = (
    StateKind("events", Event, "event", ("treaty", "type", "date", "note", "rule_exception", "unverified")),
    StateKind("reasons", Reason, "reason", ("treaty", "date", "summary")),
    StateKind("conflicts", Conflict, "conflict", ("start", "end", "description")),
)


class Donor(NamedTuple):
    id: str
    name: str
    iso3: str | None = None


class FundingTotal(NamedTuple):
    """All international mine-action support in one year, as a published total."""

    year: int
    amount_usd: int
    sources: tuple[str, ...]
    donors: int | None = None
    note: str | None = None


class Contribution(NamedTuple):
    donor: str
    year: int
    amount_usd: int
    sources: tuple[str, ...]
    # The donor's share of all international support in percent, as a source states it;
    # used only when no yearly total is recorded to compute it from.
    share_pct: float | None = None
    note: str | None = None


class FundingEvent(NamedTuple):
    date: dt.date
    type: FundingEventType
    summary: str
    sources: tuple[str, ...]
    # None when the event concerns mine-action funding as a whole.
    donor: str | None = None


class FundingFile(NamedTuple):
    donors: tuple[Donor, ...] = ()
    totals: tuple[FundingTotal, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    events: tuple[FundingEvent, ...] = ()


class TreatiesFile(NamedTuple):
    treaties: tuple[Treaty, ...]


class SourcesFile(NamedTuple):
    sources: tuple[Source, ...]


class FactBase(NamedTuple):
    """The whole validated fact base, indexed for lookups."""

    meta: Meta
    treaties: dict[str, Treaty]
    sources: dict[str, Source]
    countries: dict[str, Country]
    # Per country (ISO alpha-3), in date order.
    events: dict[str, tuple[Event, ...]]
    reasons: dict[str, tuple[Reason, ...]]
    conflicts: dict[str, tuple[Conflict, ...]]
    donors: dict[str, Donor]
    totals: tuple[FundingTotal, ...]
    contributions: tuple[Contribution, ...]
    funding_events: tuple[FundingEvent, ...]
    # Every code, name and alias, normalised (countries.normalize) -> ISO alpha-3.
    names: dict[str, str]

    def treaty_events(self, iso3: str, treaty: str) -> tuple[Event, ...]:
        return tuple(e for e in self.events.get(iso3, ()) if e.treaty == treaty)
