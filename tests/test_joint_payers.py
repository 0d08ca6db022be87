"""Joint and split payers (issue 13, "Joint and split payers" and "The 2024 batch loses its provincial match").

Sources (policy digest, "Second round"):

* 光明日报 2024-04-04, 《100家2023年全国爱心托育用人单位公布》 (official): 「全国总工会、省级总工会将下拨资金,为每家全国
  爱心托育用人单位提供专项补助经费不少于15万元,可直接支出本单位有关婴幼儿照护的相关费用。」: the 2023 batch's at least
  150,000 is paid by the ACFTU and the provincial union together, no split published -> the joint payer
  ``cn.acftu+<province>.union`` (it was booked wholly to ``cn.acftu``).
* SCIO press conference 2025-07-30, English report (secondary): the ACFTU will "allocate a total of 22.5 million
  yuan to subsidize 300 caring childcare employers" over 2022-2024, so the 2023 sums are not the ACFTU's alone.
* 内蒙古日报 2025-03-28 (official): 「自治区总工会将给予一定的匹配资金」: the 2024 batch's provincial match, an amount
  not stated -> an undetermined obligation with no ratio (it was silently absent).
* Seed 003: 「市总工会和市卫健委将给予示范点位一定的专项经费补助」 -> Chengdu's joint payer
  ``chengdu.union+chengdu.health_commission`` (it was ``chengdu.union`` standing for both).
* China Daily 2025-08-22 (secondary): "Half of the subsidy funds will be covered by the provincial government, with
  the remainder paid by city and county authorities." -> Sichuan's 200 a month is two entitlements of 100 (it was
  one of 200, paid by ``sichuan.health_commission``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tuoyu_rules as tr
from plugin_policies import plugin_data, serve_plugins
from tuoyu_rules.core import registry

ON = dt.date(2025, 10, 1)
AWARD = "cn.caring_employer_award"
MATCH = "cn.caring_employer_provincial_match"
DEMO = "chengdu.demonstration_subsidy"
PUHUI = "sichuan.puhui_subsidy"
CITY_COUNTY = "sichuan.puhui_subsidy_city_county"
GUANGMING = (
    "全国总工会、省级总工会将下拨资金,为每家全国爱心托育用人单位提供专项补助经费不少于15万元,"
    "可直接支出本单位有关婴幼儿照护的相关费用。"
)
INNER_MONGOLIA = "自治区总工会将给予一定的匹配资金"
CHINA_DAILY = (
    "Half of the subsidy funds will be covered by the provincial government, with the remainder paid by city and "
    "county authorities."
)
DIGEST = Path(__file__).resolve().parents[2] / "shared" / "policy-digest.md"
PLACES = {"xiamen": "fujian", "chengdu": "sichuan", "420100": "hubei", "150100": "neimenggu", "weifang": "shandong"}


def facility(where: str, *designations: tuple[str, int], **facts: Any) -> tr.Facility:
    data: dict[str, Any] = {"jurisdiction": where, "mode": "self_run", "places": 40, "enrolled": 30, **facts}
    data["designations"] = [{"program": p, "year": y} for p, y in designations]
    return tr.Facility.model_validate(data)


def caring(where: str, year: int) -> tr.Facility:
    return facility(where, ("cn.caring_employer", year))


def puhui(where: str = "chengdu", **facts: Any) -> tr.Facility:
    kindergarten = {"filed": True, "mixed_with_preschool": False, "preschool_subsidy": False}
    return facility(where, ("sichuan.puhui", 2025), **{**kindergarten, **facts})


# -- the 2023 batch: ACFTU and provincial union jointly (光明日报 2024-04-04) ------------------------------------


def test_the_quotes_are_the_digests_words() -> None:
    """Every quote cited here is exactly as the digest gives it (when the digest is there to read)."""
    if not DIGEST.exists():
        pytest.skip("the policy digest is not beside the repository")
    text = DIGEST.read_text(encoding="utf-8")
    for quote in (GUANGMING, INNER_MONGOLIA, CHINA_DAILY, "allocate a total of 22.5 million yuan"):
        assert quote in text, quote


@pytest.mark.parametrize(
    ("where", "province", "union_zh", "union_en"),
    [
        ("xiamen", "fujian", "福建省总工会", "Fujian Federation of Trade Unions"),
        ("chengdu", "sichuan", "四川省总工会", "Sichuan Federation of Trade Unions"),
        ("420100", "hubei", "湖北省总工会", "Hubei Federation of Trade Unions"),
    ],
)
def test_the_2023_award_has_the_joint_payer_of_the_acftu_and_the_provincial_union(
    where: str, province: str, union_zh: str, union_en: str
) -> None:
    """光明日报 2024-04-04: 「全国总工会、省级总工会将下拨资金 ... 不少于15万元」: a joint payer, never the ACFTU's."""
    a = tr.assess(caring(where, 2023), on=ON)
    e = a.entitlement(AWARD)
    assert (e.status, e.amount) == ("eligible", tr.AmountRange.of("150000", None))
    assert e.payer == f"cn.acftu+{province}.union"
    assert e.payer_zh == f"中华全国总工会与{union_zh}"
    assert e.payer_en == f"All-China Federation of Trade Unions (ACFTU) and {union_en}"
    assert GUANGMING in {c.quote for c in e.citations}
    assert e.confidence == "official"  # the ACFTU totals (secondary) explain the reading; they do not carry it
    assert all(o.matches != AWARD for o in a.obligations)  # no separate provincial match in 2023


