"""A budget from a CSV file, end to end: ``tr.budget(path)`` and ``tuoyu budget`` against pandas reading the file.

    python benchmarks/bench_budget.py [--n 100000] [--keep FILE.csv]

Writes ``--n`` facility rows (the fixed pseudo-random mix of ``bench_batch.py``: seven cities, every mode,
national designations of several years) to a CSV file, then times, in this order:

1. ``pandas.read_csv`` of the file, every column as text (what an analyst's notebook does first), when pandas
   is installed: the yardstick (issue 17's goal: a budget within 3 times it);
2. ``tr.budget(path, on=...)``: reading, validating, assessing (through a fact-keyed cache per scenario) and
   summing, exact to the fen;
3. the ``tuoyu budget FILE --on ...`` command in a fresh process (start-up and import included).

Prints the figures and the ratios to (1). Never run as a unit test.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_batch

import tuoyu_rules as tr

ON = dt.date(2024, 1, 1)
COLUMNS = ("facility_id", "jurisdiction", "mode", "self_built", "embedded", "places", "enrolled", "designations")


def write_csv(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for i, row in enumerate(bench_batch.rows(0, n)):
            designations = ";".join(f"{d['program']}:{d['year']}" for d in row["designations"])
            writer.writerow(
                (
                    f"F{i:07d}",
                    row["jurisdiction"],
                    row["mode"],
                    "true" if row["self_built"] else "false",
                    "true" if row["embedded"] else "false",
                    row["places"],
                    row["enrolled"],
                    designations,
                )
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, default=None, help="write the CSV here and keep it")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="tuoyu-bench-")
    path = args.keep or Path(folder) / "facilities.csv"
    started = time.perf_counter()
    write_csv(path, args.n)
    print(f"rows: {args.n:,} ({path.stat().st_size / 1e6:.1f} MB), written in {time.perf_counter() - started:.2f} s")

    pandas_s: float | None = None
    try:
        import pandas as pd
    except ImportError:
        print("pandas.read_csv: pandas not installed")
    else:
        started = time.perf_counter()
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        pandas_s = time.perf_counter() - started
        print(f"pandas.read_csv (text columns): {pandas_s:.3f} s ({len(frame):,} rows)")

    started = time.perf_counter()
    budget = tr.budget(path, on=ON)
    budget_s = time.perf_counter() - started
    ratio = f", {budget_s / pandas_s:.1f}x pandas.read_csv" if pandas_s else ""
    print(f"tr.budget(path): {budget_s:.3f} s, {args.n / budget_s:,.0f} rows/s{ratio}")
    print(f"  payers x bases: {len(budget.scenarios[0].by_payer)}, facilities: {budget.scenarios[0].facilities:,}")

    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tuoyu_rules.cli", "budget", str(path), "--on", ON.isoformat(), "--format", "json"],
        capture_output=True,
        check=False,
        env={**os.environ, "TUOYU_LANG": "en"},
    )
    cli_s = time.perf_counter() - started
    ratio = f", {cli_s / pandas_s:.1f}x pandas.read_csv" if pandas_s else ""
    print(f"tuoyu budget FILE (fresh process): {cli_s:.3f} s (exit {done.returncode}){ratio}")
    if args.keep is None:
        path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
