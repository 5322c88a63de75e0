"""Start-up: a command line builds only the command it names (cli.app_for), and that lean
app answers exactly as the whole app does. Speed itself is measured in bench/, not here."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from conftest import command_paths
from landmine_cli.cli import app, app_for
from landmine_cli.completion import COMPLETE_VAR


def built(args: list[str]) -> dict:
    """The click commands the app for `args` registers, nested for groups."""
    group = typer.main.get_command(app_for(args))
    return {name: sorted(getattr(cmd, "commands", {})) for name, cmd in group.commands.items()}


def test_a_command_line_builds_only_its_command():
    assert built(["status", "Finland"]) == {"status": []}
    assert built(["non-members", "--json"]) == {"non-members": []}
    assert built(["add", "event", "--country", "FI"]) == {"add": ["event"]}
    assert built(["chart", "parties"]) == {"chart": ["parties"]}


def test_a_group_without_a_known_subcommand_keeps_all_of_it():
    assert built(["add", "--help"])["add"] == sorted(c for *_, c in
                                                     (p for p in command_paths() if p[0] == "add"))
    assert built(["add", "bogus"])["add"] == built(["add"])["add"]


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["bogus"], ["-h"]])
def test_help_options_and_unknown_words_get_the_whole_app(args):
    assert app_for(args) is app


def test_shell_completion_gets_the_whole_app(monkeypatch):
    monkeypatch.setenv(COMPLETE_VAR, "bash_complete")
    assert app_for(["status"]) is app


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_the_lean_app_helps_exactly_as_the_whole_one(path):
    argv = [*path, "--help"]
    lean = CliRunner().invoke(app_for(argv), argv)
    whole = CliRunner().invoke(app, argv)
    assert (lean.exit_code, lean.stdout) == (whole.exit_code, whole.stdout) == (0, whole.stdout)


@pytest.mark.parametrize("args", [["status", "Finland", "--json"], ["status", "Atlantis"]])
def test_a_run_keeps_the_cyclic_collector_off_and_freezes_what_it_built(args, tmp_path):
    """The collector is off during a run and the run's objects are frozen at its end, on
    success and on error alike (the cost is measured in bench/, not here)."""
    import subprocess
    import sys

    from conftest import child_env

    code = ("import gc, sys\nfrom landmine_cli import main\nsys.argv[1:] = sys.argv[1:]\n"
            "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
            "print(gc.isenabled(), gc.get_freeze_count() > 10000, code, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=child_env(LANDMINE_CACHE_DIR=str(tmp_path)), timeout=60)
    assert done.stderr.splitlines()[-1] == ("False True 0" if args[-1] == "--json" else "False True 2")
