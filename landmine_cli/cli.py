"""The Typer app: parse the command line, ask the query modules (queries, funding, search),
hand the answer to output.emit. Records for `add` are built by edit.py.

Domain errors are translated here, once (`command` runs every body inside `handled`), into
`Error: ...` on stderr and an exit code.
Annotations are strings (`from __future__ import annotations`): `app_for` builds only the
command a command line names, so Typer evaluates that command's annotations and no others.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__, dates, layout, output, queries, store, views
from . import funding as funding_query
from . import search as search_query
from .completion import (
    InstallCompletionOpt,
    ShowCompletionOpt,
    complete_country,
    complete_donor,
    complete_treaty,
)
from .countries import resolve, resolve_donor, resolve_treaty
from .errors import EXIT_DATA, FactsError, LandmineError, UsageError, WriteError
from .models import EventType, ExtensionOutcome, FactBase, FundingEventType
from .output import Format
from .rows import iso

app = typer.Typer(
    name="landmine",
    help="Sourced answers about the Mine Ban Convention (1997) and the Convention on Cluster "
    "Munitions (2008): who is leaving, who never joined, and what funding changed.",
    epilog="Exit codes: 0 success (also when nothing matched), 2 bad usage (unknown country, "
    "treaty, donor or date), 3 invalid fact data, 4 verify found disagreements, 5 cannot write "
    "a file, 130 interrupted. Facts: every record cites its sources; see landmine status COUNTRY.",
    add_completion=False,  # completion.py's options and shell classes instead
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (short for --format json).")]
FormatOpt = Annotated[
    Optional[Format],
    typer.Option("--format", "-f", help="Output format (default: table).", show_default=False),
]
FactsOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--facts",
        metavar="DIR",
        help=f"Read facts from DIR instead of the shipped fact base (also ${store.ENV_VAR}).",
        show_default=False,
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option("--no-cache", help="Read and validate the fact files instead of the cache."),
]
OnOpt = Annotated[
    Optional[str],
    typer.Option(
        "--on",
        metavar="DATE",
        help="Answer as things stood at the end of DATE (YYYY, YYYY-MM or YYYY-MM-DD, "
        "or today). Default: today.",
        show_default=False,
    ),
]
TreatyOpt = Annotated[
    Optional[str],
    typer.Option(
        "--treaty",
        "-t",
        metavar="TREATY",
        help="Only this treaty: its id or an alias (see landmine treaties).",
        show_default=False,
        autocompletion=complete_treaty,
    ),
]

OnlyCountryArg = Annotated[
    Optional[str],
    typer.Argument(help="Only this state (name, alias or ISO code).", show_default=False,
                   autocompletion=complete_country),
]


def _fmt(format_: Optional[Format], json_: bool) -> Format:
    if json_ and format_ not in (None, Format.JSON):
        raise UsageError(f"--json and --format {format_} disagree; give one of them")
    return Format.JSON if json_ else (format_ or Format.TABLE)


@contextmanager
def handled() -> Iterator[None]:
    """Turn domain errors into one clear message on stderr and a documented exit code."""
    try:
        yield
    except FactsError as err:
        output.problems(err.problems)
        output.error(err.message)
        raise typer.Exit(err.exit_code) from None
    except LandmineError as err:
        output.error(err.message, err.suggestions)
        raise typer.Exit(err.exit_code) from None


def command(group: typer.Typer, name: Optional[str] = None) -> Callable[[Callable], Callable]:
    """Register a command on `group`, its body run inside `handled()`: the one place where
    every command's domain errors become a message and an exit code."""

    def register(func: Callable) -> Callable:
        @functools.wraps(func)
        def run(*args, **kwargs):
            with handled():
                return func(*args, **kwargs)

        return group.command(name)(run)

    return register


def _load(facts: Path | None, no_cache: bool) -> FactBase:
    return store.load(store.facts_dir(None if facts is None else str(facts)), use_cache=not no_cache)


def _emit(data, view, fmt: Format, base: FactBase, as_of: Optional[dt.date] = None, rows=None) -> None:
    """Hand an answer to the output layer, with the footer every table carries."""
    footer = views.footer(iso(base.meta.facts_as_of), iso(as_of))
    output.emit(data, view, fmt=fmt, rows=rows, footer=footer)


def _date(text: str, option: str, end: bool = False) -> dt.date:
    """The date the user typed for `option` (dates.read_date); what was understood goes to
    stderr when the text was not already ISO 8601 ("Read --on 2025-3 as 2025-03-31 ...")."""
    reading = dates.read_date(text, option, end=end)
    if reading.note:
        output.note(reading.note)
    return reading.day


def _on(text: str | None) -> dt.date:
    return dates.today() if text is None else _date(text, "--on", end=True)


def _version(value: bool) -> None:
    if value:
        try:
            facts = f" (facts as of {store.load(store.facts_dir()).meta.facts_as_of})"
        except LandmineError:
            facts = " (facts unreadable: run landmine validate)"
        typer.echo(f"landmine {__version__}{facts}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True,
                     help="Print the version and the date the facts are current to."),
    ] = False,
    install_completion: InstallCompletionOpt = None,
    show_completion: ShowCompletionOpt = None,
) -> None:
    """Sourced answers about the Mine Ban Convention and the Convention on Cluster Munitions."""


