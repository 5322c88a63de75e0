"""The map projection: Equal Earth (Šavrič, Patterson and Jenny, 2018), scaled to the map's
pixels. One home, used by tools/build_world.py when it projects the boundaries and by the
tests when they look for a point inside a state."""

from __future__ import annotations

import math

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2

# The map is WIDTH pixels wide from the antimeridian to the antimeridian; its top and bottom
# crop the Arctic Ocean and Antarctica (no state lies north of 84°N or south of 56°S).
WIDTH = 1000.0
NORTH, SOUTH = 84.0, -57.0


def _raw(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_SCALE = WIDTH / (2 * _raw(180.0, 0.0)[0])
_TOP = _raw(0.0, NORTH)[1] * _SCALE
HEIGHT = _TOP - _raw(0.0, SOUTH)[1] * _SCALE


def project(lon: float, lat: float) -> tuple[float, float]:
    """Longitude and latitude in degrees -> x, y in map pixels (y down, origin top left)."""
    x, y = _raw(lon, lat)
    return WIDTH / 2 + x * _SCALE, _TOP - y * _SCALE
