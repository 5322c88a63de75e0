"""Cross-checks of a parsed facts folder and assembly of the FactBase.

Per-file shape (types, unknown keys) is pydantic's job in store.py; everything that needs
more than one record lives here: references, uniqueness, alias collisions, the order of a
state's events, and agreement of recorded dates with the treaty rules in law.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from . import law
from .countries import keys_of, keys_of_treaty
from .errors import Problem
from .models import (
    CONSENT_TYPES,
    COUNTERPART_TYPES,
    WORLD,
    Country,
    CountryFile,
    Event,
    EventType,
    FactBase,
    FiguresFile,
    FundingFile,
    Meta,
    SourcesFile,
    TreatiesFile,
    Weapon,
)
from .layout import COUNTRY_DIR
from .positions import Origin, Parsed

# ISO 3166-1 codes, optionally with a "-suffix" for records that are not real states (the
# benchmark's synthetic fact base has more records than there are three-letter codes).
# The shipped facts are checked against the standard's own list in the tests.
_ISO3 = re.compile(r"[A-Z]{3}(-[A-Z0-9]+)?")
_ISO2 = re.compile(r"[A-Z]{2}(-[A-Z0-9]+)?")
_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
_URL = re.compile(r"https?://\S+")

class _Checker:
    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed
        self.problems: list[Problem] = []

    def add(self, origin: Origin, key: str | None, message: str) -> None:
        line = self.parsed.line_of(origin, key)
        self.problems.append(Problem(origin.path, line, key or "", message))

    def refs(self, origin: Origin, sources: Iterable[str], known: dict[str, Any]) -> None:
        ids = list(sources)
        if not ids:
            self.add(origin, "sources", "cites no source; every record needs at least one")
        for i, source in enumerate(ids):
            if source not in known:
                self.add(origin, "sources", f"unknown source {source!r} (sources[{i}])")


def build(parsed: Parsed) -> tuple[FactBase | None, list[Problem]]:
    """Cross-check the parsed records and assemble the FactBase (None if files are missing)."""
    check = _Checker(parsed)
    label = parsed.label
    meta: Meta | None = parsed.records.get(f"{label}/meta.toml")
    treaties_file: TreatiesFile | None = parsed.records.get(f"{label}/treaties.toml")
    sources_file: SourcesFile | None = parsed.records.get(f"{label}/sources.toml")
    funding: FundingFile = parsed.records.get(f"{label}/funding.toml") or FundingFile()
    figures: FiguresFile = parsed.records.get(f"{label}/figures.toml") or FiguresFile()
    if meta is None or treaties_file is None or sources_file is None:
        return None, check.problems

    sources = _unique(check, f"{label}/sources.toml", "sources", sources_file.sources, "id")
    for i, source in enumerate(sources_file.sources):
        origin = Origin(f"{label}/sources.toml", "sources", i)
        if not _ID.fullmatch(source.id):
            check.add(origin, "id", "use lower-case letters, digits, '.', '_' or '-'")
        if not _URL.fullmatch(source.url):
            check.add(origin, "url", f"{source.url!r} is not an http(s) URL")
        for key in ("publisher", "title"):
            if not getattr(source, key).strip():
                check.add(origin, key, "must not be empty")

    treaties = _unique(check, f"{label}/treaties.toml", "treaties", treaties_file.treaties, "id")
    treaty_keys: dict[str, str] = {}
    for i, treaty in enumerate(treaties_file.treaties):
        origin = Origin(f"{label}/treaties.toml", "treaties", i)
        check.refs(origin, treaty.sources, sources)
        for text, key in zip((treaty.id, *treaty.aliases, treaty.short_name, treaty.name),
                             keys_of_treaty(treaty)):
            if treaty_keys.setdefault(key, treaty.id) != treaty.id:
                check.add(origin, "aliases", f"{text!r} already names {treaty_keys[key]!r}")

    countries, events, reasons, conflicts, names = _countries(check, parsed, treaties, sources)
    donors = _funding(check, f"{label}/funding.toml", funding, sources, countries)
    # States whose file exists but is broken count as known here: their own problems are
    # reported, and a figure or event naming them should not add a second, false one.
    states = set(countries) | {
        path.rsplit("/", 1)[1].removesuffix(".toml").upper()
        for path in parsed.texts if path.startswith(f"{label}/{COUNTRY_DIR}/")
    }
    editions = _figures(check, f"{label}/figures.toml", figures, sources, states, meta)
    _counterparts(check, events, states)

    for iso3, evs in events.items():
        origins = {id(e): o for e, o in evs}
        ordered = sorted((e for e, _ in evs), key=law.event_order)
        for treaty_id, treaty in treaties.items():
            mine = tuple(e for e in ordered if e.treaty == treaty_id)
            if mine:
                _check_sequence(check, treaty, mine, origins, conflicts.get(iso3, ()), meta)

    base = FactBase(
        meta=meta,
        treaties=treaties,
        sources=sources,
        countries=countries,
        events={
            iso3: tuple(sorted((e for e, _ in evs), key=law.event_order))
            for iso3, evs in events.items()
        },
        reasons=reasons,
        conflicts=conflicts,
        donors=donors,
        totals=tuple(sorted(funding.totals, key=lambda t: t.year)),
        contributions=tuple(sorted(funding.contributions, key=lambda c: (c.year, c.donor))),
        funding_events=tuple(sorted(funding.events, key=lambda e: (e.date, e.donor or ""))),
        names=names,
        editions=editions,
        casualties=figures.casualties,
        contamination=figures.contamination,
    )
    return base, check.problems


def _unique(check: _Checker, path: str, table: str, records: Iterable[Any], key: str) -> dict:
    """Index records by `key`, reporting every duplicate."""
    index: dict[str, Any] = {}
    for i, record in enumerate(records):
        value = getattr(record, key)
        if value in index:
            check.add(Origin(path, table, i), key, f"duplicate {key} {value!r}")
        else:
            index[value] = record
    return index


def _countries(check: _Checker, parsed: Parsed, treaties: dict, sources: dict) -> tuple:
    countries: dict[str, Country] = {}
    events: dict[str, list[tuple[Event, Origin]]] = {}
    reasons: dict[str, tuple] = {}
    conflicts: dict[str, tuple] = {}
    owners: dict[str, str] = {}  # normalised name/alias/code -> iso3
    iso2s: dict[str, str] = {}
    prefix = f"{parsed.label}/{COUNTRY_DIR}/"
    for path, record in parsed.records.items():
        if not path.startswith(prefix):
            continue
        file: CountryFile = record
        country = file.country
        head = Origin(path, "country")
        if not _ISO3.fullmatch(country.iso3):
            check.add(head, "iso3", f"{country.iso3!r} is not an upper-case ISO 3166-1 alpha-3 code")
        if not _ISO2.fullmatch(country.iso2):
            check.add(head, "iso2", f"{country.iso2!r} is not an upper-case ISO 3166-1 alpha-2 code")
        if path != f"{prefix}{country.iso3.lower()}.toml":
            check.add(head, "iso3", f"file should be named {country.iso3.lower()}.toml")
        if country.iso3 in countries:
            check.add(head, "iso3", f"duplicate country {country.iso3!r}")
            continue
        if country.iso2 in iso2s:
            check.add(head, "iso2", f"{country.iso2!r} is also the code of {iso2s[country.iso2]}")
        iso2s.setdefault(country.iso2, country.iso3)
        for text, key in zip(
            (country.iso3, country.iso2, country.name, *country.aliases), keys_of(country)
        ):
            owner = owners.setdefault(key, country.iso3)
            if owner != country.iso3:
                check.add(head, "aliases", f"{text!r} also names {owner}")
        check.refs(head, country.sources, sources)
        for treaty in country.complete_for:
            if treaty not in treaties:
                check.add(head, "complete_for", f"unknown treaty {treaty!r}")
        countries[country.iso3] = country

        seen: set[tuple] = set()
        mine = []
        for i, event in enumerate(file.events):
            origin = Origin(path, "events", i)
            check.refs(origin, event.sources, sources)
            if event.treaty not in treaties:
                check.add(origin, "treaty", f"unknown treaty {event.treaty!r}")
                continue
            ident = (event.treaty, event.type, event.date, event.counterpart)
            if ident in seen and event.type is not EventType.STATEMENT:
                check.add(origin, "type", f"duplicate {event.type} event on {event.date}")
            seen.add(ident)
            mine.append((event, origin))
        events[country.iso3] = mine
        for i, reason in enumerate(file.reasons):
            origin = Origin(path, "reasons", i)
            check.refs(origin, reason.sources, sources)
            if reason.treaty not in treaties:
                check.add(origin, "treaty", f"unknown treaty {reason.treaty!r}")
        for i, conflict in enumerate(file.conflicts):
            origin = Origin(path, "conflicts", i)
            check.refs(origin, conflict.sources, sources)
            if conflict.end is not None and conflict.end < conflict.start:
                check.add(origin, "end", "ends before it starts")
        reasons[country.iso3] = tuple(sorted(file.reasons, key=lambda r: (r.date, r.treaty)))
        conflicts[country.iso3] = tuple(sorted(file.conflicts, key=lambda c: c.start))
    return countries, events, reasons, conflicts, owners


def _funding(check: _Checker, path: str, funding: FundingFile, sources: dict, countries: dict):
    donors = _unique(check, path, "donors", funding.donors, "id")
    for i, donor in enumerate(funding.donors):
        if donor.iso3 is not None and donor.iso3 not in countries:
            check.add(Origin(path, "donors", i), "iso3", f"unknown country {donor.iso3!r}")
    years: set[int] = set()
    for i, total in enumerate(funding.totals):
        origin = Origin(path, "totals", i)
        check.refs(origin, total.sources, sources)
        if total.year in years:
            check.add(origin, "year", f"duplicate total for {total.year}")
        years.add(total.year)
        if total.amount_usd <= 0:
            check.add(origin, "amount_usd", "must be positive")
    pairs: set[tuple[str, int]] = set()
    for i, item in enumerate(funding.contributions):
        origin = Origin(path, "contributions", i)
        check.refs(origin, item.sources, sources)
        if item.donor not in donors:
            check.add(origin, "donor", f"unknown donor {item.donor!r}")
        if (item.donor, item.year) in pairs:
            check.add(origin, "year", f"duplicate contribution of {item.donor} for {item.year}")
        pairs.add((item.donor, item.year))
        if item.amount_usd < 0:
            check.add(origin, "amount_usd", "must not be negative")
    for i, event in enumerate(funding.events):
        origin = Origin(path, "events", i)
        check.refs(origin, event.sources, sources)
        if event.donor is not None and event.donor not in donors:
            check.add(origin, "donor", f"unknown donor {event.donor!r}")
    return donors


def _check_sequence(check, treaty, events, origins, conflicts, meta) -> None:
    """Order of one state's events under one treaty, and their agreement with the rules."""
    signed = consent = deposited = None
    for event in events:
        origin = origins[id(event)]
        kind = event.type
        if event.date > meta.facts_as_of:
            check.add(origin, "date", f"{event.date} is after facts_as_of ({meta.facts_as_of})")
        if kind is EventType.SIGNED:
            if event.date < treaty.opened_for_signature:
                check.add(origin, "date", "signed before the treaty opened for signature")
            elif not law.signature_open(treaty, event.date):
                check.add(
                    origin,
                    "date",
                    f"signature closed on {treaty.entered_into_force} ({law.SIGNATURE_ARTICLE}); "
                    "a state joins after that by accession",
                )
            signed = event
        elif kind in CONSENT_TYPES:
            if consent is not None and deposited is None:
                check.add(origin, "type", f"second instrument of consent after {consent.date}")
            if kind in (EventType.RATIFIED, EventType.ACCEPTED, EventType.APPROVED) and not signed:
                check.add(origin, "type", f"{kind} requires an earlier signature; use acceded")
            consent, deposited = event, None
            _check_entry_into_force(check, treaty, events, event, origins, meta)
        elif kind is EventType.ENTERED_INTO_FORCE:
            if consent is None and not _retroactive(event, events):
                check.add(origin, "type", "entry into force without an instrument of consent")
        elif kind in (EventType.WITHDRAWAL_DEPOSITED, EventType.SUSPENSION_NOTIFIED):
            if consent is None:
                check.add(origin, "type", f"{kind} by a state that never joined")
            if kind is EventType.WITHDRAWAL_DEPOSITED:
                deposited = event
                _check_withdrawal(check, treaty, events, event, origins, conflicts, meta)
        elif kind is EventType.WITHDRAWAL_EFFECTIVE and deposited is None:
            check.add(origin, "type", "withdrawal effective without a deposited instrument")


