"""Every public error and value pickles (issue 18, "Plugins and processes").

A process pool sends arguments to its workers and results and errors back by pickling them: ``ColumnRowError``
could not be unpickled (its ``__init__`` takes the row and its problems, pickle gave it the message), so a bad
row inside a pool killed the pool, and a ``Policy`` could not be pickled at all (its read-only mappings).
The exception classes are found by walking the package, so a new one without an example here fails the test.
``Reform`` is covered with the reforms (issue 18 has a finding of its own for it).
"""

from __future__ import annotations

import datetime as dt
import importlib
import pickle
import pkgutil
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pydantic
import pytest

import tuoyu_rules as tr
from tuoyu_rules.batch import FenEntry, RuleCache, tally
from tuoyu_rules.batch.columns import ColumnRowError, RowProblem, tally_columns
from tuoyu_rules.batch.fen import RowError as BatchRowError
from tuoyu_rules.batch.stream import TallyError
from tuoyu_rules.cli.common import BadInput
from tuoyu_rules.core.jsonio import JsonError
from tuoyu_rules.core.messages import msg
from tuoyu_rules.core.parameters import ValueProblem
from tuoyu_rules.io.readers import Row, read_jsonl
from tuoyu_rules.io.readers import RowError as ReaderRowError
from tuoyu_rules.io.readers import RowProblem as ReaderRowProblem
from tuoyu_rules.whatif import YearPayerTotal

ON = dt.date(2024, 6, 1)


def _round_trip(value: object) -> object:
    for protocol in (2, pickle.DEFAULT_PROTOCOL, pickle.HIGHEST_PROTOCOL):
        copy = pickle.loads(pickle.dumps(value, protocol=protocol))
        assert type(copy) is type(value)
    return copy


# -- errors ---------------------------------------------------------------------------------------------------------

ERRORS: dict[type[BaseException], Callable[[], BaseException]] = {
    tr.TuoyuError: lambda: tr.TuoyuError("something"),
    tr.InvalidInput: lambda: tr.InvalidInput("places", "must be 0 or more"),
    tr.MoneyError: lambda: tr.MoneyError("amount", "negative"),
    tr.AmountOutsideRange: lambda: tr.AmountOutsideRange("pins[x]", "60000.00 is not one of 50000.00"),
    tr.UnknownJurisdiction: lambda: tr.UnknownJurisdiction("atlantis", ["xiamen", "cn"]),
    tr.UnknownProgram: lambda: tr.UnknownProgram("designation", "x.y", ["cn.caring_employer"]),
    tr.PolicyDataError: lambda: tr.PolicyDataError("jurisdictions/x.toml: bad"),
    tr.PluginError: lambda: tr.PluginError("broken", plugin="testville", value="pkg:load"),
    tr.PluginRuleError: lambda: tr.PluginRuleError("rule t.g of jurisdiction plugin 't' failed", plugin="t"),
    ColumnRowError: lambda: ColumnRowError(7, [RowProblem(7, "places", "bad"), RowProblem(7, "enrolled", "worse")]),
    TallyError: lambda: TallyError(3, "places: bad"),
    ReaderRowError: lambda: ReaderRowError(12, "places", "not a whole number"),
    JsonError: lambda: JsonError("reform", "duplicate key 'name'"),
    BadInput: lambda: BadInput("give a FILE"),
    tr.NotFound: lambda: tr.NotFound("no entitlement 'x'; present: xiamen.construction_subsidy"),  # issue 15
    tr.WrongType: lambda: tr.WrongType("rows", "an iterable of rows, not int"),  # issue 15
    tr.InvalidData: lambda: _invalid_data(),  # issue 15
    ValueProblem: lambda: ValueProblem("p.ratio", "1000 is outside", "error.parameter.ratio.outside", {"value": "1"}),
}


def _invalid_data() -> tr.InvalidData:
    try:
        tr.Facility.model_validate({"jurisdiction": "xiamen", "mode": "self_run", "places": 3, "enrolled": 5})
    except pydantic.ValidationError as exc:
        return tr.InvalidData.of(exc, ("rows", 3))
    raise AssertionError("the facility above is invalid")


