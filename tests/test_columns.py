"""The column path judges rows exactly as Facility does and totals exactly what tr.assess gives, row by row."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import tuoyu_rules as tr
import tuoyu_rules.batch.cache as cache_module
import tuoyu_rules.batch.walk as walk_module
from strategies import dates, facility_data, facility_jurisdictions
from tuoyu_rules.batch import FenTotal, RuleCache
from tuoyu_rules.batch.backends import _Column, _Numpy
from tuoyu_rules.batch.columns import (
    Coded,
    ColumnRowError,
    RowProblem,
    check_columns,
    coded,
    problems_of,
    rows_of,
    tally_columns,
)
from tuoyu_rules.core.models import CROSS_FIELD_LIMITS, MAX_PLACES

try:
    import numpy as np  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # the python backend is tested either way
    np = None  # type: ignore[assignment,unused-ignore]

BACKENDS = ["python"] + (["numpy"] if np is not None else [])
WALKS = ["facts", "nodes"]
"""The two walks of the trie: grouped by every field read (the default), and node by node (its fallback)."""


@contextlib.contextmanager
def walking(walk: str) -> Iterator[None]:
    """Run the column path with one walk of the trie (a context, as hypothesis tests take no function fixture)."""
    before = walk_module._BY_FACTS
    walk_module._BY_FACTS = walk == "facts"
    try:
        yield
    finally:
        walk_module._BY_FACTS = before


ON = dt.date(2024, 1, 1)

# -- drawing columns: valid, boundary and invalid values of every field -----------------------------------

COUNT = st.one_of(
    st.integers(min_value=0, max_value=30),
    st.sampled_from([-1, 0, 1, MAX_PLACES - 1, MAX_PLACES, MAX_PLACES + 1]),
    st.sampled_from([True, 3.0, "5", None]),
)
FLAG = st.one_of(st.booleans(), st.sampled_from([None, 0, 1, "true"]))
CLASSES = st.one_of(
    st.none(),
    st.lists(st.integers(min_value=0, max_value=12), max_size=4),
    st.lists(st.integers(min_value=1, max_value=12), max_size=4).map(tuple),
    st.sampled_from([[MAX_PLACES], [MAX_PLACES + 1], "x", [True]]),
)


@st.composite
def designation_lists(draw: st.DrawFn) -> Any:
    ids = ["cn.caring_employer", "hangzhou.puhui", "xiamen.nope", "fujian.caring_employer"]
    out: list[Any] = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        item: dict[str, Any] = {
            "program": draw(st.sampled_from(ids)),
            "year": draw(st.sampled_from([2022, 2023, 2024, 1948, 2101, "2023"])),
        }
        if draw(st.booleans()):
            item["amount"] = draw(st.sampled_from([100000, "100000", Decimal("1E+5"), "0.001", -5, 10**12]))
        out.append(item)
    return draw(st.sampled_from([out, tuple(out), out, "x", None]))


def field_values() -> dict[str, st.SearchStrategy[Any]]:
    jurisdictions = list(facility_jurisdictions())
    return {
        "jurisdiction": st.sampled_from([*jurisdictions, "fujian", "cn", "nowhere", 5]),
        "mode": st.sampled_from([*tr.MODES, "bogus", None]),
        "self_built": FLAG,
        "places": COUNT,
        "enrolled": COUNT,
        "embedded": FLAG,
        "designations": designation_lists(),
        "name": st.sampled_from([None, "a", "x" * 200, "x" * 201, 5]),
        "full_day": FLAG,
        "first_intake": COUNT,
        "staff_puhui_fees": FLAG,
        "classes": CLASSES,
        "registered": FLAG,
        "filed": FLAG,
        "full_day_enrolled": COUNT,
        "staff_children": COUNT,
        "union_dues_paid": FLAG,
        "alliance_member": FLAG,
        "bogus": st.just(1),
    }


REQUIRED = ("jurisdiction", "mode", "places", "enrolled")


@st.composite
def raw_columns(draw: st.DrawFn) -> dict[str, list[Any]]:
    """Columns as lists of raw JSON values: mostly rows near validity, with invalid and boundary values."""
    n = draw(st.integers(min_value=1, max_value=12))
    strategies = field_values()
    names = [name for name in REQUIRED if draw(st.integers(0, 19)) > 0]  # a required column sometimes missing
    names += draw(st.lists(st.sampled_from(sorted(set(strategies) - set(REQUIRED))), unique=True, max_size=6))
    if draw(st.integers(0, 9)) == 0:
        names.append("bogus")
    columns: dict[str, list[Any]] = {}
    for name in dict.fromkeys(names):
        columns[name] = [draw(strategies[name]) for _ in range(n)]
    return columns


@st.composite
def valid_columns(draw: st.DrawFn) -> dict[str, list[Any]]:
    """Columns of valid facilities (the strategies' own), and now and then a refused row among them."""
    rows = draw(st.lists(facility_data(), min_size=1, max_size=10))
    names = list(dict.fromkeys(name for row in rows for name in row))
    for row in rows:
        for name in names:
            row.setdefault(name, field_default(name))
    if draw(st.booleans()):
        rows[draw(st.integers(0, len(rows) - 1))]["enrolled"] = MAX_PLACES + 1
    return {name: [row[name] for row in rows] for name in names}


def field_default(name: str) -> Any:
    return tr.Facility.model_fields[name].get_default(call_default_factory=True)


def encoded(columns: dict[str, list[Any]], form: str) -> dict[str, Any]:
    """The same columns as lists, dictionary-encoded, or numpy arrays where the values allow it."""
    if form == "list":
        return dict(columns)
    if form == "coded":
        return {name: coded(values) for name, values in columns.items()}
    out: dict[str, Any] = {}
    for name, values in columns.items():
        if np is not None and all(type(v) is bool for v in values):
            out[name] = np.array(values, dtype=bool)
        elif np is not None and all(type(v) is int for v in values) and all(abs(v) < 2**62 for v in values):
            out[name] = np.array(values, dtype=np.int64)
        else:
            out[name] = coded(values)
    return out


def facility_verdict(row: dict[str, Any]) -> frozenset[str] | None:
    try:
        tr.Facility.model_validate(row)
    except ValidationError as exc:
        return frozenset(str(e["loc"][0]) for e in exc.errors())
    return None


def reference_totals(rows: list[dict[str, Any]], on: dt.date) -> dict[tuple[str, str], FenTotal]:
    """A straightforward loop: tr.assess per valid row, its entries summed in integer fen."""
    acc: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        try:
            facility = tr.Facility.model_validate(row)
        except ValidationError:
            continue
        a = tr.assess(facility, on=on)
        for e in [*a.entitlements, *a.obligations]:
            # Issue 13: totals, never rates. A per-child-month entry adds its monthly sum (rate times children)
            # under per_month, with its children counted; with no count supplied it is open, never 0.
            per_child = e.basis == "per_child_month"
            t = acc.setdefault((e.payer, "per_month" if per_child else e.basis), [0, 0, 0, 0, 0])
            if e.status == "eligible" and not (per_child and e.children is None):
                t[0] += int(e.total.low * 100)
                t[1] = None if t[1] is None or e.total.high is None else t[1] + int(e.total.high * 100)
                t[2] += 1
                t[4] += e.children or 0
            elif e.status != "ineligible":
                t[3] += 1
    return {k: FenTotal(*acc[k]) for k in sorted(acc)}


# -- the checker's verdict is Facility's --------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("form", ["list", "coded", "arrays"])
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(columns=raw_columns())
def test_verdict_per_row_is_facility_model_validate(columns: dict[str, list[Any]], form: str, backend: str) -> None:
    chunk = encoded(columns, form)
    rows = list(rows_of(chunk))
    verdict = check_columns(chunk, backend=backend)  # type: ignore[arg-type]
    for i, row in enumerate(rows):
        assert verdict.get(i) == facility_verdict(row), (i, row)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(columns=valid_columns())
def test_verdict_on_drawn_facilities(columns: dict[str, list[Any]], backend: str) -> None:
    chunk = encoded(columns, "arrays")
    verdict = check_columns(chunk, backend=backend)  # type: ignore[arg-type]
    for i, row in enumerate(rows_of(chunk)):
        assert verdict.get(i) == facility_verdict(row)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(columns=raw_columns())
def test_reported_problems_are_facility_errors(columns: dict[str, list[Any]]) -> None:
    chunk = encoded(columns, "coded")
    problems: list[RowProblem] = []
    tally_columns([chunk, chunk], on=ON, on_error="skip", problems=problems)
    n = len(next(iter(columns.values())))
    want: list[RowProblem] = []
    for offset in (0, n):
        for i, row in enumerate(rows_of(chunk)):
            try:
                tr.Facility.model_validate(row)
            except ValidationError as exc:
                want += [RowProblem(offset + i, ".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()]
    assert problems == want
    first = next((p.row for p in want), None)
    if first is None:
        return
    with pytest.raises(ColumnRowError) as info:
        tally_columns([chunk, chunk], on=ON)
    assert info.value.row == first
    assert info.value.problems == [p for p in want if p.row == first]
    assert problems_of(chunk, first) == info.value.problems


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("field", "ok", "refused"),
    [
        ("enrolled", {"places": 5, "enrolled": 5}, {"places": 5, "enrolled": 6}),
        (
            "first_intake",
            {"places": 5, "enrolled": 0, "first_intake": 5},
            {"places": 5, "enrolled": 0, "first_intake": 6},
        ),
        ("classes", {"places": 9, "enrolled": 7, "classes": [3, 4]}, {"places": 9, "enrolled": 6, "classes": [3, 4]}),
        ("classes", {"places": 7, "enrolled": 7, "classes": [3, 4]}, {"places": 6, "enrolled": 6, "classes": [3, 4]}),
        (
            "full_day_enrolled",
            {"places": 5, "enrolled": 3, "full_day_enrolled": 3},
            {"places": 5, "enrolled": 3, "full_day_enrolled": 4},
        ),
        (
            "staff_children",
            {"places": 5, "enrolled": 3, "staff_children": 3},
            {"places": 5, "enrolled": 3, "staff_children": 4},
        ),
        ("places", {"places": MAX_PLACES, "enrolled": 0}, {"places": MAX_PLACES + 1, "enrolled": 0}),
        ("places", {"places": 0, "enrolled": 0}, {"places": -1, "enrolled": 0}),
    ],
)
def test_boundaries(field: str, ok: dict[str, Any], refused: dict[str, Any], backend: str) -> None:
    base = {"jurisdiction": "xiamen", "mode": "self_run"}
    rows = [{**base, **ok}, {**base, **refused}]
    names = list(dict.fromkeys(k for r in rows for k in r))
    columns = {name: [r.get(name) for r in rows] for name in names}
    for form in ("list", "coded", "arrays"):
        assert check_columns(encoded(columns, form), backend=backend) == {1: frozenset({field})}  # type: ignore[arg-type]
        assert facility_verdict(rows[1]) == frozenset({field})


def test_cross_field_limits_are_what_facility_enforces() -> None:
    base: dict[str, Any] = {"jurisdiction": "xiamen", "mode": "self_run", "places": 4, "enrolled": 2}
    for limit in CROSS_FIELD_LIMITS:
        row = dict(base)
        bound: int = row[limit.limit]
        row[limit.field] = [bound + 1] if limit.field == "classes" else bound + 1
        if limit.field == "classes" and limit.limit == "enrolled":
            row["places"] = 10
        with pytest.raises(ValidationError) as info:
            tr.Facility.model_validate(row)
        error = info.value.errors()[0]
        assert error["loc"] == (limit.field,)
        assert limit.message.format(value=bound + 1, limit=bound) in error["msg"]


# -- totals are tr.assess's ------------------------------------------------------------------------------


@pytest.mark.parametrize("walk", WALKS)
@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(columns=valid_columns(), on=dates(), split=st.integers(min_value=0, max_value=10), small=st.booleans())
def test_totals_equal_a_loop_of_assess(
    columns: dict[str, list[Any]], on: dt.date, split: int, small: bool, backend: str, walk: str
) -> None:
    n = len(next(iter(columns.values())))
    split = min(split, n)
    first = {name: values[:split] for name, values in columns.items()}
    second = {name: values[split:] for name, values in columns.items()}
    chunks = [encoded(first, "arrays"), encoded(second, "coded")]
    cache = RuleCache(on=on, max_leaves=3 if small else 100_000)  # small: clears happen mid-walk
    with walking(walk):
        got = tally_columns(chunks, on=on, on_error="skip", backend=backend, cache=cache)  # type: ignore[arg-type]
        assert got == reference_totals(list(rows_of(encoded(columns, "list"))), on)
        if not small:  # every engine run was a true miss: it stored a new result
            assert cache.misses == cache.leaves
        again = tally_columns(chunks, on=on, on_error="skip", backend=backend, cache=cache)  # type: ignore[arg-type]
    assert again == got


@pytest.mark.parametrize("walk", WALKS)
@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(columns=raw_columns())
def test_totals_of_raw_columns_skip_refused_rows(columns: dict[str, list[Any]], backend: str, walk: str) -> None:
    chunk = encoded(columns, "arrays")
    with walking(walk):
        got = tally_columns(chunk, on=ON, on_error="skip", backend=backend)  # type: ignore[arg-type]
    assert got == reference_totals(list(rows_of(chunk)), ON)


@pytest.mark.parametrize("walk", WALKS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_many_rows_few_engine_runs(backend: str, walk: str) -> None:
    n = 2000
    columns = {
        "jurisdiction": Coded([i % 2 for i in range(n)], ["xiamen", "hangzhou"]),
        "mode": Coded([i % 7 for i in range(n)], list(tr.MODES)),
        "self_built": [i % 3 == 0 for i in range(n)],
        "places": [i % 50 + 10 for i in range(n)],
        "enrolled": [i % 10 for i in range(n)],
        "designations": Coded(
            [i % 3 for i in range(n)],
            [[], [{"program": "cn.caring_employer", "year": 2022}], [{"program": "cn.caring_employer", "year": 2023}]],
        ),
    }
    if backend == "numpy":
        assert np is not None
        columns["places"] = np.array(columns["places"])
        columns["self_built"] = np.array(columns["self_built"])
    cache = RuleCache(on=ON)
    with walking(walk):
        got = tally_columns(columns, on=ON, backend=backend, cache=cache)  # type: ignore[arg-type]
    assert got == reference_totals(list(rows_of(columns)), ON)
    assert cache.misses == cache.leaves  # one engine run per distinct result, none wasted
    assert cache.misses < n // 4
    assert cache.hits + cache.misses == n


def test_numpy_backend_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)
    with pytest.raises(ImportError, match="pip install numpy"):
        check_columns({"places": [1]}, backend="numpy")
    assert check_columns({"places": [1]}, backend="auto") == {0: frozenset({"jurisdiction", "mode", "enrolled"})}


def test_malformed_columns_are_refused_up_front() -> None:
    with pytest.raises(ValueError, match="one length"):
        check_columns({"places": [1, 2], "enrolled": [1]})
    with pytest.raises(ValueError, match="codes"):
        check_columns({"mode": Coded([0, 2], ["self_run"])}, backend="python")
    with pytest.raises(ValueError, match="on_error"):
        tally_columns({}, on=ON, on_error="yield")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="backend"):
        check_columns({}, backend="gpu")  # type: ignore[arg-type]


@pytest.mark.parametrize("backend", BACKENDS)
def test_coded_codes_may_be_numpy_ints_never_floats(backend: str) -> None:
    values = ["self_run", "joint_run"]
    if np is not None:
        assert check_columns({"mode": Coded(np.array([1, 0]), values)}, backend=backend)[1] == frozenset(  # type: ignore[arg-type]
            {"jurisdiction", "places", "enrolled"}
        )
    with pytest.raises(ValueError, match="codes"):
        check_columns({"mode": Coded([0.0], values)}, backend=backend)  # type: ignore[arg-type]


@pytest.mark.parametrize("walk", WALKS)
@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(seed=st.integers(0, 2**32 - 1), wide=st.booleans())
def test_wide_counts_and_many_groups(seed: int, wide: bool, backend: str, walk: str) -> None:
    """Places over the whole allowed range (numpy: the unique encoding and wide group keys)."""
    import random

    r = random.Random(seed)
    n = 300
    jurisdictions = facility_jurisdictions()
    places = [r.randrange(0, MAX_PLACES + 1) if wide else r.randrange(0, 60) for _ in range(n)]
    columns: dict[str, Any] = {
        "jurisdiction": coded(r.choice(jurisdictions) for _ in range(n)),
        "mode": coded(r.choice(tr.MODES) for _ in range(n)),
        "self_built": [r.random() < 0.5 for _ in range(n)],
        "embedded": [r.random() < 0.5 for _ in range(n)],
        "places": places,
        "enrolled": [r.randrange(0, p + 1) if r.random() < 0.95 else p + 1 for p in places],
        "staff_children": [None if r.random() < 0.5 else r.randrange(0, 40) for _ in range(n)],
        "full_day": [r.choice([None, True, False]) for _ in range(n)],
    }
    if backend == "numpy":
        assert np is not None
        for name in ("places", "enrolled"):
            columns[name] = np.array(columns[name], dtype=np.int64)
        columns["self_built"] = np.array(columns["self_built"])
    rows = list(rows_of(columns))
    verdict = check_columns(columns, backend=backend)  # type: ignore[arg-type]
    assert [verdict.get(i) for i in range(n)] == [facility_verdict(row) for row in rows]
    with walking(walk):
        got = tally_columns(columns, on=ON, on_error="skip", backend=backend)  # type: ignore[arg-type]
    assert got == reference_totals(rows, ON)


@pytest.mark.skipif(np is None, reason="numpy is not installed")
def test_group_keys_wider_than_64_bits_are_renumbered() -> None:
    assert np is not None
    width = 1 << 21
    raw: list[Any] = [None] * width
    r = np.random.default_rng(5)
    cols = [_Column(r.integers(0, width, size=500), raw) for _ in range(3)]  # 2**63 combinations
    cols[0].codes[250:] = cols[0].codes[:250]
    cols[1].codes[250:] = cols[1].codes[:250]
    cols[2].codes[250:] = cols[2].codes[:250]
    rows = np.arange(500)
    items, members, samples, union = _Numpy().groups(rows, cols)
    want: dict[tuple[int, ...], list[int]] = {}
    for i in range(500):
        want.setdefault(tuple(int(c.codes[i]) for c in cols), []).append(i)
    assert dict(items) == {k: len(v) for k, v in want.items()}
    got = members(list(range(len(items))))
    assert {codes: sorted(g.tolist()) for (codes, _), g in zip(items, got, strict=True)} == want
    assert all(tuple(int(c.codes[s]) for c in cols) == codes for (codes, _), s in zip(items, samples, strict=True))
    some = list(range(0, len(items), 3))
    assert sorted(union(some).tolist()) == sorted(i for w in some for i in want[items[w][0]])


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_rule_reading_the_whole_facility_is_walked_row_by_row(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tr.assess  # what tuoyu_rules.batch calls on a miss

    def reads_whole(facility: tr.Facility, **options: Any) -> tr.Assessment:
        facility.model_dump()  # a whole read: the stored result depends on every field
        return real(facility, **options)

    monkeypatch.setattr(cache_module, "assess", reads_whole)
    n = 40
    columns = {
        "jurisdiction": Coded([i % 2 for i in range(n)], ["xiamen", "hangzhou"]),
        "mode": Coded([0] * n, ["self_run"]),
        "places": [i % 4 + 10 for i in range(n)],
        "enrolled": [i % 3 for i in range(n)],
    }
    cache = RuleCache(on=ON)
    got = tally_columns(columns, on=ON, backend=backend, cache=cache)  # type: ignore[arg-type]
    monkeypatch.undo()
    assert got == reference_totals(list(rows_of(columns)), ON)
    assert cache.misses == 12  # every distinct row once: 2 x 4 x 3 combinations, but i % 2, i % 4 tie them


def test_cache_for_another_day_or_float_arrays() -> None:
    with pytest.raises(ValueError, match="another day"):
        tally_columns({}, on=ON, cache=RuleCache(on=dt.date(2023, 1, 1)))
    if np is not None:
        chunk = {"jurisdiction": ["xiamen"], "mode": ["self_run"], "places": np.array([3.0]), "enrolled": [0]}
        assert check_columns(chunk, backend="numpy") == {0: frozenset({"places"})}
        assert facility_verdict(next(rows_of(chunk))) == frozenset({"places"})
    assert problems_of({"jurisdiction": ["xiamen"], "mode": ["self_run"], "places": [3], "enrolled": [0]}, 0) == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_too_many_groups_falls_back_to_the_node_walk(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Grouped by every field read, rows that mostly differ make groups of a row or two: walked node by node."""
    import random

    r = random.Random(11)
    n = 200
    columns: dict[str, Any] = {
        "jurisdiction": coded(r.choice(["siming", "xiamen", "hangzhou"]) for _ in range(n)),
        "mode": coded(r.choice(tr.MODES) for _ in range(n)),
        "self_built": [r.random() < 0.5 for _ in range(n)],
        "embedded": [r.random() < 0.5 for _ in range(n)],
        "places": [60] * n,
        "enrolled": [40] * n,
        "staff_children": [r.randrange(0, 40) for _ in range(n)],
    }
    walked: list[int] = []
    node_walk = walk_module._walk

    def spy(ch: Any, rc: RuleCache, rows: Any, counts: Any) -> None:
        walked.append(len(rows))
        node_walk(ch, rc, rows, counts)

    monkeypatch.setattr(walk_module, "_MANY_GROUPS", 8)
    monkeypatch.setattr(walk_module, "_walk", spy)
    cache = RuleCache(on=ON)
    got = tally_columns(columns, on=ON, backend=backend, cache=cache)  # type: ignore[arg-type]
    assert got == reference_totals(list(rows_of(columns)), ON)
    assert walked  # the fallback ran
    assert sum(walked) < n  # after some rows were counted by groups
    assert cache.hits + cache.misses == n
    assert cache.misses == cache.leaves


@pytest.mark.skipif(np is None, reason="numpy is not installed")
@pytest.mark.parametrize("dtype", ["uint8", "int16", "uint32", "int64", "uint64"])
def test_coded_codes_of_any_integer_dtype(dtype: str) -> None:
    """Codes of every integer dtype group alike (uint64 never mixes with int64 into a float key)."""
    assert np is not None
    n = 60
    columns = {
        "jurisdiction": Coded(np.array([i % 3 for i in range(n)], dtype=dtype), ["xiamen", "hangzhou", "siming"]),
        "mode": Coded(np.array([i % 7 for i in range(n)], dtype=dtype), list(tr.MODES)),
        "self_built": np.array([i % 2 == 0 for i in range(n)]),
        "places": np.array([i + 10 for i in range(n)], dtype=dtype),
        "enrolled": np.array([i % 10 for i in range(n)], dtype=dtype),
        "staff_children": Coded(np.array([i % 5 for i in range(n)], dtype=dtype), [None, 0, 1, 2, 3]),
    }
    got = tally_columns(columns, on=ON, backend="numpy")
    assert got == reference_totals(list(rows_of(columns)), ON)


def test_coded_keeps_values_of_different_types_apart() -> None:
    assert coded([1, 1, 2]) == Coded([0, 0, 1], [1, 2])
    assert coded(iter(["b", "a", "b"])) == Coded([0, 1, 0], ["b", "a"])
    assert coded([True, False, True]) == Coded([0, 1, 0], [True, False])
    mixed = coded([1, True, 1.0, "1", 1])
    assert mixed.codes == [0, 1, 2, 3, 0]
    assert [type(v) for v in mixed.values] == [int, bool, float, str]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_list_of_ints_beyond_int64_is_refused_not_overflowed(backend: str) -> None:
    chunk = {"jurisdiction": ["xiamen"] * 2, "mode": ["self_run"] * 2, "places": [2**70, 5], "enrolled": [0, 1]}
    assert check_columns(chunk, backend=backend) == {0: frozenset({"places"})}  # type: ignore[arg-type]
    assert facility_verdict(next(rows_of(chunk))) == frozenset({"places"})
