"""What has been paid (issue 15): ``Facility.received``, each entry's ``received`` and ``owed``, the receipts
reported and not applied, budgets, projections, exports and the CSV column, and the fact-keyed cache.

Issue 15: "a Xiamen facility assessed on 2023-06-01, 2024-06-01 and 2025-06-01 is owed the one-time construction
subsidy and the one-time national award every year; adding ... a record of payments to a facility fails ("Extra
inputs are not permitted")". Every test here fails before the fix: ``received`` was not a field.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import tuoyu_rules as tr
from strategies import dates, facility_data
from tuoyu_rules.batch import RuleCache, assess_many
from tuoyu_rules.core.receipts import owed_of
from tuoyu_rules.io import read_csv, read_jsonl, tables, to_csv
from tuoyu_rules.whatif import budget, project

CONSTRUCTION = "xiamen.construction_subsidy"
OPERATING = "xiamen.operating_subsidy"
SIMING = "xiamen.siming_allowance"
PAID_ON = dt.date(2023, 7, 1)


def d(text: str) -> Decimal:
    return Decimal(text)


def receipt(program: str, paid_on: dt.date | str, amount: str) -> dict[str, Any]:
    return {"program": program, "paid_on": str(paid_on), "amount": amount}


def xiamen(*received: dict[str, Any], **extra: Any) -> tr.Facility:
    data = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 30, "enrolled": 20}
    return tr.Facility.model_validate({**data, "received": list(received), **extra})


def siming(*received: dict[str, Any], staff: int | None = 10) -> tr.Facility:
    data: dict[str, Any] = {
        "jurisdiction": "siming",
        "mode": "self_run",
        "places": 20,
        "enrolled": 20,
        "filed": True,
        "union_dues_paid": True,
        "received": list(received),
    }
    if staff is not None:
        data["staff_children"] = staff
    return tr.Facility.model_validate(data)


# -- the case: a one-time grant paid once is never owed again --------------------------------------------


def test_a_one_time_grant_received_is_not_owed_in_later_assessments() -> None:
    f = xiamen(receipt(CONSTRUCTION, PAID_ON, "50000"))
    before = tr.assess(f, on=dt.date(2023, 6, 1)).entitlement(CONSTRUCTION)
    assert (before.received, before.owed) == (d("0.00"), before.total)  # not yet paid on that day
    for on in (dt.date(2024, 6, 1), dt.date(2025, 6, 1)):
        e = tr.assess(f, on=on).entitlement(CONSTRUCTION)
        assert e.status == "eligible"
        assert e.total.low == d("50000.00")
        assert e.received == d("50000.00")
        assert (e.owed.low, e.owed.high) == (d("0.00"), d("0.00"))
        # the reason says when and how much was paid
        (got,) = [x for x in e.explanation if x.code == "core.received.ever"]
        assert (got.params["amount"], got.params["payments"]) == ("50000.00", "2023-07-01=50000.00")
        assert got.en == f"received 50,000 yuan up to {on.isoformat()} (50,000 yuan on 2023-07-01)"
        assert "core.received.paid_once" in [x.code for x in e.explanation]


def test_without_receipts_owed_is_the_total_and_the_json_says_so() -> None:
    a = tr.assess(xiamen(), on=dt.date(2024, 6, 1))
    for e in (*a.entitlements, *a.obligations):
        assert e.received == d("0.00")
        assert e.owed == e.total
    dumped = a.model_dump(mode="json")["entitlements"][0]
    assert dumped["received"] == "0.00"
    assert dumped["owed"] == dumped["total"]


def test_a_one_time_part_payment_below_the_low_bound_leaves_the_rest_owed() -> None:
    e = tr.assess(xiamen(receipt(CONSTRUCTION, PAID_ON, "20000")), on=dt.date(2024, 6, 1)).entitlement(CONSTRUCTION)
    assert (e.owed.low, e.owed.high) == (d("30000.00"), d("80000.00"))
    assert any("part payment" in r for r in e.reasons)


# -- yearly and monthly bases --------------------------------------------------------------------------------------


def test_a_yearly_amount_counts_receipts_of_the_calendar_year_of_on() -> None:
    f = xiamen(receipt(OPERATING, "2024-03-01", "10000"), receipt(OPERATING, "2023-12-31", "25000"))
    e = tr.assess(f, on=dt.date(2024, 6, 1)).entitlement(OPERATING)
    assert e.received == d("10000.00")  # the 2023 receipt is another year's
    assert (e.owed.low, e.owed.high) == (d("5000.00"), d("15000.00"))
    e25 = tr.assess(f, on=dt.date(2025, 6, 1)).entitlement(OPERATING)
    assert (e25.received, e25.owed) == (d("0.00"), e25.total)  # owed again: a new year


def test_more_than_the_high_bound_is_owed_zero_and_the_excess_is_said() -> None:
    e = tr.assess(xiamen(receipt(OPERATING, "2024-03-01", "30000")), on=dt.date(2024, 6, 1)).entitlement(OPERATING)
    assert (e.owed.low, e.owed.high) == (d("0.00"), d("0.00"))
    excess = [x for x in e.explanation if x.code == "core.received.excess"]
    assert [x.params for x in excess] == [{"excess": "5000.00", "high": "25000.00"}]
    assert excess[0].en.startswith("5,000 yuan more than the high bound 25,000 yuan was received: nothing is owed")


def test_every_receipt_of_the_period_is_listed() -> None:
    """Two receipts toward one year's operating subsidy: both count, and the reason lists each day and amount."""
    f = xiamen(receipt(OPERATING, "2024-03-01", "10000"), receipt(OPERATING, "2024-04-01", "2000.50"))
    e = tr.assess(f, on=dt.date(2024, 6, 1)).entitlement(OPERATING)
    assert e.received == d("12000.50")
    (got,) = [x for x in e.explanation if x.code == "core.received.year"]
    assert got.params["amount"] == "12000.50"
    assert "10,000 yuan on 2024-03-01" in got.en
    assert "2,000.50 yuan on 2024-04-01" in got.en
    assert "2024年3月1日1万元" in got.zh
    assert "2024年4月1日2,000.50元" in got.zh


