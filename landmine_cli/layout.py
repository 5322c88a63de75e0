"""The layout of a facts folder: which files hold which records, and their names.

A leaf module (it imports only the records), so that the loader, the checks, the cache and
the writer share one description of the folder without importing each other.

    meta.toml             [meta]: facts_as_of, title
    treaties.toml         [[treaties]]
    sources.toml          [[sources]]
    funding.toml          [[donors]], [[totals]], [[contributions]], [[recipients]], [[gaps]],
                          [[events]]
    figures.toml          [[editions]], [[casualties]], [[contamination]]
    countries/<iso3>.toml [country], [[events]], [[reasons]], [[conflicts]]
"""

from __future__ import annotations

import os
from pathlib import Path

from .models import FiguresFile, FundingFile, Meta, SourcesFile, TreatiesFile

ENV_VAR = "LANDMINE_FACTS"
# A fact file is a few kilobytes; anything this large is a mistake, not data to parse.
MAX_FILE_BYTES = 8 * 1024 * 1024

# Top-level files and the record class that validates each; countries/ holds CountryFiles.
SINGLE_FILES: dict[str, type] = {
    "meta.toml": Meta,
    "treaties.toml": TreatiesFile,
    "sources.toml": SourcesFile,
    "funding.toml": FundingFile,
    # Optional, like funding.toml: a folder without it has no published figures.
    "figures.toml": FiguresFile,
}
COUNTRY_DIR = "countries"
# Top-level files a folder may lack (a folder without figures.toml has no published figures).
OPTIONAL_FILES = frozenset({"figures.toml"})




def country_file_names(folder: str | int | Path) -> list[str]:
    """The names of the state files in a countries folder (a path or an open folder's
    descriptor), sorted; the one rule for which files are facts, shared with the cache."""
    return sorted(name for name in os.listdir(folder) if name.endswith(".toml"))


def country_file(iso3: str) -> str:
    """The path of a state's fact file relative to the facts folder: "countries/fin.toml"."""
    return f"{COUNTRY_DIR}/{iso3.lower()}.toml"
