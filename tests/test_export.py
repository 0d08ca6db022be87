"""Exports (tuoyu_rules.io.export): CSV always; pandas and Excel as optional extras."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import tuoyu_rules as tr
from tuoyu_rules.io.export import tables, to_csv, to_dataframe, to_excel, write_csv
from tuoyu_rules.io.names import payer_names, program_names
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
    pd = pytest.importorskip("pandas")
    df = to_dataframe(budget([F], on=DAY), table="by_payer")
    assert list(df.columns) == [
        *("scenario", "reform", "payer", "payer_zh", "payer_en", "basis", "low", "high", "undetermined"),  # issue 14
        *("received", "owed_low", "owed_high"),  # issue 15: what has been paid, what is owed
    ]
    if importlib.util.find_spec("pyarrow") is not None:  # exact decimals; text with two decimals without pyarrow
        assert all(isinstance(v, Decimal) for v in df["low"])
    row = df[(df["payer"] == "fujian.union") & (df["basis"] == "one_time")].iloc[0]
    assert row["high"] is pd.NA  # no upper bound: missing, never 0
    main = to_dataframe(budget([F], on=DAY))  # issue 17: one table per call, the main one by default
    assert "table" not in main.columns
    assert main.attrs["table"] == "by_payer"
    assert main.equals(df)


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


# -- names beside ids, headers in either language (issue 14) -------------------------------------------------
CONSTRUCTION = "xiamen.construction_subsidy"


def test_programmes_and_payers_have_their_names_beside_their_ids() -> None:
    policy = tr.get_policy("xiamen")
    program = policy.program(CONSTRUCTION)
    payer = policy.payers["xiamen.union"]
    results = {
        "by_program": budget([F], on=DAY),
        "lines": project(F, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)),
        "entries": tr.assess(F, on=DAY),
        "choices": pin(F, on=DAY, strategy="mid"),
    }
    for table, result in results.items():
        row = next(r for r in rows(to_csv(result, table=table)) if r["program"] == CONSTRUCTION)
        assert (row["name_zh"], row["name_en"]) == (program.name_zh, program.name_en), table
        if table != "choices":
            assert (row["payer"], row["payer_zh"], row["payer_en"]) == ("xiamen.union", payer.name_zh, payer.name_en)
    by_payer = rows(to_csv(results["by_program"], table="by_payer"))
    assert {r["payer_zh"] for r in by_payer} >= {"厦门市总工会", "中华全国总工会"}


def test_an_id_no_jurisdiction_declares_has_empty_names() -> None:
    assert program_names("nowhere.grant") == ("", "")
    assert payer_names("nowhere.union") == ("", "")
    assert payer_names("cn.acftu+sichuan.union")[0] == "中华全国总工会与四川省总工会"


def test_headers_in_chinese_with_the_same_cells() -> None:
    b = budget([F], on=DAY)
    en, zh = to_csv(b, table="by_program").splitlines(), to_csv(b, table="by_program", lang="zh").splitlines()
    assert en[1:] == zh[1:]
    assert zh[0].split(",")[:6] == ["情景", "改革方案", "项目编号", "项目名称", "项目英文名称", "类别"]
    assert to_csv(b).splitlines()[0].startswith("table,scenario,")
    assert to_csv(b, lang="zh").splitlines()[0].startswith("表,情景,")
    with pytest.raises(tr.InvalidInput, match="lang"):
        to_csv(b, lang="fr")  # type: ignore[arg-type]


def test_dataframe_and_workbook_headers_in_chinese(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    openpyxl = pytest.importorskip("openpyxl")
    b = budget([F], on=DAY)
    df = to_dataframe(b, table="by_payer", lang="zh")
    assert list(df.columns)[:5] == ["情景", "改革方案", "支付方编号", "支付方名称", "支付方英文名称"]
    assert list(df["支付方编号"]) == list(to_dataframe(b, table="by_payer")["payer"])
    wb = openpyxl.load_workbook(to_excel(b, tmp_path / "zh.xlsx", lang="zh"))
    assert wb.sheetnames == ["by_payer", "by_program", "row_errors", "summary"]  # sheets keep the tables' ids
    assert [c.value for c in wb["summary"][1]] == ["机构数", "未计入的行数", "列出的未计入行数"]


def test_a_district_programme_with_its_city_s_prefix_is_named_in_exports() -> None:
    """``xiamen.siming_allowance`` is Siming's programme: its names come from the district that declares it."""
    zh, en = program_names("xiamen.siming_allowance")
    assert zh == tr.get_policy("siming").program("xiamen.siming_allowance").name_zh
    assert en
    assert program_names("atlantis.nothing") == ("", "")
