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
from typing import Annotated, Any

from .record import Record

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
Quantity = Annotated[int, Range(0, 10**9)]  # mines, munitions, submunitions
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
    # Before the day the state came into being (Country.statehood): it could not join.
    NOT_A_STATE = "not_a_state"
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
    PLEDGE = "pledge"
    # A bill or resolution introduced in a legislature; not a decision to spend.
    BILL = "bill"
    # A government policy decision reported alongside the funding story.
    POLICY = "policy"


class FundingScope(StrEnum):
    """Whose money a yearly total counts (Landmine Monitor, "Support for Mine Action")."""

    INTERNATIONAL = "international"  # donors' support to affected states
    NATIONAL = "national"  # affected states' support to their own mine action
    GLOBAL = "global"  # international plus national
    VICTIM_ASSISTANCE = "victim_assistance"  # the part of international support for victims


class GapKind(StrEnum):
    """What kind of figure a funding gap stands in for."""

    INTERNATIONAL = "international"
    NATIONAL = "national"
    GLOBAL = "global"
    VICTIM_ASSISTANCE = "victim_assistance"
    CONTRIBUTION = "contribution"
    RECIPIENT = "recipient"


class Meta(Record):
    facts_as_of: Day
    title: Line
    note: Text | None = None


class Source(Record):
    id: Line
    publisher: Line
    title: Line
    url: Line
    published: Day | None = None
    note: Text | None = None


class Treaty(Record):
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


class Country(Record):
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
    # The day the state came into being, recorded where that is after the Mine Ban Convention
    # opened for signature (1997-12-03); before it the state's status is not_a_state.
    statehood: Day | None = None
    statehood_sources: Ids = ()
    # The state of the fact base whose events covered the territory before `statehood`
    # (ISO alpha-3), and its name then when that differs ("Serbia and Montenegro").
    part_of: Line | None = None
    part_of_name: Line | None = None


class Event(Record):
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


class Reason(Record):
    treaty: Line
    date: Day
    summary: Text
    sources: Ids


class Conflict(Record):
    """A period in which the state is engaged in an armed conflict (APMBC/CCM Art. 20(3))."""

    start: Day
    description: Text
    sources: Ids
    end: Day | None = None


# --- treaty obligations (APMBC Art. 4 and 5, CCM Art. 3 and 4; rules in law.py) -------


class Obligation(Record):
    """A state's duty to destroy its stockpile or clear its mined areas by a deadline.

    `article` names the duty ("Art. 4" stockpile destruction, "Art. 5" clearance of the
    APMBC; "Art. 3" stockpile destruction, "Art. 4" clearance of the CCM; law.DUTIES).
    Completion is known to the day (`completed`), to a month or year (`completed_period`,
    "YYYY-MM" or "YYYY"), or only as a day by which it had happened (`completed_by`, e.g. the
    report that declared it). `researched_to` is the last day through which the record is
    known complete (every extension and the completion up to then are recorded); after it,
    a passed deadline is never called overdue."""

    treaty: Line
    article: Line
    original_deadline: Day
    sources: Ids
    completed: Day | None = None
    completed_period: Line | None = None
    completed_by: Day | None = None
    # The declaration that there was nothing to destroy (a stockpile duty with no stockpile).
    no_stockpile: Text | None = None
    reopened_period: Line | None = None
    researched_to: Day | None = None
    mines_destroyed: Quantity | None = None
    cluster_munitions_destroyed: Quantity | None = None
    submunitions_destroyed: Quantity | None = None
    stockpile_declared: Quantity | None = None
    remaining: Quantity | None = None
    remaining_as_of: Day | None = None
    note: Text | None = None
    # Why original_deadline departs from the rule (e.g. CCM Art. 4(1)(b): contamination
    # that arose after entry into force); the sources must support it.
    rule_exception: Text | None = None


class ExtensionOutcome(StrEnum):
    GRANTED = "granted"
    # A request is documented but no decision on it was found: never a granted deadline.
    UNKNOWN = "unknown"


class Extension(Record):
    """A request to extend an obligation's deadline and, if granted, the new deadline.

    `granted` is the day of the decision (the closing day of the meeting that took it when
    only the meeting is known); `granted_year` when only the year is known."""

    treaty: Line
    article: Line
    outcome: Annotated[ExtensionOutcome, Choice()]
    sources: Ids
    new_deadline: Day | None = None
    requested: Day | None = None
    requested_year: Year | None = None
    # What was asked for when no new deadline is recorded ("to 2030", "five years").
    requested_text: Text | None = None
    granted_by: Line | None = None
    granted: Day | None = None
    granted_year: Year | None = None
    note: Text | None = None


class Retained(Record):
    """Anti-personnel mines a state reported retaining under APMBC Art. 3, for one year."""

    treaty: Line
    mines_retained: Quantity
    # "declared" (a stated figure), "end-of-year", ... as the source gives it.
    figure_kind: Line
    sources: Ids
    year: Year | None = None
    note: Text | None = None