def _public_error_classes() -> set[type[BaseException]]:
    """Every exception class the package defines under a public name (``__main__`` modules are not imported)."""
    found: set[type[BaseException]] = set()
    for info in pkgutil.walk_packages(tr.__path__, "tuoyu_rules."):
        if info.name.endswith("__main__") or ".jurisdictions." in info.name:
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (
                isinstance(obj, type)
                and issubclass(obj, BaseException)
                and not name.startswith("_")
                and obj.__module__.startswith("tuoyu_rules")
            ):
                found.add(obj)
    return found


def test_every_public_error_class_has_an_example_here() -> None:
    missing = {f"{c.__module__}.{c.__qualname__}" for c in _public_error_classes() - set(ERRORS)}
    assert not missing, f"add an example of each to ERRORS: {sorted(missing)}"


@pytest.mark.parametrize("cls", list(ERRORS), ids=lambda c: c.__name__)
def test_every_public_error_pickles(cls: type[BaseException]) -> None:
    error = ERRORS[cls]()
    assert type(error) is cls
    copy = _round_trip(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)


def test_a_column_row_error_comes_back_from_a_process_pool_intact() -> None:
    """The finding: unpickling called ColumnRowError(message) and raised TypeError in the pool's result thread."""
    error = ERRORS[ColumnRowError]()
    copy = _round_trip(error)
    assert isinstance(copy, ColumnRowError)
    assert copy.row == 7
    assert copy.problems == [RowProblem(7, "places", "bad"), RowProblem(7, "enrolled", "worse")]
    with pytest.raises(ColumnRowError) as info:
        tally_columns({"jurisdiction": ["xiamen"], "mode": ["self_run"], "places": [-1], "enrolled": [0]}, on=ON)
    real = _round_trip(info.value)
    assert str(real) == str(info.value)


# -- values ---------------------------------------------------------------------------------------------------------


def _facility(**extra: Any) -> tr.Facility:
    data: dict[str, Any] = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 30}
    data.update({"enrolled": 20, **extra})
    return tr.Facility.model_validate(data)


def _weifang() -> tr.Facility:
    designation = {"program": "weifang.caring_employer", "year": 2024, "amount": "40000"}
    return tr.Facility.model_validate(
        {"jurisdiction": "weifang", "mode": "self_run", "places": 30, "enrolled": 20, "designations": [designation]}
    )


