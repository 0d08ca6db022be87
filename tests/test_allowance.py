"""The national childcare allowance (育儿补贴, ``cn.childcare_allowance``) to parents.

Source (digest, refinement ``cn.childcare_allowance``): 育儿补贴制度实施方案 (2025-07-28) and the NHC Q&A
(2025-08-08): 3,600 per child per year, 300 per month, from 2025-01-01 until the child turns 3; PRC nationality
required. A child born in year Y (2022 to 2024), month M gets (Y + 3 - 2025) * 12 + M months (the month of the
3rd birthday counts); born 2025 or later: 36 months = 10,800; born 2021 or earlier: none.

The expected figures below come from that formula, restated in :func:`nhc_months`, and from the NHC table,
not from the code.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tuoyu_rules as tr
from tuoyu_rules.core.errors import InvalidInput
from tuoyu_rules.core.reforms import Reform
from tuoyu_rules.families import Allowance, AllowanceYear, childcare_allowance

PER_MONTH = Decimal("300")
"""3,600 a year / 12, as the scheme states (每孩每年3600元)."""


def nhc_months(year: int, month: int) -> int:
    """The digest's formula for the months of allowance of a child born in ``year``-``month``."""
    if year >= 2025:
        return 36
    if year <= 2021:
        return 0
    return (year + 3 - 2025) * 12 + month


def birth_months() -> list[tuple[int, int]]:
    """Every birth month from 2021-12 to 2025-12."""
    months = [(2021, 12)]
    months += [(y, m) for y in (2022, 2023, 2024, 2025) for m in range(1, 13)]
    return months


@pytest.mark.parametrize(("year", "month"), birth_months(), ids=lambda v: str(v))
def test_every_birth_month_against_the_nhc_formula(year: int, month: int) -> None:
    """NHC Q&A 2025-08-08: months = (Y + 3 - 2025) * 12 + M for Y in 2022-2024; 36 from 2025; 0 before 2022.
    300 a month; the day of birth within the month does not matter."""
    expected = nhc_months(year, month)
    last_day = calendar.monthrange(year, month)[1]
    for day in (1, 15, last_day):
        allowance = childcare_allowance(dt.date(year, month, day))
        assert allowance.months == expected
        assert allowance.total == expected * PER_MONTH
        assert allowance.eligible == (expected > 0)


@pytest.mark.parametrize(
    ("birth", "total"),
    [
        (dt.date(2022, 1, 1), Decimal("300")),
        (dt.date(2022, 12, 31), Decimal("3600")),
        (dt.date(2023, 1, 1), Decimal("3900")),
        (dt.date(2023, 12, 31), Decimal("7200")),
        (dt.date(2024, 1, 1), Decimal("7500")),
        (dt.date(2025, 1, 1), Decimal("10800")),
        (dt.date(2025, 7, 28), Decimal("10800")),
        (dt.date(2021, 12, 31), Decimal("0")),
    ],
)
def test_nhc_table_literally(birth: dt.date, total: Decimal) -> None:
    """NHC table (digest): born 2022-01 -> 300; 2022-12 -> 3,600; 2023-01 -> 3,900; 2023-12 -> 7,200;
    2024-01 -> 7,500; born 2025 or later -> 36 months = 10,800; 2021-12 -> 0 (turned 3 in 2024-12)."""
    assert childcare_allowance(birth).total == total


def test_born_2022_01_gets_only_january_2025() -> None:
    """Born 2022-01 turns 3 in 2025-01, the scheme's first month, which counts: 1 month, 300."""
    allowance = childcare_allowance(dt.date(2022, 1, 20))
    assert (allowance.months, allowance.first_month, allowance.last_month) == (
        1,
        dt.date(2025, 1, 1),
        dt.date(2025, 1, 1),
    )
    assert allowance.by_year == (AllowanceYear(2025, 1, Decimal("300.00")),)
    assert allowance.third_birthday == dt.date(2025, 1, 20)


def test_born_2023_01_spans_two_years() -> None:
    """Born 2023-01: 13 months (2025-01 to 2026-01, the 3rd-birthday month): 3,600 in 2025 and 300 in 2026."""
    allowance = childcare_allowance(dt.date(2023, 1, 5))
    assert allowance.by_year == (
        AllowanceYear(2025, 12, Decimal("3600.00")),
        AllowanceYear(2026, 1, Decimal("300.00")),
    )
    assert allowance.last_month == dt.date(2026, 1, 1)


