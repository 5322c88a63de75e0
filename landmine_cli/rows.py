"""What every answer is made of: the Row type, the one date-to-ISO helper, source records,
the answer's date stamp, and the treaty law applied to one state of a fact base.

Shared by the query modules (queries, funding, search) and the export; it imports only the
records and law.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from . import law
from .models import FactBase, Source, Treaty

# A JSON-ready record: str keys; values are str, int, float, bool, None, lists or Rows.
Row = dict[str, Any]


# The JSON key of the count of states in each status (`treaties`): the status itself,
# except for these two, named as people count them.
_COUNT_KEYS = {"party": "states_parties", "signatory": "signatories"}


def count_key(status: str) -> str:
    """The JSON key of the number of states in `status` ("party" -> "states_parties",
    "signatory" -> "signatories", any other status its own name). Raises nothing."""
    return _COUNT_KEYS.get(str(status), str(status))


def iso(day: dt.date | None) -> str | None:
    """The ISO 8601 text of a date ("2026-01-10"), or None for None. Raises nothing."""
    return None if day is None else day.isoformat()


def source_record(source: Source) -> Row:
    """A source as {id, publisher, title, url, published (ISO date or None)}. Raises nothing."""
    return {
        "id": source.id,
        "publisher": source.publisher,
        "title": source.title,
        "url": source.url,
        "published": iso(source.published),
    }


def sources(base: FactBase, ids: Iterable[str]) -> list[Row]:
    """The source records of `ids`, each once, in first-cited order.

    Raises KeyError for an id the fact base lacks (validation rules that out)."""
    return [source_record(base.sources[i]) for i in dict.fromkeys(ids)]


def with_sources(base: FactBase, row: Row) -> Row:
    """The row with its private `_sources` ids replaced by a `sources` list of source
    records (appended as the last key). Raises KeyError if the row has no `_sources`."""
    ids = row.pop("_sources")
    return row | {"sources": sources(base, ids)}


def stamp(base: FactBase, on: dt.date) -> Row:
    """The dates every listed row carries: {as_of, facts_as_of} as ISO text. Raises nothing."""
    return {"as_of": iso(on), "facts_as_of": iso(base.meta.facts_as_of)}


def standing(base: FactBase, iso3: str, treaty: Treaty, on: dt.date) -> law.Standing:
    """law.standing for one state of the fact base (its events, conflicts and research status).

    Raises KeyError for a state the fact base lacks."""
    country = base.countries[iso3]
    return law.standing(
        treaty,
        base.treaty_events(iso3, treaty.id),
        on,
        base.conflicts.get(iso3, ()),
        researched=treaty.id in country.complete_for,
        statehood=country.statehood,
    )


def transitions(base: FactBase, iso3: str, treaty: Treaty) -> list[law.Transition]:
    """law.transitions for one state of the fact base (its events, conflicts, research status
    and statehood), in date order. Raises KeyError for a state the fact base lacks."""
    country = base.countries[iso3]
    return law.transitions(
        treaty,
        base.treaty_events(iso3, treaty.id),
        base.conflicts.get(iso3, ()),
        researched=treaty.id in country.complete_for,
        statehood=country.statehood,
    )


def edition_counts_from(edition: Any) -> dt.date:
    """The day from which a report edition (models.Edition) counts as published, for answers
    "as published by DATE": its recorded publication day, else 31 December of the year after
    the one it covers, the year in its title (the Monitor comes out within that year: Landmine
    Monitor 2011, covering 2010, by the end of 2011). Raises nothing."""
    return edition.published or dt.date(edition.covers + 1, 12, 31)
