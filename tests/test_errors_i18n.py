"""Errors in both languages (issue 14): every error of the library has a code of ``core/errors.toml`` and is told
in Chinese and English; pydantic's own messages are mapped to templates, not shown as they are.

The English text of an error the library raises itself is its code's ``en`` template filled in, so ``str()`` and
pydantic's ``msg`` stay English and ``error_text(exc, "en")`` says the same.
"""

from __future__ import annotations

import ast
import datetime as dt
import itertools
import pickle
import re
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic
import pytest

import tuoyu_rules as tr
from tuoyu_rules.core.error_text import _pydantic_problem, error_explanations, error_text
from tuoyu_rules.core.errors import InvalidData, InvalidInput, MoneyError, NotFound, PolicyDataError, pydantic_error
from tuoyu_rules.core.messages import check_lang, core_catalog, error_messages, msg
from tuoyu_rules.core.money import check_rounding, parse_money
from tuoyu_rules.io.readers import RowError, read_csv

SRC = Path(tr.__file__).parent
ERRORS_TOML = SRC / "core" / "errors.toml"
RAW: dict[str, dict[str, str]] = {  # core/errors.toml and every core/errors_<area>.toml beside it
    code: entry
    for path in sorted((SRC / "core").glob("errors*.toml"))
    for code, entry in tomllib.loads(path.read_text(encoding="utf-8")).get("messages", {}).items()
}
LATIN = re.compile(r"[A-Za-z]")
ON = dt.date(2024, 6, 1)
BASE: dict[str, Any] = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 30, "enrolled": 20}

SAMPLE = {"money": "50000.00", "count": "3", "plural": "3", "date": "2024-06-01", "field": "places", "fields": "places"}


def _sample(code: str) -> dict[str, str]:
    entry = error_messages()[code]
    kinds: dict[str, str] = {}  # a parameter's kind in either language (a zh template may format a day, an amount)
    for _, name, spec in (*entry.zh, *entry.en):
        if name and (spec or name not in kinds):
            kinds[name] = spec.split(":")[0]
    return {name: SAMPLE.get(kind, "x1") for name, kind in kinds.items() if not name.startswith("@")}


# -- the catalog -------------------------------------------------------------------------------------------------
def test_the_catalog_is_read_by_the_core_catalog() -> None:
    assert set(RAW) == set(error_messages())
    assert all(code.startswith("error.") for code in RAW)
    assert len(RAW) > 100


@pytest.mark.parametrize("code", sorted(RAW))
def test_every_code_renders_in_both_languages(code: str) -> None:
    params = _sample(code)
    zh = core_catalog().render(msg(code, **params), "zh")
    en = core_catalog().render(msg(code, **params), "en")
    assert zh
    assert en
    assert not LATIN.search(_without(zh, params.values())), zh


def _without(text: str, values: Any) -> str:
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "")
    return text


# -- the raise sites say what the catalog says ------------------------------------------------------------------
def _coded_pairs() -> Iterator[tuple[str, int, str, str]]:
    """Every ``"error.<code>", "<template>"`` pair of string constants given to a call in the library (a
    ``PydanticCustomError``, ``InvalidInput.coded``, a ``Limit``), a template held in a local name included."""
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)] + [tree]:
            assigned = sorted(
                (n.lineno, t.id, n.value.value)
                for n in ast.walk(func)
                if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
                for t in n.targets
                if isinstance(t, ast.Name)
            )
            for node in ast.walk(func):
                if not isinstance(node, ast.Call):
                    continue
                for first, second in itertools.pairwise(node.args):
                    if not (isinstance(first, ast.Constant) and str(first.value).startswith("error.")):
                        continue
                    if isinstance(second, ast.Constant) and isinstance(second.value, str):
                        yield str(path.relative_to(SRC)), node.lineno, str(first.value), second.value
                    elif isinstance(second, ast.Name):  # the name's last assignment before the call
                        found = [v for line, name, v in assigned if name == second.id and line <= node.lineno]
                        if found:
                            yield str(path.relative_to(SRC)), node.lineno, str(first.value), found[-1]


