"""Portfolio budgets (tuoyu_rules.whatif.budgets): totals, counts, open reasons, strict input, streaming."""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import tracemalloc
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tuoyu_rules as tr
from strategies import facilities
from tuoyu_rules.core.amounts import AmountRange
from tuoyu_rules.core.results import totals_by_payer
from tuoyu_rules.whatif import CSV_COLUMNS, MAX_KEPT_ERRORS, RowError, budget, pin, read_csv, read_jsonl

DAY = dt.date(2024, 6, 1)
UP = tr.Reform.from_dict(
    {
        "name": "up",
        "parameters": {"xiamen.operating_subsidy.amount": [{"kind": "range", "low": "20000", "high": "30000"}]},
    }
)
HEADER = "jurisdiction,mode,self_built,places,enrolled,designations\n"
UP_PARAMETER = "xiamen.operating_subsidy.amount"


def portfolio_lines() -> list[str]:
    text = resources.files("tuoyu_rules.examples").joinpath("portfolio_xiamen.jsonl").read_text(encoding="utf-8")
    return text.splitlines(keepends=True)


# -- the property: a budget is the sum of its assessments ------------------------------------------------


@settings(max_examples=40)
@given(
    items=st.lists(facilities(), max_size=6),
    strategy=st.sampled_from([None, "low", "mid", "high"]),
    use_reform=st.booleans(),
)
def test_a_budgets_totals_equal_the_sum_of_its_assessments(
    items: list[tr.Facility], strategy: str | None, use_reform: bool
) -> None:
    reform = UP if use_reform else None
    result = budget(items, on=DAY, reforms=[UP], strategy=strategy)
    scenario = result.scenario("up" if use_reform else "baseline")
    assessments = [
        tr.assess(f, on=DAY, reform=reform)
        if strategy is None
        else pin(f, on=DAY, strategy=strategy, reform=reform).assessment
        for f in items
    ]
    entries = [e for a in assessments for e in (*a.entitlements, *a.obligations)]
    assert scenario.facilities == len(items)
    assert scenario.by_payer == totals_by_payer(entries)
    for t in scenario.by_program:
        # Issue 13: a budget adds totals (a per-child entry's rate times its children), never rates, and counts an
        # eligible per-child entry with no count supplied as undetermined (its total_status).
        mine = [e for e in entries if e.program == t.program and e.payer == t.payer]
        assert t.eligible == sum(e.total_status == "eligible" for e in mine)
        assert t.ineligible == sum(e.total_status == "ineligible" for e in mine)
        assert t.undetermined == sum(e.total_status == "undetermined" for e in mine)
        expected = AmountRange.zero()
        for e in mine:
            if e.total_status == "eligible":
                expected = expected + e.total
        assert t.amount == expected
        assert sum(r.count for r in t.open_reasons) >= t.undetermined


@settings(max_examples=25)
@given(items=st.lists(facilities(), max_size=5))
def test_the_baseline_of_a_budget_does_not_depend_on_its_reforms(items: list[tr.Facility]) -> None:
    alone = budget(items, on=DAY)
    beside = budget(items, on=DAY, reforms=[UP])
    assert beside.baseline == alone.baseline


# -- the bundled portfolio -------------------------------------------------------------------------------


def test_the_bundled_portfolio_budget_is_reasoned() -> None:
    result = budget(read_jsonl(portfolio_lines()), on=DAY, reforms=[UP])
    base, up = result.scenarios
    assert (base.facilities, up.facilities) == (100, 100)
    op = base.program_total("xiamen.operating_subsidy")
    assert op is not None
    assert op.eligible == 100
    assert op.amount == AmountRange.of(100 * 15000, 100 * 25000)
    up_op = up.program_total("xiamen.operating_subsidy")
    assert up_op is not None
    assert up_op.amount == AmountRange.of(100 * 20000, 100 * 30000)
    construction = base.program_total("xiamen.construction_subsidy")
    assert construction is not None
    assert construction.eligible == 13
    assert construction.amount == AmountRange.of(13 * 50000, 13 * 100000)
    acftu = base.payer_total("cn.acftu", "one_time")
    assert acftu is not None
    assert acftu.amount == AmountRange.exactly(5 * 100000)
    assert acftu.undetermined == 4  # the 2024 batch states no per-unit amount
    award = base.program_total("cn.caring_employer_award")
    assert award is not None
    assert [(r.reason, r.count) for r in award.open_reasons] == [("designations[cn.caring_employer].amount", 4)]
    match = base.payer_total("fujian.union", "one_time")
    assert match is not None
    assert match.amount.low == Decimal("500000.00")
    assert match.amount.high is None  # 不低于1:1: no upper bound, and the total says so


def test_side_by_side_rows() -> None:
    result = budget(read_jsonl(portfolio_lines()), on=DAY, reforms=[UP])
    rows = {(r["payer"], r["basis"]): r for r in result.side_by_side()}
    base_amount, base_open = rows[("xiamen.union", "per_year")]["baseline"]
    up_amount, _ = rows[("xiamen.union", "per_year")]["up"]
    assert base_open == 0
    assert up_amount.low - base_amount.low == Decimal("500000.00")