def test_the_2022_award_stays_with_the_acftu_and_its_match_with_the_province() -> None:
    """Seed 000 (2022 batch): "以每个用人单位10万元的标准" from the ACFTU, "省级工会进行不低于1:1的资金配套"."""
    a = tr.assess(caring("xiamen", 2022), on=ON)
    assert a.entitlement(AWARD).payer == "cn.acftu"
    match = a.obligation(MATCH)
    assert (match.payer, match.ratio, match.exact) == ("fujian.union", Decimal("1"), False)


def test_the_acftu_totals_are_in_the_data_as_the_reason_and_marked_secondary() -> None:
    """SCIO 2025-07-30 (English report): "allocate a total of 22.5 million yuan to subsidize 300 caring childcare
    employers": cited by the award programme and said in the national layer's limitations."""
    cn = tr.get_policy("cn")
    totals = cn.citations["cn.acftu_totals_2022_2024"]
    assert totals.confidence == "secondary"
    assert totals.quote == "allocate a total of 22.5 million yuan to subsidize 300 caring childcare employers"
    assert totals in cn.program(AWARD).citations
    assert any("22.5 million" in lim and "cn.acftu+<province>.union" in lim for lim in cn.limitations)


def test_a_budget_of_2023_units_in_two_provinces_has_two_joint_lines_and_nothing_under_the_acftu() -> None:
    """光明日报 2024-04-04: the 2023 sums are the ACFTU's and the provincial union's together; a budget shows each
    province's joint payer as its own line and books nothing of them to cn.acftu (it booked 450,000 there)."""
    facilities = [caring("xiamen", 2023), caring("xiamen", 2023), caring("chengdu", 2023)]
    scenario = tr.budget(facilities, on=ON).scenarios[0]
    fujian = scenario.payer_total("cn.acftu+fujian.union", "one_time")
    sichuan = scenario.payer_total("cn.acftu+sichuan.union", "one_time")
    assert fujian is not None
    assert sichuan is not None
    assert (fujian.amount, sichuan.amount) == (tr.AmountRange.of("300000", None), tr.AmountRange.of("150000", None))
    acftu = scenario.payer_total("cn.acftu", "one_time")  # the 2025 project scheme's ineligible entries only
    assert acftu is None or (acftu.amount, acftu.undetermined) == (tr.AmountRange.zero(), 0)
    for body in ("fujian.union", "sichuan.union"):
        alone = scenario.payer_total(body, "one_time")
        assert alone is None or alone.amount == tr.AmountRange.zero()


# -- the 2024 batch: the provincial match of an amount not stated (内蒙古日报 2025-03-28) -------------------------


@pytest.mark.parametrize(("where", "province"), [("150100", "neimenggu"), ("xiamen", "fujian")])
def test_the_2024_match_is_an_undetermined_obligation_with_its_citation(where: str, province: str) -> None:
    """内蒙古日报 2025-03-28: 「自治区总工会将给予一定的匹配资金」: never silently absent; no ratio, no amount."""
    a = tr.assess(caring(where, 2024), on=ON)
    assert a.entitlement(AWARD).status == "undetermined"  # the award per unit stays undetermined
    match = a.obligation(MATCH)
    assert (match.status, match.payer, match.matches) == ("undetermined", f"{province}.union", AWARD)
    assert (match.ratio, match.exact, match.amount) == (None, False, tr.AmountRange.unknown())
    cited = {c.quote: c for c in match.citations}
    assert cited[INNER_MONGOLIA].published == dt.date(2025, 3, 28)
    assert "not published" in match.reasons[0]
    assert match.missing == ("cn.caring_employer_provincial_match.ratio",)
    dumped = a.model_dump(mode="json")["obligations"][0]
    assert (dumped["ratio"], dumped["amount"]) == (None, {"low": "0.00", "high": None, "allowed": None})


