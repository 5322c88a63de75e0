"""landmine: sourced answers about the anti-personnel mine and cluster munition bans."""

# The single source of the version: pyproject.toml reads it from here (hatch), so that
# start-up does not pay for importlib.metadata.
__version__ = "0.1.0"