def test_a_per_child_month_amount_compares_the_months_receipts_with_its_total() -> None:
    f = siming(receipt(SIMING, "2024-06-05", "600"), receipt(SIMING, "2024-05-05", "1000"))
    e = tr.assess(f, on=dt.date(2024, 6, 20)).entitlement(SIMING)
    assert (e.amount.low, e.children, e.total.low) == (d("100.00"), 10, d("1000.00"))
    assert e.received == d("600.00")  # June only: May's receipt is another month's
    assert (e.owed.low, e.owed.high) == (d("400.00"), d("400.00"))  # the total (10 children), not the rate


def test_an_undetermined_entry_keeps_its_known_bounds() -> None:
    e = tr.assess(siming(receipt(SIMING, "2024-06-05", "600"), staff=None), on=dt.date(2024, 6, 20)).entitlement(SIMING)
    assert e.total_status == "undetermined"
    assert e.total.high is None
    assert e.received == d("600.00")
    assert (e.owed.low, e.owed.high) == (d("0.00"), None)  # an unbounded high stays unbounded


# -- receipts reported and not applied -----------------------------------------------------------------------------


def test_receipts_after_on_or_outside_the_chain_are_reported_and_not_applied() -> None:
    f = xiamen(
        receipt(CONSTRUCTION, "2024-07-01", "50000"),  # after the day assessed
        receipt("weifang.caring_employer_award", "2024-01-01", "30000"),  # another city's programme
        receipt("fujian.price_cap", "2024-01-01", "10"),  # a fee rule: no money
        receipt("cn.caring_employer_provincial_match", "2024-01-01", "10"),  # a matching duty that does not arise
        receipt("xiamen.no_such_programme", "2024-01-01", "10"),
    )
    a = tr.assess(f, on=dt.date(2024, 6, 1))
    assert a.entitlement(CONSTRUCTION).received == d("0.00")
    assert a.entitlement(CONSTRUCTION).owed == a.entitlement(CONSTRUCTION).total
    notes = "\n".join(a.notes)
    assert "xiamen.construction_subsidy paid on 2024-07-01 is dated after 2024-06-01" in notes
    assert "weifang.caring_employer_award paid on 2024-01-01 is not applied: no programme of that id" in notes
    assert "fujian.price_cap paid on 2024-01-01 is not applied: it is a fee_rule programme" in notes
    assert "cn.caring_employer_provincial_match paid on 2024-01-01 is not applied: the matching duty" in notes
    assert "xiamen.no_such_programme" in notes
    assert len(a.notes) == 5


