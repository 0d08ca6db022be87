"""Every message code (issue 14): both languages, the same parameters in both, Chinese without English words, every
code the library uses present in a catalog, every glossary term a template names present.

The catalogs are ``core/messages.toml``, ``core/errors.toml``, each package's ``messages.toml`` and each
jurisdiction's ``[messages]`` table (see :mod:`tuoyu_rules.core.messages`).
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tuoyu_rules as tr
from tuoyu_rules.core import registry
from tuoyu_rules.core.errors import InvalidInput, PolicyDataError
from tuoyu_rules.core.messages import (
    Catalog,
    Entry,
    Explanation,
    check_lang,
    core_catalog,
    explanation,
    glossary,
    msg,
    parse_catalog,
    template_params,
)
from tuoyu_rules.core.wording import money_text, range_text

SRC = Path(tr.__file__).parent
LATIN = re.compile(r"[A-Za-z]")
CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


def _package_catalogs() -> dict[str, dict[str, Entry]]:
    """Every catalog file of the package, by its path, parsed."""
    found: dict[str, dict[str, Entry]] = {}
    import tomllib

    for path in sorted(SRC.rglob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        raw = data.get("messages")
        if raw is not None:
            found[str(path.relative_to(SRC))] = parse_catalog(raw, str(path))
    return found


CATALOGS = _package_catalogs()
ALL: dict[str, Entry] = {code: entry for entries in CATALOGS.values() for code, entry in entries.items()}


def _literals(segments: tuple[tuple[str, str | None, str], ...]) -> str:
    return "".join(literal for literal, _, _ in segments)


def test_the_catalogs_exist_and_are_not_empty() -> None:
    assert "core/messages.toml" in CATALOGS
    assert len(ALL) > 50


def test_codes_are_unique_across_catalogs() -> None:
    seen: dict[str, str] = {}
    for path, entries in CATALOGS.items():
        for code in entries:
            assert code not in seen, f"{code} is in both {seen[code]} and {path}"
            seen[code] = path


@pytest.mark.parametrize("code", sorted(ALL))
def test_each_code_is_dotted_has_both_languages_and_the_same_parameters(code: str) -> None:
    entry = ALL[code]
    assert CODE.match(code), f"{code} is not a dotted lower-case code"
    assert _literals(entry.zh) or template_params(entry.zh), code
    assert _literals(entry.en) or template_params(entry.en), code
    assert template_params(entry.zh) == template_params(entry.en)


@pytest.mark.parametrize("code", sorted(ALL))
def test_no_english_word_in_a_chinese_template(code: str) -> None:
    """The Chinese text of every message has no Latin letter outside its parameters (ids go in as parameters)."""
    if code == "plugin.text":  # a plugin's own text, shown as the plugin gave it
        return
    literal = _literals(ALL[code].zh)
    assert not LATIN.search(literal), f"{code}: {literal!r}"


@pytest.mark.parametrize("code", sorted(ALL))
def test_every_glossary_term_a_template_names_exists(code: str) -> None:
    terms = glossary()
    for segments in (ALL[code].zh, ALL[code].en):
        for _, name, spec in segments:
            if name is not None and name.startswith("@"):
                assert name[1:] in terms, f"{code} names the unknown term {name}"
            kind, _, rest = spec.partition(":")
            if kind == "term":
                assert any(k.startswith(f"{rest}.") for k in terms), f"{code}: no glossary terms under {rest}."


def test_glossary_terms_have_chinese_without_latin_letters() -> None:
    for key, (zh, en) in glossary().items():
        assert zh, key
        assert en, key
        if not key.startswith("rounding."):
            assert not LATIN.search(zh), f"{key}: {zh!r}"


def _codes_used_in_source() -> Iterator[tuple[str, str]]:
    """Every literal code given to ``msg(...)``, and every literal in a module-level mapping of codes."""
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "msg"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield str(path.relative_to(SRC)), node.args[0].value


USED = sorted(set(_codes_used_in_source()))


def test_codes_are_found_in_the_source() -> None:
    assert len(USED) > 30


@pytest.mark.parametrize(("module", "code"), USED)
def test_every_code_the_library_uses_is_in_a_catalog(module: str, code: str) -> None:
    assert code in ALL, f"{module} uses {code!r}, which no catalog holds"


def test_no_reason_without_a_code_in_bundled_rules() -> None:
    """No bundled rule returns a plain string: every reason of every bundled example has a catalogued code."""
    for name in _examples():
        facility = tr.Facility.model_validate_json(_example_text(name))
        for on in (dt.date(2024, 6, 1), dt.date(2026, 3, 1)):
            a = tr.assess(facility, on=on)
            for e in (*a.entitlements, *a.obligations):
                assert len(e.explanation) == len(e.reasons)
                for x in e.explanation:
                    assert x.code != "plugin.text", f"{name} {e.program}: {x.en}"
                    assert x.code in ALL


def _examples() -> list[str]:
    folder = resources.files("tuoyu_rules") / "examples"
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".json") and ".reform." not in p.name)


def _example_text(name: str) -> str:
    return (resources.files("tuoyu_rules") / "examples" / name).read_text(encoding="utf-8")


# -- rendering ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        ("50000.00", "5万元", "50,000 yuan"),
        ("15000.00", "1.5万元", "15,000 yuan"),
        ("9600.00", "9,600元", "9,600 yuan"),
        ("12345.67", "12,345.67元", "12,345.67 yuan"),
        ("10050.00", "10,050元", "10,050 yuan"),
        ("10100.00", "1.01万元", "10,100 yuan"),
        ("0.00", "0元", "0 yuan"),
        ("1000000000000.00", "100000000万元", "1,000,000,000,000 yuan"),
    ],
)
def test_amounts_in_text(value: str, zh: str, en: str) -> None:
    assert money_text(Decimal(value), "zh") == zh
    assert money_text(Decimal(value), "en") == en


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        ("50000.00..100000.00", "5万~10万元", "50,000 to 100,000 yuan"),
        ("150000.00..", "不低于15万元", "at least 150,000 yuan"),
        ("0.00..", "金额未定", "an amount not stated"),
        ("600.00..1800.00", "600~1,800元", "600 to 1,800 yuan"),
        ("50000.00|80000.00|100000.00", "5万、8万或10万元", "50,000, 80,000 or 100,000 yuan"),
        ("100000.00..100000.00", "10万元", "100,000 yuan"),
    ],
)
def test_ranges_in_text(value: str, zh: str, en: str) -> None:
    assert range_text(value, "zh") == zh
    assert range_text(value, "en") == en


def test_dates_fields_and_names_render_per_language() -> None:
    catalog = core_catalog().with_layers(
        [x.messages for x in registry.chain("xiamen")], [x.terms for x in registry.chain("xiamen")]
    )
    m = msg(
        "core.receipt.after_day",
        amount=Decimal("500.00"),
        program="xiamen.construction_subsidy",
        paid_on=dt.date(2024, 6, 1),
        on=dt.date(2024, 5, 1),
    )
    zh = catalog.render(m, "zh")
    assert "2024年6月1日" in zh
    assert "2024年5月1日" in zh
    assert "500元" in zh
    assert "建设补助" in zh  # the programme's Chinese name, not its id
    en = catalog.render(m, "en")
    assert "2024-06-01" in en
    assert "xiamen.construction_subsidy" in en
    pin = catalog.render(msg("core.pin.supplied", field="places"), "zh")
    assert "托位数（places）" in pin


def test_a_joint_payer_is_named_by_its_parts() -> None:
    catalog = core_catalog().with_layers([], [x.terms for x in registry.chain("xiamen")])
    text = catalog.render(
        msg("core.match.exact", ratio="1", program="x", amount="1.00..1.00", payer="cn.acftu+fujian.union"), "zh"
    )
    assert "中华全国总工会与福建省总工会" in text


def test_an_unknown_code_or_a_missing_parameter_is_a_data_error() -> None:
    with pytest.raises(PolicyDataError, match="no message"):
        core_catalog().render(msg("core.no_such_code"), "en")
    with pytest.raises(PolicyDataError, match="needs the parameter"):
        core_catalog().render(msg("core.pin.supplied"), "en")


def test_a_catalog_with_different_parameters_per_language_is_refused() -> None:
    with pytest.raises(PolicyDataError, match="use the same"):
        parse_catalog({"x.y": {"zh": "{a}", "en": "{b}"}}, "test")
    with pytest.raises(PolicyDataError, match="exactly a zh and an en"):
        parse_catalog({"x.y": {"zh": "甲"}}, "test")
    with pytest.raises(PolicyDataError, match="known kind"):
        parse_catalog({"x.y": {"zh": "{a:nonsense}", "en": "{a:nonsense}"}}, "test")


@pytest.mark.parametrize("lang", ["fr", "ZH", "", None, 1, "zh-CN"])
def test_a_language_other_than_zh_or_en_is_an_error_naming_lang(lang: object) -> None:
    with pytest.raises(InvalidInput) as info:
        check_lang(lang)
    assert info.value.field == "lang"
    facility = tr.Facility(jurisdiction="xiamen", mode="self_run", places=10, enrolled=5)
    with pytest.raises(InvalidInput) as info2:
        tr.assess(facility, on=dt.date(2024, 6, 1), lang=lang)  # type: ignore[arg-type]
    assert info2.value.field == "lang"


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_amount_text_round_trips_in_english(value: Decimal) -> None:
    """The English text of an amount is the amount: grouping commas and the unit aside, it parses back exactly."""
    text = money_text(value, "en").removesuffix(" yuan").replace(",", "")
    assert Decimal(text) == value


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_amount_text_round_trips_in_chinese(value: Decimal) -> None:
    """The Chinese text of an amount is the amount: 万 is ten thousand, exactly."""
    text = money_text(value, "zh").removesuffix("元").replace(",", "")
    parsed = Decimal(text[:-1]) * 10000 if text.endswith("万") else Decimal(text)
    assert parsed == value


def test_catalog_lookup_prefers_the_nearest_layer() -> None:
    mine = parse_catalog({"core.pin.supplied": {"zh": "甲{field}", "en": "A {field}"}}, "test")
    catalog = Catalog((mine, *core_catalog().messages), core_catalog().terms)
    assert catalog.render(msg("core.pin.supplied", field="x"), "en") == "A x"


def _cities() -> list[str]:
    return [j for j in tr.list_jurisdictions() if tr.get_policy(j).level in ("city", "district")]


def _without_params(text: str, params: dict[str, str]) -> str:
    """``text`` with every parameter value (and the names it renders, ids in brackets) taken out."""
    for value in sorted(params.values(), key=len, reverse=True):
        for part in (value, *value.split(","), *value.split("+")):
            if part:
                text = text.replace(part, "")
    return text


@pytest.mark.parametrize("city", _cities())
def test_an_assessment_in_every_city_reads_as_chinese_in_zh_and_english_in_en(city: str) -> None:
    """Issue 14's done-means: a facility in every city, in zh, has no English word outside ids; the same in en has
    English texts; the codes are the same in both languages and on every run."""
    facility = tr.Facility.model_validate(
        {
            "jurisdiction": city,
            "mode": "self_run",
            "self_built": True,
            "places": 40,
            "enrolled": 30,
            "designations": [{"program": "cn.caring_employer", "year": 2023}],
        }
    )
    for on in (dt.date(2023, 12, 1), dt.date(2025, 10, 1)):
        zh, en = tr.assess(facility, on=on, lang="zh"), tr.assess(facility, on=on, lang="en")
        assert zh.model_dump(exclude={"entitlements", "obligations", "notes"}) == en.model_dump(
            exclude={"entitlements", "obligations", "notes"}
        )
        assert tr.assess(facility, on=on, lang="zh") == zh  # stable across runs
        pairs = [(zh.explanation, zh.notes)] + [(e.explanation, e.reasons) for e in (*zh.entitlements, *zh.obligations)]
        for explained, texts in pairs:
            for x, text in zip(explained, texts, strict=True):
                assert text == x.zh
                if x.code != "plugin.text":
                    assert not LATIN.search(_without_params(x.zh, x.params)), f"{city} {x.code}: {x.zh}"
                assert re.search(r"[a-z]{3}", x.en), f"{city} {x.code}: {x.en}"


def test_a_fast_explanation_equals_the_validated_model() -> None:

    fast = explanation("x.y", {"a": "1"}, "甲", "A")
    slow = Explanation.model_validate({"code": "x.y", "params": {"a": "1"}, "zh": "甲", "en": "A"})
    assert fast == slow
    assert fast.model_dump() == slow.model_dump()
    assert fast.model_dump_json() == slow.model_dump_json()
    assert fast.model_fields_set == slow.model_fields_set


@pytest.mark.parametrize("value", ["0.015", "12345.675", "75000.005"])
def test_an_amount_with_more_than_two_decimals_keeps_every_digit(value: str) -> None:
    assert money_text(Decimal(value), "en").removesuffix(" yuan").replace(",", "") == value