def test_a_stated_match_keeps_its_json() -> None:
    """Every existing obligation's JSON is unchanged: the 2022 match still reads ratio "1.00", exact false."""
    dumped = tr.assess(caring("xiamen", 2022), on=ON).model_dump(mode="json")["obligations"][0]
    assert (dumped["ratio"], dumped["exact"], dumped["amount"]["low"]) == ("1.00", False, "100000.00")


def test_a_what_if_ratio_decides_the_2024_match() -> None:
    """The missing ratio is what decides the match: a reform that sets it gives a computed match."""
    reform = tr.Reform.of("match-1").set(f"{MATCH}.ratio", kind="ratio", ratio="1", exact=False, batch=2024).build()
    f = facility("xiamen", ("cn.caring_employer", 2024))
    pinned = f.model_copy(update={"designations": (tr.Designation("cn.caring_employer", 2024, "60000"),)})
    match = tr.assess(pinned, on=ON, reform=reform).obligation(MATCH)
    assert (match.status, match.ratio, match.amount) == ("eligible", Decimal("1"), tr.AmountRange.of("60000", None))


# -- Chengdu: the union and the health commission together (seed 003) -----------------------------------------


def test_chengdus_demonstration_subsidy_has_the_joint_payer_of_the_union_and_the_health_commission() -> None:
    """Seed 003: 「市总工会和市卫健委将给予示范点位一定的专项经费补助」: shares not stated -> joint payer."""
    e = tr.assess(facility("chengdu", ("chengdu.demonstration_site", 2024)), on=ON).entitlement(DEMO)
    assert e.payer == "chengdu.union+chengdu.health_commission"
    assert (e.payer_zh, e.payer_en) == (
        "成都市总工会与成都市卫生健康委员会",
        "Chengdu Federation of Trade Unions and Chengdu Health Commission",
    )
    assert e.citations[0].quote == "市总工会和市卫健委将给予示范点位一定的专项经费补助"


# -- Sichuan: two published shares (China Daily 2025-08-22) ---------------------------------------------------


def test_sichuans_200_is_a_provincial_and_a_city_and_county_share_of_100() -> None:
    """China Daily 2025-08-22 (secondary): half provincial, the remainder city and county: 100 + 100 = 200."""
    a = tr.assess(puhui(full_day_enrolled=12), on=ON)
    province, rest = a.entitlement(PUHUI), a.entitlement(CITY_COUNTY)
    assert province.amount == rest.amount == tr.AmountRange.exactly("100")
    assert province.amount.low + rest.amount.low == Decimal("200")
    assert (province.payer, rest.payer) == ("sichuan.government", "chengdu.government+chengdu.county_government")
    assert rest.payer_zh == "成都市人民政府与托育机构所在区（市）县人民政府（成都市）"
    assert province.children == rest.children == 12
    assert province.total == rest.total == tr.AmountRange.exactly("1200")
    for e in (province, rest):
        assert CHINA_DAILY in {c.quote for c in e.citations}
        assert e.confidence == "secondary"  # a result resting on an English report says so


def test_a_sichuan_place_with_no_city_layer_has_the_provinces_city_and_county_payers() -> None:
    """Mianyang (510700) has no layer of its own: the rest is paid by the facility's city and county, ids of
    Sichuan's data (a reading of China Daily's "city and county authorities")."""
    rest = tr.assess(puhui("510700", full_day_enrolled=5), on=ON).entitlement(CITY_COUNTY)
    assert rest.payer == "sichuan.city_government+sichuan.county_government"
    assert rest.amount == tr.AmountRange.exactly("100")


def test_a_designations_amount_pins_the_whole_not_each_share() -> None:
    """The designation's amount is the awarded sum (200): each share is its half, and no share says the pin is
    not applied (it would, if the engine pinned a share of 100 to the whole 200)."""
    f = puhui(full_day_enrolled=3).model_copy(update={"designations": (tr.Designation("sichuan.puhui", 2025, 200),)})
    a = tr.assess(f, on=ON)
    for program in (PUHUI, CITY_COUNTY):
        e = a.entitlement(program)
        assert e.amount == tr.AmountRange.exactly("100")
        pinned = [x.params for x in e.explanation if x.code == "sichuan.puhui.whole_pinned"]
        assert pinned == [{"amount": "200.00", "field": "designations[sichuan.puhui].amount"}]
        assert not any("not applied" in r for r in e.reasons)


