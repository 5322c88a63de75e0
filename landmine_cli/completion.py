"""Shell completion: what completes (states, treaties, donors) and how each shell gets it.

The callbacks match case- and accent-insensitively on names, aliases and ISO codes ("fin"
and "FI" complete Finland, "cote" Côte d'Ivoire), so the shells must not filter again:
each shell's script here takes the candidates as given. Candidates must arrive as valid
shell words, which Typer's own classes do not ensure (bash inserts "Bosnia and Herzegovina"
as three words, zsh drops the apostrophe of "Côte d'Ivoire"): so this module registers its
own bash, zsh and fish classes, each quoting at the layer its shell needs, and its own
`--show-completion [SHELL]` / `--install-completion [SHELL]`, which honour SHELL.

Typer has no public hook for how candidates are written out, so the classes build on its
completion classes (typer._completion_classes, pinned with typer <0.29 in pyproject.toml).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer._completion_classes import BashComplete, FishComplete, ZshComplete
from typer._click.shell_completion import add_completion_class

from . import output, store
from .countries import normalize
from .errors import LandmineError

PROG = "landmine"
COMPLETE_VAR = "_LANDMINE_COMPLETE"
class Match(str):
    """A candidate matched here already, without regard to case or accents. Typer keeps
    only the candidates that start with the typed text, case and accents included ("fin"
    would drop Finland); a Match passes that check."""

    def startswith(self, *args: Any) -> bool:
        return True


def _matches(incomplete: str, choices: list[tuple[str, list[str]]]) -> list[str]:
    """Each choice whose value or any other name starts with `incomplete` (folded)."""
    key = normalize(incomplete)
    return [
        Match(value) for value, names in choices if any(normalize(n).startswith(key) for n in (value, *names))
    ]


def _base() -> Any:
    return store.load(store.facts_dir())


def complete_country(incomplete: str) -> list[str]:
    """States whose name, alias or ISO code starts with `incomplete`: the name or alias that
    matched, or the code itself when the user is typing a code ("FJ" -> FJI)."""
    try:
        countries = sorted(_base().countries.values(), key=lambda c: c.name)
    except LandmineError:
        return []
    key = normalize(incomplete)
    found = []
    for country in countries:
        name = next((n for n in (country.name, *country.aliases) if normalize(n).startswith(key)), None)
        if name is not None:
            found.append(Match(name))
        elif key and any(normalize(code).startswith(key) for code in (country.iso3, country.iso2)):
            found.append(Match(country.iso3))
    return found


def complete_treaty(incomplete: str) -> list[str]:
    """Treaty ids and aliases (from the facts' treaties.toml) starting with `incomplete`."""
    try:
        treaties = _base().treaties.values()
    except LandmineError:
        return []
    return _matches(incomplete, [(name, []) for t in treaties for name in (t.id, *t.aliases)])


def complete_donor(incomplete: str) -> list[str]:
    """Donors with funding data whose id or name starts with `incomplete`."""
    try:
        base = _base()
    except LandmineError:
        return []
    choices = []
    for donor in sorted(base.donors.values(), key=lambda d: d.name):
        names = [donor.id]
        country = base.countries.get(donor.iso3) if donor.iso3 else None
        if country is not None:
            names += [country.iso2, country.name, *country.aliases]
        choices.append((donor.name, names))
    return _matches(incomplete, choices)


# --- Quoting, per shell ----------------------------------------------------------------------

_BASH_SPECIAL = re.compile(r"""([\s'"\\$`!&;|<>(){}\[\]*?#~=%,^])""")


def bash_word(value: str, current: str = "") -> str:
    """`value` as bash must insert it in place of the word being typed, `current`: inside
    the quote the user opened, or with every special character backslash-escaped."""
    if current.startswith("'"):
        return "'" + value.replace("'", "'\\''") + "'"
    if current.startswith('"'):
        return '"' + re.sub(r'(["\\$`])', r"\\\1", value) + '"'
    return _BASH_SPECIAL.sub(r"\\\1", value)


def _one_line(value: str) -> str:
    return " ".join(value.split())


class Bash(BashComplete):
    # The word being completed is passed whole too, so that an opened quote is kept.
    source_template = """\
%(complete_func)s() {
    local IFS=$'\\n'
    COMPREPLY=( $( env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD=$COMP_CWORD \\
                   _LANDMINE_COMPLETE_WORD="${COMP_WORDS[COMP_CWORD]}" \\
                   %(autocomplete_var)s=complete_bash "$1" ) )
    return 0
}

complete -o default -F %(complete_func)s %(prog_name)s
"""

    def format_completion(self, item: Any) -> str:
        return bash_word(_one_line(item.value), os.environ.get("_LANDMINE_COMPLETE_WORD", ""))


class Zsh(ZshComplete):
    # One candidate per line, added as given (-U: the program has matched already, without
    # regard to case or accents); compadd quotes each for the command line.
    source_template = """\
#compdef %(prog_name)s

%(complete_func)s() {
  local -a candidates
  candidates=("${(@f)$(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" %(autocomplete_var)s=complete_zsh %(prog_name)s)}")
  candidates=(${candidates:#})
  if (( ${#candidates} )); then
    compadd -U -- "${candidates[@]}"
  else
    _files
  fi
}

compdef %(complete_func)s %(prog_name)s
"""

    def format_completion(self, item: Any) -> str:
        return _one_line(item.value)

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        return "\n".join(self.format_completion(item) for item in self.get_completions(args, incomplete))


class Fish(FishComplete):
    # fish quotes candidates itself; one per line, without descriptions.
    def format_completion(self, item: Any) -> str:
        return _one_line(item.value)


def register() -> None:
    """Use these classes for bash, zsh and fish (the app sets add_completion=False, so
    Typer never registers its own over them)."""
    for cls in (Bash, Zsh, Fish):
        add_completion_class(cls, cls.name)


register()


# --- --show-completion and --install-completion ------------------------------------------------


_CLASSES = {"bash": Bash, "zsh": Zsh, "fish": Fish}


def script(shell: str) -> str:
    """The completion script for `shell`."""
    cls = _CLASSES[shell]
    return cls(None, {}, PROG, COMPLETE_VAR).source()  # type: ignore[arg-type]


def _detect() -> str:
    name = Path(os.environ.get("SHELL", "bash")).name
    return name if name in _CLASSES else "bash"


def _shell(value: str | None) -> str | None:
    if value is None:
        return None
    if value == "auto":
        return _detect()
    if value not in _CLASSES:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(_CLASSES)}")
    return value


