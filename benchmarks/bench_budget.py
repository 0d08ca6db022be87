"""A budget from a CSV file, end to end: ``tr.budget(path)`` and ``tuoyu budget`` against pandas reading the file.

    python benchmarks/bench_budget.py [--n 100000] [--keep FILE.csv] [--reuse FILE.csv]

Writes ``--n`` facility rows (the fixed pseudo-random mix of ``bench_batch.py``: seven cities, every mode,
national designations of several years) to a CSV file (or reads ``--reuse``), then times, in this order:

1. ``pandas.read_csv`` of the file, every column as text (what an analyst's notebook does first), when pandas
   is installed: the yardstick (issue 17's goal: a budget within 3 times it);
2. ``tr.budget(path, on=...)``: reading, validating, assessing (through a fact-keyed cache per scenario) and
   summing, exact to the fen: by the column path (pyarrow installed: the file read straight into columns,
   ``tuoyu_rules.whatif.budget_columns``) and by the row path (the same call with the column path turned off),
   each in this process, the budgets checked equal;
3. the ``tuoyu budget FILE --on ...`` command in a fresh process (start-up and import included), by each path (the
   row path: pyarrow made unimportable in that process), with the process's peak RSS.

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
import tuoyu_rules.whatif.budgets as budgets

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


CLI = (
    "import atexit, os, runpy, sys\n"
    "def peak():\n"
    "    with open('/proc/self/status') as status, open(os.environ['BENCH_PEAK'], 'w') as out:\n"
    "        out.write(next(line.split()[1] for line in status if line.startswith('VmHWM:')))\n"
    "if os.path.exists('/proc/self/status'):\n"
    "    atexit.register(peak)\n"
    "if os.environ.get('BENCH_NO_PYARROW'):\n"
    "    sys.modules['pyarrow'] = None\n"
    "sys.argv[0] = 'tuoyu'\n"
    "runpy.run_module('tuoyu_rules.cli', run_name='__main__')\n"
)
"""``python -m tuoyu_rules.cli``, writing its peak RSS (``VmHWM``, this program's own: a forked child's
``ru_maxrss`` would count its parent's pages) to the file ``BENCH_PEAK``; with ``BENCH_NO_PYARROW``, pyarrow cannot
be imported (the row path)."""


def child(command: list[str], *, pyarrow: bool = True) -> tuple[float, int, str]:
    """Run the command ``tuoyu *command`` (output discarded): seconds, exit code and peak RSS."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        env = {**os.environ, "TUOYU_LANG": "en", "BENCH_PEAK": peak.name}
        if not pyarrow:
            env["BENCH_NO_PYARROW"] = "1"
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", CLI, *command], capture_output=True, check=False, env=env)
        seconds = time.perf_counter() - started
        kb = peak.read().strip()
    return seconds, done.returncode, f"{int(kb) // 1024} MB" if kb else "not measured"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, default=None, help="write the CSV here and keep it")
    parser.add_argument("--reuse", type=Path, default=None, help="read this CSV (written earlier with --keep)")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="tuoyu-bench-")
    path = args.reuse or args.keep or Path(folder) / "facilities.csv"
    if args.reuse is None:
        started = time.perf_counter()
        write_csv(path, args.n)
        print(
            f"rows: {args.n:,} ({path.stat().st_size / 1e6:.1f} MB), written in {time.perf_counter() - started:.2f} s"
        )
    else:
        print(f"rows: read from {path} ({path.stat().st_size / 1e6:.1f} MB)")

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
        del frame

    def ratio(seconds: float) -> str:
        return f", {seconds / pandas_s:.1f}x pandas.read_csv" if pandas_s else ""

    budget = tr.budget  # the lazy import of tuoyu_rules.whatif, before any timing
    results = {}
    for name in ("columns", "rows"):
        if name == "rows":  # the column path turned off: the row path, as before it
            setattr(budgets, "budget_columns", lambda *args, **kwargs: None)  # noqa: B010 - a module's name, replaced
        started = time.perf_counter()
        results[name] = budget(path, on=ON)
        seconds = time.perf_counter() - started
        speed = f"{results[name].facilities / seconds:,.0f} rows/s"
        print(f"tr.budget(path), {name}: {seconds:.3f} s, {speed}{ratio(seconds)}")
    assert results["columns"] == results["rows"], "the two paths disagree"
    base = results["columns"].scenarios[0]
    print(f"  equal budgets; payers x bases: {len(base.by_payer)}, facilities: {base.facilities:,}")

    command = ["budget", str(path), "--on", ON.isoformat(), "--format", "json"]
    for name, pyarrow in (("", True), (", pyarrow hidden (the row path)", False)):
        seconds, code, rss = child(command, pyarrow=pyarrow)
        told = f"{seconds:.3f} s (exit {code}), peak RSS {rss}{ratio(seconds)}"
        print(f"tuoyu budget FILE{name} (fresh process): {told}")
    if args.keep is None and args.reuse is None:
        path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
