"""Mine-action funding: yearly totals, contributions by donor and year with their change and
share, support by recipient state, gaps where no figure is recorded, and dated funding
events, as one JSON-ready document.

Every figure names the Landmine Monitor edition that printed it. A later edition may revise
an earlier year; both records are kept, and this module picks, for each year, the figure of
the latest edition published by the day asked (`on`), saying which earlier figure it
replaced and, when asked about a past day, which later edition went on to revise it."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from .countries import resolve, resolve_donor
from .models import FactBase, FundingScope, GapKind
from .rows import Row, edition_counts_from, iso, sources

_INTERNATIONAL = FundingScope.INTERNATIONAL


def published(base: FactBase, edition: str) -> dt.date:
    """The day an edition (its id) counts as published (rows.edition_counts_from). Raises
    KeyError for an edition the fact base does not register (validation refuses those)."""
    return edition_counts_from(base.editions[edition])


def _known_by(base: FactBase, edition: str, on: dt.date | None) -> bool:
    return on is None or published(base, edition) <= on


def _order(base: FactBase, record: Any) -> tuple:
    return (published(base, record.edition), record.edition)


def _pick(base: FactBase, records: Iterable[Any], key, on: dt.date | None) -> dict[Any, dict]:
    """For each key, the record of the latest edition published by `on`, with the earlier
    figure it replaced (`earlier`) and the first later edition that changed it (`later`)."""
    groups: dict[Any, list] = {}
    for record in records:
        groups.setdefault(key(record), []).append(record)
    chosen = {}
    for k, group in groups.items():
        group.sort(key=lambda r: _order(base, r))
        known = [r for r in group if _known_by(base, r.edition, on)]
        if not known:
            continue
        current = known[-1]
        earlier = next((r for r in reversed(known[:-1]) if r.amount_usd != current.amount_usd), None)
        later = next((r for r in group[len(known):] if r.amount_usd != current.amount_usd), None)
        chosen[k] = {"record": current, "earlier": earlier, "later": later}
    return chosen


def _total_key(total: Any) -> tuple:
    return str(total.scope), total.year


def _contribution_key(contribution: Any) -> tuple:
    return contribution.donor, contribution.year


def shown(base: FactBase, on: dt.date | None) -> tuple[set, set]:
    """The yearly totals and the contributions the answers give as of `on` (None: every
    edition): for each (scope, year) and each (donor, year), the record of the latest
    edition published by then. Returns (totals, contributions) as sets of records. Raises
    nothing."""
    totals = _pick(base, base.totals, _total_key, on)
    contributions = _pick(base, base.contributions, _contribution_key, on)
    return ({p["record"] for p in totals.values()}, {p["record"] for p in contributions.values()})


def _edition_fields(base: FactBase, record: Any) -> Row:
    edition = base.editions[record.edition]
    return {
        "edition": record.edition,
        "edition_title": edition.title,
        "edition_published": iso(edition.published),
    }


def _revision_fields(base: FactBase, pick: dict) -> Row:
    earlier, later = pick["earlier"], pick["later"]
    return {
        "revises_edition": None if earlier is None else earlier.edition,
        "revises_amount_usd": None if earlier is None else earlier.amount_usd,
        "revised_by_edition": None if later is None else later.edition,
        "revised_amount_usd": None if later is None else later.amount_usd,
    }


def _change(amount: int, previous: int | None) -> tuple[int | None, float | None]:
    if previous is None:
        return None, None
    change = amount - previous
    return change, (round(100 * change / previous, 1) if previous else None)


def _total_rows(base: FactBase, on: dt.date | None) -> tuple[list[Row], list[Row]]:
    """International totals, and the other scopes (global, national, victim assistance)."""
    picks = _pick(base, base.totals, _total_key, on)
    international, other = [], []
    for (scope, year), pick in sorted(picks.items(), key=lambda kv: (kv[0][0] != _INTERNATIONAL, kv[0])):
        t = pick["record"]
        previous = picks.get((scope, year - 1))
        change_usd, change_pct = _change(t.amount_usd, previous and previous["record"].amount_usd)
        row = {
            "year": t.year,
            "amount_usd": t.amount_usd,
            "change_usd": change_usd,
            "change_pct": change_pct,
            "donors": t.donors,
            "lower_bound": t.lower_bound,
            "approximate": t.approximate,
            **_edition_fields(base, t),
            **_revision_fields(base, pick),
            "note": t.note,
            "sources": list(t.sources),
        }
        if scope == _INTERNATIONAL:
            international.append(row)
        else:
            other.append({"scope": scope, **row, "share_pct": t.share_pct,
                          "affected_states": t.affected_states})
    return international, other


def _contribution_rows(base: FactBase, totals: list[Row], on: dt.date | None) -> list[Row]:
    picks = _pick(base, base.contributions, _contribution_key, on)
    by_year = {t["year"]: t for t in totals}
    rows = []
    for (donor, year), pick in picks.items():
        c = pick["record"]
        previous = picks.get((donor, year - 1))
        change_usd, change_pct = _change(c.amount_usd, previous and previous["record"].amount_usd)
        total = by_year.get(year)
        if total is not None:
            share, basis = round(100 * c.amount_usd / total["amount_usd"], 1), "computed"
        elif c.share_pct is not None:
            share, basis = c.share_pct, "stated"
        else:
            share, basis = None, None
        rows.append({
            "donor": c.donor,
            "donor_name": base.donors[c.donor].name,
            "year": c.year,
            "amount_usd": c.amount_usd,
            "share_pct": share,
            "share_basis": basis,
            "change_usd": change_usd,
            "change_pct": change_pct,
            "rank": c.rank,
            "lower_bound": c.lower_bound,
            "approximate": c.approximate,
            **_edition_fields(base, c),
            **_revision_fields(base, pick),
            "note": c.note,
            "sources": list(c.sources),
        })
    rows.sort(key=lambda row: (row["donor_name"], row["year"]))
    return rows


def _gap_rows(base: FactBase, covered: set, on: dt.date | None) -> list[Row]:
    """Gaps from editions published by `on`, unless a figure of any such edition covers them."""
    rows = []
    for g in base.funding_gaps:
        if not _known_by(base, g.edition, on):
            continue
        what = g.donor if g.kind == GapKind.CONTRIBUTION else g.iso3 if g.kind == GapKind.RECIPIENT else None
        if (str(g.kind), what, g.year) in covered:
            continue
        rows.append({
            "kind": str(g.kind),
            "year": g.year,
            "donor": g.donor,
            "donor_name": None if g.donor is None else base.donors[g.donor].name,
            "iso3": g.iso3,
            "country": None if g.iso3 is None else base.countries[g.iso3].name,
            **_edition_fields(base, g),
            "note": g.note,
            "sources": list(g.sources),
        })
    return rows


def _recipient_rows(base: FactBase, on: dt.date | None) -> list[Row]:
    rows = []
    for r in base.recipients:
        if not _known_by(base, r.edition, on):
            continue
        rows.append({
            "year": r.year,
            "iso3": r.iso3,
            "country": base.countries[r.iso3].name,
            "donor": r.donor,
            "donor_name": None if r.donor is None else base.donors[r.donor].name,
            "amount_usd": r.amount_usd,
            "rank": r.rank,
            "share_pct": r.share_pct,
            **_edition_fields(base, r),
            "note": r.note,
            "sources": list(r.sources),
        })
    rows.sort(key=lambda row: (row["year"], row["donor"] is not None, row["rank"] or 99, row["country"]))
    return rows


def _latest(totals: list[Row], contributions: list[Row], gaps: list[Row]) -> Row | None:
    """The latest year with a recorded international total, its change (or the gap that
    leaves none), the donors that year (largest first), and for later years the gaps and the
    contributions recorded without a total."""
    if not totals:
        return None
    last = totals[-1]
    previous = next((t for t in totals if t["year"] == last["year"] - 1), None)
    donors = sorted((c for c in contributions if c["year"] == last["year"]),
                    key=lambda c: -c["amount_usd"])
    return {
        "year": last["year"],
        "amount_usd": last["amount_usd"],
        "lower_bound": last["lower_bound"],
        "approximate": last["approximate"],
        "edition": last["edition"],
        "edition_title": last["edition_title"],
        "edition_published": last["edition_published"],
        "previous_year": None if previous is None else previous["year"],
        "previous_amount_usd": None if previous is None else previous["amount_usd"],
        "previous_lower_bound": None if previous is None else previous["lower_bound"],
        "previous_approximate": None if previous is None else previous["approximate"],
        # The year before as a gap: why no change is given (never read as a zero).
        "previous_gap": next((g for g in gaps if g["kind"] == "international"
                              and g["year"] == last["year"] - 1), None),
        "change_usd": last["change_usd"],
        "change_pct": last["change_pct"],
        "donors": donors,
        "later_gaps": [g for g in gaps if g["kind"] == "international" and g["year"] > last["year"]],
        "later_contributions": [c for c in contributions if c["year"] > last["year"]],
        "events_since": f"{last['year'] + 1}-01-01",
    }


def _latest_year_covered(base: FactBase, on: dt.date | None) -> int | None:
    """The latest year an edition cited by a funding figure or gap covers, of the editions
    published by `on` (None: all); None when there is none."""
    cited = {r.edition for part in (base.totals, base.contributions, base.recipients, base.funding_gaps)
             for r in part}
    years = [base.editions[e].covers for e in cited if _known_by(base, e, on)]
    return max(years, default=None)


def funding(
    base: FactBase,
    donor: str | None = None,
    since: int | None = None,
    *,
    year: int | None = None,
    recipient: str | None = None,
    on: dt.date | None = None,
) -> Row:
    """Mine-action funding as the Landmine Monitor editions published by `on` (None: all)
    give it, filtered by donor, recipient state, first year (`since`) or one `year`.

    Returns {facts_as_of, on, donor, recipient, since, year, latest, totals, other_totals,
    contributions, recipients, gaps, latest_year_covered, unreported_years, events, sources}:
    `latest_year_covered` is the latest year the editions behind the funding figures
    (published by `on`) cover, `unreported_years` the asked `--year` (or `--since`) when it
    is later, so that "nothing recorded" is not read as zero. With a recipient, only its
    recipient rows and gaps are listed (contributions, totals and events are not tied to a
    recipient); with a donor, its contributions, its recipient rows, its gaps and those of
    the international totals. Amounts are whole US dollars, changes
    against the year before in US$ and percent, shares in percent with `share_basis`
    "computed" (from the year's recorded total) or "stated" (by the source). Every figure
    carries `edition`, `edition_title`, `edition_published` and its caveats (`lower_bound`,
    `approximate`, `revises_edition`, `revised_by_edition`). `latest` (None when no total is
    recorded) summarises the latest year with an international total, with that total's
    caveats; it ignores the filters but not `on`. Raises UsageError for an unknown donor or state."""
    donor_id = None if donor is None else resolve_donor(base, donor)
    iso3 = None if recipient is None else resolve(recipient, base)

    def wanted(y: int) -> bool:
        return (since is None or y >= since) and (year is None or y == year)

    totals, other = _total_rows(base, on)
    contributions = _contribution_rows(base, totals, on)
    recipients = _recipient_rows(base, on)
    covered = {("contribution", c["donor"], c["year"]) for c in contributions}
    covered |= {(t["scope"], None, t["year"]) for t in other}
    covered |= {("international", None, t["year"]) for t in totals}
    covered |= {("recipient", r["iso3"], r["year"]) for r in recipients
                if r["donor"] is None and r["amount_usd"] is not None}
    gaps = _gap_rows(base, covered, on)
    latest = _latest(totals, contributions, gaps)

    # A state's support is in its recipient rows: donors' contributions and funding events
    # are not tied to a recipient in the fact base, so a recipient query lists none of them.
    events = [] if iso3 is not None else [
        {
            "date": iso(e.date),
            "donor": e.donor,
            "donor_name": None if e.donor is None else base.donors[e.donor].name,
            "type": str(e.type),
            "summary": e.summary,
            "note": e.note,
            "sources": list(e.sources),
        }
        for e in base.funding_events
        if not (donor_id and e.donor != donor_id) and wanted(e.date.year)
        and (on is None or e.date <= on)
    ]
    totals = [t for t in totals if wanted(t["year"]) and iso3 is None]
    other = [t for t in other if wanted(t["year"]) and iso3 is None]
    contributions = [c for c in contributions if wanted(c["year"]) and donor_id in (None, c["donor"])
                     and iso3 is None]
    recipients = [r for r in recipients if wanted(r["year"]) and iso3 in (None, r["iso3"])
                  and donor_id in (None, r["donor"])]
    # A donor's gaps go with its contributions and a state's with its recipient rows; a
    # donor's answer keeps the gaps of the international totals its shares are of.
    gaps = [g for g in gaps if wanted(g["year"]) and (
        donor_id in (None, g["donor"]) and iso3 is None if g["kind"] == GapKind.CONTRIBUTION
        else iso3 in (None, g["iso3"]) and donor_id is None if g["kind"] == GapKind.RECIPIENT
        else iso3 is None if g["kind"] == GapKind.INTERNATIONAL
        else iso3 is None and donor_id is None)]
    covered_to = _latest_year_covered(base, on)
    asked = [year] if year is not None else [since] if since is not None else []
    unreported = [y for y in asked if covered_to is None or y > covered_to]
    cited = [s for part in (contributions, events, totals, other, recipients, gaps)
             for row in part for s in row["sources"]]
    if latest is not None:
        cited += [s for key in ("donors", "later_gaps", "later_contributions")
                  for row in latest[key] for s in row["sources"]]
        cited += latest["previous_gap"]["sources"] if latest["previous_gap"] else []
    return {
        "facts_as_of": iso(base.meta.facts_as_of),
        "on": iso(on),
        "donor": donor_id,
        "recipient": iso3,
        "since": since,
        "year": year,
        "latest": latest,
        "totals": totals,
        "other_totals": other,
        "contributions": contributions,
        "recipients": recipients,
        "gaps": gaps,
        "latest_year_covered": covered_to,
        "unreported_years": unreported,
        "events": events,
        "sources": sources(base, cited),
    }
