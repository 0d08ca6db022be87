"""National layer (cn): caring-employer award by batch, provincial match, 2025 project scheme, and the
declared non-money national programmes (育儿补贴, facility standard, family childcare points).

Expected figures are read from the digest's clauses, quoted in each test's docstring.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tuoyu_rules as tr

AWARD = "cn.caring_employer_award"
MATCH = "cn.caring_employer_provincial_match"
PROJECT = "cn.employer_childcare_project_2025"


def facility(jurisdiction: str = "xiamen", mode: str = "self_run", *designations: tr.Designation) -> tr.Facility:
    return tr.Facility(jurisdiction=jurisdiction, mode=mode, places=20, enrolled=10, designations=designations)


def award(year: int, on: dt.date, jurisdiction: str = "xiamen", amount: str | None = None) -> tr.Assessment:
    return tr.assess(facility(jurisdiction, "self_run", tr.Designation("cn.caring_employer", year, amount)), on=on)


def project(year: int | None, on: dt.date, mode: str = "self_run") -> tr.Entitlement:
    designations = () if year is None else (tr.Designation("cn.childcare_project", year),)
    return tr.assess(facility("xiamen", mode, *designations), on=on).entitlement(PROJECT)


# -- caring-employer award by batch ----------------------------------------------------------------------


def test_2021_designation_is_ineligible_no_batch_before_2022() -> None:
    """The first list of national caring employers is the 2022 batch (Workers' Daily 2023-05-05)."""
    e = award(2021, dt.date(2024, 6, 1)).entitlement(AWARD)
    assert e.status == "ineligible"
    assert e.amount.low == e.amount.high == Decimal("0")
    assert any("2022" in r for r in e.reasons)


def test_2022_batch_is_100000_with_provincial_match_at_least_1_to_1() -> None:
    """Seed 000: "以每个用人单位10万元的标准" and "省级工会进行不低于1:1的资金配套"."""
    a = award(2022, dt.date(2024, 6, 1))
    e = a.entitlement(AWARD)
    assert (e.status, e.payer, e.basis) == ("eligible", "cn.acftu", "one_time")
    assert e.amount.low == e.amount.high == Decimal("100000")
    m = a.obligation(MATCH)
    assert (m.status, m.payer, m.matches) == ("eligible", "fujian.union", AWARD)
    assert m.ratio == Decimal("1")
    assert m.amount.low == Decimal("100000")
    assert m.amount.high is None  # 不低于: no upper bound
    assert any(c.quote == "省级工会进行不低于1:1的资金配套" for c in m.citations)


def test_2023_batch_is_at_least_150000_jointly_and_no_separate_match() -> None:
    """Guangming Daily 2024-04-04: ACFTU and the provincial union together at least 150,000 per unit."""
    a = award(2023, dt.date(2024, 6, 1))
    e = a.entitlement(AWARD)
    assert e.status == "eligible"
    assert e.amount.low == Decimal("150000")
    assert e.amount.high is None
    assert all(o.program != MATCH for o in a.obligations)
    assert any(c.id == "cn.batch_2023" for c in e.citations)


def test_2024_batch_amount_not_stated_is_undetermined() -> None:
    """Inner Mongolia Daily 2025-03-28: 7.5 million in total for 125 units, per-unit amount not stated."""
    e = award(2024, dt.date(2025, 6, 1)).entitlement(AWARD)
    assert e.status == "undetermined"
    assert e.missing == ("designations[cn.caring_employer].amount",)
    assert e.amount.low == Decimal("0")
    assert e.amount.high is None


def test_2024_batch_pinned_by_the_caller_is_eligible_at_that_amount() -> None:
    """2024: no stated per-unit amount, so a caller-supplied sum is taken as given."""
    e = award(2024, dt.date(2025, 6, 1), amount="60000").entitlement(AWARD)
    assert e.status == "eligible"
    assert e.amount.low == e.amount.high == Decimal("60000")


def test_2025_designation_has_no_stated_batch_amount() -> None:
    """No source found states a 2025 batch amount: undetermined, never a guessed figure."""
    e = award(2025, dt.date(2026, 6, 1)).entitlement(AWARD)
    assert e.status == "undetermined"
    assert e.amount.high is None


def test_2022_pin_outside_the_exact_amount_is_refused() -> None:
    """2022 is exactly 100,000: a pin of 100,000.01 is rejected, naming the amount."""
    assert award(2022, dt.date(2024, 6, 1), amount="100000").entitlement(AWARD).amount.low == Decimal("100000")
    with pytest.raises(pydantic.ValidationError, match="amount"):
        tr.Designation("cn.caring_employer", 2022, "100000.01")


def test_2023_pin_below_150000_is_refused() -> None:
    """2023: at least 150,000, so 149,999.99 is outside the range."""
    with pytest.raises(pydantic.ValidationError, match="amount"):
        tr.Designation("cn.caring_employer", 2023, "149999.99")
    assert tr.Designation("cn.caring_employer", 2023, "150000").amount == Decimal("150000")


def test_assessed_before_the_designation_year_is_ineligible() -> None:
    """A 2023 designation does not apply on a day of 2022; from the first day of 2023 it does.

    Issue 13: the award has no stated start and the earliest dated source reporting it is of 2023-05-05 (Workers'
    Daily), so on 2023-01-01 it is undetermined (not known to be law yet), and eligible from 2023-05-05."""
    before = award(2023, dt.date(2022, 12, 31)).entitlement(AWARD)
    first_day = award(2023, dt.date(2023, 1, 1)).entitlement(AWARD)
    reported = award(2023, dt.date(2023, 5, 5)).entitlement(AWARD)
    assert before.status == "ineligible"
    assert first_day.status == "undetermined"
    assert any("2023-05-05" in r for r in first_day.reasons)
    assert reported.status == "eligible"


def test_no_designation_no_award_and_no_match() -> None:
    """The award is for designated units only; the match follows the award."""
    a = tr.assess(facility(), on=dt.date(2024, 6, 1))
    assert a.entitlement(AWARD).status == "ineligible"
    assert a.obligations == ()


@pytest.mark.parametrize(
    ("jurisdiction", "province_union"),
    [("xiamen", "fujian.union"), ("siming", "fujian.union"), ("nanning", "guangxi.union")],
)
def test_provincial_match_payer_is_the_union_of_the_province_above(jurisdiction: str, province_union: str) -> None:
    """ "省级工会进行不低于1:1的资金配套": the union of the facility's province pays the match."""
    m = award(2022, dt.date(2024, 6, 1), jurisdiction).obligation(MATCH)
    assert m.payer == province_union
    assert m.payer_zh.endswith("总工会")


# -- 2025 employer childcare project scheme -----------------------------------------------------------


def test_project_scheme_not_in_force_on_2024_12_31() -> None:
    """Economic Daily 2025-11-28: projects since 2025; the day before 2025 is outside the scheme's dates."""
    e = project(2025, dt.date(2024, 12, 31))
    assert e.status == "ineligible"
    assert any("not in force" in r and "2025-01-01" in r for r in e.reasons)


def test_project_scheme_pays_10000_from_2025_01_01() -> None:
    """Economic Daily 2025-11-28 / People's Daily 2025-11-30: 10,000 per qualifying project, paid by the ACFTU."""
    e = project(2025, dt.date(2025, 1, 1))
    assert (e.status, e.payer, e.basis) == ("eligible", "cn.acftu", "one_time")
    assert e.amount.low == e.amount.high == Decimal("10000")
    assert {c.id for c in e.citations} >= {"cn.project_2025_economic", "cn.project_2025_peoples"}


def test_project_before_2025_does_not_count() -> None:
    """Only new builds, conversions or expansions since 2025 count."""
    e = project(2024, dt.date(2025, 6, 1))
    assert e.status == "ineligible"
    assert any("since 2025" in r for r in e.reasons)


def test_project_of_a_later_year_than_the_day_assessed_is_ineligible() -> None:
    """A 2026 project is not yet a project on 2025-12-31; it is on 2026-01-01."""
    assert project(2026, dt.date(2025, 12, 31)).status == "ineligible"
    assert project(2026, dt.date(2026, 1, 1)).status == "eligible"


def test_no_project_stated_is_ineligible() -> None:
    """The caller states a qualifying project with cn.childcare_project; without it nothing is paid."""
    e = project(None, dt.date(2025, 6, 1))
    assert e.status == "ineligible"
    assert "cn.childcare_project" in e.reasons[0]


def test_industrial_park_project_counts() -> None:
    """Industrial-park projects count as employer projects."""
    e = project(2025, dt.date(2025, 6, 1), mode="park_shared")
    assert e.status == "eligible"
    assert any("industrial-park" in r for r in e.reasons)


def test_project_pin_must_be_the_stated_10000() -> None:
    """The amount is exactly 10,000 per project: 10,000.01 is refused."""
    assert tr.Designation("cn.childcare_project", 2025, "10000").amount == Decimal("10000")
    with pytest.raises(pydantic.ValidationError, match="amount"):
        tr.Designation("cn.childcare_project", 2025, "10000.01")


def test_project_scheme_states_no_end_date() -> None:
    """No source states an end date: none is invented."""
    program = tr.get_policy("cn").program(PROJECT)
    assert program.start == dt.date(2025, 1, 1)
    assert program.end is None


# -- declared national programmes without a facility entitlement ---------------------------------------


def _value(name: str, on: dt.date | None = None) -> object:
    param = tr.get_policy("cn").parameters[name]
    found = param.value_on(on or dt.date(2025, 6, 1))
    assert found is not None, name
    return found.value


def test_non_money_programmes_are_declared_with_citations_and_are_not_entitlements() -> None:
    """育儿补贴 (family), facility standard and family childcare points (compliance) are data, not entitlements."""
    policy = tr.get_policy("cn")
    kinds = {p.id: p.kind for p in policy.programs}
    assert kinds["cn.childcare_allowance"] == "family"
    assert kinds["cn.facility_standard"] == "compliance"
    assert kinds["cn.family_childcare_point"] == "compliance"
    for pid in ("cn.childcare_allowance", "cn.facility_standard", "cn.family_childcare_point"):
        assert policy.program(pid).citations
        assert all(c.quote is None and c.summary for c in policy.program(pid).citations)
    programs = {e.program for e in tr.assess(facility(), on=dt.date(2025, 6, 1)).entitlements}
    assert programs.isdisjoint({"cn.childcare_allowance", "cn.facility_standard", "cn.family_childcare_point"})


def test_childcare_allowance_parameters() -> None:
    """育儿补贴制度实施方案: 3,600 a year per child (300 a month) from 2025-01-01 until age 3 (36 months)."""
    per_year = _value("cn.childcare_allowance.per_year")
    per_month = _value("cn.childcare_allowance.per_month")
    assert isinstance(per_year, tr.AmountRange)
    assert isinstance(per_month, tr.AmountRange)
    assert per_year.low == per_year.high == Decimal("3600")
    assert per_month.low == per_month.high == Decimal("300")
    assert per_month.low * 12 == per_year.low
    assert _value("cn.childcare_allowance.months_to_age_3") == 36
    assert tr.get_policy("cn").parameters["cn.childcare_allowance.per_year"].value_on(dt.date(2024, 12, 31)) is None
    assert tr.get_policy("cn").program("cn.childcare_allowance").start == dt.date(2025, 1, 1)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cn.facility_standard.infant_class.max_children", 10),
        ("cn.facility_standard.infant_class.children_per_carer", 3),
        ("cn.facility_standard.small_class.max_children", 15),
        ("cn.facility_standard.small_class.children_per_carer", 5),
        ("cn.facility_standard.large_class.max_children", 20),
        ("cn.facility_standard.large_class.children_per_carer", 7),
        ("cn.facility_standard.mixed_class.min_age_months", 18),
        ("cn.facility_standard.mixed_class.max_children", 18),
        ("cn.facility_standard.premises_min_lease_years", 3),
        ("cn.family_childcare_point.max_children", 5),
        ("cn.family_childcare_point.children_per_carer", 3),
    ],
)
def test_standard_counts(name: str, expected: int) -> None:
    """托育机构设置标准（试行）: 10/15/20 per class, 1:3/1:5/1:7, mixed 18 from 18 months, 3-year premises;
    家庭托育点管理办法（试行）: at most 5 infants, each carer at most 3."""
    assert _value(name) == expected


