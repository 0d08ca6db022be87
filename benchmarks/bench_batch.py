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
   compared with the exact ones, in fen;
6. the columnar path (``tuoyu_rules.batch.columns.tally_columns``) on the same rows as columns (what OpenFisca's
   run takes: integer and boolean arrays, categories as codes), in chunks of ``--chunk`` rows: with a fresh
   cache (every engine run included; best of 3, a fresh cache each time), with a cache warmed on other rows
   (a different seed: the steady state of a long run), and the best of 3 on the same rows; building the
   columns from the rows timed apart, as OpenFisca's is; a streamed run with the chunks built on the fly
   (the time producing each chunk subtracted), with peak RSS; totals checked equal to 2.

Never run as a unit test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
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

try:
    from tuoyu_rules.batch.columns import Coded, check_columns, tally_columns
except ImportError:  # a tree before the batch subpackage (commit 703512a and earlier): the same script runs on it
    from tuoyu_rules.columns import Coded, check_columns, tally_columns  # type: ignore[import-not-found,no-redef]

ON = dt.date(2024, 1, 1)
MONTH = "2024-01"
MODES = ("self_run", "joint_run", "third_party", "purchased_places", "park_shared", "community_co_built", "union_venue")


def cities() -> tuple[str, ...]:
    wanted = ("xiamen", "hangzhou", "weifang", "qianan", "chengdu", "nanning", "siming")
    known = set(tr.list_jurisdictions())
    return tuple(c for c in wanted if c in known and tr.get_policy(c).level in ("city", "district"))


BLOCK = 1024
"""Rows are drawn in blocks of this many from one seeded generator each (row ``i`` is the same in any slice)."""


