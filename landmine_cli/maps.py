"""`landmine map`: every state's status under one treaty on a day (or its change between two
days), as rows and as a world map drawn in SVG.

Statuses come from law.standing, called as every other answer calls it. Boundaries come from
world.json (Natural Earth, built by tools/build_world.py). A state too small to see at world
scale gets a dot on the map and a line in the "Small states" list under it, so none is
missing. Each state is one <g id="ISO3" data-status="..."> whose fill is its legend colour.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib import resources
from typing import Any

from .models import EventType, FactBase, Treaty
from .pictures import (
    CHANGE_COLOURS,
    FAINT,
    FONT,
    INK,
    OTHER_LAND,
    SEA,
    colour,
    esc,
    label,
    num,
    statuses,
)
from .rows import standing

Row = dict[str, Any]

# Below this many square pixels (at 1000 px wide) a state is listed and dotted.
SMALL_AREA = 10.0

_KEY_EVENTS = {
    EventType.SIGNED: "Signed",
    EventType.RATIFIED: "Ratified",
    EventType.ACCEDED: "Acceded",
    EventType.ACCEPTED: "Accepted",
    EventType.APPROVED: "Approved",
    EventType.SUCCEEDED: "Succeeded",
    EventType.ENTERED_INTO_FORCE: "In force",
    EventType.WITHDRAWAL_ANNOUNCED: "Withdrawal announced",
    EventType.WITHDRAWAL_DEPOSITED: "Withdrawal deposited",
    EventType.WITHDRAWAL_EFFECTIVE: "Withdrawal effective",
}


@cache
def world() -> dict[str, Any]:
    """The shipped boundaries: one SVG path per state, keyed by ISO 3166-1 alpha-3."""
    text = resources.files("landmine_cli").joinpath("world.json").read_text(encoding="utf-8")
    return json.loads(text)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def key_dates(base: FactBase, iso3: str, treaty: Treaty, on: dt.date) -> list[Row]:
    """The dated steps that matter for a reader, up to `on`."""
    return [
        {"event": _KEY_EVENTS[e.type], "date": e.date.isoformat()}
        for e in base.treaty_events(iso3, treaty.id)
        if e.date <= on and e.type in _KEY_EVENTS
    ]


def states(base: FactBase, treaty: Treaty, on: dt.date) -> list[Row]:
    """Every state's status under `treaty` at the end of `on`, by name."""
    rows = []
    for iso3, country in base.countries.items():
        found = standing(base, iso3, treaty, on)
        rows.append(
            {
                "country": country.name,
                "iso3": iso3,
                "treaty": treaty.id,
                "status": str(found.status),
                "since": _iso(found.since),
                "next_status": None if found.next_status is None else str(found.next_status),
                "next_date": _iso(found.next_date),
                "key_dates": key_dates(base, iso3, treaty, on),
                "as_of": on.isoformat(),
                "facts_as_of": base.meta.facts_as_of.isoformat(),
            }
        )
    rows.sort(key=lambda r: r["country"])
    return rows


def change_kind(before: str, after: str) -> str:
    """How a state's status moved between two days, in the words of the legend."""
    inside = {"party", "joining", "withdrawing"}
    if before == after:
        return "unchanged"
    if after in ("party", "joining") and before not in inside:
        return "joined"
    if after == "signatory" and before in ("not_joined", "withdrawn", "unknown", "not_a_state"):
        return "signed"
    if after == "withdrawing":
        return "started withdrawing"
    if after == "withdrawn":
        return "withdrew"
    return "other change"


