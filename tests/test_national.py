"""National layer (cn): the caring-employer award and the provincial union's match.

Seed 000: "2023年4月,全国总工会、国家卫生健康委联合下发通知,公布75家用人单位为2022年全国爱心托育用人单位。
目前,全国总工会已下拨750万元专项资金,以每个用人单位10万元的标准为全国爱心托育用人单位提供资金补助,省级工会进行
不低于1:1的资金配套。" (75 units x 100,000 = 7,500,000 = 750万元.)

Refinements by batch (digest): 2023 batch "ACFTU and provincial union together at least 150,000 per unit
(split not stated): one entitlement for the joint sum, and no separate provincial-match obligation"; 2024
batch "per-unit amount not stated".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

import tuoyu_rules as tr
from strategies import facility_jurisdictions

DAY = dt.date(2024, 6, 1)
AWARD = "cn.caring_employer_award"
MATCH = "cn.caring_employer_provincial_match"
SEED_AWARD = "全国总工会已下拨750万元专项资金,以每个用人单位10万元的标准为全国爱心托育用人单位提供资金补助"
SEED_MATCH = "省级工会进行不低于1:1的资金配套"


def facility(*designations: tr.Designation, **changes: Any) -> tr.Facility:
    data: dict[str, Any] = {"jurisdiction": "xiamen", "mode": "joint_run", "places": 20, "enrolled": 12}
    data.update(changes)
    return tr.Facility.model_validate({**data, "designations": designations})


def matches_of_award(a: tr.Assessment) -> list[tr.Obligation]:
    return [o for o in a.obligations if o.matches == AWARD]


def test_seed_arithmetic_of_the_2022_list() -> None:
    """Seed 000: 75 units ("公布75家用人单位") at 10万元 each is the 750万元 allocated."""
    per_unit = tr.get_policy("cn").designation_range("cn.caring_employer", 2022)
    assert per_unit is not None
    assert per_unit.is_exact
    assert per_unit.low * 75 == Decimal("7500000")


def test_2022_batch_gets_100000_from_the_acftu() -> None:
    """Seed 000: "以每个用人单位10万元的标准为全国爱心托育用人单位提供资金补助": 100,000, one-time, ACFTU."""
    a = tr.assess(facility(tr.Designation("cn.caring_employer", 2022)), on=DAY)
    e = a.entitlement(AWARD)
    assert e.status == "eligible"
    assert e.amount.low == e.amount.high == Decimal("100000")
    assert e.payer == "cn.acftu"
    assert e.basis == "one_time"
    assert e.jurisdiction == "cn"
    assert e.citations[0].quote == SEED_AWARD
    assert "cn.batch_2022" in {c.id for c in e.citations}
    assert e.amount.format("wan") == "10万元"


def test_2022_batch_creates_the_provincial_match_obligation() -> None:
    """Seed 000: "省级工会进行不低于1:1的资金配套": the Fujian provincial union owes at least 1 x 100,000, with
    no upper bound; the match is an obligation, never an entitlement."""
    a = tr.assess(facility(tr.Designation("cn.caring_employer", 2022)), on=DAY)
    o = a.obligation(MATCH)
    assert o.status == "eligible"
    assert o.payer == "fujian.union"
    assert o.matches == AWARD
    assert o.ratio == Decimal("1")
    assert o.exact is False
    assert o.amount.low == Decimal("100000")
    assert o.amount.high is None
    assert o.basis == "one_time"
    assert o.citations[0].quote == SEED_MATCH
    assert MATCH not in {e.program for e in a.entitlements}
    assert len(matches_of_award(a)) == 1


def test_2022_batch_json_shows_the_match_as_strings() -> None:
    dumped = tr.assess(facility(tr.Designation("cn.caring_employer", 2022)), on=DAY).model_dump(mode="json")
    match = next(o for o in dumped["obligations"] if o["program"] == MATCH)
    assert match["amount"] == {"low": "100000.00", "high": None, "allowed": None}
    assert match["ratio"] == "1.00"  # ratios dump with two decimals, like money
    assert match["payer"] == "fujian.union"


def test_without_designation_no_award_and_no_match() -> None:
    """The award goes to units "designated 全国爱心托育用人单位" only; no grant, no matching duty."""
    a = tr.assess(facility(), on=DAY)
    e = a.entitlement(AWARD)
    assert e.status == "ineligible"
    assert e.amount.low == e.amount.high == Decimal("0")
    assert any("not designated" in r for r in e.reasons)
    assert matches_of_award(a) == []


def test_2023_batch_is_at_least_150000_with_no_separate_match() -> None:
    """Guangming Daily 2024-04-04 (2023 batch): "the ACFTU and the provincial union together give each unit
    at least 150,000 yuan; the split is not stated": one entitlement for the joint sum, no obligation."""
    a = tr.assess(facility(tr.Designation("cn.caring_employer", 2023)), on=DAY)
    e = a.entitlement(AWARD)
    assert e.status == "eligible"
    assert e.amount.low == Decimal("150000")
    assert e.amount.high is None
    assert "cn.batch_2023" in {c.id for c in e.citations}
    assert matches_of_award(a) == []


