"""AmountRange: a source's "5万~10万元" stays a range; the granting body decides inside it.

Digest: '"range" means the granting body decides inside [low, high]' and 'A range stays a range'.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import tuoyu_rules as tr
from strategies import amount_ranges, money_decimals, value_inside
from tuoyu_rules.core.amounts import total

CENT = Decimal("0.01")


def xiamen_construction() -> tr.AmountRange:
    """Seed 000, Xiamen: "对用人单位自建自办的托育中心实行5万~10万元的建设补助", with the published tiers
    50,000 / 80,000 / 100,000 (Workers' Daily 2022-08-26)."""
    return tr.AmountRange.of("50000", "100000", allowed=("50000", "80000", "100000"))


def test_a_seed_range_keeps_both_bounds() -> None:
    """Seed 000, Xiamen: "对自办、联办或购买服务的给予每年1.5万~2.5万元运营补助": 15,000 to 25,000."""
    r = tr.AmountRange.of("15000", "25000")
    assert (r.low, r.high) == (Decimal("15000.00"), Decimal("25000.00"))
    assert r.is_bounded
    assert not r.is_exact
    assert r.format() == "15,000.00 – 25,000.00"
    assert r.format("wan") == "1.5万元 – 2.5万元"


def test_low_above_high_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"low 100000\.00 is above high 50000\.00"):
        tr.AmountRange.of("100000", "50000")


def test_unbounded_high_means_at_least() -> None:
    """Seed 000: "省级工会进行不低于1:1的资金配套": at least, no upper bound (high None)."""
    r = tr.AmountRange.of("100000", None)
    assert r.high is None
    assert not r.is_bounded
    assert not r.is_exact
    assert r.contains(Decimal("100000.00"))
    assert r.contains(Decimal("999999999.99"))
    assert not r.contains(Decimal("99999.99"))
    assert r.format() == "≥ 100,000.00"
    assert r.describe_allowed() == "at least 100000.00"


def test_allowed_values_are_the_only_values_contained() -> None:
    """Xiamen's tiers: 80,000 is allowed, 70,000 lies between the bounds but is not a tier."""
    r = xiamen_construction()
    assert r.contains(Decimal("80000.00"))
    assert r.contains(Decimal("50000.00"))
    assert r.contains(Decimal("100000.00"))
    assert not r.contains(Decimal("70000.00"))
    assert not r.contains(Decimal("100000.01"))
    assert r.format() == "50,000.00 – 100,000.00 (50,000.00 / 80,000.00 / 100,000.00)"
    assert r.describe_allowed() == "one of 50000.00, 80000.00, 100000.00"


