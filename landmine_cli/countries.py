"""User text -> ISO 3166-1 alpha-3, in tiers: code, then normalised name or alias, then
fuzzy matching only to offer "did you mean" (never to pick a country on the user's behalf)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from .errors import UsageError
from .models import Country, FactBase

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: "Côte d’Ivoire" -> "cote d ivoire"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", stripped.casefold()).strip()


def keys_of(country: Country) -> list[str]:
    """Every normalised key under which a country can be found."""
    texts = [country.iso3, country.iso2, country.name, *country.aliases]
    return [normalize(t) for t in texts]


def resolve(text: str, base: FactBase) -> str:
    """The ISO alpha-3 code of the country `text` names, or UsageError with suggestions."""
    key = normalize(text)
    found = base.names.get(key) if key else None
    if found:
        return found
    raise UsageError(f"no country matches {text!r}", suggest(key, base.countries))


def suggest(key: str, countries: Mapping[str, Country], limit: int = 3) -> tuple[str, ...]:
    """Display names of the countries whose name or an alias is closest to `key`."""
    import difflib  # only on the error path

    names: dict[str, str] = {}
    for country in countries.values():
        for text in (country.name, *country.aliases):
            names.setdefault(normalize(text), country.name)
    close = difflib.get_close_matches(key, list(names), n=limit * 3, cutoff=0.6)
    if not close and len(key) >= 3:
        close = [k for k in names if k.startswith(key)]
    ordered = dict.fromkeys(names[k] for k in close)
    return tuple(ordered)[:limit]
