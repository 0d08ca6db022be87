"""One input vocabulary for portfolio budgets (issue 17, first bullet): ``tr.budget`` and ``tr.sweep`` take Facility
objects, plain dicts, a CSV or JSON Lines path, a pandas DataFrame or a reader's rows, and the same facilities in
any of these forms give the same budget. Before the fix a list of dicts failed ("facilities[1]: expected a
tuoyu_rules.Facility, got dict", the index off by one: it named the first item 1), a DataFrame failed ("got str")
and a path was refused. A pyarrow Table is one more form, where pyarrow is installed."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import importlib.util
import io
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.io import CSV_COLUMNS, frames

pd: Any = pytest.importorskip("pandas")  # a dev dependency (the optional extra's code path)
pa: Any = importlib.import_module("pyarrow") if importlib.util.find_spec("pyarrow") else None  # extra `pyarrow`

ON = dt.date(2024, 6, 1)
PORTFOLIO = Path(__file__).resolve().parents[1] / "src" / "tuoyu_rules" / "examples" / "portfolio_xiamen.jsonl"
HANGZHOU = {
    "id": "HZ-1",
    "jurisdiction": "hangzhou",
    "mode": "third_party",
    "embedded": True,
    "full_day": True,
    "places": 40,
    "enrolled": 30,
    "designations": [{"program": "cn.caring_employer", "year": 2022}],
}
CHENGDU = {
    "id": "CD-1",
    "jurisdiction": "chengdu",
    "mode": "self_run",
    "places": 20,
    "enrolled": 10,
    "designations": [{"program": "chengdu.demonstration_site", "year": 2024, "amount": "150000.00"}],
}
UP = tr.Reform.of("up").set("xiamen.operating_subsidy.amount", kind="range", low="20000", high="30000").build()


def _records() -> list[dict[str, Any]]:
    lines = PORTFOLIO.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()] + [HANGZHOU, CHENGDU]


def _csv_cell(column: str, value: Any) -> str:
    if column == "designations":
        return ";".join(":".join(str(d[k]) for k in ("program", "year", "amount") if k in d) for d in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv_text(records: list[dict[str, Any]]) -> str:
    columns = [c for c in CSV_COLUMNS if any((c if c != "facility_id" else "id") in r for r in records)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in records:
        writer.writerow(
            ["" if (key := c if c != "facility_id" else "id") not in r else _csv_cell(c, r[key]) for c in columns]
        )
    return out.getvalue()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("portfolio")
    records = _records()
    (folder / "p.csv").write_text(_csv_text(records), encoding="utf-8")
    (folder / "p.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    (folder / "p.ndjson").write_text((folder / "p.jsonl").read_text("utf-8"), encoding="utf-8")
    return {"csv": folder / "p.csv", "jsonl": folder / "p.jsonl", "ndjson": folder / "p.ndjson"}


def _typed_frame(records: list[dict[str, Any]]) -> Any:
    """The portfolio as a DataFrame with typed columns (ints, bools, NaN where a facility has no value)."""
    rows = [
        {("facility_id" if k == "id" else k): (_csv_cell(k, v) if k == "designations" else v) for k, v in r.items()}
        for r in records
    ]
    return pd.DataFrame(rows)


def _arrow_table(records: list[dict[str, Any]]) -> Any:
    """The portfolio as a pyarrow Table with typed columns (ints, bools, nulls where a facility has no value)."""
    rows = [{("facility_id" if k == "id" else k): v for k, v in r.items()} for r in records]
    columns = [c for c in CSV_COLUMNS if any(c in r for r in rows)]
    return pa.table(
        {c: [_csv_cell(c, r[c]) if c == "designations" and c in r else r.get(c) for r in rows] for c in columns}
    )


def _forms(files: dict[str, Path]) -> dict[str, Any]:
    records = _records()
    with files["csv"].open(encoding="utf-8", newline="") as stream:
        rows = list(tr.read_csv(stream))
    arrow = {} if pa is None else {"pyarrow Table": _arrow_table(records)}
    return {
        **arrow,
        "facilities": [tr.Facility.model_validate(r) for r in records],
        "dicts": records,
        "generator of dicts": (r for r in records),
        "csv path (str)": str(files["csv"]),
        "csv path": files["csv"],
        "jsonl path": files["jsonl"],
        "ndjson path": str(files["ndjson"]),
        "read_csv rows": rows,
        "DataFrame of text": pd.read_csv(files["csv"], dtype=str, keep_default_na=False),
        "DataFrame of text, NaN for empty": pd.read_csv(files["csv"], dtype=str),
        "typed DataFrame": _typed_frame(records),
    }


def test_every_input_form_gives_the_same_budget(files: dict[str, Path]) -> None:
    expected = tr.budget([tr.Facility.model_validate(r) for r in _records()], on=ON, reforms=[UP])
    base = expected.scenarios[0]
    assert base.facilities == 102
    assert {t.payer for t in base.by_payer} >= {"xiamen.union", "cn.acftu"}  # all three cities are in it
    assert any(p.program.startswith("chengdu.") for p in base.by_program)
    assert any(p.program.startswith("hangzhou.") or p.payer.startswith("hangzhou") for p in base.by_program)
    for form, facilities in _forms(files).items():
        got = tr.budget(facilities, on=ON, reforms=[UP])
        assert got == expected, form


def test_every_input_form_gives_the_same_sweep(files: dict[str, Path]) -> None:
    sweep: dict[str, Any] = {"on": ON, "parameter": "xiamen.operating_subsidy.amount"}
    sweep["values"] = [tr.AmountRange.of(Decimal("10000"), Decimal("20000"))]
    expected = tr.sweep([tr.Facility.model_validate(r) for r in _records()], **sweep)
    for form, facilities in _forms(files).items():
        assert tr.sweep(facilities, **sweep) == expected, form
    assert tr.sweep(lambda: str(files["jsonl"]), **sweep) == expected


def test_a_bad_dict_is_named_by_its_index_from_0() -> None:
    """The issue's off-by-one: the second item of a list is facilities[1], not [2]."""
    bad = {**HANGZHOU, "enrolled": -1}
    with pytest.raises(tr.RowError) as caught:
        tr.budget([HANGZHOU, bad], on=ON)
    assert caught.value.row == 1
    assert caught.value.field == "facilities[1].enrolled"
    assert "facilities[1].enrolled" in str(caught.value)
    with pytest.raises(tr.RowError, match=r"facilities\[2\]: expected facility data .*got str"):
        tr.budget([HANGZHOU, tr.Facility.model_validate(CHENGDU), "xiamen"], on=ON)  # type: ignore[list-item]


