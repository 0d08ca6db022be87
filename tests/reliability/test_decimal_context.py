"""The caller's ``decimal`` context never reaches money (issue 18, "The caller's decimal context leaks into money").

Every computation runs in the library's own context (``tuoyu_rules.core.money.money_context``), whatever
``decimal.getcontext()`` holds: its precision, its traps (``Inexact`` and ``Rounded`` included), its rounding.
Each rule runs in a fresh copy, so a rule (a plugin's) that changes the context changes nothing else.
Each case below failed before the fix; the property at the end runs the main paths (``assess``, ``tally``,
``tally_columns`` and the CLI) under random contexts and asks for the bytes of the default context.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import os
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
from plugin_policies import plugin_data, serve_plugins
from strategies import facility_data
from tuoyu_rules.batch import tally, tally_columns
from tuoyu_rules.core import registry
from tuoyu_rules.core.money import MONEY_PRECISION, in_money_context, money_context

ON = dt.date(2024, 6, 1)
SIGNALS = (
    decimal.Clamped,
    decimal.DivisionByZero,
    decimal.FloatOperation,
    decimal.Inexact,
    decimal.InvalidOperation,
    decimal.Overflow,
    decimal.Rounded,
    decimal.Subnormal,
    decimal.Underflow,
)
ROUNDINGS = (
    decimal.ROUND_05UP,
    decimal.ROUND_CEILING,
    decimal.ROUND_DOWN,
    decimal.ROUND_FLOOR,
    decimal.ROUND_HALF_DOWN,
    decimal.ROUND_HALF_EVEN,
    decimal.ROUND_HALF_UP,
    decimal.ROUND_UP,
)


def context(
    prec: int = 28, traps: tuple[type[decimal.DecimalException], ...] | None = None, **kw: Any
) -> decimal.Context:
    """A caller's context: ``traps`` None keeps Python's default traps."""
    ctx = decimal.Context(prec=prec, **kw)
    if traps is not None:
        ctx.traps = dict.fromkeys(SIGNALS, False) | dict.fromkeys(traps, True)
    return ctx


@pytest.fixture
def cold_registry() -> Iterator[None]:
    """Forget every loaded policy before and after, so the test's own context sees the data load."""
    registry._reset()
    yield
    registry._reset()


def xiamen() -> tr.Facility:
    return tr.Facility(jurisdiction="xiamen", mode="self_run", self_built=True, places=30, enrolled=20)


# -- the cases of the finding -------------------------------------------------------------------------------------


def test_a_weifang_budget_at_prec_10_keeps_every_fen_and_dumps_to_json() -> None:
    """3,001 facilities pinned at 33,333.33: 100033323.33, not 100033323.3 (and the dump used to fail)."""
    data = {
        "jurisdiction": "weifang",
        "mode": "self_run",
        "places": 30,
        "enrolled": 20,
        "designations": [{"program": "weifang.caring_employer", "year": 2024, "amount": "33333.33"}],
    }
    facilities = [tr.Facility.model_validate(data) for _ in range(3001)]
    with decimal.localcontext(context(prec=10)):
        result = tr.budget(facilities, on=ON)
        text = result.model_dump_json()
    award = {p.payer: p.amount for p in result.scenarios[0].by_payer}["weifang.union"]
    assert (award.low, award.high) == (Decimal("100033323.33"), Decimal("100033323.33"))
    assert str(award.low) == "100033323.33"
    assert '"low":"100033323.33"' in text


@pytest.mark.usefixtures("cold_registry")
def test_xiamen_at_prec_5_without_the_invalid_operation_trap_is_not_nan() -> None:
    """Was "eligible NaN NaN" (the load and the amounts quantized at 5 digits, NaN instead of an error)."""
    expected = tr.assess(xiamen(), on=ON).entitlement("xiamen.operating_subsidy")
    registry._reset()
    with decimal.localcontext(context(prec=5, traps=())):
        entry = tr.assess(xiamen(), on=ON).entitlement("xiamen.operating_subsidy")
    assert (entry.status, entry.amount.low, entry.amount.high) == ("eligible", Decimal("15000.00"), Decimal("25000.00"))
    assert entry == expected