def test_a_what_if_move_reports_the_home_citys_receipts() -> None:
    a = tr.assess(xiamen(receipt(CONSTRUCTION, PAID_ON, "50000")), jurisdiction="weifang", on=dt.date(2024, 6, 1))
    assert any("xiamen.construction_subsidy" in n and "not applied" in n for n in a.notes)


def test_obligations_have_received_and_owed_too() -> None:
    f = tr.Facility.model_validate(
        {
            "jurisdiction": "weifang",
            "mode": "self_run",
            "places": 20,
            "enrolled": 20,
            "designations": [{"program": "weifang.caring_employer", "year": 2023}],
            "received": [receipt("weifang.county_match", "2024-02-01", "30000")],
        }
    )
    o = tr.assess(f, on=dt.date(2024, 6, 1)).obligation("weifang.county_match")
    assert o.received == d("30000.00")
    assert o.owed == tr.AmountRange.zero()


# -- input ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": 1.5}, "amount"),
        ({"amount": "1.005"}, "amount"),
        ({"paid_on": 1688169600}, "paid_on"),  # a time stamp is not a day
        ({"paid_on": "20230701"}, "paid_on"),
        ({"paid_on": "2023-02-30"}, "paid_on"),
        ({"program": "Xiamen construction"}, "program"),
        ({"paid": "2023-07-01"}, "paid"),  # a typo is not ignored
    ],
)
def test_a_bad_receipt_is_an_error_naming_the_field(bad: dict[str, Any], field: str) -> None:
    data = {**receipt(CONSTRUCTION, PAID_ON, "50000"), **bad}
    with pytest.raises(ValidationError) as caught:
        xiamen(data)
    assert field in str(caught.value)
    assert "received.0" in str(caught.value)


def test_receipt_is_public_frozen_and_round_trips() -> None:
    r = tr.Receipt(program=CONSTRUCTION, paid_on=PAID_ON, amount="50000", note="voucher 17")
    with pytest.raises(ValidationError):
        r.amount = d("1")  # type: ignore[misc]
    f = xiamen(r.model_dump(mode="json"))
    a = tr.assess(f, on=dt.date(2024, 6, 1))
    assert tr.Assessment.model_validate_json(a.model_dump_json()) == a


def test_a_stored_result_without_received_or_owed_still_loads() -> None:
    a = tr.assess(xiamen(), on=dt.date(2024, 6, 1))
    data = a.model_dump(mode="json")
    for e in (*data["entitlements"], *data["obligations"]):
        del e["received"], e["owed"]
    del data["facility"]["received"]
    assert tr.Assessment.model_validate(data) == a


def test_an_entry_whose_owed_disagrees_with_its_receipts_is_refused() -> None:
    e = tr.assess(xiamen(), on=dt.date(2024, 6, 1)).entitlement(OPERATING)
    data = e.model_dump()
    with pytest.raises(ValidationError, match="owed must be total less received"):
        tr.Entitlement.model_validate({**data, "received": d("20000.00")})


def test_the_csv_column_received_and_json_lines() -> None:
    header = "jurisdiction,mode,self_built,places,enrolled,received\n"
    good = f"xiamen,self_run,true,30,20,{CONSTRUCTION}:2023-07-01:50000;{OPERATING}:2024-03-01:10000\n"
    bad = "xiamen,self_run,true,30,20,xiamen.construction_subsidy:2023-07-01\n"
    rows = list(read_csv(io.StringIO(header + good + bad)))
    assert rows[0].facility is not None
    assert [r.amount for r in rows[0].facility.received] == [d("50000.00"), d("10000.00")]
    assert rows[1].problem is not None
    assert rows[1].problem.field == "received[0]"
    line = json.dumps(
        {
            "jurisdiction": "xiamen",
            "mode": "self_run",
            "places": 3,
            "enrolled": 1,
            "received": [receipt(CONSTRUCTION, PAID_ON, "50000.50")],
        }
    )
    (row,) = list(read_jsonl([line]))
    assert row.facility is not None
    assert row.facility.received[0].amount == d("50000.50")


