"""Parent fees, Hangzhou's alliance price and a family's monthly cost (``tuoyu_rules.families``).

Expected figures are worked out from the clauses quoted in each docstring (shares, flat fees, allowances),
with market prices chosen for the example where the source gives none; never copied from the code's output.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tuoyu_rules as tr
from tuoyu_rules.core.errors import InvalidInput, MoneyError
from tuoyu_rules.core.money import ROUNDING_MODES
from tuoyu_rules.core.parameters import Ratio
from tuoyu_rules.families import (
    FeeQuote,
    alliance_fee,
    alliance_price_check,
    family_monthly_cost,
    parent_fee,
)

# -- strategies (exact inputs only, never floats) --------------------------------------------------------------

fen = st.integers(min_value=0, max_value=10_000_000).map(lambda n: Decimal(n) / 100)
"""Amounts from 0.00 to 100,000.00 yuan, exact to the fen."""
shares = st.one_of(
    st.integers(min_value=0, max_value=1000).map(lambda n: Decimal(n) / 1000),
    st.fractions(min_value=0, max_value=1, max_denominator=10_000).map(
        lambda f: (Decimal(f.numerator) / Decimal(f.denominator)).quantize(Decimal("1E-12"))
    ),
).filter(lambda s: 0 <= s <= 1)
roundings = st.sampled_from(ROUNDING_MODES)


# -- examples from the sources ---------------------------------------------------------------------------------


def test_qianan_merchants_children_pay_85_percent_of_the_market_price() -> None:
    """Seed 001 (迁安, 万嘉 集中共建): "商户子女可以市场价格85%就读". The seed gives no market price: at an
    illustrative 2,000 a month, 85% is 1,700.00; the quote cites the clause when asked."""
    quote = parent_fee("2000", share=Decimal("0.85"), cite="qianan.seed_merchant_children")
    assert quote.fee == Decimal("1700.00")
    assert quote.net == Decimal("1700.00")
    assert quote.within_cap is True
    assert quote.rounded is False
    assert [c.quote for c in quote.citations] == ["商户子女可以市场价格85%就读"]


def test_qianan_share_is_read_from_the_data() -> None:
    """Seed 001: the 85% and the half price are parameters of data/qianan.toml, usable as the share."""
    params = tr.get_policy("qianan").parameters
    merchants = params["qianan.merchant_children_fee.share"].values[0].value
    half = params["qianan.employee_half_price.share"].values[0].value
    assert isinstance(merchants, Ratio)
    assert isinstance(half, Ratio)
    assert parent_fee("1500", share=merchants.value).fee == Decimal("1275.00")
    assert parent_fee("1500", share=half.value).fee == Decimal("750.00")


def test_qianan_employees_children_at_half_price_with_the_200_allowance() -> None:
    """Seed 001: "在职员工子女可按市场价格半价就读" (凯达) and "职工享有每月200元托育补贴" (鑫达). At an
    illustrative market price of 1,800: half price 900.00, less 200 a month: the parent bears 700.00."""
    quote = parent_fee(1800, share="0.5", allowance_monthly=200)
    assert (quote.fee, quote.allowance_monthly, quote.net) == (Decimal("900.00"), Decimal("200.00"), Decimal("700.00"))
    step = next(e for e in quote.explanation if e.code == "families.fee.allowance")
    assert step.params == {"allowance": "200.00", "fee": "900.00", "net": "700.00"}
    assert any("200 yuan" in step and "700 yuan" in step for step in quote.steps)


def test_henan_college_flat_fee_of_800() -> None:
    """Seed 000 (河南省卫生健康干部学院): "教职工每月托育费用仅800元": a flat 800 whatever the market price."""
    for market in ("1500", "3000.50", "0"):
        quote = parent_fee(market, flat=800)
        assert quote.fee == Decimal("800.00")
        assert quote.flat == Decimal("800.00")
        assert quote.share is None
    flat = parent_fee("1500", flat=800)
    assert flat.explanation[1].code == "families.fee.flat"
    assert "market price is not used" in flat.steps[1]


def test_no_share_no_flat_is_the_market_price() -> None:
    """Contract: with neither share nor flat, the fee is the market price."""
    assert parent_fee("1234.56").fee == Decimal("1234.56")


def test_chengdu_cap_is_checked_not_applied() -> None:
    """Seed 003 (成都): "服务价格不高于当地普惠托育托管服务收费标准": the local standard is not given, so the
    caller supplies it as ``cap``. A fee above it is reported (within_cap False, over by the difference),
    never lowered."""
    over = parent_fee("2000", share="0.85", cap="1500", cite="chengdu.seed_price_cap")
    assert over.fee == Decimal("1700.00")
    assert over.within_cap is False
    assert over.over_cap == Decimal("200.00")
    assert over.explanation[-1].code == "families.fee.over_cap"
    assert over.explanation[-1].params == {"cap": "1500.00", "fee": "1700.00", "over": "200.00"}
    assert "not lowered" in over.steps[-1]
    at = parent_fee("2000", share="0.75", cap="1500")
    assert (at.fee, at.within_cap, at.over_cap) == (Decimal("1500.00"), True, Decimal("0.00"))


def test_fujian_cap_cites_its_report() -> None:
    """Fujian (People's Daily 2022-04-26, summary): employer childcare fees not above the local 普惠 price."""
    quote = parent_fee("1200", cap="1300", cite=["fujian.price_cap"])
    assert quote.within_cap is True
    assert quote.citations[0].id == "fujian.price_cap"
    assert quote.citations[0].quote is None  # a report seen only as a summary never pretends to quote


def test_rounding_once_to_the_fen_and_said() -> None:
    """Digest, rounding: yuan to the fen, ROUND_HALF_UP by default and configurable. 333.33 × 0.5 = 166.665:
    half up gives 166.67, half even 166.66; the step says it was rounded."""
    up = parent_fee("333.33", share="0.5")
    assert up.fee == Decimal("166.67")
    assert up.rounded is True
    assert any(e.code == "families.fee.rounded" and e.params["rounding"] == "ROUND_HALF_UP" for e in up.explanation)
    assert any("rounded once to the fen (ROUND_HALF_UP)" in s for s in up.steps)
    even = parent_fee("333.33", share="0.5", rounding="ROUND_HALF_EVEN")
    assert even.fee == Decimal("166.66")
    exact = parent_fee("333.34", share="0.5")
    assert exact.rounded is False
    assert "families.fee.rounded" not in [e.code for e in exact.explanation]
    assert not any("rounded" in s for s in exact.steps)


def test_many_decimal_share_rounds_only_once() -> None:
    """Rounded once, never twice. The share is 1.115 / 3.33 cut to 28 decimals, so 3.33 × share lies just below
    1.115 (by less than 3.33e-28): half up gives 1.11. A product rounded to 28 digits first would read
    1.115000... and then round to 1.12."""
    share = "0.3348348348348348348348348348"
    assert (Decimal("3.33") * Decimal(share)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == Decimal("1.12")
    quote = parent_fee("3.33", share=share)
    assert quote.fee == Decimal("1.11")
    assert quote.rounded is True


@pytest.mark.parametrize(
    ("share", "stored"),
    [
        ("0.50", "0.5"),
        ("1.000", "1"),
        (Decimal("0E-1000000000"), "0"),
        (Decimal(1) / 3, "0.3333333333333333333333333333"),
    ],
)
def test_share_is_kept_exactly_without_trailing_zeros(share: str | Decimal, stored: str) -> None:
    """The share is stored exactly, trailing zeros dropped (never rounded)."""
    assert str(parent_fee("1000", share=share).share) == stored


@pytest.mark.parametrize("share", ["0." + "9" * 500, "1e-999999999", "0.00000000000000000000000000001"])
def test_share_with_more_than_28_decimals_is_refused(share: str) -> None:
    """A share is refused, naming it, rather than rounded: at most 28 decimals (Decimal(1) / 3 has 28)."""
    with pytest.raises(InvalidInput, match=r"^share: .* more than 28 decimals"):
        parent_fee("1000", share=share)


def test_allowance_above_the_fee_leaves_zero() -> None:
    """Net is never below 0: an allowance of 200 against a flat fee of 150 leaves 0.00, the excess unpaid."""
    quote = parent_fee("1000", flat="150", allowance_monthly="200")
    assert quote.net == Decimal("0.00")
    assert quote.explanation[-2].code == "families.fee.allowance_exceeds"
    assert quote.explanation[-2].params["excess"] == "50.00"
    assert "not counted" in quote.steps[-2]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"share": Decimal("1.01")}, "share"),
        ({"share": "-0.1"}, "share"),
        ({"share": 0.85}, "share"),
        ({"share": True}, "share"),
        ({"share": "abc"}, "share"),
        ({"share": "NaN"}, "share"),
        ({"share": [1]}, "share"),
        ({"share": "0.5", "flat": 800}, "share, flat"),
        ({"flat": -1}, "flat"),
        ({"flat": 800.0}, "flat"),
        ({"allowance_monthly": "-200"}, "allowance_monthly"),
        ({"allowance_monthly": "0.001"}, "allowance_monthly"),
        ({"cap": "-1"}, "cap"),
        ({"rounding": "HALF_UP"}, "rounding"),
        ({"cite": "qianan.no_such"}, "cite"),
        ({"cite": "nowhere.x"}, "cite"),
        ({"cite": ["plain"]}, "cite"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, Any], field: str) -> None:
    """Contract: a share outside [0, 1], a negative amount, both share and flat: an error naming the argument."""
    with pytest.raises(InvalidInput) as info:
        parent_fee("1000", **kwargs)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}:")


