"""Xiamen edge cases: what each reason states, and the branches the bundled data never reaches.

Seed 000: "对用人单位自建自办的托育中心实行5万~10万元的建设补助,对自办、联办或购买服务的给予每年1.5万~2.5万元
运营补助"; the construction conditions (first intake of at least 5 infants, full-day care, 普惠 fees for
staff: Workers' Daily 2022-08-26, Haixi Morning Post 2023-07-19); the per-class operating table (East Money
reprint 2022-07-07, secondary).

A reason must name the condition or figure it rests on. The checks read what the rule says by its message
codes, in order, and their parameters (the mode, the class sizes, the amount to the fen); where the wording
is the point (the Chinese term, the range in 万), they match the rendered ``en`` or ``zh`` text against a
pattern that pins those facts at its start and end and lets the wording in between change. A reform that
declares a parameter ``not_stated`` reaches the "no amount in force" branches, which the bundled (undated) data
never does.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.core.messages import glossary

DAY = dt.date(2024, 6, 1)
CONSTRUCTION = "xiamen.construction_subsidy"
OPERATING = "xiamen.operating_subsidy"
ALL_MET = {"first_intake": 5, "full_day": True, "staff_puhui_fees": True}


def facility(**changes: Any) -> tr.Facility:
    data: dict[str, Any] = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 60}
    data.update({"enrolled": 40, **changes})
    return tr.Facility.model_validate(data)


def entry(program: str, f: tr.Facility, reform: tr.Reform | None = None) -> tr.Entitlement:
    return tr.assess(f, on=DAY, reform=reform).entitlement(program)


def without(*parameters: str) -> tr.Reform:
    """A what-if in which the sources state none of ``parameters``."""
    builder = tr.Reform.of("not-stated", "the parameters are removed")
    for name in parameters:
        builder.set(name, kind="not_stated")
    return builder.build()


def stated(e: tr.Entitlement, pattern: str, lang: str = "en") -> None:
    """One reason, rendered in ``lang``, matches ``pattern`` from its first character to its last."""
    texts = [x.zh if lang == "zh" else x.en for x in e.explanation]
    assert any(re.fullmatch(pattern, t) for t in texts), f"no reason matches {pattern!r}: {texts}"


def codes(e: tr.Entitlement) -> list[str]:
    return [x.code for x in e.explanation]


def params(e: tr.Entitlement, code: str) -> list[dict[str, str]]:
    """The parameters of each of ``e``'s messages with ``code``, in order."""
    return [x.params for x in e.explanation if x.code == code]


# -- construction subsidy ---------------------------------------------------------------------------------


def test_construction_without_an_amount_in_force_is_ineligible() -> None:
    e = entry(CONSTRUCTION, facility(**ALL_MET), without(f"{CONSTRUCTION}.amount"))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    assert codes(e) == ["xiamen.construction.no_amount", "core.what_if"]
    assert params(e, "xiamen.construction.no_amount") == [{"on": "2024-06-01"}]
    stated(e, r"no construction subsidy amount is in force on 2024-06-01")
    stated(e, r"WHAT-IF, not law: .*xiamen\.construction_subsidy\.amount.*")


def test_not_self_built_names_自建() -> None:
    e = entry(CONSTRUCTION, facility(self_built=False, **ALL_MET))
    assert e.status == "ineligible"
    assert codes(e) == ["xiamen.construction.for_zijian_ziban", "xiamen.construction.not_self_built"]
    stated(e, r"the construction subsidy is for self-built and self-run \(自建自办\) centres")
    stated(e, r"the premises are not self-built \(自建\)")
    stated(e, r"建设补助面向用人单位自建自办的托育中心", "zh")
    stated(e, r"场地不是自建", "zh")


def test_both_failures_are_listed_one_after_the_other() -> None:
    e = entry(CONSTRUCTION, facility(self_built=False, mode="joint_run", **ALL_MET))
    assert codes(e) == [
        "xiamen.construction.for_zijian_ziban",
        "xiamen.construction.not_self_built",
        "xiamen.construction.not_self_run",
    ]
    assert params(e, "xiamen.construction.not_self_run") == [{"mode": "joint_run"}]
    stated(e, r"the mode is joint-run \(联办\), not self-run \(自办\)")


SMALL_INTAKE = "xiamen.construction.small_first_intake"
NO_FULL_DAY = "xiamen.construction.no_full_day"
NO_STAFF_FEES = "xiamen.construction.no_staff_puhui_fees"