def test_collected_errors_name_the_index_and_the_line(files: dict[str, Path], tmp_path: Path) -> None:
    result = tr.budget([HANGZHOU, {**CHENGDU, "places": 5}, CHENGDU], on=ON, errors="collect")
    assert result.error_count == 1
    assert (result.errors[0].row, result.errors[0].field) == (1, "facilities[1].enrolled")
    assert result.scenarios[0].facilities == 2
    text = files["csv"].read_text("utf-8").splitlines()
    header, first = text[0], text[1]
    path = tmp_path / "bad.csv"
    path.write_text(f"{header}\n{first}\n{first.replace('xiamen', 'nowhere', 1)}\n", encoding="utf-8")
    with pytest.raises(tr.RowError) as caught:
        tr.budget(path, on=ON)
    assert caught.value.row == 3  # the line of the file (the header is line 1)
    assert caught.value.field == "jurisdiction"


def test_a_bad_frame_row_is_named_by_its_index_label() -> None:
    frame = pd.DataFrame(
        {"jurisdiction": ["hangzhou", "hangzhou"], "mode": ["self_run"] * 2, "places": [30, 30], "enrolled": [20, 40]},
        index=["a", "b"],
    )
    with pytest.raises(tr.RowError) as caught:
        tr.budget(frame, on=ON)
    assert caught.value.row == 1  # its position, from 0
    assert caught.value.field == "facilities.loc['b'].enrolled"
    frame.loc["b", "enrolled"] = 20
    assert tr.budget(frame, on=ON).scenarios[0].facilities == 2
    frame["places"] = [30.5, 30.0]  # a count with a fraction is refused as in a CSV file, never rounded
    with pytest.raises(tr.RowError, match=r"facilities.loc\['a'\].places: '30.5' is not a whole number"):
        tr.budget(frame, on=ON)


