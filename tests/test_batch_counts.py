"""Counts handed through (issue 18 wave 4, P1): rows that differ only in a count share one engine run.

Since per-child totals (a600f76), Hangzhou's 普惠 rule reads ``enrolled`` to set the entry's ``children`` (the engine
computes ``total``): the fact-keyed cache stored one result per enrolment, and a million-row column run made 1,659
engine runs instead of 152. The trace now hands a rule a count as an opaque token; a result whose count was only
passed through to ``children`` holds for every whole number, with ``children``, ``total`` and ``owed`` computed per
row. Every test checks byte equality with ``tr.assess`` (and would fail before the change on the run counts, or
after a wrong one on the bytes). Any use of the count (a comparison, arithmetic, a later rule reading the entry,
receipts) keys the result on it again: the guard tests below.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tuoyu_rules as tr
from tuoyu_rules.batch import RuleCache, assess_many, tally, totals_fen
from tuoyu_rules.batch.columns import Backend, tally_columns
from tuoyu_rules.core import engine, jsonio
from tuoyu_rules.core.context import RuleContext
from tuoyu_rules.core.policy import Outcome

DAY = dt.date(2025, 6, 1)  # Hangzhou's seed range (300-900 per child-month) in force
PUHUI = "hangzhou.puhui_subsidy"
AWARD = "cn.caring_employer_award"


def hangzhou(enrolled: int, *, award: int | None = 2022, **extra: Any) -> dict[str, Any]:
    designations: list[dict[str, Any]] = [{"program": "hangzhou.puhui", "year": 2023}]
    if award is not None:  # the national award: its provincial match is an obligation that runs after the grant
        designations.append({"program": "cn.caring_employer", "year": award})
    return {
        "jurisdiction": "hangzhou",
        "mode": "third_party",
        "self_built": False,
        "embedded": True,
        "places": 400,
        "enrolled": enrolled,
        "designations": designations,
        **extra,
    }


def expected(row: dict[str, Any], on: dt.date = DAY) -> str:
    return tr.assess(tr.Facility.model_validate(row), on=on).model_dump_json()


COUNTS = (0, 1, 2, 7, 50, 51, 199, 400)


@pytest.mark.parametrize("award", [None, 2022, 2023])
def test_rows_differing_only_in_enrolled_share_one_engine_run_each_with_its_own_total(award: int | None) -> None:
    cache = RuleCache(on=DAY)
    rows = [hangzhou(n, award=award) for n in COUNTS]
    texts = [cache.assess_json(row) for row in rows]
    assert texts == [expected(row) for row in rows]
    assert cache.misses == 1  # was one per count (8)
    totals = [json.loads(t)["entitlements"] for t in texts]
    puhui = [next(e for e in entries if e["program"] == PUHUI) for entries in totals]
    assert [e["children"] for e in puhui] == list(COUNTS)
    assert [e["total"]["low"] for e in puhui] == [f"{300 * n}.00" for n in COUNTS]
    assert [e["owed"]["high"] for e in puhui] == [f"{900 * n}.00" for n in COUNTS]
    again = RuleCache(on=DAY)  # the other entry points: the Assessment, its fen and the stream
    assert [again.assessment(tr.Facility.model_validate(r)) for r in rows] == [
        tr.assess(tr.Facility.model_validate(r), on=DAY) for r in rows
    ]
    assert again.misses == 1
    fen = list(assess_many(rows, on=DAY, output="fen"))
    assert [next(e for e in entries if e.program == PUHUI).total_low for entries in fen] == [30000 * n for n in COUNTS]


def test_the_column_path_sums_each_rows_own_count_with_one_engine_run() -> None:
    rows = [hangzhou(n % 300, award=(2022, 2023, None)[n % 3]) for n in range(3000)]
    reference = totals_fen(list(assess_many(rows, on=DAY, output="fen")))
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    backends: tuple[Backend, ...] = ("python", "numpy")
    for backend in backends:
        if backend == "numpy":
            pytest.importorskip("numpy")
        cache = RuleCache(on=DAY)
        assert tally_columns(columns, on=DAY, cache=cache, backend=backend) == reference
        assert cache.misses == 3  # one per designation list; was one per (list, count): 900
        assert cache.misses == cache.leaves
        assert cache.hits + cache.misses == len(rows)
    cache = RuleCache(on=DAY)
    assert tally(rows, on=DAY, cache=cache) == reference
    assert cache.misses == 3
    hz = reference[("hangzhou.health_commission", "per_month")]
    assert hz.children == sum(n % 300 for n in range(3000))
    assert hz.low == 30000 * hz.children


@settings(max_examples=40, deadline=None)
@given(
    counts=st.lists(st.integers(0, 400), min_size=1, max_size=12),
    award=st.sampled_from([None, 2022, 2023, 2024]),
    embedded=st.booleans(),
    filed=st.sampled_from([None, True, False]),
    chunks=st.integers(1, 3),
)
def test_drawn_counts_are_byte_identical_on_every_path(
    counts: list[int], award: int | None, embedded: bool, filed: bool | None, chunks: int
) -> None:
    rows = [hangzhou(n, award=award, embedded=embedded, filed=filed) for n in counts]
    cache = RuleCache(on=DAY, max_leaves=2)  # clears happen mid-run
    assert [cache.assess_json(r) for r in rows] == [expected(r) for r in rows]
    reference = totals_fen(list(assess_many(rows, on=DAY, output="fen")))
    size = -(-len(rows) // chunks)
    parts = [rows[i : i + size] for i in range(0, len(rows), size)]
    columns = [{name: [r[name] for r in part] for name in part[0]} for part in parts]
    assert tally_columns(columns, on=DAY, backend="python", max_leaves=2) == reference


def _rule_swapped(monkeypatch: pytest.MonkeyPatch, program: str, wrap: Callable[[Any], Any]) -> None:
    """Serve Hangzhou's chain with ``program``'s rule replaced by ``wrap(original rule)`` (for tr.assess and the
    cache alike: both call the engine)."""
    layers = []
    for layer in tr.chain("hangzhou"):
        programs = tuple(dataclasses.replace(p, rule=wrap(p.rule)) if p.id == program else p for p in layer.programs)
        layers.append(dataclasses.replace(layer, programs=programs))
    chain = tuple(layers)
    monkeypatch.setattr(engine, "resolve_chain", lambda jid: chain)


def _uses(kind: str) -> Callable[[Any], Any]:
    """A 普惠 rule that also uses the count it hands through, in a way that changes its reasons."""

    def wrap(rule: Any) -> Any:
        def used(ctx: RuleContext) -> Outcome:
            outcome: Outcome = rule(ctx)
            n = ctx.facility.enrolled
            if kind == "compare":
                extra = "large" if n > 100 else "small"
            elif kind == "decimal":  # Decimal on the left: the count's own hooks are not asked first
                extra = str(Decimal("1.5") * n)
            elif kind == "format":
                extra = f"{n} children"
            elif kind == "caught":  # a rule that swallows its own errors must not swallow the signal
                try:
                    extra = "even" if n % 2 == 0 else "odd"
                except Exception:  # pragma: no cover - the point: never reached with a token
                    extra = "?"
            else:
                raise AssertionError(kind)
            return dataclasses.replace(outcome, reasons=(*outcome.reasons, extra))

        return used

    return wrap


@pytest.mark.parametrize("kind", ["compare", "decimal", "format", "caught"])
def test_a_rule_that_uses_the_count_is_keyed_on_it(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    _rule_swapped(monkeypatch, PUHUI, _uses(kind))
    cache = RuleCache(on=DAY)
    rows = [hangzhou(n) for n in (3, 4, 150, 3)]
    assert [cache.assess_json(r) for r in rows] == [expected(r) for r in rows]
    assert cache.misses == 3  # one per distinct count: the result depends on it


def test_a_later_rule_reading_the_per_child_entry_keys_the_result_on_the_count(monkeypatch: pytest.MonkeyPatch) -> None:
    def wrap(rule: Any) -> Any:
        def reads_total(ctx: RuleContext) -> Outcome:
            outcome: Outcome = rule(ctx)
            puhui = ctx.entitlements.get(PUHUI)  # the national layer runs after Hangzhou's: it sees the entry
            seen = "none" if puhui is None else puhui.total.format()
            return dataclasses.replace(outcome, reasons=(*outcome.reasons, f"puhui total {seen}"))

        return reads_total

    _rule_swapped(monkeypatch, AWARD, wrap)
    cache = RuleCache(on=DAY)
    rows = [hangzhou(n) for n in (3, 4, 150, 3)]
    assert [cache.assess_json(r) for r in rows] == [expected(r) for r in rows]
    assert "puhui total 900.00 – 2,700.00" in expected(rows[0])  # the guard is exercised: the total is read
    assert cache.misses == 3


def test_a_rule_listing_the_grants_without_reading_them_keeps_the_count_handed_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def wrap(rule: Any) -> Any:
        def lists(ctx: RuleContext) -> Outcome:
            outcome: Outcome = rule(ctx)
            names = ", ".join(sorted(ctx.entitlements))  # the ids only: nothing of the count
            return dataclasses.replace(outcome, reasons=(*outcome.reasons, names))

        return lists

    _rule_swapped(monkeypatch, AWARD, wrap)
    cache = RuleCache(on=DAY)
    rows = [hangzhou(n) for n in (3, 4, 150)]
    assert [cache.assess_json(r) for r in rows] == [expected(r) for r in rows]
    assert cache.misses == 1


def test_receipts_key_the_result_on_the_count() -> None:
    paid = [{"program": PUHUI, "paid_on": "2025-06-01", "amount": "1000"}]
    rows = [hangzhou(n, received=paid) for n in (1, 2, 10, 2)]
    cache = RuleCache(on=DAY)
    assert [cache.assess_json(r) for r in rows] == [expected(r) for r in rows]
    assert cache.misses == 3  # what is owed depends on the total, so on the count


def test_a_count_used_by_its_rule_stays_a_fact_sichuan_and_siming() -> None:
    rows = [
        {"jurisdiction": "siming", "mode": "self_run", "self_built": True, "embedded": False, "places": 50,
         "enrolled": 40, "staff_children": n}
        for n in (0, 1, 5, 1)
    ]  # fmt: skip
    cache = RuleCache(on=DAY)
    assert [cache.assess_json(r) for r in rows] == [expected(r) for r in rows]
    assert cache.misses == 3  # its reasons name the number of employees' children


def test_the_caller_decimal_context_does_not_reach_the_per_row_totals() -> None:
    import decimal

    cache = RuleCache(on=DAY)
    cache.assess_json(hangzhou(3))
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.traps[decimal.Inexact] = True
        text = cache.assess_json(hangzhou(333))
    assert text == expected(hangzhou(333))


# -- the JSON reader's fast path (core/jsonio.py) --------------------------------------------------------------------


def _strict(text: str) -> Any:
    return json.loads(
        text,
        parse_float=jsonio._decimal,
        parse_int=jsonio._int,
        parse_constant=jsonio._constant,
        object_pairs_hook=jsonio._object,
    )


_KEYS = st.sampled_from(["a", "b", "a:b", 'q"', "x"])
_SCALARS = st.one_of(
    st.integers(-(10**101), 10**101),
    st.sampled_from(["s", "t:u", "", "NaN"]),
    st.booleans(),
    st.none(),
)


@st.composite
def _documents(draw: st.DrawFn) -> str:
    """JSON text, often with a key given twice, a colon in a string or a number just past the limit."""

    def value(depth: int) -> str:
        kind = draw(st.integers(0, 3 if depth < 3 else 1))
        if kind <= 1:
            item = draw(_SCALARS)
            return str(item).lower() if isinstance(item, bool) else json.dumps(item)
        if kind == 2:
            return "[" + ", ".join(value(depth + 1) for _ in range(draw(st.integers(0, 3)))) + "]"
        pairs = [f"{json.dumps(draw(_KEYS))}: {value(depth + 1)}" for _ in range(draw(st.integers(0, 4)))]
        return "{" + ", ".join(pairs) + "}"

    return value(0) + draw(st.sampled_from(["", " ", "x", ",", "1.5", "e999"]))


@settings(max_examples=300, deadline=None)
@given(_documents())
def test_the_fast_json_path_reads_every_document_as_the_strict_one(text: str) -> None:
    try:
        want: Any = ("ok", _strict(text))
    except (json.JSONDecodeError, jsonio._Refused, ValueError) as exc:
        want = ("error", type(exc))
    try:
        got: Any = ("ok", jsonio.loads(text))
    except jsonio.JsonError:
        got = ("error", None)
    assert got[0] == want[0]
    if got[0] == "ok":
        assert got[1] == want[1]
        assert repr(got[1]) == repr(want[1])


def test_the_fast_json_path_refuses_what_the_strict_one_refuses() -> None:
    for text, message in [
        ('{"self_built": true, "self_built": false}', "the key 'self_built' appears twice"),
        ('{"a": "x:y", "a": 1}', "the key 'a' appears twice"),
        ('{"a": [{"b": 1, "b": 1}]}', "the key 'b' appears twice"),
        ("1" * 101, "a number of 101 characters"),
        ("-" + "1" * 100, "a number of 101 characters"),
        ("[" + "9" * 5000 + "]", "a number of 5,000 characters"),
        ('{"a": Infinity}', "the constant Infinity is not allowed"),
    ]:
        with pytest.raises(jsonio.JsonError, match=message):
            jsonio.loads(text)
    assert jsonio.loads("1" * 100) == int("1" * 100)
    assert jsonio.loads("-" + "1" * 99) == -int("1" * 99)
    assert jsonio.loads('{"a": "x:y", "b": 40000.50}') == {"a": "x:y", "b": Decimal("40000.50")}
