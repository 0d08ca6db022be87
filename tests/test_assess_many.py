"""``tuoyu assess-many`` and ``tr.assess_rows`` (issue 15): one result per row of a portfolio, in input order, with
the input's line number and the facility's id; bad rows reported by line and field while the rest are assessed;
a summary line on standard error; results equal to ``tr.assess``; output streamed (memory flat)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.batch import RuleCache
from tuoyu_rules.cli import batch as cli_batch
from tuoyu_rules.cli.app import main
from tuoyu_rules.io.export import ENTRY_COLUMNS, entries_table
from tuoyu_rules.whatif.rows import ROW_COLUMNS

ON = dt.date(2024, 6, 1)
EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "tuoyu_rules" / "examples"
PORTFOLIO = EXAMPLES / "portfolio_xiamen.jsonl"

GOOD = {"id": "F-1", "jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 30, "enrolled": 20}
NATIONAL = {
    "id": "F-3",
    "jurisdiction": "hangzhou",
    "mode": "third_party",
    "embedded": True,
    "places": 40,
    "enrolled": 30,
    "designations": [{"program": "cn.caring_employer", "year": 2022}],
}
JSONL = "\n".join(
    [
        json.dumps(GOOD),
        json.dumps({"id": "F-2", "jurisdiction": "xiamen", "mode": "self_run", "places": 3, "enrolled": 20}),
        "",  # a blank line: no row, but it is a line
        json.dumps(NATIONAL),
        '{"jurisdiction": "xiamen", "mode": "self_run", "places": 3, "enrolled": 2',  # not JSON
        json.dumps({**GOOD, "id": "F-5", "place": 30}),  # a typo: an unknown key
    ]
)
CSV = (
    "facility_id,jurisdiction,mode,self_built,places,enrolled,designations\n"
    "F-1,xiamen,self_run,true,30,20,\n"
    "F-2,xiamen,self_run,maybe,30,20,\n"
    "F-3,hangzhou,third_party,false,40,30,cn.caring_employer:2022\n"
    "F-4,atlantis,self_run,false,40,30,\n"
)


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


def expected(data: dict[str, Any], **options: Any) -> dict[str, Any]:
    """What ``tuoyu assess --format json`` prints for the facility ``data``: the library's own dump."""
    return tr.assess(tr.Facility.model_validate(data), on=ON, **options).model_dump(mode="json")


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "p.jsonl").write_text(JSONL + "\n", encoding="utf-8")
    (tmp_path / "p.csv").write_text(CSV, encoding="utf-8")
    return {"jsonl": tmp_path / "p.jsonl", "csv": tmp_path / "p.csv"}


# -- the command: ndjson out -----------------------------------------------------------------------------------


def test_jsonl_in_ndjson_out_equals_the_library_row_by_row_with_bad_rows_by_line_and_field(
    files: dict[str, Path],
) -> None:
    status, out, err = run("assess-many", str(files["jsonl"]), "--on", "2024-06-01")
    assert status == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["line"] for r in results] == [1, 2, 4, 5, 6]  # line 3 is blank: line numbers are the file's
    assert [r["facility_id"] for r in results] == ["F-1", "F-2", "F-3", None, "F-5"]
    assert results[0] == {"line": 1, "facility_id": "F-1", "assessment": expected(GOOD)}
    assert results[2] == {"line": 4, "facility_id": "F-3", "assessment": expected(NATIONAL)}
    assert results[1]["error"]["field"] == "enrolled"
    assert "more than places" in results[1]["error"]["message"]
    assert results[3]["error"]["field"] == "(line)"
    assert (results[4]["error"]["field"], set(results[4]["error"])) == ("place", {"field", "message"})
    assert err == "tuoyu: assess-many: 5 rows read, 2 assessed, 3 errors\n"


def test_the_bundled_portfolio_every_row_equal_to_assess() -> None:
    status, out, err = run("assess-many", "--example", "portfolio_xiamen", "--on", "2024-06-01")
    assert status == 0
    rows = [json.loads(line) for line in PORTFOLIO.read_text(encoding="utf-8").splitlines()]
    results = [json.loads(line) for line in out.splitlines()]
    assert len(results) == len(rows) == 100
    for number, (row, result) in enumerate(zip(rows, results, strict=True), start=1):
        assert result == {"line": number, "facility_id": None, "assessment": expected(row)}
    assert err == "tuoyu: assess-many: 100 rows read, 100 assessed, 0 errors\n"


