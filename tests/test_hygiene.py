"""Output hygiene: colour only on a terminal and never with NO_COLOR; Ctrl-C exits 130."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import child_env
from landmine_cli import store
from landmine_cli.cli import app

LANDMINE = [sys.executable, "-m", "landmine_cli"]


def run_on_a_terminal(args: list[str], **env: str) -> str:
    """Run the CLI with a pseudo-terminal as stdout and return what it printed."""
    leader, follower = pty.openpty()
    environment = {
        k: v for k, v in child_env().items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")
    }
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
    # CliRunner never prints a traceback; an exception that escaped would be kept here.
    assert isinstance(result.exception, SystemExit) and result.exit_code == 130, result.exception
    assert result.stdout == ""


# Runs the console entry point (as the `landmine` script does), with an audit hook that, at one
# moment inside the program, tells the parent it is there and then waits. The signal therefore
# lands at a known point of the program's own code, never while the interpreter is starting
# (before any program can handle it, which no program controls).
WAIT_THEN_RUN = """
import os, sys, time
moment, fd = sys.argv.pop(1), int(sys.argv.pop(1))
def wait_there(event, args):
    global moment
    if moment and (event, str(args[0]).rsplit("/", 1)[-1]) == tuple(moment.split(":")):
        moment = ""
        os.write(fd, b"ready\\n")
        os.close(fd)
        time.sleep(60)
sys.addaudithook(wait_there)
from landmine_cli import main
sys.argv[0] = "landmine"
main()
"""


@pytest.mark.parametrize(
    "moment",
    [
        "import:landmine_cli.cli",  # while the app is still being imported
        "open:meta.toml",  # while the command reads the fact files
    ],
)
def test_sigint_inside_the_program_exits_130_without_a_traceback(moment, tmp_path):
    ready, ready_w = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-c", WAIT_THEN_RUN, moment, str(ready_w), "treaties", "--no-cache", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=(ready_w,),
        env=child_env(LANDMINE_CACHE_DIR=str(tmp_path)),
    )
    os.close(ready_w)
    with os.fdopen(ready, "rb") as signal_from_child:
        assert signal_from_child.readline() == b"ready\n", process.communicate(timeout=60)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, out) == (130, b""), err.decode()
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err, err.decode()
