"""Every province-level division is a layer, and a facility may be placed by its GB/T 2260 division code.

Issue 13, "Every province": "all 31 province-level divisions are layers (GB/T 2260 code, zh/en names, the
province's union as payer), so a national caring employer in Beijing, Hubei or Inner Mongolia gets the national
award and its match. A facility's ``jurisdiction`` may be a 6-digit division code, resolved to the most specific
registered layer; a city with no rules of its own is assessed with its province, and the result says so."
Contract, second round, "Where a facility is". The provincial match rests on seed 000:
"省级工会进行不低于1:1的资金配套".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import tuoyu_rules as tr
from tuoyu_rules.core import registry

ON = dt.date(2024, 6, 1)

PROVINCES: dict[str, tuple[str, str]] = {
    "beijing": ("110000", "北京市"),
    "tianjin": ("120000", "天津市"),
    "hebei": ("130000", "河北省"),
    "shanxi": ("140000", "山西省"),
    "neimenggu": ("150000", "内蒙古自治区"),
    "liaoning": ("210000", "辽宁省"),
    "jilin": ("220000", "吉林省"),
    "heilongjiang": ("230000", "黑龙江省"),
    "shanghai": ("310000", "上海市"),
    "jiangsu": ("320000", "江苏省"),
    "zhejiang": ("330000", "浙江省"),
    "anhui": ("340000", "安徽省"),
    "fujian": ("350000", "福建省"),
    "jiangxi": ("360000", "江西省"),
    "shandong": ("370000", "山东省"),
    "henan": ("410000", "河南省"),
    "hubei": ("420000", "湖北省"),
    "hunan": ("430000", "湖南省"),
    "guangdong": ("440000", "广东省"),
    "guangxi": ("450000", "广西壮族自治区"),
    "hainan": ("460000", "海南省"),
    "chongqing": ("500000", "重庆市"),
    "sichuan": ("510000", "四川省"),
    "guizhou": ("520000", "贵州省"),
    "yunnan": ("530000", "云南省"),
    "xizang": ("540000", "西藏自治区"),
    "shaanxi": ("610000", "陕西省"),
    "gansu": ("620000", "甘肃省"),
    "qinghai": ("630000", "青海省"),
    "ningxia": ("640000", "宁夏回族自治区"),
    "xinjiang": ("650000", "新疆维吾尔自治区"),
}
"""The 31 province-level divisions of mainland China: id -> (GB/T 2260 code, Chinese name)."""

WITH_RULES = {"fujian", "sichuan"}
"""The provinces with programmes of their own (and so a rule module); every other one is data only."""


def facility(jurisdiction: str, **changes: Any) -> tr.Facility:
    data: dict[str, Any] = {
        "jurisdiction": jurisdiction,
        "mode": "self_run",
        "places": 40,
        "enrolled": 30,
        "designations": [{"program": "cn.caring_employer", "year": 2022}],
    }
    data.update(changes)
    return tr.Facility.model_validate(data)


# -- the 31 layers -------------------------------------------------------------------------------------------


def test_there_are_31_distinct_province_level_divisions() -> None:
    assert len(PROVINCES) == 31
    assert len({code for code, _ in PROVINCES.values()}) == 31


def test_exactly_the_31_provinces_are_registered_at_province_level() -> None:
    registered = {jid for jid in tr.list_jurisdictions() if tr.get_policy(jid).level == "province"}
    assert registered == set(PROVINCES)


@pytest.mark.parametrize("jid", sorted(PROVINCES))
def test_every_province_is_a_layer_with_its_code_names_and_union(jid: str) -> None:
    code, name_zh = PROVINCES[jid]
    policy = tr.get_policy(jid)
    assert (policy.id, policy.level, policy.parent) == (jid, "province", "cn")
    assert policy.division_code == code
    assert code.endswith("0000")
    assert policy.name_zh == name_zh
    assert policy.name_en
    union = policy.payers[f"{jid}.union"]
    assert union.name_zh == f"{name_zh}总工会"
    assert union.name_en.endswith("Federation of Trade Unions")
    assert [p.id for p in tr.chain(jid)] == [jid, "cn"]


@pytest.mark.parametrize("jid", sorted(set(PROVINCES) - WITH_RULES))
def test_a_province_without_a_programme_is_data_only_and_says_why(jid: str) -> None:
    """No amount or programme is invented: the layer says it encodes none, and that its union pays the match."""
    data_dir = resources.files("tuoyu_rules.jurisdictions")
    assert data_dir.joinpath(f"{jid}.toml").is_file()
    assert not data_dir.joinpath(f"{jid}.py").is_file()
    policy = tr.get_policy(jid)
    assert policy.programs == ()
    assert policy.parameters == {}
    assert set(policy.payers) == {f"{jid}.union"}
    text = " ".join(policy.limitations)
    assert "programme" in text
    assert "provincial match" in text
    assert any("Seed 000" in r for r in policy.references)


# -- the registry loads a data-only jurisdiction ---------------------------------------------------------------


def test_the_registry_loads_a_data_only_province() -> None:
    assert registry._builtin()["hubei"] is None  # no module to import
    assert registry._builtin()["fujian"] == "tuoyu_rules.jurisdictions.fujian"
    registry._reset()
    try:
        assert tr.get_policy("hubei").payers["hubei.union"].name_en == "Hubei Federation of Trade Unions"
    finally:
        registry._reset()


def test_a_data_only_load_refuses_a_programme_that_bears_money() -> None:
    """Loading without rules never drops a rule silently: cn's money-bearing programmes need their module."""
    with pytest.raises(tr.PolicyDataError, match=r"jurisdictions/cn\.toml.*no rule function"):
        registry._load_builtin("cn", None)