PAIRS = sorted(set(_coded_pairs()))


def test_the_raise_sites_are_found() -> None:
    assert len(PAIRS) > 30


@pytest.mark.parametrize(("module", "line", "code", "template"), PAIRS)
def test_a_raise_site_template_is_its_codes_english(module: str, line: int, code: str, template: str) -> None:
    assert code in RAW, f"{module}:{line} raises {code!r}, which core/errors.toml does not hold"
    assert RAW[code]["en"] == template, f"{module}:{line}: the en template of {code} differs from the raise site"


def test_the_english_of_a_raised_error_uses_no_kind() -> None:
    """An en template a raise site fills (pydantic fills a custom error's message itself) has plain placeholders."""
    for _, _, code, template in PAIRS:
        assert not re.search(r"\{\w+:", template), code


# -- errors of the library ---------------------------------------------------------------------------------------
def _raised(call: Any) -> BaseException:
    try:
        call()
    except Exception as exc:  # the error is the point
        return exc
    raise AssertionError("no error")


def _facility() -> tr.Facility:
    return tr.Facility.model_validate(BASE)


ERRORS: dict[str, Any] = {
    "money float": lambda: parse_money(1.5),
    "money bool": lambda: parse_money(True),
    "money separators": lambda: parse_money("1,00"),
    "money nan": lambda: parse_money("nan"),
    "money text": lambda: parse_money("abc"),
    "money type": lambda: parse_money(object()),
    "money negative": lambda: parse_money(-1),
    "money huge": lambda: parse_money(10**13),
    "money decimals": lambda: parse_money("1.234"),
    "money Decimal nan": lambda: parse_money(Decimal("NaN")),
    "rounding": lambda: check_rounding("ROUND_SIDEWAYS"),
    "lang": lambda: check_lang("fr"),
    "assess facility": lambda: tr.assess({"places": 1}, on=ON),  # type: ignore[arg-type]
    "assess on": lambda: tr.assess(_facility(), on="2024-06-01"),  # type: ignore[arg-type]
    "assess datetime": lambda: tr.assess(_facility(), on=dt.datetime(2024, 6, 1)),
    "assess rounding": lambda: tr.assess(_facility(), on=ON, rounding="nope"),
    "assess lang": lambda: tr.assess(_facility(), on=ON, lang="de"),  # type: ignore[arg-type]
    "assess reform": lambda: tr.assess(_facility(), on=ON, reform="x"),  # type: ignore[arg-type]
    "assess province": lambda: tr.assess(_facility(), on=ON, jurisdiction="fujian"),
    "assess nation": lambda: tr.assess(_facility(), on=ON, jurisdiction="cn"),
    "assess unknown": lambda: tr.assess(_facility(), on=ON, jurisdiction="atlantis"),
    "assess pin": lambda: tr.assess(_facility(), on=ON, pins={"nope.x": 1}),
    "csv header": lambda: list(read_csv(["jurisdiction,mode,places,enrolled,colour"])),
    "csv twice": lambda: list(read_csv(["jurisdiction,mode,places,enrolled,mode"])),
    "csv missing": lambda: list(read_csv(["jurisdiction,mode"])),
    "csv stream": lambda: list(read_csv("jurisdiction")),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_a_library_error_has_a_code_and_says_it_in_both_languages(name: str) -> None:
    exc = _raised(ERRORS[name])
    assert isinstance(exc, tr.TuoyuError)
    assert exc.code in RAW, name
    (explained,) = error_explanations(exc)
    assert explained.code == exc.code
    assert error_text(exc, "en") == str(exc)
    zh = error_text(exc, "zh")
    assert zh == explained.zh
    assert not LATIN.search(_without(zh, explained.params.values())), zh


def test_the_chinese_names_the_field_and_the_rule() -> None:
    exc = _raised(lambda: parse_money(1.5, "pins[xiamen.construction_subsidy]"))
    assert error_text(exc, "zh").startswith("指定金额（pins[xiamen.construction_subsidy]）：1.5是二进制浮点数")
    assert error_text(_raised(lambda: check_lang("fr")), "zh") == "语言（lang）：'fr'不是本库支持的语言；可选：zh, en"


def test_a_row_error_names_its_row() -> None:
    exc = _raised(lambda: list(read_csv(["jurisdiction,mode"])))
    assert isinstance(exc, RowError)
    assert error_text(exc, "zh") == "第1行：header：缺少必需的列：places, enrolled"
    assert error_text(exc, "en") == str(exc) == "row 1: header: required columns missing: places, enrolled"
    keyed = RowError(3, "places", "bad", "F-1")
    assert error_text(keyed, "en") == str(keyed)
    assert error_text(keyed, "zh") == "第3行（F-1）：托位数（places）：不符合要求：bad"


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_a_coded_error_pickles_with_its_code(name: str) -> None:
    exc = _raised(ERRORS[name])
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is type(exc)
    assert str(back) == str(exc)
    assert isinstance(back, tr.TuoyuError)
    assert isinstance(exc, tr.TuoyuError)
    assert back.code == exc.code
    assert dict(back.params) == dict(exc.params)
    assert error_text(back, "zh") == error_text(exc, "zh")


def test_an_error_with_no_code_is_told_as_error_invalid() -> None:
    exc = InvalidInput("places", "too many")
    (explained,) = error_explanations(exc)
    assert explained.code == "error.invalid"
    assert explained.params == {"problem": "too many", "field": "places"}
    assert error_text(exc, "en") == "places: too many" == str(exc)
    assert error_text(exc, "zh") == "托位数（places）：不符合要求：too many"


def test_a_code_whose_parameters_do_not_fill_it_falls_back() -> None:
    exc = InvalidInput("x", "text", "error.money.float", {})
    assert error_explanations(exc)[0].code == "error.invalid"
    assert error_explanations(InvalidInput("x", "text", "error.no_such_code", {}))[0].code == "error.invalid"


def test_other_errors_keep_their_text_in_english() -> None:
    cases = [
        (PolicyDataError("xiamen.toml: bad"), "error.policy_data", "规则数据有误："),
        (NotFound("no entitlement 'x'"), "error.not_found", "未找到："),
        (RuntimeError("boom"), "error.other", "出错："),
        (tr.PluginError("broken", plugin="p"), "error.plugin", "扩展辖区出错："),
    ]
    for exc, code, zh in cases:
        (explained,) = error_explanations(exc)
        assert explained.code == code
        assert error_text(exc, "en") == str(exc)
        assert error_text(exc, "zh").startswith(zh)


def test_unknown_ids_are_coded() -> None:
    exc = tr.UnknownJurisdiction("atlantis", ["xiamen", "cn"])
    assert exc.code == "error.unknown.jurisdiction"
    assert error_text(exc, "en") == str(exc) == "unknown jurisdiction 'atlantis'; known ids: cn, xiamen"
    assert error_text(exc, "zh") == "未知的辖区'atlantis'；已知的辖区编号：cn, xiamen"
    for what in ("programme", "designation", "programme in pins", "parameter in reform", "widget"):
        exc2 = tr.UnknownProgram(what, "x", ["a"])
        assert error_text(exc2, "en") == str(exc2)
        assert exc2.code in RAW
        back = pickle.loads(pickle.dumps(exc2))
        assert back.code == exc2.code


def test_a_tuoyu_error_inside_a_validator_keeps_its_code() -> None:
    exc = _raised(lambda: parse_money(1.5))
    assert isinstance(exc, MoneyError)
    custom = pydantic_error(exc)
    assert custom.type == exc.code
    assert custom.message() == exc.problem
    hostile = InvalidInput.coded("x", "error.money.float", "{value} is a binary float", value="{value}")
    assert pydantic_error(hostile).type == "error.invalid"  # pydantic would fill its own text again


def test_error_text_is_one_line() -> None:
    """No template breaks a line; a text quoted from the input is kept as it is (the CLI escapes it)."""
    for code in RAW:
        assert "\n" not in RAW[code]["zh"] + RAW[code]["en"], code
    assert error_text(RuntimeError("a\nb"), "zh") == "出错：a\nb"


# -- validation errors ---------------------------------------------------------------------------------------------
def _validation_error(data: dict[str, Any]) -> pydantic.ValidationError:
    with pytest.raises(pydantic.ValidationError) as info:
        tr.Facility.model_validate(data)
    return info.value


def test_a_hostile_facility_is_told_in_chinese() -> None:
    """Field names as 托位数（places）, the rule broken, and how many more problems there are."""
    exc = _validation_error({**BASE, "places": -1, "mode": "ferry", "bogus": 1, "enrolled": "x"})
    zh = error_text(exc, "zh")
    assert zh == "办托模式（mode）：应为以下之一：" + ", ".join(tr.MODES) + "（另有3项问题）"
    explanations = error_explanations(exc)
    assert [x.code for x in explanations] == [
        "error.input.literal_error",
        "error.input.greater_than_equal",
        "error.input.int_type",
        "error.input.extra_forbidden",
    ]
    assert explanations[1].zh == "托位数（places）：应大于或等于0"
    assert explanations[1].en == "places: Input should be greater than or equal to 0"
    assert explanations[1].params == {"ge": "0", "field": "places"}
    for x in explanations:
        assert not LATIN.search(_without(x.zh, x.params.values())), x.zh
    assert error_text(exc, "en").endswith("(and 3 more problems)")


@pytest.mark.parametrize(
    ("data", "code", "zh"),
    [
        (
            {**BASE, "enrolled": 40},
            "error.limit.enrolled_places",
            "在托人数（enrolled）：在托人数（40）超过托位数（30）",
        ),
        ({**BASE, "jurisdiction": "fujian"}, "error.place.province", "所在地（jurisdiction）：'fujian'是省级辖区"),
        ({**BASE, "id": ""}, "error.id.empty", "编号（id）：编号应为1至200个字符"),
        ({**BASE, "classes": [40]}, "error.limit.classes_places", "各班人数（classes）：各班人数合计40人"),
        (
            {**BASE, "received": [{"program": "x", "paid_on": "2024-06-01", "amount": "1"}]},
            "error.receipt.program_id",
            "已收款项（received.0.program）：'x'不是项目编号",
        ),
        (
            {**BASE, "designations": [{"program": "cn.caring_employer", "year": 2022, "amount": "1"}]},
            "error.designation.amount_not_inside",
            "认定（designations.0.amount）：指定金额1.00不在项目cn.caring_employer_award（2022年度）的金额范围",
        ),
        (
            {**BASE, "designations": [{"program": "cn.caring_employer", "year": 2022}] * 2},
            "error.designations.twice",
            "认定（designations）：认定cn.caring_employer重复给出",
        ),
    ],
)
def test_a_validator_error_is_coded(data: dict[str, Any], code: str, zh: str) -> None:
    exc = _validation_error(data)
    first = exc.errors(include_url=False)[0]
    assert first["type"] == code
    (explained,) = error_explanations(exc)
    assert explained.code == code
    assert explained.zh.startswith(zh), explained.zh
    assert explained.en == ".".join(str(p) for p in first["loc"]) + ": " + first["msg"]


def test_invalid_data_keeps_codes_and_parameters_across_a_prefix_and_a_pickle() -> None:
    exc = _validation_error({**BASE, "places": -1, "enrolled": 5, "jurisdiction": "fujian"})
    wrapped = InvalidData.of(exc, ("rows", 3))
    back = pickle.loads(pickle.dumps(wrapped))
    for each in (wrapped, back):
        assert [x.code for x in error_explanations(each)] == [x.code for x in error_explanations(exc)]
        assert error_text(each, "zh").startswith("rows.3.jurisdiction：'fujian'是省级辖区")
    assert wrapped.field == "rows.3.jurisdiction"


# -- every pydantic error a hostile facility can cause has a template ---------------------------------------------
HOSTILE_VALUES: list[Any] = [
    None,
    -1,
    0,
    10**12,
    2**200,
    1.5,
    float("nan"),
    "x",
    "12",
    "",
    "a" * 300,
    "\x00",
    True,
    [],
    {},
    (),
    [1, -2],
    ["a"],
    [0],
    [{}],
    Decimal("1.234"),
    Decimal("NaN"),
    dt.date(2024, 1, 1),
    dt.datetime(2024, 1, 1),
    "fujian",
    "cn",
    "350200",
    "atlantis",
    b"bytes",
    object(),
    [{"program": "nope", "year": 1}],
    [{"program": "cn.caring_employer", "year": 2022, "amount": "1.234"}],
    [{"program": "cn.caring_employer", "year": "x", "amount": 1.5, "extra": 1}],
    [{"program": "cn.caring_employer", "year": 2022}, {"program": "cn.caring_employer", "year": 2022}],
    [{"program": "cn.caring_employer", "year": 2022, "amount": "1"}],
    [{"program": "cn.caring_employer", "year": 2022, "amount": True}],
    [{"program": "xiamen.x", "paid_on": "2024-01-01", "amount": "0"}],
    [{"program": "BAD", "paid_on": "x", "amount": 1.5, "extra": 1}],
    [{"program": "xiamen.construction_subsidy", "paid_on": dt.datetime(2024, 1, 1), "amount": "-1"}],
    [{"program": "xiamen.construction_subsidy", "paid_on": 12, "amount": "abc"}],
    [{"program": "xiamen.construction_subsidy", "paid_on": "2024-02-30", "amount": "1,00"}],
    [{"program": "xiamen.construction_subsidy", "paid_on": "2024-06-01", "amount": "1", "note": "n" * 300}],
    [{"program": 5, "paid_on": None}],
]
"""Values put into every field of a valid facility, one at a time."""

def _hostile_errors() -> Iterator[Any]:
    fields = [*tr.Facility.model_fields, "bogus"]
    for field, value in itertools.product(fields, HOSTILE_VALUES):
        try:
            tr.Facility.model_validate({**BASE, field: value})
        except pydantic.ValidationError as exc:
            yield from exc.errors(include_url=False)
    extra: tuple[Any, ...] = (
        {},
        [],
        "x",
        {**BASE, "places": 5, "enrolled": 10, "first_intake": 20, "classes": [3, 40]},
    )
    for data in extra:
        try:
            tr.Facility.model_validate(data)
        except pydantic.ValidationError as exc:
            yield from exc.errors(include_url=False)


def test_every_pydantic_error_a_hostile_facility_causes_has_a_template() -> None:
    seen: dict[str, str] = {}
    for err in _hostile_errors():
        message, _ = _pydantic_problem(err)
        assert message.code != "error.invalid", f"{err['type']} at {err['loc']}: {err['msg']}"
        seen.setdefault(str(err["type"]), message.code)
        zh = core_catalog().render(message, "zh")
        assert not LATIN.search(_without(zh, dict(message.params).values())), (err["type"], zh)
        if str(err["type"]).startswith("error."):  # the library's own: pydantic's message is the English template
            assert core_catalog().render(message, "en") == err["msg"]
    assert {"missing", "extra_forbidden", "int_type", "bool_type", "string_type", "literal_error"} <= set(seen)
    assert {"greater_than_equal", "less_than_equal", "string_too_long", "tuple_type", "model_type"} <= set(seen)
    assert {"error.limit.enrolled_places", "error.money.float", "error.day.format"} <= set(seen)
    assert "value_error" not in seen  # every validator of the library raises a coded error
