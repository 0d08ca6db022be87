"""Nanning (南宁市) and Guangxi (广西壮族自治区): registered with the seed's clauses, no invented amounts.

Seed 000, 广西壮族自治区南宁市卫生健康委: employers provide premises free; 11 employer 普惠 facilities;
national funds of 50 million and 71.57 million yuan. No per-unit formula, so no city entitlement.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import tuoyu_rules as tr

DAY = dt.date(2024, 6, 1)


def nanning_facility(*designations: tr.Designation) -> tr.Facility:
    return tr.Facility(jurisdiction="nanning", mode="self_run", places=30, enrolled=20, designations=designations)


def test_nanning_and_guangxi_identity() -> None:
    nanning, guangxi = tr.get_policy("nanning"), tr.get_policy("guangxi")
    assert (nanning.name_zh, nanning.level, nanning.parent, nanning.division_code) == (
        "南宁市",
        "city",
        "guangxi",
        "450100",
    )
    assert (guangxi.name_zh, guangxi.level, guangxi.parent, guangxi.division_code) == (
        "广西壮族自治区",
        "province",
        "cn",
        "450000",
    )
    assert {"nanning", "guangxi"} <= set(tr.list_jurisdictions())


def test_province_is_not_a_facility_location() -> None:
    with pytest.raises(ValueError, match="province"):
        tr.Facility(jurisdiction="guangxi", mode="self_run", places=1, enrolled=0)


@pytest.mark.parametrize(
    ("program", "quote"),
    [
        (
            "nanning.free_premises",
            "鼓励和支持机关单位、医疗机构等用人单位通过划拨土地、置换、腾空闲置场所等无偿提供托育场所",
        ),
        ("nanning.employer_puhui_facilities", "目前全市已建成用人单位普惠托育园11个"),
        ("nanning.national_project_funds", "南宁市妇幼保健院托育综合服务中心项目获国家专项资金5000万元"),
        ("nanning.national_project_funds", "29个项目获得国家普惠托育机构资金7157万元"),
    ],
)
def test_nanning_programmes_cite_the_seed_exactly(program: str, quote: str) -> None:
    p = tr.get_policy("nanning").program(program)
    assert p.kind == "condition"
    assert quote in [c.quote for c in p.citations]
    seed_000 = "全国总工会女职工部特约刊登: 全国总工会与国家卫生健康委共同召开全国用人单位托育服务工作现场推进会"
    assert all(c.source == seed_000 for c in p.citations)


def test_reported_figures_are_data_from_the_seed() -> None:
    """ "5000万元" = 50,000,000; "7157万元" = 71,570,000 for 29 projects; "11个" facilities."""
    params = tr.get_policy("nanning").parameters

    def value(name: str) -> object:
        found = params[name].value_on(DAY)
        assert found is not None
        return found.value

    hospital = value("nanning.national_project_funds.hospital_centre")
    projects = value("nanning.national_project_funds.puhui_projects")
    assert isinstance(hospital, tr.AmountRange)
    assert isinstance(projects, tr.AmountRange)
    assert hospital.low == hospital.high == Decimal("50000000")
    assert projects.low == projects.high == Decimal("71570000")
    assert value("nanning.national_project_funds.puhui_project_count") == 29
    assert value("nanning.employer_puhui_facilities.count") == 11


def test_nanning_has_no_city_entitlement_only_the_national_layer() -> None:
    """No per-unit formula in the seed: a Nanning facility gets only the national programmes."""
    a = tr.assess(nanning_facility(), on=DAY)
    assert a.layers == ("nanning", "guangxi", "cn")
    assert {e.program.split(".")[0] for e in a.entitlements} == {"cn"}


def test_guangxi_union_pays_the_national_match_for_nanning() -> None:
    """Seed 000: "省级工会进行不低于1:1的资金配套"; Nanning's province is Guangxi."""
    a = tr.assess(nanning_facility(tr.Designation("cn.caring_employer", 2022)), on=DAY)
    award = a.entitlement("cn.caring_employer_award")
    match = a.obligation("cn.caring_employer_provincial_match")
    assert award.amount.low == Decimal("100000")
    assert (match.payer, match.payer_zh) == ("guangxi.union", "广西壮族自治区总工会")
    assert match.amount.low == Decimal("100000")
    assert match.amount.high is None


def test_guangxi_has_no_programme_of_its_own() -> None:
    """No Guangxi-wide amount is in the sources: the layer holds the payer and the seed citation only."""
    guangxi = tr.get_policy("guangxi")
    assert guangxi.programs == ()
    assert "guangxi.union" in guangxi.payers
    assert guangxi.citations["guangxi.seed_reporter"].quote == "广西壮族自治区南宁市卫生健康委"
