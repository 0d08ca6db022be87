"""A budget read straight into columns (issue 17, "fast path end to end"): ``tr.budget`` of a CSV path or a pyarrow
Table, pyarrow installed, goes through the column path (:mod:`tuoyu_rules.whatif.budget_columns`), and its budget is
the row path's exactly (``==``): with reforms, receipts, per-child programmes (Hangzhou's, Sichuan's), designations,
a what-if move, Chinese reasons, bad rows (collected or raised, named by the same line), and the same progress.
The row path is the same call with pyarrow made unimportable.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tuoyu_rules as tr
import tuoyu_rules.whatif.budgets as budgets
from strategies import facility_data
from tuoyu_rules.batch import backends as batch_backends
from tuoyu_rules.core.models import MAX_ID_LENGTH
from tuoyu_rules.io import CSV_COLUMNS, csv_row_data
from tuoyu_rules.whatif import budget_columns

pa: Any = pytest.importorskip("pyarrow")
pc: Any = pytest.importorskip("pyarrow.compute")

ON = dt.date(2024, 6, 1)
ROOT = Path(__file__).resolve().parents[1]
PORTFOLIO = ROOT / "src" / "tuoyu_rules" / "examples" / "portfolio_xiamen.jsonl"
UP = tr.Reform.of("up").set("xiamen.operating_subsidy.amount", kind="range", low="20000", high="30000").build()
HZ_UP = tr.Reform.of("hz").set("hangzhou.puhui_subsidy.amount", kind="range", low="600", high="600").build()
LATER = dt.date(2025, 10, 1)
"""A day Sichuan's per-child subsidy is in force (from 2025-08-30), as Hangzhou's."""


# -- how a budget is made, and by which path -----------------------------------------------------------------------
class Paths(list[str]):
    """Which path each budget took: ``columns`` or ``rows``."""


@contextmanager
def spying() -> Iterator[Paths]:
    """Which path each ``tr.budget`` call in the block took."""
    taken = Paths()
    real = budget_columns.budget_columns

    def spy(*args: Any, **kwargs: Any) -> int | None:
        try:
            got = real(*args, **kwargs)
        except tr.InvalidInput:  # raised by the column path, as the row path raises it
            taken.append("columns")
            raise
        taken.append("rows" if got is None else "columns")
        return got

    with pytest.MonkeyPatch.context() as m:
        m.setattr("tuoyu_rules.whatif.budgets.budget_columns", spy)
        yield taken


@pytest.fixture
def paths() -> Iterator[Paths]:
    with spying() as taken:
        yield taken


@contextmanager
def no_pyarrow() -> Iterator[None]:
    """pyarrow made unimportable: ``tr.budget`` reads row by row."""
    with pytest.MonkeyPatch.context() as m:
        m.setitem(sys.modules, "pyarrow", None)
        yield


def by_rows(facilities: Any, **options: Any) -> Any:
    """The row path's budget, or its error."""
    with no_pyarrow():
        return outcome(facilities, **options)


def outcome(facilities: Any, **options: Any) -> Any:
    try:
        return tr.budget(facilities, on=options.pop("on", ON), **options)
    except tr.InvalidInput as exc:
        return (type(exc), getattr(exc, "row", None), exc.field, exc.code, str(exc))


def same(facilities: Any, paths: Paths, **options: Any) -> Any:
    """The budget by columns, checked equal to the row path's (and made by the column path)."""
    before = len(paths)
    got = outcome(facilities, **options)
    assert paths[before:] == ["columns"]
    assert got == by_rows(facilities, **options)
    return got


# -- CSV text --------------------------------------------------------------------------------------------------
def cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column == "designations":
        return ";".join(":".join(str(x) for x in _designation(d) if x is not None) for d in value)
    if column == "received":
        return ";".join(f"{r['program']}:{r['paid_on']}:{r['amount']}" for r in value)
    if column == "classes":
        return ";".join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _designation(d: Any) -> tuple[Any, ...]:
    if isinstance(d, dict):
        return (d["program"], d["year"], d.get("amount"))
    return (d.program, d.year, d.amount)


