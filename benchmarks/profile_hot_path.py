"""Profile the hot paths with pyinstrument and print the call trees (what benchmarks/README.md records).

    python benchmarks/profile_hot_path.py [--n 5000] [--interval 0.0001] [--which plain,memo,tally,columns]

* ``plain``: ``tr.assess(tr.Facility.model_validate(data), on=ON).model_dump(mode="json")``, Xiamen facility of
  bench_single.py, the same input each call;
* ``memo``: ``RuleCache.assess_json(data)`` on distinct inputs (places and enrolled change), the trie warm;
* ``tally``: ``tally`` of 100,000 generated rows of bench_batch.py (JSON data);
* ``columns``: ``tally_columns`` of 1,000,000 generated rows as numpy columns, fresh cache (engine runs included).

Needs pyinstrument (the bench extra). Never run as a unit test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import column_chunks, rows
from bench_single import ON, XIAMEN, distinct_inputs

import tuoyu_rules as tr
from tuoyu_rules.batch import RuleCache, tally

try:
    from tuoyu_rules.batch.columns import check_columns, tally_columns
except ImportError:  # a tree before the batch subpackage (commit 703512a and earlier)
    from tuoyu_rules.columns import check_columns, tally_columns  # type: ignore[import-not-found,no-redef]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="calls of the single-facility paths (5000)")
    parser.add_argument("--interval", type=float, default=0.0001, help="sampling interval in seconds (0.0001)")
    parser.add_argument("--which", default="plain,memo,tally,columns")
    args = parser.parse_args(argv)
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument is not installed (pip install pyinstrument)", file=sys.stderr)
        return 2
    which = set(args.which.split(","))

    def show(title: str, profiler: Profiler) -> None:
        print(f"\n===== {title} =====")
        print(profiler.output_text(unicode=True, color=False, show_all=False, short_mode=False))

    if "plain" in which:
        for _ in range(200):
            tr.assess(tr.Facility.model_validate(XIAMEN), on=ON).model_dump(mode="json")
        profiler = Profiler(interval=args.interval)
        with profiler:
            for _ in range(args.n):
                tr.assess(tr.Facility.model_validate(XIAMEN), on=ON).model_dump(mode="json")
        show(f"plain: validate + tr.assess + model_dump(mode='json'), {args.n} calls", profiler)

    if "memo" in which:
        cache = RuleCache(on=ON)
        warm = distinct_inputs(XIAMEN, 2000)
        for d in warm:
            cache.assess_json(d)
        inputs = distinct_inputs(XIAMEN, args.n * 10)
        profiler = Profiler(interval=args.interval)
        with profiler:
            for d in inputs:
                cache.assess_json(d)
        show(f"memo: RuleCache.assess_json, {len(inputs)} distinct inputs, warm trie", profiler)

    if "tally" in which:
        data = list(rows(0, 100_000))
        cache = RuleCache(on=ON)
        tally(data[:20_000], on=ON, cache=cache)
        profiler = Profiler(interval=args.interval)
        with profiler:
            tally(data, on=ON, cache=cache)
        show(f"tally: 100,000 JSON rows (pre-generated), hits {cache.hits:,}, misses {cache.misses:,}", profiler)

    if "columns" in which:
        chunks = list(column_chunks(0, 1_000_000, 262_144))
        check_columns(chunks[0])  # one-time set-up (the column checker's validators), as in bench_batch.py
        cache = RuleCache(on=ON)
        profiler = Profiler(interval=args.interval)
        with profiler:
            tally_columns(chunks, on=ON, cache=cache, backend="numpy")
        runs = cache.misses
        show(f"columns: tally_columns, 1,000,000 rows in 4 chunks, fresh cache ({runs:,} engine runs)", profiler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
