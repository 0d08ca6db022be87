"""Weifang (潍坊市) and its province Shandong (山东省): seed 000, 山东省潍坊市总工会《推动托育服务工作全“心”发展》.

Expected figures are read from the seed clauses, not from the code:

* "开展潍坊市爱心托育用人单位评选活动,提供3万~5万元的专项补助资金" -> 30,000.00 to 50,000.00, one-time;
* "县级工会按1:1进行资金配套" -> the county union adds exactly the city award;
* "省级工会进行不低于1:1的资金配套" (national layer) -> Shandong's union adds at least the national award;
* "用人单位单独办、用人单位+第三方联合办、园区共享办、工会阵地灵活托的“三办一托”服务模式" -> the modes the
  city promotes (self_run, third_party, park_shared, union_venue).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import tuoyu_rules as tr

ON = dt.date(2024, 6, 1)
AWARD = "weifang.caring_employer_award"
MATCH = "weifang.county_match"
SEED_AWARD = "开展潍坊市爱心托育用人单位评选活动,提供3万~5万元的专项补助资金"
SEED_MATCH = "县级工会按1:1进行资金配套"
SANBAN_YITUO = ("self_run", "third_party", "park_shared", "union_venue")
OTHER_MODES = ("joint_run", "purchased_places", "community_co_built")


def facility(*designations: tr.Designation, mode: str = "self_run", **extra: Any) -> tr.Facility:
    data: dict[str, Any] = {"jurisdiction": "weifang", "mode": mode, "places": 40, "enrolled": 25, **extra}
    return tr.Facility(**data, designations=designations)


def selected(year: int = 2023, amount: str | None = None) -> tr.Designation:
    return tr.Designation("weifang.caring_employer", year, amount)


def d(text: str) -> Decimal:
    return Decimal(text)


# -- identity ------------------------------------------------------------------------------------------------


def test_weifang_policy_identity() -> None:
    """Weifang is a city (370700) of Shandong; its programmes are the two of the seed's 发挥示范带动 clause."""
    p = tr.get_policy("weifang")
    assert (p.id, p.name_zh, p.level, p.parent, p.division_code) == ("weifang", "潍坊市", "city", "shandong", "370700")
    assert {prog.id for prog in p.programs} == {AWARD, MATCH}
    assert p.program(MATCH).kind == "obligation"
    assert p.program(MATCH).matches == AWARD
    assert p.payers["weifang.union"].name_zh == "潍坊市总工会"
    assert "weifang.county_union" in p.payers


def test_shandong_policy_identity() -> None:
    """Shandong is a province (370000) under cn; its union is the payer of the national award's provincial match."""
    p = tr.get_policy("shandong")
    assert (p.name_zh, p.level, p.parent, p.division_code) == ("山东省", "province", "cn", "370000")
    assert p.payers["shandong.union"].name_zh == "山东省总工会"
    assert p.programs == ()
    assert tr.chain("weifang")[1].id == "shandong"
    assert [layer.id for layer in tr.chain("weifang")] == ["weifang", "shandong", "cn"]


def test_seed_quotes_are_cited_verbatim() -> None:
    """Each programme cites its seed clause with the seed's exact words (ASCII comma as in seed 000)."""
    p = tr.get_policy("weifang")
    assert p.program(AWARD).citations[0].quote == SEED_AWARD
    assert p.program(MATCH).citations[0].quote == SEED_MATCH
    seed_000 = "全国总工会女职工部特约刊登: 全国总工会与国家卫生健康委共同召开全国用人单位托育服务工作现场推进会"
    assert p.program(AWARD).citations[0].source == seed_000


# -- the city award ------------------------------------------------------------------------------------------


def test_award_needs_selection() -> None:
    """评选活动: only a selected unit gets the award; without the designation it is ineligible at 0."""
    a = tr.assess(facility(), on=ON)
    e = a.entitlement(AWARD)
    assert e.status == "ineligible"
    assert (e.amount.low, e.amount.high) == (d("0.00"), d("0.00"))
    assert any("weifang.caring_employer" in r for r in e.reasons)
    with pytest.raises(KeyError):
        a.obligation(MATCH)  # no grant, no matching duty


def test_award_range_payer_basis() -> None:
    """提供3万~5万元的专项补助资金: a selected unit is owed 30,000-50,000 once, paid by the municipal union."""
    e = tr.assess(facility(selected()), on=ON).entitlement(AWARD)
    assert e.status == "eligible"
    assert (e.amount.low, e.amount.high) == (d("30000.00"), d("50000.00"))
    assert e.payer == "weifang.union"
    assert e.payer_zh == "潍坊市总工会"
    assert e.basis == "one_time"
    assert e.citations[0].quote == SEED_AWARD
    assert e.confidence == "official"
    assert e.parameters[0].name == f"{AWARD}.amount"


