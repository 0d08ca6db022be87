"""Exact money: Decimal yuan to the fen, from 0 to 1,000,000,000,000; floats and sub-fen refused.

The digest's note on interpretation: "Money: yuan with two decimals (fen), ``decimal.Decimal``, rounding
ROUND_HALF_UP, never binary floats." The contract: "Money inputs accept ``int``, ``str`` and ``Decimal`` with
at most two decimals, from 0 to 1,000,000,000,000; ``bool``, ``float``, more decimals, NaN and infinities
are errors."
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import tuoyu_rules as tr
from strategies import money_decimals, money_inputs, sub_fen_decimals
from tuoyu_rules.core.money import MAX_MONEY, ROUNDING_MODES, check_rounding, format_wan, format_yuan, round_money

HOW = "pass an int, a str such as '50000.00', or a Decimal"


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [
        (50000, Decimal("50000.00")),
        ("50000", Decimal("50000.00")),
        ("50000.5", Decimal("50000.50")),
        ("15000.00", Decimal("15000.00")),
        (Decimal("0.01"), Decimal("0.01")),
        (0, Decimal("0.00")),
        ("1000000000000", Decimal("1000000000000.00")),
        (Decimal("1000000000000.00"), Decimal("1000000000000.00")),
    ],
)
def test_accepted_inputs_become_exact_yuan_with_two_decimals(
    given_value: int | str | Decimal, expected: Decimal
) -> None:
    """Seed 000 writes amounts in 元 ("以每个用人单位10万元的标准"): the library holds them as Decimal yuan
    with two decimals (fen), whatever exact form the caller passes."""
    result = tr.parse_money(given_value)
    assert result == expected
    assert isinstance(result, Decimal)
    assert result.as_tuple().exponent == -2


def test_parse_money_is_public_whatever_was_used_before() -> None:
    """``tr.parse_money`` stays the function after other names loaded the ``tuoyu_rules.core.money`` submodule
    (the submodule's name is not exported as a function, since importing it would shadow one)."""
    assert tr.AmountRange.of(1, 2).low == Decimal("1")
    assert tr.parse_money("15000") == Decimal("15000.00")
    assert "money" not in tr.__all__


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (True, "bool"),
        (False, "bool"),
        (1.5, "float"),
        (100000.0, "float"),
        (float("nan"), "float"),
        (float("inf"), "float"),
        ("NaN", "finite"),
        ("Infinity", "finite"),
        ("-Infinity", "finite"),
        (Decimal("NaN"), "finite"),
        (Decimal("Infinity"), "finite"),
        ("0.001", "two decimals"),
        (Decimal("50000.005"), "two decimals"),
        ("-1", "negative"),
        (-1, "negative"),
        (Decimal("-0.01"), "negative"),
        ("1000000000000.01", "largest"),
        (10**13, "largest"),
        ("ten thousand", "not a number"),
        ("", "not a number"),
        (None, "not an amount"),
        ([50000], "not an amount"),
    ],
)
def test_refused_inputs_raise_money_error_naming_the_field(bad: object, says: str) -> None:
    """Contract: "``bool``, ``float``, more decimals, NaN and infinities are errors" and "nothing is clamped
    or guessed silently"; the error names the field and the problem."""
    with pytest.raises(tr.MoneyError) as info:
        tr.parse_money(bad, "pins[x]")
    assert info.value.field == "pins[x]"
    assert str(info.value).startswith("pins[x]: ")
    assert says in str(info.value)
    assert isinstance(info.value, tr.TuoyuError)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("bad", [True, 1.5, float("nan"), "abc", None])
def test_type_errors_say_what_to_pass(bad: object) -> None:
    """A refused type tells the caller what to pass instead (int, str or Decimal)."""
    with pytest.raises(tr.MoneyError, match=r"pass an int, a str such as '50000\.00', or a Decimal"):
        tr.parse_money(bad)


