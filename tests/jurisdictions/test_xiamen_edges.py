"""Xiamen edge cases: what each reason states, and the branches the bundled data never reaches.

Seed 000: "对用人单位自建自办的托育中心实行5万~10万元的建设补助,对自办、联办或购买服务的给予每年1.5万~2.5万元
运营补助"; the construction conditions (first intake of at least 5 infants, full-day care, 普惠 fees for
staff: Workers' Daily 2022-08-26, Haixi Morning Post 2023-07-19); the per-class operating table (East Money
reprint 2022-07-07, secondary).

A reason must name the condition or figure it rests on. The checks match a reason against a pattern that
pins those facts (the mode, the missing facts, the amount, the Chinese term) at its start and end, and lets
the wording in between change. A reform that declares a parameter ``not_stated`` reaches the "no amount in
force" branches, which the bundled (undated) data never does.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest

import tuoyu_rules as tr

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


def stated(e: tr.Entitlement, pattern: str) -> None:
    """One reason matches ``pattern`` from its first character to its last."""
    assert any(re.fullmatch(pattern, r) for r in e.reasons), f"no reason matches {pattern!r}: {e.reasons}"


# -- construction subsidy ---------------------------------------------------------------------------------


def test_construction_without_an_amount_in_force_is_ineligible() -> None:
    e = entry(CONSTRUCTION, facility(**ALL_MET), without(f"{CONSTRUCTION}.amount"))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, r"no construction subsidy amount is in force on this day")
    stated(e, r"WHAT-IF, not law: .*xiamen\.construction_subsidy\.amount.*")


def test_not_self_built_names_自建() -> None:
    e = entry(CONSTRUCTION, facility(self_built=False, **ALL_MET))
    assert e.status == "ineligible"
    stated(
        e,
        r"the construction subsidy is for self-built, self-run \(自建自办\) centres: "
        r"the premises are not self-built \(自建\)",
    )


def test_both_failures_are_listed_one_after_the_other() -> None:
    e = entry(CONSTRUCTION, facility(self_built=False, mode="joint_run", **ALL_MET))
    stated(
        e,
        r"the construction subsidy is for self-built, self-run \(自建自办\) centres: "
        r"the premises are not self-built \(自建\); the mode is joint_run, not self-run \(自办\)",
    )


@pytest.mark.parametrize(
    ("facts", "unmet"),
    [
        ({"full_day": False}, r"no full-day care \(全日托\)"),
        ({"staff_puhui_fees": False}, r"the unit's own staff are not charged 普惠 fees"),
        ({"first_intake": 4}, r"first intake of 4 infants, fewer than 5"),
        (
            {"first_intake": 0, "full_day": False, "staff_puhui_fees": False},
            r"first intake of 0 infants, fewer than 5; no full-day care \(全日托\); "
            r"the unit's own staff are not charged 普惠 fees",
        ),
    ],
)
def test_an_unmet_published_condition_is_named(facts: dict[str, Any], unmet: str) -> None:
    e = entry(CONSTRUCTION, facility(**{**ALL_MET, **facts}))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, r"self-built and self-run, but a published condition is not met: " + unmet)


def test_eligible_reason_gives_the_range_in_wan_and_who_picks() -> None:
    e = entry(CONSTRUCTION, facility(**ALL_MET))
    assert e.status == "eligible"
    assert e.missing == ()
    assert len(e.reasons) == 1
    stated(
        e,
        r"self-built and self-run \(自建自办\): one-time construction subsidy of 5万元 – 10万元 "
        r"\(5万元 / 8万元 / 10万元\); the union picks the amount by the scale of the build and the investment",
    )


def test_unsupplied_conditions_are_listed_by_name() -> None:
    e = entry(CONSTRUCTION, facility(first_intake=5))
    assert e.missing == ("full_day", "staff_puhui_fees")
    stated(
        e,
        r"conditions from press reports \(first intake of at least 5 infants, full-day care, 普惠 fees for staff\) "
        r"not supplied: full_day, staff_puhui_fees; they do not change the seed's status",
    )


# -- operating subsidy ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "text"),
    [
        ("self_run", "自办 (self-run)"),
        ("joint_run", "联办 (joint-run)"),
        ("purchased_places", "购买服务 (purchased places)"),
        ("third_party", "购买服务 (the employer buys a third-party operator's service)"),
    ],
)
def test_per_facility_reason_names_the_mode_and_the_range(mode: str, text: str) -> None:
    e = entry(OPERATING, facility(mode=mode))
    assert (e.status, e.amount) == ("eligible", tr.AmountRange.of("15000", "25000"))
    stated(
        e,
        re.escape(text) + r": 1\.5万元 – 2\.5万元 a year per facility \(the seed's reading\); "
        r"give class sizes for the per-class reading",
    )


def test_an_unnamed_mode_is_refused_with_the_modes_the_seed_names() -> None:
    e = entry(OPERATING, facility(mode="park_shared"))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, r"the mode is park_shared; the operating subsidy names .*\(自办、联办或购买服务\)")


def test_operating_without_an_amount_in_force_is_ineligible() -> None:
    e = entry(OPERATING, facility(), without(f"{OPERATING}.amount"))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, r"no operating subsidy amount is in force on this day")


def test_per_class_without_a_table_in_force_is_ineligible() -> None:
    e = entry(OPERATING, facility(classes=(10,)), without(f"{OPERATING}.per_class"))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, r"no per-class operating amounts are in force on this day")


def test_per_class_reason_lists_each_class_and_the_total() -> None:
    e = entry(OPERATING, facility(mode="joint_run", classes=(5, 10, 4)))
    assert e.amount == tr.AmountRange.exactly(Decimal("40000"))
    stated(
        e,
        r"联办 \(joint-run\): per-class reading \(secondary source\): "
        r"class of 5: 15000\.00; class of 10: 25000\.00; class of 4: 0\.00; total 40000\.00 a year",
    )
    stated(e, r"the seed states 1\.5万~2\.5万元 a year without saying per what; .*rests on a reprint")


def test_classes_all_under_5_are_ineligible_and_say_why() -> None:
    e = entry(OPERATING, facility(classes=(4, 1)))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    assert len(e.reasons) == 3
    stated(e, r"自办 \(self-run\): per-class reading .*class of 4: 0\.00; class of 1: 0\.00; total 0\.00 a year")
    stated(e, r"the seed states 1\.5万~2\.5万元 a year .*")
    stated(e, r"no class has 5 or more children: a class under 5 gets nothing")


def test_a_class_outside_the_table_falls_back_with_the_class_size_and_range() -> None:
    e = entry(OPERATING, facility(classes=(5, 19)))
    assert (e.status, e.amount) == ("eligible", tr.AmountRange.of("15000", "25000"))
    stated(
        e,
        r"自办 \(self-run\): a class of 19 children lies outside the per-class table, so the seed's "
        r"per-facility reading applies: 1\.5万元 – 2\.5万元 a year",
    )


def test_a_class_outside_the_table_without_a_per_facility_amount_is_ineligible() -> None:
    e = entry(OPERATING, facility(classes=(19,)), without(f"{OPERATING}.amount"))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
