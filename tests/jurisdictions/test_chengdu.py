"""Chengdu (成都市, seed 003) and Sichuan (四川省): the demonstration-site subsidy, the union-fund rules, the
Sichuan 普惠 subsidy (a refinement) and the national award's provincial match (seed 000).

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

ON = dt.date(2025, 10, 1)
DEMO = "chengdu.demonstration_subsidy"
PUHUI = "sichuan.puhui_subsidy"
AMOUNT_FIELD = "designations[chengdu.demonstration_site].amount"


def facility(*designations: tr.Designation, **facts: Any) -> tr.Facility:
    data: dict[str, Any] = {"jurisdiction": "chengdu", "mode": "self_run", "places": 30, "enrolled": 20}
    data.update(facts)
    return tr.Facility(**data, designations=designations)


def site(year: int = 2024, amount: int | str | Decimal | None = None) -> tr.Designation:
    return tr.Designation("chengdu.demonstration_site", year, amount)


def puhui(year: int = 2025, amount: int | str | Decimal | None = None) -> tr.Designation:
    return tr.Designation("sichuan.puhui", year, amount)


# -- identity -----------------------------------------------------------------------------------------------


def test_chengdu_is_a_city_of_sichuan() -> None:
    """Seed 003 is the Chengdu union's work plan; Chengdu is GB/T 2260 510100, in Sichuan (510000)."""
    chengdu, sichuan = tr.get_policy("chengdu"), tr.get_policy("sichuan")
    assert (chengdu.name_zh, chengdu.level, chengdu.parent, chengdu.division_code) == (
        "成都市",
        "city",
        "sichuan",
        "510100",
    )
    assert (sichuan.name_zh, sichuan.level, sichuan.parent, sichuan.division_code) == (
        "四川省",
        "province",
        "cn",
        "510000",
    )
    assert sichuan.payers["sichuan.union"].name_zh == "四川省总工会"
    assert sichuan.payers["sichuan.health_commission"].name_zh == "四川省卫生健康委员会"
    assert tr.chain("chengdu") == (chengdu, sichuan, tr.get_policy("cn"))


# -- demonstration-site subsidy ------------------------------------------------------------------------------


def test_demonstration_subsidy_without_an_amount_is_undetermined() -> None:
    """Seed 003: "市总工会和市卫健委将给予示范点位一定的专项经费补助": 'a certain' subsidy, no amount stated."""
    entry = tr.assess(facility(site(), registered=True, filed=True), on=ON).entitlement(DEMO)
    assert entry.status == "undetermined"
    assert entry.missing == (AMOUNT_FIELD,)
    assert (entry.amount.low, entry.amount.high) == (Decimal("0"), None)
    # Issue 13: "市总工会和市卫健委 ... 给予": the union and the health commission pay jointly, shares not stated,
    # so the payer is the joint payer of both (it was chengdu.union, standing for both).
    assert (entry.payer, entry.basis) == ("chengdu.union+chengdu.health_commission", "one_time")
    assert entry.citations[0].quote == "市总工会和市卫健委将给予示范点位一定的专项经费补助"
    assert entry.citations[0].source == "成都市总工会: 关于积极推动有条件的用人单位为职工提供托育服务的工作方案"
    assert any("jointly" in r for r in entry.reasons)
    assert entry.parameters[0].value == "not stated in the sources"


def test_demonstration_subsidy_with_the_awarded_amount_is_eligible() -> None:
    """Seed 003: the caller supplies the awarded sum; the entry pays exactly that."""
    entry = tr.assess(facility(site(amount="80000.50"), registered=True, filed=True), on=ON).entitlement(DEMO)
    assert entry.status == "eligible"
    assert entry.amount.low == entry.amount.high == Decimal("80000.50")
    assert entry.missing == ()


def test_not_a_demonstration_site_gets_nothing() -> None:
    """Seed 003: the subsidy is for 示范点位 only."""
    entry = tr.assess(facility(registered=True, filed=True), on=ON).entitlement(DEMO)
    assert entry.status == "ineligible"
    assert entry.amount.low == entry.amount.high == 0


