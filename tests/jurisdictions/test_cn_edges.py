"""National layer (cn) edge cases: the batch boundaries, a batch without a note, a city with no province,
a what-if that removes one of the 2025 scheme's parameters, and what each reason states.

Seed 000: "以每个用人单位10万元的标准" and "省级工会进行不低于1:1的资金配套" (2022 batch); Guangming Daily
2024-04-04 (2023 batch, at least 150,000 jointly); Inner Mongolia Daily 2025-03-28 (2024 batch, per-unit
amount not stated); Economic Daily 2025-11-28 (2025 scheme: 10,000 per qualifying project since 2025).

A reason is read by its message code and parameters (the batch year, the designation id, the amount to the
fen), or, where the wording is the point, its rendered ``en`` or ``zh`` text is matched against a pattern that
pins the facts it must state (the Chinese term, the amount) at its start and end.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

import tuoyu_rules as tr
from tuoyu_rules.core.context import RuleContext
from tuoyu_rules.core.messages import Message, core_catalog
from tuoyu_rules.jurisdictions import cn

AWARD = "cn.caring_employer_award"
MATCH = "cn.caring_employer_provincial_match"
PROJECT = "cn.employer_childcare_project_2025"
DAY = dt.date(2025, 6, 1)


def facility(mode: str = "self_run", *designations: tr.Designation) -> tr.Facility:
    return tr.Facility(jurisdiction="xiamen", mode=mode, places=20, enrolled=10, designations=designations)


def award(year: int, on: dt.date = DAY, reform: tr.Reform | None = None) -> tr.Entitlement:
    f = facility("self_run", tr.Designation("cn.caring_employer", year))
    return tr.assess(f, on=on, reform=reform).entitlement(AWARD)


def project(year: int | None, mode: str = "self_run", reform: tr.Reform | None = None) -> tr.Entitlement:
    designations = () if year is None else (tr.Designation("cn.childcare_project", year),)
    return tr.assess(facility(mode, *designations), on=DAY, reform=reform).entitlement(PROJECT)


def stated(e: tr.Entitlement, pattern: str) -> None:
    """One reason matches ``pattern`` from its first character to its last."""
    assert any(re.fullmatch(pattern, r) for r in e.reasons), f"no reason matches {pattern!r}: {e.reasons}"


def said(e: tr.Entitlement) -> list[tuple[str, dict[str, str]]]:
    """What ``e`` says: each message's code and parameters, in order."""
    return [(x.code, x.params) for x in e.explanation]


# -- caring-employer award --------------------------------------------------------------------------------


def test_no_designation_names_the_title_and_the_designation_id() -> None:
    e = tr.assess(facility(), on=DAY).entitlement(AWARD)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, r"not designated a national caring employer \(全国爱心托育用人单位\): no cn\.caring_employer")


@pytest.mark.parametrize(("year", "status", "low"), [(2021, "ineligible", "0"), (2022, "eligible", "100000")])
def test_the_first_batch_is_2022(year: int, status: str, low: str) -> None:
    """Workers' Daily 2023-05-05: the 2022 list (April 2023) is the first: 2021 has no batch, 2022 is paid."""
    e = award(year)
    assert (e.status, e.amount.low) == (status, Decimal(low))
    if year == 2021:
        stated(e, r"there is no 2021 batch: the first list of national caring employers is the 2022 batch")


def test_a_batch_after_the_last_stated_one_is_not_stated() -> None:
    """No source gives a 2025 batch: undetermined (not ineligible), the caller may supply the amount."""
    e = award(2025, dt.date(2026, 6, 1))
    assert e.status == "undetermined"
    assert e.missing == ("designations[cn.caring_employer].amount",)
    stated(e, r"no source found states the per-unit award of the 2025 batch")


def test_the_2024_batch_reason_carries_its_note() -> None:
    """Inner Mongolia Daily 2025-03-28: 7.5 million in total for 125 units, per-unit amount not stated."""
    e = award(2024)
    assert e.status == "undetermined"
    assert [x.code for x in e.explanation] == ["cn.award.note_2024"]
    stated(e, r"2024 batch: ACFTU 7\.5 million in total for 125 units; per-unit amount not stated")
    assert e.explanation[0].zh == "2024年度：全国总工会为125家单位共安排750万元；每家单位金额未载明"


def test_a_not_stated_batch_without_a_note_says_so() -> None:
    reform = tr.Reform.of("2022-unknown").set(f"{AWARD}.amount", kind="not_stated", batch=2022).build()
    e = award(2022, reform=reform)
    assert e.status == "undetermined"
    assert e.amount == tr.AmountRange.unknown()
    assert [x.code for x in e.explanation] == ["cn.award.batch_not_stated", "core.what_if"]
    assert said(e)[0] == ("cn.award.batch_not_stated", {"year": "2022"})