class CountryFile(Record):
    country: Country
    events: tuple[Event, ...] = ()
    reasons: tuple[Reason, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    extensions: tuple[Extension, ...] = ()
    retained: tuple[Retained, ...] = ()


class StateKind(Record):
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
    StateKind("events", Event, "event",
              ("treaty", "type", "date", "note", "rule_exception", "unverified", "counterpart")),
    StateKind("reasons", Reason, "reason", ("treaty", "date", "summary")),
    StateKind("conflicts", Conflict, "conflict", ("start", "end", "description")),
    StateKind("obligations", Obligation, "obligation", tuple(
        f for f in Obligation._fields if f != "sources")),
    StateKind("extensions", Extension, "extension", tuple(
        f for f in Extension._fields if f != "sources")),
    StateKind("retained", Retained, "retained", tuple(f for f in Retained._fields if f != "sources")),
)


class Donor(Record):
    id: Line
    name: Line
    iso3: Line | None = None


class FundingTotal(Record):
    """A yearly total of mine-action support as one Monitor edition printed it."""

    year: Year
    amount_usd: Amount
    sources: Ids
    # The Edition id (figures.toml) that printed the figure; a later edition's revision is a
    # second record beside this one.
    edition: Line
    donors: Count | None = None
    note: Text | None = None
    scope: Annotated[FundingScope, Choice()] = FundingScope.INTERNATIONAL
    # Share of global support in percent as the source states it (national, victim assistance).
    share_pct: Percent | None = None
    affected_states: Count | None = None
    # "More than US$x": the true figure is higher.
    lower_bound: bool = False
    # The source itself says "approximately" or "almost".
    approximate: bool = False


class Contribution(Record):
    donor: Line
    year: Year
    amount_usd: Amount
    sources: Ids
    # The Edition id that printed the figure, as for FundingTotal.
    edition: Line
    # The donor's share of all international support in percent, as a source states it;
    # used only when no yearly total is recorded to compute it from.
    share_pct: Percent | None = None
    note: Text | None = None
    lower_bound: bool = False
    approximate: bool = False
    # The donor's rank that year as the source states it.
    rank: Count | None = None


class RecipientFigure(Record):
    """Support received by one affected state in one year (from all donors, or from one)."""

    year: Year
    iso3: Line
    sources: Ids
    edition: Line
    # None: from all donors together.
    donor: Line | None = None
    # None when the source ranks the state without an amount that was recorded here.
    amount_usd: Amount | None = None
    rank: Count | None = None
    share_pct: Percent | None = None
    note: Text | None = None


class FundingGap(Record):
    """A figure that no source recorded here gives: shown as a gap, never as zero."""

    year: Year
    kind: Annotated[GapKind, Choice()]
    edition: Line
    # What is known instead (a stated share, a figure quoted second-hand, why it is missing).
    note: Text
    sources: Ids = ()
    donor: Line | None = None
    iso3: Line | None = None


class FundingEvent(Record):
    date: Day
    type: Annotated[FundingEventType, Choice()]
    summary: Text
    sources: Ids
    # None when the event concerns mine-action funding as a whole.
    donor: Line | None = None
    note: Text | None = None


class FundingFile(Record):
    donors: tuple[Donor, ...] = ()
    totals: tuple[FundingTotal, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    events: tuple[FundingEvent, ...] = ()
    recipients: tuple[RecipientFigure, ...] = ()
    gaps: tuple[FundingGap, ...] = ()


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


class Edition(Record):
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


class Casualty(Record):
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


class Contamination(Record):
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


class FiguresFile(Record):
    editions: tuple[Edition, ...] = ()
    casualties: tuple[Casualty, ...] = ()
    contamination: tuple[Contamination, ...] = ()


class TreatiesFile(Record):
    treaties: tuple[Treaty, ...]


class SourcesFile(Record):
    sources: tuple[Source, ...]


class FactBase(Record):
    """The whole validated fact base, indexed for lookups."""

    meta: Meta
    treaties: dict[str, Treaty]
    sources: dict[str, Source]
    countries: dict[str, Country]
    # Per country (ISO alpha-3), in date order.
    events: dict[str, tuple[Event, ...]]
    reasons: dict[str, tuple[Reason, ...]]
    conflicts: dict[str, tuple[Conflict, ...]]
    obligations: dict[str, tuple[Obligation, ...]]
    extensions: dict[str, tuple[Extension, ...]]
    retained: dict[str, tuple[Retained, ...]]
    donors: dict[str, Donor]
    totals: tuple[FundingTotal, ...]
    contributions: tuple[Contribution, ...]
    funding_events: tuple[FundingEvent, ...]
    # Every code, name and alias, normalised (countries.normalize) -> ISO alpha-3.
    names: dict[str, str]
    # Published figures (figures.toml): report editions by id (cited by funding figures too),
    # casualty and contamination figures in file order.
    editions: dict[str, Edition] = {}
    casualties: tuple[Casualty, ...] = ()
    contamination: tuple[Contamination, ...] = ()
    # Funding: recipient figures and gaps, in year order.
    recipients: tuple[RecipientFigure, ...] = ()
    funding_gaps: tuple[FundingGap, ...] = ()

    def treaty_events(self, iso3: str, treaty: str) -> tuple[Event, ...]:
        return tuple(e for e in self.events.get(iso3, ()) if e.treaty == treaty)