@pytest.mark.parametrize(
    ("columns", "match"),
    [
        ({"jurisdiction": ["xiamen"], "mode": ["self_run"], "places": [3], "enrolled": [2], "place": [3]}, "unknown"),
        ({"jurisdiction": ["xiamen"], "mode": ["self_run"], "places": [3]}, "required columns missing: enrolled"),
    ],
)
def test_a_frame_with_wrong_columns_is_refused_at_once(columns: dict[str, list[Any]], match: str) -> None:
    with pytest.raises(tr.InvalidInput, match=match) as caught:
        tr.budget(pd.DataFrame(columns), on=ON)
    assert caught.value.field == "facilities.columns"


def test_a_path_of_unknown_format_or_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(tr.InvalidInput, match="cannot tell the format"):
        tr.budget(tmp_path / "p.txt", on=ON)
    with pytest.raises(tr.InvalidInput, match="cannot read") as caught:
        tr.budget(tmp_path / "absent.csv", on=ON)
    assert caught.value.field == "facilities"
    with pytest.raises(tr.WrongType, match="not one mapping"):
        tr.budget(HANGZHOU, on=ON)  # type: ignore[arg-type]
    with pytest.raises(tr.WrongType, match="not a int"):
        tr.budget(3, on=ON)  # type: ignore[arg-type]


def test_one_facility_alone_is_a_portfolio_of_one() -> None:
    f = tr.Facility.model_validate(HANGZHOU)
    assert tr.budget(f, on=ON) == tr.budget([HANGZHOU], on=ON)


def test_a_missing_pandas_is_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pd.DataFrame({"jurisdiction": ["xiamen"], "mode": ["self_run"], "places": [3], "enrolled": [2]})
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(ImportError, match=r"pip install 'tuoyu_rules\[pandas\]'"):
        tr.budget(frame, on=ON)
    assert frames.is_dataframe(frame)


def test_every_input_form_gives_the_same_tally_and_assessments(files: dict[str, Path]) -> None:
    """Issue 17: the batch path takes the portfolio forms too (``tr.tally`` given ``tr.read_csv`` rows failed with a
    raw pydantic error, given a DataFrame with "invalid JSON"): the same totals, and the same assessments in order,
    whatever the form."""
    facilities = [tr.Facility.model_validate(r) for r in _records()]
    expected = tr.tally(facilities, on=ON)
    assessed = [a.model_copy(update={"facility": None}) for a in tr.assess_many(facilities, on=ON)]
    assert sum(t.eligible for t in expected.values()) > 100
    for form, given in _forms(files).items():
        if form == "generator of dicts":
            given = (r for r in _records())
        assert tr.tally(given, on=ON) == expected, form
    for form, given in _forms(files).items():
        got = [a.model_copy(update={"facility": None}) for a in tr.assess_many(given, on=ON)]
        assert got == assessed, form


def test_a_bad_line_of_a_file_is_named_by_its_line_in_a_tally(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(_csv_text([HANGZHOU, {**HANGZHOU, "enrolled": 99}]), encoding="utf-8")
    with pytest.raises(tr.TallyError) as caught:
        tr.tally(path, on=ON)
    assert caught.value.line == 3  # the header is line 1
    assert caught.value.field == "line 3"
    assert "enrolled" in caught.value.problem