def test_csv_in_ndjson_out_numbers_lines_as_the_reader_does(files: dict[str, Path]) -> None:
    status, out, err = run("assess-many", str(files["csv"]), "--on", "2024-06-01", "--format", "ndjson")
    assert status == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [(r["line"], r["facility_id"]) for r in results] == [(2, "F-1"), (3, "F-2"), (4, "F-3"), (5, "F-4")]
    assert results[0]["assessment"] == expected(GOOD)
    assert results[2]["assessment"] == expected({**NATIONAL, "embedded": False})
    assert results[1]["error"]["field"] == "self_built"
    assert results[3]["error"]["field"] == "jurisdiction"
    assert err == "tuoyu: assess-many: 4 rows read, 2 assessed, 2 errors\n"


def test_what_if_jurisdiction_and_rounding_apply_to_every_row(files: dict[str, Path]) -> None:
    argv = ("assess-many", str(files["jsonl"]), "--on", "2024-06-01", "--jurisdiction", "weifang")
    status, out, _ = run(*argv, "--rounding", "ROUND_DOWN")
    assert status == 0
    first = json.loads(out.splitlines()[0])
    assert first["assessment"] == expected(GOOD, jurisdiction="weifang", rounding="ROUND_DOWN")


# -- the command: csv out --------------------------------------------------------------------------------------


def test_csv_out_is_the_entries_table_headed_by_line_and_facility_id(files: dict[str, Path]) -> None:
    status, out, err = run("assess-many", str(files["csv"]), "--on", "2024-06-01", "--format", "csv")
    assert status == 0
    table = list(csv.reader(io.StringIO(out)))
    assert tuple(table[0]) == ROW_COLUMNS == ("line", *ENTRY_COLUMNS, "error_field", "error")
    assert ROW_COLUMNS[1] == "facility_id"
    a = tr.assess(tr.Facility.model_validate(GOOD), on=ON)
    again = io.StringIO()
    tr.write_csv(a, again)  # the entries table as `tuoyu assess --format csv` writes it
    entries = list(csv.reader(io.StringIO(again.getvalue())))[1:]
    assert len(entries) == len(entries_table("entries", [(a.jurisdiction, a)]).rows)
    assert [r for r in table[1:] if r[0] == "2"] == [["2", *e, "", ""] for e in entries]
    assert {e[0] for e in entries} == {"F-1"}
    bad = [r for r in table[1:] if r[0] == "3"]
    assert len(bad) == 1
    assert bad[0][:2] == ["3", "F-2"]
    assert bad[0][2:-2] == [""] * (len(ENTRY_COLUMNS) - 1)
    assert bad[0][-2] == "self_built"
    assert "not true or false" in bad[0][-1]
    assert {r[0] for r in table[1:]} == {"2", "3", "4", "5"}
    assert err == "tuoyu: assess-many: 4 rows read, 2 assessed, 2 errors\n"


def test_csv_out_of_many_rows_sharing_results_equals_row_by_row(tmp_path: Path) -> None:
    """The CLI keeps the cells of a stored result (rows sharing it write the same cells): every row's lines are
    still exactly its own assessment's entries table, with its own line and id."""
    rows = [json.loads(line) for line in PORTFOLIO.read_text(encoding="utf-8").splitlines()]
    rows = [{**row, "id": f"P-{n % 7}"} for n, row in enumerate(rows * 2)]  # ids and results repeat apart
    path = tmp_path / "ids.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    status, out, _ = run("assess-many", str(path), "--on", "2024-06-01", "--format", "csv")
    assert status == 0
    got = list(csv.reader(io.StringIO(out)))[1:]
    want: list[list[str]] = []
    for number, row in enumerate(rows, start=1):
        text = tr.to_csv(tr.assess(tr.Facility.model_validate(row), on=ON))
        want += [[str(number), *e, "", ""] for e in list(csv.reader(io.StringIO(text)))[1:]]
    assert got == want


# -- exit statuses ---------------------------------------------------------------------------------------------


