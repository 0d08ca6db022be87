"""Engine edge cases: argument errors that name the field and the type given, the rounding mode reaching a
rule through ``assess``, a designation's amount outside the range in force, what-if reasons, notes on
foreign designations, and a rule that fails.

Each check is on behaviour a caller sees: the status, the amount, the field an error names, and the facts a
reason or note states (ids, amounts, the day).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.core import engine
from tuoyu_rules.core.context import RuleContext
from tuoyu_rules.core.policy import Outcome, Policy

DAY = dt.date(2024, 6, 1)


def facility(jurisdiction: str = "xiamen", *designations: tr.Designation, **extra: Any) -> tr.Facility:
    return tr.Facility(
        jurisdiction=jurisdiction, mode="self_run", places=30, enrolled=20, designations=designations, **extra
    )


# -- arguments ------------------------------------------------------------------------------------------------


def test_plain_data_for_the_facility_names_its_type_and_the_way_out() -> None:
    with pytest.raises(tr.InvalidInput) as info:
        tr.assess({"jurisdiction": "xiamen"}, on=DAY)  # type: ignore[arg-type]
    assert info.value.field == "facility"
    assert re.fullmatch(
        r"expected a tuoyu_rules\.Facility, got dict; use Facility\.model_validate\(data\) for JSON data",
        info.value.problem,
    )


def test_a_day_that_is_not_a_date_is_named() -> None:
    with pytest.raises(tr.InvalidInput) as info:
        tr.assess(facility(), on="2024-06-01")  # type: ignore[arg-type]
    assert info.value.field == "on"
    assert re.fullmatch(
        r"expected a datetime\.date \(the day whose rules apply\), got '2024-06-01'", info.value.problem
    )


def test_a_reform_that_is_not_a_reform_names_its_type() -> None:
    with pytest.raises(tr.InvalidInput) as info:
        tr.assess(facility(), on=DAY, reform={"name": "x"})  # type: ignore[arg-type]
    assert info.value.field == "reform"
    assert info.value.problem == "expected a tuoyu_rules.Reform, got dict"


def test_pins_that_are_not_a_mapping_are_named() -> None:
    with pytest.raises(tr.InvalidInput) as info:
        tr.assess(facility(), on=DAY, pins=[("xiamen.construction_subsidy", "50000")])  # type: ignore[arg-type]
    assert info.value.field == "pins"
    assert info.value.problem == "a mapping of programme id to awarded amount"


# -- rounding through assess ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "match"), [(None, "15000.01"), ("ROUND_HALF_UP", "15000.01"), ("ROUND_HALF_EVEN", "15000.00")]
)
def test_the_rounding_mode_given_to_assess_reaches_the_match(mode: str | None, match: str) -> None:
    """A what-if county match of exactly 1:2 on a pinned Weifang award of 30,000.01 is 15,000.005: the mode
    given to ``assess`` (default ROUND_HALF_UP) decides the fen, and the obligation says it rounded."""
    reform = tr.Reform.of("half").set("weifang.county_match.ratio", kind="ratio", ratio="0.5", exact=True).build()
    f = facility("weifang", tr.Designation("weifang.caring_employer", 2023, "30000.01"))
    kwargs: dict[str, Any] = {} if mode is None else {"rounding": mode}
    a = tr.assess(f, on=DAY, reform=reform, **kwargs)
    m = a.obligation("weifang.county_match")
    assert m.amount == tr.AmountRange.exactly(Decimal(match))
    assert a.rounding == (mode or "ROUND_HALF_UP")
    assert any(f"matching amount: rounded to the fen ({mode or 'ROUND_HALF_UP'})" in r for r in m.reasons)


# -- pins ---------------------------------------------------------------------------------------------------------


def test_a_designation_amount_outside_the_range_in_force_is_not_applied() -> None:
    """The designation's 40,000 was inside 3万~5万元 for its year; a what-if range of 10,000-20,000 on the day
    assessed leaves the range unpinned, and the reason names the amount, the range and the day."""
    reform = tr.Reform.of("lower").set("weifang.caring_employer_award.amount", kind="range", low="10000", high="20000")
    f = facility("weifang", tr.Designation("weifang.caring_employer", 2023, "40000"))
    e = tr.assess(f, on=DAY, reform=reform.build()).entitlement("weifang.caring_employer_award")
    assert (e.status, e.amount) == ("eligible", tr.AmountRange.of("10000", "20000"))
    assert any(
        re.fullmatch(
            r"the designation's amount 40000\.00 is not .*20000\.00.*, the range in force on 2024-06-01; "
            r"it is not applied",
            r,
        )
        for r in e.reasons
    ), e.reasons


def test_a_pins_argument_outside_the_range_is_an_error_naming_the_pin() -> None:
    reform = tr.Reform.of("lower").set("weifang.caring_employer_award.amount", kind="range", low="10000", high="20000")
    f = facility("weifang", tr.Designation("weifang.caring_employer", 2023))
    with pytest.raises(tr.AmountOutsideRange) as info:
        tr.assess(f, on=DAY, reform=reform.build(), pins={"weifang.caring_employer_award": "40000"})
    assert info.value.field == "pins[weifang.caring_employer_award]"


# -- what-if reasons --------------------------------------------------------------------------------------------


def test_a_reform_is_named_in_the_assessment_and_only_in_the_entries_it_changes() -> None:
    reform = (
        tr.Reform.of("tiers")
        .set("fujian.purchased_places_subsidy.lower_tier", kind="range", low="0", high="20000")
        .set("fujian.purchased_places_subsidy.upper_tier", kind="range", low="0", high="40000")
        .build()
    )
    f = tr.Facility(jurisdiction="xiamen", mode="purchased_places", places=30, enrolled=20)
    a = tr.assess(f, on=DAY, reform=reform)
    assert a.reform == "tiers"
    assert tr.assess(f, on=DAY).reform is None
    e = a.entitlement("fujian.purchased_places_subsidy")
    assert e.amount == tr.AmountRange.of("0", "40000")
    assert (
        "WHAT-IF, not law: reform 'tiers' sets fujian.purchased_places_subsidy.lower_tier = 0.00-20000.00, "
        "fujian.purchased_places_subsidy.upper_tier = 0.00-40000.00"
    ) in e.reasons
    untouched = a.entitlement("xiamen.operating_subsidy")
    assert not any("WHAT-IF" in r for r in untouched.reasons)


# -- notes on designations ----------------------------------------------------------------------------------------


def test_a_foreign_designation_note_names_the_designation_its_owner_and_the_place() -> None:
    f = facility("xiamen", tr.Designation("hangzhou.puhui", 2023), tr.Designation("cn.caring_employer", 2022))
    a = tr.assess(f, on=DAY)
    assert a.notes == (
        "designation hangzhou.puhui (2023) belongs to 'hangzhou', which is not a layer of 'xiamen'; it is not applied",
    )


# -- a failing rule -------------------------------------------------------------------------------------------------


def _with_rule(monkeypatch: pytest.MonkeyPatch, rule: Any) -> None:
    """Serve a Xiamen whose operating-subsidy rule is ``rule`` (the registry's caches are left alone)."""
    xiamen = tr.get_policy("xiamen")
    programs = tuple(
        dataclasses.replace(p, rule=rule) if p.id == "xiamen.operating_subsidy" else p for p in xiamen.programs
    )
    broken: Policy = dataclasses.replace(xiamen, programs=programs)
    layers = (broken, *tr.chain("xiamen")[1:])
    monkeypatch.setattr(engine, "resolve_chain", lambda jid: layers)


def test_a_rule_that_raises_is_a_policy_data_error_naming_the_rule_and_the_cause(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def boom(ctx: RuleContext) -> Outcome:
        raise ZeroDivisionError("boom")

    _with_rule(monkeypatch, boom)
    with pytest.raises(tr.PolicyDataError) as info:
        tr.assess(facility(), on=DAY)
    assert str(info.value) == "rule xiamen.operating_subsidy of 'xiamen' failed: ZeroDivisionError: boom"
    assert isinstance(info.value.__cause__, ZeroDivisionError)


def test_a_library_error_from_a_rule_passes_through(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(ctx: RuleContext) -> Outcome:
        raise tr.InvalidInput("classes", "refused by the rule")

    _with_rule(monkeypatch, refuse)
    with pytest.raises(tr.InvalidInput) as info:
        tr.assess(facility(), on=DAY)
    assert info.value.field == "classes"


def test_an_unknown_payer_has_no_names() -> None:
    assert engine._payer_names("nobody.union", tr.chain("xiamen")) == ("", "")
    assert engine._payer_names("fujian.union", tr.chain("xiamen"))[0] == "福建省总工会"