@pytest.mark.parametrize(
    ("allowed", "says"),
    [
        ((), "must not be empty"),
        (("80000", "50000", "100000"), "strictly increasing"),
        (("50000", "50000", "100000"), "strictly increasing"),
        (("60000", "80000", "100000"), "start at low and end at high"),
        (("50000", "80000"), "start at low and end at high"),
    ],
)
def test_malformed_allowed_values_are_refused(allowed: tuple[str, ...], says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        tr.AmountRange.of("50000", "100000", allowed=allowed)


def test_pin_inside_gives_an_exact_amount() -> None:
    pinned = xiamen_construction().pin("80000")
    assert pinned.low == pinned.high == Decimal("80000.00")
    assert pinned.is_exact
    assert pinned.allowed is None
    assert pinned.format() == "80,000.00"
    assert pinned.format("wan") == "8万元"


@pytest.mark.parametrize("value", ["70000", "40000", "100000.01", "120000"])
def test_pin_outside_raises_amount_outside_range(value: str) -> None:
    """A pinned amount must be one of the tiers: 70,000 is inside 5万~10万 but not a published tier."""
    with pytest.raises(tr.AmountOutsideRange, match=r"is not one of 50000\.00, 80000\.00, 100000\.00") as info:
        xiamen_construction().pin(value, field="pins[xiamen.construction_subsidy]")
    assert info.value.field == "pins[xiamen.construction_subsidy]"
    assert isinstance(info.value, tr.InvalidInput)
    assert isinstance(info.value, tr.TuoyuError)


def test_pin_outside_a_plain_range() -> None:
    with pytest.raises(tr.AmountOutsideRange, match=r"inside \[15000.00, 25000.00\]"):
        tr.AmountRange.of("15000", "25000").pin("25000.01")


def test_pin_refuses_a_float() -> None:
    with pytest.raises(tr.MoneyError):
        tr.AmountRange.of("15000", "25000").pin(20000.0)  # type: ignore[arg-type]


def test_sum_of_ranges_is_a_range() -> None:
    """A self-built, self-run Xiamen facility can get both subsidies: 5万~10万 one-time plus 1.5万~2.5万."""
    s = xiamen_construction() + tr.AmountRange.of("15000", "25000")
    assert (s.low, s.high) == (Decimal("65000.00"), Decimal("125000.00"))
    assert s.allowed is None


def test_sum_with_an_unbounded_range_is_unbounded() -> None:
    s = tr.AmountRange.of("100000", "100000") + tr.AmountRange.of("100000", None)
    assert s.low == Decimal("200000.00")
    assert s.high is None


def test_total_of_nothing_is_exactly_zero() -> None:
    assert total([]) == tr.AmountRange.zero()
    assert total([tr.AmountRange.of(1, 2), tr.AmountRange.of(3, 4)]) == tr.AmountRange.of(4, 6)


def test_exact_zero_and_unknown() -> None:
    """Contract: "an ineligible entry has low = high = 0"; "an undetermined entry has the bounds that are
    known, 0 and ``None`` when nothing is"."""
    assert tr.AmountRange.exactly("100000") == tr.AmountRange.of("100000", "100000")
    zero = tr.AmountRange.zero()
    assert zero.low == zero.high == Decimal("0")
    assert zero.is_exact
    unknown = tr.AmountRange.unknown()
    assert unknown.low == Decimal("0")
    assert unknown.high is None


def test_scale_by_a_ratio_is_a_range() -> None:
    """Seed 000 "不低于1:1": the match is ratio 1 times the award, still a range."""
    scaled, rounded = tr.AmountRange.of("100000", None).scale(Decimal("1"))
    assert scaled == tr.AmountRange.of("100000", None)
    assert rounded is False
    scaled, rounded = tr.AmountRange.of("300", "900").scale(12)
    assert scaled == tr.AmountRange.of("3600", "10800")
    assert rounded is False


def test_scale_keeps_tiers() -> None:
    scaled, _ = xiamen_construction().scale(2)
    assert scaled.allowed == (Decimal("100000.00"), Decimal("160000.00"), Decimal("200000.00"))


@pytest.mark.parametrize(
    ("mode", "low", "high"),
    [("ROUND_HALF_UP", "0.03", "0.08"), ("ROUND_HALF_EVEN", "0.02", "0.08"), ("ROUND_DOWN", "0.02", "0.07")],
)
def test_scale_rounds_once_to_the_fen_with_the_named_mode(mode: str, low: str, high: str) -> None:
    """0.05 x 0.5 = 0.025 and 0.15 x 0.5 = 0.075: half way, so the mode decides, and rounding is reported."""
    scaled, rounded = tr.AmountRange.of("0.05", "0.15").scale(Decimal("0.5"), rounding=mode)
    assert (scaled.low, scaled.high) == (Decimal(low), Decimal(high))
    assert rounded is True


@pytest.mark.parametrize("factor", [-1, Decimal("-0.5"), Decimal("NaN"), 0.5, True])
def test_scale_refuses_bad_factors(factor: object) -> None:
    with pytest.raises(tr.InvalidInput, match="factor"):
        tr.AmountRange.of("1", "2").scale(factor)  # type: ignore[arg-type]


def test_range_is_frozen_and_rejects_unknown_keys() -> None:
    r = tr.AmountRange.of(1, 2)
    with pytest.raises(ValidationError):
        r.low = Decimal("0")  # type: ignore[misc]
    with pytest.raises(ValidationError, match="extra"):
        tr.AmountRange.model_validate({"low": "1", "high": "2", "hi": "3"})


# -- properties ---------------------------------------------------------------------------------------------


@given(amount_ranges())
def test_any_range_is_ordered_and_round_trips(r: tr.AmountRange) -> None:
    assert r.low >= 0
    assert r.high is None or r.low <= r.high
    assert tr.AmountRange.model_validate(r.model_dump(mode="json")) == r


@given(st.data(), amount_ranges())
def test_a_value_inside_pins_exactly(data: st.DataObject, r: tr.AmountRange) -> None:
    value = data.draw(value_inside(r))
    pinned = r.pin(value)
    assert pinned.low == pinned.high == value
    assert r.contains(value)


@given(amount_ranges(), money_decimals())
def test_pin_accepts_exactly_what_contains_accepts(r: tr.AmountRange, value: Decimal) -> None:
    if r.contains(value):
        assert r.pin(value).low == value
    else:
        with pytest.raises(tr.AmountOutsideRange):
            r.pin(value)


@given(amount_ranges(max_value=Decimal(10**9)), amount_ranges(max_value=Decimal(10**9)))
def test_sum_bounds_are_sums(a: tr.AmountRange, b: tr.AmountRange) -> None:
    s = a + b
    assert s.low == a.low + b.low
    if a.high is None or b.high is None:
        assert s.high is None
    else:
        assert s.high == a.high + b.high
    assert s == b + a


@given(
    amount_ranges(max_value=Decimal(10**6)),
    st.decimals(min_value=0, max_value=100, places=4),
    st.sampled_from(["ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_DOWN", "ROUND_UP"]),
)
def test_scaled_bounds_are_within_a_fen_of_the_exact_product(r: tr.AmountRange, factor: Decimal, mode: str) -> None:
    scaled, rounded = r.scale(factor, rounding=mode)
    exact_low = r.low * factor
    assert abs(scaled.low - exact_low) < CENT
    assert scaled.low >= exact_low.quantize(CENT, rounding=ROUND_FLOOR)
    assert scaled.high is None if r.high is None else scaled.high is not None
    if scaled.high is not None:
        assert scaled.low <= scaled.high
    if not rounded:
        assert scaled.low == exact_low
