"""The engine: ``assess`` applies a city's (or district's) chain of layers to one facility on one day.

Contract, "Assessment": "It applies the rules of the facility's jurisdiction (or of ``jurisdiction``, for a
what-if move to another city) together with every layer above it (province, national). Pure: same input,
same output; no clock, no I/O."
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest

import tuoyu_rules as tr
from strategies import city_ids, facility_jurisdictions
from tuoyu_rules.core.messages import msg
from tuoyu_rules.core.parameters import Ratio

DAY = dt.date(2024, 6, 1)
MONEY_TEXT = re.compile(r"^\d+\.\d{2}$")


def facility(**changes: Any) -> tr.Facility:
    data: dict[str, Any] = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True}
    data.update({"places": 30, "enrolled": 20})
    data.update(changes)
    return tr.Facility.model_validate(data)


def entitlement_ids(jid: str) -> list[str]:
    return [p.id for layer in tr.chain(jid) for p in layer.programs if p.kind == "entitlement"]


def money_strings(node: object) -> list[str]:
    """Every ``low``/``high``/``allowed`` value of every amount in a JSON dump."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("low", "high") and value is not None:
                found.append(value)
            elif key == "allowed" and value is not None:
                found.extend(value)
            else:
                found.extend(money_strings(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(money_strings(item))
    return found


# -- layers and entries -----------------------------------------------------------------------------------


def test_xiamen_is_assessed_with_fujian_and_the_nation() -> None:
    a = tr.assess(facility(), on=DAY)
    assert a.jurisdiction == "xiamen"
    assert a.layers == ("xiamen", "fujian", "cn")
    assert a.on == DAY
    assert a.rounding == "ROUND_HALF_UP"
    assert a.facility == facility()


@pytest.mark.parametrize("jid", facility_jurisdictions())
def test_one_entitlement_per_money_bearing_programme_of_every_layer(jid: str) -> None:
    """Contract: "one entry per money-bearing programme of every applicable layer ... matching appears only
    under ``obligations``"."""
    a = tr.assess(facility(jurisdiction=jid, self_built=False, mode="joint_run"), on=DAY)
    assert [e.program for e in a.entitlements] == entitlement_ids(jid)
    obligation_ids = {p.id for layer in tr.chain(jid) for p in layer.programs if p.kind == "obligation"}
    assert not obligation_ids & {e.program for e in a.entitlements}
    assert {o.program for o in a.obligations} <= obligation_ids
    assert a.layers == tuple(p.id for p in tr.chain(jid))


def test_conditions_fee_rules_and_compliance_are_not_entitlements() -> None:
    kinds = {p.id: p.kind for jid in tr.list_jurisdictions() for p in tr.get_policy(jid).programs}
    for jid in facility_jurisdictions():
        a = tr.assess(facility(jurisdiction=jid), on=DAY)
        assert {kinds[e.program] for e in a.entitlements} <= {"entitlement"}


def test_programme_payers_and_names_are_filled_in() -> None:
    a = tr.assess(facility(), on=DAY)
    e = a.entitlement("xiamen.construction_subsidy")
    assert e.payer_zh == "厦门市总工会"
    assert e.name_zh == "用人单位自建自办托育中心建设补助"


def test_missing_entitlement_lookup_names_what_is_present() -> None:
    a = tr.assess(facility(), on=DAY)
    with pytest.raises(KeyError, match=r"xiamen\.construction_subsidy"):
        a.entitlement("weifang.caring_employer_award")
    with pytest.raises(KeyError, match="no obligation"):
        a.obligation("cn.caring_employer_provincial_match")


@pytest.mark.parametrize(
    ("jid", "program"),
    [
        (jid, p.id)
        for jid in facility_jurisdictions()
        for layer in tr.chain(jid)
        for p in layer.programs
        if p.kind == "entitlement" and p.start is not None
    ],
)
def test_a_programme_before_its_start_is_ineligible_with_its_dates(jid: str, program: str) -> None:
    """Contract: "a programme not in force that day is ``ineligible``, with its dates in ``reasons``"."""
    prog = next(p for layer in tr.chain(jid) for p in layer.programs if p.id == program)
    assert prog.start is not None
    day = prog.start - dt.timedelta(days=1)
    e = tr.assess(facility(jurisdiction=jid), on=day).entitlement(program)
    assert e.status == "ineligible"
    assert e.amount == tr.AmountRange.zero()
    assert any("not in force" in r and str(prog.start) in r for r in e.reasons)


@pytest.mark.parametrize(
    ("jid", "program"),
    [
        (jid, p.id)
        for jid in facility_jurisdictions()
        for layer in tr.chain(jid)
        for p in layer.programs
        if p.kind == "entitlement" and p.end is not None
    ],
)
def test_a_programme_after_its_end_is_ineligible_with_its_dates(jid: str, program: str) -> None:
    prog = next(p for layer in tr.chain(jid) for p in layer.programs if p.id == program)
    assert prog.end is not None
    e = tr.assess(facility(jurisdiction=jid), on=prog.end + dt.timedelta(days=1)).entitlement(program)
    assert e.status == "ineligible"
    assert any("not in force" in r and str(prog.end) in r for r in e.reasons)


# -- what-if ------------------------------------------------------------------------------------------------


def test_what_if_to_the_own_city_changes_nothing() -> None:
    f = facility()
    assert tr.assess(f, on=DAY, jurisdiction="xiamen") == tr.assess(f, on=DAY)


@pytest.mark.parametrize("city", [c for c in city_ids() if c != "xiamen"])
def test_what_if_moves_the_facility_to_another_city(city: str) -> None:
    """``jurisdiction=`` applies that city's chain instead; the facility itself is unchanged."""
    f = facility()
    a = tr.assess(f, on=DAY, jurisdiction=city)
    assert a.jurisdiction == city
    assert a.layers == tuple(p.id for p in tr.chain(city))
    assert a.facility == f
    assert a.facility.jurisdiction == "xiamen"
    assert [e.program for e in a.entitlements] == entitlement_ids(city)
    assert not any(e.program.startswith("xiamen.") for e in a.entitlements)
    back = tr.assess(facility(jurisdiction=city), on=DAY, jurisdiction="xiamen")
    assert back.entitlement("xiamen.construction_subsidy").status == "eligible"


@pytest.mark.parametrize("target", ["fujian", "cn"])
def test_what_if_to_a_province_or_the_nation_is_an_error(target: str) -> None:
    with pytest.raises(tr.InvalidInput, match=f"'{target}' is a .* jurisdiction") as info:
        tr.assess(facility(), on=DAY, jurisdiction=target)
    assert info.value.field == "jurisdiction"


def test_what_if_to_an_unknown_id_lists_the_known() -> None:
    with pytest.raises(tr.UnknownJurisdiction, match=r"known ids: .*xiamen"):
        tr.assess(facility(), on=DAY, jurisdiction="atlantis")


def test_designation_of_another_jurisdiction_is_noted_not_applied() -> None:
    """A Weifang caring-employer selection means nothing to a Xiamen facility: a note says it is not applied."""
    f = facility(designations=[{"program": "weifang.caring_employer", "year": 2023}])
    a = tr.assess(f, on=DAY)
    assert any("weifang.caring_employer" in n and "not applied" in n for n in a.notes)
    assert not any(e.program.startswith("weifang.") for e in a.entitlements)
    assert tr.assess(facility(), on=DAY).notes == ()


# -- arguments ------------------------------------------------------------------------------------------------


def test_assess_refuses_plain_data_for_the_facility() -> None:
    with pytest.raises(tr.InvalidInput, match=r"Facility\.model_validate") as info:
        tr.assess({"jurisdiction": "xiamen"}, on=DAY)  # type: ignore[arg-type]
    assert info.value.field == "facility"


@pytest.mark.parametrize("on", [dt.datetime(2024, 6, 1, 12, 0), "2024-06-01", None, 20240601])
def test_assess_refuses_anything_but_a_date(on: object) -> None:
    with pytest.raises(tr.InvalidInput) as info:
        tr.assess(facility(), on=on)  # type: ignore[arg-type]
    assert info.value.field == "on"


def test_pins_for_an_unknown_programme_are_refused() -> None:
    with pytest.raises(tr.UnknownProgram, match=r"xiamen\.construction_subsidy"):
        tr.assess(facility(), on=DAY, pins={"xiamen.construction": "80000"})
    with pytest.raises(tr.UnknownProgram):
        tr.assess(facility(), on=DAY, pins={"cn.caring_employer_provincial_match": "100000"})


def test_pins_must_be_a_mapping_of_exact_amounts() -> None:
    with pytest.raises(tr.InvalidInput, match="pins"):
        tr.assess(facility(), on=DAY, pins=[("xiamen.construction_subsidy", "80000")])  # type: ignore[arg-type]
    with pytest.raises(tr.MoneyError, match=r"pins\[xiamen.construction_subsidy\]") as info:
        tr.assess(facility(), on=DAY, pins={"xiamen.construction_subsidy": 80000.0})  # type: ignore[dict-item]
    assert "float" in str(info.value)


def test_pins_do_not_leak_between_assessments() -> None:
    f = facility()
    tr.assess(f, on=DAY, pins={"xiamen.construction_subsidy": "100000"})
    assert not tr.assess(f, on=DAY).entitlement("xiamen.construction_subsidy").amount.is_exact


# -- purity and JSON --------------------------------------------------------------------------------------


def test_same_input_same_output() -> None:
    f = facility(designations=[{"program": "cn.caring_employer", "year": 2022}])
    first = tr.assess(f, on=DAY)
    assert tr.assess(f, on=DAY) == first
    assert tr.assess(f, on=DAY).model_dump(mode="json") == first.model_dump(mode="json")


def test_assessment_is_frozen() -> None:
    a = tr.assess(facility(), on=DAY)
    with pytest.raises(Exception, match="frozen"):
        a.on = dt.date(2020, 1, 1)  # type: ignore[misc]
    assert isinstance(a.entitlements, tuple)


def test_json_dump_is_plain_json_with_money_as_two_decimal_strings() -> None:
    """Contract: "``Assessment.model_dump(mode="json")`` is plain JSON data; Decimals appear as strings with
    two decimals (``"50000.00"``)"."""
    f = facility(designations=[{"program": "cn.caring_employer", "year": 2022}])
    dumped = tr.assess(f, on=DAY).model_dump(mode="json")
    text = json.dumps(dumped, ensure_ascii=False, allow_nan=False)
    assert json.loads(text) == dumped
    assert "Decimal" not in text
    values = money_strings(dumped)
    assert "50000.00" in values
    assert "100000.00" in values
    assert all(isinstance(v, str) and MONEY_TEXT.match(v) for v in values), values
    assert dumped["on"] == "2024-06-01"


def test_json_round_trip_is_equal() -> None:
    f = facility(classes=[5, 10], designations=[{"program": "cn.caring_employer", "year": 2023, "amount": "150000"}])
    a = tr.assess(f, on=DAY, pins={"xiamen.construction_subsidy": "80000"})
    assert tr.Assessment.model_validate(a.model_dump(mode="json")) == a
    assert tr.Assessment.model_validate_json(a.model_dump_json()) == a


def test_totals_count_undetermined_entries_apart() -> None:
    """An undetermined grant is never summed as zero: it is counted apart."""
    f = facility(designations=[{"program": "cn.caring_employer", "year": 2024}])
    a = tr.assess(f, on=dt.date(2025, 6, 1))
    assert a.entitlement("cn.caring_employer_award").status == "undetermined"
    acftu = {(t.payer, t.basis): t for t in a.totals()}[("cn.acftu", "one_time")]
    assert acftu.undetermined >= 1
    eligible = [e for e in a.entitlements if (e.payer, e.basis, e.status) == ("cn.acftu", "one_time", "eligible")]
    assert acftu.amount.low == sum((e.amount.low for e in eligible), Decimal("0"))


# -- rounding ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "low", "high"),
    [("ROUND_HALF_UP", "0.03", "0.08"), ("ROUND_HALF_EVEN", "0.02", "0.08"), ("ROUND_DOWN", "0.02", "0.07")],
)
def test_the_assessment_rounding_mode_reaches_matching(mode: str, low: str, high: str) -> None:
    """A match of an exact 1:2 ratio on 0.05-0.15 lands half way between fen (0.025, 0.075): the mode given to
    ``assess`` decides, rounding happens once, and the entry says it rounded (digest: "default ROUND_HALF_UP
    to the fen, configurable")."""
    cn = tr.get_policy("cn")
    f = facility(designations=[{"program": "cn.caring_employer", "year": 2022}])
    grant = tr.assess(f, on=DAY).entitlement("cn.caring_employer_award")
    grant = grant.model_copy(update={"amount": tr.AmountRange.of("0.05", "0.15")})
    ctx = tr.RuleContext(
        facility=f,
        on=DAY,
        program=cn.program("cn.caring_employer_provincial_match"),
        policy=cn,
        chain=tr.chain("xiamen"),
        rounding=mode,
        entitlements={grant.program: grant},
    )
    outcome = ctx.match(grant, Ratio(Decimal("0.5"), exact=True))
    assert (outcome.amount.low, outcome.amount.high) == (Decimal(low), Decimal(high))
    assert msg("core.rounded", what="matching_amount", rounding=mode) in outcome.reasons