@pytest.mark.parametrize("market", ["-1", 1000.0, "1e400", None, "12.345"])
def test_bad_market_price_is_named(market: Any) -> None:
    """The market price is money: negative, float, non-finite or sub-fen input is refused, naming it."""
    with pytest.raises(MoneyError, match=r"^market_monthly:"):
        parent_fee(market)


def test_quote_is_frozen_and_dumps_exact_strings() -> None:
    """Results are immutable; JSON carries amounts as strings with two decimals and the share exactly."""
    quote = parent_fee("1000", share="0.85", allowance_monthly=200, cap=900)
    with pytest.raises(Exception, match="frozen"):
        quote.fee = Decimal(0)
    data = quote.model_dump(mode="json")
    assert (data["fee"], data["net"], data["share"], data["cap"]) == ("850.00", "650.00", "0.85", "900.00")
    assert FeeQuote.model_validate(quote.model_dump()) == quote


# -- properties ------------------------------------------------------------------------------------------------


@given(market=fen, share=st.none() | shares, allowance=fen, cap=st.none() | fen, rounding=roundings)
def test_fee_properties(
    market: Decimal, share: Decimal | None, allowance: Decimal, cap: Decimal | None, rounding: str
) -> None:
    """fee >= 0; 0 <= net <= fee; net = max(fee - allowance, 0); within_cap iff no cap or fee <= cap; the fee
    is within one fen of the exact product; same input, same output."""
    quote = parent_fee(market, share=share, allowance_monthly=allowance, cap=cap, rounding=rounding)
    assert quote.fee >= 0
    assert 0 <= quote.net <= quote.fee
    assert quote.net == max(quote.fee - allowance, Decimal(0))
    assert quote.within_cap == (cap is None or quote.fee <= cap)
    assert quote.over_cap == (Decimal(0) if quote.within_cap else quote.fee - (cap or 0))
    assert quote.fee == quote.fee.quantize(Decimal("0.01"))
    exact = market * (Decimal(1) if share is None else share)
    assert abs(quote.fee - exact) < Decimal("0.01")
    assert quote.rounded == (quote.fee != exact)
    assert parent_fee(market, share=share, allowance_monthly=allowance, cap=cap, rounding=rounding) == quote