def test_budget_arguments_are_checked() -> None:
    with pytest.raises(tr.InvalidInput, match="reforms"):
        budget([], on=DAY, baseline=False)
    with pytest.raises(tr.InvalidInput, match="distinct"):
        budget([], on=DAY, reforms=[UP, UP])
    with pytest.raises(tr.InvalidInput, match="strategy"):
        budget([], on=DAY, strategy="median")
    with pytest.raises(tr.InvalidInput, match="errors"):
        budget([], on=DAY, errors="ignore")  # type: ignore[arg-type]
    with pytest.raises(tr.InvalidInput, match="facilities"):
        budget([{"jurisdiction": "xiamen"}], on=DAY)
    assert budget([], on=DAY).baseline is not None


# -- streaming: memory flat in the number of rows ---------------------------------------------------------


def _rows(n: int) -> Iterator[str]:
    lines = portfolio_lines()
    for i in range(n):
        yield lines[i % len(lines)]


def test_memory_is_flat_in_the_number_of_rows() -> None:
    """Live memory, measured every 100 rows while the budget runs, does not grow with the rows read.

    ``gc.collect()`` before each reading also empties CPython's free lists, which tracemalloc would
    otherwise count as live (they are bounded, not a leak).
    """
    budget(read_jsonl(_rows(100)), on=DAY)  # load the policies first
    readings: list[int] = []

    def measured() -> Iterator[str]:
        for i, line in enumerate(_rows(700)):
            if i % 100 == 0:
                gc.collect()
                readings.append(tracemalloc.get_traced_memory()[0])
            yield line

    gc.collect()
    tracemalloc.start()
    try:
        result = budget(read_jsonl(measured()), on=DAY, reforms=[UP])
    finally:
        tracemalloc.stop()
    assert result.scenarios[0].facilities == 700
    growth = max(readings[1:]) - readings[1]
    assert growth < 16 * 1024, readings


def test_rows_are_read_lazily() -> None:
    seen: list[int] = []

    def source() -> Iterator[tr.Facility]:
        for i in range(3):
            seen.append(i)
            yield tr.Facility(jurisdiction="xiamen", mode="joint_run", places=10, enrolled=5)

    gen = source()
    assert seen == []
    assert budget(gen, on=DAY).scenarios[0].facilities == 3
    assert seen == [0, 1, 2]


# -- CSV input -------------------------------------------------------------------------------------------


def test_csv_rows_parse_strictly_and_exactly() -> None:
    text = (
        "jurisdiction,mode,self_built,places,enrolled,embedded,designations,classes,full_day,name\n"
        "weifang,self_run,FALSE,30,20,true,cn.caring_employer:2022;weifang.caring_employer:2023:40000.50,,,A\n"
        "xiamen,joint_run,,30,22,,,8;14,true,B\n"
    )
    rows = list(read_csv(io.StringIO(text)))
    assert [r.number for r in rows] == [2, 3]
    a, b = rows[0].facility, rows[1].facility
    assert a is not None
    assert b is not None
    assert a.embedded is True
    assert a.self_built is False
    d = a.designation("weifang.caring_employer")
    assert d is not None
    assert d.amount == Decimal("40000.50")
    assert isinstance(d.amount, Decimal)
    assert b.classes == (8, 14)
    assert b.full_day is True
    assert b.self_built is False


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("xiamen,self_run,yes,30,20,", "self_built"),
        ("xiamen,self_run,true,30.0,20,", "places"),
        ("xiamen,self_run,true,-3,20,", "places"),
        ("xiamen,self_run,true,30,40,", "enrolled"),
        ("xiamen,self_run,true,30,20,cn.caring_employer", "designations[0]"),
        ("xiamen,self_run,true,30,20,cn.caring_employer:twenty", "designations[0].year"),
        ("xiamen,self_run,true,30,20,weifang.caring_employer:2023:40000.123", "designations.0.amount"),
        ("xiamen,self_run,true,30,20,weifang.caring_employer:2023:90000", "designations.0"),
        ("xiamen,self_drive,true,30,20,", "mode"),
        ("fujian,self_run,true,30,20,", "jurisdiction"),
        (",self_run,true,30,20,", "jurisdiction"),
        ("xiamen,self_run,true,30", "(row)"),
    ],
)
def test_a_bad_csv_row_names_its_row_and_field(line: str, field: str) -> None:
    text = HEADER + "xiamen,joint_run,false,10,5,\n" + line + "\n"
    with pytest.raises(RowError) as info:
        budget(read_csv(io.StringIO(text)), on=DAY)
    assert info.value.row == 3
    assert info.value.field.startswith(field)  # the model may name a deeper location (designations.0.amount)
    assert str(info.value).startswith(f"row 3: {info.value.field}: ")


def test_bad_rows_can_be_collected_instead() -> None:
    text = HEADER + "xiamen,joint_run,false,10,5,\nxiamen,joint_run,maybe,10,5,\n\nxiamen,self_run,false,10,5,\n"
    result = budget(read_csv(io.StringIO(text)), on=DAY, errors="collect")
    assert result.scenarios[0].facilities == 2
    assert result.error_count == 1
    assert [(e.row, e.field) for e in result.errors] == [(3, "self_built")]