def csv_row(record: dict[str, Any], columns: list[str]) -> list[str]:
    return [cell(c, record.get("id" if c == "facility_id" else c)) for c in columns]


def write(path: Path, header: list[str], rows: Sequence[Sequence[str] | str]) -> Path:
    """A CSV file: ``header``, then each row's cells (written by ``csv.writer``) or a raw line of text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        if isinstance(row, str):
            out.write(row)
        else:
            writer.writerow(row)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in PORTFOLIO.read_text(encoding="utf-8").splitlines() if line.strip()]


ALL = list(CSV_COLUMNS)
HANGZHOU = {
    "jurisdiction": "hangzhou",
    "mode": "third_party",
    "embedded": True,
    "full_day": True,
    "filed": True,
    "designations": [{"program": "hangzhou.puhui", "year": 2023}],
}
CHENGDU = {
    "jurisdiction": "chengdu",
    "mode": "self_run",
    "places": 60,
    "full_day": True,
    "designations": [{"program": "sichuan.puhui", "year": 2025}],
}


def per_child(n: int) -> list[dict[str, Any]]:
    """Hangzhou and Chengdu (Sichuan's per-child subsidy) facilities with many distinct counts of children."""
    out: list[dict[str, Any]] = []
    for i in range(n):
        out.append({**HANGZHOU, "id": f"H{i}", "enrolled": i % 37, "places": 40 + i % 3})
        out.append({**CHENGDU, "id": f"C{i}", "enrolled": 10 + i % 41, "full_day_enrolled": i % 9})
    out.append({**HANGZHOU, "enrolled": 12, "places": 12, "filed": None})
    return out


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of a few rows: every test reads its file in many blocks."""
    monkeypatch.setattr(budget_columns, "BLOCK_BYTES", 1024)
    monkeypatch.setattr(budget_columns, "CHUNK_ROWS", 7)


# -- the same budget -----------------------------------------------------------------------------------------------
def test_the_bundled_portfolio_with_reforms_a_move_and_chinese(tmp_path: Path, paths: Paths) -> None:
    path = write(tmp_path / "p.csv", ALL, [csv_row(r, ALL) for r in records() + per_child(20)])
    got = same(path, paths, on=LATER, reforms=[UP, HZ_UP])
    assert got.scenarios[0].facilities == 100 + 41
    assert got.scenario("up") != got.scenarios[0] != got.scenario("hz")
    children = {p.program: p.children for p in got.scenarios[0].by_program if p.children}
    assert set(children) == {"hangzhou.puhui_subsidy", "sichuan.puhui_subsidy", "sichuan.puhui_subsidy_city_county"}
    same(path, paths, on=LATER, lang="zh", reforms=[UP])
    same(path, paths, on=LATER, jurisdiction="hangzhou")
    same(path, paths, baseline=False, reforms=[HZ_UP], rounding="ROUND_DOWN")


def test_receipts_and_designations_with_amounts(tmp_path: Path, paths: Paths) -> None:
    paid = "xiamen.construction_subsidy:2023-07-01:50000"
    rows = [
        csv_row({**r, "received": [dict(zip(("program", "paid_on", "amount"), paid.split(":"), strict=True))]}, ALL)
        for r in records()[:30]
    ]
    hz = {"program": "hangzhou.puhui_subsidy", "paid_on": "2024-05-10", "amount": "4000"}
    rows += [csv_row({**r, "received": [hz]}, ALL) for r in per_child(10)]
    rows += [
        csv_row(
            {
                "jurisdiction": "chengdu",
                "mode": "self_run",
                "places": 20,
                "enrolled": 10,
                "designations": [{"program": "chengdu.demonstration_site", "year": 2024, "amount": f"1500{i}0.00"}],
            },
            ALL,
        )
        for i in range(5)
    ]
    got = same(write(tmp_path / "r.csv", ALL, rows), paths, on=LATER, reforms=[UP])
    assert any(t.received for t in got.scenarios[0].by_payer)


def test_the_benchmark_mix(tmp_path: Path, paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    """The mix of ``benchmarks/bench_budget.py`` (``bench_batch.py``'s rows), 3,000 of them, in blocks of 500 rows."""
    spec = importlib.util.spec_from_file_location("bench_budget", ROOT / "benchmarks" / "bench_budget.py")
    assert spec is not None
    assert spec.loader is not None
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        bench = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bench)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    path = tmp_path / "bench.csv"
    bench.write_csv(path, 3000)
    monkeypatch.setattr(budget_columns, "BLOCK_BYTES", 1 << 12)
    monkeypatch.setattr(budget_columns, "CHUNK_ROWS", 500)
    assert same(path, paths, reforms=[UP]).facilities == 3000


BAD_CELLS = {
    "places": ["-1", "1.5", "", "abc"],
    "enrolled": ["999999"],
    "self_built": ["yes"],
    "designations": ["nonsense", "cn.caring_employer:20x2", "cn.caring_employer:2022;cn.caring_employer:2023"],
    "jurisdiction": ["nowhere", ""],
    "mode": ["owned"],
    "facility_id": ["bad\x01id"],
    "received": ["xiamen.construction_subsidy:2023-13-01:5"],
    "classes": ["0;3"],
}


@st.composite
def portfolios(draw: st.DrawFn) -> list[list[str] | str]:
    """CSV rows: valid facilities, some with a bad cell, blank lines and rows of spaces among them."""
    rows: list[list[str] | str] = []
    for i in range(draw(st.integers(min_value=0, max_value=25))):
        data = draw(facility_data())
        if draw(st.booleans()):
            data["id"] = f"F{i}"
        row = csv_row(data, ALL)
        kind = draw(st.sampled_from(["good"] * 6 + ["bad", "blank", "spaces"]))
        if kind == "bad":
            column = draw(st.sampled_from(sorted(BAD_CELLS)))
            row[ALL.index(column)] = draw(st.sampled_from(BAD_CELLS[column]))
        elif kind == "blank":
            rows.append("\n")
        elif kind == "spaces":
            rows.append(" ," * (len(ALL) - 1) + "\n")
        rows.append(row)
    return rows


@given(rows=portfolios(), errors=st.sampled_from(["collect", "raise"]))
def test_any_portfolio_gives_the_row_paths_budget(rows: list[list[str] | str], errors: str) -> None:
    with tempfile.TemporaryDirectory() as folder, spying() as taken:
        path = write(Path(folder) / "p.csv", ALL, rows)
        got = outcome(path, reforms=[UP], errors=errors)
        assert taken == ["columns" if any(isinstance(row, list) for row in rows) else "rows"]  # no record: no rows
        assert got == by_rows(path, reforms=[UP], errors=errors)


def test_bad_rows_are_the_row_paths_named_by_the_same_lines(tmp_path: Path, paths: Paths) -> None:
    good = csv_row(records()[0], ALL)
    bad = list(good)
    bad[ALL.index("places")] = "-3"
    rows = [good] * 40 + [bad] + [good] * 30 + ["\n", bad] + [good] * 200 + [bad]
    path = write(tmp_path / "b.csv", ALL, rows)
    got = same(path, paths, errors="collect")
    assert got.error_count == 3
    assert [e.row for e in got.errors] == [42, 74, 275]
    assert got.errors[0].field == "places"
    assert got.errors[0].code == "error.io.cell.not_whole"
    error = same(path, paths)
    assert error[:4] == (tr.RowError, 42, "places", "error.io.cell.not_whole")
    many = write(tmp_path / "m.csv", ALL, [bad] * 150 + [good])
    got = same(many, paths, errors="collect")
    assert (got.error_count, len(got.errors), got.facilities) == (150, budgets.MAX_KEPT_ERRORS, 1)


def test_what_pyarrow_might_read_otherwise_is_read_by_the_row_path(tmp_path: Path, paths: Paths) -> None:
    """A quoted cell (a comma, a quote, a line break in a name), a record with a cell too many, or too long for
    Python's csv module: from there on, the row path reads the file, and the lines still count right."""
    good = csv_row(records()[0], ALL)
    bad = list(good)
    bad[ALL.index("enrolled")] = "x"
    named = list(good)
    named[ALL.index("name")] = 'A "sunny",\nnursery'
    long = list(good)
    long[ALL.index("name")] = "n" * csv.field_size_limit()
    for odd in (named, ",".join(good) + ",extra\n", ",".join(good[:-2]) + "\n", long):
        path = write(tmp_path / "q.csv", ALL, [good] * 60 + [bad, odd] + [good] * 60 + [bad])
        got = same(path, paths, errors="collect")
        assert [e.row for e in got.errors][:1] == [62]
        assert got.errors[-1].row in (124, 125)
        assert same(path, paths)[1] == 62


def test_a_file_as_the_row_path_reads_it(tmp_path: Path, paths: Paths) -> None:
    """A byte-order mark, a header with spaces, CRLF line ends, a header alone, an empty file, text not UTF-8, a bad
    header: the row path's answer, or its error."""
    good = csv_row(records()[0], ALL)
    text = write(tmp_path / "a.csv", ALL, [good] * 30).read_text("utf-8")
    spaced = text.replace("jurisdiction,", " jurisdiction ,", 1)
    for name, data in {
        "bom": ("\ufeff" + text).encode(),
        "crlf": text.replace("\n", "\r\n").encode(),
        "cr": text.replace("\n", "\r").encode(),
        "spaced": spaced.encode(),
    }.items():
        (tmp_path / f"{name}.csv").write_bytes(data)
        assert same(tmp_path / f"{name}.csv", paths).facilities == 30, name
    for name, data in {
        "header": text.splitlines(keepends=True)[0].encode(),
        "empty": b"",
        "latin1": text.encode() + ",".join(good).replace("xiamen", "xi\xe0men").encode("latin-1") + b"\n",
        "unknown": text.replace("places", "place", 1).encode(),
    }.items():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(data)
        assert outcome(path) == by_rows(path), name


def test_the_same_progress(tmp_path: Path) -> None:
    good = csv_row(records()[0], ALL)
    bad = list(good)
    bad[ALL.index("mode")] = "owned"
    path = write(tmp_path / "p.csv", ALL, ([good] * 700 + [bad]) * 3 + [good] * 5)
    for errors in ("collect", "raise"):
        told: list[int] = []
        with no_pyarrow():
            outcome(path, errors=errors, progress=told.append)
        got: list[int] = []
        outcome(path, errors=errors, progress=got.append)
        assert got == told, errors
    assert told == got == []  # raise: the first bad row is row 701, before a thousand rows are done
    assert outcome(path, errors="collect", progress=got.append).facilities == 2105
    assert got == [1000, 2000, 2108]
    with pytest.raises(tr.WrongType):
        tr.budget(path, on=ON, progress=3)  # type: ignore[arg-type]


def test_a_pyarrow_table(paths: Paths) -> None:
    rows = [{("facility_id" if k == "id" else k): v for k, v in r.items()} for r in records() + per_child(5)]
    columns = [c for c in CSV_COLUMNS if any(c in r for r in rows)]
    data = {c: [cell(c, r[c]) if c == "designations" and c in r else r.get(c) for r in rows] for c in columns}
    same(pa.table(data), paths, reforms=[UP])
    data["places"][3] = -1
    data["enrolled"][9] = 1.5
    data["mode"][20] = None
    got = same(pa.table(data), paths, errors="collect")
    assert [(e.row, e.field) for e in got.errors] == [
        (3, "facilities[3].places"),
        (9, "facilities[9].enrolled"),
        (20, "facilities[20].mode"),
    ]
    assert same(pa.table(data), paths)[1:3] == (3, "facilities[3].places")


def test_the_row_path_without_pyarrow_with_a_strategy_or_another_form(tmp_path: Path, paths: Paths) -> None:
    path = write(tmp_path / "p.csv", ALL, [csv_row(r, ALL) for r in records()[:10]])
    with no_pyarrow():
        expected = tr.budget(path, on=ON)
    assert paths == ["rows"]  # asked, and it said no: pyarrow cannot be imported
    assert tr.budget(path, on=ON) == expected
    assert paths == ["rows", "columns"]
    tr.budget(path, on=ON, strategy="low")
    assert paths == ["rows", "columns"]  # a strategy: never asked
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records()[:10]), encoding="utf-8")
    assert tr.budget(jsonl, on=ON) == expected
    assert tr.budget(records()[:10], on=ON) == expected
    assert paths == ["rows", "columns", "rows", "rows"]