def test_an_explicit_pin_of_a_share_pins_that_share() -> None:
    """``pins`` name an entry: pinning sichuan.puhui_subsidy pins the provincial share, inside its range; the
    whole (200) given as that share's pin is not applied to it (the share stays 100, the rest untouched)."""
    a = tr.assess(puhui(full_day_enrolled=3), on=ON, pins={PUHUI: "100"})
    assert a.entitlement(PUHUI).amount == tr.AmountRange.exactly("100")
    whole = tr.assess(puhui(full_day_enrolled=3), on=ON, pins={PUHUI: "200"})
    assert whole.entitlement(PUHUI).amount == whole.entitlement(CITY_COUNTY).amount == tr.AmountRange.exactly("100")
    assert "it is not applied" in whole.entitlement(PUHUI).reasons[-1]


# -- the data and the engine check every part of a joint payer -------------------------------------------------


def _joint_data(jid: str, payer: str) -> dict[str, Any]:
    grant = {"name_zh": "补助", "name_en": "Grant", "basis": "one_time", "payer": payer}
    data = plugin_data(jid, code="359600", programs={f"{jid}.grant": grant})
    data["payers"][f"{jid}.health"] = {"name_zh": "卫健委", "name_en": "Health commission"}
    return data


def _grant(ctx: tr.RuleContext) -> tr.Outcome:
    return ctx.eligible(tr.AmountRange.exactly("1000"), "a grant")


@pytest.mark.parametrize(
    ("payer", "message"),
    [
        ("jointville.union+jointville.nobody", r"'jointville\.nobody' is not declared in \[payers\]"),
        ("jointville.union+", r"'' is not a payer id"),
        ("jointville.union+jointville.union", r"names a payer twice"),
        ("jointville.union+fujian", r"'fujian' is not a payer id"),
    ],
)
def test_loading_refuses_a_joint_payer_with_a_bad_part(payer: str, message: str) -> None:
    """A part of the jurisdiction's own must be declared there; every part is a ``<jurisdiction>.<body>`` id."""
    with pytest.raises(tr.PolicyDataError, match=message):
        tr.build_policy(_joint_data("jointville", payer), {"jointville.grant": _grant}, origin="test:jointville")


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    yield lambda **factories: serve_plugins(monkeypatch, **factories)
    registry._reset()


def test_the_engine_refuses_a_part_no_layer_of_the_chain_declares(serve: Callable[..., None]) -> None:
    """``fujian.nobody`` passes loading (another layer's id) but no layer of the chain declares it."""
    data = _joint_data("jointville", "jointville.union+fujian.nobody")
    serve(jointville=lambda: tr.build_policy(data, {"jointville.grant": _grant}, origin="test:jointville"))
    with pytest.raises(tr.PolicyDataError, match=r"'fujian\.nobody' is not a payer declared by a layer of the chain"):
        tr.assess(facility("jointville"), on=ON)


def test_three_parts_join_their_names(serve: Callable[..., None]) -> None:
    """zh: 、 between the first parts and 与 before the last; en: ", " and " and "."""
    data = _joint_data("jointville", "jointville.union+jointville.health+fujian.union")
    serve(jointville=lambda: tr.build_policy(data, {"jointville.grant": _grant}, origin="test:jointville"))
    e = tr.assess(facility("jointville"), on=ON).entitlement("jointville.grant")
    assert (e.payer_zh, e.payer_en) == (
        "总工会、卫健委与福建省总工会",
        "Union, Health commission and Fujian Federation of Trade Unions",
    )


def _obligation_data(jid: str) -> dict[str, Any]:
    programs = {
        f"{jid}.grant": {"name_zh": "补助", "name_en": "Grant", "basis": "one_time"},
        f"{jid}.match": {"kind": "obligation", "name_zh": "配套", "name_en": "Match", "basis": "one_time"},
    }
    data = plugin_data(jid, code="359600", programs=programs)
    data["programs"][f"{jid}.match"]["matches"] = f"{jid}.grant"
    data["parameters"] = {
        f"{jid}.match.ratio": {"description": "match", "values": [{"kind": "not_stated", "cite": [f"{jid}.notice"]}]}
    }
    return data


