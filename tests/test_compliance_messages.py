"""The compliance checks speak through coded messages (``compliance/messages.toml``), in Chinese and English.

Every code of the catalog is reached by one of the scenarios below, in both languages: the codes and parameters
are the same whatever the language asked, a finding's ``message`` is its ``explanation`` in that language, and
the Chinese text has no Latin letter outside the parameters' values (ids, field names, the caller's own words).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tuoyu_rules.compliance import (
    ComplianceReport,
    HangzhouReading,
    check_facility_standards,
    check_health_guidance,
    check_standards,
    check_union_spending,
    chengdu_target_progress,
    health_guidance_gaps,
)
from tuoyu_rules.compliance.standards_input import StandardsInput
from tuoyu_rules.core.errors import InvalidInput
from tuoyu_rules.core.messages import Explanation, Lang, package_messages

D = dt.date
ON = D(2024, 6, 1)
SRC = Path(__file__).resolve().parents[1] / "src" / "tuoyu_rules" / "compliance"
CATALOG = package_messages("tuoyu_rules.compliance")
LATIN = re.compile("[A-Za-z]")


# -- scenarios: together they reach every code -------------------------------------------------------------------


def _item(category: str, payee: str, settlement: str, amount: str = "1000", description: str = "") -> dict[str, str]:
    return {
        "category": category,
        "amount": amount,
        "payee": payee,
        "settlement": settlement,
        "description": description,
    }


def _bad_items(description: str) -> list[dict[str, str]]:
    return [
        _item("office", "supplier", "cash", description=description),
        _item("bonus", "union", "commercial_prepaid_card", description=description),
        _item("allowance", "employer", "prepaid_card", description=description),
        _item("communication_equipment", "supplier", "other", description=description),
        _item("childcare_equipment", "supplier", "bank_transfer", description=description),
        _item("other", "other", "invoice", description=description),
        _item("childcare_service", "worker", "bank_transfer", description=description),
        _item("direct_subsidy_to_workers", "worker", "bank_transfer", "12345.67", description),
    ]


def _plan(items: list[dict[str, str]], budget: str | None, *, done: bool) -> dict[str, Any]:
    return {"items": items, "budget": budget, "work_plan": done, "collective_decision": done}


def _classes(named: bool) -> list[dict[str, Any]]:
    name: dict[str, str] = {"name": "向日葵"} if named else {}
    return [
        {"kind": "infant", "children": 11, "carers": 3, "youngest_months": 6, "oldest_months": 11, **name},
        {"kind": "small", "children": 5, "carers": 1, **name},
        {"kind": "large", "children": 1, "carers": 1, "youngest_months": 10, "oldest_months": 20, **name},
        {"kind": "mixed", "children": 1, "carers": 1, "youngest_months": 12, "oldest_months": 20, **name},
    ]


def _large(n: int, children: int = 20) -> list[dict[str, Any]]:
    return [{"kind": "large", "children": children, "carers": 3}] * n


Run = Callable[[Lang], ComplianceReport]


def _hangzhou(reading: HangzhouReading, **kw: Any) -> Run:
    return lambda lang: check_facility_standards(
        on=ON, jurisdiction="hangzhou", hangzhou_reading=reading, lang=lang, **kw
    )


SCENARIOS: dict[str, Run] = {
    "spending, every item breaking a rule": lambda lang: check_union_spending(
        _plan(_bad_items(""), "100", done=False), lang=lang
    ),
    "spending, described items, no budget": lambda lang: check_union_spending(
        _plan(_bad_items("托育室"), None, done=True), lang=lang
    ),
    "spending, a clean plan": lambda lang: check_union_spending(
        _plan([_item("childcare_service", "childcare_provider", "invoice")], "5000", done=True), lang=lang
    ),
    "spending, nothing": lambda lang: check_union_spending(_plan([], None, done=True), lang=lang),
    "classes": lambda lang: check_facility_standards(on=ON, classes=_classes(False), lang=lang),
    "named classes": lambda lang: check_facility_standards(on=ON, classes=_classes(True), lang=lang),
    "family point over": lambda lang: check_facility_standards(
        on=ON, setting="family_point", children=6, carers=1, lang=lang
    ),
    "family point within": lambda lang: check_facility_standards(
        on=ON, setting="family_point", children=5, carers=2, lang=lang
    ),
    "family point, no carers": lambda lang: check_facility_standards(
        on=ON, setting="family_point", children=3, lang=lang
    ),
    "hangzhou before 2022-10-03": lambda lang: check_facility_standards(
        on=D(2022, 1, 1), jurisdiction="hangzhou", classes=_large(1), lang=lang
    ),
    "area, no minimum": lambda lang: check_facility_standards(on=ON, places=10, building_area_m2=100, lang=lang),
    "area, no places": lambda lang: check_facility_standards(
        on=ON, building_area_m2="100.5", min_area_per_place_m2=12, lang=lang
    ),
    "area, short": lambda lang: check_facility_standards(
        on=ON, places=10, building_area_m2="119.99", min_area_per_place_m2=12, lang=lang
    ),
    "area, enough": lambda lang: check_facility_standards(
        on=ON, places=10, building_area_m2=120, min_area_per_place_m2="12", lang=lang
    ),
    "guidance gaps": lambda lang: check_health_guidance(
        [D(2024, 3, 5), D(2024, 6, 1)], start=D(2024, 1, 1), end=D(2024, 12, 31), lang=lang
    ),
    "guidance, no visit": lambda lang: check_health_guidance([], start=D(2024, 1, 1), end=D(2024, 12, 31), lang=lang),
    "guidance kept": lambda lang: check_health_guidance(
        [D(2024, 2, 1)], start=D(2024, 1, 1), end=D(2024, 3, 1), lang=lang
    ),
    "targets in progress": lambda lang: chengdu_target_progress(
        {"武侯区": 0, "锦江区": 1}, city_demonstration_sites=9, on=D(2025, 6, 1), lang=lang
    ),
    "targets late": lambda lang: chengdu_target_progress(
        {"武侯区": 0}, city_demonstration_sites=12, on=D(2026, 1, 1), lang=lang
    ),
    "targets, no district": lambda lang: chengdu_target_progress(
        {}, city_demonstration_sites=1, on=D(2026, 1, 1), lang=lang
    ),
}
READINGS: tuple[HangzhouReading, ...] = ("each_limit", "either_limit")
for _reading in READINGS:
    SCENARIOS |= {
        f"hangzhou {_reading}, nothing given": _hangzhou(_reading),
        f"hangzhou {_reading}, children over, no classes": _hangzhou(_reading, children=151),
        f"hangzhou {_reading}, children within, no classes": _hangzhou(_reading, children=150),
        f"hangzhou {_reading}, both over": _hangzhou(_reading, classes=_large(11)),
        f"hangzhou {_reading}, children over": _hangzhou(_reading, classes=_large(8)),
        f"hangzhou {_reading}, classes over": _hangzhou(_reading, classes=_large(11, 1)),
        f"hangzhou {_reading}, within": _hangzhou(_reading, classes=_large(10, 15)),
    }


def _explanations(report: ComplianceReport) -> list[Explanation]:
    out: list[Explanation] = []
    for f in report.findings:
        assert f.explanation is not None, f.rule
        out.append(f.explanation)
    return [*out, *report.explanation]


def _texts(report: ComplianceReport) -> list[str]:
    return [*(f.message for f in report.findings), *report.notes]


def _shape(report: ComplianceReport) -> list[object]:
    findings = [(f.rule, f.outcome, f.concerns, f.citations, f.parameters) for f in report.findings]
    return [*findings, report.check, report.compliant]


def _without_params(text: str, params: dict[str, str]) -> str:
    """``text`` with every parameter value (and each comma-separated part of one) taken out."""
    values = {v for value in params.values() for v in (value, *value.split(",")) if v}
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "")
    return text


REPORTS: dict[tuple[str, Lang], ComplianceReport] = {
    (name, lang): run(lang) for name, run in SCENARIOS.items() for lang in ("zh", "en")
}


def test_every_code_of_the_catalog_is_reached() -> None:
    reached = {e.code for report in REPORTS.values() for e in _explanations(report)}
    assert reached == set(CATALOG)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_codes_and_params_are_the_same_in_both_languages(name: str) -> None:
    zh, en = REPORTS[name, "zh"], REPORTS[name, "en"]
    assert _explanations(zh) == _explanations(en)
    assert _shape(zh) == _shape(en)


@pytest.mark.parametrize("name", list(SCENARIOS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_text_is_its_explanation_in_the_language_asked(name: str, lang: Lang) -> None:
    report = REPORTS[name, lang]
    assert _texts(report) == [e.text(lang) for e in _explanations(report)]
    assert len(report.notes) == len(report.explanation)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_chinese_has_no_latin_letter_outside_the_parameters(name: str) -> None:
    for e in _explanations(REPORTS[name, "zh"]):
        assert e.zh != e.en
        assert not LATIN.search(_without_params(e.zh, e.params)), (e.code, e.zh)


def test_english_is_the_default() -> None:
    plan = _plan([_item("bonus", "worker", "cash")], "500", done=True)
    assert check_union_spending(plan) == check_union_spending(plan, lang="en")
    report = check_facility_standards(on=ON, classes=_classes(False))
    assert [f.message for f in report.findings] == [e.en for e in _explanations(report)[: len(report.findings)]]


def test_the_english_texts_keep_their_wording() -> None:
    """The English of the findings is that of version 0.1, amounts now in the catalogs' money form."""
    report = REPORTS["spending, described items, no budget", "en"]
    assert report.findings[0].message.startswith("item 0 (托育室), 1,000 yuan is office, not a childcare service")
    assert report.notes[0] == "8 items totalling 19,345.67 yuan."
    standards = REPORTS["hangzhou each_limit, children over", "en"]
    assert standards.for_rule("hangzhou.facility_limits")[0].message.startswith(
        "160 children (limit 150); 8 classes (limit 10): the children limit is exceeded. Read as 'each limit binds'"
    )
    guidance = REPORTS["guidance, no visit", "en"]
    assert guidance.findings[0].message == (
        "no visit from the start, 2024-01-01 to the end of the period, 2024-12-31: the next visit was due by "
        "2024-03-01 (305 days late); on-site guidance is due at least once every 2 months (每2个月至少…技术指导1次)"
    )