def test_born_2025_gets_36_months_after_the_birth_month() -> None:
    """Born 2025 or later: 36 months, 10,800. Documented reading (one rule for all births): the 36 months
    after the birth month, up to the month of the 3rd birthday: born 2025-03 -> 2025-04 to 2028-03."""
    allowance = childcare_allowance(dt.date(2025, 3, 15))
    assert allowance.months == 36
    assert allowance.total == Decimal("10800.00")
    assert (allowance.first_month, allowance.last_month) == (dt.date(2025, 4, 1), dt.date(2028, 3, 1))
    assert [y.months for y in allowance.by_year] == [9, 12, 12, 3]


def test_leap_day_birth() -> None:
    """Born 2024-02-29: (2024 + 3 - 2025) * 12 + 2 = 26 months, 7,800; turns 3 on 2027-02-28."""
    allowance = childcare_allowance(dt.date(2024, 2, 29))
    assert (allowance.months, allowance.total) == (26, Decimal("7800.00"))
    assert allowance.third_birthday == dt.date(2027, 2, 28)


def test_no_clock_a_birth_far_ahead_is_computed_like_any_other() -> None:
    """There is no clock: a birth in 2040 gets 36 months under the rules in the data (no end date is stated)."""
    assert childcare_allowance(dt.date(2040, 6, 1)).total == Decimal("10800.00")
    assert childcare_allowance(dt.date(9996, 12, 31)).months == 36


def test_prc_nationality_required() -> None:
    """Scheme: the allowance is for children of PRC nationality (中国国籍): otherwise 0 months, with the reason."""
    allowance = childcare_allowance(dt.date(2025, 5, 1), prc_national=False)
    assert (allowance.eligible, allowance.months, allowance.total) == (False, 0, Decimal("0.00"))
    assert allowance.by_year == ()
    assert allowance.first_month is None
    assert allowance.explanation[-1].code == "families.allowance.not_prc_national"
    assert "PRC nationality" in allowance.reasons[-1]


def test_born_before_2022_says_why() -> None:
    """Born 2021-12: the 36 months after the birth month end in 2024-12, before the scheme's 2025-01 start."""
    allowance = childcare_allowance(dt.date(2021, 12, 1))
    assert allowance.months == 0
    assert allowance.explanation[-1].code == "families.allowance.no_rate"
    assert allowance.explanation[-1].params["start"] == "2025-01-01"
    assert "turned 3 before" in allowance.reasons[-1]


def test_rate_and_start_come_from_the_data() -> None:
    """The 300 a month and the 2025-01-01 start are cn.toml's parameter values, cited, not hard-coded."""
    param = tr.get_policy("cn").parameters["cn.childcare_allowance.per_month"]
    value = param.values[0]
    assert value.start == dt.date(2025, 1, 1)
    assert isinstance(value.value, tr.AmountRange)
    assert value.value.low == PER_MONTH
    allowance = childcare_allowance(dt.date(2024, 6, 1))
    assert [u.name for u in allowance.parameters] == [
        "cn.childcare_allowance.months_to_age_3",
        "cn.childcare_allowance.per_month",
    ]
    assert allowance.citations == tr.get_policy("cn").program("cn.childcare_allowance").citations
    assert allowance.per_month == PER_MONTH


def test_a_reform_overlay_changes_the_rate() -> None:
    """What-if: 500 a month from 2026-01-01. Born 2024-01 (25 months): 12 × 300 in 2025 + 13 × 500 = 10,100;
    per_month is None as two rates apply, and the reasons say it rests on a what-if."""
    reform = (
        Reform.of("allowance-up")
        .set("cn.childcare_allowance.per_month", kind="range", low="500", high="500", start=dt.date(2026, 1, 1))
        .build()
    )
    allowance = childcare_allowance(dt.date(2024, 1, 10), reform=reform)
    assert allowance.months == 25
    assert allowance.total == Decimal("3600") + 13 * Decimal("500")
    assert allowance.per_month is None
    assert any(u.what_if for u in allowance.parameters)
    assert allowance.explanation[-1].code == "families.allowance.what_if"
    assert "what-if" in allowance.reasons[-1]
    assert childcare_allowance(dt.date(2024, 1, 10)).total == Decimal("7500.00")  # the law is untouched


