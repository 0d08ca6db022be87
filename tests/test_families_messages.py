"""The families package speaks through coded messages (``families/messages.toml``, ``families.<topic>.<what>``).

Every text of a families result (a quote's and a cost's ``steps``, an alliance check's and an allowance's
``reasons``, a claim's ``notes``) has a parallel ``explanation``: the stable code, its parameters and both
texts. The text fields are in the language asked (``lang=``, English by default); the codes and parameters are
the same whatever the language.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from unittest import mock

import pytest
from pydantic import BaseModel

import tuoyu_rules as tr
from tuoyu_rules.core.errors import InvalidInput
from tuoyu_rules.core.messages import LANGS, Explanation, Lang, package_messages, parse_template
from tuoyu_rules.core.reforms import Reform
from tuoyu_rules.families import (
    alliance_fee,
    alliance_price_check,
    childcare_allowance,
    family_monthly_cost,
    parent_fee,
)
from tuoyu_rules.families import allowance as allowance_module
from tuoyu_rules.families.claims import allowance_claims
from tuoyu_rules.families.common import catalog, explain

D = dt.date
LATIN = re.compile(r"[A-Za-z]")
SOURCES = Path(__file__).resolve().parents[1] / "src" / "tuoyu_rules" / "families"


def siming_allowance() -> tr.Entitlement:
    """Siming's 100 a month per employee's child, from an assessment (Xiamen Daily 2022-04-14)."""
    facility = tr.Facility(
        jurisdiction="siming", mode="self_run", places=20, enrolled=10, staff_children=4, filed=True,
        union_dues_paid=True,
    )  # fmt: skip
    return tr.assess(facility, on=D(2025, 6, 1)).entitlement("xiamen.siming_allowance")


def _reform() -> Reform:
    return (
        Reform.of("allowance-up")
        .set("cn.childcare_allowance.per_month", kind="range", low="500", high="500", start=D(2026, 1, 1))
        .build()
    )


def _without(parameter: str) -> Callable[[str, dt.date, Reform | None], tuple[object, bool]]:
    """The law's values, ``parameter`` in force on no day (a data gap)."""
    law = allowance_module._value

    def value(name: str, day: dt.date, reform: Reform | None) -> tuple[object, bool]:
        return (None, False) if name == parameter else law(name, day, reform)

    return value


def _no_month_count(lang: Lang) -> BaseModel:
    """The month count not in force: the allowance says so."""
    with mock.patch.object(allowance_module, "_value", _without(allowance_module.ALLOWANCE_MONTHS)):
        return childcare_allowance(D(2024, 5, 1), lang=lang)


class _Said(BaseModel):
    """Texts and explanations made outside a public result (a branch the data never reaches)."""

    reasons: tuple[str, ...]
    explanation: tuple[Explanation, ...]


def _no_scheme_start(lang: Lang) -> BaseModel:
    """A programme without a start day and no rate in force: the 'no rate' reason names no start."""
    with mock.patch.object(allowance_module, "_value", _without(allowance_module.ALLOWANCE_PER_MONTH)):
        _, _, messages = allowance_module._paid_months(D(2025, 1, 1), D(2028, 1, 1), True, None, None)
    texts, explanation = explain(messages, lang)
    return _Said(reasons=texts, explanation=explanation)


