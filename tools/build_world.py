"""Build landmine_cli/world.json, the boundaries `landmine map` draws, from Natural Earth.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/build_world.py package/countries-50m.json

Source: the npm package world-atlas 2.0.2 (ISC licence, Mike Bostock), which is Natural
Earth's 1:50m Admin 0 countries (public domain) as TopoJSON keyed by ISO 3166-1 numeric
codes. The 1:50m scale is used, not 1:110m, because 1:110m leaves out 31 of the fact base's
states (Andorra, Malta, Singapore, most Pacific and Caribbean island states); only Tuvalu
is missing at 1:50m, so it gets a point. Arcs are projected (landmine_cli/projection.py)
and simplified once each, so neighbours keep a shared border; then the file holds one SVG
path per state, keyed by ISO 3166-1 alpha-3 (numeric -> alpha-3 by pycountry, the test
extra). Territories that are not among the fact base's states are kept as plain shapes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from landmine_cli import projection, store  # noqa: E402

OUT = ROOT / "landmine_cli" / "world.json"
# Pixels: how far a simplified border may stray from the original, and the smallest island kept.
TOLERANCE = 0.3
MIN_RING_AREA = 1.5
# Natural Earth draws these separately; the treaties bind the state they belong to in
# international law (UN membership), so they are drawn as part of it.
MERGE = {"Somaliland": "SOM", "N. Cyprus": "CYP"}
# States Natural Earth's 1:50m file has no shape for: a point at the capital.
POINTS = {"TUV": (179.19, -8.52)}  # Funafuti
SKIP = {"ATA"}  # Antarctica: no state, and below the map


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs as longitude, latitude pairs."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def project(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [projection.project(lon, max(projection.SOUTH, min(projection.NORTH, lat)))
            for lon, lat in points]


def simplified(arc: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The arc's points that Douglas-Peucker keeps in map pixels, as longitude, latitude."""
    kept = set(simplify(list(enumerate(project(arc))), TOLERANCE))
    return [p for i, p in enumerate(arc) if i in kept]


def split_at_antimeridian(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that crosses 180° (Russia's Chukotka, Fiji) as one piece on each side of it."""
    unwrapped = [points[0]]
    for lon, lat in points[1:]:
        prev = unwrapped[-1][0]
        lon += 360 * round((prev - lon) / 360)
        unwrapped.append((lon, lat))
    low, high = min(p[0] for p in unwrapped), max(p[0] for p in unwrapped)
    if low >= -180 and high <= 180:
        return [points]
    edge = 180.0 if high > 180 else -180.0
    inside = clip(unwrapped, edge, lambda lon: abs(lon) <= 180)
    # The part beyond the antimeridian belongs on the map's other side.
    beyond = clip(unwrapped, edge, lambda lon: abs(lon) >= 180)
    beyond = [(lon - 2 * edge, lat) for lon, lat in beyond]
    return [piece for piece in (inside, beyond) if len(piece) >= 3]


def clip(points: list[tuple[float, float]], edge: float, keep) -> list[tuple[float, float]]:
    """Sutherland-Hodgman against the meridian `edge`, keeping the side where keep(lon)."""
    out = []
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        if keep(x0):
            out.append((x0, y0))
        if keep(x0) != keep(x1) and x0 != x1:
            out.append((edge, y0 + (y1 - y0) * (edge - x0) / (x1 - x0)))
    return out


def simplify(points: list[tuple[int, tuple[float, float]]], tolerance: float) -> list[int]:
    """Douglas-Peucker over numbered points, keeping both ends (arcs meet there)."""
    if len(points) < 3:
        return [i for i, _ in points]
    points_only = [p for _, p in points]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points_only[first], points_only[last]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        worst, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points_only[i]
            if norm:
                dist = abs(dy * (px - ax) - dx * (py - ay)) / norm
            else:
                dist = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if dist > worst:
                worst, index = dist, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [i for (i, _), k in zip(points, keep) if k]


def ring(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points += arc[1:] if points else arc
    return points


def area(points: list[tuple[float, float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]))) / 2


def centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    twice, cx, cy = 0.0, 0.0, 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        cross = x0 * y1 - x1 * y0
        twice += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not twice:
        return points[0]
    return cx / (3 * twice), cy / (3 * twice)


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def fmt(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def path(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for points in rings:
        (x, y), rest = points[0], points[1:]
        if rest and rest[-1] == points[0]:
            rest = rest[:-1]
        parts.append(f"M{fmt(x)} {fmt(y)}" + "".join(f"L{fmt(a)} {fmt(b)}" for a, b in rest) + "Z")
    return "".join(parts)


def main(source: Path) -> None:
    topology = json.loads(source.read_text(encoding="utf-8"))
    raw = decode_arcs(topology)
    arcs = [simplified(a) for a in raw]
    states = store.load(ROOT / "facts").countries
    shapes: dict[str, list[list[tuple[float, float]]]] = {}
    names: dict[str, str] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        found = pycountry.countries.get(numeric=geometry["id"]) if geometry.get("id") else None
        code = MERGE.get(name) or (found.alpha_3 if found else name)
        if code in SKIP:
            continue
        names.setdefault(code, name)
        rings = shapes.setdefault(code, [])
        for polygon in polygons(geometry):
            # The outer ring and its holes; holes are drawn with the even-odd rule.
            # A tiny island that simplifies to a line keeps its unsimplified outline.
            for r in polygon:
                points = ring(arcs, r) if len(ring(arcs, r)) > 3 else ring(raw, r)
                rings += [project(piece) for piece in split_at_antimeridian(points)]
    result: dict = {
        "source": "Natural Earth 1:50m Admin 0 countries (public domain), via the npm package "
        "world-atlas 2.0.2 (ISC licence); built by tools/build_world.py",
        "projection": "Equal Earth",
        "width": projection.WIDTH,
        "height": round(projection.HEIGHT, 1),
        "states": {},
        "other": [],
    }
    for code, rings in sorted(shapes.items()):
        rings = [r for r in rings if len(r) >= 3]
        biggest = max(rings, key=area)
        kept = [r for r in rings if r is biggest or area(r) >= MIN_RING_AREA]
        x, y = centroid(biggest)
        entry = {"d": path(kept), "x": round(x, 1), "y": round(y, 1),
                 "area": round(sum(area(r) for r in rings), 1)}
        if code in states:
            result["states"][code] = entry
        elif entry["area"] >= MIN_RING_AREA:
            result["other"].append({"name": names[code], "d": entry["d"]})
    for code, (lon, lat) in POINTS.items():
        x, y = projection.project(lon, lat)
        result["states"][code] = {"d": "", "x": round(x, 1), "y": round(y, 1), "area": 0}
    missing = sorted(set(states) - set(result["states"]))
    if missing:
        sys.exit(f"no shape or point for: {', '.join(missing)}")
    OUT.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(result['states'])} states, "
          f"{len(result['other'])} other shapes, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