@pytest.mark.parametrize(
    ("facts", "unmet"),
    [
        ({"full_day": False}, [(NO_FULL_DAY, {})]),
        ({"staff_puhui_fees": False}, [(NO_STAFF_FEES, {})]),
        ({"first_intake": 4}, [(SMALL_INTAKE, {"intake": "4", "minimum": "5"})]),
        (
            {"first_intake": 0, "full_day": False, "staff_puhui_fees": False},
            [(SMALL_INTAKE, {"intake": "0", "minimum": "5"}), (NO_FULL_DAY, {}), (NO_STAFF_FEES, {})],
        ),
    ],
)
def test_an_unmet_published_condition_is_named(facts: dict[str, Any], unmet: list[tuple[str, Any]]) -> None:
    e = entry(CONSTRUCTION, facility(**{**ALL_MET, **facts}))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    said = [(x.code, x.params) for x in e.explanation]
    assert said == [("xiamen.construction.condition_unmet", {}), *unmet]
    stated(e, r"self-built and self-run \(自建自办\), but a published condition is not met")


def test_each_unmet_condition_reads_in_both_languages() -> None:
    e = entry(CONSTRUCTION, facility(**{**ALL_MET, "first_intake": 0, "full_day": False, "staff_puhui_fees": False}))
    stated(e, r"first intake of 0 infants, fewer than 5")
    stated(e, r"no full-day care \(全日托\)")
    stated(e, r"the unit's own staff are not charged affordable \(普惠\) fees")
    stated(e, r"首批收托0名婴幼儿，少于5名", "zh")
    stated(e, r"未提供全日托", "zh")
    stated(e, r"本单位职工未按普惠价收费", "zh")


def test_eligible_reason_gives_the_range_in_wan_and_who_picks() -> None:
    e = entry(CONSTRUCTION, facility(**ALL_MET))
    assert e.status == "eligible"
    assert e.missing == ()
    assert len(e.reasons) == 1
    assert codes(e) == ["xiamen.construction.eligible"]
    assert params(e, "xiamen.construction.eligible") == [{"amount": "50000.00|80000.00|100000.00"}]
    stated(
        e,
        r"self-built and self-run \(自建自办\): one-time construction subsidy of 50,000, 80,000 or 100,000 yuan; "
        r"the union picks the amount by the scale of the build and the investment",
    )
    stated(e, r"属自建自办：一次性建设补助5万、8万或10万元，由工会按建设规模和投入确定具体金额", "zh")


def test_unsupplied_conditions_are_listed_by_name() -> None:
    e = entry(CONSTRUCTION, facility(first_intake=5))
    assert e.missing == ("full_day", "staff_puhui_fees")
    stated(
        e,
        r"conditions from press reports \(first intake of at least 5 infants, full-day care, 普惠 fees for staff\) "
        r"not supplied: full_day, staff_puhui_fees; they do not change the seed's status",
    )


# -- operating subsidy ------------------------------------------------------------------------------------


def mode_term(mode: str) -> tuple[str, str]:
    """The mode's name in the glossary, (zh, en): what a reason says for it."""
    return glossary()[f"mode.{mode}"]


@pytest.mark.parametrize(
    ("mode", "term"),
    [("self_run", "自办"), ("joint_run", "联办"), ("purchased_places", "购买服务"), ("third_party", "第三方")],
)
def test_per_facility_reason_names_the_mode_and_the_range(mode: str, term: str) -> None:
    e = entry(OPERATING, facility(mode=mode))
    assert (e.status, e.amount) == ("eligible", tr.AmountRange.of("15000", "25000"))
    assert codes(e) == ["xiamen.operating.per_facility"]
    assert params(e, "xiamen.operating.per_facility") == [{"mode": mode, "amount": "15000.00..25000.00"}]
    zh, en = mode_term(mode)
    assert term in zh
    assert term in en
    stated(
        e,
        re.escape(en) + r": 15,000 to 25,000 yuan a year per facility \(the seed's reading\); "
        r"give class sizes for the per-class reading",
    )
    stated(e, re.escape(zh) + r"：每个机构每年1\.5万~2\.5万元.*", "zh")


def test_an_unnamed_mode_is_refused_with_the_modes_the_seed_names() -> None:
    e = entry(OPERATING, facility(mode="park_shared"))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    assert codes(e) == ["xiamen.operating.mode_not_named"]
    assert params(e, "xiamen.operating.mode_not_named") == [{"mode": "park_shared"}]
    zh, en = mode_term("park_shared")
    stated(e, r"the mode is " + re.escape(en) + r"; the operating subsidy names .*\(自办、联办或购买服务\)")
    stated(e, r"办托模式为" + re.escape(zh) + r"；运营补助只面向自办、联办或购买服务", "zh")