@pytest.mark.parametrize("mode", SANBAN_YITUO)
def test_award_in_a_sanban_yituo_mode_has_no_note(mode: str) -> None:
    """“三办一托”: the four promoted modes are eligible without a note."""
    e = tr.assess(facility(selected(), mode=mode), on=ON).entitlement(AWARD)
    assert e.status == "eligible"
    assert any("三办一托 modes the city promotes" in r and "note" not in r for r in e.reasons)
    assert not any(r.startswith("note:") for r in e.reasons)


@pytest.mark.parametrize("mode", OTHER_MODES)
def test_award_in_another_mode_is_eligible_with_a_note(mode: str) -> None:
    """The seed promotes 三办一托 but does not restrict selection to it: another mode is noted, not refused."""
    e = tr.assess(facility(selected(), mode=mode), on=ON).entitlement(AWARD)
    assert e.status == "eligible"
    assert (e.amount.low, e.amount.high) == (d("30000.00"), d("50000.00"))
    notes = [r for r in e.reasons if r.startswith("note:")]
    assert len(notes) == 1
    assert mode in notes[0]
    assert "三办一托" in notes[0]


def test_award_selection_after_the_day_is_ineligible() -> None:
    """A designation's year after the assessed day cannot have been awarded yet."""
    e = tr.assess(facility(selected(2025)), on=dt.date(2024, 12, 31)).entitlement(AWARD)
    assert e.status == "ineligible"
    assert any("2025" in r for r in e.reasons)
    same_year = tr.assess(facility(selected(2025)), on=dt.date(2025, 1, 1)).entitlement(AWARD)
    assert same_year.status == "eligible"


@pytest.mark.parametrize("amount", ["30000", "30000.00", "40000.50", "50000"])
def test_pinned_award_inside_the_range(amount: str) -> None:
    """The union decides inside 3万~5万元: a pinned sum at either end or between is the amount."""
    a = tr.assess(facility(selected(2023, amount)), on=ON)
    e = a.entitlement(AWARD)
    assert e.status == "eligible"
    assert e.amount.low == e.amount.high == d(amount)


@pytest.mark.parametrize("amount", ["29999.99", "50000.01", "0", "100000"])
def test_pinned_award_outside_the_range_is_refused(amount: str) -> None:
    """A pinned sum outside 3万~5万元 is a validation error naming the amount, not clamped."""
    with pytest.raises(ValidationError) as info:
        selected(2023, amount)
    text = str(info.value)
    assert "amount" in text
    assert "[30000.00, 50000.00]" in text


@pytest.mark.parametrize(("pin", "ok"), [("29999.99", False), ("30000", True), ("50000", True), ("50000.01", False)])
def test_pins_argument_is_checked_against_the_range(pin: str, ok: bool) -> None:
    """assess(pins=...) pins the award too, with the same bounds as the seed's range."""
    f = facility(selected())
    if ok:
        a = tr.assess(f, on=ON, pins={AWARD: pin})
        assert a.entitlement(AWARD).amount.low == a.entitlement(AWARD).amount.high == d(pin)
        assert a.obligation(MATCH).amount.low == a.obligation(MATCH).amount.high == d(pin)
    else:
        with pytest.raises(tr.AmountOutsideRange) as info:
            tr.assess(f, on=ON, pins={AWARD: pin})
        assert f"pins[{AWARD}]" in str(info.value)


def test_float_amount_is_refused() -> None:
    """Money is never a binary float."""
    with pytest.raises(ValidationError):
        tr.Designation("weifang.caring_employer", 2023, 40000.0)  # type: ignore[arg-type]


# -- the county match ----------------------------------------------------------------------------------------


def test_county_match_is_exactly_one_to_one_of_the_range() -> None:
    """县级工会按1:1进行资金配套: an unpinned award gives an exact 1:1 match over the same 30,000-50,000."""
    o = tr.assess(facility(selected()), on=ON).obligation(MATCH)
    assert o.status == "eligible"
    assert o.payer == "weifang.county_union"
    assert o.matches == AWARD
    assert o.ratio == d("1")
    assert o.exact is True
    assert o.basis == "one_time"
    assert (o.amount.low, o.amount.high) == (d("30000.00"), d("50000.00"))
    assert o.citations[0].quote == SEED_MATCH


@pytest.mark.parametrize("amount", ["30000", "45000", "50000"])
def test_county_match_equals_the_pinned_award(amount: str) -> None:
    """按1:1 is exact, so a pinned award of X obliges the county union to exactly X."""
    a = tr.assess(facility(selected(2023, amount)), on=ON)
    assert a.obligation(MATCH).amount == a.entitlement(AWARD).amount
    assert a.obligation(MATCH).amount.low == a.obligation(MATCH).amount.high == d(amount)


def test_county_match_does_not_arise_for_an_ineligible_award() -> None:
    """A selection after the assessed day gives no award, hence no county match."""
    a = tr.assess(facility(selected(2025)), on=dt.date(2024, 6, 1))
    assert MATCH not in {o.program for o in a.obligations}


