"""One :class:`~tuoyu_rules.batch.RuleCache` shared by many threads gives exactly ``tr.assess``'s results.

Issue 16 (the HTTP service shares one fact-keyed cache per day across requests and threads): before the cache
took a lock around its mutations, 8 threads sharing one cache with a small ``max_leaves`` raised
``RuntimeError: dictionary changed size during iteration`` (a thread splitting a flat trie node iterated its
table while another thread stored a result in it).
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.batch import RuleCache

ON = dt.date(2024, 1, 1)
THREADS = 8


def _rows() -> list[dict[str, Any]]:
    """Facilities that differ in the facts the rules read (so the trie grows, splits flat nodes and clears)."""
    modes = ("self_run", "joint_run", "third_party", "purchased_places")
    places = 40
    rows = []
    for jurisdiction, mode, built, embedded, year, enrolled in itertools.product(
        ("xiamen", "hangzhou", "weifang", "chengdu", "siming"),
        modes,
        (False, True),
        (False, True),
        (None, 2022, 2023),
        (0, 12, 40),
    ):
        row: dict[str, Any] = {
            "jurisdiction": jurisdiction,
            "mode": mode,
            "self_built": built,
            "embedded": embedded,
            "places": places,
            "enrolled": enrolled,
        }
        if year is not None:
            row["designations"] = [{"program": "cn.caring_employer", "year": year}]
        rows.append(row)
    return rows


def _run_threads(work: Callable[[int], None]) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def target(n: int) -> None:
        try:
            barrier.wait()
            work(n)
        except BaseException as exc:  # collected, asserted on below
            errors.append(exc)

    threads = [threading.Thread(target=target, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.fixture
def switch_often() -> Iterator[None]:
    """Threads switch every microsecond (CPython's default is every 5 ms): a race shows in every run, not one in
    a hundred. Restored afterwards."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@pytest.mark.usefixtures("switch_often")
def test_eight_threads_share_one_small_cache_and_get_the_engines_results() -> None:
    """Before the lock: ``RuntimeError: dictionary changed size during iteration`` (``_explode`` iterating a flat
    node's table while another thread stored into it) in 6 runs of this test out of 6."""
    rows = _rows()
    want = [tr.assess(tr.Facility.model_validate(r), on=ON).model_dump_json() for r in rows]
    for _ in range(5):
        cache = RuleCache(on=ON, max_leaves=3)  # clears often: every clear races other threads' inserts
        got: dict[tuple[int, int], str] = {}

        def work(n: int, cache: RuleCache = cache, got: dict[tuple[int, int], str] = got) -> None:
            for k in range(len(rows) // 4):
                i = (k * (n + 1)) % len(rows)  # each thread its own order
                got[(n, i)] = cache.assess_json(rows[i])

        errors = _run_threads(work)
        assert [repr(e) for e in errors] == []
        assert {key: text for key, text in got.items() if text != want[key[1]]} == {}
        assert cache.clears > 0  # the small bound was exercised