def test_the_chinese_texts_read_as_chinese() -> None:
    report = REPORTS["named classes", "zh"]
    assert report.findings[0].message == "班级0（向日葵，乳儿班）有11名儿童；乳儿班每班最多10人"
    spending = REPORTS["spending, every item breaking a rule", "zh"]
    assert spending.for_rule("chengdu.union_fund_rules.budget")[0].message == (
        "各项合计19,345.67元，超出预算100元达19,245.67元：不得超预算支出"
    )
    targets = REPORTS["targets late", "zh"]
    assert targets.findings[-1].message == (
        "武侯区：0个用人单位爱心托育服务试点，未达到至少1个的目标；期限2025年12月31日（到2025年底）已过"
    )


def test_the_json_form_carries_the_explanation() -> None:
    data = REPORTS["family point over", "zh"].model_dump(mode="json")
    first = data["findings"][0]
    assert first["explanation"]["code"] == "compliance.family_point.over"
    assert first["explanation"]["params"] == {"most": "5", "children": "6"}
    assert first["message"] == first["explanation"]["zh"]
    assert data["explanation"] == []
    notes = REPORTS["classes", "zh"].model_dump(mode="json")
    assert [e["code"] for e in notes["explanation"]] == ["compliance.standards.note.secondary"]
    assert notes["notes"] == [notes["explanation"][0]["zh"]]