def test_budget_by_payer() -> None:
    """The municipal union and the county union each owe 45,000 for a pinned 45,000 award."""
    totals = {(t.payer, t.basis): t.amount for t in tr.assess(facility(selected(2023, "45000")), on=ON).totals()}
    assert totals[("weifang.union", "one_time")].low == d("45000.00")
    assert totals[("weifang.county_union", "one_time")].high == d("45000.00")


# -- the national layer above Weifang ------------------------------------------------------------------------


def test_national_2022_designation_match_is_paid_by_shandong() -> None:
    """2022 batch: ACFTU 100,000, and "省级工会进行不低于1:1的资金配套" falls on Shandong's union: at least 100,000."""
    f = facility(tr.Designation("cn.caring_employer", 2022), selected(2023, "50000"))
    a = tr.assess(f, on=ON)
    national = a.entitlement("cn.caring_employer_award")
    assert national.status == "eligible"
    assert national.amount.low == national.amount.high == d("100000.00")
    match = a.obligation("cn.caring_employer_provincial_match")
    assert match.payer == "shandong.union"
    assert match.payer_zh == "山东省总工会"
    assert match.exact is False
    assert (match.amount.low, match.amount.high) == (d("100000.00"), None)
    # the city award and county match are separate and unaffected
    assert a.obligation(MATCH).amount.low == d("50000.00")


# -- what-if -------------------------------------------------------------------------------------------------


def test_what_if_move_to_hangzhou_applies_hangzhou_chain_only() -> None:
    """assess(f, jurisdiction="hangzhou") applies hangzhou, zhejiang and cn; Weifang's award is not applied."""
    f = facility(selected(2023, "40000"), tr.Designation("cn.caring_employer", 2022), embedded=True)
    a = tr.assess(f, jurisdiction="hangzhou", on=ON)
    assert a.jurisdiction == "hangzhou"
    assert a.layers == ("hangzhou", "zhejiang", "cn")
    programs = {e.program for e in a.entitlements} | {o.program for o in a.obligations}
    assert not any(p.startswith(("weifang.", "shandong.")) for p in programs)
    assert {"hangzhou.puhui_subsidy", "hangzhou.demonstration_award", "cn.caring_employer_award"} <= programs
    assert a.obligation("cn.caring_employer_provincial_match").payer == "zhejiang.union"
    assert any("weifang.caring_employer" in n and "not applied" in n for n in a.notes)
    # the facility itself is unchanged: it is still in Weifang
    assert a.facility.jurisdiction == "weifang"


def test_assessing_a_province_is_refused() -> None:
    """A facility is assessed in a city; Shandong is a province."""
    with pytest.raises(tr.InvalidInput) as info:
        tr.assess(facility(), jurisdiction="shandong", on=ON)
    assert "jurisdiction" in str(info.value)
    with pytest.raises(ValidationError):
        tr.Facility(jurisdiction="shandong", mode="self_run", places=1, enrolled=0)


# -- properties ----------------------------------------------------------------------------------------------

CENTS_IN_RANGE = st.integers(min_value=3_000_000, max_value=5_000_000).map(lambda c: Decimal(c) / 100)
CENTS_OUTSIDE = st.one_of(
    st.integers(min_value=0, max_value=2_999_999), st.integers(min_value=5_000_001, max_value=10**9)
).map(lambda c: Decimal(c) / 100)
DAYS = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))


@given(amount=CENTS_IN_RANGE)
def test_property_county_match_equals_any_pinned_award(amount: Decimal) -> None:
    """For every pinned award inside [30,000, 50,000] the county match (按1:1) equals it to the fen."""
    a = tr.assess(facility(selected(2023, str(amount))), on=ON)
    assert a.entitlement(AWARD).amount.low == amount
    assert a.obligation(MATCH).amount.low == a.obligation(MATCH).amount.high == amount


@given(amount=CENTS_OUTSIDE)
def test_property_pins_outside_the_range_are_refused(amount: Decimal) -> None:
    """No pinned amount outside the seed's range is ever accepted."""
    with pytest.raises(ValidationError):
        selected(2023, str(amount))


@given(
    mode=st.sampled_from(tr.MODES),
    year=st.integers(min_value=2020, max_value=2030),
    national=st.sampled_from([None, 2022, 2023, 2024]),
    day=DAYS,
)
def test_property_amounts_never_negative_and_ordered(mode: str, year: int, national: int | None, day: dt.date) -> None:
    """Every entry's amount is >= 0 with low <= high; ineligible entries are exactly 0; the match mirrors the award."""
    designations = [selected(year)]
    if national is not None:
        designations.append(tr.Designation("cn.caring_employer", national))
    a = tr.assess(facility(*designations, mode=mode), on=day)
    for entry in (*a.entitlements, *a.obligations):
        assert entry.amount.low >= 0
        assert entry.amount.high is None or entry.amount.low <= entry.amount.high
        if entry.status == "ineligible":
            assert entry.amount.low == entry.amount.high == 0
    award = a.entitlement(AWARD)
    assert award.status == ("eligible" if year <= day.year else "ineligible")
    if award.status == "eligible":
        assert a.obligation(MATCH).amount == award.amount