def test_a_site_designated_after_the_day_assessed_is_not_paid() -> None:
    """A 2026 designation has not been made on a day of 2025."""
    entry = tr.assess(facility(site(2026, "1000"), registered=True, filed=True), on=ON).entitlement(DEMO)
    assert entry.status == "ineligible"


@pytest.mark.parametrize(
    ("registered", "filed", "unmet"),
    [(False, True, "registered"), (True, False, "filed"), (False, False, "registered"), (False, None, "registered")],
)
def test_unregistered_or_unfiled_facility_is_ineligible(registered: bool, filed: bool | None, unmet: str) -> None:
    """Seed 003 四（三）: "托育机构要严格按要求完成登记、备案": a facility not registered or filed gets nothing."""
    entry = tr.assess(facility(site(amount="50000"), registered=registered, filed=filed), on=ON).entitlement(DEMO)
    assert entry.status == "ineligible"
    assert entry.amount.low == entry.amount.high == 0
    codes = [x.code for x in entry.explanation]
    assert codes[0] == "chengdu.demonstration.registration_required"
    assert f"chengdu.demonstration.not_{unmet}" in codes
    assert "登记、备案" in entry.explanation[0].zh
    assert "chengdu.seed_registration" in {c.id for c in entry.citations}


@pytest.mark.parametrize(
    ("registered", "filed", "missing"),
    [(None, None, ("registered", "filed")), (None, True, ("registered",)), (True, None, ("filed",))],
)
def test_unsupplied_registration_is_listed_but_the_designation_decides(
    registered: bool | None, filed: bool | None, missing: tuple[str, ...]
) -> None:
    """Seed 003 四（三） (documented decision): unknown 登记/备案 facts are listed in missing, status unchanged."""
    with_amount = tr.assess(facility(site(amount="50000"), registered=registered, filed=filed), on=ON)
    entry = with_amount.entitlement(DEMO)
    assert entry.status == "eligible"
    assert entry.amount.low == Decimal("50000")
    assert entry.missing == missing
    without = tr.assess(facility(site(), registered=registered, filed=filed), on=ON).entitlement(DEMO)
    assert without.status == "undetermined"
    assert without.missing == (AMOUNT_FIELD, *missing)


def test_demonstration_amount_must_be_money() -> None:
    """A pinned amount is money: never negative, at most two decimals; the error names the field."""
    for bad in ("-1", "100.001"):
        with pytest.raises(ValidationError, match="amount"):
            site(amount=bad)


# -- Sichuan 普惠 subsidy (refinement) -----------------------------------------------------------------------


def test_puhui_subsidy_is_200_per_full_day_child_month() -> None:
    """Sichuan measure (refinement, official): 200 per full-day enrolled child per month, recognised 普惠.

    Issue 13 (China Daily 2025-08-22, secondary): "Half of the subsidy funds will be covered by the provincial
    government, with the remainder paid by city and county authorities": two entitlements of 100 (the whole
    was one entitlement of 200 paid by sichuan.health_commission)."""
    kindergarten = {"mixed_with_preschool": False, "preschool_subsidy": False}  # 雅安日报's facts, given (issue 13)
    f = facility(puhui(), filed=True, full_day_enrolled=3, **kindergarten)
    a = tr.assess(f, on=ON)
    entry, rest = a.entitlement(PUHUI), a.entitlement(f"{PUHUI}_city_county")
    assert entry.status == rest.status == "eligible"
    assert entry.amount.low == entry.amount.high == rest.amount.low == rest.amount.high == Decimal("100")
    assert (entry.payer, entry.basis, entry.jurisdiction) == ("sichuan.government", "per_child_month", "sichuan")
    assert rest.payer == "chengdu.government+chengdu.county_government"
    assert entry.missing == ()
    whole = [x.params for x in entry.explanation if x.code == "sichuan.puhui.monthly"]
    assert whole == [{"children": "3", "monthly": "600.00..600.00"}]  # the whole: 3 children * 200
    assert {"sichuan.puhui_amount", "sichuan.puhui_term", "sichuan.puhui_conditions"} <= {c.id for c in entry.citations}
    summarised = {"sichuan.puhui_amount", "sichuan.puhui_term", "sichuan.puhui_conditions"}
    assert all(c.quote is None and c.summary for c in entry.citations if c.id in summarised)


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (dt.date(2025, 8, 29), "ineligible"),
        (dt.date(2025, 8, 30), "eligible"),
        (dt.date(2027, 8, 29), "eligible"),
        (dt.date(2027, 8, 30), "ineligible"),
    ],
)
def test_puhui_subsidy_is_in_force_2025_08_30_for_two_years(day: dt.date, status: str) -> None:
    """Sichuan measure: in force from 2025-08-30 for 2 years, i.e. through 2027-08-29."""
    entry = tr.assess(facility(puhui(2025), filed=True, full_day_enrolled=5), on=day).entitlement(PUHUI)
    assert entry.status == status
    if status == "ineligible":
        assert entry.amount.low == entry.amount.high == 0
        assert any("2025-08-30" in r and "2027-08-29" in r for r in entry.reasons)


