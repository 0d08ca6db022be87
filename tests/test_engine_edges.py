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
from tuoyu_rules.core import boundary, engine
from tuoyu_rules.core.context import RuleContext
from tuoyu_rules.core.messages import msg
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
    outside = [x for x in e.explanation if x.code == "core.pin.designation_outside"]
    assert [x.params for x in outside] == [
        {
            "amount": "40000.00",
            "field": "designations[weifang.caring_employer].amount",
            "range": "10000.00..20000.00",
            "on": "2024-06-01",
        }
    ]
    assert re.fullmatch(
        r"the designation's amount 40,000 yuan .* is not .*20,000 yuan, the range in force on 2024-06-01; "
        r"it is not applied",
        outside[0].en,
    ), outside[0].en


def test_a_pins_argument_outside_the_range_is_an_error_naming_the_pin() -> None:
    """A pin inside no range the law gives the programme (60,000 outside 3万~5万元) is an error naming the pin.

    Issue 13 changed this test: a pin of 40,000, inside the law's range but outside a what-if range in force on
    the day, used to raise; pins and designation amounts now behave the same way on every day, so it is left
    unapplied with the same reason as the designation's amount above."""
    reform = tr.Reform.of("lower").set("weifang.caring_employer_award.amount", kind="range", low="10000", high="20000")
    f = facility("weifang", tr.Designation("weifang.caring_employer", 2023))
    with pytest.raises(tr.AmountOutsideRange) as info:
        tr.assess(f, on=DAY, reform=reform.build(), pins={"weifang.caring_employer_award": "60000"})
    assert info.value.field == "pins[weifang.caring_employer_award]"
    e = tr.assess(f, on=DAY, reform=reform.build(), pins={"weifang.caring_employer_award": "40000"}).entitlement(
        "weifang.caring_employer_award"
    )
    assert (e.status, e.amount) == ("eligible", tr.AmountRange.of("10000", "20000"))
    outside = [x for x in e.explanation if x.code == "core.pin.outside"]
    assert [x.params for x in outside] == [
        {
            "amount": "40000.00",
            "field": "pins[weifang.caring_employer_award]",
            "range": "10000.00..20000.00",
            "on": "2024-06-01",
        }
    ]
    assert re.fullmatch(
        r"the pinned amount 40,000 yuan \(pins\[weifang\.caring_employer_award\]\) is not .*20,000 yuan, the range "
        r"in force on 2024-06-01; it is not applied",
        outside[0].en,
    ), outside[0].en


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
    assert [(x.code, x.params) for x in a.explanation] == [
        (
            "core.designation.other_layer",
            {"designation": "hangzhou.puhui", "year": "2023", "owner": "hangzhou", "target": "xiamen"},
        )
    ]
    assert a.notes == (
        "designation hangzhou.puhui (2023) belongs to hangzhou, which is not a layer of xiamen; it is not applied",
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
    assert boundary.payer_names("nobody.union", tr.chain("xiamen")) == ("", "")
    assert boundary.payer_names("fujian.union", tr.chain("xiamen"))[0] == "福建省总工会"


# -- what a rule returns: the engine's boundary, message by message (mutation testing, issue 18) ---------------------
#
# scripts/mutation.sh (TESTS=jurisdictions) found the boundary's messages and branches unchecked by the rules' own
# tests: each case below names what is wrong, and a plain amount (whole yuan, or no upper bound) stays accepted.

GRANT_RANGE = tr.AmountRange.of("1000", "2000")


def _grant() -> tr.Program:
    return tr.get_policy("xiamen").program("xiamen.operating_subsidy")


def _forged(low: object, high: object = None, allowed: object = None) -> tr.AmountRange:
    """A range built around validation, as a careless rule could (model_construct checks nothing)."""
    return tr.AmountRange.model_construct(low=low, high=high, allowed=allowed)  # type: ignore[arg-type]


def _bad(outcome: object) -> str | None:
    return boundary.outcome_problem(outcome, _grant())


@pytest.mark.parametrize(
    ("outcome", "problem"),
    [
        (None, "returned None, not a tuoyu_rules.Outcome"),
        (1500.0, "returned a float, not a tuoyu_rules.Outcome"),
        (
            Outcome("maybe", GRANT_RANGE, ("r",)),  # type: ignore[arg-type]
            "returned the status 'maybe', not one of eligible, ineligible, undetermined",
        ),
        (
            Outcome("eligible", 1500.0, ("r",)),  # type: ignore[arg-type]
            "returned an amount that is a float, not a tuoyu_rules.AmountRange",
        ),
        (
            Outcome("eligible", _forged(1500.0, 1500.0), ("r",)),
            "returned an amount whose low is a float (1500.0), not a Decimal: amounts are exact (AmountRange.of)",
        ),
        (
            Outcome("eligible", _forged(Decimal("1.00"), Decimal("1.005")), ("r",)),
            "returned an amount whose high 1.005 is not a whole number of fen",
        ),
        (
            Outcome("eligible", _forged(Decimal("1.00"), None, (Decimal("1.005"),)), ("r",)),
            "returned an amount whose allowed 1.005 is not a whole number of fen",
        ),
        (
            Outcome("eligible", _forged(Decimal("1.00"), Decimal("2.00"), (1.0,)), ("r",)),
            "returned an amount whose allowed is a float (1.0), not a Decimal: amounts are exact (AmountRange.of)",
        ),
        (
            Outcome("eligible", GRANT_RANGE, ["r"]),  # type: ignore[arg-type]
            "returned reasons that are not a tuple of messages (or str): list",
        ),
        (
            Outcome("eligible", GRANT_RANGE, (1,)),  # type: ignore[arg-type]
            "returned reasons that are not a tuple of messages (or str): tuple",
        ),
        (
            Outcome("undetermined", GRANT_RANGE, ("r",), (None,)),  # type: ignore[arg-type]
            "returned missing that are not a tuple of str: tuple",
        ),
        (
            Outcome("eligible", GRANT_RANGE, ("r",), payer=7),  # type: ignore[arg-type]
            "returned a payer that is a int, not a str",
        ),
        (
            Outcome("eligible", GRANT_RANGE, ("r",), basis="weekly"),  # type: ignore[arg-type]
            "returned the basis 'weekly', not one of one_time, per_year, per_month, per_child_month",
        ),
    ],
)
def test_each_bad_outcome_is_named_exactly(outcome: object, problem: str) -> None:
    assert _bad(outcome) == problem


@pytest.mark.parametrize(
    "outcome",
    [
        Outcome("eligible", GRANT_RANGE, ("r",)),
        Outcome("eligible", _forged(Decimal("1.00"), None), ("r",)),  # no upper bound: the high is not checked
        Outcome("eligible", GRANT_RANGE, ("r",), payer="xiamen.union", basis="per_year"),
        Outcome("undetermined", GRANT_RANGE, ("r",), ("enrolled",)),
        Outcome("eligible", GRANT_RANGE, (msg("xiamen.operating.accepted"), "r")),  # messages, or a plugin's str
    ],
)
def test_a_good_outcome_passes(outcome: Outcome) -> None:
    assert _bad(outcome) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (Decimal("-1.00"), "-1.00 is not an amount in [0, 1000000000000]"),
        (Decimal("NaN"), "NaN is not an amount in [0, 1000000000000]"),
        (Decimal("Infinity"), "Infinity is not an amount in [0, 1000000000000]"),
        (Decimal("1000000000000.01"), "1000000000000.01 is not an amount in [0, 1000000000000]"),
        (Decimal("1.005"), "1.005 is not a whole number of fen"),
        (Decimal("1000000000000.00"), None),  # the cap itself
        (Decimal("5"), None),  # whole yuan without decimals
        (Decimal("5.0"), None),
        (Decimal("1E+2"), None),
        (Decimal("0.00"), None),
    ],
)
def test_an_amount_of_the_library_is_exact_whole_fen_and_in_range(value: Decimal, problem: str | None) -> None:
    assert boundary.money_problem(value) == problem


