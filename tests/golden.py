"""Golden-file comparison for table output (regenerate with LANDMINE_UPDATE_GOLDEN=1)."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("LANDMINE_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}; run with LANDMINE_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")