def _retroactive(eif: Event, events: tuple[Event, ...]) -> bool:
    """A successor state may be bound from independence, before it notifies succession."""
    return eif.rule_exception is not None and any(
        e.type is EventType.SUCCEEDED and e.date >= eif.date for e in events
    )


def _check_entry_into_force(check, treaty, events, consent, origins, meta) -> None:
    expected = law.entry_into_force(treaty, consent.date)
    recorded = next(
        (
            e
            for e in events
            if e.type is EventType.ENTERED_INTO_FORCE
            and (e.date >= consent.date or (consent.type is EventType.SUCCEEDED and _retroactive(e, events)))
        ),
        None,
    )
    if recorded is None:
        if expected <= meta.facts_as_of:
            check.add(
                origins[id(consent)],
                "type",
                f"no entered_into_force event; {treaty.entry_into_force_article} gives {expected}",
            )
    elif recorded.date != expected and recorded.rule_exception is None:
        check.add(
            origins[id(recorded)],
            "date",
            f"{recorded.date} contradicts {treaty.entry_into_force_article}: deposit on "
            f"{consent.date} gives {expected} (record a sourced rule_exception if it is right)",
        )


def _check_withdrawal(check, treaty, events, deposit, origins, conflicts, meta) -> None:
    effect = law.withdrawal_effect(treaty, deposit.date, conflicts)
    recorded = next(
        (e for e in events if e.type is EventType.WITHDRAWAL_EFFECTIVE and e.date >= deposit.date),
        None,
    )
    if recorded is None:
        if effect.date is not None and effect.date <= meta.facts_as_of:
            check.add(
                origins[id(deposit)],
                "type",
                f"no withdrawal_effective event; {treaty.withdrawal_article} gives {effect.date}",
            )
    elif recorded.date != effect.date and recorded.rule_exception is None:
        expected = effect.date or f"the end of the armed conflict after {effect.six_months}"
        check.add(
            origins[id(recorded)],
            "date",
            f"{recorded.date} contradicts {treaty.withdrawal_article}: receipt on {deposit.date} "
            f"gives {expected} (record a sourced rule_exception if it is right)",
        )