def test_a_plugin_rule_error_names_the_plugin_and_the_rule() -> None:
    plugin = dataclasses.replace(tr.get_policy("xiamen"), id="plugville")
    error = boundary.rule_error(_grant(), plugin, "returned a float, not a tuoyu_rules.Outcome")
    assert type(error) is tr.PluginRuleError
    assert error.plugin == "plugville"
    assert str(error) == (
        "rule xiamen.operating_subsidy of jurisdiction plugin 'plugville' returned a float, not a tuoyu_rules.Outcome"
    )


def test_a_rule_returning_a_bad_outcome_is_stopped_at_the_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_rule(monkeypatch, lambda ctx: Outcome("eligible", _forged(1500.0, 1500.0), ("r",)))
    with pytest.raises(tr.PolicyDataError) as info:
        tr.assess(facility(), on=DAY)
    assert str(info.value) == (
        "rule xiamen.operating_subsidy of 'xiamen' returned an amount whose low is a float (1500.0), not a Decimal: "
        "amounts are exact (AmountRange.of)"
    )


# -- RuleContext: what a rule reads, and the errors it gets ---------------------------------------------------------


def _ctx(jid: str = "xiamen", program: str = "xiamen.operating_subsidy", **options: Any) -> RuleContext:
    policy = tr.get_policy(jid)
    return RuleContext(
        facility=facility(),
        on=DAY,
        program=policy.program(program),
        policy=policy,
        chain=tr.chain(jid),
        **options,
    )