def rows(start: int, stop: int, seed: int = 20240101) -> Iterator[dict[str, Any]]:
    """Facility rows ``start`` to ``stop`` of a fixed pseudo-random sequence (JSON data, as ``json.loads`` gives)."""
    jur = cities()
    for block in range(start // BLOCK, -(-stop // BLOCK)):
        r = random.Random(seed * 1_000_003 + block)
        rand, randrange, choice = r.random, r.randrange, r.choice
        first = block * BLOCK
        for i in range(first, first + BLOCK):
            city = jur[randrange(len(jur))] if rand() < 0.5 else ("xiamen", "hangzhou")[i % 2]
            if city not in jur:
                city = jur[0]
            places = randrange(0, 200)
            designations = []
            if rand() < 0.2:
                designations.append({"program": "cn.caring_employer", "year": choice((2022, 2023, 2024))})
            if city == "hangzhou" and rand() < 0.5:
                designations.append({"program": "hangzhou.puhui", "year": choice((2022, 2023))})
            row = {
                "jurisdiction": city,
                "mode": MODES[randrange(len(MODES))],
                "self_built": rand() < 0.5,
                "embedded": rand() < 0.5,
                "places": places,
                "enrolled": randrange(0, places + 1),
                "designations": designations,
            }
            if start <= i < stop:
                yield row


def lines(start: int, stop: int) -> Iterator[bytes]:
    """The same rows as NDJSON lines (bytes), validated by ``Facility``'s JSON validator."""
    dumps = json.dumps
    for row in rows(start, stop):
        yield dumps(row).encode()


def column_chunks(start: int, stop: int, size: int, seed: int = 20240101) -> Iterator[dict[str, Any]]:
    """The same rows as chunks of columns: numpy integer and boolean arrays, categories dictionary-encoded.

    Row ``i`` of a chunk stands for exactly the JSON row ``rows(...)`` gives (``tuoyu_rules.batch.columns.rows_of``).
    """
    import numpy as np

    jur = list(cities())
    jur_code = {c: i for i, c in enumerate(jur)}
    mode_code = {m: i for i, m in enumerate(MODES)}
    lists: dict[tuple[tuple[str, int], ...], int] = {}
    distinct: list[list[dict[str, Any]]] = []
    for first in range(start, stop, size):
        last = min(first + size, stop)
        j, m, sb, em, pl, en, ds = ([] for _ in range(7))
        for row in rows(first, last, seed):
            j.append(jur_code[row["jurisdiction"]])
            m.append(mode_code[row["mode"]])
            sb.append(row["self_built"])
            em.append(row["embedded"])
            pl.append(row["places"])
            en.append(row["enrolled"])
            key = tuple((d["program"], d["year"]) for d in row["designations"])
            code = lists.get(key)
            if code is None:
                code = lists[key] = len(distinct)
                distinct.append(row["designations"])
            ds.append(code)
        yield {
            "jurisdiction": Coded(np.array(j, dtype=np.int8), jur),
            "mode": Coded(np.array(m, dtype=np.int8), list(MODES)),
            "self_built": np.array(sb, dtype=bool),
            "embedded": np.array(em, dtype=bool),
            "places": np.array(pl, dtype=np.int32),
            "enrolled": np.array(en, dtype=np.int32),
            "designations": Coded(np.array(ds, dtype=np.int16), list(distinct)),
        }


def timed(chunks: Iterator[dict[str, Any]], spent: list[float]) -> Iterator[dict[str, Any]]:
    """``chunks``, adding to ``spent[0]`` the time spent producing each one (so that it can be subtracted)."""
    while True:
        t0 = time.perf_counter()
        try:
            item = next(chunks)
        except StopIteration:
            spent[0] += time.perf_counter() - t0
            return
        spent[0] += time.perf_counter() - t0
        yield item


def columns_run(n: int, chunk: int, totals: Totals, gen_seconds: float) -> dict[str, Any] | str:
    """Section 6: the columnar path on the same rows (``gen_seconds``: drawing the rows, not counted)."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        return "numpy is not installed; the columnar benchmark needs it"
    # One-time set-up, outside every timing as OpenFisca's build_system() is: the column checker's validators
    # (a TypeAdapter per Facility field) are built on first use.
    check_columns({"jurisdiction": ["xiamen"], "mode": ["self_run"], "places": [1], "enrolled": [0]})
    rss0 = peak_rss_mb()  # first the stream: chunks built on the fly, one at a time in memory
    producing = [0.0]
    t0 = time.perf_counter()
    streamed = tally_columns(timed(column_chunks(0, n, chunk), producing), on=ON, backend="numpy")
    stream = time.perf_counter() - t0 - producing[0]  # the time spent drawing and building each chunk, exactly
    rss1 = peak_rss_mb()
    t0 = time.perf_counter()
    chunks = list(column_chunks(0, n, chunk))
    build = time.perf_counter() - t0 - gen_seconds
    cold = float("inf")
    for _ in range(3):  # the best of 3 runs, each with a fresh cache (every engine run included each time)
        fresh = RuleCache(on=ON)
        gc.collect()
        t0 = time.perf_counter()
        cold_totals = tally_columns(chunks, on=ON, cache=fresh, backend="numpy")
        cold = min(cold, time.perf_counter() - t0)
    other = RuleCache(on=ON)
    tally_columns(column_chunks(0, n, chunk, seed=7), on=ON, cache=other, backend="numpy")
    misses_before = other.misses
    gc.collect()
    t0 = time.perf_counter()
    warm_totals = tally_columns(chunks, on=ON, cache=other, backend="numpy")
    warm = time.perf_counter() - t0
    warm_misses = other.misses - misses_before
    best = float("inf")
    for _ in range(3):
        gc.collect()
        t0 = time.perf_counter()
        again = tally_columns(chunks, on=ON, cache=fresh, backend="numpy")
        best = min(best, time.perf_counter() - t0)
    del chunks
    equal = cold_totals == totals and warm_totals == totals and again == totals and streamed == totals
    return {
        "build": build,
        "cold": cold,
        "cold_misses": fresh.misses,
        "warm": warm,
        "warm_misses": warm_misses,
        "best": best,
        "stream": stream,
        "rss": (rss0, rss1),
        "equal": equal,
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _partition(bounds: tuple[int, int]) -> tuple[Totals, int, int]:
    cache = RuleCache(on=ON)
    totals = tally(rows(*bounds), on=ON, cache=cache)
    return totals, cache.hits, cache.misses


def yuan(fen: int | None) -> str:
    return "unbounded" if fen is None else f"{Decimal(fen) / 100:,.2f}"


def openfisca_run(n: int, gen_seconds: float) -> dict[str, Any] | str:
    try:
        import numpy as np
        import openfisca_model as om
    except ImportError as exc:
        return f"openfisca-core is not installed ({exc}); install the bench extra"
    from openfisca_core.indexed_enums import EnumArray

    system = om.build_system()
    city_codes = {"xiamen": 1, "siming": 1, "hangzhou": 2}  # Siming is a district of Xiamen
    mode_codes = {m: i for i, m in enumerate(MODES)}
    # Building OpenFisca's input columns from the same rows (timed apart: its vectorised run needs them).
    t0 = time.perf_counter()
    city, mode, self_built, embedded, places, enrolled, cn_year, hz_year = ([] for _ in range(8))
    for row in rows(0, n):
        city.append(city_codes.get(row["jurisdiction"], 0))
        mode.append(mode_codes[row["mode"]])
        self_built.append(row["self_built"])
        embedded.append(row["embedded"])
        places.append(row["places"])
        enrolled.append(row["enrolled"])
        cn, hz = 0, 0
        for d in row["designations"]:
            if d["program"] == "cn.caring_employer":
                cn = d["year"]
            else:
                hz = d["year"]
        cn_year.append(cn)
        hz_year.append(hz)
    cols: dict[str, Any] = {
        "city": EnumArray(np.array(city, dtype=np.int16), om.City),  # enum inputs: EnumArrays of indices
        "mode": EnumArray(np.array(mode, dtype=np.int16), om.Mode),
        "self_built": np.array(self_built, dtype=bool),
        "embedded": np.array(embedded, dtype=bool),
        "places": np.array(places, dtype=np.int32),
        "enrolled": np.array(enrolled, dtype=np.int32),
        "cn_caring_employer_year": np.array(cn_year, dtype=np.int32),
        "hangzhou_puhui_year": np.array(hz_year, dtype=np.int32),
    }
    columns = time.perf_counter() - t0 - gen_seconds
    del city, mode, self_built, embedded, places, enrolled, cn_year, hz_year
    best = float("inf")
    out: dict[str, Any] = {}
    for _ in range(3):  # the best of 3 vectorised runs
        gc.collect()
        t0 = time.perf_counter()
        out = om.assess_vectorised(system, cols, MONTH)
        best = min(best, time.perf_counter() - t0)
    return {"seconds": best, "columns": columns, "out": out, "dtype": str(out["cn_award_low"].dtype)}


def us(seconds: float, n: int) -> str:
    return f"{seconds / n * 1e6:.2f} us/row"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="batch benchmark")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=100_000, help="rows for the pre-validated measurement")
    parser.add_argument("--chunk", type=int, default=1 << 18, help="rows per chunk of the columnar path")
    parser.add_argument("--columns-only", action="store_true", help="skip sections 2b-4 (the row paths)")
    args = parser.parse_args(argv)
    n = args.n
    print(
        f"date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M UTC}; python {sys.version.split()[0]}; "
        f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}; n={n:,}; on={ON}"
    )
    print(f"cities drawn: {', '.join(cities())}")
    figures: dict[str, float] = {}

    t0 = time.perf_counter()
    for _ in rows(0, n):
        pass
    gen = time.perf_counter() - t0
    print(f"\n1. generating {n:,} rows alone: {gen:.2f} s ({us(gen, n)}); subtracted from the figures below")

    rss0 = peak_rss_mb()
    cache = RuleCache(on=ON)
    t0 = time.perf_counter()
    totals = totals_fen(assess_many(rows(0, n), on=ON, output="fen", cache=cache))
    one = time.perf_counter() - t0 - gen
    rss1 = peak_rss_mb()
    figures["assess_many"] = one
    print(
        f"2. assess_many(output='fen') + totals_fen, 1 process, JSON rows: {one:.2f} s ({us(one, n)}); "
        f"cache hits {cache.hits:,}, misses {cache.misses:,}, designation lists kept {len(cache._designations)}; "
        f"peak RSS {rss0:.0f} -> {rss1:.0f} MB"
    )

    if args.columns_only:
        return finish(args, n, gen, totals, figures)
    cache_t = RuleCache(on=ON)
    t0 = time.perf_counter()
    tallied = tally(rows(0, n), on=ON, cache=cache_t)
    tl = time.perf_counter() - t0 - gen
    figures["tally"] = tl
    print(f"2b. tally (totals only), 1 process, JSON rows: {tl:.2f} s ({us(tl, n)}); equal to 2: {tallied == totals}")

    t0 = time.perf_counter()
    for _ in lines(0, n):
        pass
    gen_lines = time.perf_counter() - t0
    t0 = time.perf_counter()
    tallied_text = tally(lines(0, n), on=ON)
    tt = time.perf_counter() - t0 - gen_lines
    figures["tally_text"] = tt
    print(
        f"2c. tally, NDJSON lines (Facility's JSON validator): {tt:.2f} s ({us(tt, n)}; making the lines "
        f"{us(gen_lines, n)}, subtracted); equal to 2: {tallied_text == totals}"
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
        figures["workers"] = par - gen / args.workers
        print(
            f"3. tally over {args.workers} processes: {par:.2f} s wall incl. generation and process start "
            f"({us(par - gen / args.workers, n)} without generation); merged totals equal 2: {merged == totals}"
        )

    sample = min(args.sample, n)
    warm = RuleCache(on=ON)
    facs = [warm.facility(r) for r in rows(0, sample)]
    tally(facs, on=ON, cache=warm)  # the trie now holds every path of the sample: no misses below
    t0 = time.perf_counter()
    tally(facs, on=ON, cache=warm)
    pre = time.perf_counter() - t0
    del facs
    cold = RuleCache(on=ON)
    t0 = time.perf_counter()
    for r in rows(0, sample):
        cold.facility(r)
    val = time.perf_counter() - t0 - gen * sample / n
    t0 = time.perf_counter()
    for r in rows(0, sample):
        tr.Facility.model_validate(r)
    val_plain = time.perf_counter() - t0 - gen * sample / n
    print(
        f"4. on {sample:,} rows: validation alone, RuleCache.facility {us(val, sample)} "
        f"(Facility.model_validate {us(val_plain, sample)}); tally of validated Facility objects, all hits "
        f"{us(pre, sample)}; a miss costs a traced engine run, {cache.misses:,} of them in 2"
    )

    return finish(args, n, gen, totals, figures)


def finish(args: argparse.Namespace, n: int, gen: float, totals: Totals, figures: dict[str, float]) -> int:
    print("\nexact totals (eligible, by payer and basis; undetermined entries counted apart):")
    for (payer, basis), t in totals.items():
        print(
            f"  {payer:<28} {basis:<16} {yuan(t.low):>22} .. {yuan(t.high):>22}  "
            f"n={t.eligible:,} open={t.undetermined:,}"
        )

    col = columns_run(n, args.chunk, totals, gen)
    if isinstance(col, str):
        print(f"\n6. columns: {col}")
    else:
        stream = col["stream"]
        figures["columns_cold"] = col["cold"]
        figures["columns_warm"] = col["warm"]
        figures["columns_best"] = col["best"]
        figures["columns_stream"] = stream
        print(
            f"\n6. columns (tally_columns, numpy backend, chunks of {args.chunk:,} rows), totals equal to 2: "
            f"{col['equal']}\n"
            f"   building the columns from the same rows (drawing the rows subtracted, as for OpenFisca's): "
            f"{col['build']:.2f} s ({us(col['build'], n)}); not counted, as OpenFisca's is not\n"
            f"   fresh cache, best of 3 (each run with all {col['cold_misses']:,} engine runs): {col['cold']:.3f} s "
            f"({col['cold'] / n * 1e6:.3f} us/row)\n"
            f"   cache warmed on other rows (seed 7; {col['warm_misses']:,} engine runs left): {col['warm']:.3f} s "
            f"({col['warm'] / n * 1e6:.3f} us/row)\n"
            f"   best of 3, same rows again: {col['best']:.3f} s ({col['best'] / n * 1e6:.3f} us/row)\n"
            f"   streamed (chunks built on the fly, fresh cache), the time producing each chunk subtracted: "
            f"{stream:.3f} s ({stream / n * 1e6:.3f} us/row); peak RSS {col['rss'][0]:.0f} -> {col['rss'][1]:.0f} MB"
        )

    of = openfisca_run(n, gen)
    if isinstance(of, str):
        print(f"\n5. OpenFisca: {of}")
        return 0
    print(
        f"\n5. OpenFisca vectorised (set_input + calculate of {len(of['out'])} outputs, {of['dtype']}, best of 3): "
        f"{of['seconds']:.3f} s ({of['seconds'] / n * 1e6:.3f} us/row); building its input columns from the same "
        f"rows: {of['columns']:.2f} s ({us(of['columns'], n)})"
    )
    import numpy as np

    pairs = {  # OpenFisca's output: the exact totals it is compared with (payers by prefix, one basis, one end)
        "xiamen_construction_low": ("xiamen.union", "one_time", "low"),
        "xiamen_operating_low": ("xiamen.union", "per_year", "low"),
        "xiamen_operating_high": ("xiamen.union", "per_year", "high"),
        "hangzhou_puhui_total_low": ("hangzhou.health_commission", "per_month", "low"),  # rate times enrolled
        "hangzhou_puhui_total_high": ("hangzhou.health_commission", "per_month", "high"),
        "cn_award_low": ("cn.acftu", "one_time", "low"),  # the 2023 batch's joint payer cn.acftu+<province>.union too
    }
    print("   OpenFisca sums against the exact fen sums (float32 sum as numpy does it, then float64):")
    for name, (payer, basis, end) in pairs.items():
        arr = of["out"][name]
        f32 = np.sum(arr)
        f64 = np.sum(arr.astype(np.float64))
        found = [
            getattr(t, end) for (p, b), t in totals.items() if b == basis and (p == payer or p.startswith(payer + "+"))
        ]
        exact = None if not found or None in found else sum(found)
        exact_text = "" if exact is None else f"exact {yuan(exact)}; "
        print(f"   {name:<26} {exact_text}float32 sum {float(f32):,.2f}; float64 sum {float(f64):,.2f}")
    big = np.float32(1_000_000.01)
    print(f"   float32 cannot hold fen above 167,772.16 yuan: float32(1,000,000.01) = {float(big):,.2f}")
    vec = of["seconds"]
    e2e = of["seconds"] + of["columns"]
    print("\nratio tuoyu / OpenFisca (time per row; <= 1 would meet 'at least as fast'):")
    for label, key in (
        ("assess_many, 1 process", "assess_many"),
        ("tally, 1 process", "tally"),
        ("tally, NDJSON lines", "tally_text"),
        (f"tally, {args.workers} processes", "workers"),
        ("columns, fresh cache", "columns_cold"),
        ("columns, warmed cache", "columns_warm"),
        ("columns, best of 3", "columns_best"),
        ("columns, streamed", "columns_stream"),
    ):
        if key in figures:
            print(
                f"  {label:<24} {figures[key] / vec:6.2f}x OpenFisca's vectorised run; "
                f"{figures[key] / e2e:5.2f}x its run plus building its columns from the same rows"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