@command(app)
def status(
    country: Annotated[str, typer.Argument(help="Name, alias or ISO code (FI, FIN, Finland).",
                                           autocompletion=complete_country)],
    on: OnOpt = None,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Show one state's position on both treaties, with dated events, reasons and sources.

    Example: landmine status Finland
    """
    fmt = _fmt(format_, json_)
    day = _on(on)
    root = store.facts_dir(None if facts is None else str(facts))
    base, iso3 = store.load_state(root, country, use_cache=not no_cache)
    doc = queries.status(base, iso3, day)
    _emit(doc, lambda: views.status(doc), fmt, base, day, rows=queries.status_rows(doc))


@command(app)
def withdrawals(
    since: Annotated[
        Optional[str],
        typer.Option(
            "--since",
            metavar="DATE",
            help="Only withdrawals with a stage on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).",
            show_default=False,
        ),
    ] = None,
    treaty: TreatyOpt = None,
    on: OnOpt = None,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """List withdrawals and suspensions: announced, approved, deposited, effective.

    Example: landmine withdrawals --since 2025-03
    """
    fmt = _fmt(format_, json_)
    start = None if since is None else _date(since, "--since")
    day = _on(on)
    base = _load(facts, no_cache)
    rows = queries.withdrawals(base, day, start, treaty)
    _emit(rows, lambda: views.withdrawals(rows), fmt, base, day)


@command(app, "non-members")
def non_members(
    treaty: TreatyOpt = None,
    on: OnOpt = None,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """List states that are not parties: never joined, signed only, withdrew.

    Example: landmine non-members --treaty apmbc --json | jq -r '.[].iso3'
    """
    fmt = _fmt(format_, json_)
    day = _on(on)
    base = _load(facts, no_cache)
    rows = queries.non_members(base, day, treaty)
    _emit(rows, lambda: views.non_members(rows), fmt, base, day)


@command(app)
def funding(
    donor: Annotated[
        Optional[str],
        typer.Option("--donor", "-d", metavar="DONOR", help="Only this donor (name or code).",
                     show_default=False, autocompletion=complete_donor),
    ] = None,
    since: Annotated[
        Optional[str],
        typer.Option("--since", metavar="YEAR", help="Only this year and later (YYYY).",
                     show_default=False),
    ] = None,
    year: Annotated[
        Optional[str],
        typer.Option("--year", metavar="YEAR", help="Only this year (YYYY).", show_default=False),
    ] = None,
    recipient: Annotated[
        Optional[str],
        typer.Option("--recipient", "-r", metavar="STATE",
                     help="Support received by this state (name or code).", show_default=False,
                     autocompletion=complete_country),
    ] = None,
    on: Annotated[
        Optional[str],
        typer.Option("--on", metavar="DATE",
                     help="Only what Monitor editions published by the end of DATE said "
                     "(YYYY, YYYY-MM or YYYY-MM-DD). Default: every edition recorded.",
                     show_default=False),
    ] = None,
    chart: Annotated[bool, typer.Option(
        "--chart", help="Draw yearly totals as bars, the donor's share (default: US) marked.")] = False,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Show what mine-action funding did: the latest total, its donors and the events since.

    Example: landmine funding --donor USA --since 2020
    """
    fmt = _fmt(format_, json_)
    if chart and recipient is not None:
        raise UsageError("--chart draws the yearly totals and one donor's share; it does not take "
                         "--recipient (landmine funding --recipient STATE lists what a state received)")
    if since is not None and year is not None:
        raise UsageError("give --year YEAR (one year) or --since YEAR (that year and later), not both")
    first = None if since is None else _funding_year(since, "--since")
    only = None if year is None else _funding_year(year, "--year")
    day = None if on is None else _date(on, "--on", end=True)
    base = _load(facts, no_cache)
    doc = funding_query.funding(base, donor, first, year=only, recipient=recipient, on=day)
    summary = donor is None and since is None and year is None and recipient is None
    view = (lambda: views.chart(doc)) if chart else (lambda: views.funding(doc, summary=summary))
    # Flat formats print one kind of row: what a state received with --recipient, else the
    # donors' contributions.
    rows = doc["recipients"] if recipient is not None else doc["contributions"]
    if not rows and fmt not in (Format.TABLE, Format.JSON) and (doc["gaps"] or doc["unreported_years"]):
        # An empty file would read as "nothing happened": say on stderr what JSON holds.
        output.note("no figures for these rows; the gaps (never zero) and unreported years "
                    "are in --json and the table")
    _emit(doc, view, fmt, base, day, rows=rows)


def _funding_year(text: str, option: str) -> int:
    """Funding figures are yearly: a month or a day would be silently read as its year."""
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise UsageError(f"{option} takes a year (YYYY), not {text!r}: funding figures are yearly; "
                         "--on DATE asks what had been published by a day")
    return dates.parse_date(text, option).year


@command(app)
def treaties(
    on: OnOpt = None,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """List the treaties, their aliases and key dates, and how many states are parties.

    Example: landmine treaties --on 2024-12-31
    """
    fmt = _fmt(format_, json_)
    day = _on(on)
    base = _load(facts, no_cache)
    rows = queries.treaties(base, day)
    _emit(rows, lambda: views.treaties(rows), fmt, base, day)


@command(app)
def changes(
    from_: Annotated[
        str,
        typer.Option(
            "--from",
            metavar="DATE",
            help="First day of the period (YYYY, YYYY-MM or YYYY-MM-DD: its first day).",
            show_default=False,
        ),
    ],
    to: Annotated[
        Optional[str],
        typer.Option(
            "--to",
            metavar="DATE",
            help="Last day of the period (YYYY, YYYY-MM or YYYY-MM-DD: its last day). "
            "Default: today.",
            show_default=False,
        ),
    ] = None,
    treaty: TreatyOpt = None,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """List every change of status, and every withdrawal stage, between two dates.

    Example: landmine changes --from 2025-01 --to 2026-03 --treaty apmbc
    """
    fmt = _fmt(format_, json_)
    start = _date(from_, "--from")
    end = _on(to) if to is None else _date(to, "--to", end=True)
    if to is not None and end < start:
        raise UsageError(f"--to ({end}) is before --from ({start})")
    # With --to left to default, a --from after today is a period with nothing in it yet.
    base = _load(facts, no_cache)
    rows = queries.changes(base, start, end, treaty)
    _emit(rows, lambda: views.changes(rows), fmt, base, end)


@command(app)
def timeline(
    country: OnlyCountryArg = None,
    treaty: TreatyOpt = None,
    since: Annotated[
        Optional[str],
        typer.Option("--since", metavar="DATE", help="Only events on or after DATE.",
                     show_default=False),
    ] = None,
    on: OnOpt = None,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Show the dated events in order, for one state or for a whole treaty.

    Example: landmine timeline --treaty ccm --since 2024
    """
    fmt = _fmt(format_, json_)
    start = None if since is None else _date(since, "--since")
    day = _on(on)
    base = _load(facts, no_cache)
    iso3 = None if country is None else resolve(country, base)
    rows = queries.timeline(base, iso3, treaty, start, day)
    _emit(rows, lambda: views.timeline(rows, one_country=iso3 is not None), fmt, base, day)


@command(app)
def obligations(
    country: OnlyCountryArg = None,
    treaty: TreatyOpt = None,
    on: OnOpt = None,
    overdue: Annotated[bool, typer.Option(
        "--overdue", help="Only obligations known to be overdue on the day.")] = False,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """List stockpile destruction and clearance deadlines: original, extended, met or missed.

    Example: landmine obligations "Bosnia and Herzegovina" --treaty apmbc --on 2018-12-01
    """
    from . import obligations as obligations_query

    fmt = _fmt(format_, json_)
    day = _on(on)
    base = _load(facts, no_cache)
    iso3 = None if country is None else resolve(country, base)
    rows = obligations_query.obligations(base, iso3, treaty, day, overdue)
    _emit(rows, lambda: views.obligations(rows), fmt, base, day)


@command(app)
def figures(
    country: Annotated[
        Optional[str],
        typer.Argument(help="Only this state (name, alias or ISO code); default: the world.",
                       show_default=False, autocompletion=complete_country),
    ] = None,
    metric: Annotated[
        str,
        typer.Option("--metric", "-m", metavar="METRIC",
                     help="casualties (mines and explosive remnants of war), cluster-casualties "
                     "or contamination."),
    ] = "casualties",
    year: Annotated[
        Optional[int],
        typer.Option("--year", metavar="YEAR", help="Only this calendar year (for contamination: "
                     "editions covering it).", show_default=False),
    ] = None,
    weapon: Annotated[
        Optional[str],
        typer.Option("--weapon", metavar="WEAPON", help="Contamination only: ap_mines or "
                     "cluster_munitions.", show_default=False),
    ] = None,
    on: Annotated[
        Optional[str],
        typer.Option("--on", metavar="DATE", help="Answer with the editions published by the end of "
                     "DATE (YYYY, YYYY-MM or YYYY-MM-DD). Default: every edition.",
                     show_default=False),
    ] = None,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Show published casualty and contamination figures, with the edition that reported each.

    Example: landmine figures --year 2019 --on 2021-01-01
    """
    from . import figures as figures_query
    from .models import Weapon

    fmt = _fmt(format_, json_)
    chosen = _choice(metric, figures_query.Metric, "--metric")
    kind = None if weapon is None else _choice(weapon, Weapon, "--weapon")
    day = None if on is None else dates.parse_date(on, "--on", end=True)
    base = _load(facts, no_cache)
    iso3 = None if country is None else resolve(country, base)
    if chosen is figures_query.Metric.CONTAMINATION:
        doc = figures_query.contamination(base, iso3, kind, year, day, dates.today())
    else:
        if kind is not None:
            raise UsageError("--weapon applies to --metric contamination; for cluster munition "
                             "casualties use --metric cluster-casualties")
        doc = figures_query.casualties(base, iso3, chosen, year, day, dates.today())
    _emit(doc, lambda: views.figures(doc), fmt, base, day, rows=figures_query.flat_rows(doc))


def _choice(text: str, enum, option: str):
    """The member of `enum` whose value is `text`; UsageError listing the values otherwise."""
    try:
        return enum(text)
    except ValueError:
        raise UsageError(f"{option} {text!r}: use one of {', '.join(e.value for e in enum)}") from None


@command(app)
def validate(
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Check every fact file and report every problem, one per line.

    Example: landmine validate --facts ./my-facts
    """
    fmt = _fmt(format_, json_)
    root = store.facts_dir(None if facts is None else str(facts))
    base, problems = store.check(root)
    rows = [{"path": p.path, "line": p.line, "field": p.field, "message": p.message} for p in problems]
    output.emit(rows, lambda: views.validation(problems, base), fmt=fmt)
    if problems:
        raise typer.Exit(EXIT_DATA)


cache_app = typer.Typer(help="Manage the cache of validated facts.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@command(cache_app, "clear")
def cache_clear(json_: JsonOpt = False, format_: FormatOpt = None) -> None:
    """Delete every cached fact base; the next run rebuilds it.

    Example: landmine cache clear
    """
    from . import cache

    fmt = _fmt(format_, json_)
    removed = [str(p) for p in cache.clear()]
    noun = "file" if len(removed) == 1 else "files"
    lines = [output.Line(f"Removed {len(removed)} cache {noun} from {cache.cache_dir()}.", no_wrap=True)]
    doc = {"directory": str(cache.cache_dir()), "removed": removed}
    output.emit(doc, lambda: lines, fmt=fmt)


add_app = typer.Typer(
    help="Add a record to a facts folder, validated first and written atomically.",
    no_args_is_help=True,
)
app.add_typer(add_app, name="add")

SourceOpt = Annotated[
    list[str],
    typer.Option("--source", "-s", metavar="ID", help="A source id (repeat for several).",
                 show_default=False),
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Print the TOML that would be written; change nothing.")
]
CountryOpt = Annotated[
    str, typer.Option("--country", "-c", metavar="COUNTRY", help="Name, alias or ISO code.",
                      show_default=False, autocompletion=complete_country)
]
RequiredTreatyOpt = Annotated[
    str, typer.Option("--treaty", "-t", metavar="TREATY", help="A treaty id or alias (see landmine treaties).",
                      show_default=False, autocompletion=complete_treaty)
]


def _edit():
    """The edit module, imported only by the add commands (the others never write)."""
    from . import edit

    return edit


def _writable(facts: Optional[Path], dry_run: bool) -> tuple[Path, FactBase]:
    """The facts folder to add to (read-only ones only for a dry run), and its fact base."""
    root = _edit().writable_root(None if facts is None else str(facts), dry_run)
    return root, store.load(root)


def _state_file(base: FactBase, country: str, treaty: str) -> tuple[str, str]:
    """The file of the state named by the user, and the treaty id."""
    iso3 = resolve(country, base)
    [t] = resolve_treaty(base, treaty)
    return layout.country_file(iso3), t.id


def _add(root: Path, rel: str, table: str, record: dict, fmt: Format, dry_run: bool) -> None:
    """Validate and (unless a dry run) write one record, then report what was done."""
    edit = _edit()
    change = edit.plan(root, rel, table, record)
    if not dry_run:
        edit.apply(change)
    output.emit(views.added_record(change, dry_run), lambda: views.added(change, dry_run), fmt=fmt)


def _one_of(kinds: type) -> str:
    """The values of an enum as a sentence: "a, b or c."."""
    names = [str(k) for k in kinds]
    return f"{', '.join(names[:-1])} or {names[-1]}."


def _type_option(kinds: type):
    """The --type option of an add command: its help lists the enum's values."""
    return typer.Option("--type", metavar="TYPE", help=_one_of(kinds), show_default=False)


def _check_choice(value: str | None, kinds: type, option: str = "--type") -> None:
    """`option` must name one of the enum's values (None: the option was not given).
    Raises UsageError listing them."""
    names = [str(k) for k in kinds]
    if value is not None and value not in names:
        raise UsageError(f"{option}: {value!r} is not one of {', '.join(names)}")


def _text_option(name: str, help_: str, metavar: str = "TEXT"):
    return typer.Option(name, metavar=metavar, help=help_, show_default=False)


def _count_option(name: str, help_: str):
    return typer.Option(name, metavar="N", help=help_, show_default=False, min=0)


def _full_date(text: str, option: str) -> dt.date:
    if dates.read_date(text, option).precision != "day":
        raise UsageError(f"{option}: {text!r} must be a full date, YYYY-MM-DD")
    return _date(text, option)


@command(add_app, "event")
def add_event(
    country: CountryOpt,
    treaty: RequiredTreatyOpt,
    type_: Annotated[str, _type_option(EventType)],
    date: Annotated[str, typer.Option("--date", metavar="YYYY-MM-DD", show_default=False)],
    source: SourceOpt,
    note: Annotated[Optional[str], typer.Option("--note", help="A short note in your own words.",
                                                show_default=False)] = None,
    unverified: Annotated[Optional[str], typer.Option(
        "--unverified", metavar="WHY", help="Why no source seen states this exactly.",
        show_default=False)] = None,
    counterpart: Annotated[Optional[str], typer.Option(
        "--counterpart", metavar="COUNTRY", help="Use or transfer events: the state where the "
        "weapon was used, or that received it.", show_default=False,
        autocompletion=complete_country)] = None,
    dry_run: DryRunOpt = False,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Add a dated treaty event to a state's record.

    Example: landmine add event --country Poland --treaty apmbc --type withdrawal_effective --date 2026-02-20 --source SRC --facts DIR
    """
    fmt = _fmt(format_, json_)
    _check_choice(type_, EventType)
    day = _full_date(date, "--date")
    root, base = _writable(facts, dry_run)
    rel, treaty_id = _state_file(base, country, treaty)
    other = None if counterpart is None else resolve(counterpart, base)
    record = _edit().event_record(treaty_id, type_, day, source, note, unverified, other)
    _add(root, rel, "events", record, fmt, dry_run)


@command(add_app, "reason")
def add_reason(
    country: CountryOpt,
    treaty: RequiredTreatyOpt,
    date: Annotated[str, typer.Option("--date", metavar="YYYY-MM-DD",
                                      help="When the reason was stated.", show_default=False)],
    summary: Annotated[str, typer.Option("--summary", help="The reason, in your own words.",
                                         show_default=False)],
    source: SourceOpt,
    dry_run: DryRunOpt = False,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Add a stated reason to a state's record.

    Example: landmine add reason --country Finland --treaty apmbc --date 2025-04-01 --summary "..." --source SRC --facts DIR
    """
    fmt = _fmt(format_, json_)
    day = _full_date(date, "--date")
    root, base = _writable(facts, dry_run)
    rel, treaty_id = _state_file(base, country, treaty)
    record = _edit().reason_record(treaty_id, day, summary, source)
    _add(root, rel, "reasons", record, fmt, dry_run)


@command(add_app, "source")
def add_source(
    url: Annotated[str, typer.Option("--url", show_default=False)],
    publisher: Annotated[str, typer.Option("--publisher", show_default=False)],
    title: Annotated[str, typer.Option("--title", show_default=False)],
    published: Annotated[Optional[str], typer.Option("--published", metavar="YYYY-MM-DD",
                                                     help="The page's date, if it shows one.",
                                                     show_default=False)] = None,
    id_: Annotated[Optional[str], typer.Option("--id", help="Default: publisher and date.",
                                               show_default=False)] = None,
    dry_run: DryRunOpt = False,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Add a source that records can cite.

    Example: landmine add source --url https://example.org/a --publisher ICBL-CMC --title "..." --published 2026-02-20 --facts DIR
    """
    fmt = _fmt(format_, json_)
    day = None if published is None else _full_date(published, "--published")
    root, base = _writable(facts, dry_run)
    record = _edit().source_record(url, publisher, title, day, id_, base.sources)
    _add(root, "sources.toml", "sources", record, fmt, dry_run)


@command(add_app, "funding")
def add_funding(
    donor: Annotated[str, typer.Option("--donor", "-d", help="A donor id or name.",
                                       show_default=False, autocompletion=complete_donor)],
    year: Annotated[int, typer.Option("--year", metavar="YYYY", show_default=False,
                                      help="The calendar year the money was given.")],
    amount_usd: Annotated[int, typer.Option("--amount-usd", help="Whole US dollars.",
                                            show_default=False)],
    source: SourceOpt,
    edition: Annotated[str, typer.Option(
        "--edition", metavar="ID", show_default=False,
        help="The report edition that printed the figure (its id, e.g. lm2025); a later "
             "edition's revision is added beside the first figure.")],
    rank: Annotated[Optional[int], typer.Option(
        "--rank", metavar="N", min=1, show_default=False,
        help="The donor's rank that year (1: the largest), as the source states it.")] = None,
    share_pct: Annotated[Optional[float], typer.Option(
        "--share-pct", metavar="PCT", min=0.0, max=100.0, show_default=False,
        help="The donor's share of all international support, in per cent, as the source "
             "states it (shown only when no total is recorded to compute it).")] = None,
    approximate: Annotated[bool, typer.Option(
        "--approximate", help='The source rounds the amount ("about", "almost").')] = False,
    lower_bound: Annotated[bool, typer.Option(
        "--lower-bound", help='The source says "at least": the true amount may be higher.')] = False,
    note: Annotated[Optional[str], _text_option("--note", "A short note in your own words.")] = None,
    dry_run: DryRunOpt = False,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Add one donor's mine-action contribution for a year, as one edition printed it.

    Example: landmine add funding --donor Japan --year 2023 --amount-usd 40000000 --edition lm2024 --source SRC --facts DIR
    """
    fmt = _fmt(format_, json_)
    root, base = _writable(facts, dry_run)
    donor_id = resolve_donor(base, donor)
    record = _edit().contribution_record(donor_id, year, amount_usd, source, edition=edition, rank=rank,
                                         share_pct=share_pct, approximate=approximate,
                                         lower_bound=lower_bound, note=note)
    _add(root, "funding.toml", "contributions", record, fmt, dry_run)


@command(add_app, "funding-event")
def add_funding_event(
    date: Annotated[str, typer.Option("--date", metavar="YYYY-MM-DD", show_default=False)],
    type_: Annotated[str, _type_option(FundingEventType)],
    summary: Annotated[str, typer.Option("--summary", help="What happened, in your own words.",
                                         show_default=False)],
    source: SourceOpt,
    donor: Annotated[Optional[str], typer.Option(
        "--donor", "-d", help="A donor id or name (omit for the sector as a whole).",
        show_default=False, autocompletion=complete_donor)] = None,
    dry_run: DryRunOpt = False,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Add a dated funding event: a freeze, a cut, a restart, a budget decision.

    Example: landmine add funding-event --date 2025-03-20 --type restart --donor USA --summary "..." --source SRC --facts DIR
    """
    fmt = _fmt(format_, json_)
    _check_choice(type_, FundingEventType)
    day = _full_date(date, "--date")
    root, base = _writable(facts, dry_run)
    donor_id = None if donor is None else resolve_donor(base, donor)
    record = _edit().funding_event_record(day, type_, summary, source, donor_id)
    _add(root, "funding.toml", "events", record, fmt, dry_run)


# --- add obligation / extension: the per-state deadline records (models.Obligation,
# models.Extension; the rules they are validated against are in law.py and checks.py) ------

ArticleOpt = Annotated[
    str, typer.Option("--article", "-a", metavar="ARTICLE", show_default=False,
                      help='The duty: "Art. 4" (stockpile) or "Art. 5" (clearance) of the APMBC; '
                      '"Art. 3" (stockpile) or "Art. 4" (clearance) of the CCM.')
]


def _day_option(name: str, help_: str):
    """An optional full-date option (YYYY-MM-DD)."""
    return typer.Option(name, metavar="YYYY-MM-DD", help=help_, show_default=False)


def _maybe_day(text: Optional[str], option: str) -> Optional[dt.date]:
    return None if text is None else _full_date(text, option)


def _period(text: Optional[str], option: str) -> Optional[str]:
    """A month or year the record keeps as text: YYYY or YYYY-MM, exactly."""
    if text is not None and not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?", text):
        raise UsageError(f"{option}: {text!r} must be a year (YYYY) or a month (YYYY-MM)")
    return text


@command(add_app, "obligation")
def add_obligation(
    country: CountryOpt,
    treaty: RequiredTreatyOpt,
    article: ArticleOpt,
    original_deadline: Annotated[str, _day_option(
        "--original-deadline", "The deadline the article sets from entry into force.")],
    source: SourceOpt,
    completed: Annotated[Optional[str], _day_option("--completed", "The day the duty was completed.")] = None,
    completed_period: Annotated[Optional[str], _text_option(
        "--completed-period", "The month or year of completion, when no day is known.", "YYYY[-MM]")] = None,
    completed_by: Annotated[Optional[str], _day_option(
        "--completed-by", "A day by which it was completed (the report that declared it).")] = None,
    no_stockpile: Annotated[Optional[str], _text_option(
        "--no-stockpile", "The declaration that there was nothing to destroy, in your own words.")] = None,
    reopened_period: Annotated[Optional[str], _text_option(
        "--reopened-period", "The month or year the duty reopened (areas found later).", "YYYY[-MM]")] = None,
    researched_to: Annotated[Optional[str], _day_option(
        "--researched-to", "The last day through which the record is known complete.")] = None,
    mines_destroyed: Annotated[Optional[int], _count_option("--mines-destroyed", "Mines destroyed.")] = None,
    cluster_munitions_destroyed: Annotated[Optional[int], _count_option(
        "--cluster-munitions-destroyed", "Cluster munitions destroyed.")] = None,
    submunitions_destroyed: Annotated[Optional[int], _count_option(
        "--submunitions-destroyed", "Submunitions destroyed.")] = None,
    stockpile_declared: Annotated[Optional[int], _count_option(
        "--stockpile-declared", "The stockpile declared.")] = None,
    remaining: Annotated[Optional[int], _count_option("--remaining", "What remained to destroy.")] = None,
    remaining_as_of: Annotated[Optional[str], _day_option(
        "--remaining-as-of", "The day the remaining figure refers to.")] = None,
    note: Annotated[Optional[str], _text_option("--note", "A short note in your own words.")] = None,
    rule_exception: Annotated[Optional[str], _text_option(
        "--rule-exception", "Why the original deadline departs from the article's rule (sourced).")] = None,
    dry_run: DryRunOpt = False,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Add a stockpile-destruction or clearance obligation to a state's record.

    Example: landmine add obligation --country Betaland --treaty apmbc --article "Art. 4" --original-deadline 2008-11-01 --source SRC --facts DIR
    """
    fmt = _fmt(format_, json_)
    record_fields = {
        "completed": _maybe_day(completed, "--completed"),
        "completed_period": _period(completed_period, "--completed-period"),
        "completed_by": _maybe_day(completed_by, "--completed-by"),
        "no_stockpile": no_stockpile,
        "reopened_period": _period(reopened_period, "--reopened-period"),
        "researched_to": _maybe_day(researched_to, "--researched-to"),
        "mines_destroyed": mines_destroyed,
        "cluster_munitions_destroyed": cluster_munitions_destroyed,
        "submunitions_destroyed": submunitions_destroyed,
        "stockpile_declared": stockpile_declared,
        "remaining": remaining,
        "remaining_as_of": _maybe_day(remaining_as_of, "--remaining-as-of"),
        "note": note,
        "rule_exception": rule_exception,
    }
    day = _full_date(original_deadline, "--original-deadline")
    root, base = _writable(facts, dry_run)
    rel, treaty_id = _state_file(base, country, treaty)
    record = _edit().obligation_record(treaty_id, article, day, source, **record_fields)
    _add(root, rel, "obligations", record, fmt, dry_run)


@command(add_app, "extension")
def add_extension(
    country: CountryOpt,
    treaty: RequiredTreatyOpt,
    article: ArticleOpt,
    outcome: Annotated[str, typer.Option("--outcome", metavar="OUTCOME", help=_one_of(ExtensionOutcome),
                                         show_default=False)],
    source: SourceOpt,
    new_deadline: Annotated[Optional[str], _day_option(
        "--new-deadline", "The deadline granted (a granted extension only).")] = None,
    requested: Annotated[Optional[str], _day_option("--requested", "The day of the request.")] = None,
    requested_year: Annotated[Optional[int], typer.Option(
        "--requested-year", metavar="YYYY", help="The year of the request, when no day is known.",
        show_default=False)] = None,
    requested_text: Annotated[Optional[str], _text_option(
        "--requested-text", 'What was asked for when no new deadline is recorded ("to 2030").')] = None,
    granted_by: Annotated[Optional[str], _text_option(
        "--granted-by", "The meeting that decided (13MSP, 4RC, ...).", "MEETING")] = None,
    granted: Annotated[Optional[str], _day_option(
        "--granted", "The day of the decision (the meeting's closing day if only it is known).")] = None,
    granted_year: Annotated[Optional[int], typer.Option(
        "--granted-year", metavar="YYYY", help="The year of the decision, when no day is known.",
        show_default=False)] = None,
    note: Annotated[Optional[str], _text_option("--note", "A short note in your own words.")] = None,
    dry_run: DryRunOpt = False,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Add a request to extend an obligation's deadline and, if granted, the new deadline.

    Example: landmine add extension --country Betaland --treaty apmbc --article "Art. 5" --outcome granted --new-deadline 2031-11-01 --granted 2029-11-29 --source SRC --facts DIR
    """
    fmt = _fmt(format_, json_)
    _check_choice(outcome, ExtensionOutcome, "--outcome")
    record_fields = {
        "new_deadline": _maybe_day(new_deadline, "--new-deadline"),
        "requested": _maybe_day(requested, "--requested"),
        "requested_year": requested_year,
        "requested_text": requested_text,
        "granted_by": granted_by,
        "granted": _maybe_day(granted, "--granted"),
        "granted_year": granted_year,
        "note": note,
    }
    root, base = _writable(facts, dry_run)
    rel, treaty_id = _state_file(base, country, treaty)
    record = _edit().extension_record(treaty_id, article, outcome, source, **record_fields)
    _add(root, rel, "extensions", record, fmt, dry_run)


@command(add_app, "retained")
def add_retained(
    country: CountryOpt,
    treaty: RequiredTreatyOpt,
    mines_retained: Annotated[int, typer.Option(
        "--mines-retained", metavar="N", min=0, show_default=False,
        help="Anti-personnel mines retained (APMBC Art. 3), as the source gives the figure.")],
    figure_kind: Annotated[str, _text_option(
        "--figure-kind", 'What the figure is, as the source gives it ("reported", "declared", '
        '"end-of-year", "last_declaration", ...).', "KIND")],
    source: SourceOpt,
    year: Annotated[Optional[int], typer.Option(
        "--year", metavar="YYYY", help="The year the figure is for.", show_default=False)] = None,
    note: Annotated[Optional[str], _text_option("--note", "A short note in your own words.")] = None,
    dry_run: DryRunOpt = False,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Add the number of anti-personnel mines a state reported retaining for one year.

    Example: landmine add retained --country Betaland --treaty apmbc --mines-retained 120 --figure-kind reported --year 2024 --source SRC --facts DIR
    """
    fmt = _fmt(format_, json_)
    root, base = _writable(facts, dry_run)
    rel, treaty_id = _state_file(base, country, treaty)
    record = _edit().retained_record(treaty_id, mines_retained, figure_kind, source, year, note)
    _add(root, rel, "retained", record, fmt, dry_run)


# --- add edition / casualty: figures.toml (models.Edition, models.Casualty) --------------


@command(add_app, "edition")
def add_edition(
    id_: Annotated[str, typer.Option("--id", help="A short id the figures cite (lm2025).",
                                     show_default=False)],
    title: Annotated[str, typer.Option("--title", show_default=False)],
    publisher: Annotated[str, typer.Option("--publisher", show_default=False)],
    covers: Annotated[int, typer.Option("--covers", metavar="YYYY",
                                        help="The calendar year the edition reports.",
                                        show_default=False)],
    source: SourceOpt,
    published: Annotated[Optional[str], _day_option(
        "--published", "The day it was released, if a source gives it.")] = None,
    note: Annotated[Optional[str], _text_option("--note", "A short note in your own words.")] = None,
    dry_run: DryRunOpt = False,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Add an edition of a report that publishes figures.

    Example: landmine add edition --id lm2026 --title "Landmine Monitor 2026" --publisher ICBL-CMC --covers 2025 --source SRC --facts DIR
    """
    fmt = _fmt(format_, json_)
    day = _maybe_day(published, "--published")
    root, _ = _writable(facts, dry_run)
    record = _edit().edition_record(id_, title, publisher, covers, source, day, note)
    _add(root, "figures.toml", "editions", record, fmt, dry_run)


@command(add_app, "casualty")
def add_casualty(
    scope: Annotated[str, typer.Option("--scope", metavar="COUNTRY|world", show_default=False,
                                       help='"world", or a state (name, alias or ISO code).',
                                       autocompletion=complete_country)],
    year: Annotated[int, typer.Option("--year", metavar="YYYY", help="The year of the casualties.",
                                      show_default=False)],
    weapon: Annotated[str, typer.Option("--weapon", metavar="WEAPON", show_default=False,
                                        help="mines_erw or cluster_munitions.")],
    edition: Annotated[str, typer.Option("--edition", metavar="ID", show_default=False,
                                         help="The edition that printed the figure (its id).")],
    source: SourceOpt,
    killed: Annotated[Optional[int], _count_option("--killed", "People killed.")] = None,
    injured: Annotated[Optional[int], _count_option("--injured", "People injured.")] = None,
    total: Annotated[Optional[int], _count_option("--total", "People killed or injured.")] = None,
    civilian_pct: Annotated[Optional[float], typer.Option(
        "--civilian-pct", metavar="PCT", min=0.0, max=100.0, show_default=False,
        help="The civilians' share of the casualties, in per cent.")] = None,
    secondary: Annotated[bool, typer.Option(
        "--secondary", help="The figure was read in a copy quoting the edition (say which in --note).")] = False,
    note: Annotated[Optional[str], _text_option("--note", "A short note in your own words.")] = None,
    dry_run: DryRunOpt = False,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Add a casualty figure for one year, as one edition printed it.

    Example: landmine add casualty --scope world --year 2025 --weapon mines_erw --edition lm2026 --total 6000 --source SRC --facts DIR
    """
    from .models import WORLD, Weapon

    fmt = _fmt(format_, json_)
    _check_choice(weapon, Weapon, "--weapon")
    root, base = _writable(facts, dry_run)
    where = WORLD if scope.casefold() == WORLD else resolve(scope, base)
    record = _edit().casualty_record(where, year, weapon, edition, source, killed=killed,
                                     injured=injured, total=total, civilian_pct=civilian_pct,
                                     secondary=secondary, note=note)
    _add(root, "figures.toml", "casualties", record, fmt, dry_run)


@command(add_app, "contamination")
def add_contamination(
    scope: Annotated[str, typer.Option("--scope", metavar="COUNTRY|world", show_default=False,
                                       help='"world", or a state (name, alias or ISO code).',
                                       autocompletion=complete_country)],
    weapon: Annotated[str, typer.Option("--weapon", metavar="WEAPON", show_default=False,
                                        help="ap_mines or cluster_munitions.")],
    edition: Annotated[str, typer.Option("--edition", metavar="ID", show_default=False,
                                         help="The edition that reported the figure (its id).")],
    source: SourceOpt,
    area_km2: Annotated[Optional[float], typer.Option(
        "--area-km2", metavar="KM2", min=0.0, show_default=False,
        help="A state's contaminated area in square kilometres (with --area-kind).")] = None,
    area_kind: Annotated[Optional[str], typer.Option(
        "--area-kind", metavar="KIND", show_default=False, help="confirmed or suspected.")] = None,
    extent_band: Annotated[Optional[str], typer.Option(
        "--extent-band", metavar="BAND", show_default=False,
        help="The Monitor's band for a state: massive, large, medium, small or residual_or_suspected.")] = None,
    states_and_areas: Annotated[Optional[int], _count_option(
        "--states-and-areas", "World rows: states and other areas counted.")] = None,
    states: Annotated[Optional[int], _count_option("--states", "World rows: states counted.")] = None,
    states_parties: Annotated[Optional[int], _count_option(
        "--states-parties", "World rows: states parties counted.")] = None,
    states_not_party: Annotated[Optional[int], _count_option(
        "--states-not-party", "World rows: states not party counted.")] = None,
    other_areas: Annotated[Optional[int], _count_option(
        "--other-areas", "World rows: other areas counted.")] = None,
    at_least: Annotated[bool, typer.Option(
        "--at-least", help="The counts are floors, as the source says (\"at least 57\").")] = False,
    secondary: Annotated[bool, typer.Option(
        "--secondary", help="The figure was read in a copy quoting the edition (say which in --note).")] = False,
    note: Annotated[Optional[str], _text_option("--note", "A short note in your own words.")] = None,
    dry_run: DryRunOpt = False,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Add a contamination figure: a state's area or band, or the world's count of states.

    Example: landmine add contamination --scope world --weapon ap_mines --edition lm2026 --states-and-areas 57 --at-least --source SRC --facts DIR
    """
    from .models import WORLD, AreaKind, ExtentBand, Weapon

    fmt = _fmt(format_, json_)
    for value, kinds, option in ((weapon, Weapon, "--weapon"), (area_kind, AreaKind, "--area-kind"),
                                 (extent_band, ExtentBand, "--extent-band")):
        _check_choice(value, kinds, option)
    root, base = _writable(facts, dry_run)
    where = WORLD if scope.casefold() == WORLD else resolve(scope, base)
    record = _edit().contamination_record(
        where, weapon, edition, source, area_km2=area_km2, area_kind=area_kind,
        extent_band=extent_band, states_and_areas=states_and_areas, states=states,
        states_parties=states_parties, states_not_party=states_not_party, other_areas=other_areas,
        at_least=at_least, secondary=secondary, note=note)
    _add(root, "figures.toml", "contamination", record, fmt, dry_run)


@command(app)
def search(
    text: Annotated[str, typer.Argument(
        help="Whole words or a phrase (any case, with or without accents).")],
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Find countries, events, reasons, funding events and sources that hold these words.

    Example: landmine search "Vienna Convention"
    """
    fmt = _fmt(format_, json_)
    base = _load(facts, no_cache)
    rows = search_query.search(base, text)
    _emit(rows, lambda: views.search(rows), fmt, base)


@command(app)
def export(
    sqlite: Annotated[Optional[Path], typer.Option(
        "--sqlite", metavar="FILE", help="Write a SQLite database (for sqlite3 or Datasette).",
        show_default=False)] = None,
    csv_dir: Annotated[Optional[Path], typer.Option(
        "--csv", metavar="DIR", help="Write one CSV file per table into DIR.",
        show_default=False)] = None,
    on: OnOpt = None,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Export the whole fact base as a SQLite database or as CSV files, reproducibly.

    Example: landmine export --sqlite landmine.db && datasette landmine.db
    """
    from . import export as exporter

    fmt = _fmt(format_, json_)
    if sqlite is None and csv_dir is None:
        raise UsageError("export: give --sqlite FILE, --csv DIR or both")
    day = _on(on)
    base = _load(facts, no_cache)
    rows = []
    try:
        if sqlite is not None:
            counts = exporter.to_sqlite(base, sqlite, day)
            rows.append({"format": "sqlite", "path": str(sqlite), "tables": counts})
        if csv_dir is not None:
            counts = exporter.to_csv(base, csv_dir, day)
            rows.append({"format": "csv", "path": str(csv_dir), "tables": counts})
    except OSError as err:
        raise WriteError(f"export: cannot write {err.filename or ''}: {err.strerror or err}") from None
    output.emit(rows, lambda: views.exported(rows), fmt=fmt)


# -- verify: the fact base against the UN depositary's status pages ---------------------------


@command(app)
def verify(
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE...",
        help="UN Treaty Collection status pages for the APMBC (XXVI-5) or CCM (XXVI-6): the "
        "HTML page as saved, or the MTDSG XML file.", show_default=False)],
    as_at: Annotated[Optional[str], typer.Option(
        "--as-at", metavar="YYYY-MM-DD",
        help="The page's 'status as at' date, for pages that show none (MTDSG XML files): "
        "the day the file was saved.", show_default=False)] = None,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Check signatures, consents and withdrawals against the UN depositary's status pages.

    Example: landmine verify XXVI-5.en.xml --as-at 2026-01-15
    """
    from . import depositary
    from .errors import EXIT_DISAGREE

    fmt = _fmt(format_, json_)
    given = None if as_at is None else _full_date(as_at, "--as-at")
    base = _load(facts, no_cache)
    pages, rows = [], []
    for path in files:
        page = depositary.read(path)
        day = page.status_as_at or given
        if day is None:
            raise UsageError(
                f"{path}: the page shows no 'status as at' date (MTDSG XML files carry none); "
                "give --as-at YYYY-MM-DD, the day the file was saved"
            )
        pages.append(depositary.page_record(page, day, "page" if page.status_as_at else "--as-at"))
        rows += depositary.compare(page, base, day)
    doc = {"pages": pages, "disagreements": rows}
    _emit(doc, lambda: views.verify(doc), fmt, base, rows=rows)
    if rows:
        raise typer.Exit(EXIT_DISAGREE)


# -- map and chart: pictures of the same answers (rendering modules load only here) --------

OutputOpt = Annotated[
    Optional[Path],
    typer.Option("--output", "-o", metavar="FILE",
                 help="Write the picture to FILE: .svg, .png (needs the maps extra) or .html "
                 "(standalone, with hover text).", show_default=False),
]


def _one_treaty(base: FactBase, treaty: Optional[str]):
    """The treaty named, or the first in the fact base (the Mine Ban Convention)."""
    return resolve_treaty(base, treaty)[0]


def _picture(path: Optional[Path], svg: str, title: str, doc: dict, fmt: Format) -> None:
    """Write the picture to the file named, then say what was written."""
    from . import pictures

    kind = pictures.write(path, svg, title)
    row = {"path": str(path), "format": kind, "title": title} | doc
    output.emit(row, lambda: [output.Line(f"Wrote {path} ({kind.upper()}): {title}.")], fmt=fmt)


@command(app, "map")
def map_(
    treaty: TreatyOpt = None,
    on: OnOpt = None,
    changes_: Annotated[Optional[tuple[str, str]], typer.Option(
        "--changes", metavar="FROM TO",
        help="Colour the states whose status changed from the first day of FROM to the last day "
        "of TO (as landmine changes --from FROM --to TO), by kind of change.",
        show_default=False)] = None,
    out: OutputOpt = None,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Draw a world map of every state's status under one treaty on a day.

    Example: landmine map --treaty apmbc --on 2026-03-01 -o map.html
    """
    import sys

    from . import maps, pictures

    fmt = _fmt(format_, json_)
    if out is not None:
        pictures.format_of(out)
    base = _load(facts, no_cache)
    t = _one_treaty(base, treaty)
    if changes_ is not None:
        if on is not None:
            raise UsageError("give --on or --changes FROM TO, not both")
        start = _date(changes_[0], "--changes FROM")
        end = _date(changes_[1], "--changes TO", end=True)
        rows, svg, title = maps.change_map(base, t, start, end)
    else:
        rows, svg, title = maps.status_map(base, t, _on(on))
    if out is not None:
        counts: dict[str, int] = {}
        for row in rows:
            key = row["change"] if changes_ is not None else row["status"]
            counts[key] = counts.get(key, 0) + 1
        _picture(out, svg, title, {"treaty": t.id, "states": len(rows), "counts": counts}, fmt)
    elif json_ or format_ is not None:
        output.emit(rows, lambda: [], fmt=fmt)
    elif sys.stdout.isatty():
        raise UsageError("map: a terminal cannot show the map; give -o map.svg (or .png, "
                         ".html), pipe it (landmine map > map.svg), or use --json for the rows")
    else:
        # The SVG document is this command's data when stdout is a pipe or a file.
        sys.stdout.write(svg)


chart_app = typer.Typer(help="Chart treaty membership, casualties and funding over time.", no_args_is_help=True)
app.add_typer(chart_app, name="chart")


@command(chart_app, "parties")
def chart_parties(
    treaty: TreatyOpt = None,
    from_: Annotated[Optional[str], typer.Option(
        "--from", metavar="DATE", help="First day (YYYY, YYYY-MM or YYYY-MM-DD: its first day). "
        "Default: the day the treaty opened for signature.", show_default=False)] = None,
    to: Annotated[Optional[str], typer.Option(
        "--to", metavar="DATE", help="Last day (its last day, for YYYY or YYYY-MM). Default: today.",
        show_default=False)] = None,
    out: OutputOpt = None,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Chart the number of states parties and signatories, day by day, with who joined or left.

    Example: landmine chart parties --treaty ccm --from 2020 -o parties.svg
    """
    from . import charts, pictures

    fmt = _fmt(format_, json_)
    if out is not None:
        pictures.format_of(out)
    base = _load(facts, no_cache)
    t = _one_treaty(base, treaty)
    start = t.opened_for_signature if from_ is None else _date(from_, "--from")
    end = _on(to) if to is None else _date(to, "--to", end=True)
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}" if to is not None else
                         f"--from {start} is after today ({end}): nothing to chart yet")
    doc = charts.parties(base, t, start, end)
    if out is not None:
        last = doc["series"][-1]
        _picture(out, charts.svg(doc, base), charts.title(doc),
                 {"treaty": t.id, "from": doc["from"], "to": doc["to"],
                  "states_parties": last["states_parties"], "signatories": last["signatories"]}, fmt)
        return
    width = output.text_width()
    _emit(doc, lambda: charts.text(doc, width), fmt, base, end, rows=doc["series"])


# chart casualties and chart funding: the figures and funding answers, one bar a year.

EditionsOnOpt = Annotated[
    Optional[str],
    typer.Option("--on", metavar="DATE", help="Chart the editions published by the end of DATE "
                 "(YYYY, YYYY-MM or YYYY-MM-DD). Default: every edition.", show_default=False),
]


def _year_chart(build: Callable[[FactBase, Optional[dt.date]], dict], on: Optional[str],
                out: Optional[Path], fmt: Format, facts: Optional[Path], no_cache: bool) -> None:
    """Check -o's kind, read --on, load the facts, build the year chart's document with
    `build(base, day)`, then write it to -o or print it (a text chart the terminal's width)."""
    from . import pictures, yearcharts

    if out is not None:
        pictures.format_of(out)
    day = None if on is None else dates.parse_date(on, "--on", end=True)
    base = _load(facts, no_cache)
    doc = build(base, day)
    if out is not None:
        _picture(out, yearcharts.svg(doc, base), doc["title"], yearcharts.picture_row(doc), fmt)
        return
    width = output.text_width()
    _emit(doc, lambda: yearcharts.text(doc, width), fmt, base, day, rows=doc["bars"])


@command(chart_app, "casualties")
def chart_casualties(
    weapon: Annotated[str, typer.Option(
        "--weapon", metavar="WEAPON", help="mines_erw (mines and explosive remnants of war) or "
        "cluster_munitions.")] = "mines_erw",
    on: EditionsOnOpt = None,
    out: OutputOpt = None,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Chart world casualties per year as published; a year with no figure is a gap, not 0.

    Example: landmine chart casualties --on 2020 -o casualties.svg
    """
    from . import yearcharts
    from .models import Weapon

    fmt = _fmt(format_, json_)
    kind = _choice(weapon, Weapon, "--weapon")
    if kind not in yearcharts.WEAPONS:
        raise UsageError(f"--weapon {weapon}: casualties are recorded for "
                         f"{' or '.join(str(w) for w in yearcharts.WEAPONS)}")
    _year_chart(lambda base, day: yearcharts.casualties(base, kind, day, dates.today()),
                on, out, fmt, facts, no_cache)


@command(chart_app, "funding")
def chart_funding(
    on: EditionsOnOpt = None,
    out: OutputOpt = None,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    facts: FactsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Chart international mine-action support per year; a year with no total is a gap, not 0.

    Example: landmine chart funding --on 2020 -o funding.html
    """
    from . import yearcharts

    _year_chart(yearcharts.funding, on, out, _fmt(format_, json_), facts, no_cache)


# -- schema: the JSON contract, machine-checkable (pydantic loads only here) ------------------


@command(app)
def schema(
    command_: Annotated[Optional[list[str]], typer.Argument(
        metavar="[COMMAND]", help="A command as typed: status, non-members, add event, cache "
        "clear, chart parties ... Omit it to list the commands.", show_default=False)] = None,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
) -> None:
    """Print the JSON Schema of a command's --json output, or list the commands that have one.

    Example: landmine schema non-members > non-members.schema.json
    """
    from . import schemas

    fmt = _fmt(format_, json_)
    if not command_:
        rows = schemas.listing()
        output.emit(rows, lambda: views.schemas(rows), fmt=fmt)
        return
    name = " ".join(command_)
    if name not in schemas.COMMANDS:
        raise UsageError(f"{name!r} is not a command with JSON output (landmine schema lists them)",
                         schemas.closest(name))
    # A schema is a JSON document: a table of it would say less, so the table format is JSON.
    output.emit(schemas.schema_of(name), lambda: [], fmt=Format.JSON if fmt is Format.TABLE else fmt)


# -- the app for one command line ------------------------------------------------------------


def app_for(args: list[str]) -> typer.Typer:
    """The app to run for the command line `args` (sys.argv[1:]): the same app with only the
    command it names (and, in a group, only the subcommand) registered, or the whole app when
    `args` names none, asks for top-level help or options, or comes from shell completion.

    Why: Typer builds every registered command's parameters at each start, about half a
    millisecond a command, and start-up is a budget (docs/performance.md). Returns a
    typer.Typer; raises nothing."""
    import os

    from .completion import COMPLETE_VAR

    if not args or args[0].startswith("-") or COMPLETE_VAR in os.environ:
        return app
    return _only(app, args[0], args[1:]) or app


def _only(group: typer.Typer, name: str, rest: list[str]) -> typer.Typer | None:
    """A shallow copy of `group` holding only the command or sub-group called `name` (for a
    sub-group, pruned the same way by the next word of `rest`); None if `name` is neither."""
    import copy

    commands = [c for c in group.registered_commands
                if (c.name or typer.main.get_command_name(c.callback.__name__)) == name]
    groups = [g for g in group.registered_groups if g.name == name]
    if not commands and not groups:
        return None
    if groups and rest and not rest[0].startswith("-"):
        inner = _only(groups[0].typer_instance, rest[0], [])
        if inner is not None:
            groups = [copy.copy(groups[0])]
            groups[0].typer_instance = inner
    lean = copy.copy(group)
    lean.registered_commands, lean.registered_groups = commands, groups
    return lean
