"""Siming district (思明区) edge cases: each unmet condition named, the missing facts listed in order, the
monthly and quarterly totals, and the "no amount in force" branch.

Xiamen Daily 2022-04-14 (official): 100 yuan per child per month for employees' children aged 0-3 at a filed
(备案) facility, paid quarterly; the employer must have a union that pays its dues (工会经费).

A reason is checked by its code and the parameters it states (the texts live in ``siming.toml``'s
``[messages]``). The programme id is read from the module, so a renamed id does not break the checks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.jurisdictions import siming

DAY = dt.date(2024, 6, 1)
ALLOWANCE = siming.ALLOWANCE
MET: dict[str, Any] = {"filed": True, "union_dues_paid": True, "staff_children": 7}


def allowance(reform: tr.Reform | None = None, **facts: Any) -> tr.Entitlement:
    f = tr.Facility.model_validate(
        {"jurisdiction": "siming", "mode": "self_run", "places": 30, "enrolled": 20, **facts}
    )
    return tr.assess(f, on=DAY, reform=reform).entitlement(ALLOWANCE)


def stated(e: tr.Entitlement, code: str, **params: str) -> None:
    """One reason has ``code`` and states ``params`` (strings, as the explanation holds them)."""
    found = [x.params for x in e.explanation if x.code == code]
    assert any(params.items() <= p.items() for p in found), f"no {code} with {params}: {e.explanation}"


def test_all_met_gives_100_a_child_month_with_the_monthly_and_quarterly_totals() -> None:
    e = allowance(**MET)
    assert (e.status, e.amount, e.missing) == ("eligible", tr.AmountRange.exactly(Decimal("100")), ())
    assert e.basis == "per_child_month"
    assert len(e.reasons) == 2
    stated(e, "siming.allowance.rate", amount="100.00..100.00")
    stated(e, "siming.allowance.totals", children="7", monthly="700.00..700.00", quarterly="2100.00..2100.00")
    assert e.reasons == (
        "100 yuan per employee's child (0-3) per month, paid quarterly",
        "7 employees' children: 700 yuan a month, 2,100 yuan a quarter",
    )


def test_one_child_gets_three_months_a_quarter() -> None:
    e = allowance(**{**MET, "staff_children": 1})
    stated(e, "siming.allowance.totals", children="1", monthly="100.00..100.00", quarterly="300.00..300.00")
    assert e.reasons[1] == "1 employee's child: 100 yuan a month, 300 yuan a quarter"


@pytest.mark.parametrize(
    ("facts", "unmet"),
    [
        ({"filed": False}, ["siming.allowance.not_filed"]),  # the facility is not filed (备案)
        ({"union_dues_paid": False}, ["siming.allowance.no_union_dues"]),  # no union paying its dues (工会经费)
        ({"staff_children": 0}, ["siming.allowance.no_staff_children"]),
        (
            {"filed": False, "union_dues_paid": False, "staff_children": 0},
            ["siming.allowance.not_filed", "siming.allowance.no_union_dues", "siming.allowance.no_staff_children"],
        ),
    ],
)
def test_each_unmet_condition_is_named(facts: dict[str, Any], unmet: list[str]) -> None:
    e = allowance(**{**MET, **facts})
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    # The head, then one reason per condition not met, in order.
    assert [x.code for x in e.explanation] == ["siming.allowance.conditions_unmet", *unmet]


def test_unsupplied_facts_are_listed_in_order_and_do_not_change_the_status() -> None:
    e = allowance()
    assert (e.status, e.amount) == ("eligible", tr.AmountRange.exactly(Decimal("100")))
    assert e.missing == ("filed", "union_dues_paid", "staff_children")
    stated(e, "siming.allowance.children_missing", field="staff_children")
    stated(e, "siming.allowance.conditions_missing", fields="filed,union_dues_paid,staff_children")


def test_without_an_amount_in_force_it_is_ineligible() -> None:
    reform = tr.Reform.of("no-allowance").set(f"{ALLOWANCE}.amount", kind="not_stated").build()
    e = allowance(reform, **MET)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, "siming.allowance.no_amount", on="2024-06-01")


def test_a_what_if_rate_with_fen_is_scaled_exactly() -> None:
    """A what-if rate of 33.33 a month: 3 children make 99.99 a month and 299.97 a quarter (no rounding)."""
    reform = tr.Reform.of("odd").set(f"{ALLOWANCE}.amount", kind="range", low="33.33", high="33.33").build()
    e = allowance(reform, **{**MET, "staff_children": 3})
    stated(e, "siming.allowance.rate", amount="33.33..33.33")
    stated(e, "siming.allowance.totals", children="3", monthly="99.99..99.99", quarterly="299.97..299.97")
    assert e.reasons[1] == "3 employees' children: 99.99 yuan a month, 299.97 yuan a quarter"