def test_money_error_inside_a_model_is_a_validation_error_naming_the_field() -> None:
    """Inside a pydantic model a bad amount is a ``ValidationError`` whose location is the field."""
    with pytest.raises(ValidationError) as info:
        tr.AmountRange(low=Decimal("1"), high=1.5)
    errors = info.value.errors()
    assert len(errors) == 1
    assert errors[0]["loc"] == ("high",)
    assert "float" in errors[0]["msg"]
    assert HOW in errors[0]["msg"]


def test_money_error_in_a_nested_field_names_the_path() -> None:
    """A float award amount inside a facility's designations names the path to it."""
    data = {
        "jurisdiction": "xiamen",
        "mode": "self_run",
        "places": 10,
        "enrolled": 5,
        "designations": [{"program": "cn.caring_employer", "year": 2022, "amount": 100000.0}],
    }
    with pytest.raises(ValidationError) as info:
        tr.Facility.model_validate(data)
    locs = [e["loc"] for e in info.value.errors()]
    assert ("designations", 0, "amount") in locs


def test_json_float_is_refused_in_json_mode() -> None:
    """JSON numbers with a fraction are binary floats when parsed: refused, not rounded."""
    with pytest.raises(ValidationError, match="float"):
        tr.Designation.model_validate_json('{"program": "cn.caring_employer", "year": 2022, "amount": 100000.5}')


def test_json_dump_is_a_string_with_two_decimals() -> None:
    """Contract: "Decimals appear as strings with two decimals (``"50000.00"``)"."""
    dumped = tr.AmountRange.of(50000, "100000.5").model_dump(mode="json")
    assert dumped == {"low": "50000.00", "high": "100000.50", "allowed": None}
    assert json.loads(json.dumps(dumped)) == dumped


def test_python_dump_keeps_decimals() -> None:
    dumped = tr.AmountRange.of(50000, None).model_dump()
    assert dumped["low"] == Decimal("50000.00")
    assert isinstance(dumped["low"], Decimal)
    assert dumped["high"] is None


@pytest.mark.parametrize(
    ("value", "yuan", "wan"),
    [
        ("50000", "50,000.00", "5万元"),
        ("100000", "100,000.00", "10万元"),
        ("15000", "15,000.00", "1.5万元"),
        ("25000", "25,000.00", "2.5万元"),
        ("7500000", "7,500,000.00", "750万元"),
        ("300", "300.00", "300元"),
        ("0", "0.00", "0元"),
    ],
)
def test_formatting_in_yuan_and_wan(value: str, yuan: str, wan: str) -> None:
    """The seeds write "5万~10万元", "1.5万~2.5万元", "750万元" and "每月300~900元": 万元 notation matches
    them; yuan notation groups thousands with two decimals."""
    amount = tr.parse_money(value)
    assert format_yuan(amount) == yuan
    assert format_wan(amount) == wan
    assert tr.AmountRange.exactly(value).format() == yuan
    assert tr.AmountRange.exactly(value).format("wan") == wan


def test_default_rounding_is_half_up() -> None:
    """Digest: "rounding ROUND_HALF_UP" by default (no mode is prescribed; configurable)."""
    assert tr.DEFAULT_ROUNDING == "ROUND_HALF_UP"
    assert round_money(Decimal("0.125")) == (Decimal("0.13"), True)
    assert round_money(Decimal("0.125"), "ROUND_HALF_EVEN") == (Decimal("0.12"), True)
    assert round_money(Decimal("0.12")) == (Decimal("0.12"), False)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("ROUND_HALF_UP", "0.13"),
        ("ROUND_HALF_EVEN", "0.12"),
        ("ROUND_HALF_DOWN", "0.12"),
        ("ROUND_UP", "0.13"),
        ("ROUND_DOWN", "0.12"),
        ("ROUND_CEILING", "0.13"),
        ("ROUND_FLOOR", "0.12"),
    ],
)
def test_every_named_rounding_mode_rounds_to_the_fen(mode: str, expected: str) -> None:
    """0.125 lies exactly half way between two fen: the modes differ as the decimal module defines them."""
    assert check_rounding(mode) == mode
    assert round_money(Decimal("0.125"), mode)[0] == Decimal(expected)


