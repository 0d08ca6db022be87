"""Pinning discretion, comparing cities and sweeping a parameter (tuoyu_rules.whatif)."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
from strategies import dates, facilities, rounding_modes
from tuoyu_rules.core.amounts import AmountRange
from tuoyu_rules.core.messages import package_catalog
from tuoyu_rules.whatif import STRATEGIES, choose, city_ids, compare, pin, sweep, sweep_reforms

DAY = dt.date(2024, 6, 1)
TIERS = AmountRange.of("50000", "100000", allowed=("50000", "80000", "100000"))
UP = tr.Reform.from_dict(
    {
        "name": "up",
        "description": "Xiamen operating 20,000-30,000",
        "parameters": {"xiamen.operating_subsidy.amount": [{"kind": "range", "low": "20000", "high": "30000"}]},
    }
)


# -- choose --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("strategy", "expected"), [("low", "15000.00"), ("mid", "20000.00"), ("high", "25000.00")])
def test_choose_on_a_continuous_range(strategy: str, expected: str) -> None:
    value, rounded, note = choose(AmountRange.of("15000", "25000"), strategy)
    assert value == Decimal(expected)
    assert not rounded
    assert note.code == f"whatif.pin.{strategy}"


def test_mid_of_the_xiamen_tiers_is_the_allowed_value_nearest_the_midpoint() -> None:
    value, rounded, note = choose(TIERS, "mid")
    assert value == Decimal("80000.00")  # midpoint 75,000: 80,000 is 5,000 away, 50,000 is 25,000 away
    assert not rounded
    assert note.code == "whatif.pin.mid_allowed"
    assert "nearest the midpoint" in package_catalog("tuoyu_rules.whatif").render(note, "en")


def test_mid_tie_between_two_allowed_values_goes_to_the_lower() -> None:
    r = AmountRange.of("0", "100", allowed=("0", "40", "60", "100"))
    assert choose(r, "mid")[0] == Decimal("40.00")


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("ROUND_HALF_UP", "0.02"), ("ROUND_HALF_EVEN", "0.02"), ("ROUND_DOWN", "0.01"), ("ROUND_HALF_DOWN", "0.01")],
)
def test_mid_rounds_once_to_the_fen_with_the_mode_and_says_so(mode: str, expected: str) -> None:
    value, rounded, note = choose(AmountRange.of("0.01", "0.02"), "mid", rounding=mode)
    assert value == Decimal(expected)
    assert rounded
    assert note.code == "whatif.pin.mid_rounded"
    assert note.mapping["rounding"] == mode
    assert mode in package_catalog("tuoyu_rules.whatif").render(note, "en")


@pytest.mark.parametrize("strategy", ["mid", "high"])
def test_an_unbounded_range_has_no_mid_or_high(strategy: str) -> None:
    value, _, note = choose(AmountRange.of("150000", None), strategy)
    assert value is None
    assert note.code == "whatif.pin.no_upper_bound"
    assert "no upper bound" in package_catalog("tuoyu_rules.whatif").render(note, "en")


def test_low_of_an_unbounded_range_is_the_minimum_the_source_sets() -> None:
    assert choose(AmountRange.of("150000", None), "low")[0] == Decimal("150000.00")


def test_an_unknown_strategy_is_an_error_naming_it() -> None:
    with pytest.raises(tr.InvalidInput, match="strategy"):
        choose(TIERS, "median")


@given(
    low=st.integers(0, 10**11),
    width=st.integers(0, 10**11),
    strategy=st.sampled_from(STRATEGIES),
    mode=rounding_modes(),
)
def test_a_pinned_strategy_always_lands_inside_the_range(low: int, width: int, strategy: str, mode: str) -> None:
    r = AmountRange.of(Decimal(low) / 100, Decimal(low + width) / 100)  # bounds in fen
    value, _, _ = choose(r, strategy, rounding=mode)
    assert value is not None
    assert r.contains(value)
    assert value == value.quantize(Decimal("0.01"))


@given(
    values=st.lists(st.integers(0, 10**6), min_size=1, max_size=6, unique=True), strategy=st.sampled_from(STRATEGIES)
)
def test_a_pinned_strategy_on_allowed_values_lands_on_one_of_them(values: list[int], strategy: str) -> None:
    ordered = tuple(sorted(values))
    r = AmountRange.of(ordered[0], ordered[-1], allowed=ordered)
    value, _, _ = choose(r, strategy)
    assert value is not None
    assert value in r.allowed  # type: ignore[operator]


# -- pin -------------------------------------------------------------------------------------------------


def xiamen(**extra: object) -> tr.Facility:
    data: dict[str, object] = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 30}
    data["enrolled"] = 20
    data.update(extra)
    return tr.Facility.model_validate(data)


def test_pin_mid_settles_xiamen_on_single_figures() -> None:
    p = pin(xiamen(), on=DAY, strategy="mid")
    assert p.assessment.entitlement("xiamen.construction_subsidy").amount == AmountRange.exactly("80000")
    assert p.assessment.entitlement("xiamen.operating_subsidy").amount == AmountRange.exactly("20000")
    assert p.strategy == "mid"
    assert {c.program for c in p.choices} >= {"xiamen.construction_subsidy", "xiamen.operating_subsidy"}


def test_without_a_strategy_nothing_is_pinned() -> None:
    p = pin(xiamen(), on=DAY)
    assert p.assessment == tr.assess(xiamen(), on=DAY)
    assert p.choices == ()


def test_explicit_awards_win_over_the_strategy_and_are_checked() -> None:
    p = pin(xiamen(), on=DAY, strategy="low", awards={"xiamen.construction_subsidy": "100000"})
    assert p.assessment.entitlement("xiamen.construction_subsidy").amount.low == Decimal("100000.00")
    assert p.assessment.entitlement("xiamen.operating_subsidy").amount.low == Decimal("15000.00")
    with pytest.raises(tr.AmountOutsideRange):
        pin(xiamen(), on=DAY, awards={"xiamen.construction_subsidy": "70000"})  # not a tier


def test_obligations_follow_their_pinned_grants() -> None:
    f = tr.Facility.model_validate(
        {
            "jurisdiction": "weifang",
            "mode": "self_run",
            "places": 30,
            "enrolled": 20,
            "designations": [{"program": "weifang.caring_employer", "year": 2023}],
        }
    )
    for strategy, expected in (("low", "30000.00"), ("mid", "40000.00"), ("high", "50000.00")):
        a = pin(f, on=DAY, strategy=strategy).assessment
        assert a.entitlement("weifang.caring_employer_award").amount.low == Decimal(expected)
        match = a.obligation("weifang.county_match")
        assert match.amount == AmountRange.exactly(expected)  # exactly 1:1, computed by the engine


def test_a_minimum_match_pins_low_and_stays_open_for_mid_and_high() -> None:
    f = xiamen(designations=[{"program": "cn.caring_employer", "year": 2022}])
    low = pin(f, on=DAY, strategy="low").assessment.obligation("cn.caring_employer_provincial_match")
    assert low.amount == AmountRange.exactly("100000")
    assert any("pinned by strategy 'low'" in r for r in low.reasons)
    for strategy in ("mid", "high"):
        p = pin(f, on=DAY, strategy=strategy)
        assert p.assessment.obligation("cn.caring_employer_provincial_match").amount.high is None
        assert any(c.program == "cn.caring_employer_provincial_match" for c in p.open)


def test_undetermined_entries_stay_undetermined() -> None:
    f = xiamen(designations=[{"program": "cn.caring_employer", "year": 2024}])
    for strategy in STRATEGIES:
        p = pin(f, on=DAY, strategy=strategy)
        e = p.assessment.entitlement("cn.caring_employer_award")
        assert e.status == "undetermined"
        assert e.amount.high is None
        assert any(c.program == "cn.caring_employer_award" and c.value is None for c in p.open)


@given(facility=facilities(), on=dates(), strategy=st.sampled_from(STRATEGIES), mode=rounding_modes())
def test_pinning_keeps_status_and_lands_inside_every_range(
    facility: tr.Facility, on: dt.date, strategy: str, mode: str
) -> None:
    base = tr.assess(facility, on=on, rounding=mode)
    pinned = pin(facility, on=on, strategy=strategy, rounding=mode).assessment
    assert [e.program for e in pinned.entitlements] == [e.program for e in base.entitlements]
    for before, after in zip(base.entitlements, pinned.entitlements, strict=True):
        assert after.status == before.status
        if before.status == "eligible":
            assert before.amount.contains(after.amount.low) or before.amount.low == after.amount.low
            if before.amount.high is not None:
                assert after.amount.is_exact
        else:
            assert after.amount == before.amount


# -- reforms never change the baseline -------------------------------------------------------------------


@given(facility=facilities(), on=dates())
def test_a_reform_never_changes_the_baseline(facility: tr.Facility, on: dt.date) -> None:
    before = tr.assess(facility, on=on)
    tr.assess(facility, on=on, reform=UP)
    pin(facility, on=on, strategy="high", reform=UP)
    compare(facility, on=on, cities=["xiamen"], reform=UP)
    after = tr.assess(facility, on=on)
    assert after == before
    assert after.reform is None
    assert not any(u.what_if for e in after.entitlements for u in e.parameters)


# -- compare ---------------------------------------------------------------------------------------------


def test_compare_covers_every_city_and_matches_the_cli_contract() -> None:
    f = xiamen()
    c = compare(f, on=DAY)
    assert tuple(c.assessments) == city_ids()
    assert all(tr.get_policy(city).level == "city" for city in c.assessments)
    out = io.StringIO()
    status = cli.main(
        ["compare", "-", "--on", DAY.isoformat(), "--format", "json"],
        stdout=out,
        stderr=io.StringIO(),
        stdin=io.StringIO(f.model_dump_json()),
    )
    assert status == 0
    assert json.loads(out.getvalue()) == json.loads(json.dumps(c.to_json_data()))


def test_compare_under_a_reform_and_its_table() -> None:
    c = compare(xiamen(), on=DAY, cities=["xiamen", "weifang"], reform=UP)
    assert c.reform == "up"
    assert c.assessments["xiamen"].entitlement("xiamen.operating_subsidy").amount.low == Decimal("20000.00")
    rows = c.table()
    assert {r["city"] for r in rows} == {"xiamen", "weifang"}
    op = next(r for r in rows if r["program"] == "xiamen.operating_subsidy")
    assert (op["low"], op["high"]) == ("20000.00", "30000.00")
    assert set(c.totals()) == {"xiamen", "weifang"}


def test_compare_rejects_a_province_and_a_bare_string() -> None:
    with pytest.raises(tr.InvalidInput):
        compare(xiamen(), on=DAY, cities=["fujian"])
    with pytest.raises(tr.InvalidInput, match="cities"):
        compare(xiamen(), on=DAY, cities="xiamen")


# -- sweep -----------------------------------------------------------------------------------------------


def test_sweep_builds_one_reform_per_value_and_tabulates_totals() -> None:
    values: list[dict[str, str] | AmountRange] = [
        {"kind": "range", "low": "20000", "high": "30000"},
        AmountRange.of("30000", "40000"),
    ]
    result = sweep(
        [xiamen(), xiamen(mode="joint_run", self_built=False)],
        on=DAY,
        parameter="xiamen.operating_subsidy.amount",
        values=values,
    )
    names = [s.name for s in result.scenarios]
    assert names[0] == "baseline"
    assert len(names) == 3
    yearly = [s.payer_total("xiamen.union", "per_year") for s in result.scenarios]
    assert [(t.amount.low, t.amount.high) for t in yearly if t is not None] == [
        (Decimal("30000.00"), Decimal("50000.00")),
        (Decimal("40000.00"), Decimal("60000.00")),
        (Decimal("60000.00"), Decimal("80000.00")),
    ]


def test_sweep_of_one_facility_and_bad_values() -> None:
    result = sweep(xiamen(), on=DAY, parameter="xiamen.operating_subsidy.amount", values=[AmountRange.of(1, 2)])
    assert result.scenarios[1].facilities == 1
    with pytest.raises(tr.InvalidInput, match="values"):
        sweep_reforms("xiamen.operating_subsidy.amount", [])
    with pytest.raises(tr.UnknownProgram):
        sweep_reforms("xiamen.no_such.amount", [AmountRange.of(1, 2)])
