"""The JSON contract as types: what each command's `--json` prints, one TypedDict per row
shape, turned into JSON Schema (draft 2020-12) by pydantic for `landmine schema COMMAND`.

Every object forbids keys it does not list ("additionalProperties": false) and lists every
key as required (a key whose value is unknown is present with null); dates are strings
with "format": "date"; status, event and change names are enums taken from models.py, so
a new status or event type reaches the schema by itself. The queries build the rows;
this module only describes them (tests/test_schemas.py runs every command and validates
its output against these schemas, so the two cannot drift apart silently).

Imported only by the `schema` command (and the tests): pydantic is loaded here, in
`schema_of`, never at start-up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Union

from typing_extensions import NotRequired, TypedDict  # pydantic needs its TypedDict before 3.12

from .law import BECAME_STATE, WITHDRAWAL_STAGES
from .models import AreaKind, EventType, ExtensionOutcome, ExtentBand, FundingEventType, FundingScope, GapKind, Status, Weapon

Day = dt.date
StatusName = Literal[tuple(str(s) for s in Status)]  # type: ignore[valid-type]
EventName = Literal[tuple(str(e) for e in EventType)]  # type: ignore[valid-type]
# The dated obligation events `changes` and `timeline` list (obligations.dated_events).
OBLIGATION_EVENTS = ("extension_granted", "obligation_completed")
# A change of status is caused by an event, or is a state's first day (law.BECAME_STATE);
# extensions granted and obligations completed are listed beside them.
ChangeName = Literal[(*(str(e) for e in EventType), BECAME_STATE, *OBLIGATION_EVENTS)]  # type: ignore[valid-type]
FundingEventName = Literal[tuple(str(e) for e in FundingEventType)]  # type: ignore[valid-type]
# Where an obligation stands on a day (law.Situation.status).
ObligationStatus = Literal["completed", "no_stockpile", "ended_by_withdrawal", "due", "overdue",
                           "unknown_after_deadline", "deadline_unknown"]
WeaponName = Literal[tuple(str(w) for w in Weapon)]  # type: ignore[valid-type]
AreaKindName = Literal[tuple(str(a) for a in AreaKind)]  # type: ignore[valid-type]
ExtentBandName = Literal[tuple(str(b) for b in ExtentBand)]  # type: ignore[valid-type]
OtherScope = Literal[tuple(str(s) for s in FundingScope if s is not FundingScope.INTERNATIONAL)]  # type: ignore[valid-type]
GapKindName = Literal[tuple(str(g) for g in GapKind)]  # type: ignore[valid-type]
Stage = Literal[(*WITHDRAWAL_STAGES.values(), "notified")]  # type: ignore[valid-type]
Kind = Literal["withdrawal", "suspension"]
PictureFormat = Literal["svg", "png", "html"]


class SourceRecord(TypedDict):
    id: str
    publisher: str
    title: str
    url: str
    published: Day | None


class Stamped(TypedDict):
    as_of: Day
    facts_as_of: Day


# --- status ------------------------------------------------------------------------------


class CountryName(TypedDict):
    name: str
    iso2: str
    iso3: str


class StatusEvent(TypedDict):
    type: EventName
    date: Day
    note: str | None
    unverified: str | None
    # The other state of a use or transfer (ISO alpha-3), else None.
    counterpart: str | None
    sources: list[str]


class WithdrawalSummary(TypedDict):
    kind: Kind
    stage: Stage
    announced: Day | None
    approved: Day | None
    deposited: Day | None
    effective: Day | None
    effective_expected: Day | None
    effective_note: str | None


class StatusReason(TypedDict):
    date: Day
    summary: str
    sources: list[str]


class Obligation(TypedDict):
    article: str
    duty: str
    original_deadline: Day
    current_deadline: Day | None
    extensions: int
    requests_pending: int
    status: ObligationStatus
    days_left: int | None
    days_overdue: int | None
    countdown: str
    # A day, a month or year ("2019-07"), or "by DAY"; None until known done.
    completed: str | None
    researched_to: Day | None
    ended: Day | None
    remark: str | None
    note: str | None


class StatusObligation(Obligation):
    sources: list[str]


class StatusTreaty(TypedDict):
    treaty: str
    short_name: str
    status: StatusName
    since: Day | None
    next_status: StatusName | None
    next_date: Day | None
    status_note: str | None
    events: list[StatusEvent]
    withdrawal: WithdrawalSummary | None
    suspension: WithdrawalSummary | None
    reasons: list[StatusReason]
    obligations: list[StatusObligation]
    sources: list[SourceRecord]


# --- figures (also nested in status) -------------------------------------------------------


class CasualtyFigures(TypedDict):
    killed: int | None
    injured: int | None
    total: int | None
    civilian_pct: float | None


class OtherCasualtyEdition(CasualtyFigures):
    edition: str
    edition_published: Day | None


class CasualtyRow(CasualtyFigures):
    rank: int | None
    scope: str
    country: str | None
    year: int
    weapon: WeaponName
    edition: str | None
    edition_title: str | None
    edition_published: Day | None
    secondary: bool | None
    note: str | None
    other_editions: list[OtherCasualtyEdition]
    sources: list[str]


class ContaminationFigures(TypedDict):
    area_km2: float | None
    area_kind: AreaKindName | None
    extent_band: ExtentBandName | None
    states_and_areas: int | None
    states: int | None
    states_parties: int | None
    states_not_party: int | None
    other_areas: int | None
    at_least: bool | None


class OtherContaminationEdition(ContaminationFigures):
    edition: str
    edition_published: Day | None


class ContaminationRow(ContaminationFigures):
    scope: str
    country: str | None
    weapon: WeaponName
    edition: str | None
    edition_title: str | None
    edition_published: Day | None
    edition_covers: int | None
    secondary: bool | None
    note: str | None
    other_editions: list[OtherContaminationEdition]
    sources: list[str]


class TopStates(TypedDict):
    year: int | None
    rows: list[CasualtyRow]


class FiguresStamp(TypedDict):
    scope: str
    country: str | None
    year: int | None
    as_of: Day
    dated_editions_only: bool
    facts_as_of: Day
    sources: list[SourceRecord]


class CasualtiesDocument(FiguresStamp):
    metric: Literal["casualties", "cluster-casualties"]
    weapon: WeaponName
    figures: list[CasualtyRow]
    top_states: TopStates | None


class ContaminationDocument(FiguresStamp):
    metric: Literal["contamination"]
    weapon: WeaponName | None
    figures: list[ContaminationRow]
    top_states: None


class StateFigures(TypedDict):
    casualties: CasualtyRow | None
    cluster_casualties: CasualtyRow | None
    contamination: list[ContaminationRow]
    sources: list[SourceRecord]


class StatusDocument(TypedDict):
    country: CountryName
    as_of: Day
    facts_as_of: Day
    treaties: list[StatusTreaty]
    figures: StateFigures


# --- row lists ---------------------------------------------------------------------------


class WithdrawalRow(Stamped):
    country: str
    iso3: str
    treaty: str
    kind: Kind
    stage: Stage
    announced: Day | None
    approved: Day | None
    deposited: Day | None
    effective: Day | None
    effective_expected: Day | None
    effective_note: str | None
    reasons: list[str]
    sources: list[SourceRecord]


class NonMemberRow(Stamped):
    country: str
    iso3: str
    treaty: str
    status: StatusName
    since: Day | None
    still_party: bool


class ObligationRow(Obligation, Stamped):
    country: str
    iso3: str
    treaty: str
    sources: list[SourceRecord]


class TreatyRow(Stamped):
    treaty: str
    short_name: str
    name: str
    aliases: list[str]
    adopted: Day
    opened_for_signature: Day
    entered_into_force: Day
    depositary: str
    states_parties: int
    joining: int
    signatories: int
    withdrawing: int
    withdrawn: int
    not_joined: int
    unknown: int
    states: int
    not_a_state: int
    sources: list[SourceRecord]


class ChangeRow(Stamped):
    date: Day
    country: str
    iso3: str
    treaty: str
    change: ChangeName
    status_before: StatusName
    status_after: StatusName
    derived: bool
    note: str | None
    counterpart: str | None
    sources: list[SourceRecord]


class TimelineRow(Stamped):
    date: Day
    country: str
    iso3: str
    treaty: str
    type: ChangeName
    status: StatusName
    derived: bool
    note: str | None
    unverified: str | None
    counterpart: str | None
    sources: list[SourceRecord]


class SearchRow(TypedDict):
    kind: Literal["country", "event", "reason", "funding_event", "source"]
    iso3: str | None
    country: str | None
    treaty: str | None
    date: Day | None
    # The event or funding event type; None for other kinds.
    type: EventName | FundingEventName | None
    text: str
    sources: list[str]


class ProblemRow(TypedDict):
    path: str
    line: int | None
    field: str
    message: str


# --- funding -----------------------------------------------------------------------------


class EditionFields(TypedDict):
    # The report edition that printed the figure (or, for a gap, the one that gives none).
    edition: str
    edition_title: str
    # None when no source seen gives the day the edition came out.
    edition_published: Day | None


class Revision(EditionFields):
    lower_bound: bool
    approximate: bool
    revises_edition: str | None
    revises_amount_usd: int | None
    revised_by_edition: str | None
    revised_amount_usd: int | None
    note: str | None
    sources: list[str]


class TotalRow(Revision):
    year: int
    amount_usd: int
    change_usd: int | None
    change_pct: float | None
    donors: int | None


class OtherTotalRow(TotalRow):
    scope: OtherScope
    share_pct: float | None
    affected_states: int | None


class ContributionRow(Revision):
    donor: str
    donor_name: str
    year: int
    amount_usd: int
    share_pct: float | None
    share_basis: Literal["computed", "stated"] | None
    change_usd: int | None
    change_pct: float | None
    rank: int | None


class RecipientRow(EditionFields):
    year: int
    iso3: str
    country: str
    donor: str | None
    donor_name: str | None
    amount_usd: int | None
    rank: int | None
    share_pct: float | None
    note: str | None
    sources: list[str]


class GapRow(EditionFields):
    kind: GapKindName
    year: int
    donor: str | None
    donor_name: str | None
    iso3: str | None
    country: str | None
    note: str
    sources: list[str]


class FundingEventRow(TypedDict):
    date: Day
    donor: str | None
    donor_name: str | None
    type: FundingEventName
    summary: str
    note: str | None
    sources: list[str]


class LatestFunding(EditionFields):
    year: int
    amount_usd: int
    # The total's caveats, as in TotalRow: "more than" and "about".
    lower_bound: bool
    approximate: bool
    previous_year: int | None
    previous_amount_usd: int | None
    # The previous year's caveats (None when it has no total).
    previous_lower_bound: bool | None
    previous_approximate: bool | None
    # The previous year's international gap, when it is one: no change is given.
    previous_gap: GapRow | None
    change_usd: int | None
    change_pct: float | None
    donors: list[ContributionRow]
    later_gaps: list[GapRow]
    later_contributions: list[ContributionRow]
    events_since: Day


class FundingDocument(TypedDict):
    facts_as_of: Day
    on: Day | None
    donor: str | None
    recipient: str | None
    since: int | None
    year: int | None
    latest: LatestFunding | None
    totals: list[TotalRow]
    other_totals: list[OtherTotalRow]
    contributions: list[ContributionRow]
    recipients: list[RecipientRow]
    gaps: list[GapRow]
    # The latest year the editions behind the figures cover (None: no figure or gap), and the
    # asked year when it is later ("not yet reported", not zero).
    latest_year_covered: int | None
    unreported_years: list[int]
    events: list[FundingEventRow]
    sources: list[SourceRecord]


# --- writing: add, export, cache clear -----------------------------------------------------


class EventRecord(TypedDict):
    treaty: str
    type: EventName
    date: Day
    sources: list[str]
    note: NotRequired[str]
    unverified: NotRequired[str]
    counterpart: NotRequired[str]


class ReasonRecord(TypedDict):
    treaty: str
    date: Day
    summary: str
    sources: list[str]


class NewSourceRecord(TypedDict):
    id: str
    publisher: str
    title: str
    url: str
    published: NotRequired[Day]


class ContributionRecord(TypedDict):
    donor: str
    year: int
    amount_usd: int
    sources: list[str]
    share_pct: NotRequired[float]
    note: NotRequired[str]
    edition: str
    lower_bound: NotRequired[bool]
    approximate: NotRequired[bool]
    rank: NotRequired[int]


class FundingEventRecord(TypedDict):
    date: Day
    type: FundingEventName
    summary: str
    sources: list[str]
    donor: NotRequired[str]


def _added(name: str, record: Any) -> Any:
    """The answer of one `add` command: where the record went, its id (a source's or an
    edition's; None for records without one) and the record itself."""
    return TypedDict(name, {"path": str, "table": str, "id": str | None, "record": record, "written": bool})


AddedEvent = _added("AddedEvent", EventRecord)
AddedReason = _added("AddedReason", ReasonRecord)
AddedSource = _added("AddedSource", NewSourceRecord)
AddedContribution = _added("AddedContribution", ContributionRecord)
AddedFundingEvent = _added("AddedFundingEvent", FundingEventRecord)


# A state's obligations and extensions as `add obligation` / `add extension` write them
# (models.Obligation, models.Extension).
class ObligationRecord(TypedDict):
    treaty: str
    article: str
    original_deadline: Day
    sources: list[str]
    completed: NotRequired[Day]
    completed_period: NotRequired[str]
    completed_by: NotRequired[Day]
    no_stockpile: NotRequired[str]
    reopened_period: NotRequired[str]
    researched_to: NotRequired[Day]
    mines_destroyed: NotRequired[int]
    cluster_munitions_destroyed: NotRequired[int]
    submunitions_destroyed: NotRequired[int]
    stockpile_declared: NotRequired[int]
    remaining: NotRequired[int]
    remaining_as_of: NotRequired[Day]
    note: NotRequired[str]
    rule_exception: NotRequired[str]


class ExtensionRecord(TypedDict):
    treaty: str
    article: str
    outcome: Literal[tuple(str(o) for o in ExtensionOutcome)]  # type: ignore[valid-type]
    sources: list[str]
    new_deadline: NotRequired[Day]
    requested: NotRequired[Day]
    requested_year: NotRequired[int]
    requested_text: NotRequired[str]
    granted_by: NotRequired[str]
    granted: NotRequired[Day]
    granted_year: NotRequired[int]
    note: NotRequired[str]


class RetainedRecord(TypedDict):
    treaty: str
    mines_retained: int
    figure_kind: str
    sources: list[str]
    year: NotRequired[int]
    note: NotRequired[str]


class EditionRecord(TypedDict):
    id: str
    title: str
    publisher: str
    covers: int
    sources: list[str]
    published: NotRequired[Day]
    note: NotRequired[str]


class CasualtyRecord(TypedDict):
    scope: str
    year: int
    weapon: WeaponName
    edition: str
    sources: list[str]
    killed: NotRequired[int]
    injured: NotRequired[int]
    total: NotRequired[int]
    civilian_pct: NotRequired[float]
    secondary: NotRequired[Literal[True]]
    note: NotRequired[str]


class ContaminationRecord(TypedDict):
    scope: str
    weapon: WeaponName
    edition: str
    sources: list[str]
    area_km2: NotRequired[float]
    area_kind: NotRequired[AreaKindName]
    extent_band: NotRequired[ExtentBandName]
    states_and_areas: NotRequired[int]
    states: NotRequired[int]
    states_parties: NotRequired[int]
    states_not_party: NotRequired[int]
    other_areas: NotRequired[int]
    at_least: NotRequired[Literal[True]]
    secondary: NotRequired[Literal[True]]
    note: NotRequired[str]


AddedObligation = _added("AddedObligation", ObligationRecord)
AddedEdition = _added("AddedEdition", EditionRecord)
AddedCasualty = _added("AddedCasualty", CasualtyRecord)
AddedContamination = _added("AddedContamination", ContaminationRecord)
AddedRetained = _added("AddedRetained", RetainedRecord)
AddedExtension = _added("AddedExtension", ExtensionRecord)


class ExportRow(TypedDict):
    format: Literal["sqlite", "csv"]
    path: str
    # Rows written per table, by table name.
    tables: dict[str, int]


class CacheCleared(TypedDict):
    directory: str
    removed: list[str]


# --- verify ------------------------------------------------------------------------------


class Notice(TypedDict):
    index: int
    participants: list[str]
    kind: Literal["withdrawal", "notification"]
    date: Day | None
    effective: Day | None
    text: str


class Page(TypedDict):
    path: str
    treaty: str
    mtdsg: str
    title: str
    status_as_at: Day
    status_as_at_from: Literal["page", "--as-at"]
    participants: int
    parties: int | None
    notices: list[Notice]


class Disagreement(TypedDict):
    treaty: str
    state: str
    iso3: str | None
    field: str
    # ISO dates, event types, a short text ("listed", "acceded 2003-09-18") or null.
    fact_base: str | None
    un: str | None
    note: str | None


class VerifyDocument(TypedDict):
    pages: list[Page]
    disagreements: list[Disagreement]


# --- map and chart -----------------------------------------------------------------------


class KeyDate(TypedDict):
    event: str
    date: Day


class MapStatusRow(Stamped):
    country: str
    iso3: str
    treaty: str
    status: StatusName
    since: Day | None
    next_status: StatusName | None
    next_date: Day | None
    key_dates: list[KeyDate]


MapChangeRow = TypedDict("MapChangeRow", {
    "country": str,
    "iso3": str,
    "treaty": str,
    "from": Day,
    "to": Day,
    "status_before": StatusName,
    "status": StatusName,
    "since": Day | None,
    "change": Literal["joined", "signed", "started withdrawing", "withdrew", "other change",
                      "unchanged"],
    "key_dates": list[KeyDate],
    "facts_as_of": Day,
})


class MapPicture(TypedDict):
    path: str
    format: PictureFormat
    title: str
    treaty: str
    states: int
    # States per status (or per kind of change, with --changes), by its name.
    counts: dict[str, int]


class SeriesPoint(TypedDict):
    date: Day
    states_parties: int
    signatories: int


class ChartEvent(TypedDict):
    date: Day
    iso3: str
    country: str
    event: Literal["joined", "withdrew"]


PartiesDocument = TypedDict("PartiesDocument", {
    "treaty": str,
    "treaty_name": str,
    "from": Day,
    "to": Day,
    "facts_as_of": Day,
    "series": list[SeriesPoint],
    "events": list[ChartEvent],
})

PartiesPicture = TypedDict("PartiesPicture", {
    "path": str,
    "format": PictureFormat,
    "title": str,
    "treaty": str,
    "from": Day,
    "to": Day,
    "states_parties": int,
    "signatories": int,
})


class YearBar(TypedDict):
    year: int
    # People killed or injured (casualties) or whole US$ (funding); None for a gap.
    value: int | None
    gap: bool
    gap_note: str | None
    edition: str | None
    edition_title: str | None
    edition_published: Day | None
    # The source's caveats on the figure: "about" (~) and "at least" (>=).
    approximate: bool
    lower_bound: bool
    sources: list[str]


class YearChartDocument(TypedDict):
    chart: Literal["casualties", "funding"]
    weapon: Literal["mines_erw", "cluster_munitions"] | None
    unit: Literal["people", "US$"]
    on: Day | None
    facts_as_of: Day
    title: str
    bars: list[YearBar]
    sources: list[SourceRecord]


class YearChartPicture(TypedDict):
    path: str
    format: PictureFormat
    title: str
    chart: Literal["casualties", "funding"]
    weapon: Literal["mines_erw", "cluster_munitions"] | None
    on: Day | None
    years: list[int]
    gap_years: list[int]


# --- schema ------------------------------------------------------------------------------


class SchemaListRow(TypedDict):
    command: str
    description: str


# What `landmine COMMAND --json` prints, by the command as typed. A command with several
# answers (a picture written to a file or the rows) has a union of them.
COMMANDS: dict[str, tuple[Any, str]] = {
    "status": (StatusDocument, "one state's position under every treaty"),
    "withdrawals": (list[WithdrawalRow], "withdrawals and suspensions"),
    "non-members": (list[NonMemberRow], "states that are not parties"),
    "funding": (FundingDocument, "mine-action funding by donor and year"),
    "treaties": (list[TreatyRow], "the treaties and the count of states in each status"),
    "obligations": (list[ObligationRow], "stockpile destruction and clearance deadlines"),
    "figures": (Union[CasualtiesDocument, ContaminationDocument],
                "published casualty or contamination figures, with their editions"),
    "changes": (list[ChangeRow], "changes of status between two dates"),
    "timeline": (list[TimelineRow], "dated events in order"),
    "validate": (list[ProblemRow], "problems in the fact files"),
    "cache clear": (CacheCleared, "the cache files removed"),
    "add event": (AddedEvent, "the event added (or that would be)"),
    "add reason": (AddedReason, "the reason added (or that would be)"),
    "add source": (AddedSource, "the source added (or that would be)"),
    "add funding": (AddedContribution, "the contribution added (or that would be)"),
    "add funding-event": (AddedFundingEvent, "the funding event added (or that would be)"),
    "add obligation": (AddedObligation, "the obligation added (or that would be)"),
    "add extension": (AddedExtension, "the extension added (or that would be)"),
    "add retained": (AddedRetained, "the retained-mines figure added (or that would be)"),
    "add edition": (AddedEdition, "the edition added (or that would be)"),
    "add casualty": (AddedCasualty, "the casualty figure added (or that would be)"),
    "add contamination": (AddedContamination, "the contamination figure added (or that would be)"),
    "search": (list[SearchRow], "records whose text matches"),
    "export": (list[ExportRow], "what was written, with rows per table"),
    "verify": (VerifyDocument, "the UN pages read and every disagreement"),
    "map": (Union[list[MapStatusRow], list[MapChangeRow], MapPicture],
            "each state's status or change, or the file written (-o)"),
    "chart parties": (Union[PartiesDocument, PartiesPicture],
                      "parties day by day, or the file written (-o)"),
    "chart casualties": (Union[YearChartDocument, YearChartPicture],
                         "world casualties per year with gaps, or the file written (-o)"),
    "chart funding": (Union[YearChartDocument, YearChartPicture],
                      "international funding per year with gaps, or the file written (-o)"),
    "schema": (Union[list[SchemaListRow], dict[str, Any]],
               "the commands that have a schema, or one command's JSON Schema"),
}

# Every object is closed: a key the contract does not list is an error.
for _value in list(globals().values()):
    if isinstance(_value, type) and issubclass(_value, dict) and hasattr(_value, "__required_keys__"):
        _value.__pydantic_config__ = {"extra": "forbid"}  # type: ignore[attr-defined]


def names() -> list[str]:
    """Every command that has a schema, as typed on the command line ("add event"). Raises
    nothing."""
    return list(COMMANDS)


def listing() -> list[dict[str, str]]:
    """The rows `landmine schema` prints: [{command, description}]. Raises nothing."""
    return [{"command": name, "description": text} for name, (_, text) in COMMANDS.items()]


def closest(text: str) -> tuple[str, ...]:
    """Up to three commands with a schema whose names are closest to `text`, best first (for
    "did you mean"). Raises nothing."""
    import difflib  # only on the error path

    return tuple(difflib.get_close_matches(text, list(COMMANDS), n=3, cutoff=0.5))


def schema_of(command: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12, as pydantic writes it) of `landmine COMMAND --json`,
    with a title and `$schema`. Raises KeyError for a command without one."""
    from pydantic import TypeAdapter

    kind, text = COMMANDS[command]
    schema = TypeAdapter(kind).json_schema(mode="validation")
    head = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"landmine {command} --json",
        "description": f"What `landmine {command} --json` prints: {text}.",
    }
    return head | {k: v for k, v in schema.items() if k not in head}
