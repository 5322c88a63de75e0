"""Run every command in every output format on the real facts, and compare two such runs.

    python bench/compare_outputs.py snapshot DIR          # write every output into DIR
    python bench/compare_outputs.py compare DIR           # run again, diff against DIR
    python bench/compare_outputs.py compare DIR --ignore status.json,...

The command list comes from the Typer app's registry (sub-apps included): a command with
no entry in ARGS below makes the script fail, so a new command cannot be skipped silently.
"Today" is pinned with LANDMINE_TODAY and `--on` is given wherever a command accepts it, so
two runs on different days give the same bytes. Every command's --help is captured too.
Each run writes `<case>.<format>.out`
(stdout, stderr and exit code); `export` also writes a text dump of the database and the
CSV files it produced. Exit status of `compare`: 0 when nothing differs, 1 otherwise.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import typer  # noqa: E402

from landmine_cli.cli import app  # noqa: E402
from landmine_cli.output import Format  # noqa: E402

TODAY = "2026-11-26"

# Arguments for each command path; several cases per command where one is not enough.
# "{facts}" is replaced by a writable copy of the facts (for `add`, always with --dry-run);
# "{facts}/../XXVI-5.en.xml" is a copy of the UN page in tests/fixtures/un.
ARGS: dict[str, dict[str, list[str]]] = {
    "status": {
        "finland": ["status", "Finland"],
        "poland-2025": ["status", "Poland", "--on", "2025-12-31"],
        "ukraine": ["status", "Ukraine"],
        "usa": ["status", "USA"],
        "lithuania": ["status", "Lithuania"],
        "unknown": ["status", "Atlantis"],
    },
    "withdrawals": {
        "all": ["withdrawals"],
        "since": ["withdrawals", "--since", "2025-03"],
        "ccm-2025": ["withdrawals", "--treaty", "ccm", "--on", "2025-06-30"],
        "bad-treaty": ["withdrawals", "--treaty", "nope"],
    },
    "non-members": {
        "all": ["non-members"],
        "apmbc-2024": ["non-members", "--treaty", "apmbc", "--on", "2024-12-31"],
    },
    "funding": {
        "all": ["funding"],
        "usa": ["funding", "--donor", "USA", "--since", "2020"],
        "chart": ["funding", "--chart"],
        "bad-donor": ["funding", "--donor", "Atlantis"],
        "year-2017-as-of-2019": ["funding", "--year", "2017", "--on", "2019-06-30"],
        "ukraine": ["funding", "--recipient", "Ukraine"],
    },
    "figures": {
        "world": ["figures"],
        "ukraine": ["figures", "Ukraine"],
        "year-2019-as-of-2021": ["figures", "--year", "2019", "--on", "2021-01-01"],
    },
    "chart parties": {"ccm-2020": ["chart", "parties", "--treaty", "ccm", "--from", "2020", "--to", TODAY]},
    "chart casualties": {"svg": ["chart", "casualties", "-o", "out/casualties.svg"]},
    "chart funding": {"svg": ["chart", "funding", "-o", "out/funding.svg"]},
    "map": {"svg": ["map", "--treaty", "apmbc", "-o", "out/map.svg"]},
    "schema": {"non-members": ["schema", "non-members"]},
    "verify": {
        "apmbc-2018": ["verify", "{facts}/../XXVI-5.en.xml", "--as-at", "2018-01-15"],
    },
    "treaties": {
        "now": ["treaties"],
        "2010": ["treaties", "--on", "2010-12-31"],
    },
    "changes": {
        "2025": ["changes", "--from", "2025-01", "--to", "2026-03"],
        "apmbc": ["changes", "--from", "1999", "--to", TODAY, "--treaty", "apmbc"],
        "backwards": ["changes", "--from", "2025", "--to", "2024"],
    },
    "timeline": {
        "finland": ["timeline", "Finland"],
        "ccm": ["timeline", "--treaty", "ccm", "--since", "2024"],
        "all": ["timeline"],
    },
    "validate": {"real": ["validate"]},
    "obligations": {
        "all": ["obligations", "--on", "2026-11-26"],
        "bih-2018": ["obligations", "Bosnia and Herzegovina", "--on", "2018-12-01"],
        "overdue-2017": ["obligations", "--overdue", "--on", "2017-01-01"],
        "ccm": ["obligations", "--treaty", "ccm", "--on", "2026-11-26"],
        "unknown": ["obligations", "Atlantis"],
    },
    "search": {
        "vienna": ["search", "Vienna Convention"],
        "russia": ["search", "russia"],
        "empty": ["search", "  "],
    },
    "export": {"both": ["export", "--sqlite", "out/db.sqlite", "--csv", "out/csv"]},
    "cache clear": {"clear": ["cache", "clear"]},
    "add event": {
        "event": ["add", "event", "--country", "Poland", "--treaty", "apmbc", "--type",
                  "statement", "--date", "2026-02-20", "--source", "{source}", "--note", "n",
                  "--dry-run", "--facts", "{facts}"],
        "bad-type": ["add", "event", "--country", "Poland", "--treaty", "apmbc", "--type",
                     "nope", "--date", "2026-02-20", "--source", "{source}", "--dry-run",
                     "--facts", "{facts}"],
    },
    "add reason": {
        "reason": ["add", "reason", "--country", "Finland", "--treaty", "ottawa", "--date",
                   "2025-04-02", "--summary", "A reason.", "--source", "{source}",
                   "--dry-run", "--facts", "{facts}"],
    },
    "add source": {
        "source": ["add", "source", "--url", "https://example.org/a", "--publisher",
                   "ICBL-CMC", "--title", "A title", "--published", "2026-02-20",
                   "--dry-run", "--facts", "{facts}"],
    },
    "add funding": {
        "funding": ["add", "funding", "--donor", "Japan", "--year", "2023", "--amount-usd",
                    "1000", "--edition", "lm2024", "--source", "{source}", "--dry-run", "--facts",
                    "{facts}"],
    },
    "add obligation": {
        "obligation": ["add", "obligation", "--country", "Finland", "--treaty", "ccm", "--article",
                       "Art. 3", "--original-deadline", "2020-02-01", "--source", "{source}",
                       "--dry-run", "--facts", "{facts}"],
    },
    "add extension": {
        "extension": ["add", "extension", "--country", "Cambodia", "--treaty", "apmbc", "--article",
                      "Art. 5", "--outcome", "granted", "--new-deadline", "2031-12-31", "--granted",
                      "2029-11-29", "--source", "{source}", "--dry-run", "--facts", "{facts}"],
    },
    "add retained": {
        "retained": ["add", "retained", "--country", "Finland", "--treaty", "apmbc",
                     "--mines-retained", "120", "--figure-kind", "reported", "--year", "2030",
                     "--source", "{source}", "--dry-run", "--facts", "{facts}"],
    },
    "add edition": {
        "edition": ["add", "edition", "--id", "lm2030", "--title", "Landmine Monitor 2030",
                    "--publisher", "ICBL-CMC", "--covers", "2029", "--source", "{source}",
                    "--dry-run", "--facts", "{facts}"],
    },
    "add casualty": {
        "casualty": ["add", "casualty", "--scope", "world", "--year", "2024", "--weapon", "mines_erw",
                     "--edition", "lm2024", "--total", "6000", "--source", "{source}", "--dry-run",
                     "--facts", "{facts}"],
    },
    "add contamination": {
        "contamination": ["add", "contamination", "--scope", "world", "--weapon", "ap_mines",
                          "--edition", "lm2010", "--states-and-areas", "57", "--at-least",
                          "--source", "{source}", "--dry-run", "--facts", "{facts}"],
    },
    "add funding-event": {
        "funding-event": ["add", "funding-event", "--date", "2026-01-02", "--type", "cut",
                          "--summary", "Cut.", "--source", "{source}", "--donor", "USA",
                          "--dry-run", "--facts", "{facts}"],
    },
}


def commands() -> dict[str, typer.main.TyperCommand | object]:
    """Every command path of the app ("status", "add event", ...) and its click command."""
    found = {}

    def walk(group, prefix: str) -> None:
        for name, command in group.commands.items():
            path = f"{prefix}{name}"
            if hasattr(command, "commands"):
                walk(command, f"{path} ")
            else:
                found[path] = command

    walk(typer.main.get_command(app), "")
    return found


def _accepts(command, option: str) -> bool:
    return any(option in getattr(p, "opts", ()) for p in command.params)


def cases(facts_copy: Path, source: str) -> list[tuple[str, list[str]]]:
    registry = commands()
    missing = sorted(set(registry) - set(ARGS))
    if missing:
        raise SystemExit(f"compare_outputs: no arguments for {', '.join(missing)}; add them to ARGS")
    out = [("help", ["--help"])]
    for path, command in sorted(registry.items()):
        out.append((f"{path.replace(' ', '-')}.help", [*path.split(), "--help"]))
        for case, argv in ARGS[path].items():
            argv = [a.replace("{facts}", str(facts_copy)).replace("{source}", source) for a in argv]
            if _accepts(command, "--on") and "--on" not in argv:
                argv += ["--on", TODAY]
            for fmt in Format:
                out.append((f"{path.replace(' ', '-')}.{case}.{fmt}", argv + ["--format", str(fmt)]))
    return out


def _dump_export(workdir: Path) -> str:
    """A text form of what `export` wrote: the SQL dump, each view's rows, each CSV file."""
    parts = []
    db = workdir / "out" / "db.sqlite"
    if db.exists():
        connection = sqlite3.connect(db)
        parts.append("\n".join(connection.iterdump()))
        views = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name")]
        for view in views:
            rows = connection.execute(f"SELECT * FROM {view}").fetchall()
            parts.append(f"-- view {view}\n" + "\n".join(map(repr, rows)))
        connection.close()
    for csv_file in sorted((workdir / "out" / "csv").glob("*.csv")):
        parts.append(f"-- {csv_file.name}\n{csv_file.read_text(encoding='utf-8')}")
    return "\n".join(parts) + "\n"