@pytest.mark.parametrize(
    ("read", "name", "message"),
    [
        (
            "ratio",
            "xiamen.operating_subsidy.amount",
            "parameter 'xiamen.operating_subsidy.amount' is a range, not a ratio",
        ),
        (
            "count",
            "xiamen.operating_subsidy.amount",
            "parameter 'xiamen.operating_subsidy.amount' is a range, not a count",
        ),
        (
            "brackets",
            "xiamen.operating_subsidy.amount",
            "parameter 'xiamen.operating_subsidy.amount' is a range, not a bracket table",
        ),
        (
            "choice",
            "xiamen.operating_subsidy.amount",
            "parameter 'xiamen.operating_subsidy.amount' is a range, not a choice",
        ),
        (
            "range",
            "xiamen.construction_subsidy.min_first_intake",
            "parameter 'xiamen.construction_subsidy.min_first_intake' is a count, not a range",
        ),
    ],
)
def test_reading_a_parameter_as_another_kind_names_both(read: str, name: str, message: str) -> None:
    with pytest.raises(tr.PolicyDataError) as info:
        getattr(_ctx(), read)(name)
    assert str(info.value) == message


def test_an_unknown_parameter_and_citation_are_named_with_the_rule() -> None:
    ctx = _ctx()
    with pytest.raises(tr.PolicyDataError) as info:
        ctx.range("xiamen.no_such.amount")
    assert str(info.value) == "rule xiamen.operating_subsidy reads unknown parameter 'xiamen.no_such.amount'"
    with pytest.raises(tr.PolicyDataError) as info:
        ctx.citation("xiamen.no_such_citation")
    assert str(info.value) == "rule xiamen.operating_subsidy cites unknown citation 'xiamen.no_such_citation'"


def test_a_batch_keyed_range_is_read_for_its_batch() -> None:
    ctx = _ctx("cn", "cn.caring_employer_award")
    assert ctx.range("cn.caring_employer_award.amount", batch=2022) == tr.AmountRange.of("100000", "100000")
    assert ctx.ratio("cn.caring_employer_provincial_match.ratio", batch=2022) == ctx.last_ratio
    assert ctx.last_ratio is not None


@pytest.mark.parametrize(
    ("dates", "period"),
    [
        ({}, "what-if"),
        ({"start": "2024-01-01"}, "2024-01-01 to open"),
        ({"end": "2024-12-31"}, "… to 2024-12-31"),
        ({"start": "2024-01-01", "end": "2024-12-31"}, "2024-01-01 to 2024-12-31"),
    ],
)
def test_a_what_if_value_records_its_own_dates_or_says_what_if(dates: dict[str, str], period: str) -> None:
    reform = tr.Reform.of("r").set("xiamen.operating_subsidy.amount", kind="range", low="20000", high="30000", **dates)
    ctx = _ctx(reform=reform.build())
    assert ctx.range("xiamen.operating_subsidy.amount") == tr.AmountRange.of("20000", "30000")
    (use,) = [u for u in ctx._uses if u.name == "xiamen.operating_subsidy.amount"]
    assert use.what_if
    assert use.period == period