SCENARIOS: dict[str, Callable[[Lang], BaseModel]] = {
    "share and allowance": lambda lang: parent_fee("1800", share="0.5", allowance_monthly=200, lang=lang),
    "rounded and over the cap": lambda lang: parent_fee("333.33", share="0.5", cap="100", lang=lang),
    "flat above the allowance": lambda lang: parent_fee(
        "1000", flat="150", allowance_monthly="200", cap="1500", lang=lang
    ),
    "market price": lambda lang: parent_fee("1234.56", lang=lang),
    "alliance more": lambda lang: alliance_price_check(1500, 1800, lang=lang),
    "alliance less": lambda lang: alliance_price_check(1500, 1200, own_staff_placed=True, lang=lang),
    "alliance same": lambda lang: alliance_price_check(1500, 1500, own_staff_placed=False, lang=lang),
    "alliance fee": lambda lang: alliance_fee(1500, lang=lang),
    "not PRC national": lambda lang: childcare_allowance(
        D(2025, 5, 1), prc_national=False, applied=(D(2025, 9, 1),), lang=lang
    ),
    "born 2021": lambda lang: childcare_allowance(D(2021, 12, 1), lang=lang),
    "what-if": lambda lang: childcare_allowance(D(2024, 1, 10), reform=_reform(), lang=lang),
    "born 2023": lambda lang: childcare_allowance(D(2023, 12, 1), lang=lang),
    "born 2025": lambda lang: childcare_allowance(D(2025, 3, 15), lang=lang),
    "born 2025, applied": lambda lang: childcare_allowance(
        D(2025, 3, 15), applied=(D(2025, 5, 1), D(2025, 6, 1), D(2027, 1, 3)), lang=lang
    ),
    "born 2025, never applied": lambda lang: childcare_allowance(D(2025, 3, 15), applied=(), lang=lang),
    "as of": lambda lang: childcare_allowance(D(2023, 5, 1), applied=(D(2025, 11, 2),), as_of=D(2026, 3, 1), lang=lang),
    "application in no claim's year": lambda lang: childcare_allowance(
        D(2022, 5, 1), applied=(D(2026, 1, 5),), lang=lang
    ),
    "no month count": _no_month_count,
    "no scheme start": _no_scheme_start,
    "cost passed on": lambda lang: family_monthly_cost(
        "2400",
        share="0.5",
        employer_allowance=200,
        district_allowance=50,
        passed_on=[siming_allowance()],
        birth=D(2024, 3, 10),
        lang=lang,
    ),
    "cost floored": lambda lang: family_monthly_cost(
        "3000", flat=800, employer_allowance=200, district_allowance=700, birth=D(2021, 1, 1), lang=lang
    ),
    "cost plain": lambda lang: family_monthly_cost("1000", lang=lang),
}


def said(result: BaseModel) -> Iterator[tuple[tuple[str, ...], tuple[Explanation, ...]]]:
    """Every (texts, explanation) pair of a result, nested results included (a cost's quote, its allowance's
    claims)."""
    texts: tuple[str, ...] = next(getattr(result, f) for f in ("steps", "reasons", "notes") if hasattr(result, f))
    yield texts, tuple(getattr(result, "explanation", ()))
    for name in ("quote", "national_allowance"):
        nested = getattr(result, name, None)
        if isinstance(nested, BaseModel):
            yield from said(nested)
    for claim in getattr(result, "claims", ()):
        yield from said(claim)


def codes_of(result: BaseModel) -> set[str]:
    return {e.code for _, explanation in said(result) for e in explanation}


def test_every_code_is_reached_and_every_code_used_is_in_the_catalog() -> None:
    """Each code of the catalog is said by some case, and the modules use no code the catalog lacks."""
    reached = set().union(*(codes_of(make("en")) for make in SCENARIOS.values()))
    listed = set(package_messages("tuoyu_rules.families"))
    used = {
        code
        for path in SOURCES.glob("*.py")
        for code in re.findall(r'"(families\.[a-z_]+\.[a-z0-9_]+)"', path.read_text(encoding="utf-8"))
    }
    assert listed - reached == set()
    assert used == listed
    assert all(code.startswith("families.") and code.count(".") == 2 for code in listed)


@pytest.mark.parametrize("case", sorted(SCENARIOS))
def test_both_languages_render_with_the_same_codes(case: str) -> None:
    """The texts are the explanation in the language asked; the explanation (codes, params, both texts) is the
    same whichever language is asked."""
    en, zh = SCENARIOS[case]("en"), SCENARIOS[case]("zh")
    for (en_texts, en_said), (zh_texts, zh_said) in zip(said(en), said(zh), strict=True):
        assert en_said == zh_said
        assert len(en_said) == len(en_texts)
        assert en_texts == tuple(e.en for e in en_said)
        assert zh_texts == tuple(e.zh for e in zh_said)
        assert all(e.zh and e.en and e.zh != e.en for e in en_said)