def test_collected_errors_are_capped_but_all_counted() -> None:
    text = HEADER + "xiamen,joint_run,maybe,10,5,\n" * (MAX_KEPT_ERRORS + 5)
    result = budget(read_csv(io.StringIO(text)), on=DAY, errors="collect")
    assert result.error_count == MAX_KEPT_ERRORS + 5
    assert len(result.errors) == MAX_KEPT_ERRORS


@pytest.mark.parametrize(
    ("header", "match"),
    [
        ("jurisdiction,mode,place,enrolled\n", "unknown columns"),
        ("jurisdiction,mode,places\n", "required columns missing: enrolled"),
        ("jurisdiction,mode,places,enrolled,mode\n", "twice"),
    ],
)
def test_a_bad_csv_header_is_row_1(header: str, match: str) -> None:
    with pytest.raises(RowError, match=match) as info:
        list(read_csv(io.StringIO(header)))
    assert info.value.row == 1


def test_every_documented_csv_column_is_accepted_and_a_bom_is_ignored() -> None:
    header = ",".join(CSV_COLUMNS)
    values = {
        "facility_id": "F-1",  # issue 15: the caller's key, read into Facility.id
        "jurisdiction": "siming",
        "mode": "self_run",
        "self_built": "true",
        "places": "40",
        "enrolled": "30",
        "embedded": "false",
        "designations": "",
        "name": "X, Ltd",
        "full_day": "true",
        "first_intake": "6",
        "staff_puhui_fees": "true",
        "classes": "10;12",
        "registered": "true",
        "filed": "true",
        "full_day_enrolled": "20",
        "staff_children": "12",
        "union_dues_paid": "true",
        "alliance_member": "false",
        "accepted": "true",  # issue 13: Xiamen's 验收, Sichuan's kindergarten facts
        "mixed_with_preschool": "false",
        "preschool_subsidy": "false",
        "received": "xiamen.siming_allowance:2024-03-05:1200",  # issue 15: what has been paid
    }
    line = ",".join(f'"{values[c]}"' for c in CSV_COLUMNS)
    (row,) = list(read_csv(io.StringIO("\ufeff" + header + "\n" + line + "\n")))
    assert row.facility is not None
    assert row.facility.name == "X, Ltd"
    assert row.facility.staff_children == 12
    assert row.facility.id == "F-1"


def test_empty_csv_gives_an_empty_budget() -> None:
    assert budget(read_csv(io.StringIO("")), on=DAY).scenarios[0].facilities == 0


# -- JSON Lines input ------------------------------------------------------------------------------------


def test_jsonl_reads_fractions_as_decimal_and_names_bad_lines() -> None:
    good = {
        "jurisdiction": "weifang",
        "mode": "self_run",
        "places": 30,
        "enrolled": 20,
        "designations": [{"program": "weifang.caring_employer", "year": 2023, "amount": 40000.25}],
    }
    text = json.dumps(good) + "\n\n" + '{"jurisdiction": "xiamen", "mode": "self_run", "place": 3}\n'
    rows = list(read_jsonl(io.StringIO(text)))
    assert rows[0].facility is not None
    d = rows[0].facility.designation("weifang.caring_employer")
    assert d is not None
    assert d.amount == Decimal("40000.25")
    assert rows[1].number == 3
    assert rows[1].problem is not None
    with pytest.raises(RowError, match="row 3"):
        budget(iter(rows), on=DAY)


@pytest.mark.parametrize(("line", "field"), [("{not json", "(line)"), ('{"a": NaN}', "(line)"), ("[1]", "facility")])
def test_jsonl_bad_lines(line: str, field: str) -> None:
    (row,) = list(read_jsonl(io.StringIO(line + "\n")))
    assert row.problem is not None
    assert row.problem.field == field
    assert row.number == 1


@pytest.mark.parametrize("strategy", [None, "mid"])
def test_a_portfolio_moved_to_another_city_is_budgeted_as_its_facilities_moved(strategy: str | None) -> None:
    """Issue 17: ``jurisdiction=`` applies one city's rules to every facility (as ``tr.assess`` does), with or
    without a pinning strategy; the same as moving each facility there first."""
    rows = [json.loads(line) for line in portfolio_lines()]
    moved = [{**row, "jurisdiction": "hangzhou"} for row in rows]
    got = budget(rows, on=DAY, reforms=[UP], strategy=strategy, jurisdiction="hangzhou")
    assert got == budget(moved, on=DAY, reforms=[UP], strategy=strategy)
    assert got != budget(rows, on=DAY, reforms=[UP], strategy=strategy)
    values = [AmountRange(low=Decimal(1), high=Decimal(2))]
    sweep = tr.sweep(rows, on=DAY, parameter=UP_PARAMETER, values=values, strategy=strategy, jurisdiction="hangzhou")
    assert sweep.scenarios[0] == got.scenarios[0]
    with pytest.raises(tr.InvalidInput, match="province"):
        budget(rows, on=DAY, jurisdiction="fujian")
