"""The suite's own hygiene: no real clock, no leftovers."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REAL_TODAY, child_env
from landmine_cli import dates
from landmine_cli.errors import UsageError


def test_today_is_pinned_for_the_whole_session():
    assert dates.today() == dt.date.fromisoformat(REAL_TODAY)


def test_a_pinned_today_must_be_a_full_date(monkeypatch):
    monkeypatch.setenv(dates.TODAY_VAR, "2026-11")
    with pytest.raises(UsageError, match="LANDMINE_TODAY"):
        dates.today()


def test_a_session_leaves_no_cache_folder_behind(tmp_path):
    # A small session of its own, with its temporary files in a folder of ours.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_store.py::test_the_fixture_loads"],
        cwd=Path(__file__).parent.parent,
        env=child_env(TMPDIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("landmine")] == []
