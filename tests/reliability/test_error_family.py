"""One error family (issue 15): every bad input through a public entry point is a ``tr.TuoyuError``.

A service that catches ``tr.TuoyuError`` catches all bad input. The findings, before the fix: ``tr.budget(5, ...)``,
``tr.tally(5, ...)``, ``tr.read_csv(5)``, ``tr.compare(f, cities=5)``, ``tr.sweep(..., parameter=[])`` raised
``TypeError``; ``tr.check_columns("x")`` and ``tr.merge_totals("a", {})`` ``AttributeError``;
``tr.check_union_spending({})`` and ``tr.check_facility_standards(classes=[{"kind": "baby"}])`` a bare pydantic
``ValidationError``; ``Assessment.entitlement("x")`` and ``to_csv(a, table="x")`` a bare ``KeyError``;
``assess_many(..., output="x")`` and ``RuleCache(max_leaves=0)`` a bare ``ValueError``; ``tally(..., foo=1)`` a
``TypeError`` from deep inside.

Every public function of ``tr`` (found by walking ``tr.__all__``) has a working call here; hypothesis replaces one
argument at a time by a hostile value (None, bools, huge and negative ints, floats with NaN, text, bytes, lists,
dicts, dates, datetimes, decimals, a bare object). The call either works or raises a ``tr.TuoyuError`` with a
message; a pydantic ``ValidationError`` that leaves a function is an ``InvalidData``, both a ``TuoyuError`` and a
``ValidationError`` (where the contract promises a ``ValidationError``, it still is one), with its field paths.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tuoyu_rules as tr
from tuoyu_rules.batch import FenTotal

ON = dt.date(2024, 6, 1)
FACILITY = tr.Facility(jurisdiction="xiamen", mode="self_run", self_built=True, places=30, enrolled=20)
ROW = {"jurisdiction": "xiamen", "mode": "self_run", "places": 3, "enrolled": 1}
JSON_ROW = '{"jurisdiction": "xiamen", "mode": "self_run", "places": 3, "enrolled": 1}'
COLUMNS = {"jurisdiction": ["xiamen"], "mode": ["self_run"], "places": [3], "enrolled": [1]}
VALUE = {"kind": "range", "low": "20000", "high": "30000"}
REFORM = {"name": "r", "parameters": {"xiamen.operating_subsidy.amount": [VALUE]}}
ITEM = {"category": "childcare_service", "amount": "12000", "payee": "childcare_provider"}
ITEM["settlement"] = "bank_transfer"
PLAN = {"items": [ITEM], "budget": "50000", "work_plan": True, "collective_decision": True}


def _assessment() -> tr.Assessment:
    return tr.assess(FACILITY.model_copy(update={"designations": (tr.Designation("cn.caring_employer", 2022),)}), on=ON)


def _list(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A generator function, run to its end (its errors come out while it runs)."""
    return lambda *a, **k: list(fn(*a, **k))


def _excel(result: Any, path: Any = None) -> Any:
    return tr.to_excel(result, Path("/tmp") / "tuoyu_error_family.xlsx" if path is None else path)


Call = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]

