"""The Typer app: parse the command line, ask queries.py, hand the answer to output.emit.

Domain errors are translated here, once, into `Error: ...` on stderr and an exit code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__, dates, output, queries, store, views
from .countries import resolve
from .errors import FactsError, LandmineError
from .models import FactBase

app = typer.Typer(
    name="landmine",
    help="Sourced answers about the Mine Ban Convention (1997) and the Convention on Cluster "
    "Munitions (2008): who is leaving, who never joined, and what funding changed.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (for scripts) instead of tables.")]
FactsOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--facts",
        metavar="DIR",
        help=f"Read facts from DIR instead of the shipped fact base (also ${store.ENV_VAR}).",
        show_default=False,
    ),
]
OnOpt = Annotated[
    Optional[str],
    typer.Option(
        "--on",
        metavar="DATE",
        help="Answer as things stood at the end of DATE (YYYY, YYYY-MM or YYYY-MM-DD). "
        "Default: today.",
        show_default=False,
    ),
]
TreatyOpt = Annotated[
    Optional[str],
    typer.Option(
        "--treaty",
        "-t",
        metavar="TREATY",
        help="Only this treaty: apmbc (ottawa, mine-ban, mbt) or ccm (oslo, cluster).",
        show_default=False,
    ),
]


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


def _load(facts: Path | None) -> FactBase:
    return store.load(store.facts_dir(None if facts is None else str(facts)))


def _on(text: str | None) -> dt.date:
    return dates.today() if text is None else dates.parse_date(text, "--on", end=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"landmine {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Sourced answers about the Mine Ban Convention and the Convention on Cluster Munitions.

    Exit codes: 0 success (also when nothing matched), 2 bad usage (unknown country,
    treaty, donor or date), 3 invalid fact data, 130 interrupted.
    """


@app.command()
def status(
    country: Annotated[str, typer.Argument(help="Name, alias or ISO code (FI, FIN, Finland).")],
    on: OnOpt = None,
    json_: JsonOpt = False,
    facts: FactsOpt = None,
) -> None:
    """Show one state's position on both treaties, with dated events, reasons and sources.

    Example: landmine status Finland
    """
    with handled():
        day = _on(on)
        base = _load(facts)
        doc = queries.status(base, resolve(country, base.countries), day)
        output.emit(doc, views.status(doc), json_=json_, footer=views.footer(doc["facts_as_of"], doc["as_of"]))


@app.command()
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
    facts: FactsOpt = None,
) -> None:
    """List withdrawals and suspensions: announced, approved, deposited, effective.

    Example: landmine withdrawals --since 2025-03
    """
    with handled():
        start = None if since is None else dates.parse_date(since, "--since")
        day = _on(on)
        base = _load(facts)
        rows = queries.withdrawals(base, day, start, treaty)
        output.emit(
            rows,
            views.withdrawals(rows),
            json_=json_,
            footer=views.footer(base.meta.facts_as_of.isoformat(), day.isoformat()),
        )


@app.command("non-members")
def non_members(
    treaty: TreatyOpt = None,
    on: OnOpt = None,
    json_: JsonOpt = False,
    facts: FactsOpt = None,
) -> None:
    """List states that are not parties: never joined, signed only, withdrew.

    Example: landmine non-members --treaty apmbc --json | jq -r '.[].iso3'
    """
    with handled():
        day = _on(on)
        base = _load(facts)
        rows = queries.non_members(base, day, treaty)
        output.emit(
            rows,
            views.non_members(rows),
            json_=json_,
            footer=views.footer(base.meta.facts_as_of.isoformat(), day.isoformat()),
        )


@app.command()
def funding(
    donor: Annotated[
        Optional[str],
        typer.Option("--donor", "-d", metavar="DONOR", help="Only this donor (name or code).",
                     show_default=False),
    ] = None,
    since: Annotated[
        Optional[str],
        typer.Option("--since", metavar="YEAR", help="Only this year and later.",
                     show_default=False),
    ] = None,
    json_: JsonOpt = False,
    facts: FactsOpt = None,
) -> None:
    """Show mine-action funding by donor and year, with changes, shares and dated events.

    Example: landmine funding --donor USA --since 2020
    """
    with handled():
        year = None if since is None else dates.parse_date(since, "--since").year
        base = _load(facts)
        doc = queries.funding(base, donor, year)
        output.emit(doc, views.funding(doc), json_=json_, footer=views.footer(doc["facts_as_of"]))


@app.command()
def treaties(
    on: OnOpt = None,
    json_: JsonOpt = False,
    facts: FactsOpt = None,
) -> None:
    """List the treaties, their aliases and key dates, and how many states are parties.

    Example: landmine treaties --on 2024-12-31
    """
    with handled():
        day = _on(on)
        base = _load(facts)
        rows = queries.treaties(base, day)
        output.emit(
            rows,
            views.treaties(rows),
            json_=json_,
            footer=views.footer(base.meta.facts_as_of.isoformat(), day.isoformat()),
        )


@app.command()
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
    facts: FactsOpt = None,
) -> None:
    """List every change of status, and every withdrawal stage, between two dates.

    Example: landmine changes --from 2025-01 --to 2026-03 --treaty apmbc
    """
    with handled():
        start = dates.parse_date(from_, "--from")
        end = _on(to) if to is None else dates.parse_date(to, "--to", end=True)
        base = _load(facts)
        rows = queries.changes(base, start, end, treaty)
        output.emit(
            rows,
            views.changes(rows),
            json_=json_,
            footer=views.footer(base.meta.facts_as_of.isoformat(), end.isoformat()),
        )


@app.command()
def timeline(
    country: Annotated[
        Optional[str],
        typer.Argument(help="Only this state (name, alias or ISO code).", show_default=False),
    ] = None,
    treaty: TreatyOpt = None,
    since: Annotated[
        Optional[str],
        typer.Option("--since", metavar="DATE", help="Only events on or after DATE.",
                     show_default=False),
    ] = None,
    on: OnOpt = None,
    json_: JsonOpt = False,
    facts: FactsOpt = None,
) -> None:
    """Show the dated events in order, for one state or for a whole treaty.

    Example: landmine timeline --treaty ccm --since 2024
    """
    with handled():
        start = None if since is None else dates.parse_date(since, "--since")
        day = _on(on)
        base = _load(facts)
        iso3 = None if country is None else resolve(country, base.countries)
        rows = queries.timeline(base, iso3, treaty, start, day)
        output.emit(
            rows,
            views.timeline(rows, one_country=iso3 is not None),
            json_=json_,
            footer=views.footer(base.meta.facts_as_of.isoformat(), day.isoformat()),
        )


def main() -> None:
    app()
