"""Hostile portfolio rows and what a budget says about them (issue 18, "Injection and lost rows").

* "Budget readers crash the whole run": a digits-only CSV cell over 4,300 digits raised ``ValueError: Exceeds
  the limit`` and a deeply nested JSON line raised ``RecursionError``, ending the run even with
  ``errors="collect"`` / ``--errors collect``. Each is now one row error with its line.
* "CSV row numbers count records, not lines": after a quoted cell holding a line break, every later row was
  numbered one too low. A row is now numbered by the line it starts on, as an editor counts lines.
* "tally raises without the row's index": it raised the bare validation error. It now raises
  :class:`~tuoyu_rules.batch.TallyError` naming ``rows[index]``.
* "The CSV budget export hides what was dropped": 200 bad rows in 10,000 gave 100 ``row_errors`` rows, no
  error count and no count of facilities summed. Every output form now carries both counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import pickle
from pathlib import Path

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
from tuoyu_rules.batch import TallyError, tally
from tuoyu_rules.io import RowError, read_csv, read_jsonl, to_csv, to_dataframe, to_excel
from tuoyu_rules.whatif import MAX_KEPT_ERRORS, budget

DAY = dt.date(2024, 6, 1)
HEADER = "jurisdiction,mode,self_built,places,enrolled,designations,classes,first_intake\n"
GOOD = "xiamen,joint_run,false,10,5,,,\n"
HUGE = "9" * 5000
"""Digits only, over Python's 4,300-digit limit for int()."""


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


# -- one hostile cell or line is one row error with its line -----------------------------------------------

HUGE_CSV_ROWS = {
    "places": f"xiamen,joint_run,false,{HUGE},5,,,\n",
    "enrolled": f"xiamen,joint_run,false,10,{HUGE},,,\n",
    "designations[0].year": f"xiamen,joint_run,false,10,5,cn.caring_employer:{HUGE},,\n",
    "classes[0]": f"xiamen,joint_run,false,10,5,,{HUGE},\n",
    "first_intake": f"xiamen,joint_run,false,10,5,,,{HUGE}\n",
}


@pytest.mark.parametrize(("field", "line"), HUGE_CSV_ROWS.items(), ids=HUGE_CSV_ROWS.keys())
def test_a_csv_cell_of_5000_digits_is_one_row_error(field: str, line: str) -> None:
    text = HEADER + GOOD + line + GOOD
    result = budget(read_csv(io.StringIO(text)), on=DAY, errors="collect")
    assert (result.facilities, result.error_count) == (2, 1)
    (problem,) = result.errors
    assert (problem.row, problem.field) == (3, field)
    assert "5,000 digits" in problem.message
    with pytest.raises(RowError) as info:
        budget(read_csv(io.StringIO(text)), on=DAY)
    assert (info.value.row, info.value.field) == (3, field)


def test_a_json_line_nested_100000_deep_is_one_row_error() -> None:
    good = json.dumps({"jurisdiction": "xiamen", "mode": "joint_run", "places": 10, "enrolled": 5})
    deep = '{"jurisdiction": "xiamen", "name": ' + "[" * 100_000 + "]" * 100_000 + "}"
    lines = [good + "\n", "\n", deep + "\n", good + "\n"]
    result = budget(read_jsonl(lines), on=DAY, errors="collect")
    assert (result.facilities, result.error_count) == (2, 1)
    (problem,) = result.errors
    assert problem.row == 3
    assert "nested more than" in problem.message
    with pytest.raises(RowError, match="row 3: "):
        budget(read_jsonl(lines), on=DAY)


def test_the_cli_collects_both_and_goes_on(tmp_path: Path) -> None:
    portfolio = tmp_path / "p.csv"
    portfolio.write_text(HEADER + GOOD + HUGE_CSV_ROWS["places"] + GOOD, encoding="utf-8")
    status, out, err = run("budget", str(portfolio), "--on", "2024-06-01", "--errors", "collect", "--format", "json")
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert data["error_count"] == 1
    assert data["errors"][0]["row"] == 3
    assert data["scenarios"][0]["facilities"] == 2
    status, _, err = run("budget", str(portfolio), "--on", "2024-06-01")
    assert status == 2
    assert err.startswith("tuoyu: error: row 3: places: ")
    assert err.count("\n") == 1

    lines = tmp_path / "p.jsonl"
    good = json.dumps({"jurisdiction": "xiamen", "mode": "joint_run", "places": 10, "enrolled": 5})
    lines.write_text(good + "\n" + "[" * 50_000 + "]" * 50_000 + "\n" + good + "\n", encoding="utf-8")
    status, out, err = run("budget", str(lines), "--on", "2024-06-01", "--errors", "collect", "--format", "json")
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert (data["error_count"], data["errors"][0]["row"], data["scenarios"][0]["facilities"]) == (1, 2, 2)


# -- row numbers are the lines records start on ------------------------------------------------------------


def test_a_record_after_a_multi_line_cell_is_numbered_by_its_line() -> None:
    text = "jurisdiction,mode,places,enrolled,name\n"  # line 1
    text += 'xiamen,joint_run,10,5,"a name\non three\nlines"\n'  # lines 2-4
    text += "xiamen,joint_run,10,x,b\n"  # line 5: bad (records counted: 3)
    text += "\n"  # line 6: blank
    text += "xiamen,joint_run,ten,5,c\n"  # line 7: bad
    rows = list(read_csv(io.StringIO(text, newline="")))
    assert [(r.number, r.problem.row if r.problem else None) for r in rows] == [(2, None), (5, 5), (7, 7)]


