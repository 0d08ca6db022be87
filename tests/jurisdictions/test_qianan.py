"""Qian'an (迁安市) and Hebei (河北省): seed 001 and the national award's provincial match (seed 000).

Expected figures are read from the clauses quoted in each test's docstring, not from the code's output.
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
from tuoyu_rules.core.parameters import Ratio

ON = dt.date(2024, 6, 1)
SUBSIDY = "qianan.caring_unit_subsidy"


def facility(*designations: tr.Designation, **facts: Any) -> tr.Facility:
    data: dict[str, Any] = {"jurisdiction": "qianan", "mode": "self_run", "places": 30, "enrolled": 20}
    data.update(facts)
    return tr.Facility(**data, designations=designations)


def caring_unit(year: int = 2023, amount: int | str | Decimal | None = None) -> tr.Designation:
    return tr.Designation("qianan.caring_unit", year, amount)


# -- identity -----------------------------------------------------------------------------------------------


def test_qianan_is_a_county_level_city_directly_under_hebei() -> None:
    """Seed 001 title: 河北迁安; Qian'an is GB/T 2260 130283, administered by Tangshan, which has no layer."""
    policy = tr.get_policy("qianan")
    assert (policy.name_zh, policy.level, policy.parent, policy.division_code) == ("迁安市", "city", "hebei", "130283")
    assert tr.chain("qianan") == (policy, tr.get_policy("hebei"), tr.get_policy("cn"))
    assert any("Tangshan" in text for text in policy.limitations)


def test_hebei_is_a_province_whose_union_pays() -> None:
    """Seed 000: "省级工会进行不低于1:1的资金配套": Hebei's union (河北省总工会) is the provincial payer."""
    policy = tr.get_policy("hebei")
    assert (policy.name_zh, policy.level, policy.parent, policy.division_code) == ("河北省", "province", "cn", "130000")
    assert policy.payers["hebei.union"].name_zh == "河北省总工会"
    assert "qianan" in tr.list_jurisdictions()
    assert "hebei" in tr.list_jurisdictions()


def test_a_facility_cannot_be_in_hebei_itself() -> None:
    """A facility is in a city or district; a province is an error naming the field."""
    with pytest.raises(ValidationError, match="jurisdiction"):
        tr.Facility(jurisdiction="hebei", mode="self_run", places=1, enrolled=0)


# -- caring-unit subsidy ------------------------------------------------------------------------------------


def test_caring_unit_subsidy_is_a_range_up_to_70000() -> None:
    """Seed 001: "对爱心托育单位给予最高不超过7万元/家的资金补贴": at most 70,000 per unit, one-time."""
    entry = tr.assess(facility(caring_unit()), on=ON).entitlement(SUBSIDY)
    assert entry.status == "eligible"
    assert (entry.amount.low, entry.amount.high) == (Decimal("0.00"), Decimal("70000.00"))
    assert (entry.payer, entry.basis, entry.missing) == ("qianan.union", "one_time", ())
    assert entry.citations[0].quote == "对爱心托育单位给予最高不超过7万元/家的资金补贴"
    assert entry.citations[0].source == "迁安市委改革办: 河北迁安:爱心托育 化解职工“带娃焦虑”, 2024-01-24"  # seed 001
    assert entry.parameters[0].name == "qianan.caring_unit_subsidy.amount"


def test_caring_unit_subsidy_needs_the_designation() -> None:
    """Seed 001: the subsidy is for 爱心托育单位; a unit not designated gets nothing."""
    entry = tr.assess(facility(), on=ON).entitlement(SUBSIDY)
    assert entry.status == "ineligible"
    assert (entry.amount.low, entry.amount.high) == (Decimal("0.00"), Decimal("0.00"))
    assert "qianan.caring_unit" in entry.reasons[0]


def test_a_designation_after_the_day_assessed_does_not_pay() -> None:
    """A 2025 designation cannot have paid on a day of 2024."""
    entry = tr.assess(facility(caring_unit(2025)), on=ON).entitlement(SUBSIDY)
    assert entry.status == "ineligible"
    assert "2025" in entry.reasons[0]