def test_facility_standard_rests_on_a_secondary_source() -> None:
    """The standard's figures come from reprints: its citation is marked secondary."""
    (citation,) = tr.get_policy("cn").program("cn.facility_standard").citations
    assert citation.confidence == "secondary"


# -- properties -------------------------------------------------------------------------------------------

years = st.integers(min_value=2015, max_value=2030)
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2031, 12, 31))
places = st.sampled_from(["xiamen", "siming", "nanning"])


@given(year=years, on=days, where=places, project_year=st.none() | years)
def test_amounts_are_never_negative_and_bounds_are_ordered(
    year: int, on: dt.date, where: str, project_year: int | None
) -> None:
    designations = [tr.Designation("cn.caring_employer", year)]
    if project_year is not None:
        designations.append(tr.Designation("cn.childcare_project", project_year))
    a = tr.assess(facility(where, "self_run", *designations), on=on)
    for entry in (*a.entitlements, *a.obligations):
        assert entry.amount.low >= 0
        assert entry.amount.high is None or entry.amount.low <= entry.amount.high
        if entry.status == "ineligible":
            assert entry.amount.low == entry.amount.high == 0


@given(year=years, on=days, where=places)
def test_obligation_is_at_least_ratio_times_its_grant(year: int, on: dt.date, where: str) -> None:
    a = award(year, on, where)
    for o in a.obligations:
        grant = a.entitlement(o.matches)
        if o.ratio is None:  # issue 13: the 2024 match, "将给予一定的匹配资金", has no stated ratio
            assert (o.status, o.amount) == ("undetermined", tr.AmountRange.unknown())
            continue
        assert o.amount.low >= o.ratio * grant.amount.low
        if not o.exact:
            assert o.amount.high is None


@given(year=years, on=days, where=places)
def test_same_input_same_output(year: int, on: dt.date, where: str) -> None:
    assert award(year, on, where).model_dump(mode="json") == award(year, on, where).model_dump(mode="json")
