"""A small mutation tester: change one token of a module at a time and run the tests.

    python tests/tools/mutate.py landmine_cli/law.py tests/test_law.py tests/test_time.py
    python tests/tools/mutate.py landmine_cli/dates.py --list

Each mutant flips one comparison (<= and <, >= and >, == and !=, is and is not), swaps
and/or, drops a `not`, moves an integer constant by one (a day, a month), swaps max/min or True/False.
The module is mutated in a scratch copy of the project (the working tree is never touched),
and the given tests run there with -x; a mutant is killed when they fail. Docstrings,
comments and strings are never mutated. Survivors are printed with their line, to be
killed by a new test or explained as equivalent in docs/testing.md.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import io
import os
import shutil
import subprocess
import sys
import tempfile
import tokenize
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[2]
COPIED = ("landmine_cli", "tests", "facts", "bench", "pyproject.toml", "README.md")

SWAPS = {
    "<=": ["<"],
    "<": ["<="],
    ">=": [">"],
    ">": [">="],
    "==": ["!="],
    "!=": ["=="],
    "and": ["or"],
    "or": ["and"],
    "max": ["min"],
    "min": ["max"],
    "True": ["False"],
    "False": ["True"],
    "+": ["-"],
    "-": ["+"],
}


class Mutant(NamedTuple):
    line: int
    col: int
    old: str
    new: str

    def apply(self, text: str) -> str:
        lines = text.splitlines(keepends=True)
        row = lines[self.line - 1]
        assert row[self.col : self.col + len(self.old)] == self.old
        lines[self.line - 1] = row[: self.col] + self.new + row[self.col + len(self.old) :]
        return "".join(lines)

    def __str__(self) -> str:
        return f"{self.line}:{self.col + 1} {self.old!r} -> {self.new!r}"


def mutants(text: str) -> list[Mutant]:
    found = []
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    for i, tok in enumerate(tokens):
        (line, col), value = tok.start, tok.string
        if tok.type == tokenize.OP and value in SWAPS:
            if value in "+-" and tokens[i - 1].type == tokenize.OP and tokens[i - 1].string not in ")]":
                continue  # a sign, not an operation
            found += [Mutant(line, col, value, new) for new in SWAPS[value]]
        elif tok.type == tokenize.NAME and value in SWAPS:
            found += [Mutant(line, col, value, new) for new in SWAPS[value]]
        elif tok.type == tokenize.NAME and value == "not":  # "not x" -> "x", "is not" -> "is"
            found.append(Mutant(line, col, "not ", ""))
        elif tok.type == tokenize.NAME and value == "is" and tokens[i + 1].string != "not":
            found.append(Mutant(line, col, "is", "is not"))
        elif tok.type == tokenize.NUMBER and value.isdigit():
            found.append(Mutant(line, col, value, str(int(value) + 1)))
            if int(value) > 0:
                found.append(Mutant(line, col, value, str(int(value) - 1)))
    return found


def scratch_copy() -> Path:
    target = Path(tempfile.mkdtemp(prefix="landmine-mutate-"))
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
        elif source.exists():
            shutil.copy2(source, target / name)
    return target


def run(copy: Path, module: str, text: str, mutant: Mutant, tests: list[str], timeout: int) -> str:
    path = copy / module
    path.write_text(mutant.apply(text), encoding="utf-8")
    cache = tempfile.mkdtemp(prefix="landmine-mutate-cache-")
    env = os.environ | {"PYTHONPATH": str(copy), "LANDMINE_CACHE_DIR": cache, "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
            cwd=copy, env=env, capture_output=True, text=True, timeout=timeout,
        )
        outcome = "survived" if result.returncode == 0 else "killed"
    except subprocess.TimeoutExpired:
        outcome = "killed (timeout)"
    finally:
        path.write_text(text, encoding="utf-8")
        shutil.rmtree(cache, ignore_errors=True)
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", help="the file to mutate, relative to the project root")
    parser.add_argument("tests", nargs="*", default=["tests"], help="the tests to run")
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    parser.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2) // 2))
    parser.add_argument("--timeout", type=int, default=300)
    args = parser.parse_args()

    text = (ROOT / args.module).read_text(encoding="utf-8")
    todo = mutants(text)
    if args.list:
        for number, mutant in enumerate(todo, 1):
            print(f"{number:3} {args.module}:{mutant}  | {text.splitlines()[mutant.line - 1].strip()}")
        return 0

    copies = [scratch_copy() for _ in range(args.jobs)]
    free = list(copies)
    results: dict[int, str] = {}

    def one(number: int, mutant: Mutant) -> tuple[int, str]:
        copy = free.pop()
        try:
            return number, run(copy, args.module, text, mutant, args.tests, args.timeout)
        finally:
            free.append(copy)

    try:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for number, outcome in pool.map(lambda item: one(*item), enumerate(todo, 1)):
                results[number] = outcome
                mutant = todo[number - 1]
                source = text.splitlines()[mutant.line - 1].strip()
                print(f"{number:3} {outcome:16} {args.module}:{mutant}  | {source}", flush=True)
    finally:
        for copy in copies:
            shutil.rmtree(copy, ignore_errors=True)
    survived = [n for n, outcome in results.items() if outcome == "survived"]
    print(f"\n{args.module}: {len(todo)} mutants, {len(todo) - len(survived)} killed, {len(survived)} survived")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