def _values() -> dict[str, object]:
    facility = _facility(designations=[{"program": "cn.caring_employer", "year": 2022}])
    assessment = tr.assess(facility, on=ON)
    matched = tr.assess(_weifang(), on=ON)
    xiamen = tr.get_policy("xiamen")
    projection = tr.project(facility, start=ON, end=dt.date(2025, 12, 31))
    plan = tr.UnionSpendingPlan.model_validate(
        {
            "items": [
                {
                    "category": "childcare_service",
                    "amount": "12000",
                    "payee": "childcare_provider",
                    "settlement": "bank_transfer",
                    "description": "places at the operator",
                }
            ],
            "budget": "50000",
            "work_plan": True,
            "collective_decision": True,
        }
    )
    report = tr.check_union_spending(plan)
    allowance = tr.childcare_allowance(dt.date(2024, 3, 15), applied=[dt.date(2025, 10, 1)], as_of=dt.date(2026, 1, 1))
    rows = list(read_jsonl([facility.model_dump_json() + "\n", "{}\n"]))
    return {
        "Facility": facility,
        "Designation": facility.designations[0],
        "Receipt": tr.Receipt(program="cn.caring_employer_award", paid_on=ON, amount="100000"),  # issue 15
        "Assessment": assessment,
        "AssessedRow": next(tr.assess_rows([facility], on=ON)),  # issue 15 (assess-many)
        "AssessedRow (a bad row)": next(tr.assess_rows([{"places": -1}], on=ON)),
        "Entitlement": assessment.entitlements[0],
        "Obligation": matched.obligations[0],
        "PayerTotal": assessment.totals()[0],
        "AmountRange": tr.AmountRange.of("50000", "100000", allowed=("50000", "80000", "100000")),
        "AmountRange (open)": tr.AmountRange.unknown(),
        "Citation": assessment.entitlements[0].citations[0],
        "ParameterUse": next(e for e in assessment.entitlements if e.parameters).parameters[0],
        "Policy": xiamen,
        "Program": xiamen.programs[0],
        "Payer": next(iter(xiamen.payers.values())),
        "DesignationSpec": tr.get_policy("cn").designations[0],
        "Outcome": tr.Outcome("eligible", tr.AmountRange.of("1", "2"), ("a reason",)),
        "Outcome (messages)": tr.Outcome(  # issue 14: a rule's reasons are messages
            "eligible", tr.AmountRange.of("1", "2"), (msg("xiamen.operating.class", size=5, amount=Decimal("15000")),)
        ),
        "Message": msg("xiamen.construction.eligible", amount=tr.AmountRange.of("50000", "100000")),  # issue 14
        "Explanation": assessment.entitlements[0].explanation[0],  # issue 14
        "Budget": tr.budget([facility, _weifang()], on=ON, strategy="mid"),
        "Projection": projection,
        "YearPayerTotal": projection.totals()[0],
        "Comparison": tr.compare(facility, on=ON),
        "Pinned": tr.pin(facility, on=ON, strategy="mid"),
        "PinChoice": tr.pin(facility, on=ON, strategy="mid").choices[0],
        "FeeQuote": tr.parent_fee("1234.57", share="0.85", allowance_monthly="100"),
        "AllianceCheck": tr.alliance_price_check("1000", "1000"),
        "FamilyCost": tr.family_monthly_cost("3000", share="0.85", employer_allowance="200"),
        "Allowance": allowance,
        "AllowanceYear": allowance.by_year[0],
        "AllowanceClaim": allowance.claims[0],
        "UnionSpendingPlan": plan,
        "SpendingItem": plan.items[0],
        "ComplianceReport": report,
        "Finding": report.findings[0],
        "StandardsInput": tr.StandardsInput.model_validate(
            {"classes": [{"kind": "small", "children": 10, "carers": 2}]}
        ),
        "ChildcareClass": tr.ChildcareClass.model_validate({"kind": "small", "children": 10, "carers": 2}),
        "GuidanceGap": tr.health_guidance_gaps([dt.date(2024, 3, 1)], start=dt.date(2023, 12, 31), end=ON)[0],
        "tally totals": tally([facility.model_dump(mode="json")], on=ON),
        "FenEntry": RuleCache(on=ON).fen(facility)[0],
        "batch RowError": BatchRowError(3, "ValidationError: places"),
        "Row (a facility)": rows[0],
        "Row (a problem)": rows[1],
        "RowProblem": rows[1].problem,
        "column RowProblem": RowProblem(1, "places", "bad"),
    }


VALUES = _values()


def test_the_values_cover_every_public_value_class() -> None:
    """Every class ``tuoyu_rules`` exports that holds a result or an input (not an error, a cache or a rule's view)."""
    not_values = {"Reform", "RuleCache", "RuleContext"}
    exported = {
        name
        for name in tr.__all__
        if isinstance(getattr(tr, name), type) and not issubclass(getattr(tr, name), BaseException)
    }
    covered = {type(v).__name__ for v in VALUES.values()}
    assert exported - not_values <= covered, sorted(exported - not_values - covered)
    assert {Row, ReaderRowProblem, FenEntry, YearPayerTotal} <= {type(v) for v in VALUES.values()}


@pytest.mark.parametrize("name", list(VALUES))
def test_every_public_value_pickles_and_comes_back_equal(name: str) -> None:
    value = VALUES[name]
    copy = _round_trip(value)
    assert copy == value
    dump = getattr(value, "model_dump_json", None)
    if dump is not None:
        assert copy.model_dump_json() == dump()  # type: ignore[attr-defined]


def test_an_unpickled_policy_is_read_only_and_assesses_alike() -> None:
    copy = _round_trip(tr.get_policy("xiamen"))
    assert isinstance(copy, tr.Policy)
    with pytest.raises(TypeError):
        copy.parameters["x"] = None  # type: ignore[index]
    rule = copy.program("xiamen.operating_subsidy").rule
    assert rule is tr.get_policy("xiamen").program("xiamen.operating_subsidy").rule  # by reference
    assert VALUES["AmountRange"] == tr.AmountRange.of("50000", "100000", allowed=("50000", "80000", "100000"))
    assert Decimal("0.00") == VALUES["AmountRange (open)"].low  # type: ignore[attr-defined]
