"""A parameter's value tables in both languages (issue 14): every problem of a value table (a data file's or a
reform's) has a code of ``core/errors_parameters.toml``, keeps its English word for word, and a reform's is told in
Chinese with no Latin letter outside the values it quotes.
"""

from __future__ import annotations

import pickle
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.core.error_text import error_explanations, error_text
from tuoyu_rules.core.errors import PolicyDataError
from tuoyu_rules.core.parameters import DatedValue, Ratio, ValueProblem, parse_value, ratio_error, ratio_problem

CATALOG = Path(tr.__file__).parent / "core" / "errors_parameters.toml"
OWN: dict[str, dict[str, str]] = tomllib.loads(CATALOG.read_text(encoding="utf-8"))["messages"]
LATIN = re.compile(r"[A-Za-z]")
OPERATING = "xiamen.operating_subsidy.amount"
AT = f"reform.parameters[{OPERATING}][0]"


def _value(**raw: Any) -> Any:
    return lambda: tr.Reform.from_dict({"name": "r", "parameters": {OPERATING: [raw]}})


def _ratio(value: Decimal) -> Any:
    match = "cn.caring_employer_provincial_match.ratio"
    values = (DatedValue("ratio", Ratio(value, True), None, None, 2022, (), None),)
    return lambda: tr.Reform(name="r", description="", overrides={match: values}, data={})


BRACKET = {"min": 1, "max": 5, "amount": "1"}

REFORMS: dict[str, tuple[Any, str]] = {
    "error.parameter.keys": (_value(kind="range", low="1", colour="red"), f"{AT}: unknown keys ['colour']"),
    "error.parameter.cite": (_value(kind="range", low="1", cite="x"), f"{AT}: cite must be a list of citation ids"),
    "error.parameter.kind": (
        _value(kind="rng"),
        f"{AT}.kind: 'rng' is not one of range, ratio, count, brackets, choice, not_stated",
    ),
    "error.parameter.date": (
        _value(kind="range", low="1", start="2024-13-01"),
        f"{AT}.start: '2024-13-01' is not a TOML date (YYYY-MM-DD)",
    ),
    "error.parameter.end_before_start": (
        _value(kind="range", low="1", start="2024-02-01", end="2024-01-01"),
        f"{AT}: end 2024-01-01 is before start 2024-02-01",
    ),
    "error.parameter.batch": (_value(kind="range", low="1", batch="2022"), f"{AT}.batch: a year"),
    "error.parameter.batch_or_dates": (
        _value(kind="range", low="1", batch=2022, start="2024-01-01"),
        f"{AT}: a value is keyed by batch or by dates, not both",
    ),
    "error.parameter.note": (_value(kind="range", low="1", note=5), f"{AT}.note: text"),
    "error.parameter.float": (
        _value(kind="range", low=1.5),
        f"{AT}.low: amount 1.5 is a TOML float; write amounts as strings or ints",
    ),
    "error.parameter.allowed": (_value(kind="range", low="1", high="2", allowed="1"), f"{AT}.allowed: must be a list"),
    "error.parameter.count": (_value(kind="count", count=-1), f"{AT}.count: a whole number, 0 or more"),
    "error.parameter.ratio.type": (_value(kind="ratio", ratio=1.5), f"{AT}.ratio: write the ratio as a string or int"),
    "error.parameter.ratio.digits": (
        _value(kind="ratio", ratio="x"),
        f"{AT}.ratio: 'x' is not a number in plain decimal digits (ASCII 0-9, point)",
    ),
    "error.parameter.ratio.not_finite": (
        _ratio(Decimal("NaN")),
        "reform.parameters[cn.caring_employer_provincial_match.ratio][0].ratio: Decimal('NaN') is not a finite "
        "decimal number",
    ),
    "error.parameter.ratio.outside": (
        _value(kind="ratio", ratio="1000", exact=True),
        f"{AT}.ratio: 1000 is outside [0, 100]: a matching ratio is a small non-negative multiple of the grant",
    ),
    "error.parameter.ratio.decimals": (
        _value(kind="ratio", ratio="0.00000000001", exact=True),
        f"{AT}.ratio: 1E-11 has more than 10 decimals",
    ),
    "error.parameter.exact": (
        _value(kind="ratio", ratio="1", exact="yes"),
        f"{AT}.exact: true (按1:1) or false (不低于)",
    ),
    "error.parameter.brackets": (
        _value(kind="brackets", brackets=[]),
        f"{AT}.brackets: a non-empty list of {{min, max, amount}}",
    ),
    "error.parameter.bracket.table": (
        _value(kind="brackets", brackets=[5]),
        f"{AT}.brackets[0]: a table {{min, max, amount}}",
    ),
    "error.parameter.bracket.whole": (
        _value(kind="brackets", brackets=[{**BRACKET, "min": True}]),
        f"{AT}.brackets[0]: min and max are whole numbers, 0 or more (no bool)",
    ),
    "error.parameter.bracket.below": (
        _value(kind="brackets", brackets=[{**BRACKET, "min": 6}]),
        f"{AT}.brackets[0]: max below min",
    ),
    "error.parameter.bracket.order": (
        _value(kind="brackets", brackets=[BRACKET, {**BRACKET, "min": 3, "max": 9}]),
        f"{AT}.brackets[1]: rows must be increasing and not overlap",
    ),
    "error.parameter.options": (
        _value(kind="choice", choice="a", options=[]),
        f"{AT}.options: a non-empty list of the readings allowed",
    ),
    "error.parameter.options_twice": (
        _value(kind="choice", choice="a", options=["a", "a"]),
        f"{AT}.options: ['a', 'a'] lists a reading twice",
    ),
    "error.parameter.choice": (
        _value(kind="choice", choice="b", options=["a"]),
        f"{AT}.choice: 'b' is not one of ['a']",
    ),
}
"""A reform's value that breaks each rule, and its English, as it was before the problems had codes."""