@pytest.mark.parametrize("birth", ["2024-01-01", 20240101, dt.datetime(2024, 1, 1, 8, 0), None])
def test_birth_must_be_a_date(birth: object) -> None:
    """Bad input names the argument: ``birth`` must be a datetime.date."""
    with pytest.raises(InvalidInput, match=r"^birth:"):
        childcare_allowance(birth)  # type: ignore[arg-type]


def test_birth_too_late_for_a_date_is_named() -> None:
    """A birth whose last allowance month is past 9999 cannot be represented: an error naming birth."""
    with pytest.raises(InvalidInput, match=r"^birth:"):
        childcare_allowance(dt.date(9999, 6, 1))


def test_prc_national_must_be_a_bool() -> None:
    with pytest.raises(InvalidInput, match=r"^prc_national:"):
        childcare_allowance(dt.date(2024, 1, 1), prc_national="CN")  # type: ignore[arg-type]


def test_allowance_is_frozen_and_dumps_json() -> None:
    """Immutable result; JSON has amounts as strings with two decimals."""
    allowance = childcare_allowance(dt.date(2023, 12, 1))
    data = allowance.model_dump(mode="json")
    assert data["total"] == "7200.00"
    assert data["by_year"] == [[2025, 12, "3600.00"], [2026, 12, "3600.00"]]
    assert Allowance.model_validate(allowance.model_dump()) == allowance


# -- properties ------------------------------------------------------------------------------------------------

births = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


@given(birth=births)
def test_allowance_invariants(birth: dt.date) -> None:
    """total = months × 300; 0 <= months <= 36; by_year sums to the months and the total; the months lie between
    2025-01 and the 3rd-birthday month; the result matches the NHC formula."""
    allowance = childcare_allowance(birth)
    assert 0 <= allowance.months <= 36
    assert allowance.total == allowance.months * PER_MONTH
    assert sum(y.months for y in allowance.by_year) == allowance.months
    assert sum((y.amount for y in allowance.by_year), Decimal(0)) == allowance.total
    assert [y.year for y in allowance.by_year] == sorted({y.year for y in allowance.by_year})
    assert allowance.months == nhc_months(birth.year, birth.month)
    if allowance.months:
        assert allowance.first_month is not None
        assert allowance.last_month is not None
        assert allowance.first_month >= dt.date(2025, 1, 1)
        assert allowance.last_month == dt.date(allowance.third_birthday.year, allowance.third_birthday.month, 1)
    assert childcare_allowance(birth) == allowance


@given(birth=births, day=st.integers(min_value=1, max_value=28))
def test_only_the_birth_month_matters(birth: dt.date, day: int) -> None:
    """Two children born in the same month get the same months, total and years."""
    a = childcare_allowance(birth)
    b = childcare_allowance(birth.replace(day=day))
    assert (a.months, a.total, a.by_year) == (b.months, b.total, b.by_year)


def test_per_year_and_per_month_agree_in_the_data() -> None:
    """Scheme: 3,600 a child a year; the monthly unit is 3,600 / 12 = 300; both are in cn.toml from 2025-01-01."""
    params = tr.get_policy("cn").parameters
    per_year = params["cn.childcare_allowance.per_year"].value_on(dt.date(2025, 1, 1))
    per_month = params["cn.childcare_allowance.per_month"].value_on(dt.date(2025, 1, 1))
    assert per_year is not None
    assert per_month is not None
    assert isinstance(per_year.value, tr.AmountRange)
    assert isinstance(per_month.value, tr.AmountRange)
    assert per_year.value.low == Decimal("3600") == 12 * per_month.value.low
    assert params["cn.childcare_allowance.per_month"].value_on(dt.date(2024, 12, 31)) is None


def test_reasons_say_tax_exempt_and_show_the_sum() -> None:
    """Scheme: exempt from personal income tax; the reasons show months × rate = total."""
    allowance = childcare_allowance(dt.date(2023, 12, 1))
    total = next(e for e in allowance.explanation if e.code == "families.allowance.total")
    assert total.params == {"months": "24", "rate": "300.00", "total": "7200.00", "first": "2025-01", "last": "2026-12"}
    assert "24 months × 300 yuan = 7,200 yuan (2025-01 to 2026-12)" in allowance.reasons
    assert any("personal income tax" in r for r in allowance.reasons)
    years = [e.params for e in allowance.explanation if e.code == "families.allowance.year"]
    assert years == [{"year": str(y), "months": "12", "amount": "3600.00"} for y in (2025, 2026)]
