"""User text -> what it names: a state (ISO 3166-1 alpha-3), a treaty, or a donor.

One resolver for every name a user types, in tiers as pycountry does them:

1. exact code (ISO alpha-2 or alpha-3), name or alias, case-, accent- and punctuation-
   insensitive, in any script (non-Latin text is transliterated to ASCII first), also in
   the UN's "X (Y)" and ISO's "X, Y" forms ("Netherlands (Kingdom of the)");
2. for states, a place outside the 197 states gets a sentence saying why it is not covered;
3. a prefix, then a substring of a name or alias, each only if it fits exactly one entry;
4. fuzzy matching, only to offer "did you mean" (never to pick on the user's behalf).

A text that fits more than one entry is never resolved to one of them: the UsageError lists
them all as suggestions. Every failure is a UsageError(message, suggestions).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from .errors import UsageError
from .models import Country, FactBase, Treaty
from .record import Record

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# "Netherlands (Kingdom of the)", the UN Treaty Collection's form for many states.
_BRACKETED = re.compile(r"^\s*([^()]+?)\s*\(\s*([^()]+?)\s*\)\s*$")
# "Korea, Republic of", ISO 3166's form.
_INVERTED = re.compile(r"^\s*([^,]+?)\s*,\s*([^,]+?)\s*$")
# Prefix and substring tiers need this many characters: shorter text fits too much.
_MIN_PARTIAL = 3
_SUGGESTIONS = 3


def normalize(text: str) -> str:
    """Case-, accent-, punctuation- and script-insensitive key: "Côte d’Ivoire" ->
    "cote d ivoire", "Łódź" -> "lodz", "Россия" -> "rossiya", "Trinidad & Tobago" ->
    "trinidad and tobago". Empty if `text` holds no letter or digit."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    if any(not c.isascii() and c.isalnum() for c in folded):
        # Letters that do not decompose (Ł, ø, æ, đ) and non-Latin scripts, transliterated
        # from the composed text ("й" is "y", not "и" without its breve). Imported only
        # here: anyascii pulls in importlib.resources (~40 ms), and accents and curly
        # quotes alone do not need it.
        from anyascii import anyascii

        folded = anyascii(unicodedata.normalize("NFKC", text))
    return _NON_ALNUM.sub(" ", folded.casefold().replace("&", " and ")).strip()


def variants(text: str) -> list[str]:
    """The normalised keys under which `text` is looked up exactly, most literal first:
    the text itself; for "X (Y)" also "Y X", "X Y" and "X"; for "X, Y" also "Y X"; and
    without a leading "the". Empty if `text` holds no letter or digit."""
    forms = [text]
    if bracketed := _BRACKETED.match(text):
        outer, inner = bracketed.groups()
        forms += [f"{inner} {outer}", f"{outer} {inner}", outer]
    elif inverted := _INVERTED.match(text):
        head, tail = inverted.groups()
        forms.append(f"{tail} {head}")
    keys = [normalize(form) for form in forms]
    keys += [key.removeprefix("the ") for key in keys if key.startswith("the ")]
    return [key for key in dict.fromkeys(keys) if key]


def keys_of(country: Country) -> list[str]:
    """Every normalised key under which a state is found exactly: codes, name, aliases."""
    return [normalize(t) for t in (country.iso3, country.iso2, country.name, *country.aliases)]


def keys_of_treaty(treaty: Treaty) -> list[str]:
    """Every normalised key under which a treaty is found exactly: id, aliases, names."""
    return [normalize(t) for t in (treaty.id, *treaty.aliases, treaty.short_name, treaty.name)]


# --- places outside the 197 states ----------------------------------------------------


class Outside(Record):
    """A place people name that is not one of the states the fact base covers."""

    names: tuple[str, ...]
    why: str
    # States the place belongs to or came from: these are suggestions, not unrelated ones.
    related: tuple[str, ...] = ()


_COVERED = (
    "the fact base covers the 197 states that can join these conventions through the UN "
    "Secretary-General, their depositary: the 193 UN members, the Holy See, the State of "
    "Palestine, the Cook Islands and Niue"
)


def _part_of(what: str, by: str) -> str:
    return f"it is {what}, not a state; treaty actions for it are taken by {by}"