DATA_ONLY = {
    "error.parameter.cite_needed": (
        {"kind": "count", "count": 1, "cite": []},
        "every value needs cite = [citation ids]",
    ),
    "error.parameter.cite_unknown": ({"kind": "count", "count": 1, "cite": ["b"]}, "cites unknown citation 'b'"),
}
"""The problems only a data file can have (a reform's value cites nothing)."""


def _raised(call: Any) -> BaseException:
    try:
        call()
    except Exception as exc:  # the error is the point
        return exc
    raise AssertionError("no error")


def test_every_code_of_the_catalog_is_raised_here() -> None:
    assert set(OWN) == set(REFORMS) | set(DATA_ONLY)


@pytest.mark.parametrize("code", sorted(REFORMS))
def test_a_reform_s_bad_value_has_its_code_its_english_and_its_chinese(code: str) -> None:
    call, english = REFORMS[code]
    exc = _raised(call)
    assert isinstance(exc, tr.InvalidInput), repr(exc)
    assert not isinstance(exc, PolicyDataError)  # the caller's error, not the library's data
    assert exc.code == code
    assert str(exc) == english == error_text(exc, "en")  # the English is the text it always was
    (explained,) = error_explanations(exc)
    zh = error_text(exc, "zh")
    assert zh == explained.zh
    assert not LATIN.search(_without(zh, explained.params.values())), zh
    back = pickle.loads(pickle.dumps(exc))
    assert (back.code, dict(back.params), str(back)) == (exc.code, dict(exc.params), str(exc))


@pytest.mark.parametrize("code", sorted(DATA_ONLY))
def test_a_data_file_s_bad_value_is_a_policy_data_error_naming_its_entry(code: str) -> None:
    raw, english = DATA_ONLY[code]
    where = "parameters.x.values[0]"
    exc = _raised(lambda: parse_value(raw, where, frozenset({"a"})))
    assert isinstance(exc, ValueProblem)
    assert isinstance(exc, PolicyDataError)
    assert (exc.field, exc.problem, exc.problem_code) == (where, english, code)
    assert str(exc) == f"{where}: {english}"
    back = pickle.loads(pickle.dumps(exc))
    assert (type(back), str(back), back.problem_code, dict(back.problem_params)) == (
        ValueProblem,
        str(exc),
        code,
        dict(exc.problem_params),
    )
    told = exc.as_input()
    assert (told.field, told.problem, told.code) == (where, english, code)
    assert not LATIN.search(_without(error_text(told, "zh"), [where, *exc.problem_params.values()]))


def test_an_amount_s_own_code_is_kept() -> None:
    """A bad amount keeps the code of the money check (``error.money.*``), in a reform as in a data file."""
    exc = _raised(_value(kind="range", low="abc", high="1"))
    assert isinstance(exc, tr.InvalidInput)
    assert exc.code is not None
    assert exc.code.startswith("error.money.")
    assert exc.field == f"{AT}.low"
    low_above_high = _raised(_value(kind="range", low="3", high="1"))
    assert isinstance(low_above_high, tr.InvalidInput)
    assert low_above_high.code == "error.range.low_above_high"
    assert error_text(low_above_high, "zh").endswith("下限3元高于上限1元")


def test_ratio_problem_is_the_english_of_ratio_error() -> None:
    assert ratio_problem(Decimal("1")) is None
    wrong = ratio_error(Decimal("-1"), "x.ratio")
    assert wrong is not None
    assert wrong.field == "x.ratio"
    assert ratio_problem(Decimal("-1")) == wrong.problem
    assert wrong.problem.startswith("-1 is outside [0, 100]")


def _without(text: str, values: Any) -> str:
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "")
    return text
