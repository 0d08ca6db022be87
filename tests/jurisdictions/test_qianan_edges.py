"""Qian'an (迁安市) edge cases: the designation-year boundary, the ceiling stated in the reason, and the
"no amount in force" branch.

Seed 001: "对爱心托育单位给予最高不超过7万元/家的资金补贴" (0 to 70,000 once, the granting body decides).

A reason is matched against a pattern that pins the facts it must state at its start and end.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

import tuoyu_rules as tr

DAY = dt.date(2024, 6, 1)
SUBSIDY = "qianan.caring_unit_subsidy"


def subsidy(year: int | None = 2023, reform: tr.Reform | None = None) -> tr.Entitlement:
    designations = () if year is None else (tr.Designation("qianan.caring_unit", year),)
    f = tr.Facility(jurisdiction="qianan", mode="joint_run", places=30, enrolled=20, designations=designations)
    return tr.assess(f, on=DAY, reform=reform).entitlement(SUBSIDY)


def amount(**value: str) -> tr.Reform:
    return tr.Reform.of("what-if").set(f"{SUBSIDY}.amount", **value).build()


def stated(e: tr.Entitlement, pattern: str) -> None:
    """One reason matches ``pattern`` from its first character to its last."""
    assert any(re.fullmatch(pattern, r) for r in e.reasons), f"no reason matches {pattern!r}: {e.reasons}"


def test_not_designated_names_爱心托育单位_and_the_designation() -> None:
    e = subsidy(None)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, r"not designated a Qian'an caring unit \(爱心托育单位\): no qianan\.caring_unit")


@pytest.mark.parametrize(("year", "status"), [(2024, "eligible"), (2025, "ineligible")])
def test_a_designation_of_the_assessed_year_counts(year: int, status: str) -> None:
    e = subsidy(year)
    assert e.status == status
    if status == "ineligible":
        stated(e, r"the designation qianan\.caring_unit is of 2025, after the day assessed \(2024-06-01\)")
        assert [x.code for x in e.explanation] == ["core.designation.after_day"]


def test_the_reason_states_the_ceiling_and_who_decides() -> None:
    e = subsidy()
    assert (e.status, e.amount) == ("eligible", tr.AmountRange.of("0", "70000"))
    assert [x.code for x in e.explanation] == ["qianan.caring_unit.up_to"]
    stated(
        e,
        r"designated a Qian'an caring unit \(2023\): one-time subsidy of at most 70,000 yuan \(最高不超过.*/家\); "
        r"reading: the granting body decides the amount \(the source states the ceiling only\)",  # issue 13
    )


def test_without_an_amount_in_force_it_is_ineligible() -> None:
    e = subsidy(reform=amount(kind="not_stated"))
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, r"no caring-unit subsidy amount is in force on 2024-06-01")
    assert e.explanation[0].code == "qianan.caring_unit.no_amount"


@pytest.mark.parametrize(
    ("low", "high", "code", "says"),
    [
        ("0", "80000", "qianan.caring_unit.up_to", r"at most 80,000 yuan"),
        ("10000", "70000", "qianan.caring_unit.designated", r"10,000 to 70,000 yuan"),
        ("0", None, "qianan.caring_unit.designated", r"an amount not stated"),
    ],
)
def test_a_what_if_range_is_stated_as_a_ceiling_only_from_zero(
    low: str, high: str | None, code: str, says: str
) -> None:
    value = {"kind": "range", "low": low} if high is None else {"kind": "range", "low": low, "high": high}
    e = subsidy(reform=amount(**value))
    assert e.status == "eligible"
    assert e.explanation[0].code == code
    stated(e, r"designated a Qian'an caring unit \(2023\): one-time subsidy of " + says + r" .*")
