"""Import time of ``tuoyu_rules``, measured in fresh interpreters.

    python benchmarks/bench_import.py [--runs 15] [--top 15]

* wall-clock ``import tuoyu_rules`` inside a fresh ``python -c`` (perf_counter around the import; the
  interpreter's own start-up is excluded), median of ``--runs`` subprocesses;
* the same for a fresh interpreter's start-up alone, ``import pydantic`` and ``from pydantic import BaseModel``,
  which bound what any pydantic-based package can reach;
* cold start: import plus the first assessment (which loads and parses the jurisdictions it needs);
* ``python -X importtime -c "import tuoyu_rules"``: cumulative microseconds of the package's modules and the
  heaviest third-party imports, from one run (its per-module figures are noisy; the medians above are not);
* which jurisdictions are loaded after the import alone (the target: none).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import time

TIMED = "import time as _t; _s = _t.perf_counter(); {stmt}; print((_t.perf_counter() - _s) * 1e3)"

COLD = (
    "import datetime as _d; import tuoyu_rules as tr; "
    "f = tr.Facility.model_validate({'jurisdiction': 'xiamen', 'mode': 'self_run', 'self_built': True, "
    "'places': 30, 'enrolled': 20, 'designations': [{'program': 'cn.caring_employer', 'year': 2022}]}); "
    "tr.assess(f, on=_d.date(2024, 1, 1)).model_dump(mode='json')"
)

LOADED = (
    "import sys, tuoyu_rules; "
    "print(sorted(m for m in sys.modules if m.startswith('tuoyu_rules'))); "
    "from tuoyu_rules.core import registry; "
    "print(registry._load.cache_info().currsize if hasattr(registry, '_load') else '?')"
)


def run_ms(stmt: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-c", TIMED.format(stmt=stmt)], capture_output=True, text=True, check=True
        )
        out.append(float(proc.stdout.strip().splitlines()[-1]))
    return out


def process_ms(args: list[str], runs: int) -> list[float]:
    """Whole-process wall time (start-up + statement + exit) from outside, in ms."""
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, *args], capture_output=True, check=True)
        out.append((time.perf_counter() - t0) * 1e3)
    return out


def importtime(top: int) -> list[tuple[int, int, str]]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import tuoyu_rules"], capture_output=True, text=True, check=True
    )
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(1)), int(m.group(2)), m.group(4)))
    ours = [r for r in rows if r[2].startswith("tuoyu_rules")]
    others = sorted((r for r in rows if not r[2].startswith("tuoyu_rules")), key=lambda r: -r[1])[:top]
    return ours + others


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="import time of tuoyu_rules in fresh interpreters")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--top", type=int, default=12, help="third-party imports to list from -X importtime")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    subprocess.run([sys.executable, "-c", "import tuoyu_rules"], check=True)  # warm the bytecode cache
    figures = {
        "import tuoyu_rules": run_ms("import tuoyu_rules", args.runs),
        "import pydantic": run_ms("import pydantic", args.runs),
        "from pydantic import BaseModel": run_ms("from pydantic import BaseModel", args.runs),
        "import + first assess + dump (cold start)": run_ms(COLD, args.runs),
        "process: python -c pass": process_ms(["-c", "pass"], args.runs),
        "process: python -c 'import tuoyu_rules'": process_ms(["-c", "import tuoyu_rules"], args.runs),
    }
    loaded = subprocess.run([sys.executable, "-c", LOADED], capture_output=True, text=True, check=True).stdout
    rows = importtime(args.top)
    med = {k: statistics.median(v) for k, v in figures.items()}
    if args.json:
        print(json.dumps({"median_ms": med, "runs": args.runs, "importtime_us": rows, "loaded": loaded}, indent=2))
        return 0
    print(
        f"date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M UTC}; python {sys.version.split()[0]}; "
        f"load average {os.getloadavg()[0]:.2f}; runs={args.runs}"
    )
    print(f"{'measure':<45} {'median ms':>10} {'min':>8} {'max':>8}")
    for k, v in figures.items():
        print(f"{k:<45} {statistics.median(v):>10.1f} {min(v):>8.1f} {max(v):>8.1f}")
    target = med["import tuoyu_rules"]
    print(f"\nimport tuoyu_rules: {target:.1f} ms median ({'meets' if target < 100 else 'misses'} the 100 ms target)")
    print("\nafter `import tuoyu_rules` alone:")
    mods, cached = loaded.strip().splitlines()
    print(f"  modules: {mods}")
    print(f"  jurisdictions loaded (registry._load cache): {cached}")
    print("\n-X importtime (one run; self us | cumulative us | module):")
    for self_us, cum_us, name in rows:
        print(f"  {self_us:>8} | {cum_us:>9} | {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
