"""Published figures (figures.toml): casualties per year and contamination, for the world or
one state, each tied to the report edition that printed it.

Later editions revise earlier years. Every edition's figure is kept; an answer shows the
figure of the latest edition (the one covering the latest year) that had been published by
the day asked about, and lists the others under `other_editions`. With no day given, every
edition counts; with a day, only editions published on or before it count, an edition whose
day of publication no source gives counting from the end of the year in its title
(rows.edition_counts_from, the rule funding figures follow too).

Unknown is never zero: a year or state with no published figure is a row whose figures
are None, never 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from .errors import UsageError
from .models import WORLD, Casualty, Contamination, Edition, FactBase, Weapon
from .rows import Row, edition_counts_from, iso, sources


class Metric(StrEnum):
    CASUALTIES = "casualties"
    CLUSTER_CASUALTIES = "cluster-casualties"
    CONTAMINATION = "contamination"


# The weapon each casualty metric counts.
_CASUALTY_WEAPON = {Metric.CASUALTIES: Weapon.MINES_ERW, Metric.CLUSTER_CASUALTIES: Weapon.CLUSTER_MUNITIONS}
_CONTAMINATION_WEAPONS = (Weapon.AP_MINES, Weapon.CLUSTER_MUNITIONS)
_CASUALTY_KEYS = ("killed", "injured", "total", "civilian_pct")
_CONTAMINATION_KEYS = ("area_km2", "area_kind", "extent_band", "states_and_areas", "states",
                       "states_parties", "states_not_party", "other_areas", "at_least")


def visible(base: FactBase, on: dt.date | None) -> dict[str, Edition]:
    """The editions that had been published by the end of `on` (every edition when `on` is
    None), by id; an edition with no known day of publication counts from the end of the
    year in its title (rows.edition_counts_from)."""
    if on is None:
        return dict(base.editions)
    return {k: e for k, e in base.editions.items() if edition_counts_from(e) <= on}


def _recency(edition: Edition) -> tuple[int, dt.date]:
    """Later editions first: the year covered, then the day published (unknown: earliest)."""
    return edition.covers, edition.published or dt.date.min


def _by_recency(records: Iterable, editions: dict[str, Edition]) -> list:
    """The records whose edition is visible, the latest edition first."""
    shown = [r for r in records if r.edition in editions]
    return sorted(shown, key=lambda r: _recency(editions[r.edition]), reverse=True)


def _edition_fields(edition: Edition | None) -> Row:
    return {
        "edition": None if edition is None else edition.id,
        "edition_title": None if edition is None else edition.title,
        "edition_published": None if edition is None else iso(edition.published),
    }


def _country(base: FactBase, scope: str) -> str | None:
    return None if scope == WORLD else base.countries[scope].name


def casualty_row(base: FactBase, scope: str, year: int, weapon: Weapon, found: list[Casualty],
                 editions: dict[str, Edition]) -> Row:
    """One year's casualties for one scope: the latest edition's figure, the others listed.

    `found` holds that scope's, year's and weapon's records with a visible edition, latest
    first (possibly none: then every figure is None). Returns {rank, scope, country, year,
    weapon, killed, injured, total, civilian_pct (percent), edition, edition_title,
    edition_published, secondary, note, other_editions: [{edition, edition_published,
    killed, injured, total, civilian_pct}], sources (ids)}; rank is None (set by the top list)."""
    latest = found[0] if found else None
    row: Row = {"rank": None, "scope": scope, "country": _country(base, scope), "year": year,
                "weapon": str(weapon)}
    row |= {k: None if latest is None else getattr(latest, k) for k in _CASUALTY_KEYS}
    row |= _edition_fields(None if latest is None else editions[latest.edition])
    row["secondary"] = None if latest is None else latest.secondary
    row["note"] = None if latest is None else latest.note
    row["other_editions"] = [
        _edition_fields(editions[r.edition]) | {k: getattr(r, k) for k in _CASUALTY_KEYS}
        for r in found[1:]
    ]
    for other in row["other_editions"]:
        del other["edition_title"]
    row["sources"] = [] if latest is None else list(latest.sources)
    return row


def _casualty_rows(base, scope, weapon, years, editions) -> list[Row]:
    records = [c for c in base.casualties if c.scope == scope and c.weapon is weapon]
    return [
        casualty_row(base, scope, year, weapon,
                     _by_recency((c for c in records if c.year == year), editions), editions)
        for year in years
    ]


def _top_states(base, weapon, year, editions) -> Row:
    """The states with published figures for `year`, most casualties first."""
    if year is None:
        return {"year": None, "rows": []}
    scopes = sorted({c.scope for c in base.casualties
                     if c.scope != WORLD and c.weapon is weapon and c.year == year and c.edition in editions})
    rows = [r for s in scopes for r in _casualty_rows(base, s, weapon, [year], editions)]
    rows.sort(key=lambda r: (r["total"] is None, -(r["total"] or 0), r["country"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank if row["total"] is not None else None
    return {"year": year, "rows": rows}


def _stamp(base: FactBase, on: dt.date | None, today: dt.date) -> Row:
    return {"as_of": iso(on or today), "dated_editions_only": on is not None,
            "facts_as_of": iso(base.meta.facts_as_of)}


def casualties(base: FactBase, iso3: str | None, metric: Metric, year: int | None,
               on: dt.date | None, today: dt.date) -> Row:
    """Casualties by year for the world (iso3 None) or one state, as published by `on`.

    Returns {metric, weapon, scope, country, year, as_of, dated_editions_only, facts_as_of,
    figures: [casualty rows, by year, newest first], top_states: {year, rows} (world only,
    else None), sources: [source records]}. For the world the years run from the first to
    the last with a figure; for a state, over the same span plus its own years, so a year
    with no figure is a row of None. Raises UsageError for a metric that is not a casualty
    count."""
    if metric not in _CASUALTY_WEAPON:
        raise UsageError(f"--metric {metric} is not a casualty count")
    weapon = _CASUALTY_WEAPON[metric]
    editions = visible(base, on)
    scope = WORLD if iso3 is None else iso3
    relevant = [c for c in base.casualties if c.weapon is weapon and c.edition in editions
                and c.scope in (WORLD, scope)]
    if year is not None:
        years = [year]
    elif relevant:
        known = {c.year for c in relevant}
        years = list(range(max(known), min(known) - 1, -1))
    else:
        years = []
    rows = _casualty_rows(base, scope, weapon, years, editions)
    top = None
    if iso3 is None:
        state_years = [c.year for c in base.casualties
                       if c.scope != WORLD and c.weapon is weapon and c.edition in editions]
        top = _top_states(base, weapon, year if year is not None else max(state_years, default=None), editions)
    cited = [s for r in rows + (top["rows"] if top else []) for s in r["sources"]]
    return {
        "metric": str(metric),
        "weapon": str(weapon),
        "scope": scope,
        "country": _country(base, scope),
        "year": year,
        **_stamp(base, on, today),
        "figures": rows,
        "top_states": top,
        "sources": sources(base, cited),
    }


def contamination_row(base: FactBase, scope: str, weapon: Weapon, found: list[Contamination],
                      editions: dict[str, Edition]) -> Row:
    """The latest extent (state) or count of states and areas (world) for one weapon.

    `found` is latest first (possibly empty: every figure None). Returns {scope, country,
    weapon, area_km2 (km2), area_kind, extent_band, states_and_areas, states,
    states_parties, states_not_party, other_areas, at_least, edition, edition_title,
    edition_published, edition_covers, secondary, note, other_editions: [{edition,
    edition_published, the figures}], sources (ids)}."""
    latest = found[0] if found else None

    def figures(record: Contamination | None) -> Row:
        out = {k: None if record is None else getattr(record, k) for k in _CONTAMINATION_KEYS}
        for k in ("area_kind", "extent_band"):
            out[k] = None if out[k] is None else str(out[k])
        return out

    edition = None if latest is None else editions[latest.edition]
    row: Row = {"scope": scope, "country": _country(base, scope), "weapon": str(weapon)}
    row |= figures(latest) | _edition_fields(edition)
    row["edition_covers"] = None if edition is None else edition.covers
    row["secondary"] = None if latest is None else latest.secondary
    row["note"] = None if latest is None else latest.note
    row["other_editions"] = []
    for r in found[1:]:
        other = _edition_fields(editions[r.edition]) | figures(r)
        del other["edition_title"]
        row["other_editions"].append(other)
    row["sources"] = [] if latest is None else list(latest.sources)
    return row


def contamination(base: FactBase, iso3: str | None, weapon: Weapon | None, year: int | None,
                  on: dt.date | None, today: dt.date) -> Row:
    """Contamination as published by `on`: with no state, the world's counts then every state
    with a published extent; with a state, its rows (None figures when nothing is published).

    `year` keeps only editions covering that year. Returns {metric, weapon, scope, country,
    year, as_of, dated_editions_only, facts_as_of, figures: [contamination rows], top_states:
    None, sources: [source records]}. Raises UsageError for a weapon that is not recorded
    as contamination."""
    if weapon is not None and weapon not in _CONTAMINATION_WEAPONS:
        raise UsageError(f"--weapon {weapon}: contamination is recorded for "
                         f"{' or '.join(_CONTAMINATION_WEAPONS)}")
    editions = {k: e for k, e in visible(base, on).items() if year is None or e.covers == year}
    weapons = [weapon] if weapon is not None else list(_CONTAMINATION_WEAPONS)
    if iso3 is None:
        states = sorted({k.scope for k in base.contamination if k.scope != WORLD and k.edition in editions},
                        key=lambda s: base.countries[s].name)
        scopes = [WORLD, *states]
    else:
        scopes = [iso3]
    rows = []
    for scope in scopes:
        for w in weapons:
            found = _by_recency((k for k in base.contamination if k.scope == scope and k.weapon is w), editions)
            if found or scope == iso3 or scope == WORLD:
                rows.append(contamination_row(base, scope, w, found, editions))
    return {
        "metric": str(Metric.CONTAMINATION),
        "weapon": None if weapon is None else str(weapon),
        "scope": WORLD if iso3 is None else iso3,
        "country": None if iso3 is None else base.countries[iso3].name,
        "year": year,
        **_stamp(base, on, today),
        "figures": rows,
        "top_states": None,
        "sources": sources(base, [s for r in rows for s in r["sources"]]),
    }


def latest_for_state(base: FactBase, iso3: str, on: dt.date | None) -> Row:
    """A state's latest published figures, for `status`: {casualties, cluster_casualties
    (the row of the latest year with a figure, or None), contamination: [rows with a
    figure], sources: [source records]}. Raises KeyError for an unknown state."""
    editions = visible(base, on)
    out: Row = {}
    for key, weapon in (("casualties", Weapon.MINES_ERW), ("cluster_casualties", Weapon.CLUSTER_MUNITIONS)):
        years = [c.year for c in base.casualties
                 if c.scope == iso3 and c.weapon is weapon and c.edition in editions]
        out[key] = None if not years else _casualty_rows(base, iso3, weapon, [max(years)], editions)[0]
    out["contamination"] = [
        contamination_row(base, iso3, w, found, editions)
        for w in _CONTAMINATION_WEAPONS
        if (found := _by_recency((k for k in base.contamination if k.scope == iso3 and k.weapon is w), editions))
    ]
    rows = [r for r in (out["casualties"], out["cluster_casualties"], *out["contamination"]) if r]
    out["sources"] = sources(base, [s for r in rows for s in r["sources"]])
    return out


def flat_rows(doc: Row) -> list[Row]:
    """The rows of a figures document for JSON Lines, CSV and Markdown: the figures, then
    (world casualties) the top states, each with a `part` key ("figures" or "top_states")
    first."""
    top = doc["top_states"]["rows"] if doc["top_states"] else []
    return [{"part": "figures"} | r for r in doc["figures"]] + [{"part": "top_states"} | r for r in top]
