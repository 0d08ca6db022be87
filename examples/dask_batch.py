"""A partitioned batch on a local Dask cluster: exact totals in fen, and every row's assessment as NDJSON.

What it shows: ``tuoyu_rules.batch`` partitions cleanly, so Dask (or any engine that maps a function over
partitions and reduces the results) runs it over many cores or machines, with the same results as one
process, to the fen.

* Input: facility rows as NDJSON files (one JSON object a line), ``--files`` of them with ``--rows`` rows
  each, written by this script from a fixed seed. ``dask.bag.read_text`` makes one partition per file (or
  per block of a large file); nothing else travels from the client to the workers.
* Totals: ``bag.reduction(partial(tally_partition, on=ON), partial(reduce, merge_totals))``. Each partition
  is validated row by row (``Facility``'s own JSON validator) and tallied by ``tuoyu_rules.batch.tally``; the
  per-partition totals, exact integers of fen by (payer, basis), are merged in any order and grouping
  (``merge_totals`` is associative and commutative).
* The memo: ``tally`` remembers the engine's results keyed by the facts the rules read (``RuleCache``). A
  cache per partition works, but each partition would then pay for its own engine runs (a miss costs about
  0.2 ms; a 25,000-row partition of this data has about a thousand). So the caller registers a worker plugin,
  ``RuleCaches``, that keeps one ``RuleCache`` per worker thread for the worker's life: partitions on the same
  worker share it. The cache is owned by the run (the plugin), never by a module.
* Per-row output: ``bag.map_partitions(partial(assess_partition, on=ON, output="ndjson")).to_textfiles(...)``
  writes, for each row, the same JSON text as ``tr.assess(Facility.model_validate(row), on=ON)
  .model_dump_json()``, about 10 KB a row with its explanation; the example does it for ``--sample`` rows.
* Checks: the cluster's totals equal one process's ``tally`` over the same files, and every line written
  equals ``tr.assess`` of its row.

Install Dask (an optional dependency; nothing in tuoyu_rules imports it)::

    pip install "dask[distributed]"        # or: pip install -e '.[dask]' once the project has the extra

Run::

    python examples/dask_batch.py                      # 2 worker processes, 4 files x 25,000 rows
    python examples/dask_batch.py --threads            # 2 workers as threads of one process (processes=False)
    python examples/dask_batch.py --files 8 --rows 100000 --workers 4 --out /tmp/tuoyu-dask

Without Dask the script says how to install it and exits with status 2. Pass ``--scheduler ADDRESS`` to use
an existing cluster (every worker needs tuoyu_rules installed, and the files on a path it can read).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from decimal import Decimal
from functools import partial, reduce
from pathlib import Path
from typing import Any

import tuoyu_rules as tr
from tuoyu_rules.batch import RuleCache, Totals, assess_partition, merge_totals, tally

try:
    from dask.distributed import WorkerPlugin  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # Dask is optional: main() says how to install it
    WorkerPlugin = object  # type: ignore[assignment,misc,unused-ignore]

ON = dt.date(2024, 1, 1)
CITIES = ("xiamen", "hangzhou", "siming", "weifang", "qianan", "chengdu", "nanning")
MODES = ("self_run", "joint_run", "third_party", "purchased_places", "park_shared", "community_co_built", "union_venue")
INSTALL = 'Dask is not installed: pip install "dask[distributed]" (an optional dependency of this example only)'


def facility_rows(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` facility rows as JSON data, from a fixed seed (cities, modes, designations of 2022-2024)."""
    known = set(tr.list_jurisdictions())
    cities = [c for c in CITIES if c in known] or [tr.list_jurisdictions()[0]]
    r = random.Random(seed)
    out = []
    for _ in range(count):
        city = r.choice(cities)
        places = r.randrange(0, 200)
        designations = []
        if r.random() < 0.2:
            designations.append({"program": "cn.caring_employer", "year": r.choice((2022, 2023, 2024))})
        if city == "hangzhou" and r.random() < 0.5:
            designations.append({"program": "hangzhou.puhui", "year": r.choice((2022, 2023))})
        out.append(
            {
                "jurisdiction": city,
                "mode": r.choice(MODES),
                "self_built": r.random() < 0.5,
                "embedded": r.random() < 0.5,
                "places": places,
                "enrolled": r.randrange(0, places + 1),
                "designations": designations,
            }
        )
    return out