CALLS: dict[str, Call] = {
    "assess": (tr.assess, (FACILITY,), {"on": ON, "jurisdiction": "xiamen", "pins": {}, "rounding": "ROUND_HALF_UP"}),
    "pin": (tr.pin, (FACILITY,), {"on": ON, "strategy": "low", "awards": {}}),
    "compare": (tr.compare, (FACILITY,), {"on": ON, "cities": ["xiamen"]}),
    "project": (tr.project, (FACILITY,), {"start": ON, "end": dt.date(2024, 8, 31), "prorate": False}),
    "budget": (tr.budget, ([FACILITY],), {"on": ON, "strategy": None, "errors": "raise", "reforms": ()}),
    "portfolio_budget": (tr.portfolio_budget, ([FACILITY],), {"on": ON}),
    "sweep": (tr.sweep, ([FACILITY],), {"on": ON, "parameter": "xiamen.operating_subsidy.amount", "values": [VALUE]}),
    "parent_fee": (tr.parent_fee, ("3000",), {"share": "0.85", "cap": "2800", "allowance_monthly": "200"}),
    "alliance_fee": (tr.alliance_fee, ("3000",), {"allowance_monthly": 0, "cap": None}),
    "alliance_price_check": (tr.alliance_price_check, ("3000", "2000"), {"own_staff_placed": None}),
    "family_monthly_cost": (tr.family_monthly_cost, ("3000",), {"share": "0.5", "birth": dt.date(2025, 3, 1)}),
    "childcare_allowance": (tr.childcare_allowance, (dt.date(2025, 1, 1),), {"prc_national": True, "as_of": None}),
    "check_union_spending": (tr.check_union_spending, (PLAN,), {}),
    "check_facility_standards": (tr.check_facility_standards, (), {"on": ON, "carers": 2, "children": 5}),
    "check_standards": (tr.check_standards, (tr.StandardsInput(),), {"on": ON}),
    "check_health_guidance": (tr.check_health_guidance, ([ON],), {"start": ON, "end": dt.date(2024, 12, 1)}),
    "health_guidance_gaps": (tr.health_guidance_gaps, ([ON],), {"start": ON, "end": dt.date(2024, 12, 1)}),
    "chengdu_target_progress": (
        tr.chengdu_target_progress,
        ({"jinjiang": 1},),
        {"city_demonstration_sites": 3, "on": ON},
    ),
    "tally": (tr.tally, ([ROW],), {"on": ON, "max_leaves": 10}),
    "assess_many": (_list(tr.assess_many), ([ROW],), {"on": ON, "output": "fen", "on_error": "raise"}),
    "tally_columns": (tr.tally_columns, (COLUMNS,), {"on": ON, "on_error": "raise", "backend": "python"}),
    "check_columns": (tr.check_columns, (COLUMNS,), {"backend": "python"}),
    "merge_totals": (tr.merge_totals, ({("a.b", "one_time"): FenTotal(1, 1, 1, 0)}, {}), {}),
    "read_csv": (_list(tr.read_csv), (["jurisdiction,mode,places,enrolled", "xiamen,self_run,3,1"],), {}),
    "read_jsonl": (_list(tr.read_jsonl), ([JSON_ROW],), {}),
    "assess_rows": (_list(tr.assess_rows), ([ROW],), {"on": ON, "output": "assessment", "input_format": None}),
    "get_policy": (tr.get_policy, ("xiamen",), {}),
    "error_text": (tr.error_text, (tr.InvalidInput("places", "must be 0 or more"),), {"lang": "zh"}),
    "chain": (tr.chain, ("xiamen",), {}),
    "resolve_jurisdiction": (tr.resolve_jurisdiction, ("350200",), {}),
    "parse_money": (tr.parse_money, ("1.50",), {"field": "amount"}),
    "build_policy": (tr.build_policy, ({},), {"rules": {}}),
    "to_csv": (tr.to_csv, (_assessment(),), {"table": "entries"}),
    "write_csv": (tr.write_csv, (_assessment(), io.StringIO()), {"table": None}),
    "to_dataframe": (tr.to_dataframe, (_assessment(),), {"table": None}),
    "to_excel": (_excel, (_assessment(),), {}),
    "Reform.from_dict": (tr.Reform.from_dict, (REFORM,), {}),
    "Reform.loads": (tr.Reform.loads, (json.dumps(REFORM),), {"format": "json"}),
    "Reform.load": (tr.Reform.load, ("/nonexistent/reform.json",), {}),
    "AmountRange.of": (tr.AmountRange.of, ("1", "2"), {}),
    "Assessment.entitlement": (_assessment().entitlement, ("xiamen.construction_subsidy",), {}),
    "Assessment.obligation": (_assessment().obligation, ("cn.caring_employer_provincial_match",), {}),
    "RuleCache": (lambda *a, **k: tr.RuleCache(*a, **k).assessment(FACILITY), (), {"on": ON, "max_leaves": 5}),
}
"""Every public entry point, with a call that works (or fails as bad input) and whose arguments are replaced."""

NO_INPUT = {"list_jurisdictions", "plugin_problems", "model_names", "schemas"}
"""Public functions that take no argument: nothing to be bad."""

HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.binary(max_size=6),
    st.lists(st.one_of(st.integers(-5, 5), st.text(max_size=3), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=4), st.one_of(st.integers(-5, 5), st.text(max_size=3)), max_size=3),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.just(object()),
    st.sampled_from([("xiamen",), {"xiamen": 1}, [{"x": 1}], "xiamen", "2024-13-01", "-1", "0.001", b"\xff"]),
)


def test_every_public_function_is_walked() -> None:
    functions = {
        name for name in tr.__all__ if inspect.isfunction(getattr(tr, name)) and not name.startswith("_")
    }
    assert functions - NO_INPUT <= set(CALLS), sorted(functions - NO_INPUT - set(CALLS))


@pytest.mark.parametrize("name", sorted(CALLS))
def test_the_working_call_works_or_fails_as_bad_input(name: str) -> None:
    fn, args, kwargs = CALLS[name]
    if name in ("build_policy", "Reform.load"):  # build_policy({}), a missing reform file: refused, as they should be
        with pytest.raises(tr.TuoyuError):
            fn(*args, **kwargs)
        return
    fn(*args, **kwargs)


def _check(exc: BaseException) -> None:
    assert isinstance(exc, tr.TuoyuError), f"{type(exc).__name__} escaped: {exc!r:.300}"
    assert str(exc).strip()
    if isinstance(exc, pydantic.ValidationError):
        assert isinstance(exc, tr.InvalidData)
        assert exc.field  # the first error's field path (the model's name for a whole-model rule)


