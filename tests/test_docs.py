"""The README: its examples are real runs, every command is documented, the Quick start holds."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import command_paths
from landmine_cli import dates
from landmine_cli.cli import app

README = Path(__file__).parent.parent / "README.md"
CI = Path(__file__).parent.parent / ".ci" / "run"
EXAMPLE = re.compile(r"(<!-- example -->\n```console\n\$ (landmine [^\n]*)\n)(.*?)(```)", re.S)


def run_example(command: str, real_base, monkeypatch) -> str:
    # Examples are shown at 80 columns, as of the day the facts are current to ("today" is
    # pinned the way the README tells users to pin it).
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv(dates.TODAY_VAR, real_base.meta.facts_as_of.isoformat())
    result = CliRunner().invoke(app, shlex.split(command)[1:])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_readme_examples_are_real_output(real_base, monkeypatch):
    text = README.read_text(encoding="utf-8")
    examples = EXAMPLE.findall(text)
    assert len(examples) >= 5
    if os.environ.get("LANDMINE_UPDATE_GOLDEN"):
        text = EXAMPLE.sub(
            lambda m: m[1] + run_example(m[2], real_base, monkeypatch) + m[4], text
        )
        README.write_text(text, encoding="utf-8")
        examples = EXAMPLE.findall(text)
    for _, command, shown, _ in examples:
        assert shown == run_example(command, real_base, monkeypatch), command


@pytest.mark.parametrize("command", command_paths(), ids=" ".join)
def test_every_command_is_documented(command):
    # A heading per command; a group's subcommands may share one: `landmine add event|reason`.
    headings = re.findall(r"^### `landmine ([^`]*)`", README.read_text(encoding="utf-8"), re.M)
    words = [heading.split() for heading in headings]
    *group, name = command
    assert any(
        w[: len(group)] == group and name in w[len(group)].split("|") for w in words if len(w) > len(group)
    ), command


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one():
    text = README.read_text(encoding="utf-8")
    block = text.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    install_and_run, install_and_test = block.strip().splitlines()
    assert install_and_run.endswith("pip install . && landmine withdrawals --since 2025-03")
    assert install_and_test.endswith("pip install '.[test]' && pytest")
    assert "pip install '.[test]'" in CI.read_text(encoding="utf-8")
