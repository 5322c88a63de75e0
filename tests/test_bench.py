"""The benchmark's synthetic fact base stays valid as the schema evolves."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import child_env
from landmine_cli import store

SYNTH = Path(__file__).parent.parent / "bench" / "synth.py"


def test_a_2x_synthetic_fact_base_validates(tmp_path):
    out = tmp_path / "facts-2x"
    subprocess.run([sys.executable, str(SYNTH), "2", str(out)], check=True, env=child_env())
    base = store.load(out, use_cache=False)
    assert len(base.countries) == 2 * 197
    assert base.countries["FIN-1"].name == "Finland 1"
    assert len(base.contributions) >= 1000