def _serve_match(serve: Callable[..., None], match: Callable[[tr.RuleContext], tr.Outcome | None]) -> None:
    data = _obligation_data("matchville")
    rules = {"matchville.grant": _grant, "matchville.match": match}
    serve(matchville=lambda: tr.build_policy(data, rules, origin="test:matchville"))


def test_an_obligation_that_read_a_not_stated_ratio_may_be_undetermined_without_one(serve: Callable[..., None]) -> None:
    """The engine accepts an undetermined match whose rule read a not_stated ratio (ratio None in the result)."""

    def match(ctx: tr.RuleContext) -> tr.Outcome:
        assert ctx.ratio("matchville.match.ratio") is None
        return ctx.undetermined(tr.AmountRange.unknown(), "ratio not published", missing=("matchville.match.ratio",))

    _serve_match(serve, match)
    o = tr.assess(facility("matchville"), on=ON).obligation("matchville.match")
    assert (o.status, o.ratio, o.exact) == ("undetermined", None, False)


@pytest.mark.parametrize("reads_the_ratio", [True, False])
def test_an_obligation_without_a_ratio_is_still_a_rule_error_otherwise(
    serve: Callable[..., None], reads_the_ratio: bool
) -> None:
    """Eligible without a ratio (even having read the not-stated one), or undetermined without reading it: a bug."""

    def match(ctx: tr.RuleContext) -> tr.Outcome:
        if reads_the_ratio:
            ctx.ratio("matchville.match.ratio")
            return ctx.eligible(tr.AmountRange.exactly("1000"), "matched")
        return ctx.undetermined(tr.AmountRange.unknown(), "no idea", missing=("x",))

    _serve_match(serve, match)
    with pytest.raises(tr.PolicyDataError, match=r"obligation rule matchville\.match read no ratio"):
        tr.assess(facility("matchville"), on=ON)


# -- properties ----------------------------------------------------------------------------------------------

units = st.lists(
    st.tuples(st.sampled_from(sorted(PLACES)), st.sampled_from([2022, 2023, 2024]), st.booleans()),
    min_size=1,
    max_size=6,
)


@settings(max_examples=30)
@given(units=units)
def test_every_joint_payers_line_is_the_sum_of_the_entries_booked_to_it(units: list[tuple[str, int, bool]]) -> None:
    """A budget's line of a payer (joint or not) is exactly the sum of the eligible entries booked to that id: a
    joint sum is never folded into one of its parts, and a part's line never holds a joint entry."""
    facilities = [
        facility(where, *([("cn.caring_employer", year)] if designated else [])) for where, year, designated in units
    ]
    scenario = tr.budget(facilities, on=ON).scenarios[0]
    entries = [e for f in facilities for a in (tr.assess(f, on=ON),) for e in (*a.entitlements, *a.obligations)]
    for line in scenario.by_payer:
        key = (line.payer, line.basis, "eligible")
        booked = [e.total for e in entries if (e.payer, e.total_basis, e.total_status) == key]
        low = sum((t.low for t in booked), Decimal("0.00"))
        highs = [t.high for t in booked]
        high = None if None in highs else sum((h for h in highs if h is not None), Decimal("0.00"))
        assert (line.amount.low, line.amount.high) == (low, high), line.payer
    joint_2023 = {f"cn.acftu+{PLACES[where]}.union" for where, year, designated in units if designated and year == 2023}
    assert joint_2023 <= {line.payer for line in scenario.by_payer}


@settings(max_examples=40)
@given(
    children=st.integers(0, 30),  # at most enrolled (30)
    day=st.dates(dt.date(2025, 8, 30), dt.date(2027, 8, 29)),
    where=st.sampled_from(["chengdu", "510700"]),
)
def test_sichuans_shares_add_up_to_the_published_whole(children: int, day: dt.date, where: str) -> None:
    """China Daily 2025-08-22: the two shares add up to the 200 a month the measure states, rate and total."""
    a = tr.assess(puhui(where, full_day_enrolled=children), on=day)
    province, rest = a.entitlement(PUHUI), a.entitlement(CITY_COUNTY)
    assert province.status == rest.status
    if province.status != "eligible":
        assert province.amount == rest.amount == tr.AmountRange.zero()
        return
    assert province.amount.low + rest.amount.low == Decimal("200.00")
    assert province.total.low + rest.total.low == Decimal(200 * children)
    assert province.children == rest.children == children
    assert province.payer != rest.payer
    assert "+" in rest.payer
