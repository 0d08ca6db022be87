"""DataFrames with real types, one table per call, and a pyarrow Table as a portfolio (issue 17, "For analysts").

Before: ``to_dataframe`` gave ``object`` columns only (counts included), and without ``table=`` stacked a budget's
``by_payer`` and ``by_program`` in one frame, so a naive ``groupby().sum()`` doubled every total. Now a frame is one
table (the result's main table by default: a budget's ``by_payer``), its counts integers, its flags booleans, its
text ``string`` and its money exact: ``decimal128(20, 2)`` through ``pd.ArrowDtype`` with pyarrow, else text with
two decimals, never a float.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.batch import cache
from tuoyu_rules.io import dtypes, frames
from tuoyu_rules.io.export import Table, tables, to_dataframe
from tuoyu_rules.whatif import budget, compare, pin, project

pd: Any = pytest.importorskip("pandas")
pa: Any = pytest.importorskip("pyarrow")  # a dev dependency: the exact money columns and the Table input

DAY = dt.date(2024, 6, 1)
SRC = Path(tr.__file__).parent
PORTFOLIO = SRC / "examples" / "portfolio_xiamen.jsonl"
F = tr.Facility(
    jurisdiction="xiamen",
    mode="self_run",
    self_built=True,
    places=30,
    enrolled=20,
    designations=(tr.Designation("cn.caring_employer", 2022),),
)
HANGZHOU = tr.Facility(
    jurisdiction="hangzhou", mode="third_party", embedded=True, full_day=True, places=40, enrolled=30
)
UP = tr.Reform.of("up").set("xiamen.operating_subsidy.amount", kind="range", low="20000", high="30000").build()
MONEY = "decimal128(20, 2)[pyarrow]"


def _portfolio() -> list[tr.Facility]:
    lines = PORTFOLIO.read_text(encoding="utf-8").splitlines()
    return [tr.Facility.model_validate(json.loads(line)) for line in lines if line.strip()] + [HANGZHOU]


def _results() -> list[Any]:
    return [
        budget(_portfolio(), on=DAY, reforms=[UP]),
        project(F, start=dt.date(2024, 1, 1), end=dt.date(2025, 12, 31)),
        compare(F, on=DAY, cities=["xiamen", "weifang"]),
        pin(F, on=DAY, strategy="mid"),
        tr.assess(HANGZHOU, on=DAY),
    ]


# -- one table per call ------------------------------------------------------------------------------------------
def test_the_sum_of_a_budgets_by_payer_frame_is_its_totals_exactly() -> None:
    """The issue's doubling: ``to_dataframe(budget)`` stacked by_payer and by_program, so summing ``low`` counted
    every yuan twice. The frame is by_payer alone now, its sums exact Decimals equal to the budget's own."""
    result = budget(_portfolio(), on=DAY, reforms=[UP])
    frame = to_dataframe(result)
    assert frame.attrs["table"] == "by_payer"
    assert frame.equals(to_dataframe(result, table="by_payer"))
    for scenario in result.scenarios:
        rows = frame[frame["scenario"] == scenario.name]
        for column, value in (("low", "low"), ("received", None)):
            got = rows[column].sum()
            assert isinstance(got, Decimal)
            if value is None:
                assert got == sum((t.received for t in scenario.by_payer), Decimal(0))
            else:
                assert got == sum((t.amount.low for t in scenario.by_payer), Decimal(0))
        grouped = rows.groupby(["payer", "basis"])["low"].sum()
        for total in scenario.by_payer:
            assert grouped[(total.payer, total.basis)] == total.amount.low
        bounded = [t for t in scenario.by_payer if t.amount.high is not None]
        assert rows["high"].isna().sum() == len(scenario.by_payer) - len(bounded)  # no upper bound: <NA>, never 0
        assert rows["high"].sum() == sum((t.amount.high for t in bounded if t.amount.high is not None), Decimal(0))
    baseline = result.scenarios[0]
    assert frame[frame["scenario"] == baseline.name]["undetermined"].sum() == sum(
        t.undetermined for t in baseline.by_payer
    )


def test_every_result_has_a_main_table_and_named_tables() -> None:
    for result in _results():
        names = [t.name for t in tables(result)]
        assert to_dataframe(result).attrs["table"] == names[0]
        for name in names:
            frame = to_dataframe(result, table=name)
            assert frame.attrs["table"] == name
            assert "table" not in frame.columns
    with pytest.raises(tr.NotFound, match="no table 'nope'; present: by_payer, by_program, row_errors, summary"):
        to_dataframe(budget([F], on=DAY), table="nope")