@pytest.mark.parametrize("name", sorted(CALLS))
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_hostile_argument_is_a_tuoyu_error(name: str, data: st.DataObject) -> None:
    fn, args, kwargs = CALLS[name]
    slots: list[int | str] = [*range(len(args)), *kwargs]
    if not slots:
        return
    slot = data.draw(st.sampled_from(slots), label="argument")
    bad = data.draw(HOSTILE, label="value")
    new_args, new_kwargs = list(args), dict(kwargs)
    if isinstance(slot, int):
        new_args[slot] = bad
    else:
        new_kwargs[slot] = bad
    try:
        fn(*new_args, **new_kwargs)
    except Exception as exc:
        _check(exc)


@pytest.mark.parametrize(
    ("call", "kind"),
    [
        (lambda: tr.budget(5, on=ON), tr.InvalidInput),  # type: ignore[arg-type]
        (lambda: tr.tally(5, on=ON), tr.InvalidInput),  # type: ignore[arg-type]
        (lambda: list(tr.read_csv(5)), tr.InvalidInput),  # type: ignore[arg-type]
        (lambda: list(tr.read_jsonl(5)), tr.InvalidInput),  # type: ignore[arg-type]
        (lambda: tr.compare(FACILITY, on=ON, cities=5), tr.InvalidInput),  # type: ignore[arg-type]
        (lambda: tr.sweep([FACILITY], on=ON, parameter=[], values=[VALUE]), tr.InvalidInput),  # type: ignore[arg-type]
        (lambda: tr.check_columns("x"), tr.InvalidInput),  # type: ignore[arg-type]
        (lambda: tr.merge_totals("a", {}), tr.InvalidInput),  # type: ignore[arg-type]
        (lambda: tr.check_union_spending({}), tr.InvalidData),
        (lambda: tr.check_facility_standards(on=ON, classes=[{"kind": "baby"}]), tr.InvalidData),
        (lambda: tr.AmountRange.of("5", "1"), tr.InvalidData),
        (lambda: _assessment().entitlement("x"), tr.NotFound),
        (lambda: tr.to_csv(_assessment(), table="x"), tr.NotFound),
        (lambda: tr.to_csv("x"), tr.WrongType),
        (lambda: list(tr.assess_many([ROW], on=ON, output="x")), tr.InvalidInput),  # type: ignore[arg-type]
        (lambda: tr.RuleCache(on=ON, max_leaves=0), tr.InvalidInput),
        (lambda: tr.tally([ROW], on=ON, foo=1), tr.InvalidInput),
        (lambda: list(tr.assess_many([{"jurisdiction": "xiamen"}], on=ON)), tr.InvalidData),
        (lambda: tr.Reform.load(5), tr.InvalidInput),  # type: ignore[arg-type]
    ],
)
def test_each_finding_is_now_in_the_family(call: Callable[[], object], kind: type[Exception]) -> None:
    with pytest.raises(kind) as info:
        call()
    _check(info.value)


def test_the_old_catches_still_catch() -> None:
    """A caller that caught ValidationError, KeyError, TypeError or ValueError before still does."""
    with pytest.raises(pydantic.ValidationError):
        tr.check_facility_standards(on=ON, classes=[{"kind": "baby"}])
    with pytest.raises(pydantic.ValidationError):
        tr.Facility.model_validate({"jurisdiction": "xiamen"})  # the contract's promise: a bare ValidationError
    with pytest.raises(KeyError):
        _assessment().entitlement("x")
    with pytest.raises(TypeError):
        tr.to_csv("x")
    with pytest.raises(ValueError, match="output"):
        list(tr.assess_many([ROW], on=ON, output="x"))  # type: ignore[arg-type]


def test_wrapped_validation_keeps_every_field_path() -> None:
    with pytest.raises(tr.InvalidData) as info:
        tr.check_facility_standards(on=ON, classes=[{"kind": "baby", "children": -1, "carers": 1}])
    paths = [e["loc"] for e in info.value.errors()]
    assert ("classes", 0, "kind") in paths
    assert ("classes", 0, "children") in paths
    assert info.value.field == "classes.0.kind"
    assert isinstance(info.value.__cause__, pydantic.ValidationError)


def test_a_wrapped_error_pickles_with_its_paths() -> None:
    import pickle

    with pytest.raises(tr.InvalidData) as info:
        tr.check_union_spending({"employer": "A"})
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is tr.InvalidData
    assert [e["loc"] for e in copy.errors()] == [e["loc"] for e in info.value.errors()]
    assert (copy.field, copy.problem) == (info.value.field, info.value.problem)


def test_decimal_money_in_a_hostile_slot_is_refused_not_clamped() -> None:
    with pytest.raises(tr.MoneyError):
        tr.parent_fee(Decimal("NaN"))
