"""Fujian province (purchased-places subsidy, provincial caring employers, price cap) and Siming district
(思明区) childcare allowance, a layer below a city.

Expected figures come from the digest's refinement rows (Fuzhou Daily 2024-01-11, People's Daily
2022-04-26, Xiamen Daily 2022-04-14), quoted in each docstring.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pydantic
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import tuoyu_rules as tr

DAY = dt.date(2024, 6, 1)
PURCHASED = "fujian.purchased_places_subsidy"
CARING = "fujian.caring_employer_award"
SIMING = "xiamen.siming_allowance"


def assess(jurisdiction: str = "xiamen", *, pins: dict[str, str] | None = None, **facts: Any) -> tr.Assessment:
    data: dict[str, Any] = {"jurisdiction": jurisdiction, "mode": "purchased_places", "places": 40, "enrolled": 30}
    data.update(facts)
    return tr.assess(tr.Facility.model_validate(data), on=DAY, pins=pins)


# -- Fujian: purchased-places subsidy ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("children", "status", "high"),
    [
        (0, "ineligible", "0"),
        (4, "ineligible", "0"),
        (5, "eligible", "15000"),
        (9, "eligible", "15000"),
        (10, "eligible", "30000"),
        (30, "eligible", "30000"),
    ],
)
def test_purchased_places_tiers(children: int, status: str, high: str) -> None:
    """Fuzhou Daily 2024-01-11: 5-9 employees' children at most 15,000; 10 or more at most 30,000; under 5 none."""
    e = assess(staff_children=children).entitlement(PURCHASED)
    assert (e.status, e.payer, e.basis) == (status, "fujian.union", "one_time")
    assert e.amount.low == Decimal("0")
    assert e.amount.high == Decimal(high)


def test_purchased_places_without_staff_children_is_undetermined() -> None:
    """The tier depends on the employees' children placed: not supplied -> undetermined, bounds 0 to 30,000."""
    e = assess().entitlement(PURCHASED)
    assert e.status == "undetermined"
    assert e.missing == ("staff_children",)
    assert (e.amount.low, e.amount.high) == (Decimal("0"), Decimal("30000"))


@pytest.mark.parametrize("mode", ["self_run", "joint_run", "third_party", "park_shared"])
def test_purchased_places_only_for_employers_that_buy_places(mode: str) -> None:
    """The subsidy is for an employer that buys places (购买托位), not for one that runs a facility."""
    e = assess(mode=mode, staff_children=10).entitlement(PURCHASED)
    assert e.status == "ineligible"
    assert (e.explanation[0].code, e.explanation[0].params) == ("fujian.purchased.not_purchased_places", {"mode": mode})


def test_purchased_places_pin_at_the_ceiling_and_one_fen_over() -> None:
    """ "At most 15,000" for 5-9 children: 15,000 can be pinned, 15,000.01 cannot."""
    e = assess(staff_children=7, pins={PURCHASED: "15000"}).entitlement(PURCHASED)
    assert e.amount.low == e.amount.high == Decimal("15000")
    with pytest.raises(tr.TuoyuError, match=PURCHASED):
        assess(staff_children=7, pins={PURCHASED: "15000.01"})
    assert assess(staff_children=10, pins={PURCHASED: "30000"}).entitlement(PURCHASED).amount.low == Decimal("30000")
    with pytest.raises(tr.TuoyuError, match=PURCHASED):
        assess(staff_children=10, pins={PURCHASED: "30000.01"})


def test_purchased_places_cites_its_source() -> None:
    e = assess(staff_children=5).entitlement(PURCHASED)
    assert [c.id for c in e.citations] == ["fujian.purchased_places"]
    assert e.citations[0].quote is None
    assert e.citations[0].summary


# -- Fujian: provincial caring employers and price cap ------------------------------------------------------


def test_provincial_caring_employer_at_most_100000() -> None:
    """People's Daily 2022-04-26: provincial caring employers get at most 100,000."""
    e = assess(designations=[{"program": "fujian.caring_employer", "year": 2023}]).entitlement(CARING)
    assert (e.status, e.payer) == ("eligible", "fujian.union")
    assert (e.amount.low, e.amount.high) == (Decimal("0"), Decimal("100000"))


def test_provincial_caring_employer_absent_or_later_is_ineligible() -> None:
    assert assess().entitlement(CARING).status == "ineligible"
    later = assess(designations=[{"program": "fujian.caring_employer", "year": 2025}]).entitlement(CARING)
    assert later.status == "ineligible"


def test_provincial_caring_employer_pin_limits() -> None:
    """The award is at most 100,000: a pin of 100,000 stands, 100,000.01 is refused."""
    d = {"program": "fujian.caring_employer", "year": 2023, "amount": "100000"}
    assert assess(designations=[d]).entitlement(CARING).amount.low == Decimal("100000")
    with pytest.raises(pydantic.ValidationError, match="amount"):
        tr.Designation("fujian.caring_employer", 2023, "100000.01")


def test_price_cap_is_a_declared_fee_rule_not_an_entitlement() -> None:
    """Employer childcare fees must not exceed the local 普惠 price (a figure the caller supplies)."""
    program = tr.get_policy("fujian").program("fujian.price_cap")
    assert program.kind == "fee_rule"
    assert program.citations[0].source == "人民日报 2022-04-26"
    assert all(e.program != "fujian.price_cap" for e in assess().entitlements)


