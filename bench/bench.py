"""Start-up and scale benchmark for landmine. Run from the repository root:

    python bench/bench.py            # full run (1x, 10x and 100x fact bases)
    python bench/bench.py --quick    # 1x only, fewer runs

It installs this checkout into a fresh virtual environment (as a user would, with
compiled bytecode), then measures wall time as the median of repeated runs, each figure
as a ratio to a floor measured in the same run with the same interpreter, and the peak
memory of a warm lookup. Results are printed as a Markdown table (docs/performance.md
records one run).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_ms(command: list[str], runs: int, env: dict[str, str], prepare=None) -> float:
    times = []
    for _ in range(runs):
        if prepare is not None:
            prepare()
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def peak_rss_mb(command: list[str], python: str, env: dict[str, str]) -> float:
    """Peak resident memory of one run, measured by a parent that runs only that command."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([python, "-c", probe, *command], capture_output=True, text=True, env=env)
    return int(out.stdout.strip()) / 1024  # Linux reports kilobytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1x only, 7 runs each")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    runs = 7 if args.quick else args.runs
    scales = [1] if args.quick else [1, 10, 100]

    work = Path(tempfile.mkdtemp(prefix="landmine-bench-"))
    try:
        venv = work / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = str(venv / "bin" / "python")
        subprocess.run([python, "-m", "pip", "install", "-q", str(ROOT)], check=True)
        landmine = str(venv / "bin" / "landmine")
        env = {k: v for k, v in os.environ.items() if k not in ("LANDMINE_FACTS", "NO_COLOR")}
        env["LANDMINE_CACHE_DIR"] = str(work / "cache")

        floor = median_ms([python, "-c", "import typer"], runs, env)
        floor_rich = median_ms([python, "-c", "import typer, rich.console, rich.table"], runs, env)
        rows = [("`python -c 'import typer'` (floor)", floor, None, None),
                ("`python -c 'import typer, rich.console, rich.table'` (table floor)", floor_rich, None, None)]

        def measure(label, argv, target_floor, budget):
            subprocess.run([landmine, *argv], stdout=subprocess.DEVNULL, env=env)  # warm the cache
            ms = median_ms([landmine, *argv], runs, env)
            rows.append((label, ms, ms / target_floor, budget))
            return ms

        measure("`status Finland --json` (warm)", ["status", "Finland", "--json"], floor, 1.5)
        measure("`status Finland` (warm, table)", ["status", "Finland"], floor_rich, 1.5)
        measure("`withdrawals --json` (warm)", ["withdrawals", "--json"], floor, 1.6)
        measure("`non-members --json` (warm)", ["non-members", "--json"], floor, 1.6)

        # Tables against JSON for the biggest answers: a table costs at most 1.5x its JSON.
        pairs = []
        for label, argv in (("timeline", ["timeline", "--on", "2026-11-26"]),
                            ("search a", ["search", "a"]),
                            ("non-members", ["non-members", "--on", "2026-11-26"]),
                            ("funding", ["funding"]),
                            ("status Finland", ["status", "Finland", "--on", "2026-11-26"])):
            subprocess.run([landmine, *argv], stdout=subprocess.DEVNULL, env=env)
            as_json = median_ms([landmine, *argv, "--json"], runs, env)
            as_table = median_ms([landmine, *argv], runs, env)
            pairs.append((label, as_json, as_table))
        # A 5 MB note: cut before layout, so the table takes no longer than the JSON.
        huge = work / "facts-huge"
        shutil.copytree(ROOT / "facts", huge)
        fin = huge / "countries" / "fin.toml"
        fin.write_text(fin.read_text(encoding="utf-8").replace(
            'note = "', 'note = "' + "word " * 1_000_000, 1), encoding="utf-8")
        argv = ["status", "Finland", "--on", "2026-11-26", "--facts", str(huge)]
        subprocess.run([landmine, *argv], stdout=subprocess.DEVNULL, env=env)
        pairs.append(("status Finland, 5 MB note", median_ms([landmine, *argv, "--json"], runs, env),
                      median_ms([landmine, *argv], runs, env)))

        def clear():
            shutil.rmtree(work / "cache", ignore_errors=True)

        cold = median_ms([landmine, "status", "Finland", "--json"], runs, env, prepare=clear)
        rows.append(("`status Finland --json` (cold: no cache)", cold, cold / floor, 5.0))
        memory = peak_rss_mb([landmine, "status", "Finland", "--json"], python, env)

        scale_rows = []
        for scale in scales:
            facts = work / f"facts-{scale}x"
            if scale == 1:
                shutil.copytree(ROOT / "facts", facts)
            else:
                subprocess.run([python, str(ROOT / "bench" / "synth.py"), str(scale), str(facts)], check=True,
                               env=env | {"PYTHONPATH": ""})
            argv = [landmine, "status", "Finland", "--json", "--facts", str(facts)]
            scale_runs = runs if scale < 100 else max(5, runs // 3)
            cold_s = median_ms(argv, max(3, scale_runs // 3), env, prepare=clear)
            subprocess.run(argv, stdout=subprocess.DEVNULL, env=env)
            warm_s = median_ms(argv, scale_runs, env)
            start = time.perf_counter()
            subprocess.run([landmine, "validate", "--facts", str(facts)], stdout=subprocess.DEVNULL, env=env)
            validate_s = time.perf_counter() - start
            rss = peak_rss_mb(argv, python, env)
            scale_rows.append((scale, cold_s, warm_s, validate_s, rss))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"Median of {runs} runs; ratios to the floor measured in the same run.\n")
    print("| command | median ms | ratio | budget |")
    print("| --- | ---: | ---: | ---: |")
    for label, ms, ratio, budget in rows:
        r = "" if ratio is None else f"{ratio:.2f}x"
        b = "" if budget is None else f"{budget}x"
        print(f"| {label} | {ms:.1f} | {r} | {b} |")
    print("\n| table vs JSON | JSON ms | table ms | ratio | budget |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, as_json, as_table in pairs:
        print(f"| `{label}` | {as_json:.1f} | {as_table:.1f} | {as_table / as_json:.2f}x | 1.5x |")
    print(f"\nPeak memory of a warm `status Finland --json`: {memory:.1f} MB (budget 60 MB)\n")
    print("| facts | cold status ms | warm status ms | warm vs 1x warm | cold validate s | peak MB (warm) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    base_warm = scale_rows[0][2]
    for scale, cold_s, warm_s, validate_s, rss in scale_rows:
        print(f"| {scale}x | {cold_s:.0f} | {warm_s:.1f} | {warm_s / base_warm:.2f}x | {validate_s:.2f} | {rss:.1f} |")


if __name__ == "__main__":
    main()