# -- the fact-keyed cache: results stay each facility's own ----------------------------------------------------------


def test_the_cache_never_gives_one_facility_anothers_receipts() -> None:
    on = dt.date(2024, 6, 1)
    facilities = [
        xiamen(),
        xiamen(receipt(CONSTRUCTION, PAID_ON, "50000")),
        xiamen(receipt(CONSTRUCTION, PAID_ON, "80000")),
        xiamen(),
        xiamen(receipt(CONSTRUCTION, PAID_ON, "50000")),
    ]
    cache = RuleCache(on=on)
    for f in facilities:
        assert cache.assessment(f) == tr.assess(f, on=on)
        assert json.loads(cache.assess_json(f)) == tr.assess(f, on=on).model_dump(mode="json")
    got = list(assess_many([f.model_dump(mode="json") for f in facilities], on=on))
    assert [a.entitlement(CONSTRUCTION).received for a in got] == [d(x) for x in ("0", "50000", "80000", "0", "50000")]


# -- budgets -------------------------------------------------------------------------------------------------------


def test_a_budget_shows_received_and_owed_beside_the_amounts() -> None:
    on = dt.date(2024, 6, 1)
    portfolio = [
        xiamen(receipt(CONSTRUCTION, PAID_ON, "50000"), receipt(OPERATING, "2024-02-01", "10000")),
        xiamen(),
    ]
    b = budget(portfolio, on=on).scenarios[0]
    construction = b.program_total(CONSTRUCTION)
    assert construction is not None
    assert (construction.amount.low, construction.amount.high) == (d("100000.00"), d("200000.00"))
    assert construction.received == d("50000.00")
    assert (construction.owed.low, construction.owed.high) == (d("50000.00"), d("100000.00"))  # only the other one
    operating = b.program_total(OPERATING)
    assert operating is not None
    assert operating.received == d("10000.00")
    assert (operating.owed.low, operating.owed.high) == (d("20000.00"), d("40000.00"))
    payer = b.payer_total("xiamen.union", "one_time")
    assert payer is not None
    assert payer.received == d("50000.00")
    assert payer.owed == construction.owed
    # an assessment's own payer totals say the same of its one facility
    (own,) = (t for t in tr.assess(portfolio[0], on=on).totals() if (t.payer, t.basis) == ("xiamen.union", "one_time"))
    assert own.received == d("50000.00")
    assert own.owed == tr.AmountRange.zero()
    csv_text = to_csv(budget(portfolio, on=on), table="by_program")
    assert csv_text.splitlines()[0].endswith("received,owed_low,owed_high")


def test_the_entries_table_has_the_owed_columns() -> None:
    a = tr.assess(xiamen(receipt(CONSTRUCTION, PAID_ON, "50000")), on=dt.date(2024, 6, 1))
    (entries,) = tables(a)
    row = dict(zip(entries.columns, next(r for r in entries.rows if CONSTRUCTION in r), strict=True))
    assert (row["received"], row["owed_low"], row["owed_high"]) == (d("50000.00"), d("0.00"), d("0.00"))


def test_a_pinned_obligation_total_and_owed_follow_the_pinned_amount() -> None:
    """Found on the way: ``pin(strategy=...)`` pinned an obligation's amount and left its total open, so a budget
    with a strategy added an open total (≥ 100,000.00) for an amount pinned at 100,000.00."""
    f = xiamen(designations=[{"program": "cn.caring_employer", "year": 2022}])
    o = tr.pin(f, on=dt.date(2024, 1, 1), strategy="low").assessment.obligation("cn.caring_employer_provincial_match")
    assert o.amount.is_exact
    assert o.total == o.amount
    assert o.owed == o.amount


# -- projections -----------------------------------------------------------------------------------------------------