def run_one(name: str, argv: list[str], env: dict[str, str], scratch: Path) -> tuple[str, str]:
    workdir = scratch / name
    workdir.mkdir()
    # Each case has its own cache, so that `cache clear` does not race the other cases.
    env = env | {"LANDMINE_CACHE_DIR": str(workdir / "cache")}
    result = subprocess.run([sys.executable, "-m", "landmine_cli", *argv], cwd=workdir, env=env,
                            capture_output=True, text=True, timeout=120)
    text = f"$ landmine {' '.join(argv)}\n--- exit {result.returncode}\n--- stdout\n{result.stdout}"
    text += f"--- stderr\n{result.stderr}"
    if argv[0] == "export":
        text += f"--- export\n{_dump_export(workdir)}"
    # Paths of the scratch folders are not part of the output being compared.
    return name, text.replace(str(workdir), "<cwd>").replace(str(scratch.parent), "<tmp>")


def snapshot(target: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="landmine-compare-") as tmp:
        scratch = Path(tmp)
        facts_copy = scratch / "facts"
        shutil.copytree(ROOT / "facts", facts_copy)
        # The UN page `verify` reads, beside the facts copy (its path is printed).
        shutil.copy(ROOT / "tests" / "fixtures" / "un" / "XXVI-5.en.xml", scratch)
        source = sorted((facts_copy / "sources.toml").read_text().split('id = "')[1:])[0]
        source = source.split('"')[0]
        env = dict(os.environ, LANDMINE_TODAY=TODAY, NO_COLOR="1", COLUMNS="100",
                   TERMINAL_WIDTH="100", PYTHONPATH=str(ROOT))
        env.pop("LANDMINE_FACTS", None)
        env.pop("FORCE_COLOR", None)
        runs = scratch / "runs"
        runs.mkdir()
        todo = cases(facts_copy, source)
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
            results = list(pool.map(lambda c: run_one(c[0], c[1], env, runs), todo))
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name, text in results:
        (target / f"{name}.out").write_text(text, encoding="utf-8")
    print(f"wrote {len(results)} outputs to {target}")


def compare(saved: Path, ignore: set[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="landmine-compare-now-") as tmp:
        now = Path(tmp) / "now"
        snapshot(now)
        before = {p.name: p.read_text(encoding="utf-8") for p in saved.glob("*.out")}
        after = {p.name: p.read_text(encoding="utf-8") for p in now.glob("*.out")}
    differing = 0
    for name in sorted(set(before) | set(after)):
        if name in ignore or name.removesuffix(".out") in ignore:
            continue
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        differing += 1
        if old is None or new is None:
            print(f"== {name}: only {'after' if old is None else 'before'}")
            continue
        print(f"== {name}")
        sys.stdout.writelines(difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), "before", "after", n=1))
    print(f"{len(set(before) | set(after))} outputs, {differing} differ")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("snapshot", "compare"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--ignore", default="", help="Comma-separated output names to skip.")
    args = parser.parse_args()
    if args.action == "snapshot":
        snapshot(args.folder)
        return 0
    return compare(args.folder, {n for n in args.ignore.split(",") if n})


if __name__ == "__main__":
    sys.exit(main())