@pytest.mark.parametrize("pinned", ["0", "0.01", "35000.50", "69999.99", "70000", "70000.00"])
def test_pinned_amount_inside_the_range_is_the_entitlement(pinned: str) -> None:
    """Seed 001: "最高不超过7万元/家": any awarded amount from 0 to 70,000 (inclusive) is the entitlement."""
    entry = tr.assess(facility(caring_unit(amount=pinned)), on=ON).entitlement(SUBSIDY)
    assert entry.status == "eligible"
    assert entry.amount.low == entry.amount.high == Decimal(pinned)


@pytest.mark.parametrize("pinned", ["70000.01", "70001", "100000"])
def test_pinned_amount_above_70000_is_refused(pinned: str) -> None:
    """Seed 001: "最高不超过7万元/家": 70,000.01 is more than the most a unit can get."""
    with pytest.raises(ValidationError, match="amount") as info:
        caring_unit(amount=pinned)
    assert "qianan.caring_unit_subsidy" in str(info.value)


@pytest.mark.parametrize("bad", ["-1", "-0.01", "1.001", "70000.001", "abc"])
def test_negative_or_over_precise_amounts_are_refused(bad: str) -> None:
    """Money has at most two decimals and is never negative; the error names the field."""
    with pytest.raises(ValidationError, match="amount"):
        caring_unit(amount=bad)


def test_float_amounts_are_refused() -> None:
    """Money is never a binary float."""
    with pytest.raises(ValidationError, match="amount"):
        tr.Designation.model_validate({"program": "qianan.caring_unit", "year": 2023, "amount": 70000.0})


def test_pins_argument_outside_the_range_is_refused() -> None:
    """A pin passed to assess() must lie in [0, 70000] too."""
    with pytest.raises(tr.AmountOutsideRange, match=SUBSIDY):
        tr.assess(facility(caring_unit()), on=ON, pins={SUBSIDY: "70000.01"})
    entry = tr.assess(facility(caring_unit()), on=ON, pins={SUBSIDY: "50000"}).entitlement(SUBSIDY)
    assert entry.amount.low == entry.amount.high == Decimal("50000")


# -- Hebei's provincial match --------------------------------------------------------------------------------


def test_hebei_union_matches_a_2022_national_award_in_qianan() -> None:
    """Seed 000: ACFTU 10万元 per unit; "省级工会进行不低于1:1的资金配套": Hebei's union adds at least 100,000."""
    f = facility(tr.Designation("cn.caring_employer", 2022))
    a = tr.assess(f, on=ON)
    assert a.entitlement("cn.caring_employer_award").amount.low == Decimal("100000")
    match = a.obligation("cn.caring_employer_provincial_match")
    assert (match.payer, match.payer_zh) == ("hebei.union", "河北省总工会")
    assert (match.amount.low, match.amount.high) == (Decimal("100000"), None)
    assert (match.ratio, match.exact) == (Decimal("1"), False)


def test_without_a_national_designation_hebei_owes_nothing() -> None:
    """No national award, no matching duty."""
    assert tr.assess(facility(caring_unit()), on=ON).obligations == ()


# -- non-money programmes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("program", "kind", "quotes"),
    [
        ("qianan.union_funds_allowed", "compliance", ("基层工会开展的托育服务所需经费,可从工会经费中列支",)),
        ("qianan.merchant_children_fee", "fee_rule", ("商户子女可以市场价格85%就读",)),
        ("qianan.employee_half_price", "fee_rule", ("在职员工子女可按市场价格半价就读",)),
        (
            "qianan.employer_allowance",
            "fee_rule",
            ("职工享有每月200元托育补贴", "为在岗教职工入园子女给予每月200元入托补贴"),
        ),
    ],
)
def test_non_money_programmes_cite_seed_001(program: str, kind: str, quotes: tuple[str, ...]) -> None:
    """Seed 001 (ASCII comma as in the seed): permissions and fee arrangements, cited but never paid."""
    p = tr.get_policy("qianan").program(program)
    assert p.kind == kind
    assert tuple(c.quote for c in p.citations) == quotes
    assert all(c.source == "迁安市委改革办: 河北迁安:爱心托育 化解职工“带娃焦虑”, 2024-01-24" for c in p.citations)
    a = tr.assess(facility(caring_unit()), on=ON)
    assert program not in {e.program for e in a.entitlements}


