"""The installed `landmine` in a subprocess, from another folder, piped into real tools."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import child_env

# The console script installed beside this interpreter (pip install . or '.[test]').
LANDMINE = Path(sys.executable).with_name("landmine")


def run(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=cwd,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def landmine() -> str:
    assert LANDMINE.exists(), f"{LANDMINE} is missing: install the project first"
    return str(LANDMINE)


def test_jq_is_available():
    # The scripts the README promises use jq; CI installs it (.ci/run).
    assert shutil.which("jq"), "jq is not installed"


def test_non_members_iso3_through_jq_from_any_folder(landmine, tmp_path):
    result = run(f"{landmine} non-members --treaty apmbc --json | jq -r '.[].iso3'", tmp_path)
    assert result.returncode == 0, result.stderr
    codes = result.stdout.split()
    assert {"RUS", "USA", "CHN", "IND", "ISR", "FIN", "POL"} <= set(codes)
    assert result.stderr == ""


def test_withdrawals_since_through_jq(landmine, tmp_path):
    command = (
        f"{landmine} withdrawals --since 2025-03 --on 2026-11-26 --json "
        "| jq -r '.[] | select(.iso3 == \"FIN\") | .deposited'"
    )
    result = run(command, tmp_path)
    assert (result.returncode, result.stdout) == (0, "2025-07-10\n")


def test_module_entry_point(tmp_path):
    result = run(f"{sys.executable} -m landmine_cli status FIN --json --on 2026-01-10", tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["treaties"][0]["status"] == "withdrawn"


def test_no_colour_codes_when_piped(landmine, tmp_path):
    result = run(f"{landmine} status Finland | cat", tmp_path, FORCE_COLOR="", NO_COLOR="")
    assert "\x1b[" not in result.stdout


def test_head_closing_the_pipe_prints_no_traceback(landmine, tmp_path):
    result = run(f"{landmine} non-members | head -1", tmp_path)
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_errors_go_to_stderr_with_their_exit_code(landmine, tmp_path):
    result = run(f"{landmine} status Atlantis --json", tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("Error: no country matches 'Atlantis'")


def test_environment_variable_points_at_other_facts(landmine, tmp_path):
    fixture = Path(__file__).parent / "fixtures" / "facts"
    result = run(f"{landmine} status Betaland --json", tmp_path, LANDMINE_FACTS=str(fixture))
    assert json.loads(result.stdout)["country"]["iso3"] == "BET"