@pytest.mark.usefixtures("cold_registry")
@pytest.mark.parametrize("cold", [True, False], ids=["first-load", "loaded"])
def test_prec_6_is_not_blamed_on_the_rule_or_the_bundled_data(cold: bool) -> None:
    """Was a PolicyDataError naming the rule, or (before the first load) the bundled data file."""
    if not cold:
        tr.get_policy("xiamen")
    with decimal.localcontext(context(prec=6)):
        a = tr.assess(xiamen(), on=ON)
    assert a.entitlement("xiamen.operating_subsidy").amount.high == Decimal("25000.00")


def test_parent_fee_with_inexact_and_rounded_trapped() -> None:
    """Was a raw decimal.Rounded from inside parent_fee."""
    expected = tr.parent_fee("1234.57", share="0.85", allowance_monthly="100")
    with decimal.localcontext(context(traps=(decimal.Inexact, decimal.Rounded, decimal.InvalidOperation))):
        quote = tr.parent_fee("1234.57", share="0.85", allowance_monthly="100")
    assert quote == expected
    assert quote.fee == Decimal("1049.38")  # 1049.3845, rounded once, half up


def test_the_caller_context_is_left_exactly_as_it_was() -> None:
    ctx = context(prec=3, traps=(decimal.Inexact,), rounding=decimal.ROUND_FLOOR)
    with decimal.localcontext(ctx) as current:
        tr.assess(xiamen(), on=ON)
        tr.parent_fee("1234.57", share="0.85")
        assert (current.prec, current.rounding, current.traps[decimal.Inexact]) == (3, decimal.ROUND_FLOOR, True)
        assert not any(current.flags.values())  # nothing the library did signalled in the caller's context


def test_the_library_context_is_exact_half_up_and_traps_only_real_errors() -> None:
    with money_context() as ctx:
        assert ctx.prec == MONEY_PRECISION
        assert ctx.rounding == decimal.ROUND_HALF_UP
        trapped = {s for s, on in ctx.traps.items() if on}
        assert trapped == {decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow}
        ctx.prec = 2  # a copy: the next one is fresh
    with money_context() as again:
        assert again.prec == MONEY_PRECISION


def test_a_generator_entry_point_steps_in_the_library_context_and_the_caller_runs_in_its_own() -> None:
    @in_money_context
    def precisions() -> Iterator[int]:
        for _ in range(2):
            yield decimal.getcontext().prec

    with decimal.localcontext(context(prec=7)):
        seen = []
        for prec in precisions():
            seen.append((prec, decimal.getcontext().prec))
    assert seen == [(MONEY_PRECISION, 7), (MONEY_PRECISION, 7)]


# -- a plugin that changes the context ----------------------------------------------------------------------------

_PLUGIN_DATA = plugin_data(
    "ctxville",
    code="359800",
    programs={
        "ctxville.meddler": {"name_zh": "补助一", "name_en": "Meddler", "basis": "per_year"},
        "ctxville.victim": {"name_zh": "补助二", "name_en": "Victim", "basis": "per_year"},
    },
    parameters={
        "ctxville.amount": {
            "description": "Yearly subsidy",
            "values": [{"kind": "range", "low": "12345.67", "high": "12345.67", "cite": ["ctxville.notice"]}],
        }
    },
)


def _meddler(ctx: tr.RuleContext) -> tr.Outcome:
    """A plugin rule that leaves the decimal context in a state no money survives."""
    current = decimal.getcontext()
    current.prec = 2
    current.rounding = decimal.ROUND_DOWN
    current.traps[decimal.Inexact] = True
    return ctx.ineligible("meddles with the decimal context")


def _victim(ctx: tr.RuleContext) -> tr.Outcome:
    """A plugin rule that does raw Decimal arithmetic after the meddler ran."""
    amount = ctx.range("ctxville.amount")
    assert amount is not None
    tripled = amount.low * 3  # the context's arithmetic, not a library call
    return ctx.eligible(tr.AmountRange.exactly(tripled), "three times the amount")


