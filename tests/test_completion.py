"""Shell completion: what completes, and that it arrives as valid words in real shells.

The shell tests drive bash, zsh and fish in tmux: source the script `--show-completion`
prints, type a partial command, press Tab, then turn the line into `printf '[%s]' ...`
and run it, so that the words the shell really parsed are seen. They skip only where a
shell is missing outside CI; CI (.ci/run) installs them, so there they never skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from landmine_cli.cli import app
from landmine_cli.completion import bash_word, complete_country, complete_donor, complete_treaty

BIN = Path(sys.executable).parent
TODAY = "2026-11-26"


# --- What completes -------------------------------------------------------------------------


def test_country_completion_ignores_case_and_accents():
    assert complete_country("fin") == ["Finland"]
    assert complete_country("FIN") == ["Finland"]
    assert complete_country("cote") == ["Côte d'Ivoire"]
    assert complete_country("côte d'") == ["Côte d'Ivoire"]
    assert complete_country("türk") == ["Turkmenistan", "Türkiye"]


def test_aliases_and_codes_complete():
    assert complete_country("ivory") == ["Ivory Coast"]  # the alias the user is typing
    assert complete_country("FJ") == ["FJI"]  # a code the user is typing stays a code
    assert complete_country("fi") == ["Fiji", "Finland"]


def test_donors_and_treaties_complete():
    assert complete_donor("uni") == ["United Kingdom", "United States"]
    assert complete_donor("usa") == ["United States"]
    assert complete_treaty("OT") == ["ottawa"]
    assert complete_treaty("c") == ["ccm", "cluster"]


def test_bash_words_are_quoted():
    assert bash_word("Bosnia and Herzegovina") == r"Bosnia\ and\ Herzegovina"
    assert bash_word("Côte d'Ivoire") == r"Côte\ d\'Ivoire"
    assert bash_word("Côte d'Ivoire", "'Cô") == "'Côte d'\\''Ivoire'"
    assert bash_word("Côte d'Ivoire", '"Cô') == '"Côte d\'Ivoire"'


def complete(shell: str, words: str, cword: int | None = None) -> list[str]:
    """Ask the installed program for completions as shell's script does."""
    env = {k: v for k, v in os.environ.items() if k != "LANDMINE_FACTS"}
    env |= {"_LANDMINE_COMPLETE": f"complete_{shell}", "LANDMINE_TODAY": TODAY}
    if shell == "bash":
        env |= {"COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1 if cword is None else cword)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    out = subprocess.run([str(BIN / "landmine")], env=env, capture_output=True, text=True, timeout=60)
    return out.stdout.splitlines()


def test_the_program_answers_each_shell_in_its_own_quoting():
    assert complete("bash", "landmine status Bosn") == [r"Bosnia\ and\ Herzegovina"]
    assert complete("zsh", "landmine status Bosn") == ["Bosnia and Herzegovina"]
    assert complete("fish", "landmine status cote") == ["Côte d'Ivoire"]
    assert complete("bash", "landmine funding --donor euro") == [r"European\ Union"]
    assert complete("zsh", "landmine add event --treaty ot") == ["ottawa"]


@pytest.mark.parametrize("shell,marker", [("bash", "complete -o default -F"),
                                          ("zsh", "#compdef landmine"),
                                          ("fish", "complete --command landmine")])
def test_show_completion_prints_the_named_shells_script(shell, marker):
    result = CliRunner().invoke(app, ["--show-completion", shell])
    assert result.exit_code == 0
    assert marker in result.stdout


def test_show_completion_refuses_an_unknown_shell():
    result = CliRunner().invoke(app, ["--show-completion", "tcsh"])
    assert result.exit_code == 2


def test_bare_show_completion_uses_the_shell_in_SHELL():
    env = {k: v for k, v in os.environ.items()} | {"SHELL": "/usr/bin/zsh"}
    out = subprocess.run([str(BIN / "landmine"), "--show-completion"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "#compdef landmine" in out.stdout


# --- Through real shells ----------------------------------------------------------------------


def need(program: str) -> None:
    if shutil.which(program) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is missing in CI: .ci/run installs it")
        pytest.skip(f"{program} is not installed")


STARTS = {
    "bash": ["bash", "--norc", "--noprofile"],
    "zsh": ["zsh", "-f"],
    "fish": ["fish", "--no-config", "--init-command",
             "set -g fish_greeting ''; function fish_prompt; echo -n '$ '; end"],
}
SOURCES = {
    "bash": 'eval "$(landmine --show-completion bash)"',
    "zsh": 'bindkey -e; autoload -Uz compinit && compinit -u; eval "$(landmine --show-completion zsh)"',
    "fish": "landmine --show-completion fish | source",
}


class Pane:
    """A shell in a detached tmux session of its own."""

    def __init__(self, shell: str, home: Path) -> None:
        self.socket = f"landmine-test-{uuid.uuid4().hex[:8]}"
        env = {
            "HOME": str(home), "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin", "TERM": "xterm-256color",
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LANDMINE_TODAY": TODAY,
            "LANDMINE_CACHE_DIR": os.environ.get("LANDMINE_CACHE_DIR", str(home / "cache")),
            "PS1": "$ ", "PROMPT": "$ ",
        }
        command = ["env", "-i", *(f"{k}={v}" for k, v in env.items()), *STARTS[shell]]
        self.tmux("new-session", "-d", "-x", "200", "-y", "40", *command)
        self.send(SOURCES[shell], "Enter")
        self.clear()

    def tmux(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30)
        return out.stdout

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "0", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "0", "-l", text)

    def clear(self) -> None:
        self.send("clear", "Enter")
        end = time.monotonic() + 10
        while self.screen().strip() not in ("$", "") and time.monotonic() < end:
            time.sleep(0.05)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "0")

    def wait_for(self, text: str, timeout: float = 15) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared:\n{self.screen()}")

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def pane_for(tmp_path):
    need("tmux")
    panes = []

    def start(shell: str) -> Pane:
        need(shell)
        pane = Pane(shell, tmp_path)
        panes.append(pane)
        return pane

    yield start
    for pane in panes:
        pane.close()


CASES = [
    ("status Bosn", "[landmine][status][Bosnia and Herzegovina]"),
    ("status cote", "[landmine][status][Côte d'Ivoire]"),
    ("status fin", "[landmine][status][Finland]"),
    ("funding --donor euro", "[landmine][funding][--donor][European Union]"),
    ("add event --treaty ot", "[landmine][add][event][--treaty][ottawa]"),
]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_tab_completes_to_valid_words_in_a_real_shell(pane_for, shell):
    pane = pane_for(shell)
    for typed, words in CASES:
        if shell == "fish" and typed == "status cote":
            # fish filters candidates again, by its own rules, which keep accents.
            typed = "status côte"
        pane.type(f"landmine {typed}")
        pane.send("Tab")
        # The completed word reaches the line, quoted as this shell quotes it ...
        pane.wait_for(words.rsplit("[", 1)[1].split()[-1].split("'")[-1].rstrip("]"))
        # ... and the shell parses it as one word: the line is run through printf.
        pane.send("C-a")
        pane.type("printf '[%s]' ")
        pane.send("C-e")
        pane.type("; echo")
        pane.send("Enter")
        pane.wait_for(words)
        pane.send("C-l")
        pane.clear()