def test_puhui_subsidy_needs_recognition() -> None:
    """Sichuan measure: only facilities recognised as 普惠 at county level."""
    entry = tr.assess(facility(filed=True, full_day_enrolled=5), on=ON).entitlement(PUHUI)
    assert entry.status == "ineligible"
    assert "sichuan.puhui" in entry.reasons[0]


@pytest.mark.parametrize(
    ("filed", "status", "missing"),
    [(True, "eligible", ()), (None, "eligible", ("filed",)), (False, "ineligible", ())],
)
def test_puhui_subsidy_filing(filed: bool | None, status: str, missing: tuple[str, ...]) -> None:
    """Sichuan measure: the facility must be filed (备案); unsupplied, it is listed and the status stands."""
    # The kindergarten facts (雅安日报, issue 13) are given, so only the filing can be missing.
    kindergarten = {"mixed_with_preschool": False, "preschool_subsidy": False}
    entry = tr.assess(facility(puhui(), filed=filed, full_day_enrolled=5, **kindergarten), on=ON).entitlement(PUHUI)
    assert entry.status == status
    assert entry.missing == missing


def test_puhui_subsidy_full_day_children() -> None:
    """Sichuan measure: per full-day enrolled child; unknown count is listed, none enrolled full-day pays 0."""
    kindergarten = {"mixed_with_preschool": False, "preschool_subsidy": False}  # 雅安日报's facts, given (issue 13)
    unknown = tr.assess(facility(puhui(), filed=True, **kindergarten), on=ON).entitlement(PUHUI)
    assert (unknown.status, unknown.missing) == ("eligible", ("full_day_enrolled",))
    assert unknown.amount.low == Decimal("100")  # the provincial half of 200 (issue 13, China Daily 2025-08-22)
    none = tr.assess(facility(puhui(), filed=True, full_day_enrolled=0), on=ON).entitlement(PUHUI)
    assert none.status == "ineligible"


def test_puhui_pin_must_be_200() -> None:
    """Sichuan measure: the amount is exactly 200 per child-month; another pin is refused."""
    assert puhui(amount="200").amount == Decimal("200")
    with pytest.raises(ValidationError, match="amount"):
        puhui(amount="200.01")


def test_recognition_after_the_day_assessed_does_not_pay() -> None:
    """A recognition of 2026 has not happened on 2025-10-01."""
    entry = tr.assess(facility(puhui(2026), filed=True), on=ON).entitlement(PUHUI)
    assert entry.status == "ineligible"


# -- provincial match ----------------------------------------------------------------------------------------


