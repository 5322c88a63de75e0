"""`landmine chart casualties` and `landmine chart funding`: one published figure per year as
a bar, and every year with no published figure as a labelled gap, never as a bar of 0.

Nothing is computed here. The bars are read off the answers of the query modules: the world
rows of figures.casualties (the latest edition published by the day asked, one row per year
from the first to the last with a figure, None where nothing is published) and the
international totals and gaps of funding.funding. Drawn, with the machinery the parties
chart uses (pictures.py, charts._nice_step), as SVG (and so PNG and HTML) or, in a
terminal, as one line per year that fits the terminal's width.
"""

from __future__ import annotations

import datetime as dt

from . import figures as figures_query
from . import funding as funding_query
from .charts import _nice_step
from .models import FactBase, Weapon
from .output import Line
from .pictures import FAINT, FONT, INK, SEA, esc, num
from .rows import Row, iso

_BAR_COLOUR = {"casualties": "#c92a2a", "funding": "#1971c2"}
_WEAPON_WORDS = {Weapon.MINES_ERW: "mines and explosive remnants of war",
                 Weapon.CLUSTER_MUNITIONS: "cluster munitions"}
_METRIC = {Weapon.MINES_ERW: figures_query.Metric.CASUALTIES,
           Weapon.CLUSTER_MUNITIONS: figures_query.Metric.CLUSTER_CASUALTIES}
WEAPONS = tuple(_METRIC)


def _bar(year: int, value: int | None, source: Row | None, gap_note: str | None) -> Row:
    return {
        "year": year,
        "value": value,
        "gap": value is None,
        "gap_note": gap_note if value is None else None,
        "edition": None if source is None else source["edition"],
        "edition_title": None if source is None else source["edition_title"],
        "edition_published": None if source is None else source["edition_published"],
        "approximate": bool(source and value is not None and source.get("approximate")),
        "lower_bound": bool(source and value is not None and source.get("lower_bound")),
        "sources": [] if source is None else list(source["sources"]),
    }


def _unpublished(on: dt.date | None) -> str:
    return "no figure published" + ("" if on is None else f" by {on.isoformat()}")


def casualties(base: FactBase, weapon: Weapon, on: dt.date | None, today: dt.date) -> Row:
    """World casualties per year, as the latest edition published by `on` (None: every
    edition) gives them, read from figures.casualties.

    Returns {chart: "casualties", weapon, unit: "people", on, facts_as_of, title, bars:
    [{year, value (people killed or injured; None for a gap), gap (bool), gap_note (None
    for a bar), edition, edition_title, edition_published, approximate, lower_bound (the
    source's caveats; always False for casualties), sources (ids)}, oldest year
    first], sources: [source records]}. Raises UsageError for a weapon without casualty
    figures (KeyError is not raised: WEAPONS lists the ones there are)."""
    doc = figures_query.casualties(base, None, _METRIC[weapon], None, on, today)
    bars = []
    for row in reversed(doc["figures"]):
        if row["edition"] is None:
            bars.append(_bar(row["year"], None, None, _unpublished(on)))
        elif row["total"] is None:
            bars.append(_bar(row["year"], None, row, f"{row['edition_title']} gives no total"))
        else:
            bars.append(_bar(row["year"], row["total"], row, None))
    title = f"Casualties of {_WEAPON_WORDS[weapon]} per year, world"
    return _document("casualties", str(weapon), "people", on, base, title, bars, doc["sources"])


def funding(base: FactBase, on: dt.date | None) -> Row:
    """International mine-action support per year, as the latest edition published by `on`
    (None: every edition) gives it, read from funding.funding's totals and gaps.

    Returns the shape of `casualties` with chart "funding", weapon None and unit "US$"
    (values in whole US dollars). A year between the first and last with neither a total
    nor a recorded gap is a gap too ("no total recorded"); a recorded gap keeps its note."""
    doc = funding_query.funding(base, on=on)
    totals = {t["year"]: t for t in doc["totals"]}
    gaps = {g["year"]: g for g in doc["gaps"] if g["kind"] == "international"}
    years = set(totals) | set(gaps)
    bars = []
    for year in range(min(years), max(years) + 1) if years else ():
        if year in totals:
            bars.append(_bar(year, totals[year]["amount_usd"], totals[year], None))
        elif year in gaps:
            g = gaps[year]
            bars.append(_bar(year, None, g, g["note"] or "no total recorded"))
        else:
            bars.append(_bar(year, None, None, "no total recorded"))
    title = "International mine-action support per year, US$"
    return _document("funding", None, "US$", on, base, title, bars, doc["sources"])