# --- use, production and transfer events ----------------------------------------------------


def _counterparts(check: _Checker, events: dict, countries: dict) -> None:
    """A conduct event's counterpart: only on use and transfer events, a known state other
    than the one acting; a transfer must name its recipient."""
    for iso3, evs in events.items():
        for event, origin in evs:
            other = event.counterpart
            if other is None:
                if event.type is EventType.TRANSFER:
                    check.add(origin, "type", "a transfer needs a counterpart (the receiving state)")
                continue
            if event.type not in COUNTERPART_TYPES:
                kinds = ", ".join(sorted(COUNTERPART_TYPES))
                check.add(origin, "counterpart", f"only {kinds} events name a counterpart")
            elif other not in countries:
                check.add(origin, "counterpart", f"unknown country {other!r}")
            elif other == iso3:
                check.add(origin, "counterpart", "names the state itself; omit it for use at home")


# --- published figures (figures.toml) ---------------------------------------------------------

# The weapons each kind of figure may count.
_CASUALTY_WEAPONS = (Weapon.MINES_ERW, Weapon.CLUSTER_MUNITIONS)
_CONTAMINATION_WEAPONS = (Weapon.AP_MINES, Weapon.CLUSTER_MUNITIONS)
_COUNTS = ("states_and_areas", "states", "states_parties", "states_not_party", "other_areas")


