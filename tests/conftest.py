"""Shared test setup. Typer and Rich read these variables once, so they are set at import."""

from __future__ import annotations

import os

os.environ["NO_COLOR"] = "1"
os.environ["COLUMNS"] = "100"
os.environ["TERMINAL_WIDTH"] = "100"
os.environ["_TYPER_FORCE_DISABLE_TERMINAL"] = "1"
os.environ.pop("FORCE_COLOR", None)
os.environ.pop("LANDMINE_FACTS", None)
# Tests, and the processes they start, keep their fact cache out of the user's: one folder
# per session, inherited by subprocesses, removed at the end (pytest_sessionfinish).
TEST_CACHE = __import__("tempfile").mkdtemp(prefix="landmine-test-cache-")
os.environ["LANDMINE_CACHE_DIR"] = TEST_CACHE
# No test reads the real clock: "today" is the day the shipped facts are current to, unless a
# test pins another (the `cli` fixture does). Subprocesses inherit it; helpers that build a
# child's environment pin it explicitly as well.
REAL_TODAY = "2026-11-26"
os.environ["LANDMINE_TODAY"] = REAL_TODAY

import datetime as dt  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from typer.main import get_command  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from landmine_cli import dates, store  # noqa: E402
from landmine_cli.cli import app  # noqa: E402

FIXTURE_FACTS = Path(__file__).parent / "fixtures" / "facts"
REAL_FACTS = Path(__file__).parent.parent / "facts"
# The fixture's "today": after its facts_as_of, so pending dates can be tested both ways.
FIXTURE_TODAY = dt.date(2026, 6, 30)


def takes_facts(argv: list[str]) -> bool:
    """Whether the command that argv names has a --facts option (cache clear has none)."""
    command = get_command(app)
    for word in argv:
        if not hasattr(command, "commands") or word not in command.commands:
            break
        command = command.commands[word]
    return any("--facts" in getattr(p, "opts", ()) for p in command.params)


class Invoker:
    """Runs the CLI in-process and returns the click Result (stdout and stderr apart)."""

    def __init__(self, facts: Path | None) -> None:
        self.facts = facts
        self.runner = CliRunner()

    def __call__(self, *args: str):
        argv = list(args)
        if self.facts is not None and takes_facts(argv):
            argv += ["--facts", str(self.facts)]
        return self.runner.invoke(app, argv)

    def json(self, *args: str):
        result = self(*args, "--json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(TEST_CACHE, ignore_errors=True)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` and its bytes, to show that a refused write changed nothing."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def child_env(**env: str) -> dict[str, str]:
    """The environment for a subprocess: ours, with "today" pinned and no LANDMINE_FACTS."""
    environment = {k: v for k, v in os.environ.items() if k != "LANDMINE_FACTS"}
    return environment | {"LANDMINE_TODAY": REAL_TODAY} | env


def command_paths() -> list[tuple[str, ...]]:
    """Every runnable command of the Typer app, from its registry: ("status",), ("add", "event"),
    ("cache", "clear"), ... so that tests over "every command" cannot miss a new one."""
    found: list[tuple[str, ...]] = []

    def walk(group, prefix: tuple[str, ...]) -> None:
        for name, command in sorted(group.commands.items()):
            if hasattr(command, "commands"):
                walk(command, (*prefix, name))
            else:
                found.append((*prefix, name))

    walk(get_command(app), ())
    return found


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Invoker:
    """The CLI on the frozen fixture facts, with "today" pinned to the fixture's."""
    monkeypatch.setenv(dates.TODAY_VAR, FIXTURE_TODAY.isoformat())
    return Invoker(FIXTURE_FACTS)


@pytest.fixture
def real_cli() -> Invoker:
    """The CLI on the shipped fact base ("today" is the facts' date; most tests pass --on)."""
    return Invoker(None)


@pytest.fixture(scope="session")
def real_base():
    return store.load(REAL_FACTS)


@pytest.fixture(scope="session")
def fixture_base():
    return store.load(FIXTURE_FACTS)


@pytest.fixture
def facts_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the fixture facts, in a folder named facts, with the current
    folder its parent: messages name its files as facts/..., as a user beside it reads them."""
    target = tmp_path / "facts"
    shutil.copytree(FIXTURE_FACTS, target)
    monkeypatch.chdir(tmp_path)
    return target