def test_operating_without_an_amount_in_force_is_ineligible() -> None:
    e = entry(OPERATING, facility(), without(f"{OPERATING}.amount"))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    assert codes(e) == ["xiamen.operating.no_amount", "core.what_if"]
    assert params(e, "xiamen.operating.no_amount") == [{"on": "2024-06-01"}]
    stated(e, r"no operating subsidy amount is in force on 2024-06-01")


def test_per_class_without_a_table_in_force_is_ineligible() -> None:
    e = entry(OPERATING, facility(classes=(10,)), without(f"{OPERATING}.per_class"))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    assert codes(e) == ["xiamen.operating.no_per_class", "core.what_if"]
    assert params(e, "xiamen.operating.no_per_class") == [{"on": "2024-06-01"}]
    stated(e, r"no per-class operating amounts are in force on 2024-06-01")


def test_per_class_reason_lists_each_class_and_the_total() -> None:
    e = entry(OPERATING, facility(mode="joint_run", classes=(5, 10, 4)))
    assert e.amount == tr.AmountRange.exactly(Decimal("40000"))
    assert codes(e) == [
        "xiamen.operating.per_class",
        *["xiamen.operating.class"] * 3,
        "xiamen.operating.per_class_source",
        "xiamen.operating.accepted_missing",
    ]
    assert params(e, "xiamen.operating.per_class") == [{"mode": "joint_run", "classes": "3", "total": "40000.00"}]
    assert params(e, "xiamen.operating.class") == [
        {"size": "5", "amount": "15000.00"},
        {"size": "10", "amount": "25000.00"},
        {"size": "4", "amount": "0.00"},
    ]
    stated(e, r"joint-run \(联办\): per-class reading \(secondary source\): 3 classes, total 40,000 yuan a year")
    stated(e, r"a class of 10 children: 25,000 yuan a year")
    stated(e, r"联办：按班计算（转载来源）：3个班，合计每年4万元", "zh")
    stated(e, r"the seed states 1\.5万~2\.5万元 a year without saying per what; .*rests on a reprint")


def test_classes_all_under_5_are_ineligible_and_say_why() -> None:
    e = entry(OPERATING, facility(classes=(4, 1)))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    assert len(e.reasons) == 5
    assert codes(e) == [
        "xiamen.operating.per_class",
        *["xiamen.operating.class"] * 2,
        "xiamen.operating.per_class_source",
        "xiamen.operating.classes_too_small",
    ]
    assert params(e, "xiamen.operating.per_class") == [{"mode": "self_run", "classes": "2", "total": "0.00"}]
    assert params(e, "xiamen.operating.class") == [{"size": "4", "amount": "0.00"}, {"size": "1", "amount": "0.00"}]
    stated(e, r"self-run \(自办\): per-class reading .*2 classes, total 0 yuan a year")
    stated(e, r"the seed states 1\.5万~2\.5万元 a year .*")
    stated(e, r"no class has 5 or more children: a class under 5 gets nothing")


def test_a_class_outside_the_table_falls_back_with_the_class_size_and_range() -> None:
    e = entry(OPERATING, facility(classes=(5, 19)))
    assert (e.status, e.amount) == ("eligible", tr.AmountRange.of("15000", "25000"))
    assert codes(e) == ["xiamen.operating.outside_table"]
    assert params(e, "xiamen.operating.outside_table") == [
        {"mode": "self_run", "size": "19", "amount": "15000.00..25000.00"}
    ]
    stated(
        e,
        r"self-run \(自办\): a class of 19 children lies outside the per-class table, so the seed's "
        r"per-facility reading applies: 15,000 to 25,000 yuan a year",
    )
    stated(e, r"自办：19人的班级不在按班补助表内，因此按原始文件的按机构口径：每年1\.5万~2\.5万元", "zh")


def test_a_class_outside_the_table_without_a_per_facility_amount_is_ineligible() -> None:
    e = entry(OPERATING, facility(classes=(19,)), without(f"{OPERATING}.amount"))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    assert codes(e) == ["xiamen.operating.outside_table_no_amount", "core.what_if"]
    assert params(e, "xiamen.operating.outside_table_no_amount") == [{"size": "19", "on": "2024-06-01"}]
