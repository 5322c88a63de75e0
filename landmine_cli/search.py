"""Full-text search over the fact base: countries, events, reasons, funding events and sources."""

from __future__ import annotations

from .countries import normalize
from .errors import UsageError
from .models import FactBase
from .rows import Row, iso

# --- search ------------------------------------------------------------------------------

_KIND_ORDER = ("country", "event", "reason", "funding_event", "source")


def search(base: FactBase, text: str) -> list[Row]:
    """Countries, events, reasons, funding events and sources whose text contains `text`
    (case-, accent- and punctuation-insensitive).

    Returns rows {kind, iso3, country, treaty, date, text, sources (ids)}, ordered by kind,
    date, country and text. Raises UsageError if `text` has nothing to look for."""
    key = normalize(text)
    if not key:
        raise UsageError("search: give a word or phrase to look for")

    def hit(*texts: str | None) -> bool:
        return any(key in normalize(t) for t in texts if t)

    rows: list[Row] = []

    def add(kind, iso3, treaty, day, found, sources) -> None:
        country = base.countries[iso3].name if iso3 in base.countries else None
        rows.append({"kind": kind, "iso3": iso3, "country": country, "treaty": treaty,
                     "date": iso(day), "text": found, "sources": list(sources)})

    for iso3, country in base.countries.items():
        if hit(country.name, country.iso3, country.iso2, *country.aliases):
            add("country", iso3, None, None, ", ".join((country.name, *country.aliases)), country.sources)
        for event in base.events.get(iso3, ()):
            if hit(event.note, event.unverified, event.rule_exception):
                add("event", iso3, event.treaty, event.date, f"{event.type}: {event.note}", event.sources)
        for reason in base.reasons.get(iso3, ()):
            if hit(reason.summary):
                add("reason", iso3, reason.treaty, reason.date, reason.summary, reason.sources)
    for event in base.funding_events:
        if hit(event.summary):
            donor = base.donors.get(event.donor) if event.donor else None
            add("funding_event", donor.iso3 if donor else None, None, event.date, event.summary, event.sources)
    for source in base.sources.values():
        if hit(source.publisher, source.title, source.url):
            add("source", None, None, source.published, f"{source.publisher}: {source.title}", [source.id])
    order = {kind: i for i, kind in enumerate(_KIND_ORDER)}
    rows.sort(key=lambda r: (order[r["kind"]], r["date"] or "", r["country"] or "", r["text"]))
    return rows