NAME = st.text(alphabet=st.sampled_from('ab ,"\n托'), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(NAME, st.booleans(), st.booleans()), min_size=1, max_size=8))
def test_csv_row_numbers_are_start_lines(records: list[tuple[str, bool, bool]]) -> None:
    """Each record (a name with line breaks, quotes and commas; good or bad; a blank line before it or not) is
    reported at the line it starts on, counted as an editor counts lines."""
    buffer = io.StringIO()
    buffer.write("jurisdiction,mode,places,enrolled,name\n")
    expected: list[int] = []
    for name, bad, blank_before in records:
        if blank_before:
            buffer.write("\n")
        expected.append(buffer.getvalue().count("\n") + 1)
        csv.writer(buffer, lineterminator="\n").writerow(["xiamen", "joint_run", "10", "x" if bad else "5", name])
    rows = list(read_csv(io.StringIO(buffer.getvalue(), newline="")))
    assert [r.number for r in rows] == expected
    assert [r.problem.row for r in rows if r.problem] == [
        n for n, (_, bad, _) in zip(expected, records, strict=True) if bad
    ]


# -- tally names the row -----------------------------------------------------------------------------------


def test_tally_names_the_bad_row_by_its_index() -> None:
    good = {"jurisdiction": "xiamen", "mode": "joint_run", "places": 10, "enrolled": 5}
    rows = [good, good, {**good, "enrolled": 11}, good]
    with pytest.raises(TallyError) as info:
        tally(rows, on=DAY)
    error = info.value
    assert error.index == 2
    assert str(error).startswith("rows[2]: enrolled: enrolled (11) is more than places (10)")
    assert isinstance(error.__cause__, pydantic.ValidationError)
    assert isinstance(error, tr.InvalidInput)
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), again.index, str(again)) == (TallyError, 2, str(error))
    with pytest.raises(TallyError, match=r"^rows\[1\]: .*twice"):
        tally(
            ['{"jurisdiction": "xiamen", "mode": "joint_run", "places": 10, "enrolled": 5}', '{"a": 1, "a": 2}'], on=DAY
        )


# -- every output form carries the counts ------------------------------------------------------------------

SUMMED, LEFT_OUT = 40, MAX_KEPT_ERRORS + 20


@pytest.fixture(scope="module")
def lossy() -> tr.Budget:
    bad = "xiamen,joint_run,maybe,10,5,,,\n"
    text = HEADER + (GOOD + bad + bad + bad) * SUMMED + bad * (LEFT_OUT - 3 * SUMMED)
    result = budget(read_csv(io.StringIO(text)), on=DAY, reforms=[_up()], errors="collect")
    assert (result.facilities, result.error_count, len(result.errors)) == (SUMMED, LEFT_OUT, MAX_KEPT_ERRORS)
    return result


def _up() -> tr.Reform:
    return tr.Reform.from_dict(
        {"name": "up", "parameters": {"xiamen.operating_subsidy.amount": [{"kind": "range", "low": "1", "high": "2"}]}}
    )


def test_the_json_dump_carries_both_counts(lossy: tr.Budget) -> None:
    data = lossy.model_dump(mode="json")
    assert data["error_count"] == LEFT_OUT
    assert [s["facilities"] for s in data["scenarios"]] == [SUMMED, SUMMED]


def test_csv_dataframe_and_excel_carry_both_counts(lossy: tr.Budget, tmp_path: Path) -> None:
    want = {"facilities": str(SUMMED), "row_errors": str(LEFT_OUT), "row_errors_listed": str(MAX_KEPT_ERRORS)}
    (alone,) = csv.DictReader(io.StringIO(to_csv(lossy, table="summary")))
    assert alone == want
    together = [r for r in csv.DictReader(io.StringIO(to_csv(lossy))) if r["table"] == "summary"]
    assert [{k: r[k] for k in want} for r in together] == [want]
    frame = to_dataframe(lossy, table="summary")
    assert frame.to_dict("records") == [{k: int(v) for k, v in want.items()}]
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(to_excel(lossy, tmp_path / "b.xlsx"))["summary"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [list(want), [int(v) for v in want.values()]]


def test_the_cli_table_and_csv_carry_both_counts(tmp_path: Path) -> None:
    portfolio = tmp_path / "p.csv"
    portfolio.write_text(HEADER + GOOD * 3 + "xiamen,joint_run,maybe,10,5,,,\n" * 2, encoding="utf-8")
    status, out, err = run("budget", str(portfolio), "--on", "2024-06-01", "--errors", "collect")
    assert (status, err) == (0, "")
    assert "Facilities summed: 3\n" in out
    assert "Rows left out: 2\n" in out
    status, out, _ = run("budget", str(portfolio), "--on", "2024-06-01", "--errors", "collect", "--format", "csv")
    assert status == 0
    (summary,) = [r for r in csv.DictReader(io.StringIO(out)) if r["table"] == "summary"]
    assert (summary["facilities"], summary["row_errors"], summary["row_errors_listed"]) == ("3", "2", "2")
    clean = tmp_path / "clean.csv"
    clean.write_text(HEADER + GOOD, encoding="utf-8")
    status, out, _ = run("budget", str(clean), "--on", "2024-06-01")
    assert "Facilities summed: 1\n" in out
    assert "Rows left out: 0\n" in out  # said even when nothing was left out