# -- real types ----------------------------------------------------------------------------------------------------
def _dtypes(result: Any, table: str) -> dict[str, str]:
    return {c: str(t) for c, t in to_dataframe(result, table=table).dtypes.items()}


def test_counts_are_integers_money_exact_flags_booleans_text_strings() -> None:
    b = budget([F, HANGZHOU], on=DAY)
    by_payer = _dtypes(b, "by_payer")
    assert by_payer["low"] == by_payer["high"] == by_payer["owed_low"] == by_payer["received"] == MONEY
    assert by_payer["undetermined"] == "int64"
    assert by_payer["payer"] == by_payer["payer_zh"] == by_payer["scenario"] == "string"
    by_program = _dtypes(b, "by_program")
    assert by_program["children"] == "Int64"  # a count that may be missing (a programme not paid per child)
    assert by_program["eligible"] == by_program["ineligible"] == "int64"
    assert _dtypes(b, "summary") == {"facilities": "int64", "row_errors": "int64", "row_errors_listed": "int64"}
    lines = _dtypes(project(F, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)), "lines")
    assert (lines["year"], lines["rounded"], lines["paid"]) == ("int64", "boolean", "string")
    choices = to_dataframe(pin(F, on=DAY, strategy="mid"), table="choices")
    assert str(choices["value"].dtype) == MONEY
    assert choices["rounded"].dtype == "boolean"
    construction = choices[choices["program"] == "xiamen.construction_subsidy"].iloc[0]
    assert construction["value"] == Decimal("80000.00")
    assert not construction["rounded"]
    children = to_dataframe(b, table="by_program")["children"]
    assert children.isna().any()
    assert children.dropna().sum() == sum(t.children or 0 for t in b.scenarios[0].by_program)


def test_no_frame_of_any_result_has_an_object_or_float_column() -> None:
    for result in _results():
        for t in tables(result):
            frame = to_dataframe(result, table=t.name)
            for column, dtype in frame.dtypes.items():
                assert str(dtype) != "object", (t.name, column)
                assert not pd.api.types.is_float_dtype(dtype), (t.name, column)


def test_the_types_hold_in_chinese_and_for_an_empty_table() -> None:
    b = budget([F], on=DAY)
    en, zh = to_dataframe(b, table="by_program"), to_dataframe(b, table="by_program", lang="zh")
    assert list(zh.dtypes) == list(en.dtypes)
    assert zh["金额下限"].sum() == en["low"].sum()
    errors = to_dataframe(b, table="row_errors")  # no row left out: no rows, the types all the same
    assert len(errors) == 0
    assert {c: str(t) for c, t in errors.dtypes.items()} == {
        "row": "int64",
        "facility_id": "string",
        "field": "string",
        "message": "string",
    }


def test_every_column_of_the_exports_has_a_kind() -> None:
    """The kinds are by column id, so a frame's types never depend on the values it happens to hold; the ids are
    those the header catalog names."""
    catalog = tomllib.loads((SRC / "io" / "messages.toml").read_text(encoding="utf-8"))["messages"]
    ids = {code.removeprefix("io.column.") for code in catalog}
    assert set(dtypes.COLUMN_KINDS) == ids
    for result in _results():
        for t in tables(result):
            assert set(t.columns) <= set(dtypes.COLUMN_KINDS), t.name


def test_without_pyarrow_money_is_text_with_two_decimals_never_a_float(monkeypatch: pytest.MonkeyPatch) -> None:
    b = budget([F, F], on=DAY)
    exact = to_dataframe(b)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    assert dtypes.money_dtype() == "string"
    frame = to_dataframe(b)
    assert frame["low"].dtype == "string"
    assert list(frame["low"]) == [format(v, "f") for v in exact["low"]]
    assert "30000.00" in set(frame["low"])
    assert sum(Decimal(v) for v in frame["low"]) == exact["low"].sum()
    assert frame["high"].isna().sum() == exact["high"].isna().sum()
    assert frame["undetermined"].dtype == "int64"  # the other types do not need pyarrow