@pytest.mark.parametrize("mode", ["BANKERS", "round_half_up", "", None, 4])
def test_unknown_rounding_mode_is_refused_listing_the_modes(mode: object) -> None:
    with pytest.raises(tr.MoneyError, match="unknown rounding mode") as info:
        check_rounding(mode)
    assert "ROUND_HALF_UP" in str(info.value)
    assert info.value.field == "rounding"


def test_assess_accepts_each_rounding_mode_and_records_it(xiamen_self_built: tr.Facility) -> None:
    """``assess(rounding=...)`` takes any named mode and records it on the assessment."""
    for mode in ROUNDING_MODES:
        assert tr.assess(xiamen_self_built, on=dt.date(2024, 6, 1), rounding=mode).rounding == mode


def test_assess_refuses_an_unknown_rounding_mode(xiamen_self_built: tr.Facility) -> None:
    with pytest.raises(tr.TuoyuError, match="rounding: unknown rounding mode 'HALF_UP'"):
        tr.assess(xiamen_self_built, on=dt.date(2024, 6, 1), rounding="HALF_UP")


# -- documented readings of strings -------------------------------------------------------------------


def test_trailing_zeros_do_not_count_as_decimals() -> None:
    """'1.100' is exactly 1.10 yuan: nothing is rounded, so it is accepted."""
    assert tr.parse_money("1.100") == Decimal("1.10")
    assert tr.parse_money(Decimal("5E+4")) == Decimal("50000.00")


def test_thousands_separators_are_accepted() -> None:
    assert tr.parse_money("50,000.00") == Decimal("50000.00")
    assert tr.parse_money("1,000,000") == Decimal("1000000.00")


@pytest.mark.parametrize("bad", ["1,50", "1,2,3", "12,34.5"])
def test_misplaced_commas_are_refused_not_guessed(bad: str) -> None:
    """Contract: "nothing is clamped or guessed silently". A comma that is not a thousands separator
    (European '1,50' meaning 1.50) must be refused, not read as 150."""
    with pytest.raises(tr.MoneyError):
        tr.parse_money(bad)


@pytest.mark.parametrize("value", ["-0", "-0.00", Decimal("-0")])
def test_negative_zero_is_plain_zero(value: str | Decimal) -> None:
    """Every money value lies in [0, 10^12]; a signed zero must not leak into JSON as "-0.00"."""
    assert tr.AmountRange.exactly(value).model_dump(mode="json")["low"] == "0.00"


# -- properties ---------------------------------------------------------------------------------------------


@given(money_inputs())
def test_every_valid_input_parses_exactly(value: int | str | Decimal) -> None:
    result = tr.parse_money(value)
    assert Decimal(0) <= result <= MAX_MONEY
    assert result == Decimal(value)  # exact: nothing rounded
    assert result.as_tuple().exponent == -2


@given(money_decimals())
def test_json_round_trip_of_any_amount(value: Decimal) -> None:
    r = tr.AmountRange.exactly(value)
    dumped = r.model_dump(mode="json")
    assert dumped["low"] == format(value.quantize(Decimal("0.01")), "f")
    assert tr.AmountRange.model_validate(dumped) == r


@given(sub_fen_decimals())
def test_sub_fen_amounts_are_refused(value: Decimal) -> None:
    with pytest.raises(tr.MoneyError, match=r"two decimals|largest"):
        tr.parse_money(value)
    with pytest.raises(tr.MoneyError):
        tr.parse_money(str(value))


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_no_float_is_ever_accepted(value: float) -> None:
    with pytest.raises(tr.MoneyError, match="float"):
        tr.parse_money(value)


@given(st.integers(max_value=-1) | st.integers(min_value=int(MAX_MONEY) + 1))
def test_integers_outside_the_span_are_refused(value: int) -> None:
    with pytest.raises(tr.MoneyError, match=r"negative|largest"):
        tr.parse_money(value)