def _figures(check: _Checker, path: str, figures: FiguresFile, sources: dict, countries: dict,
             meta: Meta) -> dict:
    """Editions, casualty figures and contamination figures: references, scopes, impossible
    values. Returns the editions by id."""
    editions = _unique(check, path, "editions", figures.editions, "id")
    for i, edition in enumerate(figures.editions):
        origin = Origin(path, "editions", i)
        check.refs(origin, edition.sources, sources)
        if not _ID.fullmatch(edition.id):
            check.add(origin, "id", "use lower-case letters, digits, '.', '_' or '-'")
        if edition.published is not None and edition.published.year <= edition.covers:
            # A report on a calendar year comes out after that year ends.
            check.add(origin, "covers", f"an edition published on {edition.published} cannot "
                      f"report the whole of {edition.covers}")
        if edition.published is not None and edition.published > meta.facts_as_of:
            check.add(origin, "published", f"{edition.published} is after facts_as_of ({meta.facts_as_of})")

    def scoped(origin: Origin, record) -> None:
        check.refs(origin, record.sources, sources)
        if record.scope != WORLD and record.scope not in countries:
            check.add(origin, "scope", f"{record.scope!r} is neither \"world\" nor a known country")
        if record.edition not in editions:
            check.add(origin, "edition", f"unknown edition {record.edition!r}")

    seen: set[tuple] = set()
    for i, c in enumerate(figures.casualties):
        origin = Origin(path, "casualties", i)
        scoped(origin, c)
        if c.weapon not in _CASUALTY_WEAPONS:
            check.add(origin, "weapon", f"casualties are counted for {' or '.join(_CASUALTY_WEAPONS)}")
        edition = editions.get(c.edition)
        if edition is not None and c.year > edition.covers:
            check.add(origin, "year", f"{c.year} is after the year {c.edition} covers ({edition.covers})")
        if c.killed is None and c.injured is None and c.total is None:
            check.add(origin, "total", "gives no figure: record killed, injured or total")
        # Some casualties are of unknown status, so killed + injured may fall short of the
        # total (the Monitor says so each year); only more than the total is impossible.
        if c.total is not None:
            for key in ("killed", "injured"):
                value = getattr(c, key)
                if value is not None and value > c.total:
                    check.add(origin, key, f"{value} is more than the total ({c.total})")
            if c.killed is not None and c.injured is not None and c.killed + c.injured > c.total:
                check.add(origin, "total", f"killed + injured ({c.killed + c.injured}) is more "
                          f"than the total ({c.total})")
        ident = (c.scope, c.year, c.weapon, c.edition)
        if ident in seen:
            check.add(origin, "edition", f"duplicate figure for {c.scope} {c.year} in {c.edition}")
        seen.add(ident)

    seen = set()
    for i, k in enumerate(figures.contamination):
        origin = Origin(path, "contamination", i)
        scoped(origin, k)
        if k.weapon not in _CONTAMINATION_WEAPONS:
            check.add(origin, "weapon", f"contamination is recorded for {' or '.join(_CONTAMINATION_WEAPONS)}")
        counts = [key for key in _COUNTS if getattr(k, key) is not None]
        if k.scope == WORLD and (k.area_km2 is not None or k.extent_band is not None):
            check.add(origin, "scope", "world rows give counts of states and areas, not an area or band")
        if k.scope != WORLD and counts:
            check.add(origin, counts[0], "counts of states and areas belong on world rows")
        if (k.area_km2 is None) != (k.area_kind is None):
            check.add(origin, "area_kind", "give area_km2 and area_kind (confirmed or suspected) together")
        if k.area_km2 is None and k.extent_band is None and not counts:
            check.add(origin, "scope", "gives no figure: record an area, an extent band or counts")
        if k.states_and_areas is not None:
            # States (or states parties and states not party) plus other areas.
            states = k.states if k.states is not None else (k.states_parties or 0) + (k.states_not_party or 0)
            parts = states + (k.other_areas or 0)
            if parts > k.states_and_areas:
                check.add(origin, "states_and_areas", f"{k.states_and_areas} is less than its "
                          f"parts ({parts})")
        ident = (k.scope, k.weapon, k.edition)
        if ident in seen:
            check.add(origin, "edition", f"duplicate figure for {k.scope} {k.weapon} in {k.edition}")
        seen.add(ident)
    return editions
