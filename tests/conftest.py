"""Shared test setup. Typer and Rich read these variables once, so they are set at import."""

from __future__ import annotations

import os

os.environ["NO_COLOR"] = "1"
os.environ["COLUMNS"] = "100"
os.environ["TERMINAL_WIDTH"] = "100"
os.environ["_TYPER_FORCE_DISABLE_TERMINAL"] = "1"
os.environ.pop("FORCE_COLOR", None)
os.environ.pop("LANDMINE_FACTS", None)
# Tests, and the processes they start, keep their fact cache out of the user's.
os.environ["LANDMINE_CACHE_DIR"] = __import__("tempfile").mkdtemp(prefix="landmine-test-cache-")

import datetime as dt  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from landmine_cli import dates, store  # noqa: E402
from landmine_cli.cli import app  # noqa: E402

FIXTURE_FACTS = Path(__file__).parent / "fixtures" / "facts"
REAL_FACTS = Path(__file__).parent.parent / "facts"
# The fixture's "today": after its facts_as_of, so pending dates can be tested both ways.
FIXTURE_TODAY = dt.date(2026, 6, 30)


class Invoker:
    """Runs the CLI in-process and returns the click Result (stdout and stderr apart)."""

    def __init__(self, facts: Path | None) -> None:
        self.facts = facts
        self.runner = CliRunner()

    def __call__(self, *args: str):
        argv = list(args)
        if self.facts is not None and argv and argv[0] not in ("--help", "--version"):
            argv += ["--facts", str(self.facts)]
        return self.runner.invoke(app, argv)

    def json(self, *args: str):
        result = self(*args, "--json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Invoker:
    """The CLI on the frozen fixture facts, with "today" pinned."""
    monkeypatch.setattr(dates, "today", lambda: FIXTURE_TODAY)
    return Invoker(FIXTURE_FACTS)


@pytest.fixture
def real_cli() -> Invoker:
    """The CLI on the shipped fact base (tests pass --on; nothing reads the clock)."""
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
