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


def test_the_record_examples_in_the_facts_readme_are_valid_records():
    # Each ```toml block of facts/README.md shows records of one file: every record in it
    # must pass the same strict validation as the real files (a required field added to a
    # model, such as a funding figure's edition, must reach the examples too).
    import tomllib
    import typing

    from landmine_cli import models, store

    def record_classes(file_cls: type) -> dict[str, type]:
        hints = typing.get_type_hints(file_cls, vars(models))
        return {name: typing.get_args(t)[0] for name, t in hints.items() if typing.get_origin(t) is tuple}

    text = (README.parent / "facts" / "README.md").read_text(encoding="utf-8")
    checked = 0
    for block in re.findall(r"```toml\n(.*?)```", text, re.S):
        data = tomllib.loads(block)
        if "country" in data:
            store._adapter(models.CountryFile).validate_python(store._arrays_as_tuples(data))
            checked += 1
            continue
        arrays = {k for k, v in data.items() if isinstance(v, list) and v and isinstance(v[0], dict)}
        if not arrays:
            continue  # a fragment of a record (a few keys of [country]), shown for its keys
        files = (models.CountryFile, models.FundingFile, models.FiguresFile, models.SourcesFile)
        classes = next(record_classes(f) for f in files if arrays <= set(record_classes(f)))
        for table in arrays:
            for record in data[table]:
                store._adapter(classes[table]).validate_python(store._arrays_as_tuples(record))
                checked += 1
    assert checked >= 10
