"""The error types: one base class, specific subclasses, messages that name the field and the rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pydantic
import pytest

import tuoyu_rules as tr
from tuoyu_rules.core import errors

ON = dt.date(2024, 6, 1)


def xiamen(**extra: object) -> tr.Facility:
    data: dict[str, object] = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 30}
    data["enrolled"] = 20
    data.update(extra)
    return tr.Facility.model_validate(data)


@pytest.mark.parametrize(
    ("cls", "bases"),
    [
        (tr.UnknownJurisdiction, (tr.TuoyuError, LookupError)),
        (tr.UnknownProgram, (tr.TuoyuError, LookupError)),
        (tr.InvalidInput, (tr.TuoyuError, ValueError)),
        (tr.MoneyError, (tr.InvalidInput, ValueError)),
        (tr.AmountOutsideRange, (tr.InvalidInput, ValueError)),
        (tr.PolicyDataError, (tr.TuoyuError,)),
        (tr.PluginError, (tr.TuoyuError,)),
    ],
)
def test_hierarchy(cls: type[Exception], bases: tuple[type[Exception], ...]) -> None:
    assert issubclass(cls, bases)


def test_every_public_error_is_exported() -> None:
    public = {name for name, obj in vars(errors).items() if isinstance(obj, type) and issubclass(obj, Exception)}
    assert public <= set(tr.__all__)


def test_unknown_jurisdiction_lists_the_known_ids_sorted() -> None:
    with pytest.raises(tr.UnknownJurisdiction) as info:
        tr.get_policy("atlantis")
    message = str(info.value)
    assert message.startswith("unknown jurisdiction 'atlantis'; known ids: ")
    assert info.value.known == tr.list_jurisdictions()
    assert ", ".join(tr.list_jurisdictions()) in message
    assert info.value.jurisdiction_id == "atlantis"


@pytest.mark.parametrize("bad", [None, 42, b"xiamen", ("xiamen",), "XIAMEN", " xiamen", ""])
def test_get_policy_refuses_any_non_id(bad: object) -> None:
    with pytest.raises(tr.UnknownJurisdiction):
        tr.get_policy(bad)  # type: ignore[arg-type]


def test_a_huge_id_does_not_make_a_huge_message() -> None:
    with pytest.raises(tr.UnknownJurisdiction) as info:
        tr.get_policy("x" * 1_000_000)
    assert len(str(info.value)) < 2_000


def test_unknown_designation_names_the_field_and_lists_the_known() -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        xiamen(designations=[{"program": "cn.caring_employr", "year": 2022}])
    text = str(info.value)
    assert "designations.0.program" in text
    assert "unknown designation 'cn.caring_employr'" in text
    assert "cn.caring_employer" in text


def test_unknown_pin_is_unknown_program() -> None:
    with pytest.raises(tr.UnknownProgram, match=r"unknown programme in pins 'xiamen\.nothing'") as info:
        tr.assess(xiamen(), on=ON, pins={"xiamen.nothing": 1})
    assert "xiamen.construction_subsidy" in info.value.known
    assert isinstance(info.value, LookupError)


def test_pin_outside_range_names_the_pin_and_the_range() -> None:
    with pytest.raises(tr.AmountOutsideRange) as info:
        tr.assess(xiamen(), on=ON, pins={"xiamen.construction_subsidy": "60000"})
    assert info.value.field == "pins[xiamen.construction_subsidy]"
    assert "one of 50000.00, 80000.00, 100000.00" in str(info.value)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (1.5, "binary float"),
        (True, "bool"),
        ("NaN", "not a finite amount"),
        ("-Infinity", "not a finite amount"),
        ("-1", "negative"),
        ("0.001", "more than two decimals"),
        ("10000000000000", "above the largest accepted amount"),
        ("1e13", "not a number in plain decimal digits"),
        ("５０", "not a number in plain decimal digits"),
        ("五万", "not a number"),
        ([1], "list is not an amount"),
    ],
)
def test_money_errors_name_the_field_and_the_rule(value: object, words: str) -> None:
    with pytest.raises(tr.MoneyError) as info:
        tr.parse_money(value, "pins[xiamen.construction_subsidy]")
    assert str(info.value).startswith("pins[xiamen.construction_subsidy]: ")
    assert words in str(info.value)
    assert info.value.field == "pins[xiamen.construction_subsidy]"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"on": "2024-06-01"}, "on"),
        ({"on": dt.datetime(2024, 6, 1)}, "on"),
        ({"on": ON, "rounding": "ROUND_SOMETIMES"}, "rounding"),
        ({"on": ON, "pins": [("xiamen.construction_subsidy", 1)]}, "pins"),
        ({"on": ON, "jurisdiction": "fujian"}, "jurisdiction"),
        ({"on": ON, "jurisdiction": "cn"}, "jurisdiction"),
    ],
)
def test_assess_arguments_are_checked_by_name(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(tr.InvalidInput) as info:
        tr.assess(xiamen(), **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")


def test_assess_refuses_a_dict() -> None:
    with pytest.raises(tr.InvalidInput, match=r"facility: .*Facility.model_validate"):
        tr.assess({"jurisdiction": "xiamen"}, on=ON)  # type: ignore[arg-type]


def test_plugin_error_carries_the_entry_point() -> None:
    error = tr.PluginError("broken", plugin="testville", value="pkg:load")
    assert (error.plugin, error.value, str(error)) == ("testville", "pkg:load", "broken")
    assert tr.PluginError("plain").plugin is None


def test_errors_pickle_round_trip() -> None:
    """Errors cross process boundaries (multiprocessing, job queues) intact."""
    import pickle

    for error in (
        tr.UnknownJurisdiction("atlantis", ["xiamen", "cn"]),
        tr.UnknownProgram("designation", "x.y", ["cn.caring_employer"]),
        tr.InvalidInput("places", "must be 0 or more"),
        tr.MoneyError("amount", "negative"),
        tr.AmountOutsideRange("pins[x]", "60000.00 is not one of 50000.00"),
        tr.PluginError("broken", plugin="testville", value="pkg:load"),
        tr.PolicyDataError("data/x.toml: bad"),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert str(copy) == str(error)
        assert vars(copy) == vars(error)


def test_a_pinned_designation_outside_its_range_names_the_range() -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        tr.Designation("cn.caring_employer", 2022, Decimal("100000.01"))
    assert "cn.caring_employer_award" in str(info.value)
    assert "a pinned amount must lie inside the programme's range" in str(info.value)


@pytest.mark.parametrize(
    "data", [{"program": "cn.caring_employer"}, {"year": 2022}, {}, {"program": None}, {"amount": "1"}]
)
def test_a_designation_missing_a_key_is_a_validation_error(data: dict[str, object]) -> None:
    """Missing keys are named by pydantic, not a TypeError from ``Designation.__init__``."""
    with pytest.raises(pydantic.ValidationError, match="Field required"):
        tr.Designation.model_validate(data)
    with pytest.raises(pydantic.ValidationError, match=r"designations\.0\."):
        xiamen(designations=[data])