# -- division codes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("350203", "siming"),  # the contract's examples
        ("350200", "xiamen"),
        ("420100", "hubei"),  # Wuhan: no city layer
        ("350206", "xiamen"),  # Huli district: no district layer, its city
        ("130283", "qianan"),
        ("130200", "hebei"),  # Tangshan: no city layer
        ("110101", "beijing"),  # Dongcheng district of a municipality
        ("150100", "neimenggu"),  # Hohhot
        ("429004", "hubei"),  # Xiantao, a county-level city under the province directly
    ],
)
def test_a_code_resolves_to_the_most_specific_registered_layer(code: str, expected: str) -> None:
    assert tr.resolve_jurisdiction(code) == expected


@pytest.mark.parametrize("jid", ["xiamen", "siming", "hubei", "cn"])
def test_an_id_resolves_to_itself(jid: str) -> None:
    assert tr.resolve_jurisdiction(jid) == jid


def test_every_registered_layer_below_the_nation_is_found_by_its_own_code() -> None:
    for jid in tr.list_jurisdictions():
        policy = tr.get_policy(jid)
        if policy.level != "national":
            assert tr.resolve_jurisdiction(policy.division_code) == jid


@given(
    province=st.sampled_from(sorted(PROVINCES)),
    city=st.integers(1, 99),
    county=st.integers(0, 99),
)
def test_any_code_in_a_province_is_assessed_within_that_province(province: str, city: int, county: int) -> None:
    """Property: a well-formed code under a province's prefix resolves to that province or a layer below it."""
    code = f"{PROVINCES[province][0][:2]}{city:02d}{county:02d}"
    resolved = tr.resolve_jurisdiction(code)
    assert province in [p.id for p in tr.chain(resolved)]
    assert tr.chain(code) == tr.chain(resolved)


