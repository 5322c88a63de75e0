"""Cross-checks of a parsed facts folder and assembly of the FactBase.

Per-file shape (types, unknown keys) is pydantic's job in store.py; everything that needs
more than one record lives here: references, uniqueness, alias collisions, the order of a
state's events, and agreement of recorded dates with the treaty rules in law.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from . import law
from .countries import keys_of, keys_of_treaty
from .errors import Problem
from .models import (
    CONSENT_TYPES,
    STATE_KINDS,
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

# The order of each per-state kind's records in the FactBase (events: law.event_order);
# a kind without an entry keeps the order of its file.
_ORDER = {
    "reasons": lambda r: (r.date, r.treaty),
    "conflicts": lambda c: c.start,
}


def _file_order(record: Any) -> int:
    return 0  # sorted() is stable


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
    """Cross-check the parsed records and assemble the FactBase.

    Returns (FactBase, problems), or (None, problems) when a required file is missing or
    unreadable. Never raises for bad data: every problem is in the list."""
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

    countries, events, others, names = _countries(check, parsed, treaties, sources)
    conflicts = others["conflicts"]
    # States whose file exists but is broken count as known here: their own problems are
    # reported, and a figure or event naming them should not add a second, false one.
    states = set(countries) | {
        path.rsplit("/", 1)[1].removesuffix(".toml").upper()
        for path in parsed.texts if path.startswith(f"{label}/{COUNTRY_DIR}/")
    }
    editions = _figures(check, f"{label}/figures.toml", figures, sources, states, meta)
    donors = _funding(check, f"{label}/funding.toml", funding, sources, countries, editions)
    _counterparts(check, events, states)

    for iso3, evs in events.items():
        origins = {id(e): o for e, o in evs}
        ordered = sorted((e for e, _ in evs), key=law.event_order)
        for treaty_id, treaty in treaties.items():
            mine = tuple(e for e in ordered if e.treaty == treaty_id)
            if mine:
                _check_sequence(check, treaty, mine, origins, conflicts.get(iso3, ()), meta)

    for iso3 in countries:
        _check_obligations(check, parsed, iso3, others, events.get(iso3, ()), treaties, meta)

    base = FactBase(
        meta=meta,
        treaties=treaties,
        sources=sources,
        countries=countries,
        events={
            iso3: tuple(sorted((e for e, _ in evs), key=law.event_order))
            for iso3, evs in events.items()
        },
        **others,
        donors=donors,
        totals=tuple(sorted(funding.totals, key=lambda t: t.year)),
        contributions=tuple(sorted(funding.contributions, key=lambda c: (c.year, c.donor))),
        funding_events=tuple(sorted(funding.events, key=lambda e: (e.date, e.donor or ""))),
        names=names,
        editions=editions,
        recipients=tuple(sorted(funding.recipients, key=lambda r: (r.year, r.iso3, r.donor or ""))),
        funding_gaps=tuple(sorted(funding.gaps, key=lambda g: (g.year, str(g.kind)))),
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
    # The other per-state kinds: {kind name: {iso3: records in order}}.
    others: dict[str, dict[str, tuple]] = {k.name: {} for k in STATE_KINDS if k.name != "events"}
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
        _check_statehood(check, head, country, treaties, sources)

        seen: set[tuple] = set()
        mine: list[tuple[Event, Origin]] = []
        for kind in STATE_KINDS:
            for i, record in enumerate(getattr(file, kind.name)):
                origin = Origin(path, kind.name, i)
                check.refs(origin, record.sources, sources)
                if "treaty" in record._fields and record.treaty not in treaties:
                    check.add(origin, "treaty", f"unknown treaty {record.treaty!r}")
                    continue
                if kind.name == "events":
                    if (country.statehood is not None and record.date < country.statehood
                            and not record.rule_exception):
                        check.add(origin, "date", f"{record.date} is before {country.name} became a "
                                  f"state ({country.statehood}); record a sourced rule_exception if "
                                  "it is right")
                    ident = (record.treaty, record.type, record.date, record.counterpart)
                    if ident in seen and record.type is not EventType.STATEMENT:
                        check.add(origin, "type", f"duplicate {record.type} event on {record.date}")
                    seen.add(ident)
                    mine.append((record, origin))
                elif kind.name == "conflicts" and record.end is not None and record.end < record.start:
                    check.add(origin, "end", "ends before it starts")
        events[country.iso3] = mine
        for kind in STATE_KINDS:
            if kind.name != "events":
                order = _ORDER.get(kind.name, _file_order)
                others[kind.name][country.iso3] = tuple(sorted(getattr(file, kind.name), key=order))
    for country in countries.values():
        if country.part_of is not None and (country.part_of not in countries or country.part_of == country.iso3):
            head = Origin(f"{prefix}{country.iso3.lower()}.toml", "country")
            check.add(head, "part_of", f"{country.part_of!r} is not another state of the fact base")
    return countries, events, others, owners


def _check_statehood(check: _Checker, head: Origin, country: Country, treaties: dict, sources: dict) -> None:
    """A statehood date is recorded, with sources, only for a state that came into being after
    the first treaty opened for signature; the fields that describe it need it."""
    if country.statehood is None:
        for key in ("statehood_sources", "part_of", "part_of_name"):
            if getattr(country, key):
                check.add(head, key, "is given without a statehood date")
        return
    if not country.statehood_sources:
        check.add(head, "statehood_sources", "statehood cites no source")
    for i, source in enumerate(country.statehood_sources):
        if source not in sources:
            check.add(head, "statehood_sources", f"unknown source {source!r} (statehood_sources[{i}])")
    opened = min((t.opened_for_signature for t in treaties.values()), default=None)
    if opened is not None and country.statehood <= opened:
        check.add(head, "statehood", f"{country.statehood} is not after the first treaty opened for "
                  f"signature ({opened}); record statehood only for states that came into being later")
    if country.part_of_name is not None and country.part_of is None:
        check.add(head, "part_of_name", "is given without part_of")


def _funding(check: _Checker, path: str, funding: FundingFile, sources: dict, countries: dict,
             editions: dict):
    """Funding records: known donors, sources and editions (the one register of editions,
    figures.toml's, by id); one figure per year, scope and edition (a later edition's
    revision is a second record, never an overwrite); a figure for a year after the one its
    edition covers, or a gap beside a figure of its own edition, is a contradiction. Returns
    the donors by id."""
    donors = _unique(check, path, "donors", funding.donors, "id")
    for i, donor in enumerate(funding.donors):
        if donor.iso3 is not None and donor.iso3 not in countries:
            check.add(Origin(path, "donors", i), "iso3", f"unknown country {donor.iso3!r}")

    def edition_of(origin: Origin, edition: str, year: int) -> None:
        if edition not in editions:
            check.add(origin, "edition", f"unknown edition {edition!r}")
        elif year > editions[edition].covers:
            # An edition reports the years up to the one it covers (Landmine Monitor 2018
            # covers 2017).
            check.add(origin, "edition", f"{edition} covers {editions[edition].covers}, so it cannot report {year}")

    figures: set[tuple] = set()
    for i, total in enumerate(funding.totals):
        origin = Origin(path, "totals", i)
        check.refs(origin, total.sources, sources)
        edition_of(origin, total.edition, total.year)
        key = (str(total.scope), total.year, total.edition)
        if key in figures:
            check.add(origin, "year", f"duplicate {total.scope} total for {total.year} "
                      f"from {total.edition}")
        figures.add(key)
        if total.amount_usd <= 0:
            check.add(origin, "amount_usd", "must be positive")
    pairs: set[tuple] = set()
    for i, item in enumerate(funding.contributions):
        origin = Origin(path, "contributions", i)
        check.refs(origin, item.sources, sources)
        edition_of(origin, item.edition, item.year)
        if item.donor not in donors:
            check.add(origin, "donor", f"unknown donor {item.donor!r}")
        if (item.donor, item.year, item.edition) in pairs:
            check.add(origin, "year", f"duplicate contribution of {item.donor} for {item.year}")
        pairs.add((item.donor, item.year, item.edition))
    for i, item in enumerate(funding.recipients):
        origin = Origin(path, "recipients", i)
        check.refs(origin, item.sources, sources)
        edition_of(origin, item.edition, item.year)
        if item.iso3 not in countries:
            check.add(origin, "iso3", f"unknown country {item.iso3!r}")
        if item.donor is not None and item.donor not in donors:
            check.add(origin, "donor", f"unknown donor {item.donor!r}")
    for i, gap in enumerate(funding.gaps):
        origin = Origin(path, "gaps", i)
        if gap.sources:  # a gap may cite nothing: it records that no figure was found
            check.refs(origin, gap.sources, sources)
        edition_of(origin, gap.edition, gap.year)
        if gap.donor is not None and gap.donor not in donors:
            check.add(origin, "donor", f"unknown donor {gap.donor!r}")
        if gap.iso3 is not None and gap.iso3 not in countries:
            check.add(origin, "iso3", f"unknown country {gap.iso3!r}")
        if (gap.kind == "contribution") != (gap.donor is not None):
            check.add(origin, "donor", "a contribution gap names its donor, and only it does")
        if gap.kind == "contribution":
            filled = (gap.donor, gap.year, gap.edition) in pairs
        elif gap.kind == "recipient":
            filled = any((r.iso3, r.year, r.edition) == (gap.iso3, gap.year, gap.edition)
                         and r.amount_usd is not None and r.donor is None for r in funding.recipients)
        else:
            filled = (str(gap.kind), gap.year, gap.edition) in figures
        if filled:
            check.add(origin, "year", f"a gap for {gap.year} beside a figure from the same edition "
                      "(a figure found replaces its gap: remove this record)")
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


# --- obligations and their extensions (rules in law.py: DUTIES, original_deadline, ...) ---


def _check_obligations(check, parsed, iso3, others, events, treaties, meta) -> None:
    """One state's obligations and extensions: a known duty, one record per duty, the
    original deadline the article gives from entry into force, well-formed periods, and each
    granted extension moving the deadline later by no more than the article allows."""
    path = f"{parsed.label}/{COUNTRY_DIR}/{iso3.lower()}.toml"
    obligations = others["obligations"].get(iso3, ())
    extensions = others["extensions"].get(iso3, ())
    if not obligations and not extensions:
        return
    by_duty = {}
    for i, ob in enumerate(obligations):
        origin = Origin(path, "obligations", i)
        duty = law.DUTIES.get((ob.treaty, ob.article))
        if ob.treaty not in treaties:
            continue  # reported with the other per-state kinds
        if duty is None:
            known = ", ".join(sorted(a for t, a in law.DUTIES if t == ob.treaty))
            check.add(origin, "article", f"{ob.article!r} is not an obligation with a deadline "
                      f"under {ob.treaty} (known: {known})")
            continue
        if (ob.treaty, ob.article) in by_duty:
            check.add(origin, "article", f"second {ob.treaty} {ob.article} obligation; record one per duty")
            continue
        by_duty[(ob.treaty, ob.article)] = ob
        eif = next((e.date for e, _ in events
                    if e.treaty == ob.treaty and e.type is EventType.ENTERED_INTO_FORCE), None)
        if eif is None:
            check.add(origin, "treaty", f"no entered_into_force event for {ob.treaty}; "
                      f"the {ob.article} deadline runs from it")
        else:
            expected = law.original_deadline(duty, eif)
            if ob.original_deadline != expected and ob.rule_exception is None:
                check.add(origin, "original_deadline",
                          f"{ob.original_deadline} contradicts {ob.article}: entry into force on {eif} "
                          f"gives {expected} (record a sourced rule_exception if it is right)")
        for key in ("completed_period", "reopened_period"):
            value = getattr(ob, key)
            if value is not None:
                try:
                    law.period_bounds(value)
                except ValueError:
                    check.add(origin, key, f"{value!r} is not a year (YYYY) or month (YYYY-MM)")
        if ob.completed is not None and ob.completed_period is not None:
            check.add(origin, "completed_period", "give completed (a day) or completed_period, not both")
        if ob.researched_to is not None and ob.researched_to > meta.facts_as_of:
            check.add(origin, "researched_to", f"{ob.researched_to} is after facts_as_of ({meta.facts_as_of})")
    for i, ext in enumerate(extensions):
        origin = Origin(path, "extensions", i)
        if ext.treaty not in treaties:
            continue
        ob = by_duty.get((ext.treaty, ext.article))
        if ob is None:
            check.add(origin, "article", f"no {ext.treaty} {ext.article} obligation in this file to extend")
            continue
        duty = law.DUTIES[(ext.treaty, ext.article)]
        if duty.extension_article is None:
            check.add(origin, "article", f"{ext.treaty} {ext.article} provides no extension of its deadline")
        if str(ext.outcome) == "unknown" and ext.new_deadline is not None:
            check.add(origin, "new_deadline", "a request whose outcome is unknown has no granted "
                      "deadline; put what was asked in requested_text")
        if ext.granted is not None and ext.requested is not None and ext.granted < ext.requested:
            check.add(origin, "granted", f"granted on {ext.granted}, before the request of {ext.requested}")
        if ext.granted is not None and ext.granted > meta.facts_as_of:
            check.add(origin, "granted", f"{ext.granted} is after facts_as_of ({meta.facts_as_of})")
    for (treaty, article), ob in by_duty.items():
        duty = law.DUTIES[(treaty, article)]
        mine = [e for e in extensions if (e.treaty, e.article) == (treaty, article)]
        previous = ob.original_deadline
        for step in law.deadline_steps(ob.original_deadline, mine):
            new = step.extension.new_deadline
            if new is None or duty.extension_article is None:
                continue
            origin = Origin(path, "extensions", extensions.index(step.extension))
            limit = law.longest_extension(duty, previous)
            # A deadline set after a declared completion, for mined areas found later (the
            # 12MSP procedure), is a new decision, not an extension counted from the old one.
            if ob.reopened_period is not None and step.effective >= law.period_bounds(ob.reopened_period)[0]:
                limit = dt.date.max
            if new <= previous:
                check.add(origin, "new_deadline", f"{new} does not extend the deadline then in force ({previous})")
            elif new > limit:
                check.add(origin, "new_deadline",
                          f"{new} is more than {duty.extension_max_years} years after the deadline it "
                          f"extends ({previous}); {duty.extension_article} allows up to {limit}")
            previous = new


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
