"""Hangzhou edge cases: the reading of 每月300~900元 (per child or per facility), the successor measure's
reasons, a gap in the data, the designation-year boundary, and what each reason states.

Seed 000: "对认定为普惠机构的嵌入式托育机构给予每月300~900元不等补助" and "对于入选市示范用人单位嵌入式
托育机构的,可获5万~15万元一次性奖补资金"; 杭卫发〔2022〕68号 (filing 备案 and recognition by the district
bureau); the successor measure 2026-02-01 to 2029-01-31 (amounts not published).

A reason is matched against a pattern that pins the facts it must state (the Chinese term, the document
number, the reading, the figures) at its start and end. The reading of the monthly amount is a ``choice``
parameter: a reform selects ``per_month`` (per facility) or removes it (the default, per child, applies).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.core.context import RuleContext
from tuoyu_rules.core.messages import msg
from tuoyu_rules.core.parameters import Parameter
from tuoyu_rules.jurisdictions import hangzhou

ON = dt.date(2024, 6, 1)
SUCCESSOR_DAY = dt.date(2026, 6, 1)
PUHUI = "hangzhou.puhui_subsidy"
DEMO = "hangzhou.demonstration_award"
DEFAULT_READING = (
    r"the amount is per enrolled child per month \(the documented default reading: the seed says 每月300~900元 "
    r"without saying per what\); the entry's total is the amount times the enrolled children"
)  # issue 13: the entry now carries the count (children) and the monthly total; it used to say "not multiplied"
FACILITY_READING = (
    r"the amount is read as per facility per month \(an alternative reading chosen by the caller: the seed says "
    r"每月300~900元 without saying per what\)"
)
FILED_YES = r"filed \(备案\): yes, as 杭卫发〔2022〕68号 requires"
FILED_UNKNOWN = (
    r"filed \(备案\) not supplied: 杭卫发〔2022〕68号 requires a filed facility; it does not change the seed's "
    r"status, and is listed in missing"
)


def facility(*designations: tr.Designation, **extra: Any) -> tr.Facility:
    data: dict[str, Any] = {"jurisdiction": "hangzhou", "mode": "third_party", "embedded": True, "places": 60}
    return tr.Facility(**{**data, "enrolled": 20, **extra}, designations=designations)


def puhui(year: int = 2023) -> tr.Designation:
    return tr.Designation("hangzhou.puhui", year)


def entry(program: str, f: tr.Facility, on: dt.date = ON, reform: tr.Reform | None = None) -> tr.Entitlement:
    return tr.assess(f, on=on, reform=reform).entitlement(program)


def reading(**value: Any) -> tr.Reform:
    return tr.Reform.of("reading").set(f"{PUHUI}.basis", **value).build()


PER_FACILITY = {"kind": "choice", "choice": "per_month", "options": ["per_child_month", "per_month"]}


def stated(e: tr.Entitlement, pattern: str) -> None:
    """One reason matches ``pattern`` from its first character to its last."""
    assert any(re.fullmatch(pattern, r) for r in e.reasons), f"no reason matches {pattern!r}: {e.reasons}"


# -- 普惠 subsidy ------------------------------------------------------------------------------------------


def test_not_recognised_names_普惠机构_and_the_designation() -> None:
    e = entry(PUHUI, facility())
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, r"not recognised as a 普惠 facility \(普惠机构\): no hangzhou\.puhui designation")


def test_not_embedded_names_嵌入式() -> None:
    e = entry(PUHUI, facility(puhui(), embedded=False))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    assert len(e.reasons) == 1
    stated(e, r"not an embedded \(嵌入式\) facility: the subsidy is for embedded facilities recognised as 普惠")


def test_not_filed_names_备案_and_the_document() -> None:
    e = entry(PUHUI, facility(puhui(), filed=False))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(
        e,
        r"the facility is not filed \(备案\): 杭卫发〔2022〕68号 recognises as 普惠 only filed facilities, "
        r"recognised by the district health or education bureau",
    )


def test_filed_eligible_states_the_range_the_reading_and_the_filing() -> None:
    e = entry(PUHUI, facility(puhui(), filed=True))
    assert (e.status, e.amount, e.basis, e.missing) == (
        "eligible",
        tr.AmountRange.of("300", "900"),
        "per_child_month",
        (),
    )
    assert [x.code for x in e.explanation] == [
        "hangzhou.puhui.eligible_per_child",
        "hangzhou.puhui.rate_until",
        "hangzhou.puhui.reading_per_child",
        "hangzhou.puhui.filed",
    ]
    stated(
        e,
        r"embedded facility recognised as 普惠 \(2023\): 300 to 900 yuan per child per month; "
        r"nothing published says who sets the rate inside the range",  # issue 13: "the bureau sets" was unsourced
    )
    stated(e, r"this rate is in force until 2026-01-31")
    stated(e, DEFAULT_READING)
    stated(e, FILED_YES)


def test_filing_not_supplied_is_stated_and_missing() -> None:
    e = entry(PUHUI, facility(puhui()))
    assert (e.status, e.missing) == ("eligible", ("filed",))
    stated(e, FILED_UNKNOWN)


def test_the_per_facility_reading_changes_the_basis_and_says_so() -> None:
    e = entry(PUHUI, facility(puhui(), filed=True), reform=reading(**PER_FACILITY))
    assert (e.status, e.amount, e.basis) == ("eligible", tr.AmountRange.of("300", "900"), "per_month")
    stated(e, FACILITY_READING)
    assert not any("per enrolled child per month" in r for r in e.reasons)


def test_without_a_stated_reading_the_default_is_per_child() -> None:
    e = entry(PUHUI, facility(puhui(), filed=True), reform=reading(kind="not_stated"))
    assert (e.status, e.basis) == ("eligible", "per_child_month")
    stated(e, DEFAULT_READING)


def test_the_successor_measure_states_what_it_depends_on_and_how_to_settle() -> None:
    e = entry(PUHUI, facility(puhui(), filed=True), SUCCESSOR_DAY)
    assert (e.status, e.basis) == ("undetermined", "per_child_month")
    assert e.missing == ("designations[hangzhou.puhui].amount",)
    assert len(e.reasons) == 4
    stated(
        e,
        r"embedded facility recognised as 普惠: from 2026-02-01 the successor measure applies \(2026-02-01 to "
        r"2029-01-31\); it sets the subsidy per child by age in months and quality grade, pays by days when a "
        r"child attends under 15 days in a month and adds a half-day rate, and its amounts are not published",
    )
    stated(
        e,
        r"give the monthly per-child rate as the hangzhou\.puhui designation's amount "
        r"\(or pins\[hangzhou\.puhui_subsidy\]\) to settle it",
    )
    stated(e, DEFAULT_READING)
    stated(e, FILED_YES)


def test_the_successor_measure_keeps_the_per_facility_reading() -> None:
    e = entry(PUHUI, facility(puhui()), SUCCESSOR_DAY, reform=reading(**PER_FACILITY))
    assert (e.status, e.basis) == ("undetermined", "per_month")
    assert e.missing == ("designations[hangzhou.puhui].amount", "filed")
    stated(e, FACILITY_READING)
    stated(e, FILED_UNKNOWN)


@pytest.mark.parametrize(("filed", "missing"), [(True, ("amount",)), (None, ("filed", "amount"))])
def test_a_day_without_any_amount_in_the_data_is_undetermined(filed: bool | None, missing: tuple[str, ...]) -> None:
    """Defensive: if the data had a gap (no value on the day while the programme is in force), the rule says
    so and lists the amount as missing, instead of inventing one."""
    policy = tr.get_policy("hangzhou")
    name = f"{PUHUI}.amount"
    gap = dataclasses.replace(
        policy, parameters={**policy.parameters, name: Parameter(name=name, description="gap", values=())}
    )
    f = facility(puhui(), filed=filed)
    layers = tr.chain("hangzhou")
    ctx = RuleContext(facility=f, on=ON, program=gap.program(PUHUI), policy=gap, chain=(gap, *layers[1:]))
    outcome = hangzhou.puhui_subsidy(ctx)
    assert outcome.status == "undetermined"
    assert outcome.amount == tr.AmountRange.unknown()
    assert outcome.missing == missing
    assert outcome.reasons == (msg("hangzhou.puhui.no_amount", on=ON),)


# -- demonstration award ---------------------------------------------------------------------------------


def test_not_selected_names_the_title_and_the_designation() -> None:
    e = entry(DEMO, facility())
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(
        e,
        r"not selected as a city demonstration employer-embedded facility \(市示范用人单位嵌入式托育机构\): "
        r"no hangzhou\.demonstration designation",
    )


def test_selected_in_the_assessed_year_is_eligible() -> None:
    e = entry(DEMO, facility(tr.Designation("hangzhou.demonstration", ON.year)))
    assert (e.status, e.amount) == ("eligible", tr.AmountRange.of("50000", "150000"))
    assert len(e.reasons) == 1
    stated(
        e,
        r"selected as a city demonstration employer-embedded facility \(2024\): one-time award of 50,000 to "
        r"150,000 yuan; "
        r"reading: the granting body decides the sum inside the range \(the seed names neither the body nor how it "
        r"decides\)",  # issue 13: "the city decides" rested on no source
    )


def test_demonstration_without_an_amount_in_force_is_ineligible() -> None:
    reform = tr.Reform.of("no-award").set(f"{DEMO}.amount", kind="not_stated").build()
    e = entry(DEMO, facility(tr.Designation("hangzhou.demonstration", 2023)), reform=reform)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, r"no demonstration award amount is in force on 2024-06-01")
    assert e.explanation[0].code == "hangzhou.demonstration.no_amount"


def test_a_selected_facility_given_as_not_embedded_is_noted() -> None:
    e = entry(DEMO, facility(tr.Designation("hangzhou.demonstration", 2023), embedded=False))
    assert e.status == "eligible"
    stated(
        e,
        r"note: the selection is of embedded \(嵌入式\) facilities, .*it was selected, so it stays eligible: "
        r"check the input",
    )