def changes(base: FactBase, treaty: Treaty, start: dt.date, end: dt.date) -> list[Row]:
    """Every state's status as the period from `start` to `end` began (the end of the day
    before `start`, as `landmine changes --from` counts) and at its end, and the kind of change."""
    first = {r["iso3"]: r for r in states(base, treaty, start - dt.timedelta(days=1))}
    rows = []
    for row in states(base, treaty, end):
        before = first[row["iso3"]]["status"]
        rows.append(
            {
                "country": row["country"],
                "iso3": row["iso3"],
                "treaty": treaty.id,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "status_before": before,
                "status": row["status"],
                "since": row["since"],
                "change": change_kind(before, row["status"]),
                "key_dates": row["key_dates"],
                "facts_as_of": row["facts_as_of"],
            }
        )
    return rows


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _tip(row: Row) -> str:
    """The hover text: name, status and the key dates, one per line."""
    if "change" in row:
        lines = [row["country"], f"{label(row['status_before'])} before {row['from']} → "
                 f"{label(row['status'])} on {row['to']}"]
    else:
        status = label(row["status"])
        lines = [row["country"], status if row["since"] is None else f"{status} since {row['since']}"]
        if row["next_status"] is not None:
            when = row["next_date"] or "a date not yet known"
            lines.append(f"{label(row['next_status'])} from {when}")
    lines += [f"{k['event']}: {k['date']}" for k in row["key_dates"]]
    return "\n".join(lines)


class Legend:
    """The legend's entries: (key, text, colour), and the colour of each state."""

    def __init__(self, rows: list[Row], by_change: bool) -> None:
        self.by_change = by_change
        key = "change" if by_change else "status"
        counts: dict[str, int] = {}
        for row in rows:
            counts[row[key]] = counts.get(row[key], 0) + 1
        if by_change:
            keys = list(CHANGE_COLOURS)
            self.entries = [(k, f"{k.capitalize()} ({counts.get(k, 0)})", CHANGE_COLOURS[k]) for k in keys]
        else:
            keys = [s for s in statuses() if counts.get(s) or s != "not_a_state"]
            self.entries = [(k, f"{label(k)} ({counts.get(k, 0)})", colour(k)) for k in keys]
        self._key = key

    def fill(self, row: Row) -> str:
        value = row[self._key]
        return CHANGE_COLOURS[value] if self.by_change else colour(value)