def test_bad_rows_exit_0_and_strict_exits_2(files: dict[str, Path]) -> None:
    status, out, err = run("assess-many", str(files["csv"]), "--on", "2024-06-01", "--strict")
    assert status == 2
    assert len(out.splitlines()) == 4  # every row is still written
    assert err == "tuoyu: assess-many: 4 rows read, 2 assessed, 2 errors\n"
    good = files["csv"].with_name("good.csv")
    good.write_text("\n".join(CSV.splitlines()[:2]) + "\n", encoding="utf-8")
    assert run("assess-many", str(good), "--on", "2024-06-01", "--strict")[0] == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("-", "--on", "2024-06-01"), "needs --input-format"),
        (("{csv}", "--on", "2024-06-01", "--jurisdiction", "atlantis"), "unknown jurisdiction 'atlantis'"),
        (("{csv}", "--on", "2024-06-01", "--jurisdiction", "fujian"), "is a province jurisdiction"),
        (("{csv}", "--on", "2024-13-01"), "not a date"),
        (("{dir}/missing.csv", "--on", "2024-06-01"), "cannot read"),
        (("{dir}/portfolio.txt", "--on", "2024-06-01"), "cannot tell the format"),
        (("{dir}/header.csv", "--on", "2024-06-01"), "row 1: header: unknown columns ['place']"),
    ],
)
def test_bad_arguments_exit_2_with_one_line_and_no_output(
    files: dict[str, Path], argv: tuple[str, ...], message: str
) -> None:
    folder = files["csv"].parent
    (folder / "portfolio.txt").write_text(CSV, encoding="utf-8")
    (folder / "header.csv").write_text("jurisdiction,mode,place,enrolled\nxiamen,self_run,3,2\n", encoding="utf-8")
    args = [a.format(csv=files["csv"], dir=folder) for a in argv]
    status, out, err = run("assess-many", *args)
    assert (status, out) == (2, "")
    assert err.startswith("tuoyu: error: ")
    assert err.count("\n") == 1
    assert message in err


# -- standard input --------------------------------------------------------------------------------------------


def test_stdin_with_input_format(files: dict[str, Path]) -> None:
    status, out, err = run("assess-many", "-", "--input-format", "csv", "--on", "2024-06-01", stdin=CSV)
    assert status == 0
    assert json.loads(out.splitlines()[0]) == {"line": 2, "facility_id": "F-1", "assessment": expected(GOOD)}
    assert err == "tuoyu: assess-many: 4 rows read, 2 assessed, 2 errors\n"


