"""Exports (tuoyu_rules.io.export): CSV always; pandas and Excel as optional extras."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import tuoyu_rules as tr
from tuoyu_rules.io.export import tables, to_csv, to_dataframe, to_excel, write_csv
from tuoyu_rules.whatif import budget, compare, pin, project

DAY = dt.date(2024, 6, 1)
F = tr.Facility(
    jurisdiction="xiamen",
    mode="self_run",
    self_built=True,
    places=30,
    enrolled=20,
    designations=(tr.Designation("cn.caring_employer", 2022),),
)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_budget_csv_has_amounts_with_two_decimals_and_empty_high_when_unbounded() -> None:
    b = budget([F, F], on=DAY)
    data = rows(to_csv(b, table="by_payer"))
    by_key = {(r["payer"], r["basis"]): r for r in data}
    assert by_key[("xiamen.union", "per_year")]["low"] == "30000.00"
    assert by_key[("xiamen.union", "per_year")]["high"] == "50000.00"
    assert by_key[("fujian.union", "one_time")]["high"] == ""  # at least 1:1: no upper bound
    assert by_key[("fujian.union", "one_time")]["low"] == "200000.00"


def test_several_tables_share_one_csv_with_a_table_column() -> None:
    b = budget([F], on=DAY)
    buffer = io.StringIO()
    write_csv(b, buffer)
    data = rows(buffer.getvalue())
    assert {r["table"] for r in data} == {"by_payer", "by_program", "summary"}  # no row errors: none of that table
    assert all(r["low"] for r in data if r["table"] != "summary")


def test_every_result_exports() -> None:
    results = [
        budget([F], on=DAY),
        project(F, start=dt.date(2024, 1, 1), end=dt.date(2025, 12, 31)),
        compare(F, on=DAY, cities=["xiamen", "weifang"]),
        pin(F, on=DAY, strategy="mid"),
        tr.assess(F, on=DAY),
    ]
    for r in results:
        text = to_csv(r)
        assert text.count("\n") >= 2
        assert "e+" not in text.lower()
    with pytest.raises(TypeError, match="cannot export"):
        tables(object())
    with pytest.raises(KeyError, match="no table"):
        to_csv(results[0], table="nope")


def test_pinned_choices_table() -> None:
    p = pin(F, on=DAY, strategy="mid")
    choices = rows(to_csv(p, table="choices"))
    construction = next(r for r in choices if r["program"] == "xiamen.construction_subsidy")
    assert construction["value"] == "80000.00"
    match = next(r for r in choices if r["program"] == "cn.caring_employer_provincial_match")
    assert match["value"] == ""  # open: no upper bound, no midpoint


def test_missing_extras_give_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(ImportError, match=r"tuoyu_rules\[pandas\]"):
        to_dataframe(budget([F], on=DAY))
    with pytest.raises(ImportError, match=r"tuoyu_rules\[excel\]"):
        to_excel(budget([F], on=DAY), "never-written.xlsx")


def test_dataframe_keeps_decimals() -> None:
    pytest.importorskip("pandas")
    df = to_dataframe(budget([F], on=DAY), table="by_payer")
    assert list(df.columns) == [
        *("scenario", "reform", "payer", "basis", "low", "high", "undetermined"),
        *("received", "owed_low", "owed_high"),  # issue 15: what has been paid, what is owed
    ]
    assert all(isinstance(v, Decimal) for v in df["low"])
    row = df[(df["payer"] == "fujian.union") & (df["basis"] == "one_time")].iloc[0]
    assert row["high"] is None
    both = to_dataframe(budget([F], on=DAY))
    assert set(both["table"]) == {"by_payer", "by_program", "summary"}


def test_excel_workbook_has_a_sheet_per_table(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = to_excel(budget([F], on=DAY), tmp_path / "budget.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["by_payer", "by_program", "row_errors", "summary"]
    ws = wb["by_payer"]
    header = [c.value for c in ws[1]]
    low = header.index("low")
    values = [ws.cell(row=r, column=low + 1).value for r in range(2, ws.max_row + 1)]
    assert Decimal(str(max(values))) == Decimal("100000")
