"""The records of the fact base, one class per kind of TOML record, and the enums they use.

The records are immutable named tuples that pydantic v2 validates (see ``store.py``, strict,
unknown keys forbidden): the same classes serve the cold path, where TOML is parsed and
validated, and the warm path, where records come back from the cache. Named tuples rather
than dataclasses because start-up time is a feature: seventeen frozen dataclasses take
about 12 ms to create at import, named tuples about 2 ms, and they pickle smaller and
faster. No I/O happens here.

Every field states its range with `Annotated[...]` markers (`Day`, `Year`, `Amount`,
`Line`, `Text`, ...). The markers are small classes that pydantic asks for their schema
only when it validates (the cold path), so importing this module does not import
pydantic: warm runs never pay for it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, NamedTuple

# The range every date of the fact base must lie in: the treaties date from 1997 and 2008,
# but a source or an armed conflict may be older; nothing is dated beyond this century.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
# SQLite stores integers as signed 64-bit values; `export` must never meet a larger one.
INT64_MAX = 2**63 - 1


class Range:
    """Annotated marker: the value must lie in [low, high] (checked after its type)."""

    __slots__ = ("low", "high")

    def __init__(self, low: Any, high: Any) -> None:
        self.low, self.high = low, high

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import PydanticCustomError, core_schema

        low, high = self.low, self.high

        def check(value: Any) -> Any:
            if not low <= value <= high:  # also false for NaN
                raise PydanticCustomError(
                    "out_of_range", "{value} is out of range: must be from {low} to {high}",
                    {"value": str(value), "low": str(low), "high": str(high)},
                )
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))


# C0 controls, DEL and C1 controls: none belongs in a fact, and on a terminal some of
# them (ESC, CSI) are commands. Free text may hold a tab or a line break.
_CONTROLS = frozenset(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)))
_TEXT_CONTROLS = _CONTROLS - {"\t", "\n"}


class Clean:
    """Annotated marker: the string holds no control characters (free text: tab, newline)."""

    __slots__ = ("refused",)

    def __init__(self, free_text: bool) -> None:
        self.refused = _TEXT_CONTROLS if free_text else _CONTROLS

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import PydanticCustomError, core_schema

        refused = self.refused

        def check(value: str) -> str:
            for position, char in enumerate(value):
                if char in refused:
                    raise PydanticCustomError(
                        "control_character",
                        "holds a control character (U+{code}) at position {position}",
                        {"code": f"{ord(char):04X}", "position": position + 1},
                    )
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))


class Choice:
    """Annotated marker: an enum written as its value (TOML has strings, not enums)."""

    __slots__ = ()

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        members = list(source.__members__.values())
        return core_schema.enum_schema(source, members, sub_type="str", strict=False)


Day = Annotated[dt.date, Range(FIRST_DAY, LAST_DAY)]
Year = Annotated[int, Range(FIRST_DAY.year, LAST_DAY.year)]
Amount = Annotated[int, Range(0, INT64_MAX)]  # whole US dollars
Count = Annotated[int, Range(0, 100_000)]
Months = Annotated[int, Range(1, 120)]  # a treaty's waiting period
Percent = Annotated[float, Range(0.0, 100.0)]
Line = Annotated[str, Clean(free_text=False)]  # names, ids, codes, titles, URLs
Text = Annotated[str, Clean(free_text=True)]  # notes, summaries, descriptions
Ids = tuple[Line, ...]


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
    # What states do with the weapon a treaty bans (not treaty actions: they change no
    # status). The event's `treaty` is the one that bans the weapon: apmbc for
    # anti-personnel mines, ccm for cluster munitions. Named in the Monitor's terms.
    USE_ALLEGED = "use_alleged"
    USE_CONFIRMED = "use_confirmed"
    PRODUCTION_ANNOUNCED = "production_announced"
    PRODUCTION_RESUMED = "production_resumed"
    PRODUCTION_STOPPED = "production_stopped"
    PRODUCTION_REPORTED = "production_reported"
    TRANSFER = "transfer"
    STOCKPILE_STATEMENT = "stockpile_statement"
    POLICY_CHANGE = "policy_change"


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

# Use, production, transfer, stockpile and policy events: conduct concerning the weapon,
# recorded on the state that acted, never a step under the treaty.
CONDUCT_TYPES = frozenset(
    {
        EventType.USE_ALLEGED,
        EventType.USE_CONFIRMED,
        EventType.PRODUCTION_ANNOUNCED,
        EventType.PRODUCTION_RESUMED,
        EventType.PRODUCTION_STOPPED,
        EventType.PRODUCTION_REPORTED,
        EventType.TRANSFER,
        EventType.STOCKPILE_STATEMENT,
        EventType.POLICY_CHANGE,
    }
)
# The conduct events that may name another state (`counterpart`): where a weapon was used,
# to whom it was transferred (required for a transfer).
COUNTERPART_TYPES = frozenset({EventType.USE_ALLEGED, EventType.USE_CONFIRMED, EventType.TRANSFER})

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
    facts_as_of: Day
    title: Line
    note: Text | None = None


class Source(NamedTuple):
    id: Line
    publisher: Line
    title: Line
    url: Line
    published: Day | None = None
    note: Text | None = None


class Treaty(NamedTuple):
    """A treaty and the parameters of its rules (the rules themselves live in law.py)."""

    id: Line
    short_name: Line
    name: Line
    aliases: Ids
    adopted: Day
    opened_for_signature: Day
    entered_into_force: Day
    depositary: Line
    entry_into_force_article: Line
    entry_into_force_months: Months
    withdrawal_article: Line
    withdrawal_months: Months
    withdrawal_waits_for_armed_conflict: bool
    sources: Ids


class Country(NamedTuple):
    iso3: Line
    iso2: Line
    name: Line
    # The treaties for which this record's events have been researched in full; for any
    # other treaty the state's status is "unknown", because absence of data is not a fact.
    complete_for: Ids
    # Sources for the codes and names, and for the completeness claimed by complete_for.
    sources: Ids
    aliases: Ids = ()
    note: Text | None = None


class Event(NamedTuple):
    treaty: Line
    type: Annotated[EventType, Choice()]
    date: Day
    sources: Ids
    note: Text | None = None
    # Why this date departs from the treaty rule (e.g. a successor state bound from
    # independence); the event's sources must support it.
    rule_exception: Text | None = None
    # Set when no source seen states this exact fact (e.g. an entry-into-force date derived
    # from a sourced deposit date under Art. 17): says why it is not verified.
    unverified: Text | None = None
    # For use and transfer events (COUNTERPART_TYPES): the ISO alpha-3 code of the state on
    # whose territory the weapon was used, or that received it.
    counterpart: Line | None = None


class Reason(NamedTuple):
    treaty: Line
    date: Day
    summary: Text
    sources: Ids


class Conflict(NamedTuple):
    """A period in which the state is engaged in an armed conflict (APMBC/CCM Art. 20(3))."""

    start: Day
    description: Text
    sources: Ids
    end: Day | None = None


class CountryFile(NamedTuple):
    country: Country
    events: tuple[Event, ...] = ()
    reasons: tuple[Reason, ...] = ()
    conflicts: tuple[Conflict, ...] = ()


class Donor(NamedTuple):
    id: Line
    name: Line
    iso3: Line | None = None


class FundingTotal(NamedTuple):
    """All international mine-action support in one year, as a published total."""

    year: Year
    amount_usd: Amount
    sources: Ids
    donors: Count | None = None
    note: Text | None = None


class Contribution(NamedTuple):
    donor: Line
    year: Year
    amount_usd: Amount
    sources: Ids
    # The donor's share of all international support in percent, as a source states it;
    # used only when no yearly total is recorded to compute it from.
    share_pct: Percent | None = None
    note: Text | None = None


class FundingEvent(NamedTuple):
    date: Day
    type: Annotated[FundingEventType, Choice()]
    summary: Text
    sources: Ids
    # None when the event concerns mine-action funding as a whole.
    donor: Line | None = None


class FundingFile(NamedTuple):
    donors: tuple[Donor, ...] = ()
    totals: tuple[FundingTotal, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    events: tuple[FundingEvent, ...] = ()


# --- published figures (figures.toml) -------------------------------------------------------


class Weapon(StrEnum):
    """What a figure counts: casualties of mines and explosive remnants of war (the Landmine
    Monitor's series, improvised mines included), contamination by anti-personnel mines, or
    cluster munitions (casualties, or contamination by their remnants)."""

    MINES_ERW = "mines_erw"
    AP_MINES = "ap_mines"
    CLUSTER_MUNITIONS = "cluster_munitions"


class AreaKind(StrEnum):
    CONFIRMED = "confirmed"
    SUSPECTED = "suspected"


class ExtentBand(StrEnum):
    """The Monitor's bands of mined area: massive (over 100 km2), large (20-100), medium
    (5-20), small (under 5); LM2018 also grouped states with residual or suspected mines."""

    MASSIVE = "massive"
    LARGE = "large"
    MEDIUM = "medium"
    SMALL = "small"
    RESIDUAL_OR_SUSPECTED = "residual_or_suspected"


# A figure's scope: "world", or a state's ISO alpha-3 code.
WORLD = "world"
Area = Annotated[float, Range(0.0, 1_000_000.0)]  # square kilometres
People = Annotated[int, Range(0, 10_000_000)]


class Edition(NamedTuple):
    """One edition of a report that publishes figures (Landmine Monitor 2025, say)."""

    id: Line
    title: Line
    publisher: Line
    # The calendar year whose events the edition reports (LM2025 covers 2024).
    covers: Year
    sources: Ids
    # The day it was released; omitted when no source seen gives the day.
    published: Day | None = None
    note: Text | None = None


class Casualty(NamedTuple):
    """People killed or injured in one year, as one edition printed them. Absent values are
    unknown (never 0): editions give different subsets, and some casualties are of unknown
    status, so injured is never killed subtracted from total."""

    scope: Line
    year: Year
    weapon: Annotated[Weapon, Choice()]
    edition: Line
    sources: Ids
    killed: People | None = None
    injured: People | None = None
    total: People | None = None
    civilian_pct: Percent | None = None
    # True when the figure was read in a copy quoting the edition (a release, a news item),
    # not in the edition itself; the note says which.
    secondary: bool = False
    note: Text | None = None


class Contamination(NamedTuple):
    """Land contaminated by a weapon, as one edition reported it: for a state its area (with
    whether it is confirmed or suspected) or the Monitor's extent band; for the world the
    number of states and other areas."""

    scope: Line
    weapon: Annotated[Weapon, Choice()]
    edition: Line
    sources: Ids
    area_km2: Area | None = None
    area_kind: Annotated[AreaKind, Choice()] | None = None
    extent_band: Annotated[ExtentBand, Choice()] | None = None
    states_and_areas: Count | None = None
    states: Count | None = None
    states_parties: Count | None = None
    states_not_party: Count | None = None
    other_areas: Count | None = None
    # The count is a floor ("at least 57").
    at_least: bool = False
    secondary: bool = False
    note: Text | None = None


class FiguresFile(NamedTuple):
    editions: tuple[Edition, ...] = ()
    casualties: tuple[Casualty, ...] = ()
    contamination: tuple[Contamination, ...] = ()


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
    # Published figures (figures.toml), in file order; editions by id.
    editions: dict[str, Edition]
    casualties: tuple[Casualty, ...]
    contamination: tuple[Contamination, ...]

    def treaty_events(self, iso3: str, treaty: str) -> tuple[Event, ...]:
        return tuple(e for e in self.events.get(iso3, ()) if e.treaty == treaty)