def test_a_table_of_any_column_type(paths: Paths) -> None:
    """Dictionary-encoded text (a pandas category), ints with nulls, floats: the column path; a list column: the
    row path, as the only reader of it."""
    rows = records()[:40]
    table = pa.table(
        {
            "facility_id": pa.array([f"托育-{i}" if i % 3 else None for i in range(40)]).dictionary_encode(),
            "jurisdiction": pa.array([r["jurisdiction"] for r in rows]).dictionary_encode(),
            "mode": [r["mode"] for r in rows],
            "places": pa.array([float(r["places"]) for r in rows]),
            "enrolled": pa.array([r["enrolled"] for r in rows], pa.int16()),
            "staff_children": pa.array([None if i % 2 else i % 5 for i in range(40)], pa.int64()),
            "full_day": pa.array([None if i % 4 else bool(i % 3) for i in range(40)]),
        }
    )
    got = same(table, paths, reforms=[UP])
    assert got.facilities == 40
    listed = table.append_column("classes", pa.array([[3, 4]] * 40))
    assert tr.budget(listed, on=ON, errors="collect").error_count == 40  # a list is no cell the CSV rules read
    assert paths[-1] == "rows"


def test_plain_ids_are_valid_ids() -> None:
    """The column path leaves a column of plain ids (printable ASCII but the quote, 1 to 200 characters, not all
    spaces) out of the checker: each must be a valid Facility.id, and a facility_id cell read as itself."""
    plain = [chr(c) for c in range(0x20, 0x7F) if chr(c) != '"']
    base = {"jurisdiction": "xiamen", "mode": "self_run", "places": 3, "enrolled": 2}
    for text in [*plain[1:], "a" * MAX_ID_LENGTH, " a ", "~" + " " * 199]:
        assert csv_row_data({"facility_id": text}) == {"id": text}
        assert tr.Facility.model_validate({**base, "id": text}).id == text
    assert csv_row_data({"facility_id": " " * 5}) == {}  # all spaces: no id (not plain: checked as any cell)
    with pytest.raises(ValueError, match="at most 200"):
        tr.Facility.model_validate({**base, "id": "a" * (MAX_ID_LENGTH + 1)})
    column = pa.array(["a", "B-1", " x", "a" * 200, None])
    assert budget_columns._plain(column, pa, pc)
    for odd in ("a" * 201, "", "  ", 'a"b', "é", "a\tb", "a\x01"):
        assert not budget_columns._plain(pa.array(["a", odd]), pa, pc), repr(odd)


def test_any_id_as_the_row_path_reads_it(tmp_path: Path, paths: Paths) -> None:
    ids = ["F-1", "托育-2", "   ", "", "a" * 201, "x\x01", "F-1", "Ünïcode"]
    rows = [csv_row({**records()[i], "id": key}, ALL) for i, key in enumerate(ids)]
    got = same(write(tmp_path / "ids.csv", ALL, rows), paths, errors="collect")
    assert [(e.row, e.field) for e in got.errors] == [(6, "id"), (7, "id")]


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_either_column_backend(tmp_path: Path, paths: Paths, monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    if backend == "numpy":
        pytest.importorskip("numpy")
    monkeypatch.setattr(budget_columns, "_backend", lambda _: batch_backends._backend(backend))  # type: ignore[arg-type]
    good = csv_row(records()[5], ALL)
    bad = list(good)
    bad[ALL.index("designations")] = "cn.caring_employer"
    rows = [csv_row(r, ALL) for r in records() + per_child(15)] + [bad]
    same(write(tmp_path / "p.csv", ALL, rows), paths, on=LATER, errors="collect", reforms=[HZ_UP])
