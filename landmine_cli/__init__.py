"""landmine: sourced answers about the anti-personnel mine and cluster munition bans."""

import sys

# The single source of the version: pyproject.toml reads it from here (hatch), so that
# start-up does not pay for importlib.metadata.
__version__ = "0.1.0"


def main() -> None:
    """The console entry point. The app is imported here, inside the handler, so that a
    Ctrl-C at any moment, even while Python is still importing, exits 130 quietly."""
    try:
        from .cli import app

        app()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