def test_stdin_in_a_real_process() -> None:
    text = "\n".join(json.dumps({**GOOD, "id": f"F-{n}", "places": 20 + n}) for n in range(3)) + "\n"
    done = subprocess.run(
        [sys.executable, "-m", "tuoyu_rules.cli", "assess-many", "-", "--input-format", "jsonl", "--on", "2024-06-01"],
        input=text.encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [(r["line"], r["facility_id"]) for r in results] == [(1, "F-0"), (2, "F-1"), (3, "F-2")]
    assert results[2]["assessment"] == expected({**GOOD, "id": "F-2", "places": 22})
    assert done.stderr.decode() == "tuoyu: assess-many: 3 rows read, 3 assessed, 0 errors\n"


# -- streaming -------------------------------------------------------------------------------------------------


class _Recorder(io.StringIO):
    """Standard output that records the size of each write."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def write(self, text: str) -> int:
        self.sizes.append(len(text))
        return super().write(text)


def test_output_is_written_as_it_goes_not_gathered_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_batch, "SPILL_CHARS", 50_000)
    out, err = _Recorder(), io.StringIO()
    assert main(["assess-many", "--example", "portfolio_xiamen", "--on", "2024-06-01"], stdout=out, stderr=err) == 0
    assert len(out.getvalue().splitlines()) == 100
    assert len(out.sizes) > 10  # in pieces: about 1.1 MB of JSON Lines, spilled every 50,000 characters
    assert max(out.sizes) < 50_000 + 20_000  # a piece is the spill size and at most one row more


def test_summary_follows_the_output_on_a_shared_stream() -> None:
    both = io.StringIO()
    assert main(["assess-many", "--example", "portfolio_xiamen", "--on", "2024-06-01"], stdout=both, stderr=both) == 0
    lines = both.getvalue().splitlines()
    assert lines[-1] == "tuoyu: assess-many: 100 rows read, 100 assessed, 0 errors"
    assert all(line.startswith('{"line":') for line in lines[:-1])


class _Closed(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError


class _Full(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


def test_a_reader_closing_the_pipe_stops_the_run_quietly() -> None:
    err = io.StringIO()
    argv = ["assess-many", "--example", "portfolio_xiamen", "--on", "2024-06-01"]
    assert main(argv, stdout=_Closed(), stderr=err) == 0
    assert err.getvalue() == ""


def test_a_failed_write_stops_the_run_with_status_1() -> None:
    err = io.StringIO()
    argv = ["assess-many", "--example", "portfolio_xiamen", "--on", "2024-06-01"]
    assert main(argv, stdout=_Full(), stderr=err) == 1
    assert err.getvalue() == "tuoyu: error: cannot write standard output: No space left on device\n"


# -- the Python iterator ---------------------------------------------------------------------------------------


def test_assess_rows_from_a_path_a_stream_dicts_and_facilities(files: dict[str, Path]) -> None:
    from_path = list(tr.assess_rows(files["jsonl"], on=ON))
    with files["jsonl"].open(encoding="utf-8") as stream:
        from_stream = list(tr.assess_rows(stream, on=ON))
    assert from_path == from_stream
    assert [(r.line, r.facility_id, r.ok) for r in from_path] == [
        (1, "F-1", True),
        (2, "F-2", False),
        (4, "F-3", True),
        (5, None, False),
        (6, "F-5", False),
    ]
    assert from_path[0].assessment == tr.assess(tr.Facility.model_validate(GOOD), on=ON)
    facility = tr.Facility.model_validate(NATIONAL)
    given = list(tr.assess_rows([GOOD, facility, {**GOOD, "enrolled": 99}, 7], on=ON))
    assert [(r.line, r.facility_id, r.ok) for r in given] == [
        (1, "F-1", True),
        (2, "F-3", True),
        (3, "F-1", False),
        (4, None, False),
    ]
    assert given[1].assessment == tr.assess(facility, on=ON)
    assert given[2].error is not None
    assert given[2].error.field == "enrolled"
    assert given[3].error is not None
    assert given[3].error.field == "(row)"


def test_assess_rows_json_output_is_the_dump_of_the_assessment(files: dict[str, Path]) -> None:
    fast = list(tr.assess_rows(files["csv"], on=ON, output="json"))
    slow = list(tr.assess_rows(files["csv"], on=ON))
    for f, s in zip(fast, slow, strict=True):
        assert (f.line, f.facility_id, f.error) == (s.line, s.facility_id, s.error)
        assert json.loads(f.to_json()) == json.loads(s.to_json())
        if s.assessment is not None:
            assert f.assessment_json is not None
            assert json.loads(f.assessment_json) == s.assessment.model_dump(mode="json")


def test_assess_rows_refuses_bad_arguments_before_reading(files: dict[str, Path]) -> None:
    with pytest.raises(tr.InvalidInput, match="on"):
        tr.assess_rows(files["csv"], on="2024-06-01")  # type: ignore[arg-type]
    with pytest.raises(tr.InvalidInput, match="rounding"):
        tr.assess_rows(files["csv"], on=ON, rounding="ROUND_SIDEWAYS")
    with pytest.raises(tr.UnknownJurisdiction):
        tr.assess_rows(files["csv"], on=ON, jurisdiction="atlantis")
    with pytest.raises(tr.InvalidInput, match="input_format"):
        tr.assess_rows(io.StringIO(CSV), on=ON)
    with pytest.raises(tr.InvalidInput, match="output"):
        tr.assess_rows(files["csv"], on=ON, output="fen")  # type: ignore[arg-type]
    with pytest.raises(tr.InvalidInput, match="made for another day"):
        tr.assess_rows(files["csv"], on=ON, cache=RuleCache(on=dt.date(2023, 6, 1)))


def test_assess_rows_shares_a_cache() -> None:
    cache = RuleCache(on=ON)
    rows = [json.loads(line) for line in PORTFOLIO.read_text(encoding="utf-8").splitlines()]
    first = list(tr.assess_rows(rows, on=ON, cache=cache))
    runs = cache.misses
    assert list(tr.assess_rows(rows, on=ON, cache=cache)) == first
    assert cache.misses == runs  # the second pass ran the engine no more
    assert runs < len(rows)  # and the first ran it once per distinct set of facts read, not per row


def test_assess_rows_is_lazy(tmp_path: Path) -> None:
    """Rows are read as results are asked for: a bad line far down does not stop the rows before it."""
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + "\xff not json\n", encoding="utf-8")
    rows = tr.assess_rows(path, on=ON)
    first = next(rows)
    assert first.ok
    second = next(rows)
    assert (second.line, second.ok) == (2, False)