@pytest.mark.parametrize(
    ("given_as", "problem"),
    [
        ("35020", "not a GB/T 2260 division code"),  # too short
        ("3502030", "not a GB/T 2260 division code"),  # too long
        ("350003", "not a GB/T 2260 division code"),  # county digits under no city
        ("999999", "under no registered jurisdiction"),
        ("100000", "under no registered jurisdiction"),  # cn's conventional code is no place
        ("420000", r"'420000' \(hubei\) is a province jurisdiction"),  # a province's own code
        ("hubei", "'hubei' is a province jurisdiction"),  # a province id stays an error
        ("cn", "'cn' is a national jurisdiction"),
        ("４２０１００", "unknown jurisdiction"),  # full-width digits are no code
        ("420100 ", "unknown jurisdiction"),  # nothing is stripped silently
    ],
)
def test_a_malformed_or_unresolved_code_is_an_error_naming_the_field(given_as: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem) as info:
        facility(given_as)
    assert [tuple(e["loc"]) for e in info.value.errors()] == [("jurisdiction",)]
    with pytest.raises((tr.InvalidInput, tr.UnknownJurisdiction), match=problem):
        tr.assess(facility("xiamen"), jurisdiction=given_as, on=ON)


# -- assessing by code -------------------------------------------------------------------------------------


def test_wuhan_gets_the_national_award_and_hubeis_match_and_the_note() -> None:
    """Wuhan (420100) has no city rules: assessed with hubei and cn. The 2022 batch: 100,000 from the ACFTU
    ("以每个用人单位10万元的标准") and at least 1:1 from the provincial union ("省级工会进行不低于1:1的资金配套")."""
    result = tr.assess(facility("420100"), on=ON)
    assert result.facility.jurisdiction == "420100"
    assert result.jurisdiction == "hubei"
    assert result.layers == ("hubei", "cn")
    award = result.entitlement("cn.caring_employer_award")
    assert (award.status, award.payer) == ("eligible", "cn.acftu")
    assert (award.amount.low, award.amount.high) == (Decimal("100000.00"), Decimal("100000.00"))
    match = result.obligation("cn.caring_employer_provincial_match")
    assert (match.payer, match.payer_zh) == ("hubei.union", "湖北省总工会")
    assert (match.ratio, match.exact) == (Decimal("1"), False)
    assert (match.amount.low, match.amount.high) == (Decimal("100000.00"), None)
    assert any("no city rules are encoded" in note and "420100" in note for note in result.notes)
    assert tr.assess(facility("420100"), on=ON).model_dump(mode="json")["jurisdiction"] == "hubei"


@pytest.mark.parametrize(("code", "province"), [("110105", "beijing"), ("420100", "hubei"), ("150100", "neimenggu")])
def test_a_national_caring_employer_anywhere_gets_the_award_and_its_provincial_match(code: str, province: str) -> None:
    result = tr.assess(facility(code), on=ON)
    assert result.entitlement("cn.caring_employer_award").status == "eligible"
    match = result.obligation("cn.caring_employer_provincial_match")
    assert match.payer == f"{province}.union"
    assert match.payer_zh == PROVINCES[province][1] + "总工会"


def test_a_registered_city_by_code_is_assessed_as_by_id_without_a_note() -> None:
    by_code = tr.assess(facility("350200"), on=ON)
    by_id = tr.assess(facility("xiamen"), on=ON)
    assert by_code.jurisdiction == "xiamen"
    assert by_code.notes == by_id.notes == ()
    assert by_code.entitlements == by_id.entitlements
    assert by_code.obligations == by_id.obligations


def test_a_district_code_without_a_layer_is_assessed_with_its_city_and_says_so() -> None:
    result = tr.assess(facility("350206"), on=ON)
    assert (result.jurisdiction, result.layers) == ("xiamen", ("xiamen", "fujian", "cn"))
    assert any("no district rules are encoded" in note for note in result.notes)


def test_a_what_if_move_may_name_a_code() -> None:
    result = tr.assess(facility("xiamen"), jurisdiction="420100", on=ON)
    assert (result.facility.jurisdiction, result.jurisdiction) == ("xiamen", "hubei")
    assert result.obligation("cn.caring_employer_provincial_match").payer == "hubei.union"


def test_a_designation_of_another_layer_is_noted_after_the_place() -> None:
    result = tr.assess(facility("420100", designations=[{"program": "weifang.caring_employer", "year": 2023}]), on=ON)
    assert len(result.notes) == 2
    assert "no city rules are encoded" in result.notes[0]
    assert "weifang.caring_employer" in result.notes[1]
