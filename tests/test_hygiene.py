"""Output hygiene: colour only on a terminal and never with NO_COLOR; Ctrl-C exits 130."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import time

from typer.testing import CliRunner

from landmine_cli import store
from landmine_cli.cli import app

LANDMINE = [sys.executable, "-m", "landmine_cli"]


def run_on_a_terminal(args: list[str], **env: str) -> str:
    """Run the CLI with a pseudo-terminal as stdout and return what it printed."""
    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    environment |= {"TERM": "xterm-256color"} | env
    process = subprocess.Popen([*LANDMINE, *args], stdout=follower, stderr=follower, env=environment)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_on_a_terminal():
    assert "\x1b[" in run_on_a_terminal(["status", "Finland"])


def test_no_colour_with_no_color_even_on_a_terminal():
    assert "\x1b[" not in run_on_a_terminal(["status", "Finland"], NO_COLOR="1")


def test_json_on_a_terminal_is_plain_json():
    out = run_on_a_terminal(["status", "Finland", "--json"])
    assert "\x1b[" not in out and out.lstrip().startswith("{")


def test_ctrl_c_during_a_command_exits_130_quietly(monkeypatch):
    def interrupted(root, use_cache=True):
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "load", interrupted)
    result = CliRunner().invoke(app, ["treaties"])
    assert result.exit_code == 130
    assert "Traceback" not in result.stdout + result.stderr


def test_sigint_at_any_moment_exits_130_without_a_traceback():
    codes = []
    for delay in (0.0, 0.02, 0.05, 0.1, 0.2):
        process = subprocess.Popen(
            [*LANDMINE, "timeline", "--json"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        assert b"Traceback" not in err, err.decode()
        codes.append(process.returncode)
    # -SIGINT: the signal came before Python could handle it, as for any program.
    assert set(codes) <= {0, 130, -signal.SIGINT}
    assert 130 in codes  # at least the early signals landed before the command finished