def svg(base: FactBase, treaty: Treaty, rows: list[Row], title: str, subtitle: str) -> str:
    """The world map as an SVG document."""
    geo = world()
    width, map_h = geo["width"], geo["height"]
    by_change = bool(rows) and "change" in rows[0]
    legend = Legend(rows, by_change)
    top = 52
    shapes = geo["states"]
    # A state the boundary file lacks (a facts folder of one's own may hold one) is listed
    # under the map like the small states, without a dot.
    unmapped = {r["iso3"] for r in rows if r["iso3"] not in shapes}
    small = sorted((r for r in rows if r["iso3"] in unmapped or shapes[r["iso3"]]["area"] < SMALL_AREA),
                   key=lambda r: r["country"])
    columns, row_h = 5, 15
    small_rows = -(-len(small) // columns)
    legend_y = top + map_h + 22
    small_y = legend_y + 34
    footer_y = small_y + 18 + small_rows * row_h + 14
    height = footer_y + 34
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" font-family="{FONT}" '
        f'data-treaty="{esc(treaty.id)}">',
        f"<title>{esc(title)}</title>",
        f'<rect x="0" y="0" width="{num(width)}" height="{num(height)}" fill="{SEA}"/>',
        f'<text x="16" y="24" font-size="19" font-weight="bold" fill="{INK}">{esc(title)}</text>',
        f'<text x="16" y="42" font-size="12.5" fill="{FAINT}">{esc(subtitle)}</text>',
        f'<g id="map" transform="translate(0,{top})" stroke="{SEA}" stroke-width="0.35" '
        'stroke-linejoin="round" fill-rule="evenodd">',
        f'<g class="other" fill="{OTHER_LAND}">',
    ]
    out += [f'<path d="{o["d"]}"><title>{esc(o["name"])}: not in the fact base</title></path>'
            for o in geo["other"]]
    out.append("</g>")
    small_codes = {r["iso3"] for r in small}
    for row in sorted(rows, key=lambda r: -shapes[r["iso3"]]["area"] if r["iso3"] in shapes else 0):
        shape = shapes.get(row["iso3"], {"d": ""})
        change = f' data-change="{esc(row["change"])}"' if by_change else ""
        out.append(
            f'<g class="state" id="{row["iso3"]}" data-status="{esc(row["status"])}"{change} '
            f'data-name="{esc(row["country"])}" data-tip="" fill="{legend.fill(row)}">'
            f"<title>{esc(_tip(row))}</title>"
        )
        if shape["d"]:
            out.append(f'<path d="{shape["d"]}"/>')
        if row["iso3"] in small_codes and row["iso3"] not in unmapped:
            out.append(f'<circle cx="{num(shape["x"])}" cy="{num(shape["y"])}" r="2.6" '
                       f'stroke="{INK}" stroke-width="0.6"/>')
        out.append("</g>")
    out.append("</g>")
    out.append(f'<g id="legend" font-size="12" fill="{INK}">')
    x = 16.0
    for key, text, fill in legend.entries:
        attr = "data-change" if by_change else "data-status"
        out.append(f'<rect class="swatch" {attr}="{esc(key)}" x="{num(x)}" y="{num(legend_y - 10)}" '
                   f'width="12" height="12" fill="{fill}" stroke="{FAINT}" stroke-width="0.5"/>')
        out.append(f'<text x="{num(x + 17)}" y="{num(legend_y)}">{esc(text)}</text>')
        x += 17 + 7.2 * len(text) + 18
    out.append("</g>")
    if small:
        out.append(f'<g id="small-states" font-size="10.5" fill="{INK}">')
        out.append(f'<text x="16" y="{num(small_y)}" font-size="12" font-weight="bold">'
                   f"Small states, dotted on the map{', and states with no boundary data' if unmapped else ''} "
                   f"({len(small)})</text>")
        col_w = (width - 32) / columns
        for i, row in enumerate(small):
            cx = 16 + (i // small_rows) * col_w
            cy = small_y + 16 + (i % small_rows) * row_h
            out.append(f'<g data-ref="{row["iso3"]}" data-tip=""><title>{esc(_tip(row))}</title>'
                       f'<circle cx="{num(cx + 5)}" cy="{num(cy - 4)}" r="4.5" fill="{legend.fill(row)}" '
                       f'stroke="{INK}" stroke-width="0.6"/>'
                       f'<text x="{num(cx + 14)}" y="{num(cy)}">{esc(row["country"])}</text></g>')
        out.append("</g>")
    sources = len(base.sources)
    out += [
        f'<g id="footer" font-size="10.5" fill="{FAINT}">',
        f'<text x="16" y="{num(footer_y)}">Facts as of {base.meta.facts_as_of.isoformat()}: '
        f"{esc(base.meta.title)}, {sources} cited sources (landmine status COUNTRY lists a "
        f"state's). Status under the treaty's own rules on entry into force and withdrawal.</text>",
        f'<text x="16" y="{num(footer_y + 15)}">Boundaries: Natural Earth 1:50m (public domain); '
        f"{esc(geo['projection'])} projection. Grey land: territories that are not among the "
        "fact base's states. Drawn by landmine.</text>",
        "</g>",
        "</svg>",
    ]
    return "\n".join(out) + "\n"


def status_map(base: FactBase, treaty: Treaty, on: dt.date) -> tuple[list[Row], str, str]:
    """The rows, the SVG and the title of the map for one day."""
    rows = states(base, treaty, on)
    title = f"{treaty.short_name} ({treaty.id.upper()}): status of states on {long_date(on)}"
    parties = sum(r["status"] in ("party", "withdrawing") for r in rows)
    subtitle = (f"{parties} states parties (withdrawing states are parties until their "
                f"withdrawal takes effect); {len(rows)} states in all")
    return rows, svg(base, treaty, rows, title, subtitle), title


def change_map(base: FactBase, treaty: Treaty, start: dt.date, end: dt.date) -> tuple[list[Row], str, str]:
    """The rows, the SVG and the title of the map of changes between two days."""
    rows = changes(base, treaty, start, end)
    title = (f"{treaty.short_name} ({treaty.id.upper()}): changes from {long_date(start)} "
             f"to {long_date(end)}")
    changed = sum(r["change"] != "unchanged" for r in rows)
    subtitle = (f"{changed} of {len(rows)} states changed status in the period; each is coloured "
                "by its status at the start and at the end of it")
    return rows, svg(base, treaty, rows, title, subtitle), title
