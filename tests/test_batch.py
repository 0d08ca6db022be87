"""The batch path gives exactly what tr.assess gives, row by row, in every output form."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import tuoyu_rules as tr
import tuoyu_rules.batch.trie as trie
from strategies import dates, facility_data
from tuoyu_rules.batch import (
    FenEntry,
    FenTotal,
    RowError,
    RuleCache,
    assess_many,
    assess_partition,
    merge_totals,
    tally,
    totals_fen,
)

ON = dt.date(2024, 1, 1)


def xiamen(places: int, enrolled: int = 0, **extra: Any) -> dict[str, Any]:
    return {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": places, "enrolled": enrolled}


def fen(value: Decimal | None) -> int | None:
    return None if value is None else int(value * 100)


def expected_fen(a: tr.Assessment) -> tuple[FenEntry, ...]:
    # Issue 13 (per-child totals): each entry also carries its children and its total in fen.
    kinds: tuple[tuple[Literal["entitlement", "obligation"], tuple[Any, ...]], ...] = (
        ("entitlement", a.entitlements),
        ("obligation", a.obligations),
    )
    return tuple(
        FenEntry(
            e.program,
            kind,
            e.payer,
            e.basis,
            e.status,
            int(e.amount.low * 100),
            fen(e.amount.high),
            e.children,
            int(e.total.low * 100),
            fen(e.total.high),
        )
        for kind, entries in kinds
        for e in entries
    )


# One cache per day, shared across examples, so that later examples hit results stored by earlier ones.
_CACHES: dict[dt.date, RuleCache] = {}


def cache_for(on: dt.date) -> RuleCache:
    return _CACHES.setdefault(on, RuleCache(on=on))


@given(st.lists(facility_data(), min_size=1, max_size=8), dates())
def test_assessments_equal_assess(rows: list[dict[str, Any]], on: dt.date) -> None:
    rows = rows + rows  # the second half hits what the first half stored
    got = list(assess_many(rows, on=on, cache=cache_for(on), on_error="yield"))
    assert len(got) == len(rows)
    for row, result in zip(rows, got, strict=True):
        try:
            want: tr.Assessment | None = tr.assess(tr.Facility.model_validate(row), on=on)
        except (ValidationError, tr.TuoyuError):
            want = None
        if want is None:
            assert isinstance(result, RowError)
        else:
            assert result == want


@given(st.lists(facility_data(), min_size=1, max_size=6), dates())
def test_ndjson_and_fen_equal_assess(rows: list[dict[str, Any]], on: dt.date) -> None:
    cache = cache_for(on)
    lines = list(assess_many(rows, on=on, cache=cache, output="ndjson", on_error="yield"))
    fens = list(assess_many(rows, on=on, cache=cache, output="fen", on_error="yield"))
    for row, line, entries in zip(rows, lines, fens, strict=True):
        try:
            want = tr.assess(tr.Facility.model_validate(row), on=on)
        except (ValidationError, tr.TuoyuError):
            assert isinstance(line, RowError)
            assert isinstance(entries, RowError)
            continue
        assert isinstance(line, str)
        assert json.loads(line) == want.model_dump(mode="json")
        assert entries == expected_fen(want)


@given(st.lists(facility_data(), min_size=1, max_size=6), dates())
def test_totals_match_assessment_totals(rows: list[dict[str, Any]], on: dt.date) -> None:
    results = list(assess_many(rows, on=on, cache=cache_for(on), output="fen", on_error="yield"))
    for row, entries in zip(rows, results, strict=True):
        if isinstance(entries, RowError):
            continue
        want = tr.assess(tr.Facility.model_validate(row), on=on).totals()
        got = totals_fen([entries])
        assert set(got) == {(t.payer, t.basis) for t in want}
        for t in want:
            g = got[(t.payer, t.basis)]
            assert (g.low, g.high, g.undetermined) == (int(t.amount.low * 100), fen(t.amount.high), t.undetermined)
    half = len(results) // 2
    split = merge_totals(totals_fen(results[:half]), totals_fen(results[half:]))
    assert split == totals_fen(results)


def test_a_fact_no_rule_reads_does_not_split_the_cache() -> None:
    cache = RuleCache(on=ON)
    rows = [xiamen(places) for places in range(10, 60)]
    results = list(assess_many(rows, on=ON, cache=cache, output="fen"))
    assert cache.misses == 1
    assert cache.hits == len(rows) - 1
    assert all(r == results[0] for r in results)
    assert results[0][0] == FenEntry(
        "xiamen.construction_subsidy",
        "entitlement",
        "xiamen.union",
        "one_time",
        "eligible",
        5_000_000,
        10_000_000,
        None,  # issue 13: no count for a one-time amount, and its total is the amount itself
        5_000_000,
        10_000_000,
    )


def test_each_row_is_still_validated() -> None:
    rows = [xiamen(10), {**xiamen(10), "place": 3}, {**xiamen(10), "enrolled": 11}]
    with pytest.raises(ValidationError, match="place"):
        list(assess_many(rows, on=ON))
    got = list(assess_many(rows, on=ON, on_error="yield"))
    assert isinstance(got[0], tr.Assessment)
    assert isinstance(got[1], RowError)
    assert got[1].index == 1
    assert "place" in got[1].error
    assert isinstance(got[2], RowError)
    assert "enrolled" in got[2].error


def test_streams_lazily_and_memory_stays_bounded() -> None:
    def endless() -> Any:
        n = 0
        while True:
            n += 1
            yield {**xiamen(30), "mode": ("self_run", "joint_run", "third_party")[n % 3], "self_built": n % 2 == 0}

    cache = RuleCache(on=ON, max_leaves=2)
    stream = assess_many(endless(), on=ON, cache=cache, output="fen")
    for _ in range(50):
        next(stream)
    assert cache.leaves <= 2
    assert cache.clears > 0


def test_what_if_jurisdiction_and_rounding_pass_through() -> None:
    row = {"jurisdiction": "xiamen", "mode": "joint_run", "places": 20, "enrolled": 10}
    want = tr.assess(tr.Facility.model_validate(row), jurisdiction="weifang", on=ON, rounding="ROUND_HALF_EVEN")
    (got,) = assess_many([row], on=ON, jurisdiction="weifang", rounding="ROUND_HALF_EVEN")
    assert got == want


def test_partition_and_merge_for_dask() -> None:
    rows = [xiamen(n, n // 2) for n in range(1, 40)]
    parts = [rows[:13], rows[13:26], rows[26:]]
    totals = [totals_fen(assess_partition(p, on=ON)) for p in parts]
    merged = merge_totals(merge_totals(totals[0], totals[1]), totals[2])
    assert merged == totals_fen(assess_partition(rows, on=ON))
    assert merged[("xiamen.union", "one_time")] == FenTotal(39 * 5_000_000, 39 * 10_000_000, 39, 0)


def test_bad_options() -> None:
    with pytest.raises(ValueError, match="output"):
        next(assess_many([xiamen(1)], on=ON, output="csv"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="on_error"):
        next(assess_many([xiamen(1)], on=ON, on_error="ignore"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="another day"):
        next(assess_many([xiamen(1)], on=ON, cache=RuleCache(on=dt.date(2023, 1, 1))))
    with pytest.raises(ValueError, match="max_leaves"):
        RuleCache(on=ON, max_leaves=0)


def test_json_text_rows() -> None:
    row = xiamen(12, 3)
    line = json.dumps(row)
    (from_text,) = assess_many([line], on=ON)
    (from_bytes,) = assess_many([line.encode()], on=ON)
    assert from_text == from_bytes == tr.assess(tr.Facility.model_validate(row), on=ON)
    with pytest.raises(ValidationError, match="places"):
        next(assess_many([json.dumps({**row, "places": -1})], on=ON))


@given(st.lists(facility_data(), min_size=1, max_size=8), dates())
def test_tally_equals_the_totals_of_every_row(rows: list[dict[str, Any]], on: dt.date) -> None:
    valid = []
    for row in rows:
        try:
            tr.assess(tr.Facility.model_validate(row), on=on)
        except (ValidationError, tr.TuoyuError):
            continue
        valid.append(row)
    rows3 = valid * 3
    assert tally(rows3, on=on, cache=cache_for(on)) == totals_fen(assess_many(rows3, on=on, output="fen"))


# -- JSON-shaped rows: the designation memo of RuleCache.facility and the JSON text of RuleCache.assess_json --


@st.composite
def json_rows(draw: st.DrawFn) -> dict[str, Any]:
    """A facility row as JSON data (designations as mappings, amounts as str, int or Decimal), valid or not."""
    row = draw(facility_data())
    designations: list[dict[str, Any]] = []
    for d in row["designations"]:
        item: dict[str, Any] = {"program": d.program, "year": d.year}
        if d.amount is not None:
            item["amount"] = draw(
                st.sampled_from(
                    [format(d.amount, "f"), d.amount, d.amount.normalize(), str(d.amount.normalize())]
                    + ([int(d.amount)] if d.amount == int(d.amount) else [])
                )
            )
        elif draw(st.booleans()):
            item["amount"] = None
        designations.append(item)
    row["designations"] = designations
    if row.get("classes") is not None:
        row["classes"] = list(row["classes"])
    broken = draw(st.sampled_from([None, None, None, "enrolled", "duplicate", "year", "extra", "program", "missing"]))
    if broken == "enrolled":
        row["enrolled"] = row["places"] + 1
    elif broken == "duplicate" and designations:
        row["designations"] = designations + designations[:1]
    elif broken == "year" and designations:
        row["designations"] = [{**designations[0], "year": 1800}, *designations[1:]]
    elif broken == "extra":
        row["colour"] = "blue"
    elif broken == "program" and designations:
        row["designations"] = [{**designations[0], "program": "nowhere.award"}]
    elif broken == "missing":
        del row["mode"]
    return row


def _validated(row: dict[str, Any]) -> tr.Facility | str:
    try:
        return tr.Facility.model_validate(row)
    except ValidationError as exc:
        return str(exc)


def _through(cache: RuleCache, row: dict[str, Any]) -> tr.Facility | str:
    try:
        return cache.facility(row)
    except ValidationError as exc:
        return str(exc)


@given(st.lists(json_rows(), min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_facility_memo_validates_exactly_as_facility(rows: list[dict[str, Any]], rnd: Any) -> None:
    # Each row twice, in a shuffled order, so that later rows reuse designations validated for earlier ones.
    doubled = rows + [dict(r) for r in rows]
    rnd.shuffle(doubled)
    cache = RuleCache(on=ON, max_designation_sets=3)
    for row in doubled:
        want = _validated(row)
        got = _through(cache, row)
        if isinstance(want, str):
            assert got == want  # the same error, with the row's own input
            continue
        assert isinstance(got, tr.Facility)
        assert got == want
        assert got.model_fields_set == want.model_fields_set
        assert got.model_dump_json() == want.model_dump_json()
        assert [d.model_fields_set for d in got.designations] == [d.model_fields_set for d in want.designations]
    assert len(cache._designations) <= 3


@given(st.lists(json_rows(), min_size=1, max_size=6), dates())
def test_assess_json_is_the_text_of_assess(rows: list[dict[str, Any]], on: dt.date) -> None:
    cache = cache_for(on)
    for row in rows + rows:
        try:
            want: str | None = tr.assess(tr.Facility.model_validate(row), on=on).model_dump_json()
        except (ValidationError, tr.TuoyuError):
            want = None
        if want is None:
            with pytest.raises((ValidationError, tr.TuoyuError)):
                cache.assess_json(row)
        else:
            assert cache.assess_json(row) == want


def test_equal_amounts_written_differently_are_memoised_apart() -> None:
    cache = RuleCache(on=ON)
    rows = [
        {**xiamen(30, 10), "designations": [{"program": "cn.caring_employer", "year": 2022, "amount": amount}]}
        for amount in (Decimal("1E+5"), Decimal("100000"), "100000", 100000, "100000.00")
    ]
    for row in rows:
        assert cache.facility(row) == tr.Facility.model_validate(row)
        assert cache.assess_json(row) == tr.assess(tr.Facility.model_validate(row), on=ON).model_dump_json()
    assert len(cache._designations) == len(rows)


def test_an_invalid_row_with_known_designations_raises_its_own_error() -> None:
    cache = RuleCache(on=ON)
    good = {**xiamen(30, 10), "designations": [{"program": "cn.caring_employer", "year": 2022}]}
    first = cache.facility(good)
    again = cache.facility({**good, "places": 40, "designations": [{"program": "cn.caring_employer", "year": 2022}]})
    assert again.designations[0] is first.designations[0]  # validated once, reused
    assert again == tr.Facility.model_validate({**good, "places": 40})
    for bad in ({**good, "enrolled": 31}, {k: v for k, v in good.items() if k != "mode"}, {**good, "x": 1}):
        with pytest.raises(ValidationError) as got:
            cache.facility(bad)
        with pytest.raises(ValidationError) as want:
            tr.Facility.model_validate(bad)
        assert str(got.value) == str(want.value)
        assert got.value.json() == want.value.json()


def test_flat_trie_nodes_split_where_runs_diverge() -> None:
    from types import SimpleNamespace

    cache = RuleCache(on=ON)
    leaves = [trie._Leaf({"entitlements": (), "obligations": ()}) for _ in range(4)]
    cache._insert([("jurisdiction", "x"), ("mode", "a"), ("places", 1)], leaves[0])
    assert isinstance(cache._root, trie._Flat)  # one run so far: all three reads in one look-up
    cache._insert([("jurisdiction", "x"), ("mode", "a"), ("places", 2)], leaves[1])
    assert isinstance(cache._root, trie._Flat)  # the same reads
    cache._insert([("jurisdiction", "x"), ("mode", "b"), ("enrolled", 5)], leaves[2])  # other reads after mode=b
    cache._insert([("jurisdiction", "y")], leaves[3])
    root = cache._root
    assert isinstance(root, trie._Branch)
    assert root.field == "jurisdiction"
    under_x = root.children["x"]
    assert isinstance(under_x, trie._Branch)
    assert under_x.field == "mode"

    def find(**facts: Any) -> Any:
        return cache._find(SimpleNamespace(**facts))

    assert find(jurisdiction="x", mode="a", places=1, enrolled=9) is leaves[0]
    assert find(jurisdiction="x", mode="a", places=2, enrolled=9) is leaves[1]
    assert find(jurisdiction="x", mode="a", places=3, enrolled=5) is None
    assert find(jurisdiction="x", mode="b", places=1, enrolled=5) is leaves[2]
    assert find(jurisdiction="x", mode="b", places=1, enrolled=6) is None
    assert find(jurisdiction="y", mode="q", places=0, enrolled=0) is leaves[3]
    assert find(jurisdiction="z", mode="a", places=1, enrolled=0) is None
    assert cache.leaves == 4
    cache._insert([("jurisdiction", "x"), ("mode", "a"), ("places", [1])], leaves[0])  # unhashable: not stored
    assert cache.leaves == 4
