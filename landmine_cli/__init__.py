"""landmine: sourced answers about the anti-personnel mine and cluster munition bans."""

import sys

# The single source of the version: pyproject.toml reads it from here (hatch), so that
# start-up does not pay for importlib.metadata.
__version__ = "0.1.0"


def main() -> None:
    """The console entry point. The app is imported here, inside the handler, so that a
    Ctrl-C at any moment, even while Python is still importing, exits 130 quietly."""
    try:
        _check_arguments(sys.argv[1:])
        from .cli import app

        app()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)


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