def _document(chart, weapon, unit, on, base, title, bars, cited) -> Row:
    keep = {s for b in bars for s in b["sources"]}
    return {
        "chart": chart,
        "weapon": weapon,
        "unit": unit,
        "on": iso(on),
        "facts_as_of": iso(base.meta.facts_as_of),
        "title": title + ("" if on is None else f", as published by {on.isoformat()}"),
        "bars": bars,
        "sources": [s for s in cited if s["id"] in keep],
    }


def amount(doc: Row, value: int, bar: Row | None = None) -> str:
    """A bar's value as the charts print it: people as a whole number, dollars in millions,
    after "~" for an approximate figure and ">=" for a lower bound (the source's caveats)."""
    mark = "" if bar is None else ">=" if bar["lower_bound"] else "~" if bar["approximate"] else ""
    return mark + (f"${value / 1e6:,.1f}M" if doc["unit"] == "US$" else f"{value:,}")


def picture_row(doc: Row) -> Row:
    """What -o reports besides the file: {chart, weapon, on, years, gap_years}."""
    return {"chart": doc["chart"], "weapon": doc["weapon"], "on": doc["on"],
            "years": [b["year"] for b in doc["bars"]],
            "gap_years": [b["year"] for b in doc["bars"] if b["gap"]]}


# --- SVG -----------------------------------------------------------------------------------