def _show(ctx: typer.Context, value: Any) -> None:
    shell = _shell(value)
    if shell is None or ctx.resilient_parsing:
        return
    output.raw(script(shell) + "\n")
    raise typer.Exit()


_INSTALL_TARGETS = {
    "bash": (".bash_completions/landmine.sh", ".bashrc", "source '{path}'"),
    "zsh": (".zfunc/_landmine", ".zshrc", "fpath+=~/.zfunc; autoload -Uz compinit; compinit"),
    "fish": (".config/fish/completions/landmine.fish", None, None),
}


def _install(ctx: typer.Context, value: Any) -> None:
    shell = _shell(value)
    if shell is None or ctx.resilient_parsing:
        return
    target, rc, line = _INSTALL_TARGETS[shell]
    path = Path.home() / target
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script(shell) + "\n", encoding="utf-8")
    if rc is not None and line is not None:
        rc_path = Path.home() / rc
        wanted = line.format(path=path)
        existing = rc_path.read_text(encoding="utf-8") if rc_path.exists() else ""
        if wanted not in existing:
            rc_path.write_text(existing.rstrip("\n") + f"\n{wanted}\n", encoding="utf-8")
    output.raw(f"{shell} completion installed in {path}; it takes effect in a new shell.\n")
    raise typer.Exit()


ShowCompletionOpt = Annotated[
    Optional[str],
    typer.Option(
        "--show-completion",
        metavar="[SHELL]",
        callback=_show,
        expose_value=False,
        is_eager=True,
        show_default=False,
        help="Print the completion script for SHELL (bash, zsh or fish; default: $SHELL).",
    ),
]
InstallCompletionOpt = Annotated[
    Optional[str],
    typer.Option(
        "--install-completion",
        metavar="[SHELL]",
        callback=_install,
        expose_value=False,
        is_eager=True,
        show_default=False,
        help="Install completion for SHELL (bash, zsh or fish; default: $SHELL).",
    ),
]
