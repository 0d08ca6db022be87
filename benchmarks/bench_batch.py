"""Millions of facility-years, exact to the fen: tuoyu_rules' streaming batch against OpenFisca's vectorised run.

    python benchmarks/bench_batch.py [--n 1000000] [--workers 2]

Rows are facility JSON data drawn from a fixed seed (cities with and without programmes, every mode,
designations of several years). Timed, in this order:

1. generating the rows alone (to show what the batch figures include);
2. ``assess_many(rows, on=..., output="fen")`` streamed into ``totals_fen`` (every row validated as a
   ``Facility``, results exact in integer fen), with the peak RSS before and after (memory stays flat);
   2b. ``tally(rows, on=...)``: the same totals with a count per distinct result instead of a result per row;
3. ``tally`` over ``--workers`` processes (each process draws its own slice of rows; the per-partition totals
   merge exactly with ``merge_totals``: the shape of a Dask ``map_partitions`` + ``reduction``);
4. the same rows already validated (``Facility`` objects), on a sample: the cost without validation;
5. OpenFisca's vectorised run of the equivalent model (``openfisca_model.py``): ``set_input`` of the
   columns and ``calculate`` of every output, float32, when openfisca-core is installed; then its sums are
   compared with the exact ones, in fen.

Never run as a unit test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from typing import Any

import tuoyu_rules as tr
from tuoyu_rules.batch import RuleCache, Totals, assess_many, merge_totals, tally, totals_fen

ON = dt.date(2024, 1, 1)
MONTH = "2024-01"
MODES = ("self_run", "joint_run", "third_party", "purchased_places", "park_shared", "community_co_built", "union_venue")


def cities() -> tuple[str, ...]:
    wanted = ("xiamen", "hangzhou", "weifang", "qianan", "chengdu", "nanning", "siming")
    known = set(tr.list_jurisdictions())
    return tuple(c for c in wanted if c in known and tr.get_policy(c).level in ("city", "district"))


def rows(start: int, stop: int, seed: int = 20240101) -> Iterator[dict[str, Any]]:
    """Facility rows ``start`` to ``stop`` of a fixed pseudo-random sequence (each row from its own index)."""
    jur = cities()
    for i in range(start, stop):
        r = random.Random(seed * 1_000_003 + i)
        city = jur[r.randrange(len(jur))] if r.random() < 0.5 else ("xiamen", "hangzhou")[i % 2]
        if city not in jur:
            city = jur[0]
        places = r.randrange(0, 200)
        designations = []
        if r.random() < 0.2:
            designations.append({"program": "cn.caring_employer", "year": r.choice((2022, 2023, 2024))})
        if city == "hangzhou" and r.random() < 0.5:
            designations.append({"program": "hangzhou.puhui", "year": r.choice((2022, 2023))})
        yield {
            "jurisdiction": city,
            "mode": MODES[r.randrange(len(MODES))],
            "self_built": r.random() < 0.5,
            "embedded": r.random() < 0.5,
            "places": places,
            "enrolled": r.randrange(0, places + 1),
            "designations": designations,
        }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _partition(bounds: tuple[int, int]) -> tuple[Totals, int, int]:
    cache = RuleCache(on=ON)
    totals = tally(rows(*bounds), on=ON, cache=cache)
    return totals, cache.hits, cache.misses


def yuan(fen: int | None) -> str:
    return "unbounded" if fen is None else f"{Decimal(fen) / 100:,.2f}"


def openfisca_run(n: int) -> dict[str, Any] | str:
    try:
        import numpy as np
        import openfisca_model as om
    except ImportError as exc:
        return f"openfisca-core is not installed ({exc}); install the bench extra"
    system = om.build_system()
    city_codes = {"xiamen": 1, "siming": 1, "hangzhou": 2}  # Siming is a district of Xiamen
    mode_codes = {m: i for i, m in enumerate(MODES)}
    cols: dict[str, Any] = {
        "city": np.zeros(n, dtype=np.int16),
        "mode": np.zeros(n, dtype=np.int16),
        "self_built": np.zeros(n, dtype=bool),
        "embedded": np.zeros(n, dtype=bool),
        "places": np.zeros(n, dtype=np.int32),
        "enrolled": np.zeros(n, dtype=np.int32),
        "cn_caring_employer_year": np.zeros(n, dtype=np.int32),
        "hangzhou_puhui_year": np.zeros(n, dtype=np.int32),
    }
    for i, row in enumerate(rows(0, n)):  # not timed: building the input columns
        cols["city"][i] = city_codes.get(row["jurisdiction"], 0)
        cols["mode"][i] = mode_codes[row["mode"]]
        cols["self_built"][i] = row["self_built"]
        cols["embedded"][i] = row["embedded"]
        cols["places"][i] = row["places"]
        cols["enrolled"][i] = row["enrolled"]
        for d in row["designations"]:
            if d["program"] == "cn.caring_employer":
                cols["cn_caring_employer_year"][i] = d["year"]
            else:
                cols["hangzhou_puhui_year"][i] = d["year"]
    # Enum inputs are given as EnumArrays of their indices.
    from openfisca_core.indexed_enums import EnumArray

    cols["city"] = EnumArray(cols["city"], om.City)
    cols["mode"] = EnumArray(cols["mode"], om.Mode)
    t0 = time.perf_counter()
    out = om.assess_vectorised(system, cols, MONTH)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "out": out, "dtype": str(out["cn_award_low"].dtype)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="batch benchmark")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=100_000, help="rows for the pre-validated measurement")
    args = parser.parse_args(argv)
    n = args.n
    print(
        f"date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M UTC}; python {sys.version.split()[0]}; "
        f"load average {os.getloadavg()[0]:.2f}; n={n:,}; on={ON}"
    )
    print(f"cities drawn: {', '.join(cities())}")

    t0 = time.perf_counter()
    for _ in rows(0, n):
        pass
    gen = time.perf_counter() - t0
    print(f"\n1. generating {n:,} rows alone: {gen:.2f} s ({gen / n * 1e6:.2f} us/row)")

    rss0 = peak_rss_mb()
    cache = RuleCache(on=ON)
    t0 = time.perf_counter()
    totals = totals_fen(assess_many(rows(0, n), on=ON, output="fen", cache=cache))
    one = time.perf_counter() - t0
    rss1 = peak_rss_mb()
    print(
        f"2. tuoyu assess_many, 1 process, validated JSON rows, fen: {one:.2f} s "
        f"({one / n * 1e6:.2f} us/row incl. generation; {(one - gen) / n * 1e6:.2f} us/row without); "
        f"cache hits {cache.hits:,}, misses {cache.misses:,}; peak RSS {rss0:.0f} -> {rss1:.0f} MB"
    )

    cache_t = RuleCache(on=ON)
    t0 = time.perf_counter()
    tallied = tally(rows(0, n), on=ON, cache=cache_t)
    tl = time.perf_counter() - t0
    print(
        f"2b. tuoyu tally (budget totals only, a count per distinct result), 1 process: {tl:.2f} s "
        f"({tl / n * 1e6:.2f} us/row incl. generation; {(tl - gen) / n * 1e6:.2f} us/row without); "
        f"equal to the totals of 2: {tallied == totals}"
    )

    if args.workers > 1:
        step = -(-n // args.workers)
        bounds = [(s, min(s + step, n)) for s in range(0, n, step)]
        t0 = time.perf_counter()
        with ProcessPoolExecutor(args.workers) as pool:
            parts = list(pool.map(_partition, bounds))
        par = time.perf_counter() - t0
        merged: Totals = {}
        for part, _, _ in parts:
            merged = merge_totals(merged, part)
        same = merged == totals
        print(
            f"3. tuoyu tally over {args.workers} processes: {par:.2f} s ({par / n * 1e6:.2f} us/row, "
            f"incl. generation and process start); merged totals equal the single run: {same}"
        )

    sample = min(args.sample, n)
    facs = [tr.Facility.model_validate(r) for r in rows(0, sample)]
    cache2 = RuleCache(on=ON)
    t0 = time.perf_counter()
    totals_fen(assess_many(facs, on=ON, output="fen", cache=cache2))
    pre = time.perf_counter() - t0
    t0 = time.perf_counter()
    for r in rows(0, sample):
        tr.Facility.model_validate(r)
    val = time.perf_counter() - t0
    print(
        f"4. on {sample:,} rows: pre-validated Facility objects {pre / sample * 1e6:.2f} us/row; "
        f"generation + Facility.model_validate alone {val / sample * 1e6:.2f} us/row"
    )

    print("\nexact totals (eligible, by payer and basis; undetermined entries counted apart):")
    for (payer, basis), t in totals.items():
        print(
            f"  {payer:<28} {basis:<16} {yuan(t.low):>22} .. {yuan(t.high):>22}  "
            f"n={t.eligible:,} open={t.undetermined:,}"
        )

    of = openfisca_run(n)
    if isinstance(of, str):
        print(f"\n5. OpenFisca: {of}")
        return 0
    print(
        f"\n5. OpenFisca vectorised (set_input + calculate of {len(of['out'])} outputs, {of['dtype']}): "
        f"{of['seconds']:.2f} s ({of['seconds'] / n * 1e6:.3f} us/row; input columns built beforehand, untimed)"
    )
    import numpy as np

    pairs = {
        "xiamen_construction_low": ("xiamen.union", "one_time", "low"),
        "xiamen_operating_low": ("xiamen.union", "per_year", "low"),
        "xiamen_operating_high": ("xiamen.union", "per_year", "high"),
        "hangzhou_puhui_low": ("hangzhou.health_commission", "per_child_month", "low"),
        "hangzhou_puhui_high": ("hangzhou.health_commission", "per_child_month", "high"),
        "cn_award_low": ("cn.acftu", "one_time", "low"),
    }
    print("   OpenFisca sums against the exact fen sums (float32 sum as numpy does it, then float64):")
    for name, (payer, basis, end) in pairs.items():
        arr = of["out"][name]
        f32 = np.sum(arr)
        f64 = np.sum(arr.astype(np.float64))
        exact = getattr(totals.get((payer, basis)), end, None) if (payer, basis) in totals else None
        exact_text = "" if exact is None else f"exact {yuan(exact)}; "
        print(f"   {name:<26} {exact_text}float32 sum {float(f32):,.2f}; float64 sum {float(f64):,.2f}")
    big = np.float32(1_000_000.01)
    print(f"   float32 cannot hold fen above 167,772.16 yuan: float32(1,000,000.01) = {float(big):,.2f}")
    print(f"\nratio OpenFisca vectorised / tuoyu 1 process: {of['seconds'] / one:.2f} (>= 1 means tuoyu is as fast)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