def test_a_column_no_kind_names_is_typed_by_its_cells() -> None:
    """Another package's table: a column of ints, of Decimals, of text; a column of mixed cells stays ``object``."""

    class Other:
        def export_tables(self) -> tuple[Table, ...]:
            rows = ((1, Decimal("2.50"), "a", True, 1), (None, None, None, None, "x"))
            return (Table("other", ("n", "amount", "label", "flag", "mixed"), rows),)

    frame = to_dataframe(Other())
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "n": "Int64",
        "amount": MONEY,
        "label": "string",
        "flag": "boolean",
        "mixed": "object",
    }
    assert frame["amount"].sum() == Decimal("2.50")

    class Odd:
        def export_tables(self) -> tuple[Table, ...]:
            return (Table("odd", ("low", "undetermined"), ((Decimal("0.001"), "3"),)),)

    odd = to_dataframe(Odd())  # a cell its kind cannot hold exactly: the column keeps the values as they are
    assert list(odd.dtypes) == [object, object]
    assert odd["low"][0] == Decimal("0.001")


# -- a pyarrow Table as a portfolio --------------------------------------------------------------------------------
TABLE = {
    "facility_id": ["A", None, "C"],
    "jurisdiction": ["xiamen", "hangzhou", "xiamen"],
    "mode": ["self_run", "third_party", "joint_run"],
    "self_built": [True, None, False],
    "places": [30, 40, 20],
    "enrolled": [20, 30, 10],
    "designations": ["cn.caring_employer:2022", None, ""],
}


def test_a_pyarrow_table_is_a_portfolio() -> None:
    table = pa.table(TABLE)
    facilities = [
        F.model_copy(update={"id": "A"}),
        tr.Facility(jurisdiction="hangzhou", mode="third_party", places=40, enrolled=30),
        tr.Facility(id="C", jurisdiction="xiamen", mode="joint_run", places=20, enrolled=10),
    ]
    assert tr.budget(table, on=DAY, reforms=[UP]) == tr.budget(facilities, on=DAY, reforms=[UP])
    assert tr.tally(table, on=DAY) == tr.tally(facilities, on=DAY)
    rows = list(tr.assess_rows(table, on=DAY))
    assert [r.line for r in rows] == [0, 1, 2]
    assert [r.facility_id for r in rows] == ["A", None, "C"]


def test_a_table_is_read_a_batch_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frames, "ARROW_BATCH_ROWS", 2)
    table = pa.concat_tables([pa.table(TABLE)] * 3)
    rows = list(frames.arrow_rows(table, tr.Facility.model_validate))
    assert [r.number for r in rows] == list(range(9))
    assert [r.facility.id for r in rows if r.facility is not None] == ["A", None, "C"] * 3


def test_a_bad_table_row_is_named_by_its_index_from_0() -> None:
    table = pa.table({**TABLE, "enrolled": [20, 50, 10]})
    with pytest.raises(tr.RowError) as caught:
        tr.budget(table, on=DAY)
    assert (caught.value.row, caught.value.field) == (1, "facilities[1].enrolled")
    floats = pa.table({**TABLE, "places": [30.0, 40.5, None]})  # a count with a fraction is refused, never rounded
    collected = tr.budget(floats, on=DAY, errors="collect")
    assert [(e.row, e.field, e.code) for e in collected.errors] == [
        (1, "facilities[1].places", "error.io.cell.not_whole"),
        (2, "facilities[2].places", "error.io.cell.required"),
    ]
    assert collected.facilities == 1


@pytest.mark.parametrize(
    ("names", "code"),
    [
        (["jurisdiction", "mode", "places", "enrolled", "colour"], "error.csv.unknown_columns"),
        (["jurisdiction", "mode", "places", "mode"], "error.csv.duplicate_column"),
        (["jurisdiction", "mode", "places"], "error.csv.required_missing"),
    ],
)
def test_a_table_with_wrong_columns_is_refused_at_once(names: list[str], code: str) -> None:
    table = pa.Table.from_arrays([pa.array(["xiamen"]) for _ in names], names=names)
    with pytest.raises(tr.InvalidInput) as caught:
        tr.budget(table, on=DAY)
    assert (caught.value.field, caught.value.code) == ("facilities.columns", code)
    assert frames.is_arrow_table(table)
    assert not frames.is_arrow_table(table.to_pandas())
    assert frames.is_dataframe(table.to_pandas())


# -- one Row ---------------------------------------------------------------------------------------------------
def test_one_row_type() -> None:
    """Issue 17: ``tr.tally`` given ``tr.read_csv``'s rows failed, two different types both called ``Row``. The
    batch's alias of what a row may be is ``RowInput``; ``tr.Row`` is a reader's row."""
    assert tr.Row is tr.io.Row is importlib.import_module("tuoyu_rules.io.readers").Row
    assert "Row" in tr.__all__
    assert cache.RowInput is cache.Row  # the old name, kept importable
    assert "Row" not in vars(cache)
    with pytest.raises(AttributeError):
        _ = cache.NoSuchName
