"""Weifang (潍坊市) edge cases: the designation-year boundary, the 三办一托 note, the county match's reason,
and the branches the bundled data never reaches (no award amount, no match ratio, no grant).

Seed 000: "开展潍坊市爱心托育用人单位评选活动,提供3万~5万元的专项补助资金,县级工会按1:1进行资金配套" and
the "三办一托" modes (self_run, third_party, park_shared, union_venue).

A reason is matched against a pattern that pins the facts it must state at its start and end.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

import tuoyu_rules as tr
from tuoyu_rules.core.context import RuleContext
from tuoyu_rules.jurisdictions import weifang

DAY = dt.date(2024, 6, 1)
AWARD = "weifang.caring_employer_award"
MATCH = "weifang.county_match"


def facility(mode: str = "self_run", year: int | None = 2023, amount: str | None = None) -> tr.Facility:
    designations = () if year is None else (tr.Designation("weifang.caring_employer", year, amount),)
    return tr.Facility(jurisdiction="weifang", mode=mode, places=30, enrolled=20, designations=designations)


def stated(reasons: tuple[str, ...], pattern: str) -> None:
    """One reason matches ``pattern`` from its first character to its last."""
    assert any(re.fullmatch(pattern, r) for r in reasons), f"no reason matches {pattern!r}: {reasons}"


def test_not_selected_names_the_title_and_the_designation() -> None:
    e = tr.assess(facility(year=None), on=DAY).entitlement(AWARD)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(
        e.reasons, r"not selected as a Weifang caring employer \(潍坊市爱心托育用人单位\): no weifang\.caring_employer"
    )


@pytest.mark.parametrize(("year", "status"), [(2024, "eligible"), (2025, "ineligible")])
def test_a_selection_of_the_assessed_year_counts(year: int, status: str) -> None:
    e = tr.assess(facility(year=year), on=DAY).entitlement(AWARD)
    assert e.status == status
    if status == "ineligible":
        stated(e.reasons, r"the designation weifang\.caring_employer is of 2025, after the day assessed \(2024-06-01\)")
        assert [x.code for x in e.explanation] == ["core.designation.after_day"]


def test_the_award_reason_gives_the_year_the_range_and_who_decides() -> None:
    e = tr.assess(facility(), on=DAY).entitlement(AWARD)
    assert (e.status, e.amount) == ("eligible", tr.AmountRange.of("30000", "50000"))
    assert [x.code for x in e.explanation] == ["weifang.award.selected", "weifang.award.mode_self_run"]
    stated(
        e.reasons,
        r"selected as a Weifang caring employer \(2023\): one-time special subsidy of 30,000 to 50,000 yuan; "
        r"reading: the union decides the sum inside the range \(the seed states the range, not who picks the sum\)",
    )  # issue 13: who decides is a reading, not the seed's words
    stated(e.reasons, r"mode self_run: 用人单位单独办 \(self-run\), one of the 三办一托 modes the city promotes")


def test_a_mode_outside_三办一托_is_noted_and_stays_eligible() -> None:
    e = tr.assess(facility("joint_run"), on=DAY).entitlement(AWARD)
    assert e.status == "eligible"
    stated(
        e.reasons,
        r"note: mode joint_run is not one of the 三办一托 modes the city promotes \(self_run, third_party, "
        r"park_shared, union_venue\); the seed does not restrict selection to them, and the unit was selected, so "
        r"it stays eligible",
    )
    assert e.explanation[-1].code == "weifang.award.mode_other_note"


def test_the_county_match_says_a_pinned_award_pins_it() -> None:
    a = tr.assess(facility(amount="40000"), on=DAY)
    m = a.obligation(MATCH)
    assert (m.status, m.amount, m.ratio, m.exact) == (
        "eligible",
        tr.AmountRange.exactly(Decimal("40000")),
        Decimal(1),
        True,
    )
    assert [x.code for x in m.explanation] == ["core.match.exact", "weifang.match.pinned_award"]
    stated(m.reasons, r"按1:1: a pinned city award pins the county match to the same sum")


def test_without_an_award_amount_in_force_it_is_ineligible_and_unmatched() -> None:
    reform = tr.Reform.of("no-award").set(f"{AWARD}.amount", kind="not_stated").build()
    a = tr.assess(facility(), on=DAY, reform=reform)
    e = a.entitlement(AWARD)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e.reasons, r"no award amount is in force on 2024-06-01")
    assert e.explanation[0].code == "weifang.award.no_amount"
    assert all(o.program != MATCH for o in a.obligations)


def test_without_a_match_ratio_in_force_there_is_no_match() -> None:
    reform = tr.Reform.of("no-match").set(f"{MATCH}.ratio", kind="not_stated").build()
    a = tr.assess(facility(), on=DAY, reform=reform)
    assert a.entitlement(AWARD).status == "eligible"
    assert all(o.program != MATCH for o in a.obligations)


def test_the_match_rule_without_a_grant_raises_no_obligation() -> None:
    policy = tr.get_policy("weifang")
    ctx = RuleContext(
        facility=facility(), on=DAY, program=policy.program(MATCH), policy=policy, chain=tr.chain("weifang")
    )
    assert weifang.county_match(ctx) is None