def test_sichuan_union_matches_a_2022_national_award_in_chengdu() -> None:
    """Seed 000: ACFTU 10万元 per unit, "省级工会进行不低于1:1的资金配套": Sichuan's union adds >= 100,000."""
    a = tr.assess(facility(tr.Designation("cn.caring_employer", 2022)), on=ON)
    match = a.obligation("cn.caring_employer_provincial_match")
    assert (match.payer, match.payer_zh, match.matches) == ("sichuan.union", "四川省总工会", "cn.caring_employer_award")
    assert (match.amount.low, match.amount.high) == (Decimal("100000"), None)
    assert (match.ratio, match.exact) == (Decimal("1"), False)


# -- non-money programmes ------------------------------------------------------------------------------------


def test_non_money_programmes_are_cited_not_paid() -> None:
    """Seed 003: price cap, registration, targets and union-fund rules are declared with their quotes."""
    policy = tr.get_policy("chengdu")
    kinds = {p.id: p.kind for p in policy.programs}
    assert kinds == {
        DEMO: "entitlement",
        "chengdu.registration": "condition",
        "chengdu.price_cap": "fee_rule",
        "chengdu.targets": "compliance",
        "chengdu.union_fund_rules": "compliance",
    }
    assert policy.program("chengdu.price_cap").citations[0].quote == "服务价格不高于当地普惠托育托管服务收费标准"
    assert policy.program("chengdu.registration").citations[0].quote == "托育机构要严格按要求完成登记、备案"
    entries = {e.program for e in tr.assess(facility(site()), on=ON).entitlements}
    assert not entries & {"chengdu.registration", "chengdu.price_cap", "chengdu.targets", "chengdu.union_fund_rules"}


def test_targets_ten_sites_and_a_pilot_per_district() -> None:
    """Seed 003 三: "到2025年底，全市建成不少于10家..." and "每个区（市）县总工会（办事处）推动至少1个以上..."."""
    policy = tr.get_policy("chengdu")
    quotes = [c.quote or "" for c in policy.program("chengdu.targets").citations[:2]]
    assert quotes[0].startswith("到2025年底，全市建成不少于10家")
    assert quotes[1].startswith("每个区（市）县总工会（办事处）推动至少1个以上")
    sites = policy.parameters["chengdu.targets.demonstration_sites"].value_on(dt.date(2025, 12, 31))
    pilots = policy.parameters["chengdu.targets.pilots_per_district"].value_on(dt.date(2025, 12, 31))
    assert sites is not None
    assert pilots is not None
    assert (sites.value, pilots.value) == (10, 1)


def test_union_fund_rules_one_citation_per_rule() -> None:
    """Seed 003 四（四）: each rule on union money has its own citation id, so compliance code can cite it."""
    program = tr.get_policy("chengdu").program("chengdu.union_fund_rules")
    by_id = {c.id: c.quote for c in program.citations}
    assert by_id["chengdu.fund_earmarked"] == "专项补助经费要专款专用"
    assert by_id["chengdu.fund_eight_prohibitions"] == "严格执行工会经费使用“八不准”"
    assert by_id["chengdu.fund_no_cash_or_prepaid_cards"] == "严禁以直接发放现金或商业预付卡方式结算相关费用"
    assert by_id["chengdu.fund_no_direct_subsidies"] == "不得直接用工会经费为职工发放补贴"
    assert by_id["chengdu.fund_budget"] == "不得无预算、超预算支出"
    assert {
        "chengdu.fund_no_diverting",
        "chengdu.fund_no_disguised_allowances",
        "chengdu.fund_no_office_costs",
        "chengdu.fund_work_plan",
    } <= set(by_id)
    assert len(by_id) == len(program.citations) == 10
    seed_003 = "成都市总工会: 关于积极推动有条件的用人单位为职工提供托育服务的工作方案"
    assert all(c.source == seed_003 and c.confidence == "official" for c in program.citations)


# -- what-if -------------------------------------------------------------------------------------------------