@pytest.mark.parametrize("case", sorted(SCENARIOS))
def test_chinese_has_no_latin_letters_outside_parameters(case: str) -> None:
    """A Chinese text's only Latin letters are those of its parameter values (ids, field names)."""
    for _, explanation in said(SCENARIOS[case]("zh")):
        for e in explanation:
            text = e.zh
            for value in sorted(e.params.values(), key=len, reverse=True):
                text = text.replace(value, "")
            assert not LATIN.search(text), (e.code, e.zh)


def test_catalog_templates() -> None:
    """The catalog file itself: both languages, the same parameters (checked at load), no Latin letter in a
    Chinese template's own words, and every glossary term it names present."""
    raw = tomllib.loads(resources.files("tuoyu_rules.families").joinpath("messages.toml").read_text(encoding="utf-8"))
    terms = catalog()
    for code, texts in raw["messages"].items():
        assert set(texts) == set(LANGS)
        words = "".join(literal for literal, _, _ in parse_template(texts["zh"], code))
        assert not LATIN.search(words), code
        for lang in LANGS:
            for _, name, _ in parse_template(texts[lang], code):
                if name is not None and name.startswith("@"):
                    assert terms.term(name[1:], lang) is not None, (code, name)


def test_english_stays_close_to_the_reasons_of_before() -> None:
    """English is the default and keeps its wording; the Chinese uses the sources' terms."""
    quote = parent_fee("333.33", share="0.5")
    assert quote.steps[2] == "rounded once to the fen (ROUND_HALF_UP): fee 166.67 yuan"
    assert parent_fee("333.33", share="0.5", lang="zh").steps[2] == "只舍入一次，精确到分（四舍五入）：收费166.67元"
    cost = family_monthly_cost("2400", share="0.5", passed_on=[siming_allowance()], lang="zh")
    passed = next(e for e in cost.explanation if e.code == "families.cost.passed_on")
    assert passed.params["program"] == "xiamen.siming_allowance"
    assert "xiamen.siming_allowance passed on to the family: 100 yuan a month" in passed.en
    assert passed.params["program"] not in passed.zh  # the programme's Chinese name instead
    allowance = childcare_allowance(D(2025, 5, 1), prc_national=False, lang="zh")
    assert allowance.reasons[0].startswith("育儿补贴")


CALLS: dict[str, Callable[[object], object]] = {
    "parent_fee": lambda lang: parent_fee("1000", lang=lang),  # type: ignore[arg-type]
    "alliance_fee": lambda lang: alliance_fee("1000", lang=lang),  # type: ignore[arg-type]
    "alliance_price_check": lambda lang: alliance_price_check(1000, 1000, lang=lang),  # type: ignore[arg-type]
    "childcare_allowance": lambda lang: childcare_allowance(D(2024, 1, 1), lang=lang),  # type: ignore[arg-type]
    "family_monthly_cost": lambda lang: family_monthly_cost("1000", lang=lang),  # type: ignore[arg-type]
    "allowance_claims": lambda lang: allowance_claims(D(2024, 1, 1), None, (), None, None, lang=lang),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("function", sorted(CALLS))
@pytest.mark.parametrize("lang", ["fr", "EN", "", None, 1])
def test_an_unknown_language_is_refused_naming_lang(function: str, lang: object) -> None:
    with pytest.raises(InvalidInput, match=r"^lang: ") as caught:
        CALLS[function](lang)
    assert caught.value.field == "lang"


def test_english_is_the_default() -> None:
    assert parent_fee("1000").steps == parent_fee("1000", lang="en").steps != parent_fee("1000", lang="zh").steps