def svg(doc: Row, base: FactBase) -> str:
    """The bars as a standalone SVG document: a <rect class="bar"> per year with a figure, a
    <g class="gap" data-gap="true"> (a dashed mark and "no figure", no rect) per gap."""
    width, height = 1000.0, 520.0
    left, right, top, bottom = 84.0, 24.0, 70.0, 70.0
    plot_w, plot_h = width - left - right, height - top - bottom
    bars = doc["bars"]
    peak = max((b["value"] for b in bars if b["value"] is not None), default=0)
    step = _nice(peak)
    ceiling = max(step, -(-peak // step) * step)
    slot = plot_w / max(len(bars), 1)
    colour = _BAR_COLOUR[doc["chart"]]

    def y(value: float) -> float:
        return top + plot_h * (1 - value / ceiling)

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" font-family="{FONT}" '
        f'data-chart="{esc(doc["chart"])}">',
        f"<title>{esc(doc['title'])}</title>",
        f'<rect width="{num(width)}" height="{num(height)}" fill="{SEA}"/>',
        f'<text x="16" y="26" font-size="19" font-weight="bold" fill="{INK}">{esc(doc["title"])}</text>',
        f'<text x="16" y="44" font-size="12.5" fill="{FAINT}">Each bar is the latest published '
        "edition's figure; a year with no published figure is a gap, not a zero</text>",
        f'<g id="axes" font-size="11" fill="{FAINT}" stroke="#dee2e6" stroke-width="1">',
    ]
    for value in range(0, ceiling + 1, step):
        out.append(f'<line x1="{num(left)}" x2="{num(left + plot_w)}" y1="{num(y(value))}" '
                   f'y2="{num(y(value))}"/><text x="{num(left - 8)}" y="{num(y(value) + 4)}" '
                   f'text-anchor="end" stroke="none">{esc(_tick(doc, value))}</text>')
    every = max(1, -(-len(bars) // 20))
    for i, b in enumerate(bars):
        if i % every == 0 or i == len(bars) - 1:
            out.append(f'<text x="{num(left + slot * (i + 0.5))}" y="{num(top + plot_h + 16)}" '
                       f'text-anchor="middle" stroke="none">{b["year"]}</text>')
    out.append("</g>")
    out.append('<g id="bars" font-size="10.5">')
    for i, b in enumerate(bars):
        x0 = left + slot * i + slot * 0.15
        bw = slot * 0.7
        mid = left + slot * (i + 0.5)
        if b["gap"]:
            tip = f"{b['year']}: gap, {b['gap_note']}"
            out.append(
                f'<g class="gap" data-gap="true" data-year="{b["year"]}" data-tip="">'
                f"<title>{esc(tip)}</title>"
                f'<line x1="{num(mid)}" x2="{num(mid)}" y1="{num(top)}" y2="{num(top + plot_h)}" '
                f'stroke="{FAINT}" stroke-width="1.2" stroke-dasharray="4 4"/>'
                f'<text x="{num(mid)}" y="{num(top + plot_h - 6)}" text-anchor="middle" '
                f'fill="{FAINT}">no figure</text></g>')
        else:
            tip = f"{b['year']}: {amount(doc, b['value'], b)} ({b['edition_title']})"
            out.append(
                f'<rect class="bar" data-year="{b["year"]}" data-value="{b["value"]}" data-tip="" '
                f'x="{num(x0)}" y="{num(y(b["value"]))}" width="{num(bw)}" '
                f'height="{num(top + plot_h - y(b["value"]))}" fill="{colour}">'
                f"<title>{esc(tip)}</title></rect>")
    out.append("</g>")
    gaps = [b["year"] for b in bars if b["gap"]]
    legend = (f"Dashed: no published figure ({len(gaps)} year{'s' * (len(gaps) != 1)})" if gaps
              else "Every year in the span has a published figure")
    out += [
        f'<text x="{num(left)}" y="62" font-size="12" fill="{INK}">{esc(legend)}</text>',
        f'<text x="16" y="{num(height - 12)}" font-size="10.5" fill="{FAINT}">Facts as of '
        f"{doc['facts_as_of']}: {esc(base.meta.title)}, {len(doc['sources'])} cited sources "
        "(--json lists them). Drawn by landmine.</text>",
        "</svg>",
    ]
    return "\n".join(out) + "\n"


def _nice(peak: int) -> int:
    """A round tick step with at most about eight ticks, for any size of number."""
    scale = 1
    while peak / scale > 800:
        scale *= 10
    return _nice_step(-(-peak // scale)) * scale


def _tick(doc: Row, value: int) -> str:
    return f"${value / 1e6:,.0f}M" if doc["unit"] == "US$" else f"{value:,}"


# --- text ----------------------------------------------------------------------------------


def text(doc: Row, width: int) -> list[Line]:
    """One line per year in `width` characters: the year, a bar on one scale and the figure,
    or, for a gap, "gap" and its note cut to fit. Then a line saying how many years are gaps."""
    bars = doc["bars"]
    lines = [Line(doc["title"], style="bold")]
    if not bars:
        return lines + [Line("No figure published.")]
    labels = {b["year"]: amount(doc, b["value"], b) for b in bars if not b["gap"]}
    label_w = max((len(t) for t in labels.values()), default=0)
    bar_w = max(4, width - 5 - label_w - 2)
    peak = max((b["value"] for b in bars if not b["gap"]), default=0) or 1
    for b in bars:
        if b["gap"]:
            note = f"· gap: {b['gap_note']}"
            room = width - 5
            if len(note) > room:
                note = note[:room - 1] + "…"
            lines.append(Line("", segments=((f"{b['year']} ", ""), (note, "dim"))))
        else:
            cells = round(bar_w * b["value"] / peak)
            lines.append(Line("", segments=((f"{b['year']} ", ""), ("█" * cells, "bold"),
                                            (" " * (bar_w - cells + 1), ""),
                                            (f"{labels[b['year']]:>{label_w}}", ""))))
    gaps = [b["year"] for b in bars if b["gap"]]
    if gaps:
        verb = "has" if len(gaps) == 1 else "have"
        lines.append(Line(f"{len(gaps)} of {len(bars)} years {verb} no published figure: drawn as "
                          "gaps, not zeros.", style="dim"))
    return lines
