"""Mine-action funding: contributions by donor and year with their change and share of the
year's total, the yearly totals, and dated funding events, as one JSON-ready document."""

from __future__ import annotations

from .models import FactBase
from .countries import resolve_donor
from .rows import Row, iso, sources


def funding(base: FactBase, donor: str | None, since: int | None) -> Row:
    """Contributions by donor and year with change and share, plus dated funding events.

    Returns {facts_as_of, donor, since, totals: [...], contributions: [...], events: [...],
    sources: [...]}; contributions carry amount_usd, change_usd, change_pct and the share
    of the year's total in percent. Raises UsageError for an unknown donor."""
    donor_id = None if donor is None else resolve_donor(base, donor)
    totals = {t.year: t for t in base.totals}
    by_key = {(c.donor, c.year): c for c in base.contributions}
    contributions = []
    for c in base.contributions:
        if (donor_id and c.donor != donor_id) or (since and c.year < since):
            continue
        previous = by_key.get((c.donor, c.year - 1))
        change = None if previous is None else c.amount_usd - previous.amount_usd
        pct = None
        if previous is not None and previous.amount_usd:
            pct = round(100 * change / previous.amount_usd, 1)
        total = totals.get(c.year)
        if total is not None:
            share, basis = round(100 * c.amount_usd / total.amount_usd, 1), "computed"
        elif c.share_pct is not None:
            share, basis = c.share_pct, "stated"
        else:
            share, basis = None, None
        contributions.append(
            {
                "donor": c.donor,
                "donor_name": base.donors[c.donor].name,
                "year": c.year,
                "amount_usd": c.amount_usd,
                "share_pct": share,
                "share_basis": basis,
                "change_usd": change,
                "change_pct": pct,
                "note": c.note,
                "sources": list(c.sources),
            }
        )
    events = [
        {
            "date": iso(e.date),
            "donor": e.donor,
            "donor_name": None if e.donor is None else base.donors[e.donor].name,
            "type": str(e.type),
            "summary": e.summary,
            "sources": list(e.sources),
        }
        for e in base.funding_events
        if not (donor_id and e.donor != donor_id) and not (since and e.date.year < since)
    ]
    yearly = [
        {
            "year": t.year,
            "amount_usd": t.amount_usd,
            "donors": t.donors,
            "note": t.note,
            "sources": list(t.sources),
        }
        for t in base.totals
        if not (since and t.year < since)
    ]
    contributions.sort(key=lambda row: (row["donor_name"], row["year"]))
    cited = [s for row in (*contributions, *events, *yearly) for s in row["sources"]]
    return {
        "facts_as_of": iso(base.meta.facts_as_of),
        "donor": donor_id,
        "since": since,
        "totals": yearly,
        "contributions": contributions,
        "events": events,
        "sources": sources(base, cited),
    }