def test_a_batch_note_is_a_reason_of_its_own_naming_the_province() -> None:
    """Guangming Daily 2024-04-04: the ACFTU and the provincial union together give at least 150,000; for a
    Xiamen unit the provincial union is Fujian's."""
    e = award(2023)
    assert e.status == "eligible"
    assert len(e.reasons) == 2
    assert said(e) == [
        ("cn.award.batch", {"year": "2023", "amount": "150000.00.."}),
        ("cn.award.note_2023", {"union": "fujian.union"}),
    ]
    stated(e, r"2023 batch of national caring employers: at least 150,000 yuan per unit")
    note = e.explanation[1]
    assert "150,000" in note.en
    assert "fujian.union" in note.en
    assert "福建省总工会" in note.zh
    assert "{" not in note.en + note.zh


def test_a_batch_note_without_a_province_layer_leaves_no_placeholder() -> None:
    """A city directly under cn (allowed by the registry) has no provincial union to name."""
    national = tr.get_policy("cn")
    f = facility("self_run", tr.Designation("cn.caring_employer", 2023))
    ctx = RuleContext(
        facility=f, on=DAY, program=national.program(AWARD), policy=national, chain=(tr.get_policy("xiamen"), national)
    )
    outcome = cn.caring_employer_award(ctx)
    assert outcome.status == "eligible"
    messages = [m for m in outcome.reasons if isinstance(m, Message)]
    assert len(messages) == len(outcome.reasons)
    # the batch's note would name the provincial union: it is left out, and no_province says why the joint sum is
    # listed under the ACFTU alone
    assert [m.code for m in messages] == ["cn.award.batch", "cn.award.no_province"]
    catalog = core_catalog().with_layers([x.messages for x in ctx.chain], [x.terms for x in ctx.chain])
    texts = [catalog.explain(m) for m in messages]
    assert all("{" not in x.en + x.zh and "fujian" not in x.en and "福建" not in x.zh for x in texts)
    assert "150,000" in texts[0].en
    assert "cannot be named" in texts[1].en


@pytest.mark.parametrize(
    ("year", "on", "status"), [(2024, dt.date(2024, 1, 1), "undetermined"), (2025, DAY, "undetermined")]
)
def test_a_designation_of_the_assessed_year_counts(year: int, on: dt.date, status: str) -> None:
    assert award(year, on).status == status


def test_a_designation_after_the_day_names_the_batch_and_the_day() -> None:
    e = award(2023, dt.date(2022, 12, 31))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    assert said(e)[0] == (
        "core.designation.after_day",
        {"designation": "cn.caring_employer", "year": "2023", "on": "2022-12-31"},
    )
    stated(e, r"the designation cn\.caring_employer is of 2023, after the day assessed \(2022-12-31\)")


# -- provincial match -------------------------------------------------------------------------------------


def test_a_city_directly_under_the_nation_has_no_provincial_match() -> None:
    """The registry allows a city directly under cn (a plugin's, say): there is no provincial union to pay
    "省级工会进行不低于1:1的资金配套", so the rule raises no obligation."""
    national = tr.get_policy("cn")
    city = tr.get_policy("xiamen")
    f = facility("self_run", tr.Designation("cn.caring_employer", 2022))
    grant = tr.assess(f, on=DAY).entitlement(AWARD)
    ctx = RuleContext(
        facility=f,
        on=DAY,
        program=national.program(MATCH),
        policy=national,
        chain=(city, national),
        entitlements={AWARD: grant},
    )
    assert cn.caring_employer_provincial_match(ctx) is None
    with_province = RuleContext(
        facility=f,
        on=DAY,
        program=national.program(MATCH),
        policy=national,
        chain=tr.chain("xiamen"),
        entitlements={AWARD: grant},
    )
    outcome = cn.caring_employer_provincial_match(with_province)
    assert outcome is not None
    assert outcome.amount.low == Decimal("100000")
    assert outcome.amount.high is None


# -- 2025 project scheme ----------------------------------------------------------------------------------


def test_no_project_names_the_designation_and_the_托幼一体_conversion() -> None:
    e = project(None)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(
        e,
        r"no qualifying project stated \(cn\.childcare_project\): .*a new build, a 托幼一体 conversion or an "
        r"expansion since 2025, mainly serving the unit's own employees",
    )


@pytest.mark.parametrize("removed", ["amount", "first_year"])
def test_either_parameter_missing_leaves_no_amount_in_force(removed: str) -> None:
    reform = tr.Reform.of("no-scheme").set(f"{PROJECT}.{removed}", kind="not_stated").build()
    e = project(2025, reform=reform)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, r"no amount of the 2025 project scheme is in force on 2025-06-01")


def test_a_park_project_says_it_counts_as_an_employer_project() -> None:
    e = project(2025, "park_shared")
    assert (e.status, e.amount) == ("eligible", tr.AmountRange.exactly(Decimal("10000")))
    assert said(e) == [
        ("cn.project.eligible", {"year": "2025", "amount": "10000.00..10000.00"}),
        ("cn.project.park", {}),
    ]
    stated(e, r"qualifying 2025 project under the 2025 scheme: 10,000 yuan per project \(one-time\)")
    stated(e, r"an industrial-park project counts as an employer project")
    assert len(project(2025).reasons) == 1
