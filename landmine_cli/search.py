"""Full-text search over the fact base: countries, events, reasons, funding events and sources."""

from __future__ import annotations

from .countries import normalize
from .errors import UsageError
from .models import FactBase
from .rows import Row, iso

# --- search ------------------------------------------------------------------------------

_KIND_ORDER = ("country", "event", "reason", "funding_event", "source")


def search(base: FactBase, text: str) -> list[Row]:
    """Countries, events, reasons, funding events and sources whose text holds `text` as
    whole words: a word, or a phrase whose words come in that order ("US" finds "US aid",
    not "Australia"). Case-, accent- and punctuation-insensitive (countries.normalize).

    Returns rows {kind, iso3, country, treaty, date, type, text, sources (ids)}: `type` is
    the event or funding event type (None for other kinds), `text` the matching text (for a
    country, its name and aliases). Ordered by kind, date, country and text. Raises
    UsageError if `text` has nothing to look for."""
    key = normalize(text)
    if not key:
        raise UsageError("search: give a word or phrase to look for")
    # Whole words: the key, padded with spaces, inside the padded text.
    padded = f" {key} "

    def matching(*texts: str | None) -> str | None:
        return next((t for t in texts if t and padded in f" {normalize(t)} "), None)

    rows: list[Row] = []

    def add(kind, iso3, treaty, day, kind_of, found, sources) -> None:
        country = base.countries[iso3].name if iso3 in base.countries else None
        rows.append({"kind": kind, "iso3": iso3, "country": country, "treaty": treaty,
                     "date": iso(day), "type": None if kind_of is None else str(kind_of),
                     "text": found, "sources": list(sources)})

    for iso3, country in base.countries.items():
        if matching(country.name, country.iso3, country.iso2, *country.aliases):
            names = ", ".join((country.name, *country.aliases))
            add("country", iso3, None, None, None, names, country.sources)
        for event in base.events.get(iso3, ()):
            if found := matching(event.note, event.unverified, event.rule_exception):
                add("event", iso3, event.treaty, event.date, event.type, found, event.sources)
        for reason in base.reasons.get(iso3, ()):
            if matching(reason.summary):
                add("reason", iso3, reason.treaty, reason.date, None, reason.summary, reason.sources)
    for event in base.funding_events:
        if matching(event.summary):
            donor = base.donors.get(event.donor) if event.donor else None
            add("funding_event", donor.iso3 if donor else None, None, event.date, event.type,
                event.summary, event.sources)
    for source in base.sources.values():
        if matching(source.publisher, source.title, source.url):
            add("source", None, None, source.published, None, f"{source.publisher}: {source.title}",
                [source.id])
    order = {kind: i for i, kind in enumerate(_KIND_ORDER)}
    rows.sort(key=lambda r: (order[r["kind"]], r["date"] or "", r["country"] or "", r["text"]))
    return rows