OUTSIDE: tuple[Outside, ...] = (
    Outside(("Taiwan", "Republic of China", "Chinese Taipei"),
            "since General Assembly resolution 2758 (1971) the United Nations seats the "
            f"People's Republic of China for China; {_COVERED}"),
    Outside(("Kosovo",),
            "it declared independence from Serbia in 2008 but is neither a UN member nor a "
            f"UN observer state; {_COVERED}"),
    Outside(("Western Sahara", "Sahrawi Arab Democratic Republic", "SADR"),
            "it is on the UN list of non-self-governing territories, its status disputed "
            "between Morocco and the Sahrawi Arab Democratic Republic proclaimed by the "
            f"Polisario Front; {_COVERED}"),
    Outside(("Somaliland",),
            "it declared independence in 1991, but the United Nations treats it as part of "
            f"Somalia; {_COVERED}", ("SOM",)),
    Outside(("Abkhazia", "South Ossetia"),
            f"the United Nations treats it as part of Georgia; {_COVERED}", ("GEO",)),
    Outside(("Transnistria", "Transdniestria", "Pridnestrovie"),
            f"the United Nations treats it as part of Moldova; {_COVERED}", ("MDA",)),
    Outside(("Northern Cyprus", "Turkish Republic of Northern Cyprus", "TRNC"),
            f"the United Nations treats it as part of Cyprus; {_COVERED}", ("CYP",)),
    Outside(("Nagorno-Karabakh", "Artsakh"),
            f"the United Nations treats it as part of Azerbaijan; {_COVERED}", ("AZE",)),
    Outside(("Serbia and Montenegro",),
            "that state split into Serbia and Montenegro in 2006, and the fact base records "
            "each of them", ("SRB", "MNE")),
    Outside(("Yugoslavia", "Federal Republic of Yugoslavia"),
            "the Federal Republic of Yugoslavia became Serbia and Montenegro in 2003, which "
            "split into Serbia and Montenegro in 2006; the fact base records each of them",
            ("SRB", "MNE")),
    Outside(("Czechoslovakia",),
            "it was dissolved in 1993, before either convention was adopted; the fact base "
            "records each successor state", ("CZE", "SVK")),
    Outside(("Soviet Union", "USSR"),
            "it was dissolved in 1991, before either convention was adopted; the fact base "
            "records each successor state"),
    Outside(("Greenland",), _part_of("part of the Kingdom of Denmark", "Denmark"), ("DNK",)),
    Outside(("Faroe Islands", "Faroes"),
            _part_of("part of the Kingdom of Denmark", "Denmark"), ("DNK",)),
    Outside(("Åland", "Åland Islands"),
            _part_of("an autonomous region of Finland", "Finland"), ("FIN",)),
    Outside(("Hong Kong", "Macao", "Macau"),
            _part_of("a special administrative region of China", "China"), ("CHN",)),
    Outside(("Puerto Rico", "Guam"),
            _part_of("a territory of the United States", "the United States"), ("USA",)),
    Outside(("England", "Scotland", "Wales", "Northern Ireland"),
            _part_of("part of the United Kingdom", "the United Kingdom"), ("GBR",)),
    Outside(("Gibraltar", "Bermuda"),
            _part_of("a British overseas territory", "the United Kingdom"), ("GBR",)),
    Outside(("Falkland Islands", "Falklands", "Malvinas"),
            _part_of("a British overseas territory whose sovereignty Argentina disputes",
                     "the United Kingdom"), ("GBR", "ARG")),
    Outside(("New Caledonia", "French Polynesia"),
            _part_of("a non-self-governing territory administered by France", "France"),
            ("FRA",)),
    Outside(("Aruba", "Curaçao", "Sint Maarten"),
            _part_of("a constituent country of the Kingdom of the Netherlands",
                     "the Kingdom of the Netherlands"), ("NLD",)),
)

def outside(text: str) -> tuple[str, Outside] | None:
    """The place outside the covered states that `text` names exactly (with the form of
    its name that matched), or None."""
    by_key = {normalize(name): (name, place) for place in OUTSIDE for name in place.names}
    for key in variants(text):
        if key in by_key:
            return by_key[key]
    return None


# --- the tiers, shared by states, treaties and donors -----------------------------------


def _partial(key: str, names: Mapping[str, str]) -> set[str]:
    """The targets of the names that `key` begins, else of those that contain it: a set of
    one is an answer, of several an ambiguity, empty a miss."""
    if len(key) < _MIN_PARTIAL:
        return set()
    for fits in (str.startswith, str.__contains__):
        found = {target for name, target in names.items() if fits(name, key)}
        if found:
            return found
    return set()


