"""Xiamen (厦门市), seed 000, 福建省厦门市总工会《真抓实干 先行先试》, "二是加大资金支持":

    "对用人单位自建自办的托育中心实行5万~10万元的建设补助,对自办、联办或购买服务的给予每年1.5万~2.5万元运营补助。"

Refinements: the construction subsidy takes one of 50,000 / 80,000 / 100,000 and requires a first intake of
at least 5 infants, full-day care and 普惠 fees for the unit's own staff (Workers' Daily 2022-08-26; Haixi
Morning Post 2023-07-19; official). The operating subsidy per class: 15,000 for a class of 5-9, 25,000 for
10-18, nothing under 5 (East Money reprint 2022-07-07; secondary).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tuoyu_rules as tr
from strategies import dates, facilities

DAY = dt.date(2024, 6, 1)
CONSTRUCTION = "xiamen.construction_subsidy"
OPERATING = "xiamen.operating_subsidy"
SEED_CONSTRUCTION = "对用人单位自建自办的托育中心实行5万~10万元的建设补助"
SEED_OPERATING = "对自办、联办或购买服务的给予每年1.5万~2.5万元运营补助"
TIERS = (Decimal("50000"), Decimal("80000"), Decimal("100000"))
ALL_MET = {"first_intake": 5, "full_day": True, "staff_puhui_fees": True}


def facility(**changes: Any) -> tr.Facility:
    data: dict[str, Any] = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True}
    data.update({"places": 60, "enrolled": 40})
    data.update(changes)
    return tr.Facility.model_validate(data)


def construction(f: tr.Facility, **kwargs: Any) -> tr.Entitlement:
    return tr.assess(f, on=DAY, **kwargs).entitlement(CONSTRUCTION)


def operating(f: tr.Facility) -> tr.Entitlement:
    return tr.assess(f, on=DAY).entitlement(OPERATING)


# -- construction subsidy ---------------------------------------------------------------------------------


def test_self_built_self_run_gets_5_to_10_wan_in_three_tiers() -> None:
    """Seed 000: "对用人单位自建自办的托育中心实行5万~10万元的建设补助": 50,000 to 100,000 one-time, paid by
    the Xiamen union (厦门市总工会); the tiers 50,000 / 80,000 / 100,000 (Workers' Daily 2022-08-26)."""
    e = construction(facility(**ALL_MET))
    assert e.status == "eligible"
    assert (e.amount.low, e.amount.high) == (Decimal("50000"), Decimal("100000"))
    assert e.amount.allowed == TIERS
    assert e.payer == "xiamen.union"
    assert e.basis == "one_time"
    assert e.jurisdiction == "xiamen"
    assert e.missing == ()
    assert e.confidence == "official"
    assert e.citations[0].quote == SEED_CONSTRUCTION
    assert {"xiamen.tiers_workers_daily", "xiamen.tiers_haixi"} <= {c.id for c in e.citations}
    assert e.amount.format("wan") == "5万元 – 10万元 (5万元 / 8万元 / 10万元)"


@pytest.mark.parametrize(
    ("self_built", "mode"),
    [
        (False, "self_run"),
        (True, "joint_run"),
        (True, "third_party"),
        (True, "purchased_places"),
        (True, "park_shared"),
        (False, "joint_run"),
    ],
)
def test_not_self_built_or_not_self_run_is_ineligible_with_zero(self_built: bool, mode: str) -> None:
    """Seed 000: the construction subsidy is for "用人单位自建自办的托育中心": both self-built (自建) and
    self-run (自办); otherwise nothing, exactly 0."""
    e = construction(facility(self_built=self_built, mode=mode, **ALL_MET))
    assert e.status == "ineligible"
    assert e.amount.low == e.amount.high == Decimal("0")
    said = [(x.code, x.params) for x in e.explanation]
    assert said[0] == ("xiamen.construction.for_zijian_ziban", {})
    assert "自建自办" in e.explanation[0].en
    assert "自建自办" in e.explanation[0].zh
    assert (("xiamen.construction.not_self_built", {}) in said) == (not self_built)
    assert (("xiamen.construction.not_self_run", {"mode": mode}) in said) == (mode != "self_run")


def test_unsupplied_refinement_facts_are_missing_and_leave_the_status() -> None:
    """Contract: "A condition that comes from a refinement ... whose fact the caller did not supply, does not
    change the status the seed rule gives: the entry lists that fact in ``missing`` and says so in
    ``reasons``" (Xiamen: first intake >= 5, full-day care, 普惠 staff fees, Haixi Morning Post 2023-07-19)."""
    e = construction(facility())
    assert e.status == "eligible"
    assert set(e.missing) == {"first_intake", "full_day", "staff_puhui_fees"}
    assert (e.amount.low, e.amount.high) == (Decimal("50000"), Decimal("100000"))
    assert any("not supplied" in r and "first_intake" in r for r in e.reasons)


@pytest.mark.parametrize("supplied", ["first_intake", "full_day", "staff_puhui_fees"])
def test_one_supplied_fact_leaves_the_others_missing(supplied: str) -> None:
    e = construction(facility(**{supplied: ALL_MET[supplied]}))
    assert e.status == "eligible"
    assert set(e.missing) == {"first_intake", "full_day", "staff_puhui_fees"} - {supplied}


@pytest.mark.parametrize(
    ("fact", "value", "says"),
    [
        ("first_intake", 4, "first intake of 4 infants, fewer than 5"),
        ("first_intake", 0, "fewer than 5"),
        ("full_day", False, "全日托"),
        ("staff_puhui_fees", False, "普惠"),
    ],
)
def test_a_supplied_failing_condition_makes_it_ineligible(fact: str, value: object, says: str) -> None:
    """Workers' Daily 2022-08-26: "first intake of at least 5 infants; full-day care; 普惠 fees for the
    unit's own staff": a supplied fact that fails the condition makes the entry ineligible (0)."""
    e = construction(facility(**{**ALL_MET, fact: value}))
    assert e.status == "ineligible"
    assert e.amount == tr.AmountRange.zero()
    assert any(says in r for r in e.reasons)


def test_first_intake_of_exactly_5_meets_the_condition() -> None:
    """Workers' Daily 2022-08-26 and Haixi Morning Post 2023-07-19 (summarised): "a first intake of at least
    5 infants": exactly 5 is enough."""
    assert construction(facility(**{**ALL_MET, "first_intake": 5})).status == "eligible"


def test_pinning_an_allowed_tier_gives_that_exact_amount() -> None:
    """The union picks the tier; once known, the caller pins it: 80,000 is one of the published tiers."""
    e = construction(facility(), pins={CONSTRUCTION: "80000"})
    assert e.status == "eligible"
    assert e.amount.low == e.amount.high == Decimal("80000")
    pinned = [x for x in e.explanation if x.code == "core.pin.applied"]
    assert [x.params["amount"] for x in pinned] == ["80000.00"]
    assert "pinned at 80,000 yuan" in pinned[0].en


@pytest.mark.parametrize("tier", ["50000", "100000", Decimal("80000.00"), 80000])
def test_every_tier_can_be_pinned(tier: str | Decimal | int) -> None:
    e = construction(facility(), pins={CONSTRUCTION: tier})
    assert e.amount.is_exact
    assert e.amount.low == Decimal(tier)


@pytest.mark.parametrize("value", ["70000", "49999.99", "100000.01", "150000"])
def test_pinning_a_value_that_is_not_a_tier_is_refused(value: str) -> None:
    """70,000 lies inside "5万~10万元" but is not one of the tiers 50,000 / 80,000 / 100,000."""
    with pytest.raises(tr.AmountOutsideRange, match=r"not one of 50000\.00, 80000\.00, 100000\.00") as info:
        construction(facility(), pins={CONSTRUCTION: value})
    assert info.value.field == f"pins[{CONSTRUCTION}]"


def test_a_pin_on_an_ineligible_entry_pays_nothing() -> None:
    e = construction(facility(self_built=False), pins={CONSTRUCTION: "80000"})
    assert e.status == "ineligible"
    assert e.amount == tr.AmountRange.zero()
    assert any("is not paid" in r for r in e.reasons)


# -- operating subsidy ------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["self_run", "joint_run", "purchased_places", "third_party"])
def test_self_run_joint_run_and_purchased_services_get_15_to_25_thousand_a_year(mode: str) -> None:
    """Seed 000: "对自办、联办或购买服务的给予每年1.5万~2.5万元运营补助": 自办 self_run, 联办 joint_run,
    购买服务 purchased_places and third_party (the employer buys the operator's service)."""
    e = operating(facility(mode=mode, self_built=False))
    assert e.status == "eligible"
    assert (e.amount.low, e.amount.high) == (Decimal("15000"), Decimal("25000"))
    assert e.amount.allowed is None
    assert e.basis == "per_year"
    assert e.payer == "xiamen.union"
    assert e.missing == ()
    assert e.confidence == "official"
    assert e.citations[0].quote == SEED_OPERATING


@pytest.mark.parametrize("mode", ["park_shared", "community_co_built", "union_venue"])
def test_other_modes_get_no_operating_subsidy(mode: str) -> None:
    """Seed 000 names only "自办、联办或购买服务": park-shared, community co-built and union-venue care are
    not named, so they are ineligible (exactly 0)."""
    e = operating(facility(mode=mode))
    assert e.status == "ineligible"
    assert e.amount.low == e.amount.high == Decimal("0")
    assert any("自办、联办或购买服务" in r for r in e.reasons)


@pytest.mark.parametrize("mode", ["park_shared", "community_co_built", "union_venue"])
def test_other_modes_stay_ineligible_even_with_classes(mode: str) -> None:
    assert operating(facility(mode=mode, classes=(10,))).status == "ineligible"


@pytest.mark.parametrize(
    ("classes", "status", "amount"),
    [
        ((5,), "eligible", "15000"),
        ((9,), "eligible", "15000"),
        ((10,), "eligible", "25000"),
        ((18,), "eligible", "25000"),
        ((10, 4), "eligible", "25000"),
        ((9, 10), "eligible", "40000"),
        ((5, 5, 10), "eligible", "55000"),
        ((4, 3), "ineligible", "0"),
        ((4,), "ineligible", "0"),
    ],
)
def test_per_class_reading_when_classes_are_given(classes: tuple[int, ...], status: str, amount: str) -> None:
    """East Money reprint 2022-07-07 (secondary): "15,000 yuan for a class of 5 to 9 children under 3,
    25,000 yuan for 10 to 18; a class under 5 gets nothing", summed over classes, a year."""
    e = operating(facility(classes=classes))
    assert e.status == status
    assert e.amount.low == e.amount.high == Decimal(amount)
    assert e.basis == "per_year"
    assert e.confidence == "secondary"
    assert "xiamen.per_class" in {c.id for c in e.citations}
    assert any("secondary" in r for r in e.reasons)


@pytest.mark.parametrize("classes", [(19,), (5, 19), (30,)])
def test_a_class_outside_the_table_falls_back_to_the_seed_range(classes: tuple[int, ...]) -> None:
    """The per-class table stops at 18: a class of 19 falls back to the seed's "每年1.5万~2.5万元"."""
    e = operating(facility(classes=classes))
    assert e.status == "eligible"
    assert (e.amount.low, e.amount.high) == (Decimal("15000"), Decimal("25000"))
    assert any("seed's per-facility reading" in r for r in e.reasons)


def test_per_class_reading_applies_only_when_classes_are_given() -> None:
    """Contract: "The per-class reading of Xiamen's operating subsidy applies only when class sizes are given"."""
    e = operating(facility(classes=None))
    assert "xiamen.per_class" not in {c.id for c in e.citations}
    assert all(p.name != "xiamen.operating_subsidy.per_class" for p in e.parameters)


def test_both_subsidies_are_reported_for_a_self_built_self_run_centre() -> None:
    """Seed 000 gives a self-built, self-run centre both: 5万~10万元 once and 1.5万~2.5万元 a year; the
    totals never mix bases."""
    a = tr.assess(facility(), on=DAY)
    totals = {(t.payer, t.basis): t.amount for t in a.totals()}
    assert totals[("xiamen.union", "one_time")] == tr.AmountRange.of("50000", "100000")
    assert totals[("xiamen.union", "per_year")] == tr.AmountRange.of("15000", "25000")


def test_parameters_used_are_recorded() -> None:
    e = construction(facility())
    used = {p.name: p for p in e.parameters}
    assert "xiamen.construction_subsidy.amount" in used
    assert used["xiamen.construction_subsidy.amount"].value == "50000.00-100000.00 (50000.00/80000.00/100000.00)"
    assert used["xiamen.construction_subsidy.min_first_intake"].value == "5"


# -- properties ---------------------------------------------------------------------------------------------


@given(facilities("xiamen"), dates())
def test_construction_is_eligible_only_for_self_built_self_run(f: tr.Facility, day: dt.date) -> None:
    e = tr.assess(f, on=day).entitlement(CONSTRUCTION)
    if e.status == "eligible":
        assert f.self_built
        assert f.mode == "self_run"
        assert e.amount.allowed == TIERS or e.amount.low in TIERS
        assert f.first_intake is None or f.first_intake >= 5
        assert f.full_day is not False
        assert f.staff_puhui_fees is not False
    elif e.status == "undetermined":
        # Issue 13: no dates are stated; before 2022-08-26 (Workers' Daily, the earliest dated source reporting the
        # subsidy) it is not known to be law, so a facility the rule would pay is undetermined, never eligible.
        assert day < dt.date(2022, 8, 26)
        assert f.self_built
        assert f.mode == "self_run"
    else:
        assert e.status == "ineligible"


@given(facilities("xiamen"), st.sampled_from(TIERS))
def test_pinning_any_tier_when_eligible(f: tr.Facility, tier: Decimal) -> None:
    e = tr.assess(f, on=DAY, pins={CONSTRUCTION: tier}).entitlement(CONSTRUCTION)
    if e.status == "eligible":
        assert e.amount.low == e.amount.high == tier
    else:
        assert e.amount == tr.AmountRange.zero()


@given(facilities("xiamen"))
def test_operating_subsidy_follows_the_mode(f: tr.Facility) -> None:
    e = tr.assess(f, on=DAY).entitlement(OPERATING)
    if f.mode in ("park_shared", "community_co_built", "union_venue"):
        assert e.status == "ineligible"
    elif f.classes is None or any(size > 18 for size in f.classes):
        assert (e.status, e.amount) == ("eligible", tr.AmountRange.of("15000", "25000"))
    else:
        expected = sum((Decimal(15000) if s <= 9 else Decimal(25000)) for s in f.classes if s >= 5)
        assert e.amount.low == e.amount.high == expected
        assert e.status == ("eligible" if expected else "ineligible")
