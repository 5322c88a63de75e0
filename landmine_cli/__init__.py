"""landmine: sourced answers about the anti-personnel mine ban and cluster munition bans."""

import sys

# The single source of the version: pyproject.toml reads it from here (hatch), so that
# start-up does not pay for importlib.metadata.
__version__ = "0.1.0"


def main() -> None:
    """The console entry point. The app is imported here, inside the handler, so that a
    Ctrl-C at any moment, even while Python is still importing, exits 130 quietly; and a
    reader that closes the pipe early (`| head -1`) ends the run quietly with exit code 0.

    The cyclic garbage collector is off for the run, and what the run built is frozen (moved
    out of the collector's sight) when it ends: a run is short, reference counting frees
    what it drops, and the collector's passes over the tens of thousands of records of a
    loaded fact base, during the run and again while the interpreter shuts down, took about
    a sixth of a warm run's time (docs/performance.md)."""
    import gc

    gc.disable()
    try:
        _run()
    finally:
        gc.freeze()


def _run() -> None:
    try:
        args = _shell_default([_from_bytes(arg) for arg in sys.argv[1:]])
        _check_arguments(args)
        sys.argv[1:] = args
        from .cli import app_for

        try:
            app_for(args)()
        finally:
            # Flushed here, not at exit, where a closed pipe prints "Exception ignored".
            sys.stdout.flush()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
    except BrokenPipeError:
        from .errors import EXIT_PIPE
        from .output import silence

        silence(sys.stdout)
        sys.exit(EXIT_PIPE)


def _check_arguments(args: list[str]) -> None:
    """Exit 2 naming the argument if one is not valid UTF-8 (Python hands such bytes over
    as lone surrogates, which would otherwise surface later as a data error)."""
    for number, arg in enumerate(args):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError as err:
            raw = arg.encode("utf-8", "surrogateescape")
            option = args[number - 1] if number and args[number - 1].startswith("-") else None
            which = f"the value of {option}" if option else f"argument {number + 1}"
            bad = raw[len(arg[: err.start].encode("utf-8", "surrogateescape"))]
            sys.stderr.write(f"Error: {which} ({raw!r}) is not valid UTF-8 (byte 0x{bad:02x}); "
                             "give text in UTF-8\n")
            sys.exit(2)


def _from_bytes(arg: str) -> str:
    """An argument as the user typed it: in a C locale Python decodes arguments as ASCII,
    so "Türkiye" typed in a UTF-8 terminal arrives with surrogates; read its bytes as UTF-8."""
    if not any("\udc80" <= c <= "\udcff" for c in arg):
        return arg
    try:
        return arg.encode(sys.getfilesystemencoding(), "surrogateescape").decode("utf-8")
    except UnicodeError:
        return arg


def _shell_default(args: list[str]) -> list[str]:
    """`--show-completion` and `--install-completion` take an optional SHELL; Typer's options
    cannot, so a bare one is given "auto" (the shell in $SHELL)."""
    out = []
    for i, arg in enumerate(args):
        bare = i + 1 == len(args) or args[i + 1].startswith("-")
        out.append(f"{arg}=auto" if arg in ("--show-completion", "--install-completion") and bare else arg)
    return out