@pytest.mark.parametrize(
    ("name", "share", "fee_on_1000"),
    [
        ("qianan.merchant_children_fee.share", Decimal("0.85"), Decimal("850")),
        ("qianan.employee_half_price.share", Decimal("0.5"), Decimal("500")),
    ],
)
def test_fee_shares_are_exact_ratios(name: str, share: Decimal, fee_on_1000: Decimal) -> None:
    """Seed 001: "市场价格85%" is 0.85 of the market price; "市场价格半价" is 0.5, exactly."""
    value = tr.get_policy("qianan").parameters[name].value_on(ON)
    assert value is not None
    assert value.kind == "ratio"
    assert value.value == Ratio(share, exact=True)
    # on a market price of 1,000 a month the parent is charged 850 and 500
    assert Decimal("1000") * value.value.value == fee_on_1000


def test_employer_allowance_is_200_a_month() -> None:
    """Seed 001: "每月200元托育补贴" / "每月200元入托补贴": exactly 200 yuan a month."""
    value = tr.get_policy("qianan").parameters["qianan.employer_allowance.monthly"].value_on(ON)
    assert value is not None
    assert isinstance(value.value, tr.AmountRange)
    assert (value.value.low, value.value.high) == (Decimal("200"), Decimal("200"))


# -- what-if -------------------------------------------------------------------------------------------------


def test_moving_a_qianan_caring_unit_to_chengdu() -> None:
    """What-if: Qian'an's designation does not travel; the national award's match moves to Sichuan's union."""
    f = facility(caring_unit(amount="60000"), tr.Designation("cn.caring_employer", 2022))
    home = tr.assess(f, on=ON)
    moved = tr.assess(f, jurisdiction="chengdu", on=ON)
    assert home.entitlement(SUBSIDY).amount.low == Decimal("60000")
    assert moved.layers == ("chengdu", "sichuan", "cn")
    assert SUBSIDY not in {e.program for e in moved.entitlements}
    assert any("qianan.caring_unit" in note for note in moved.notes)
    assert moved.entitlement("chengdu.demonstration_subsidy").status == "ineligible"
    assert moved.obligation("cn.caring_employer_provincial_match").payer == "sichuan.union"
    assert home.obligation("cn.caring_employer_provincial_match").payer == "hebei.union"


# -- properties ----------------------------------------------------------------------------------------------

cents = st.integers(min_value=0, max_value=7_000_000).map(lambda c: Decimal(c) / 100)


@given(amount=cents, year=st.integers(min_value=2000, max_value=2024))
def test_any_pinned_amount_inside_the_range_is_paid_exactly(amount: Decimal, year: int) -> None:
    """Property: a pin in [0, 70000] with at most two decimals is the entitlement, never changed."""
    entry = tr.assess(facility(caring_unit(year, amount)), on=ON).entitlement(SUBSIDY)
    assert entry.status == "eligible"
    assert entry.amount.low == entry.amount.high == amount


@given(amount=st.integers(min_value=7_000_001, max_value=10**14).map(lambda c: Decimal(c) / 100))
def test_any_amount_above_70000_is_refused(amount: Decimal) -> None:
    """Property: nothing above 70,000 passes validation."""
    with pytest.raises(ValidationError):
        caring_unit(amount=amount)


@given(
    designated=st.booleans(),
    national=st.sampled_from([None, 2022, 2023, 2024]),
    pinned=st.one_of(st.none(), cents),
    on=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)),
)
def test_amounts_are_never_negative_and_low_is_at_most_high(
    designated: bool, national: int | None, pinned: Decimal | None, on: dt.date
) -> None:
    """Property: every entry of a Qian'an facility has 0 <= low <= high (or no upper bound)."""
    designations = []
    if designated:
        designations.append(caring_unit(2020, pinned))
    if national is not None:
        designations.append(tr.Designation("cn.caring_employer", national))
    a = tr.assess(facility(*designations), on=on)
    for entry in (*a.entitlements, *a.obligations):
        assert entry.amount.low >= 0
        assert entry.amount.high is None or entry.amount.low <= entry.amount.high
        if entry.status == "ineligible":
            assert entry.amount.low == entry.amount.high == 0
