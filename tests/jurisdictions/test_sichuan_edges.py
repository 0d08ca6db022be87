"""Sichuan (四川省) edge cases: the 普惠 subsidy's conditions named one by one, the monthly total, the missing
facts, and the "no amount in force" branch.

四川省普惠托育服务机构认定及补助管理办法（试行）(via Ya'an Daily, official): 200 yuan per full-day enrolled
child per month for a facility recognised as 普惠 at county level and filed (备案); in force 2025-08-30 for
2 years.

A reason is checked by its code and the parameters it states (the texts live in ``sichuan.toml``'s
``[messages]``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

import tuoyu_rules as tr

DAY = dt.date(2026, 1, 1)
PUHUI = "sichuan.puhui_subsidy"


def subsidy(year: int | None = 2025, reform: tr.Reform | None = None, **facts: Any) -> tr.Entitlement:
    designations = () if year is None else (tr.Designation("sichuan.puhui", year),)
    data: dict[str, Any] = {"jurisdiction": "chengdu", "mode": "self_run", "places": 30, "enrolled": 20}
    f = tr.Facility.model_validate({**data, **facts, "designations": designations})
    return tr.assess(f, on=DAY, reform=reform).entitlement(PUHUI)


def stated(e: tr.Entitlement, code: str, **params: str) -> None:
    """One reason has ``code`` and states ``params`` (strings, as the explanation holds them)."""
    found = [x.params for x in e.explanation if x.code == code]
    assert any(params.items() <= p.items() for p in found), f"no {code} with {params}: {e.explanation}"


def test_no_recognition_names_普惠_and_the_designation() -> None:
    e = subsidy(None)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, "sichuan.puhui.not_recognised", designation="sichuan.puhui")
    assert e.reasons == ("not recognised as a 普惠 childcare facility at county level: no sichuan.puhui designation",)


def test_without_an_amount_in_force_it_is_ineligible() -> None:
    reform = tr.Reform.of("no-subsidy").set(f"{PUHUI}.amount", kind="not_stated").build()
    e = subsidy(reform=reform, filed=True, full_day_enrolled=5)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, "sichuan.puhui.no_amount", on="2026-01-01")


def test_not_filed_names_备案() -> None:
    e = subsidy(filed=False, full_day_enrolled=5)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, "sichuan.puhui.not_filed")  # the facility is not filed (备案)
    assert "备案" in e.reasons[0]


def test_no_full_day_child_names_全日托() -> None:
    e = subsidy(filed=True, full_day_enrolled=0)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, "sichuan.puhui.no_full_day")  # no child is enrolled full-day (全日托)
    assert "全日托" in e.reasons[0]


@pytest.mark.parametrize(("children", "monthly"), [(1, "200.00"), (7, "1400.00")])
def test_the_monthly_total_is_the_rate_times_full_day_children(children: int, monthly: str) -> None:
    # The kindergarten facts (雅安日报, issue 13) are given: nothing is missing.
    e = subsidy(filed=True, full_day_enrolled=children, mixed_with_preschool=False, preschool_subsidy=False)
    # Issue 13 (China Daily 2025-08-22, secondary): this entry is the provincial half, 100 of the 200; its first
    # reason says so, and the whole's reasons follow (it was the whole 200, with two reasons).
    assert (e.status, e.amount, e.missing) == ("eligible", tr.AmountRange.exactly(Decimal("100")), ())
    assert len(e.reasons) == 3
    assert [x.code for x in e.explanation] == [
        "sichuan.puhui.provincial_share",
        "sichuan.puhui.recognised",
        "sichuan.puhui.monthly",
    ]
    stated(e, "sichuan.puhui.provincial_share", ratio="0.5", share="100.00..100.00", whole="200.00..200.00")
    assert "(China Daily 2025-08-22, an English report: secondary)" in e.reasons[0]
    stated(e, "sichuan.puhui.recognised", year="2025", amount="200.00..200.00", start="2025-08-30", end="2027-08-29")
    stated(e, "sichuan.puhui.monthly", children=str(children), monthly=f"{monthly}..{monthly}")


def test_unsupplied_facts_are_listed_and_explained() -> None:
    e = subsidy()
    # Issue 13: the provincial half of the 200 (China Daily 2025-08-22); it was the whole 200.
    assert (e.status, e.amount) == ("eligible", tr.AmountRange.exactly(Decimal("100")))
    # Issue 13: 雅安日报's exclusion adds two facts, listed when not supplied without changing the status.
    assert e.missing == ("full_day_enrolled", "mixed_with_preschool", "preschool_subsidy", "filed")
    stated(e, "sichuan.puhui.exclusion_missing", fields="mixed_with_preschool,preschool_subsidy")
    stated(e, "sichuan.puhui.full_day_missing", field="full_day_enrolled")
    stated(e, "sichuan.puhui.filed_missing")  # filing (备案) not supplied