def write_inputs(directory: Path, files: int, rows: int) -> list[Path]:
    """Write ``files`` NDJSON files of ``rows`` facility rows each; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(files):
        path = directory / f"facilities-{i:03d}.ndjson"
        with path.open("w", encoding="utf-8") as out:
            for row in facility_rows(rows, seed=20240101 + i):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths


def yuan(fen: int | None) -> str:
    return "unbounded" if fen is None else f"{Decimal(fen) / 100:,.2f}"


PLUGIN = "tuoyu-rule-caches"


class RuleCaches(WorkerPlugin):  # type: ignore[misc,valid-type,unused-ignore]
    """One :class:`RuleCache` per worker thread, kept for the worker's life: its partitions share one trie.

    Registered by the caller (``client.register_plugin``), so the cache belongs to the run, not to a module:
    a partition that lands on a worker which already assessed others starts with their results (fewer engine
    runs), and each thread has its own cache (a ``RuleCache`` is not thread-safe).
    """

    name = PLUGIN

    def __init__(self, on: dt.date, max_leaves: int = 100_000) -> None:
        self.on = on
        self.max_leaves = max_leaves
        self.caches: dict[int, RuleCache] = {}

    def setup(self, worker: Any) -> None:
        self.caches = {}

    def cache(self, on: dt.date) -> RuleCache | None:
        if on != self.on:
            return None
        return self.caches.setdefault(threading.get_ident(), RuleCache(on=on, max_leaves=self.max_leaves))


def worker_cache(on: dt.date) -> RuleCache | None:
    """This worker thread's cache for ``on``, when the plugin is registered (None: a cache per partition)."""
    try:
        from dask.distributed import get_worker  # type: ignore[import-not-found,unused-ignore]

        plugin = get_worker().plugins.get(PLUGIN)
    except (ImportError, ValueError):  # not on a Dask worker
        return None
    return plugin.cache(on) if isinstance(plugin, RuleCaches) else None


def cache_counts(dask_worker: Any) -> tuple[int, int]:
    """(hits, misses) of a worker's caches (for ``client.run``)."""
    plugin = dask_worker.plugins.get(PLUGIN)
    caches = plugin.caches.values() if isinstance(plugin, RuleCaches) else ()
    return sum(c.hits for c in caches), sum(c.misses for c in caches)


def tally_partition(lines: Iterable[str], *, on: dt.date) -> Totals:
    """``tally`` of one partition's NDJSON lines with the worker's cache: the ``perpartition`` of the reduction."""
    return tally(lines, on=on, cache=worker_cache(on))