def _close(key: str, names: Mapping[str, str], limit: int = _SUGGESTIONS) -> tuple[str, ...]:
    """Display names whose key is closest to `key`, best first: suggestions only."""
    import difflib  # only on the error path

    close = difflib.get_close_matches(key, list(names), n=limit * 3, cutoff=0.6)
    return tuple(dict.fromkeys(names[k] for k in close))[:limit]


def _resolve(text: str, kind: str, exact: Mapping[str, str], names: Mapping[str, str],
             display: Mapping[str, str]) -> str:
    """The target (an id) `text` names through `exact` (key -> id) and then the prefix and
    substring of `names` (key -> id); UsageError naming all fits, or the closest names."""
    keys = variants(text)
    for key in keys:
        if key in exact:
            return exact[key]
    if not keys:
        raise UsageError(f"no {kind} matches {text!r}")
    found = _partial(keys[0], names)
    if len(found) == 1:
        return found.pop()
    if found:
        fits = sorted(display[target] for target in found)
        raise UsageError(f"{text!r} fits more than one {kind}; name one", tuple(fits))
    suggestions = _close(keys[0], {k: display[t] for k, t in names.items()})
    raise UsageError(f"no {kind} matches {text!r}", suggestions)


# --- states ----------------------------------------------------------------------------


def _state_names(countries: Iterable[Country]) -> dict[str, str]:
    """Normalised name and alias -> ISO alpha-3 (codes left out: a prefix of a code means
    nothing)."""
    names: dict[str, str] = {}
    for country in countries:
        for text in (country.name, *country.aliases):
            names.setdefault(normalize(text), country.iso3)
    return names


def resolve(text: str, base: FactBase) -> str:
    """The ISO alpha-3 code of the state `text` names (a code, name or alias in any script
    or UN form, or an unambiguous prefix or part of a name).

    Raises UsageError: with a sentence for a place outside the covered states; with every
    fitting state for an ambiguous text ("Korea"); with the closest names otherwise."""
    for key in variants(text):
        if key in base.names:
            return base.names[key]
    if place := outside(text):
        name, found = place
        related = tuple(base.countries[i].name for i in found.related if i in base.countries)
        raise UsageError(f"{name} is not covered: {found.why}", related)
    display = {iso3: country.name for iso3, country in base.countries.items()}
    return _resolve(text, "country", base.names, _state_names(base.countries.values()), display)


# --- treaties and donors ----------------------------------------------------------------


def resolve_treaty(base: FactBase, text: str | None) -> list[Treaty]:
    """All treaties (in fact-base order) for None, else a list of the one treaty `text`
    names by id, alias, short or full name, or an unambiguous prefix or part of one.

    Raises UsageError with the known treaty ids and the closest names."""
    if text is None:
        return list(base.treaties.values())
    names = {key: t.id for t in base.treaties.values() for key in keys_of_treaty(t)}
    display = {t.id: t.id for t in base.treaties.values()}
    try:
        return [base.treaties[_resolve(text, "treaty", names, names, display)]]
    except UsageError as err:
        known = ", ".join(sorted(base.treaties))
        raise UsageError(f"{err.message} (known: {known})", err.suggestions) from None


def resolve_donor(base: FactBase, text: str) -> str:
    """The id of the donor `text` names: its id or name, or for a state any form that
    names that state (code, name, alias, UN form), or an unambiguous prefix or part.

    Raises UsageError listing the donors with data and the closest names."""
    exact: dict[str, str] = {}
    names: dict[str, str] = {}
    for donor in base.donors.values():
        country = base.countries.get(donor.iso3) if donor.iso3 else None
        for key in [normalize(donor.id), normalize(donor.name), *(keys_of(country) if country else ())]:
            exact.setdefault(key, donor.id)
        texts = [donor.name, *((country.name, *country.aliases) if country else ())]
        for key in map(normalize, texts):
            names.setdefault(key, donor.id)
    display = {d.id: d.name for d in base.donors.values()}
    try:
        return _resolve(text, "donor", exact, names, display)
    except UsageError as err:
        known = ", ".join(sorted(display.values()))
        raise UsageError(f"{err.message} (donors with data: {known})", err.suggestions) from None