@pytest.fixture
def meddling_plugin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    rules = {"ctxville.meddler": _meddler, "ctxville.victim": _victim}
    serve_plugins(monkeypatch, ctxville=lambda: tr.build_policy(_PLUGIN_DATA, rules, origin="test"))
    yield
    registry._reset()


@pytest.mark.usefixtures("meddling_plugin")
def test_a_plugin_that_changes_the_context_breaks_neither_the_next_rule_nor_the_next_row() -> None:
    plugin_row = {"jurisdiction": "ctxville", "mode": "self_run", "places": 10, "enrolled": 5}
    builtin_row = xiamen().model_dump(mode="json")
    expected = tally([builtin_row], on=ON)
    with decimal.localcontext(context()) as caller:
        totals = tally([plugin_row, builtin_row], on=ON)
        a = tr.assess(tr.Facility.model_validate(plugin_row), on=ON)
        assert (caller.prec, caller.rounding, caller.traps[decimal.Inexact]) == (28, decimal.ROUND_HALF_EVEN, False)
    assert a.entitlement("ctxville.victim").amount.low == Decimal("37037.01")  # the next rule, the same call
    ctx_key = ("ctxville.union", "per_year")
    assert totals[ctx_key].low == 3703701  # fen
    assert {k: totals[k] for k in expected} == expected  # the built-in row's money, every fen of it


# -- the property: random contexts, identical bytes ---------------------------------------------------------------


@st.composite
def callers_contexts(draw: st.DrawFn) -> decimal.Context:
    traps = draw(st.lists(st.sampled_from(SIGNALS), unique=True))
    return context(
        prec=draw(st.integers(min_value=1, max_value=60)),
        traps=tuple(traps),
        rounding=draw(st.sampled_from(ROUNDINGS)),
    )


def _cli(argv: list[str], stdin: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(argv, stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def _everything(rows: list[dict[str, Any]], on: dt.date) -> list[object]:
    """What each path gives for ``rows``: assess's JSON, tally's and tally_columns' totals, the CLI's bytes."""
    day = on.isoformat()
    facilities = [tr.Facility.model_validate(r) for r in rows]
    texts = [f.model_dump_json() for f in facilities]
    columns = {name: [r.get(name) for r in rows] for name in ("jurisdiction", "mode", "places", "enrolled")}
    return [
        [tr.assess(f, on=on).model_dump_json() for f in facilities],
        repr(tally(texts, on=on)),
        repr(tally_columns(columns, on=on, backend="python")),
        _cli(["assess", "-", "--on", day], texts[0]),
        _cli(["assess", "-", "--on", day, "--format", "json"], texts[0]),
        _cli(["compare", "-", "--on", day, "--format", "csv"], texts[0]),
        _cli(["budget", "-", "--input", "jsonl", "--on", day, "--strategy", "mid"], "\n".join(texts) + "\n"),
        _cli(["budget", "-", "--input", "jsonl", "--on", day, "--format", "json"], "\n".join(texts) + "\n"),
        _cli(["project", "-", "--start", day, "--end", f"{on.year + 1}-12-31", "--format", "csv"], texts[0]),
        _cli(["fee", "--market", "1234.57", "--share", "0.85"], ""),
    ]


@settings(
    max_examples=int(os.environ.get("TUOYU_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    rows=st.lists(facility_data(), min_size=1, max_size=4),
    on=st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2027, 12, 31)),
    caller=callers_contexts(),
)
def test_every_path_gives_the_same_bytes_under_any_caller_context(
    rows: list[dict[str, Any]], on: dt.date, caller: decimal.Context
) -> None:
    rows = [json.loads(tr.Facility.model_validate(r).model_dump_json()) for r in rows]
    with decimal.localcontext(decimal.Context()):  # Python's default context
        expected = _everything(rows, on)
    with decimal.localcontext(caller):
        got = _everything(rows, on)
    assert got == expected