def test_a_projection_counts_a_paid_once_grant_once_and_shows_received() -> None:
    f = xiamen(receipt(CONSTRUCTION, PAID_ON, "80000"), receipt(OPERATING, "2025-04-01", "25000"))
    p = project(f, start=dt.date(2024, 1, 1), end=dt.date(2025, 12, 31))
    construction = [ln for ln in p.lines if ln.program == CONSTRUCTION]
    assert len(construction) == 1
    assert construction[0].received == d("80000.00")
    assert construction[0].owed == tr.AmountRange.zero()
    y24, y25 = p.line(2024, OPERATING), p.line(2025, OPERATING)
    assert (y24.received, y24.owed) == (d("0.00"), y24.amount)
    assert (y25.received, y25.owed.low, y25.owed.high) == (d("25000.00"), d("0.00"), d("0.00"))
    totals = {(t.year, t.payer): t for t in p.totals()}
    assert totals[(2025, "xiamen.union")].received == d("25000.00")
    assert tables(p)[1].columns[-3:] == ("received", "owed_low", "owed_high")


def test_a_held_projection_owes_nothing_of_a_programme_out_of_force() -> None:
    f = siming(receipt(SIMING, "2024-06-05", "600"))
    a = tr.assess(f, on=dt.date(2024, 6, 1))
    p = project(a, start=dt.date(2024, 6, 1), end=dt.date(2024, 7, 31))
    june = next(ln for ln in p.lines if ln.program == SIMING and ln.year == 2024)
    assert june.received == d("600.00")
    assert june.owed.low == june.amount.low - d("600.00")


# -- properties ------------------------------------------------------------------------------------------------------


@st.composite
def with_receipts(draw: st.DrawFn) -> tuple[tr.Facility, dt.date]:
    data = draw(facility_data())
    programs = [p.id for layer in tr.chain(tr.Facility.model_validate(data).jurisdiction) for p in layer.programs]
    amounts = st.integers(min_value=1, max_value=200_000_00).map(lambda fen: f"{fen // 100}.{fen % 100:02d}")
    data["received"] = draw(
        st.lists(
            st.builds(receipt, st.sampled_from(programs), dates(), amounts),
            max_size=6,
        )
    )
    return tr.Facility.model_validate(data), draw(dates())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_receipts())
def test_owed_is_never_negative_nor_more_than_the_total(case: tuple[tr.Facility, dt.date]) -> None:
    """Issue 15's property: for any facility and receipts, ``owed`` is never negative and never more than the amount
    (the total); with what was received it covers the low bound: ``received + owed.low >= total.low``."""
    f, on = case
    a = tr.assess(f, on=on)
    for e in (*a.entitlements, *a.obligations):
        assert e.received >= 0
        assert e.owed.low >= 0
        assert e.owed.high is None or e.owed.high >= 0
        assert e.owed.low <= e.total.low
        assert e.total.high is None or (e.owed.high is not None and e.owed.high <= e.total.high)
        assert e.received + e.owed.low >= e.total.low
        assert e.owed == owed_of(e.total, e.received, e.basis)
        if e.basis == "one_time" and e.received >= e.total.low and e.received > 0:
            assert e.owed == tr.AmountRange.zero()  # paid once: never owed again
        paid = sum((r.amount for r in f.received if r.program == e.program and r.paid_on <= on), Decimal("0.00"))
        assert e.received <= paid


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_receipts(), st.integers(min_value=0, max_value=3))
def test_a_paid_once_grant_is_owed_once_across_a_projection(case: tuple[tr.Facility, dt.date], years: int) -> None:
    """Issue 15's property: across a projection a one-time grant falls in one line, and once received (at least its
    low bound, up to the end) it is owed 0; every line's owed lies in [0, its amount]."""
    f, start = case
    end = dt.date(start.year + years, 12, 31)
    p = project(f, start=start, end=end)
    seen: set[str] = set()
    for ln in p.lines:
        assert ln.owed.low >= 0
        assert ln.owed.low <= ln.amount.low
        assert ln.amount.high is None or (ln.owed.high is not None and ln.owed.high <= ln.amount.high)
        if ln.basis != "one_time":
            continue
        assert ln.program not in seen  # once across the period
        seen.add(ln.program)
        paid = sum((r.amount for r in f.received if r.program == ln.program and r.paid_on <= end), Decimal("0.00"))
        assert ln.received == paid
        if ln.undetermined == 0 and paid and paid >= ln.amount.low:
            assert ln.owed == tr.AmountRange.zero()
