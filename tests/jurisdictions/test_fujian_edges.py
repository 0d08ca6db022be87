"""Fujian (福建省) edge cases: the purchased-places tiers at their boundaries, each parameter missing in turn,
the designation-year boundary of the provincial caring-employer award, and what each reason states.

Fuzhou Daily 2024-01-11 (official): an employer that buys places gets, once, at most 15,000 for 5-9
employees' children and at most 30,000 for 10 or more; People's Daily 2022-04-26: a provincial caring
employer gets at most 100,000.

A reason is checked by its code and the parameters it states (the counts, the tier bounds, the ceiling); the
texts themselves live in the catalog (``fujian.toml``'s ``[messages]``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import tuoyu_rules as tr

DAY = dt.date(2024, 6, 1)
PURCHASED = "fujian.purchased_places_subsidy"
CARING = "fujian.caring_employer_award"


def places(staff_children: int | None, reform: tr.Reform | None = None) -> tr.Entitlement:
    f = tr.Facility(
        jurisdiction="xiamen", mode="purchased_places", places=30, enrolled=20, staff_children=staff_children
    )
    return tr.assess(f, on=DAY, reform=reform).entitlement(PURCHASED)


def caring(year: int | None, reform: tr.Reform | None = None) -> tr.Entitlement:
    designations = () if year is None else (tr.Designation("fujian.caring_employer", year),)
    f = tr.Facility(jurisdiction="xiamen", mode="self_run", places=30, enrolled=20, designations=designations)
    return tr.assess(f, on=DAY, reform=reform).entitlement(CARING)


def stated(e: tr.Entitlement, code: str, **params: str) -> None:
    """One reason has ``code`` and states ``params`` (strings, as the explanation holds them)."""
    found = [x.params for x in e.explanation if x.code == code]
    assert any(params.items() <= p.items() for p in found), f"no {code} with {params}: {e.explanation}"


# -- purchased places --------------------------------------------------------------------------------------


@pytest.mark.parametrize("parameter", ["min_children", "upper_tier_from", "lower_tier", "upper_tier"])
@pytest.mark.parametrize("staff_children", [None, 7, 12])
def test_any_one_parameter_missing_leaves_no_subsidy(parameter: str, staff_children: int | None) -> None:
    reform = tr.Reform.of("gap").set(f"{PURCHASED}.{parameter}", kind="not_stated").build()
    e = places(staff_children, reform)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, "fujian.purchased.no_amount", on="2024-06-01")


def test_unknown_children_span_both_tiers_and_name_the_bounds() -> None:
    e = places(None)
    assert e.status == "undetermined"
    assert (e.amount.low, e.amount.high, e.amount.allowed) == (Decimal("0"), Decimal("30000"), None)
    assert e.missing == ("staff_children",)
    stated(
        e,
        "fujian.purchased.children_missing",
        minimum="5",
        below="9",
        upper_from="10",
        lower="15000.00",
        upper="30000.00",
        field="staff_children",
    )


@pytest.mark.parametrize(
    ("children", "status", "high", "code", "params"),
    [
        (4, "ineligible", "0", "fujian.purchased.too_few", {"minimum": "5"}),
        (5, "eligible", "15000", "fujian.purchased.lower_tier", {"below": "9", "ceiling": "15000.00"}),
        (9, "eligible", "15000", "fujian.purchased.lower_tier", {"below": "9", "ceiling": "15000.00"}),
        (10, "eligible", "30000", "fujian.purchased.upper_tier", {"upper_from": "10", "ceiling": "30000.00"}),
    ],
)
def test_the_tier_boundaries(children: int, status: str, high: str, code: str, params: dict[str, str]) -> None:
    e = places(children)
    assert (e.status, e.amount.high) == (status, Decimal(high))
    assert e.amount.low == Decimal("0")
    assert len(e.reasons) == 1
    stated(e, code, children=str(children), **params)


def test_another_mode_is_named() -> None:
    f = tr.Facility(jurisdiction="xiamen", mode="joint_run", places=30, enrolled=20, staff_children=12)
    e = tr.assess(f, on=DAY).entitlement(PURCHASED)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, "fujian.purchased.not_purchased_places", mode="joint_run")
    assert "购买托位" in e.reasons[0]


# -- provincial caring employer -----------------------------------------------------------------------------


def test_no_designation_names_the_designation() -> None:
    e = caring(None)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, "fujian.caring.not_designated", designation="fujian.caring_employer")
    assert "fujian.caring_employer" in e.reasons[0]


@pytest.mark.parametrize(("year", "status"), [(2024, "eligible"), (2025, "ineligible")])
def test_a_designation_of_the_assessed_year_counts(year: int, status: str) -> None:
    e = caring(year)
    assert e.status == status
    if status == "eligible":
        assert (e.amount.low, e.amount.high) == (Decimal("0"), Decimal("100000"))
        stated(e, "fujian.caring.eligible", year="2024", ceiling="100000.00")
        # issue 13: who decides inside the ceiling is a reading, and says so
        assert "reading: the union decides the sum (最高: the source states the ceiling only)" in e.reasons[0]
    else:
        stated(e, "core.designation.after_day", designation="fujian.caring_employer", year="2025", on="2024-06-01")


def test_without_an_award_in_force_it_is_ineligible() -> None:
    reform = tr.Reform.of("no-award").set(f"{CARING}.amount", kind="not_stated").build()
    e = caring(2023, reform)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, "fujian.caring.no_amount", on="2024-06-01")