def test_a_what_if_value_dated_elsewhere_leaves_the_law() -> None:
    reform = tr.Reform.of("r").set(
        "xiamen.operating_subsidy.amount", kind="range", low="1", high="2", start="2030-01-01"
    )
    assert _ctx(reform=reform.build()).range("xiamen.operating_subsidy.amount") == tr.AmountRange.of("15000", "25000")


def _matched(jid: str, designation: str, year: int) -> tuple[RuleContext, tr.Entitlement]:
    f = facility(jid, tr.Designation(designation, year), self_built=True)
    grant = next(e for e in tr.assess(f, on=DAY).entitlements if e.status == "eligible" and e.program.startswith(jid))
    policy = tr.get_policy(jid)
    duty = next(p for p in policy.programs if p.kind == "obligation")
    ctx = RuleContext(facility=f, on=DAY, program=duty, policy=policy, chain=tr.chain(jid))
    return ctx, grant


def test_a_match_says_exactly_or_at_least_with_the_ratio_written_out() -> None:
    ctx, grant = _matched("weifang", "weifang.caring_employer", 2023)
    exact = ctx.match(grant, dataclasses.replace(_ratio(), value=Decimal("1"), exact=True))
    assert exact.reasons[0] == msg(
        "core.match.exact", ratio="1", program=grant.program, amount=grant.amount, payer=ctx.payer
    )
    assert exact.amount == grant.amount
    minimum = ctx.match(grant, dataclasses.replace(_ratio(), value=Decimal("0.0000001"), exact=False))
    assert minimum.reasons[0] == msg(
        "core.match.at_least", ratio="0.0000001", program=grant.program, amount=grant.amount, payer=ctx.payer
    )
    assert minimum.amount.high is None
    assert minimum.amount.allowed is None


def test_a_match_of_an_undetermined_grant_is_undetermined_with_the_grant_s_missing_facts() -> None:
    ctx, grant = _matched("weifang", "weifang.caring_employer", 2023)
    open_grant = grant.model_copy(update={"status": "undetermined", "missing": ("designations[x].amount",)})
    outcome = ctx.match(open_grant, dataclasses.replace(_ratio(), value=Decimal("1"), exact=True))
    assert outcome.status == "undetermined"
    assert outcome.reasons[-1] == msg("core.match.grant_undetermined", program=grant.program)
    assert outcome.missing == ("designations[x].amount",)


def test_a_scaled_amount_above_the_cap_names_the_programme_and_what_was_scaled() -> None:
    ctx, _ = _matched("weifang", "weifang.caring_employer", 2023)
    with pytest.raises(tr.MoneyError) as info:
        ctx.scale(tr.AmountRange.of("1000000000000", "1000000000000"), Decimal("2"), "matching amount")
    assert info.value.field == "weifang.county_match matching amount"
    assert info.value.problem
    assert str(info.value).startswith("weifang.county_match matching amount: ")


def _ratio() -> Any:
    ctx = _ctx("weifang", "weifang.county_match")
    return ctx.ratio("weifang.county_match.ratio")


def test_an_amount_not_stated_for_a_programme_without_designation_asks_for_its_pin() -> None:
    """A plugin's programme with no designation: the missing fact is the pin, not a designation's amount."""
    outcome = _ctx().not_stated("no amount is stated")
    assert outcome.status == "undetermined"
    assert outcome.missing == ("pins[xiamen.operating_subsidy]",)


def test_a_matching_rule_that_reads_no_ratio_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    weifang = tr.get_policy("weifang")
    programs = tuple(
        dataclasses.replace(p, rule=lambda ctx: Outcome("eligible", GRANT_RANGE, ("r",)))
        if p.id == "weifang.county_match"
        else p
        for p in weifang.programs
    )
    layers = (dataclasses.replace(weifang, programs=programs), *tr.chain("weifang")[1:])
    monkeypatch.setattr(engine, "resolve_chain", lambda jid: layers)
    f = facility("weifang", tr.Designation("weifang.caring_employer", 2023), self_built=True)
    with pytest.raises(tr.PolicyDataError) as info:
        tr.assess(f, on=DAY)
    assert str(info.value).startswith("obligation rule weifang.county_match read no ratio; a matching duty needs one")