def run(
    *,
    files: int = 4,
    rows: int = 25_000,
    workers: int = 2,
    processes: bool = True,
    sample: int = 2_000,
    out: Path | None = None,
    scheduler: str | None = None,
    quiet: bool = False,
) -> dict[str, Any]:
    """Run the example; return what it checked (the tests call this with a small input and threads)."""
    import dask.bag as db  # type: ignore[import-not-found,unused-ignore]
    from dask.distributed import Client, LocalCluster  # type: ignore[import-not-found,unused-ignore]

    say = (lambda *a: None) if quiet else print
    with tempfile.TemporaryDirectory(prefix="tuoyu-dask-") as tmp:
        base = out if out is not None else Path(tmp)
        paths = write_inputs(base / "input", files, rows)
        n = files * rows
        say(f"{n:,} facility rows in {files} NDJSON files under {base / 'input'}")

        cluster = None
        if scheduler is None:
            # One thread per worker; processes=False runs the workers as threads of this process.
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=None)
        with Client(scheduler or cluster) as client:
            say(f"cluster: {client}")
            client.register_plugin(RuleCaches(ON))
            lines = db.read_text([str(p) for p in paths])  # one partition per file; rows are JSON text
            t0 = time.perf_counter()
            # Totals: a tally per partition, merged exactly in any grouping (a tree reduction here).
            totals: Totals = lines.reduction(
                partial(tally_partition, on=ON), partial(reduce, merge_totals), split_every=8
            ).compute()
            seconds = time.perf_counter() - t0
            counts = client.run(cache_counts).values()
            hits, misses = sum(h for h, _ in counts), sum(m for _, m in counts)
            say(
                f"cluster totals: {seconds:.2f} s ({seconds / n * 1e6:.2f} us/row, incl. scheduling); "
                f"worker caches: {hits:,} hits, {misses:,} engine runs"
            )
            # Every row's full assessment as NDJSON (about 10 KB a row with its explanation), for a sample.
            head = paths[0].read_text(encoding="utf-8").splitlines()[:sample]
            written = (
                db.from_sequence(head, npartitions=max(1, min(workers, len(head))))
                .map_partitions(partial(assess_partition, on=ON, output="ndjson"))
                .to_textfiles(str(base / "assessed" / "*.ndjson"), last_endline=True)
            )
        if cluster is not None:
            cluster.close()

        t0 = time.perf_counter()
        single: Totals = {}
        one_cache = RuleCache(on=ON)
        for path in paths:
            with path.open(encoding="utf-8") as f:
                single = merge_totals(single, tally(f, on=ON, cache=one_cache))
        say(f"one process, same files, one cache: {time.perf_counter() - t0:.2f} s")
        same_totals = totals == single

        got_lines = [line for path in sorted(written) for line in Path(path).read_text(encoding="utf-8").splitlines()]
        same_rows = len(got_lines) == len(head) and all(
            got == tr.assess(tr.Facility.model_validate_json(line), on=ON).model_dump_json()
            for line, got in zip(head, got_lines, strict=True)
        )

    say(f"\nexact totals on {ON} (eligible amounts by payer and basis; undetermined entries counted apart):")
    for (payer, basis), t in totals.items():
        bounds = f"{yuan(t.low):>20} .. {yuan(t.high):>20}"
        say(f"  {payer:<28} {basis:<16} {bounds}  n={t.eligible:,} open={t.undetermined:,}")
    say(f"\ncluster totals equal one process's: {same_totals}")
    say(f"rows assessed to NDJSON: {len(got_lines):,}; each equal to tr.assess(...).model_dump_json(): {same_rows}")
    return {
        "rows": n,
        "totals": totals,
        "same_totals": same_totals,
        "same_rows": same_rows,
        "assessed_lines": len(got_lines),
        "seconds": seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4, help="NDJSON input files, one partition each (4)")
    parser.add_argument("--rows", type=int, default=25_000, help="rows per file (25,000)")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes (2)")
    parser.add_argument("--threads", action="store_true", help="one process with worker threads (processes=False)")
    parser.add_argument("--sample", type=int, default=2_000, help="rows of the first file assessed to NDJSON (2,000)")
    parser.add_argument("--out", type=Path, help="keep the input and output files here (default: a temp dir)")
    parser.add_argument("--scheduler", help="address of an existing Dask scheduler instead of a local cluster")
    args = parser.parse_args(argv)
    try:
        import dask.bag  # type: ignore[import-not-found,unused-ignore]
        import dask.distributed  # type: ignore[import-not-found,unused-ignore]  # noqa: F401
    except ImportError:
        print(INSTALL, file=sys.stderr)
        return 2
    result = run(
        files=args.files,
        rows=args.rows,
        workers=args.workers,
        processes=not args.threads,
        sample=args.sample,
        out=args.out,
        scheduler=args.scheduler,
    )
    return 0 if result["same_totals"] and result["same_rows"] else 1


if __name__ == "__main__":
    sys.exit(main())