# -- the catalog and the code agree ----------------------------------------------------------------------------


def test_catalog_chinese_templates_have_no_latin_letters() -> None:
    for code, entry in CATALOG.items():
        assert code.startswith("compliance.")
        literal = "".join(text for text, _, _ in entry.zh)
        assert not LATIN.search(literal), (code, literal)


def test_every_code_the_modules_name_is_in_the_catalog_and_back() -> None:
    named = {
        code for path in SRC.glob("*.py") for code in re.findall(r'"(compliance\.[a-z_.]+)"', path.read_text("utf-8"))
    }
    assert named == set(CATALOG)


# -- the language is checked -----------------------------------------------------------------------------------

CALLS: dict[str, Callable[[Any], object]] = {
    "check_union_spending": lambda lang: check_union_spending(_plan([], None, done=True), lang=lang),
    "check_facility_standards": lambda lang: check_facility_standards(on=ON, lang=lang),
    "check_standards": lambda lang: check_standards(StandardsInput(), on=ON, lang=lang),
    "health_guidance_gaps": lambda lang: health_guidance_gaps([], start=ON, end=ON, lang=lang),
    "check_health_guidance": lambda lang: check_health_guidance([], start=ON, end=ON, lang=lang),
    "chengdu_target_progress": lambda lang: chengdu_target_progress({}, city_demonstration_sites=1, on=ON, lang=lang),
}


@pytest.mark.parametrize("name", list(CALLS))
@pytest.mark.parametrize("lang", ["fr", "ZH", None, 1])
def test_an_unknown_language_is_an_input_error_naming_lang(name: str, lang: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        CALLS[name](lang)
    assert caught.value.field == "lang"


@pytest.mark.parametrize("name", list(CALLS))
def test_both_languages_are_accepted(name: str) -> None:
    for lang in ("zh", "en"):
        CALLS[name](lang)
