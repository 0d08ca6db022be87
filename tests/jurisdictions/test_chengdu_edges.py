"""Chengdu edge cases: the designation-year boundary, registration and filing (登记、备案) named one by one,
and what each reason of the undetermined demonstration subsidy states.

Seed 003: "市总工会和市卫健委将给予示范点位一定的专项经费补助" (no amount stated) and "托育机构要严格按要求
完成登记、备案".

A reason is matched against a pattern that pins the facts it must state at its start and end.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

import tuoyu_rules as tr

DAY = dt.date(2024, 6, 1)
DEMO = "chengdu.demonstration_subsidy"
FIELD = "designations[chengdu.demonstration_site].amount"


def subsidy(year: int | None = 2023, on: dt.date = DAY, **facts: Any) -> tr.Entitlement:
    designations = () if year is None else (tr.Designation("chengdu.demonstration_site", year),)
    f = tr.Facility(jurisdiction="chengdu", mode="self_run", places=30, enrolled=20, designations=designations, **facts)
    return tr.assess(f, on=on).entitlement(DEMO)


def stated(e: tr.Entitlement, pattern: str) -> None:
    """One reason matches ``pattern`` from its first character to its last."""
    assert any(re.fullmatch(pattern, r) for r in e.reasons), f"no reason matches {pattern!r}: {e.reasons}"


def test_no_designation_names_the_site_and_the_designation() -> None:
    e = subsidy(None)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    stated(e, r"not a city-level demonstration site \(市级爱心托育示范点\): no chengdu\.demonstration_site designation")


@pytest.mark.parametrize(("year", "status"), [(2024, "undetermined"), (2025, "ineligible")])
def test_a_designation_of_the_assessed_year_counts(year: int, status: str) -> None:
    e = subsidy(year, registered=True, filed=True)
    assert e.status == status
    if status == "ineligible":
        stated(e, r"the designation chengdu\.demonstration_site is of 2025, after the day assessed \(2024-06-01\)")
        assert [x.code for x in e.explanation] == ["core.designation.after_day"]


@pytest.mark.parametrize(
    ("facts", "failed"),
    [
        ({"registered": False, "filed": True}, ("not_registered",)),
        ({"registered": True, "filed": False}, ("not_filed",)),
        ({"registered": False, "filed": False}, ("not_registered", "not_filed")),
        ({"registered": False}, ("not_registered",)),
    ],
)
def test_registration_and_filing_are_named_one_by_one(facts: dict[str, Any], failed: tuple[str, ...]) -> None:
    """A head reason (登记、备案 required), then one reason per fact not met."""
    e = subsidy(**facts)
    assert (e.status, e.amount) == ("ineligible", tr.AmountRange.zero())
    assert [x.code for x in e.explanation] == [
        "chengdu.demonstration.registration_required",
        *(f"chengdu.demonstration.{what}" for what in failed),
    ]
    stated(e, r"a demonstration site's facility must complete registration and filing \(登记、备案\)")
    texts = {"not_registered": r"not registered \(登记\)", "not_filed": r"not filed \(备案\)"}
    for what in failed:
        stated(e, texts[what])


def test_registered_and_filed_is_undetermined_with_two_reasons() -> None:
    e = subsidy(registered=True, filed=True)
    assert (e.status, e.amount, e.missing) == ("undetermined", tr.AmountRange.unknown(), (FIELD,))
    assert [x.code for x in e.explanation] == ["chengdu.demonstration.site", "chengdu.demonstration.amount_not_stated"]
    stated(
        e,
        r"city-level demonstration site \(2023\): the municipal union and the municipal health commission give a "
        r"special subsidy \(一定的专项经费补助\) jointly, in shares not stated",
    )
    stated(e, r"the work plan states no amount: the caller supplies the awarded sum as the designation's amount")


@pytest.mark.parametrize(
    ("facts", "unsupplied"),
    [({}, ("registered", "filed")), ({"registered": True}, ("filed",)), ({"filed": True}, ("registered",))],
)
def test_unsupplied_registration_or_filing_is_listed(facts: dict[str, Any], unsupplied: tuple[str, ...]) -> None:
    e = subsidy(**facts)
    assert e.status == "undetermined"
    assert e.missing == (FIELD, *unsupplied)
    assert len(e.reasons) == 3
    assert e.explanation[-1].code == "chengdu.demonstration.registration_missing"
    assert e.explanation[-1].params["fields"] == ",".join(unsupplied)
    stated(
        e,
        r"registration and filing \(登记、备案\) not supplied: " + ", ".join(unsupplied) + r"; the designation "
        r"decides the status, and a facility not registered or not filed would be ineligible",
    )


def test_a_supplied_amount_settles_it() -> None:
    f = tr.Facility(
        jurisdiction="chengdu",
        mode="self_run",
        places=30,
        enrolled=20,
        registered=True,
        filed=True,
        designations=(tr.Designation("chengdu.demonstration_site", 2023, "20000"),),
    )
    e = tr.assess(f, on=DAY).entitlement(DEMO)
    assert (e.status, e.amount, e.missing) == ("eligible", tr.AmountRange.of("20000", "20000"), ())
    stated(e, r"the amount was supplied by designations\[chengdu\.demonstration_site\]\.amount")
