"""Projection over a period (tuoyu_rules.whatif.projection): bases, months in force, enrolment, proration."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tuoyu_rules as tr
from strategies import facilities
from tuoyu_rules.core.amounts import AmountRange
from tuoyu_rules.whatif.projection import months, project


def xiamen(**extra: object) -> tr.Facility:
    data: dict[str, object] = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True}
    data.update(places=30, enrolled=20, full_day=True, first_intake=6, staff_puhui_fees=True)
    data.update(extra)
    return tr.Facility.model_validate(data)


def chengdu_puhui(**extra: object) -> tr.Facility:
    data: dict[str, object] = {
        "jurisdiction": "chengdu",
        "mode": "self_run",
        "places": 30,
        "enrolled": 20,
        "full_day_enrolled": 20,
        "filed": True,
        "designations": [{"program": "sichuan.puhui", "year": 2025}],
    }
    data.update(extra)
    return tr.Facility.model_validate(data)


def test_months_cut_the_period_into_calendar_months() -> None:
    assert months(dt.date(2024, 1, 15), dt.date(2024, 3, 2)) == [
        (dt.date(2024, 1, 15), dt.date(2024, 1, 31)),
        (dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        (dt.date(2024, 3, 1), dt.date(2024, 3, 2)),
    ]


def test_one_time_in_the_first_year_and_yearly_every_year() -> None:
    p = project(xiamen(), start=dt.date(2024, 1, 1), end=dt.date(2026, 12, 31))
    construction = [ln for ln in p.lines if ln.program == "xiamen.construction_subsidy"]
    assert [(ln.year, ln.amount) for ln in construction] == [(2024, AmountRange.of("50000", "100000"))]
    operating = [ln for ln in p.lines if ln.program == "xiamen.operating_subsidy"]
    assert [ln.year for ln in operating] == [2024, 2025, 2026]
    assert all(ln.amount == AmountRange.of("15000", "25000") for ln in operating)
    assert p.total("xiamen.union") == AmountRange.of(50000 + 3 * 15000, 100000 + 3 * 25000)
    assert p.method == "reassessed"


def test_one_time_on_moves_the_one_time_amounts() -> None:
    p = project(xiamen(), start=dt.date(2024, 1, 1), end=dt.date(2025, 12, 31), one_time_on=dt.date(2025, 3, 1))
    assert p.line(2025, "xiamen.construction_subsidy").amount.low == Decimal("50000.00")
    with pytest.raises(KeyError):
        p.line(2024, "xiamen.construction_subsidy")
    with pytest.raises(tr.InvalidInput, match="one_time_on"):
        project(xiamen(), start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), one_time_on=dt.date(2025, 1, 1))


def test_partial_years_count_in_full_unless_prorated() -> None:
    f = xiamen(self_built=False, mode="joint_run")
    start, end = dt.date(2024, 7, 1), dt.date(2025, 6, 30)
    whole = project(f, start=start, end=end)
    assert [ln.amount for ln in whole.lines] == [AmountRange.of("15000", "25000")] * 2
    part = project(f, start=start, end=end, prorate=True)
    # 2024: 184 of 366 days; 2025: 181 of 365 days, each rounded once to the fen
    expected_2024 = (Decimal(15000) * 184 / 366).quantize(Decimal("0.01"))
    assert part.line(2024, "xiamen.operating_subsidy").amount.low == expected_2024
    assert part.line(2024, "xiamen.operating_subsidy").rounded
    assert part.line(2025, "xiamen.operating_subsidy").paid_units == "181/365 years paid"


def test_months_not_in_force_pay_nothing_and_proration_pays_the_days() -> None:
    # sichuan.puhui_subsidy: 200 per full-day child per month, in force from 2025-08-30; since issue 13 this line
    # is the provincial half, 100 (China Daily 2025-08-22), and sichuan.puhui_subsidy_city_county the other 100
    f = chengdu_puhui()
    start, end = dt.date(2025, 7, 1), dt.date(2025, 12, 31)
    p = project(f, start=start, end=end)
    line = p.line(2025, "sichuan.puhui_subsidy")
    assert line.paid_units == "80 child-months paid"  # September to December, 20 children
    assert line.amount == AmountRange.exactly(4 * 20 * 100)
    assert p.line(2025, "sichuan.puhui_subsidy_city_county").amount == AmountRange.exactly(4 * 20 * 100)
    pr = project(f, start=start, end=end, prorate=True)
    pline = pr.line(2025, "sichuan.puhui_subsidy")
    exact = Fraction(2, 31) * 20 * 100 + 4 * 20 * 100  # two days of August, then four full months (the half)
    assert pline.amount.low == (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.01"))


def test_enrolment_by_month() -> None:
    # Issue 13 changed this test: enrolment is the facility's enrolled each month, so it moves the programmes that
    # count enrolled children (Hangzhou's 普惠 subsidy, default reading), not Sichuan's per full-day child subsidy,
    # which it used to multiply; a month below the full-day count is an error (tests/test_per_child_totals.py).
    hz = tr.Facility.model_validate(
        {
            "jurisdiction": "hangzhou",
            "mode": "self_run",
            "places": 30,
            "enrolled": 20,
            "embedded": True,
            "filed": True,
            "designations": [{"program": "hangzhou.puhui", "year": 2024}],
        }
    )
    enrolment: dict[str | dt.date, int] = {"2025-09": 10, "2025-10": 12, dt.date(2025, 11, 1): 14, "2025-12": 0}
    p = project(hz, start=dt.date(2025, 9, 1), end=dt.date(2025, 12, 31), enrolment=enrolment)
    assert p.line(2025, "hangzhou.puhui_subsidy").amount == AmountRange.of(36 * 300, 36 * 900)
    f = chengdu_puhui()
    with pytest.raises(tr.InvalidInput, match="2025-12"):
        project(f, start=dt.date(2025, 9, 1), end=dt.date(2025, 12, 31), enrolment={"2025-09": 1})
    with pytest.raises(tr.InvalidInput, match="places"):
        project(f, start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 30), enrolment=31)
    with pytest.raises(tr.InvalidInput, match="enrolment"):
        project(f, start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 30), enrolment={"Sept": 1})
    with pytest.raises(tr.InvalidInput, match="enrolment"):
        project(f, start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 30), enrolment=True)


def test_a_programme_paid_per_a_narrower_count_takes_its_own_enrolment() -> None:
    f = chengdu_puhui(full_day_enrolled=8)
    p = project(
        f,
        start=dt.date(2025, 9, 1),
        end=dt.date(2025, 10, 31),
        enrolment_by_program={"sichuan.puhui_subsidy": {"2025-09": 8, "2025-10": 6}},
    )
    assert p.line(2025, "sichuan.puhui_subsidy").amount == AmountRange.exactly((8 + 6) * 100)  # the provincial half
    with pytest.raises(tr.InvalidInput, match=r"enrolment_by_program\[sichuan.puhui_subsidy\]"):
        project(
            f, start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 30), enrolment_by_program={"sichuan.puhui_subsidy": -1}
        )


def test_a_value_change_inside_the_period_is_applied_and_open_amounts_counted() -> None:
    # Hangzhou's 普惠 subsidy: 300-900 per child-month until 2026-01-31; amounts not published after
    f = tr.Facility.model_validate(
        {
            "jurisdiction": "hangzhou",
            "mode": "self_run",
            "places": 20,
            "enrolled": 10,
            "embedded": True,
            "filed": True,
            "designations": [{"program": "hangzhou.puhui", "year": 2024}],
        }
    )
    p = project(f, start=dt.date(2025, 11, 1), end=dt.date(2026, 3, 31))
    y2025 = p.line(2025, "hangzhou.puhui_subsidy")
    assert y2025.amount == AmountRange.of(2 * 10 * 300, 2 * 10 * 900)
    y2026 = p.line(2026, "hangzhou.puhui_subsidy")
    assert y2026.amount == AmountRange.of(10 * 300, 10 * 900)  # January only
    assert y2026.undetermined == 2  # February and March: open, never counted as 0
    assert any("amount" in r for r in y2026.open_reasons)
    totals = {(t.year, t.payer): t for t in p.totals()}
    assert totals[(2026, "hangzhou.health_commission")].undetermined == 2


def test_an_assessment_is_held_and_only_programme_dates_decide() -> None:
    f = chengdu_puhui()
    a = tr.assess(f, on=dt.date(2025, 10, 1))
    p = project(a, start=dt.date(2025, 7, 1), end=dt.date(2027, 12, 31))
    assert p.method == "held"
    # in force 2025-08-30 to 2027-08-29: Sep-Dec 2025, all of 2026, Jan-Aug 2027 (on each month's first day)
    assert p.line(2025, "sichuan.puhui_subsidy").paid_units == "80 child-months paid"
    assert p.line(2026, "sichuan.puhui_subsidy").paid_units == "240 child-months paid"
    assert p.line(2027, "sichuan.puhui_subsidy").paid_units == "160 child-months paid"
    with pytest.raises(tr.InvalidInput, match="assessment"):
        project(a, start=dt.date(2025, 7, 1), end=dt.date(2025, 12, 31), pins={"x": 1})


def test_pinned_amounts_and_reforms_pass_through() -> None:
    up = tr.Reform.from_dict(
        {
            "name": "up",
            "parameters": {"xiamen.operating_subsidy.amount": {"kind": "range", "low": 20000, "high": 30000}},
        }
    )
    p = project(
        xiamen(),
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31),
        pins={"xiamen.construction_subsidy": "80000"},
        reform=up,
    )
    assert p.line(2024, "xiamen.construction_subsidy").amount == AmountRange.exactly("80000")
    assert p.line(2024, "xiamen.operating_subsidy").amount == AmountRange.of("20000", "30000")
    assert p.reform == "up"


def test_bad_periods() -> None:
    with pytest.raises(tr.InvalidInput, match="end"):
        project(xiamen(), start=dt.date(2024, 2, 1), end=dt.date(2024, 1, 1))
    with pytest.raises(tr.InvalidInput, match="start"):
        project(xiamen(), start="2024-01-01", end=dt.date(2024, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(tr.InvalidInput, match="subject"):
        project({"jurisdiction": "xiamen"}, start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 1))  # type: ignore[arg-type]


checked: list[int] = []


def _amounts(a: tr.Assessment) -> list[tuple[str, str, AmountRange]]:
    return [(e.program, e.status, e.amount) for e in (*a.entitlements, *a.obligations)]


@settings(max_examples=30)
@given(facility=facilities(), year=st.integers(2019, 2028))
def test_a_whole_year_projection_is_the_assessment_times_its_basis(facility: tr.Facility, year: int) -> None:
    """Where no programme or value changes inside the year, a one-year projection is basis arithmetic."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    a = tr.assess(facility, on=start)
    monthly = [tr.assess(facility, on=dt.date(year, m, 1)) for m in range(1, 13)]
    if any(_amounts(m) != _amounts(a) for m in monthly):
        return  # the rules change inside this year: covered by the dated tests above
    checked.append(year)
    p = project(facility, start=start, end=end)
    for e in (*a.entitlements, *a.obligations):
        if e.total_status != "eligible":
            continue
        # Issue 13: a per-child-month entry is paid as its total (rate times its own children) each month.
        factor = {"one_time": 1, "per_year": 1, "per_month": 12, "per_child_month": 12}[e.basis]
        line = p.line(year, e.program)
        expected = AmountRange.model_construct(
            low=e.total.low * factor, high=None if e.total.high is None else e.total.high * factor, allowed=None
        )
        assert (line.amount.low, line.amount.high) == (expected.low, expected.high)
        assert not line.rounded


def test_the_basis_property_really_ran() -> None:
    assert checked, "every drawn year changed its rules: the property above checked nothing"
