"""The errors of data in and out have codes (``core/errors_io.toml``) and are told in Chinese and English: a
portfolio given in a form that cannot be read, a table of facilities with wrong columns, an export of something that
is not a result, an unknown schema, and each cell or row of a portfolio that cannot be read (a
:class:`~tuoyu_rules.io.RowProblem` carries the code and parameters, and the :class:`~tuoyu_rules.RowError` made of
it tells them)."""

from __future__ import annotations

import ast
import datetime as dt
import io
import pickle
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.core.error_text import error_explanations, error_text
from tuoyu_rules.io import RowError, RowProblem, read_csv, read_jsonl, schema
from tuoyu_rules.io.export import tables, write_csv
from tuoyu_rules.io.portfolio import portfolio_rows

pd: Any = pytest.importorskip("pandas")
pa: Any = pytest.importorskip("pyarrow")

ON = dt.date(2024, 6, 1)
SRC = Path(tr.__file__).parent
LATIN = re.compile(r"[A-Za-z]")
CATALOGS = [SRC / "core" / "errors.toml", SRC / "core" / "errors_io.toml"]
RAW: dict[str, dict[str, str]] = {
    code: entry for path in CATALOGS for code, entry in tomllib.loads(path.read_text("utf-8"))["messages"].items()
}
IO_CODES = set(tomllib.loads(CATALOGS[1].read_text("utf-8"))["messages"])
HEADER = "jurisdiction,mode,places,enrolled,self_built,designations,received,facility_id"


def _without(text: str, values: Any) -> str:
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "")
    return text


def _raised(call: Callable[[], Any]) -> BaseException:
    try:
        call()
    except Exception as exc:  # the error is the point
        return exc
    raise AssertionError("no error")


def _check(exc: BaseException, code: str) -> None:
    """``exc`` has ``code``, says its str() in English and its rule in Chinese, with no Latin letter outside the
    parameters (the field, the ids and the values quoted from the input)."""
    assert isinstance(exc, tr.TuoyuError)
    assert exc.code == code, (exc.code, str(exc))
    (explained,) = error_explanations(exc)
    assert explained.code == code
    assert error_text(exc, "en") == str(exc)
    zh = error_text(exc, "zh")
    assert not LATIN.search(_without(zh, explained.params.values())), zh
    back = pickle.loads(pickle.dumps(exc))
    assert (back.code, dict(back.params), error_text(back, "zh")) == (exc.code, dict(exc.params), zh)


ONE: Any = {"jurisdiction": "xiamen"}  # one facility's data, not a list of them
STREAM: Any = io.StringIO("")  # a stream of no known format


def _frame(**columns: list[Any]) -> Any:
    return pd.DataFrame({"jurisdiction": ["xiamen"], "mode": ["self_run"], "places": [3], "enrolled": [2], **columns})


ERRORS: dict[str, tuple[Callable[[], Any], str]] = {
    "export a non-result": (lambda: tables(object()), "error.io.export.result"),
    "export to a non-stream": (lambda: write_csv(tr.assess(_facility(), on=ON), 5), "error.io.export.stream"),  # type: ignore[arg-type]
    "unknown schema": (lambda: schema.schema("Nope"), "error.io.schema.unknown_model"),
    "one mapping": (lambda: tr.budget(ONE, on=ON), "error.io.portfolio.one_mapping"),
    "input format": (lambda: portfolio_rows([], input_format="xml"), "error.io.portfolio.format"),  # type: ignore[arg-type]
    "format of a path": (lambda: tr.budget("portfolio.txt", on=ON), "error.io.portfolio.format_of_path"),
    "format of a stream": (lambda: tr.budget(STREAM, on=ON), "error.io.portfolio.stream_format"),
    "source type": (lambda: tr.budget(3, on=ON), "error.io.portfolio.source"),  # type: ignore[arg-type]
    "missing file": (lambda: tr.budget("/nonexistent/portfolio.csv", on=ON), "error.io.portfolio.unreadable"),
    "frame columns": (lambda: tr.budget(_frame(colour=["red"]), on=ON), "error.csv.unknown_columns"),
    "frame required": (lambda: tr.budget(pd.DataFrame({"mode": ["self_run"]}), on=ON), "error.csv.required_missing"),
    "table columns": (lambda: tr.budget(pa.table({"places": [3]}), on=ON), "error.csv.required_missing"),
}