# -- Siming district ---------------------------------------------------------------------------------------


def test_siming_is_a_district_below_xiamen() -> None:
    policy = tr.get_policy("siming")
    assert (policy.level, policy.parent, policy.division_code, policy.name_zh) == (
        "district",
        "xiamen",
        "350203",
        "思明区",
    )
    assert assess("siming").layers == ("siming", "xiamen", "fujian", "cn")


def test_siming_facility_gets_every_layer_above() -> None:
    """A Siming facility is assessed under siming, xiamen, fujian and cn: no engine change."""
    programs = {e.program for e in assess("siming").entitlements}
    assert {SIMING, "xiamen.operating_subsidy", PURCHASED, "cn.caring_employer_award"} <= programs
    assert SIMING not in {e.program for e in assess("xiamen").entitlements}


def test_siming_allowance_100_per_child_month() -> None:
    """Xiamen Daily 2022-04-14: 100 per child per month, filed facility, employer union paying dues; quarterly."""
    e = assess("siming", staff_children=6, filed=True, union_dues_paid=True).entitlement(SIMING)
    assert (e.status, e.payer, e.basis) == ("eligible", "siming.union", "per_child_month")
    assert e.amount.low == e.amount.high == Decimal("100")
    assert e.missing == ()
    totals = next(x for x in e.explanation if x.code == "siming.allowance.totals")
    assert totals.params["monthly"] == "600.00..600.00"  # 6 children x 100
    assert totals.params["quarterly"] == "1800.00..1800.00"  # 3 months x 600
    assert "siming.allowance.rate" in [x.code for x in e.explanation]  # 100 per child per month, paid quarterly
    assert "quarterly" in e.reasons[0]


@pytest.mark.parametrize(("fact", "value"), [("filed", False), ("union_dues_paid", False)])
def test_siming_condition_false_is_ineligible(fact: str, value: bool) -> None:
    facts: dict[str, Any] = {"staff_children": 6, "filed": True, "union_dues_paid": True, fact: value}
    e = assess("siming", **facts).entitlement(SIMING)
    assert e.status == "ineligible"
    assert e.amount.high == Decimal("0")


@pytest.mark.parametrize("fact", ["filed", "union_dues_paid", "staff_children"])
def test_siming_fact_not_supplied_is_missing_without_changing_status(fact: str) -> None:
    facts: dict[str, Any] = {"staff_children": 6, "filed": True, "union_dues_paid": True}
    del facts[fact]
    e = assess("siming", **facts).entitlement(SIMING)
    assert e.status == "eligible"
    assert e.missing == (fact,)
    assert e.amount.low == Decimal("100")
    assert any(fact in r for r in e.reasons)


def test_siming_no_employees_children_is_ineligible() -> None:
    e = assess("siming", staff_children=0, filed=True, union_dues_paid=True).entitlement(SIMING)
    assert e.status == "ineligible"


def test_siming_match_payer_is_fujian_union() -> None:
    """The national award's provincial match is Fujian's, also for a district under Xiamen."""
    a = assess("siming", designations=[{"program": "cn.caring_employer", "year": 2022}])
    assert a.obligation("cn.caring_employer_provincial_match").payer == "fujian.union"


# -- properties -------------------------------------------------------------------------------------------

facts = st.fixed_dictionaries(
    {
        "jurisdiction": st.sampled_from(["xiamen", "siming"]),
        "mode": st.sampled_from(["self_run", "joint_run", "third_party", "purchased_places", "park_shared"]),
        "staff_children": st.none() | st.integers(min_value=0, max_value=30),
        "filed": st.none() | st.booleans(),
        "union_dues_paid": st.none() | st.booleans(),
        "fujian_year": st.none() | st.integers(min_value=2020, max_value=2026),
    }
)


def build(f: dict[str, Any]) -> tr.Facility:
    data = {k: v for k, v in f.items() if k != "fujian_year" and v is not None}
    data.update(places=40, enrolled=30)
    if f["fujian_year"] is not None:
        data["designations"] = [{"program": "fujian.caring_employer", "year": f["fujian_year"]}]
    return tr.Facility.model_validate(data)


@given(f=facts)
def test_amounts_never_negative_and_ordered(f: dict[str, Any]) -> None:
    a = tr.assess(build(f), on=DAY)
    for e in a.entitlements:
        assert e.amount.low >= 0
        assert e.amount.high is None or e.amount.low <= e.amount.high
        if e.status == "ineligible":
            assert e.amount.low == e.amount.high == 0
        if e.status == "undetermined":
            assert e.missing


@given(f=facts)
def test_more_staff_children_never_lowers_the_fujian_ceiling(f: dict[str, Any]) -> None:
    assume(f["staff_children"] is not None and f["staff_children"] < 30)
    more = dict(f, staff_children=f["staff_children"] + 1)
    low = tr.assess(build(f), on=DAY).entitlement(PURCHASED).amount.high
    high = tr.assess(build(more), on=DAY).entitlement(PURCHASED).amount.high
    assert low is not None
    assert high is not None
    assert high >= low


@given(f=facts)
def test_same_input_same_output(f: dict[str, Any]) -> None:
    assert tr.assess(build(f), on=DAY).model_dump(mode="json") == tr.assess(build(f), on=DAY).model_dump(mode="json")