def test_2023_batch_with_a_pinned_amount() -> None:
    a = tr.assess(facility(tr.Designation("cn.caring_employer", 2023, "200000")), on=DAY)
    e = a.entitlement(AWARD)
    assert e.amount.low == e.amount.high == Decimal("200000")
    pinned = [x.params for x in e.explanation if x.code == "core.pin.applied"]
    assert pinned == [
        {"amount": "200000.00", "field": "designations[cn.caring_employer].amount", "range": "150000.00.."}
    ]


def test_2024_batch_is_undetermined_and_names_the_missing_amount() -> None:
    """Inner Mongolia Daily 2025-03-28 (2024 batch): "7.5 million yuan in total; no per-unit amount is stated"
    -> undetermined, bounds 0 and None, the missing fact is the designation's amount."""
    a = tr.assess(facility(tr.Designation("cn.caring_employer", 2024)), on=dt.date(2025, 6, 1))
    e = a.entitlement(AWARD)
    assert e.status == "undetermined"
    assert e.amount.low == Decimal("0")
    assert e.amount.high is None
    assert e.missing == ("designations[cn.caring_employer].amount",)
    # Issue 13: the 2024 report also says "自治区总工会将给予一定的匹配资金": the provincial match is an
    # obligation of an undetermined amount with no ratio (it was silently absent).
    (match,) = matches_of_award(a)
    assert (match.status, match.ratio, match.amount) == ("undetermined", None, tr.AmountRange.unknown())


def test_2024_batch_with_a_caller_supplied_amount_is_eligible() -> None:
    """ "Never invent a figure the sources do not give": the caller supplies the 2024 amount."""
    a = tr.assess(facility(tr.Designation("cn.caring_employer", 2024, "60000")), on=dt.date(2025, 6, 1))
    e = a.entitlement(AWARD)
    assert e.status == "eligible"
    assert e.amount.low == e.amount.high == Decimal("60000")


def test_designation_year_after_the_day_assessed_is_ineligible() -> None:
    """A designation's year picks its batch; a batch later than the day assessed does not exist yet."""
    a = tr.assess(facility(tr.Designation("cn.caring_employer", 2024)), on=dt.date(2023, 12, 31))
    e = a.entitlement(AWARD)
    assert e.status == "ineligible"
    assert e.amount == tr.AmountRange.zero()
    assert any("after the day assessed" in r for r in e.reasons)
    assert matches_of_award(a) == []


def test_2022_designation_assessed_in_2022_is_eligible() -> None:
    """Issue 13: the award has no stated start; before 2023-05-05 (Workers' Daily, the earliest dated source
    reporting it; the seed says the 2022 list was published in April 2023) it is undetermined, then eligible."""
    a = tr.assess(facility(tr.Designation("cn.caring_employer", 2022)), on=dt.date(2022, 12, 31))
    assert a.entitlement(AWARD).status == "undetermined"
    assert any("2023-05-05" in r for r in a.entitlement(AWARD).reasons)
    b = tr.assess(facility(tr.Designation("cn.caring_employer", 2022)), on=dt.date(2023, 5, 5))
    assert b.entitlement(AWARD).status == "eligible"


def test_year_before_the_first_batch_is_ineligible() -> None:
    """Seed 000: the first list is "2022年全国爱心托育用人单位"; there is no 2021 batch."""
    e = tr.assess(facility(tr.Designation("cn.caring_employer", 2021)), on=DAY).entitlement(AWARD)
    assert e.status == "ineligible"
    assert any("no 2021 batch" in r for r in e.reasons)


@pytest.mark.parametrize("jid", facility_jurisdictions())
def test_the_match_falls_on_the_province_of_the_facility(jid: str) -> None:
    """ "省级工会" is the union of the facility's own province, wherever the facility is."""
    a = tr.assess(facility(tr.Designation("cn.caring_employer", 2022), jurisdiction=jid), on=DAY)
    province = next(p for p in tr.chain(jid) if p.level == "province")
    o = a.obligation(MATCH)
    assert o.payer == f"{province.id}.union"
    assert o.amount.low >= a.entitlement(AWARD).amount.low


def test_pinned_2022_amount_is_matched_at_least_one_to_one() -> None:
    a = tr.assess(facility(tr.Designation("cn.caring_employer", 2022, 100000)), on=DAY)
    assert a.obligation(MATCH).amount == tr.AmountRange.of("100000", None)


def test_totals_by_payer_keep_the_national_and_provincial_money_apart() -> None:
    """A budget sums by payer: the ACFTU's 100,000 and Fujian's at least 100,000 are separate lines."""
    a = tr.assess(facility(tr.Designation("cn.caring_employer", 2022)), on=DAY)
    totals = {(t.payer, t.basis): t for t in a.totals()}
    assert totals[("cn.acftu", "one_time")].amount.low == Decimal("100000")
    assert totals[("fujian.union", "one_time")].amount.low >= Decimal("100000")
    assert totals[("fujian.union", "one_time")].amount.high is None