@given(market=fen, share=shares)
def test_half_up_is_the_default(market: Decimal, share: Decimal) -> None:
    """Default rounding is ROUND_HALF_UP, applied once to the exact product."""
    assert parent_fee(market, share=share).fee == (market * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@given(market=fen)
def test_share_one_is_the_market_and_share_zero_is_free(market: Decimal) -> None:
    """share = 1 charges the market price; share = 0 charges nothing."""
    assert parent_fee(market, share=1).fee == market
    assert parent_fee(market, share="1.000").fee == market
    assert parent_fee(market, share=0).fee == 0


@given(market_a=fen, market_b=fen, flat=fen)
def test_flat_ignores_the_market(market_a: Decimal, market_b: Decimal, flat: Decimal) -> None:
    """A flat fee is the fee whatever the market price."""
    assert parent_fee(market_a, flat=flat).fee == parent_fee(market_b, flat=flat).fee == flat


@given(market=fen, share=shares, low=fen, high=fen)
def test_larger_allowance_never_costs_more(market: Decimal, share: Decimal, low: Decimal, high: Decimal) -> None:
    """A larger allowance never raises the net; the fee does not depend on the allowance."""
    small, large = sorted((low, high))
    a = parent_fee(market, share=share, allowance_monthly=small)
    b = parent_fee(market, share=share, allowance_monthly=large)
    assert a.fee == b.fee
    assert b.net <= a.net


# -- Hangzhou alliance -----------------------------------------------------------------------------------------


def test_alliance_same_price_complies_and_cites_hangzhou() -> None:
    """Seed 000 (杭州): "在保障本单位职工子女入托的前提下,可以同等的价格向联盟单位开放托位": members' employees
    pay what the unit's own staff pay."""
    check = alliance_price_check("1500", "1500.00", own_staff_placed=True)
    assert check.same_price is True
    assert check.complies is True
    assert check.difference == 0
    assert check.missing == ()
    hangzhou = tr.get_policy("hangzhou").citations["hangzhou.seed_alliance_price"]
    assert check.citations == (hangzhou,)
    assert check.citations[0].quote is not None
    assert "同等的价格" in check.citations[0].quote


def test_alliance_higher_price_breaks_the_rule() -> None:
    """Same clause: charging members' employees 1,800 where own staff pay 1,500 is 300.00 more: not the same."""
    check = alliance_price_check(1500, 1800)
    assert (check.same_price, check.complies, check.difference) == (False, False, Decimal("300.00"))
    assert check.missing == ("own_staff_placed",)
    assert check.explanation[0].code == "families.alliance.member_pays_more"
    assert check.explanation[0].params == {"member": "1800.00", "difference": "300.00", "own": "1500.00"}
    assert "300 yuan more" in check.reasons[0]
    assert check.explanation[1].code == "families.alliance.placed_not_supplied"


def test_alliance_own_staff_first() -> None:
    """Same clause, 在保障本单位职工子女入托的前提下: places open only once the unit's own staff are placed."""
    check = alliance_price_check(1500, 1500, own_staff_placed=False)
    assert check.same_price is True
    assert check.complies is False
    assert [e.code for e in check.explanation] == ["families.alliance.same_price", "families.alliance.not_placed"]
    with pytest.raises(InvalidInput, match=r"^own_staff_placed:"):
        alliance_price_check(1500, 1500, own_staff_placed="yes")  # type: ignore[arg-type]


def test_alliance_fee_is_the_own_staff_fee() -> None:
    """Same clause: a member's employee at a unit whose staff pay half of a 2,000 market price pays 1,000.00;
    the quote cites Hangzhou's clause; the parent's own employer allowance is still deducted."""
    own = parent_fee("2000", share="0.5")
    quote = alliance_fee(own, allowance_monthly=100)
    assert quote.fee == Decimal("1000.00")
    assert quote.market_monthly == Decimal("2000.00")
    assert quote.net == Decimal("900.00")
    assert quote.citations[0].id == "hangzhou.seed_alliance_price"
    assert quote.explanation[0].code == "families.alliance.fee"
    assert [e.code for e in quote.explanation[1:3]] == ["families.fee.market", "families.fee.flat"]
    assert "同等的价格" in quote.steps[0]
    assert alliance_price_check(own, quote).same_price is True
    assert alliance_fee("800").fee == Decimal("800.00")


@given(own=fen, member=fen)
def test_alliance_check_property(own: Decimal, member: Decimal) -> None:
    """same_price iff the fees are equal; the difference is member minus own."""
    check = alliance_price_check(own, member, own_staff_placed=True)
    assert check.same_price == (own == member) == check.complies
    assert check.difference == member - own


# -- family monthly cost ---------------------------------------------------------------------------------------


def siming_allowance() -> tr.Entitlement:
    facility = tr.Facility(
        jurisdiction="siming",
        mode="self_run",
        places=20,
        enrolled=10,
        staff_children=4,
        filed=True,
        union_dues_paid=True,
    )
    return tr.assess(facility, on=dt.date(2025, 6, 1)).entitlement("xiamen.siming_allowance")


def test_family_cost_with_siming_allowance_passed_on() -> None:
    """Xiamen Daily 2022-04-14 (Siming): 100 per employee's child per month; seed 001: 200 a month employer
    allowance. Half of a 2,400 market price is 1,200.00; less 200 and 100: 900.00 a month. The national
    allowance (3,600 a year = 300 a month) is shown for a child born 2024-03-10, not subtracted."""
    cost = family_monthly_cost(
        "2400", share="0.5", employer_allowance=200, passed_on=[siming_allowance()], birth=dt.date(2024, 3, 10)
    )
    assert cost.fee == Decimal("1200.00")
    assert cost.employer_allowance == Decimal("200.00")
    assert cost.district_allowance == Decimal("100.00")
    assert cost.net == Decimal("900.00")
    assert cost.national_allowance_per_month == Decimal("300.00")
    assert cost.national_allowance is not None
    assert cost.national_allowance.months == (2024 + 3 - 2025) * 12 + 3
    ids = [c.id for c in cost.citations]
    assert "siming.allowance" in ids
    assert "cn.allowance_scheme" in ids
    assert "families.cost.national" in [e.code for e in cost.explanation]
    assert any("not subtracted" in s for s in cost.steps)


def test_family_cost_stated_district_allowance_and_floor() -> None:
    """Never below 0: a flat 800 (seed 000, Henan) less 200 and a stated 700 is 0.00."""
    cost = family_monthly_cost("3000", flat=800, employer_allowance=200, district_allowance=700)
    assert cost.net == Decimal("0.00")
    assert cost.national_allowance is None
    assert cost.national_allowance_per_month is None


def test_family_cost_national_allowance_zero_when_not_entitled() -> None:
    """Digest: PRC nationality required; born 2021 or earlier: none. Shown as 0.00 a month."""
    assert family_monthly_cost("1000", birth=dt.date(2021, 6, 1)).national_allowance_per_month == Decimal("0.00")
    foreign = family_monthly_cost("1000", birth=dt.date(2025, 6, 1), prc_national=False)
    assert foreign.national_allowance_per_month == Decimal("0.00")


def test_passed_on_must_be_an_exact_eligible_per_child_month_entitlement() -> None:
    """Only an eligible, exact, per-child-month entitlement can be passed on: Hangzhou's 300-900 range cannot."""
    hangzhou = tr.Facility(
        jurisdiction="hangzhou",
        mode="self_run",
        places=20,
        enrolled=10,
        embedded=True,
        designations=(tr.Designation("hangzhou.puhui", 2024),),
    )
    puhui = tr.assess(hangzhou, on=dt.date(2025, 6, 1)).entitlement("hangzhou.puhui_subsidy")
    with pytest.raises(InvalidInput, match=r"^passed_on\[0\]:"):
        family_monthly_cost("1000", passed_on=[puhui])
    with pytest.raises(InvalidInput, match=r"^passed_on\[0\]:"):
        family_monthly_cost("1000", passed_on=["xiamen.siming_allowance"])  # type: ignore[list-item]
    unfiled = tr.Facility(jurisdiction="siming", mode="self_run", places=5, enrolled=2, filed=False)
    not_eligible = tr.assess(unfiled, on=dt.date(2025, 6, 1)).entitlement("xiamen.siming_allowance")
    with pytest.raises(InvalidInput, match="not eligible"):
        family_monthly_cost("1000", passed_on=[not_eligible])


@given(market=fen, share=shares, employer=fen, district=fen)
def test_family_cost_properties(market: Decimal, share: Decimal, employer: Decimal, district: Decimal) -> None:
    """0 <= net <= fee; net = max(fee - employer - district, 0); the fee is parent_fee's."""
    cost = family_monthly_cost(market, share=share, employer_allowance=employer, district_allowance=district)
    assert cost.fee == parent_fee(market, share=share).fee
    assert 0 <= cost.net <= cost.fee
    assert cost.net == max(cost.fee - employer - district, Decimal(0))
