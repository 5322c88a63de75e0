"""`landmine chart parties`: how many states were parties (and signatories) to a treaty on
every day of a period, with the states that joined or withdrew in it.

The series comes from the law, state by state: each state's standing on the first day, then
every change of status that law.transitions finds up to the last day. Between two changes
nothing moves, so the counts on the change days give the count on every day; they equal
`landmine treaties --on DAY`, which counts law.standing for each state (a test holds them to
it). Drawn as SVG (and so PNG and HTML) or, in a terminal, as text that fits its width.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .maps import long_date, standing
from .rows import transitions
from .models import FactBase, Treaty
from .output import Line
from .pictures import FAINT, FONT, INK, SEA, STATUS_COLOURS, esc, num

Row = dict[str, Any]

# States parties as `landmine treaties` counts them: in force, withdrawal pending included.
_PARTY = {"party", "withdrawing"}


def _counts(statuses: dict[str, str]) -> tuple[int, int]:
    values = list(statuses.values())
    return sum(s in _PARTY for s in values), values.count("signatory")


def parties(base: FactBase, treaty: Treaty, start: dt.date, end: dt.date) -> Row:
    """The counts at the end of `start` and on each day in (start, end] on which one changed,
    and the states that joined or withdrew in the period."""
    now = {iso3: str(standing(base, iso3, treaty, start).status) for iso3 in base.countries}
    moves: dict[dt.date, list[tuple[str, str]]] = {}
    for iso3 in base.countries:
        for step in transitions(base, iso3, treaty):
            if start < step.date <= end:
                moves.setdefault(step.date, []).append((iso3, str(step.after)))
    first = _counts(now)
    series = [{"date": start.isoformat(), "states_parties": first[0], "signatories": first[1]}]
    events = []
    for day in sorted(moves):
        for iso3, after in moves[day]:
            before, now[iso3] = now[iso3], after
            kind = _event_kind(before, after)
            if kind is not None:
                events.append({"date": day.isoformat(), "iso3": iso3,
                               "country": base.countries[iso3].name, "event": kind})
        count = _counts(now)
        if (count[0], count[1]) != (series[-1]["states_parties"], series[-1]["signatories"]):
            series.append({"date": day.isoformat(), "states_parties": count[0], "signatories": count[1]})
    events.sort(key=lambda e: (e["date"], e["country"]))
    return {
        "treaty": treaty.id,
        "treaty_name": treaty.short_name,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "facts_as_of": base.meta.facts_as_of.isoformat(),
        "series": series,
        "events": events,
    }


def _event_kind(before: str, after: str) -> str | None:
    """What the annotations show: a state becoming a party, or ceasing to be one."""
    if after in _PARTY and before not in _PARTY:
        return "joined"
    if before in _PARTY and after not in _PARTY:
        return "withdrew"
    return None


def value_on(doc: Row, day: dt.date, key: str = "states_parties") -> int:
    """The count on `day` (within the period), read off the step series."""
    found = doc["series"][0][key]
    for point in doc["series"]:
        if point["date"] > day.isoformat():
            break
        found = point[key]
    return found


def title(doc: Row) -> str:
    start, end = (dt.date.fromisoformat(doc[k]) for k in ("from", "to"))
    return (f"{doc['treaty_name']} ({doc['treaty'].upper()}): states parties, "
            f"{long_date(start)} to {long_date(end)}")


# --- SVG -----------------------------------------------------------------------------------


def svg(doc: Row, base: FactBase) -> str:
    width, height = 1000.0, 560.0
    left, right, top, bottom = 64.0, 24.0, 84.0, 150.0
    plot_w, plot_h = width - left - right, height - top - bottom
    start, end = (dt.date.fromisoformat(doc[k]) for k in ("from", "to"))
    span = max((end - start).days, 1)
    series = doc["series"]
    peak = max(max(p["states_parties"], p["signatories"]) for p in series)
    step = _nice_step(peak)
    ceiling = max(step, -(-peak // step) * step)

    def x(day: str) -> float:
        return left + plot_w * (dt.date.fromisoformat(day) - start).days / span

    def y(value: float) -> float:
        return top + plot_h * (1 - value / ceiling)

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" font-family="{FONT}" '
        f'data-treaty="{esc(doc["treaty"])}">',
        f"<title>{esc(title(doc))}</title>",
        f'<rect width="{num(width)}" height="{num(height)}" fill="{SEA}"/>',
        f'<text x="16" y="26" font-size="19" font-weight="bold" fill="{INK}">{esc(title(doc))}</text>',
        f'<text x="16" y="44" font-size="12.5" fill="{FAINT}">Counted day by day under the '
        "treaty's rules; a withdrawing state is a party until its withdrawal takes effect</text>",
        f'<g id="axes" font-size="11" fill="{FAINT}" stroke="#dee2e6" stroke-width="1">',
    ]
    for value in range(0, ceiling + 1, step):
        out.append(f'<line x1="{num(left)}" x2="{num(left + plot_w)}" y1="{num(y(value))}" '
                   f'y2="{num(y(value))}"/><text x="{num(left - 8)}" y="{num(y(value) + 4)}" '
                   f'text-anchor="end" stroke="none">{value}</text>')
    for year in _years(start, end):
        day = dt.date(year, 1, 1).isoformat()
        out.append(f'<text x="{num(x(day))}" y="{num(top + plot_h + 16)}" text-anchor="middle" '
                   f'stroke="none">{year}</text>')
    out.append("</g>")
    for key, text, colour in (("signatories", "Signatories (signed, not bound)", STATUS_COLOURS["signatory"]),
                              ("states_parties", "States parties", STATUS_COLOURS["party"])):
        points = []
        for i, point in enumerate(series):
            if i:
                points.append(f"{num(x(point['date']))},{num(y(series[i - 1][key]))}")
            points.append(f"{num(x(point['date']))},{num(y(point[key]))}")
        points.append(f"{num(left + plot_w)},{num(y(series[-1][key]))}")
        out.append(f'<polyline id="{key}" class="series" data-series="{key}" fill="none" '
                   f'stroke="{colour}" stroke-width="2.2" points="{" ".join(points)}"/>')
    out.append('<g id="events" font-size="10.5">')
    labelled = [e for e in doc["events"] if e["event"] == "withdrew"]
    joins = [e for e in doc["events"] if e["event"] == "joined"]
    if len(joins) <= 12:
        labelled += joins
    for e in doc["events"]:
        colour = STATUS_COLOURS["withdrawn" if e["event"] == "withdrew" else "party"]
        ex = x(e["date"])
        tip = f"{e['country']}: {e['event']} on {e['date']}"
        out.append(f'<g class="event" data-event="{e["event"]}" data-iso3="{e["iso3"]}" data-tip="">'
                   f"<title>{esc(tip)}</title>"
                   f'<line x1="{num(ex)}" x2="{num(ex)}" y1="{num(top + plot_h)}" '
                   f'y2="{num(top + plot_h - 8)}" stroke="{colour}" stroke-width="1.6"/></g>')
    rows_used: list[float] = []
    for i, e in enumerate(sorted(labelled, key=lambda e: e["date"])):
        ex = x(e["date"])
        # Labels go into rows under the axis, so that labels of nearby dates do not overlap.
        text = f"{e['country']} {e['event']} {e['date']}"
        ex = min(ex, width - 16 - 6.2 * len(text))
        row = next((r for r, end_x in enumerate(rows_used) if end_x < ex), None)
        if row is None:
            row = len(rows_used)
            rows_used.append(0.0)
        if row >= 6:
            continue
        rows_used[row] = ex + 6.2 * len(text) + 8
        ly = top + plot_h + 36 + row * 14
        colour = STATUS_COLOURS["withdrawn" if e["event"] == "withdrew" else "party"]
        out.append(f'<text x="{num(ex)}" y="{num(ly)}" fill="{colour}">{esc(text)}</text>')
    out.append("</g>")
    last = series[-1]
    out += [
        f'<g id="legend" font-size="12" fill="{INK}">',
        f'<rect x="{num(left)}" y="63" width="12" height="3" fill="{STATUS_COLOURS["party"]}"/>',
        f'<text x="{num(left + 16)}" y="69">States parties ({last["states_parties"]} on {doc["to"]})</text>',
        f'<rect x="{num(left + 250)}" y="63" width="12" height="3" fill="{STATUS_COLOURS["signatory"]}"/>',
        f'<text x="{num(left + 266)}" y="69">Signatories ({last["signatories"]})</text>',
        f'<text x="{num(left + 420)}" y="69" fill="{FAINT}">Ticks on the axis: states that joined '
        "(green) or withdrew (red)</text>",
        "</g>",
        f'<text x="16" y="{num(height - 12)}" font-size="10.5" fill="{FAINT}">Facts as of '
        f"{doc['facts_as_of']}: {esc(base.meta.title)}, {len(base.sources)} cited sources "
        "(landmine status COUNTRY lists a state's). Drawn by landmine.</text>",
        "</svg>",
    ]
    return "\n".join(out) + "\n"


def _nice_step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if peak / step <= 8:
            return step
    return 200


def _years(start: dt.date, end: dt.date) -> list[int]:
    years = list(range(start.year + (start > dt.date(start.year, 1, 1)), end.year + 1))
    every = max(1, -(-len(years) // 12))
    return years[::every]


# --- text ----------------------------------------------------------------------------------

_EIGHTHS = " ▁▂▃▄▅▆▇█"


def text(doc: Row, width: int) -> list[Line]:
    """A column chart of states parties in `width` characters, and the period's events."""
    start, end = (dt.date.fromisoformat(doc[k]) for k in ("from", "to"))
    series = doc["series"]
    high = max(p["states_parties"] for p in series)
    low = min(p["states_parties"] for p in series)
    # Start the scale a little below the period's lowest count so changes show.
    floor = max(0, low - max(2, (high - low) // 2)) if high > low else max(0, low - 1)
    label_w = len(str(high)) + 1
    cols = max(10, width - label_w - 1)
    span = (end - start).days
    days = [start + dt.timedelta(days=round(span * i / max(cols - 1, 1))) for i in range(cols)]
    values = [value_on(doc, d) for d in days]
    height = 8
    lines = [Line(title(doc), style="bold")]
    for level in range(height, 0, -1):
        cells = []
        for value in values:
            eighths = round(8 * height * (value - floor) / max(high - floor, 1)) - 8 * (level - 1)
            cells.append(_EIGHTHS[max(0, min(8, eighths))])
        axis = str(high) if level == height else (str(floor) if level == 1 else "")
        lines.append(Line(f"{axis:>{label_w - 1}} " + "".join(cells).rstrip(), style="green"))
    left, right = start.isoformat(), end.isoformat()
    gap = max(1, cols - len(left) - len(right))
    lines.append(Line(" " * label_w + left + " " * gap + right, style="dim"))
    first, last = series[0], series[-1]
    lines.append(Line(
        f"States parties: {first['states_parties']} on {doc['from']}, {last['states_parties']} on "
        f"{doc['to']}. Signatories: {first['signatories']}, then {last['signatories']}."
    ))
    joins = [e for e in doc["events"] if e["event"] == "joined"]
    shown = [e for e in doc["events"] if e["event"] == "withdrew" or len(joins) <= 12]
    for e in shown:
        style = "red" if e["event"] == "withdrew" else "green"
        lines.append(Line(f"{e['date']}  {e['country']} {e['event']}", style=style))
    if len(shown) < len(doc["events"]):
        lines.append(Line(f"{len(joins)} states joined in the period: --json lists them, "
                          "-o chart.html shows them.", style="dim"))
    return lines