def _facility() -> tr.Facility:
    return tr.Facility(jurisdiction="xiamen", mode="self_run", places=3, enrolled=2)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_an_io_error_has_a_code_and_says_it_in_both_languages(name: str) -> None:
    call, code = ERRORS[name]
    _check(_raised(call), code)


def test_a_file_that_is_not_utf8_is_coded(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(HEADER.encode() + b"\nxiamen,self_run,3,2,,,,\xe9t\xe9\n")
    exc = _raised(lambda: tr.budget(path, on=ON))
    _check(exc, "error.io.portfolio.not_utf8")
    assert str(exc).endswith("is not UTF-8 text")


def test_a_frame_with_a_column_twice_is_coded() -> None:
    frame = pd.DataFrame(
        [["xiamen", "self_run", 3, 2, "self_run"]], columns=["jurisdiction", "mode", "places", "enrolled", "mode"]
    )
    _check(_raised(lambda: tr.budget(frame, on=ON)), "error.csv.duplicate_column")


# -- a row's problem, told in both languages ------------------------------------------------------------------------
def _csv_problem(line: str) -> RowProblem:
    (row,) = read_csv([HEADER, line])
    assert row.problem is not None
    return row.problem


def _first_problem(rows: Any) -> RowProblem:
    problem = next(iter(rows)).problem
    assert isinstance(problem, RowProblem)
    return problem


NOT_TEXT: Any = [b"{}"]  # a line of bytes, not text

ROWS: dict[str, tuple[Callable[[], RowProblem], str, str]] = {
    "not a bool": (lambda: _csv_problem("xiamen,self_run,3,2,maybe,,,F-1"), "error.io.cell.not_bool", "self_built"),
    "not whole": (lambda: _csv_problem("xiamen,self_run,3.5,2,,,,"), "error.io.cell.not_whole", "places"),
    "too many digits": (
        lambda: _csv_problem("xiamen,self_run," + "9" * 5000 + ",2,,,,"),
        "error.io.cell.too_many_digits",
        "places",
    ),
    "designation": (
        lambda: _csv_problem("xiamen,self_run,3,2,,cn.caring_employer,,"),
        "error.io.cell.designation",
        "designations[0]",
    ),
    "designation year": (
        lambda: _csv_problem("xiamen,self_run,3,2,,cn.caring_employer:x,,"),
        "error.io.cell.not_whole",
        "designations[0].year",
    ),
    "receipt": (
        lambda: _csv_problem("xiamen,self_run,3,2,,,xiamen.x:2024-01-01,"),
        "error.io.cell.receipt",
        "received[0]",
    ),
    "required": (lambda: _csv_problem(",self_run,3,2,,,,"), "error.io.cell.required", "jurisdiction"),
    "cell count": (lambda: _csv_problem("xiamen,self_run,3"), "error.io.row.cells", "(row)"),
    "not CSV": (lambda: _csv_problem("xiamen,self_run,3,2,,," + "x" * 200_000 + ","), "error.csv.not_csv", "(row)"),
    "validation": (lambda: _csv_problem("xiamen,self_run,3,5,,,,"), "error.limit.enrolled_places", "enrolled"),
    "not text": (lambda: _first_problem(read_jsonl(NOT_TEXT)), "error.io.row.not_text", "(line)"),
    "not a facility": (
        lambda: _first_problem(portfolio_rows(["xiamen"])),
        "error.io.row.not_facility",
        "facilities[0]",
    ),
}


@pytest.mark.parametrize("name", sorted(ROWS))
def test_a_rows_problem_has_a_code_and_its_error_says_it_in_chinese(name: str) -> None:
    make, code, field = ROWS[name]
    problem = make()
    assert (problem.code, problem.field) == (code, field)
    assert problem.message == RAW[code]["en"].format(**problem.params)
    exc = RowError.of(problem)
    assert (exc.row, exc.field, exc.facility_id, exc.problem) == (
        problem.row,
        field,
        problem.facility_id,
        problem.message,
    )
    _check(exc, code)
    zh = error_text(exc, "zh")
    assert zh.startswith(f"第{problem.row}行"), zh


def test_a_row_error_names_the_row_its_key_and_the_field_in_chinese() -> None:
    exc = RowError.of(_csv_problem("xiamen,self_run,3,2,maybe,,,F-1"))
    assert (
        error_text(exc, "zh")
        == "第2行（F-1）：自建场地（self_built）：'maybe'不是可接受的取值；应填true（是）或false（否）"
    )
    assert str(exc) == "row 2 (F-1): self_built: 'maybe' is not true or false"


def test_a_row_with_several_problems_names_the_first_and_has_no_code() -> None:
    problem = _csv_problem("xiamen,ferry,3,5,,,,")
    assert problem.code is None
    assert problem.params == {}
    assert problem.message.endswith("(and 1 more problem)")
    assert error_text(RowError.of(problem), "zh").startswith("第2行：")


def test_a_frame_rows_cell_problem_names_its_label() -> None:
    frame = _frame(self_built=["maybe"]).set_axis(["a"])
    result = tr.budget(frame, on=ON, errors="collect")
    (problem,) = result.errors
    assert (problem.field, problem.code, problem.params) == (
        "facilities.loc['a'].self_built",
        "error.io.cell.not_bool",
        {"value": "'maybe'", "yes": "true", "no": "false"},
    )


def test_a_json_lines_problem_keeps_the_readers_code() -> None:
    (row,) = read_jsonl(['{"a": 1, "a": 2}'])
    assert row.problem is not None
    exc = _raised(lambda: tr.core.jsonio.loads('{"a": 1, "a": 2}', field="(line)"))
    assert isinstance(exc, tr.InvalidInput)
    assert (row.problem.code, row.problem.params) == (exc.code, dict(exc.params))


# -- the catalog and the raise sites ----------------------------------------------------------------------------
def _io_pairs() -> list[tuple[str, int, str, str]]:
    """Every ``"error.<code>", "<template>"`` pair given to a call in ``tuoyu_rules/io`` (a template held in a local
    name included), as ``tests/test_errors_i18n.py`` finds them in the whole library."""
    pairs = []
    for path in sorted((SRC / "io").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
            assigned = {}
            for node in sorted(
                (n for n in ast.walk(func) if isinstance(n, ast.Assign | ast.Call)), key=lambda n: n.lineno
            ):
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                    assigned.update({t.id: node.value.value for t in node.targets if isinstance(t, ast.Name)})
                elif isinstance(node, ast.Call):
                    for first, second in zip(node.args, node.args[1:], strict=False):
                        if isinstance(first, ast.Constant) and str(first.value).startswith("error."):
                            template = (
                                second.value
                                if isinstance(second, ast.Constant)
                                else assigned.get(getattr(second, "id", ""))
                            )
                            pairs.append((path.name, node.lineno, str(first.value), str(template)))
    return pairs


PAIRS = _io_pairs()


def test_every_io_code_is_raised_and_every_raise_site_says_its_codes_english() -> None:
    assert len(PAIRS) >= 25
    for module, line, code, template in PAIRS:
        assert code in RAW, f"{module}:{line}: {code}"
        assert RAW[code]["en"] == template, f"{module}:{line}: {code}"
    assert {code for _, _, code, _ in PAIRS} >= IO_CODES


@pytest.mark.parametrize("code", sorted(IO_CODES))
def test_every_io_code_has_no_latin_letter_in_chinese_and_the_same_parameters(code: str) -> None:
    entry = RAW[code]
    assert code.startswith("error.io.")
    assert not LATIN.search(re.sub(r"\{\w+\}", "", entry["zh"])), entry["zh"]
    assert set(re.findall(r"\{(\w+)\}", entry["zh"])) == set(re.findall(r"\{(\w+)\}", entry["en"]))