def test_moving_a_chengdu_facility_to_qianan() -> None:
    """What-if: Chengdu's and Sichuan's designations stay behind; the national match moves to Hebei's union."""
    f = facility(site(amount="30000"), puhui(), tr.Designation("cn.caring_employer", 2022), filed=True)
    moved = tr.assess(f, jurisdiction="qianan", on=ON)
    assert moved.layers == ("qianan", "hebei", "cn")
    programs = {e.program for e in moved.entitlements}
    assert DEMO not in programs
    assert PUHUI not in programs
    assert len(moved.notes) == 2
    assert moved.entitlement("qianan.caring_unit_subsidy").status == "ineligible"
    assert moved.obligation("cn.caring_employer_provincial_match").payer == "hebei.union"


def test_moving_into_chengdu_brings_the_sichuan_subsidy() -> None:
    """What-if: a Qian'an facility recognised 普惠 in Sichuan would get 200 per child-month once in Chengdu."""
    f = tr.Facility(
        jurisdiction="qianan",
        mode="self_run",
        places=10,
        enrolled=8,
        filed=True,
        full_day_enrolled=8,
        designations=(puhui(),),
    )
    assert PUHUI not in {e.program for e in tr.assess(f, on=ON).entitlements}
    entry = tr.assess(f, jurisdiction="chengdu", on=ON).entitlement(PUHUI)
    assert entry.status == "eligible"
    whole = [x.params["monthly"] for x in entry.explanation if x.code == "sichuan.puhui.monthly"]
    assert whole == ["1600.00..1600.00"]  # 8 children * 200


# -- properties ----------------------------------------------------------------------------------------------

facts = st.sampled_from([None, True, False])
cents = st.integers(min_value=0, max_value=10**11).map(lambda c: Decimal(c) / 100)


@given(amount=cents, registered=facts, filed=facts)
def test_pinned_demonstration_amount_is_paid_unless_registration_fails(
    amount: Decimal, registered: bool | None, filed: bool | None
) -> None:
    """Property: a pinned amount is the entitlement, unless 登记 or 备案 is known to be missing."""
    entry = tr.assess(facility(site(amount=amount), registered=registered, filed=filed), on=ON).entitlement(DEMO)
    if registered is False or filed is False:
        assert entry.status == "ineligible"
        assert entry.amount.low == entry.amount.high == 0
    else:
        assert entry.status == "eligible"
        assert entry.amount.low == entry.amount.high == amount


@given(
    on=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)),
    filed=facts,
    registered=facts,
    full_day=st.one_of(st.none(), st.integers(min_value=0, max_value=20)),
    pinned=st.one_of(st.none(), cents),
    national=st.sampled_from([None, 2022, 2023, 2024]),
)
def test_amounts_are_never_negative_and_low_is_at_most_high(
    on: dt.date,
    filed: bool | None,
    registered: bool | None,
    full_day: int | None,
    pinned: Decimal | None,
    national: int | None,
) -> None:
    """Property: every entry of a Chengdu facility has 0 <= low <= high; ineligible entries are exactly 0;
    the 普惠 subsidy is exactly 200 whenever it is paid (two shares of 100 since issue 13: China Daily
    2025-08-22), and only inside its dates."""
    designations = [site(2020, pinned), puhui(2020)]
    if national is not None:
        designations.append(tr.Designation("cn.caring_employer", national))
    f = facility(*designations, filed=filed, registered=registered, full_day_enrolled=full_day)
    a = tr.assess(f, on=on)
    for entry in (*a.entitlements, *a.obligations):
        assert entry.amount.low >= 0
        assert entry.amount.high is None or entry.amount.low <= entry.amount.high
        if entry.status == "ineligible":
            assert entry.amount.low == entry.amount.high == 0
    subsidy = a.entitlement(PUHUI)
    if subsidy.status == "eligible":
        assert dt.date(2025, 8, 30) <= on <= dt.date(2027, 8, 29)
        rest = a.entitlement(f"{PUHUI}_city_county")
        assert subsidy.amount.low == subsidy.amount.high == rest.amount.low == rest.amount.high == Decimal("100")
