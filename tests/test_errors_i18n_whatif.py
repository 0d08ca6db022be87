"""Errors of what-if analysis and of the batch path in both languages (issue 14): every error raised on purpose by
``tuoyu_rules.whatif`` (budgets, sweeps, a portfolio's rows, projections, enrolment, pinning, comparisons) and
``tuoyu_rules.batch`` (streams, the cache, the column path) has a code of ``core/errors_whatif.toml`` (or a shared
one of ``core/errors.toml``), keeps its English text, and is told in Chinese with no Latin letter outside the
values it quotes.
"""

from __future__ import annotations

import datetime as dt
import pickle
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.batch import Coded, RuleCache, TallyError, check_columns, merge_totals, tally_columns
from tuoyu_rules.batch.stream import with_progress
from tuoyu_rules.core.error_text import error_explanations, error_text
from tuoyu_rules.core.messages import error_messages
from tuoyu_rules.io.readers import Row as ReaderRow
from tuoyu_rules.whatif import assess_rows, compare, pin, project, sweep_reforms

SRC = Path(tr.__file__).parent
CATALOG = SRC / "core" / "errors_whatif.toml"
OWN: dict[str, dict[str, str]] = tomllib.loads(CATALOG.read_text(encoding="utf-8"))["messages"]
LATIN = re.compile(r"[A-Za-z]")
ON = dt.date(2024, 6, 1)
ROW: dict[str, Any] = {"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": 30, "enrolled": 20}
FACILITY = tr.Facility.model_validate(ROW)
REFORM = tr.Reform.load(SRC / "examples" / "xiamen_operating_up.reform.json")
START, END = dt.date(2024, 1, 1), dt.date(2024, 2, 29)


def _project(**options: Any) -> Any:
    return project(FACILITY, **{"start": START, "end": END, **options})


ERRORS: dict[str, tuple[str, Any]] = {
    # whatif/budgets.py
    "budget errors": ("error.budget.errors", lambda: tr.budget([ROW], on=ON, errors="stop")),  # type: ignore[arg-type]
    "budget reforms type": ("error.budget.reforms", lambda: tr.budget([ROW], on=ON, reforms=5)),  # type: ignore[arg-type]
    "budget reform item": ("error.arg.reform", lambda: tr.budget([ROW], on=ON, reforms=[5])),  # type: ignore[list-item]
    "budget reform names": ("error.budget.reform_names", lambda: tr.budget([ROW], on=ON, reforms=[REFORM, REFORM])),
    "budget nothing": ("error.budget.nothing", lambda: tr.budget([ROW], on=ON, baseline=False)),
    # whatif/sweeps.py
    "sweep parameter": ("error.sweep.parameter", lambda: sweep_reforms(5, [{"kind": "range", "low": "1"}])),  # type: ignore[arg-type]
    "sweep values": ("error.sweep.values", lambda: sweep_reforms("x.y", [])),
    "sweep value": ("error.sweep.value", lambda: sweep_reforms("x.y", [5])),  # type: ignore[list-item]
    # whatif/rows.py
    "rows table": ("error.rows.table_rows", lambda: next(assess_rows([ROW], on=ON, output="json")).table_rows()),
    "rows on": ("error.arg.on", lambda: assess_rows([ROW], on="2024-06-01")),  # type: ignore[arg-type]
    "rows input format": ("error.rows.input_format", lambda: assess_rows([ROW], on=ON, input_format="xml")),  # type: ignore[arg-type]
    "rows output": ("error.rows.output", lambda: assess_rows([ROW], on=ON, output="xml")),  # type: ignore[arg-type]
    # whatif/projection.py
    "projection day": ("error.projection.day", lambda: _project(start="2024-01-01")),
    "projection end before start": ("error.projection.end_before_start", lambda: _project(end=dt.date(2023, 1, 1))),
    "projection end too late": ("error.projection.end_too_late", lambda: _project(end=dt.date(9999, 12, 31))),
    "projection prorate": ("error.projection.prorate", lambda: _project(prorate="yes")),
    "projection one-time day": ("error.projection.one_time_on", lambda: _project(one_time_on=dt.date(2025, 1, 1))),
    "projection held": (
        "error.projection.held",
        lambda: project(tr.assess(FACILITY, on=ON), start=START, end=END, pins={"x.y": 1}),
    ),
    "projection subject": ("error.projection.subject", lambda: project(5, start=START, end=END)),  # type: ignore[arg-type]
    "projection too long": ("error.projection.too_long", lambda: _project(end=dt.date(2200, 1, 1))),
    "projection enrolment by programme": (
        "error.projection.enrolment_by_program",
        lambda: _project(enrolment_by_program=5),
    ),
    # whatif/enrolment.py
    "enrolment bool": ("error.enrolment.kind", lambda: _project(enrolment=True)),
    "enrolment text": ("error.enrolment.kind", lambda: _project(enrolment="twenty")),
    "enrolment twice": ("error.enrolment.twice", lambda: _project(enrolment={"2024-01": 5, dt.date(2024, 1, 1): 5})),
    "enrolment missing": ("error.enrolment.missing", lambda: _project(enrolment={"2024-01": 5})),
    "enrolment first day": ("error.enrolment.first_day", lambda: _project(enrolment={dt.date(2024, 1, 2): 5})),
    "enrolment month": ("error.enrolment.month", lambda: _project(enrolment={"January": 5})),
    "enrolment children": ("error.enrolment.children", lambda: _project(enrolment=-1)),
    "enrolment places": ("error.enrolment.places", lambda: _project(enrolment=31)),
    "enrolment not fit": (
        "error.enrolment.not_fit",
        lambda: project(
            tr.Facility.model_validate({**ROW, "full_day_enrolled": 10}), start=START, end=END, enrolment=5
        ),
    ),
    # whatif/pinning.py, comparison.py
    "pin strategy": ("error.pin.strategy", lambda: pin(FACILITY, on=ON, strategy="median")),
    "pin awards": ("error.pin.awards", lambda: pin(FACILITY, on=ON, awards=5)),  # type: ignore[arg-type]
    "compare cities": ("error.compare.cities", lambda: compare(FACILITY, on=ON, cities="xiamen")),
    # batch/stream.py
    "progress": ("error.batch.progress", lambda: with_progress([], 5)),  # type: ignore[arg-type]
    "rows type": ("error.batch.rows", lambda: tr.tally(5, on=ON)),  # type: ignore[arg-type]
    "output": ("error.batch.output", lambda: next(tr.assess_many([ROW], on=ON, output="xml"))),  # type: ignore[arg-type]
    "on_error": ("error.batch.on_error", lambda: next(tr.assess_many([ROW], on=ON, on_error="skip"))),  # type: ignore[arg-type]
    # batch/cache.py
    "bound": ("error.batch.bound", lambda: RuleCache(on=ON, max_leaves=0)),
    "assess option": ("error.batch.assess_option", lambda: RuleCache(on=ON, colour="red")),
    "no facility": ("error.batch.no_facility", lambda: RuleCache(on=ON).facility(ReaderRow(3, None))),
    "cache type": ("error.batch.cache", lambda: tr.tally([ROW], on=ON, cache=5)),  # type: ignore[arg-type]
    "cache options": ("error.batch.cache_options", lambda: tr.tally([ROW], on=ON, cache=RuleCache(on=START))),
    # batch/columns.py
    "chunk": ("error.batch.chunk", lambda: check_columns(5)),  # type: ignore[arg-type]
    "columns on_error": ("error.batch.on_error", lambda: tally_columns({}, on=ON, on_error="yield")),  # type: ignore[arg-type]
    "chunks": ("error.batch.chunks", lambda: tally_columns(5, on=ON)),  # type: ignore[arg-type]
    "column row": (
        "error.batch.column_row",
        lambda: tally_columns({k: [v] for k, v in {**ROW, "enrolled": 40}.items()}, on=ON),
    ),
    # batch/backends.py
    "codes python": ("error.batch.codes", lambda: check_columns({"places": Coded([5], [1])}, backend="python")),
    "codes numpy": ("error.batch.codes", lambda: check_columns({"places": Coded([5], [1])}, backend="numpy")),
    "backend": ("error.batch.backend", lambda: check_columns({}, backend="gpu")),  # type: ignore[arg-type]
    # batch/checker.py
    "column": ("error.batch.column", lambda: check_columns({"places": 5})),
    "lengths": ("error.batch.lengths", lambda: check_columns({"places": [1, 2], "enrolled": [1]})),
    # batch/fen.py
    "totals": ("error.batch.totals", lambda: merge_totals(5, {})),  # type: ignore[arg-type]
}


def _raised(call: Any) -> BaseException:
    try:
        result = call()
        if hasattr(result, "__next__"):
            next(result)
    except Exception as exc:  # the error is the point
        return exc
    raise AssertionError("no error")


def _without(text: str, values: Any) -> str:
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "")
    return text


def test_the_catalog_is_read_with_the_others() -> None:
    assert set(OWN) <= set(error_messages())
    assert all(code.startswith("error.") for code in OWN)
    used = {code for code, _ in ERRORS.values()}
    assert set(OWN) - used == set()  # every code of the catalog is raised here


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_an_error_has_its_code_and_says_it_in_both_languages(name: str) -> None:
    code, call = ERRORS[name]
    exc = _raised(call)
    assert isinstance(exc, tr.TuoyuError), repr(exc)
    assert exc.code == code
    (explained,) = error_explanations(exc)
    assert explained.code == code
    assert error_text(exc, "en") == str(exc)  # the English is the text it always was
    zh = error_text(exc, "zh")
    assert zh == explained.zh
    told = [v for parts in exc.param_problems.values() for p in parts for v in p.params.values()]  # problems within
    assert not LATIN.search(_without(zh, [*explained.params.values(), *told])), zh
    back = pickle.loads(pickle.dumps(exc))
    assert (type(back), back.code, dict(back.params), str(back)) == (type(exc), exc.code, dict(exc.params), str(exc))


def test_the_english_of_some_errors_as_before() -> None:
    """The texts the raise sites gave before they had codes, word for word."""
    cases = {
        "budget errors": "errors: 'stop'; use 'raise' or 'collect'",
        "budget reform names": "reforms: each reform needs a distinct name, other than 'baseline'",
        "budget nothing": "reforms: nothing to budget: baseline=False and no reform",
        "sweep value": "values[0]: a parameter value table such as {'kind': 'range', 'low': '20000', 'high': '30000'}",
        "rows table": "output: table rows need the assessment: assess with output='assessment'",
        "projection prorate": "prorate: True or False",
        "projection too long": (
            "end: the period 2024-01-01 to 2200-01-01 has 2,113 months in which a programme of 'xiamen' is in force; "
            "a projection covers at most 1,200 (100 years): shorten the period"
        ),
        "enrolment first day": "enrolment[2024-01-02]: a month is its first day (or 'YYYY-MM')",
        "pin strategy": "strategy: 'median' is not a pinning strategy; use one of low, mid, high",
        "output": "output: output must be 'assessment', 'ndjson' or 'fen', not 'xml'",
        "backend": "backend: backend must be 'auto', 'numpy' or 'python', not 'gpu'",
        "lengths": "chunk: columns of one chunk must have one length, not [1, 2]",
        "cache options": (
            "cache: made for another day: on=2024-01-01, this call asks on=2024-06-01; make the cache with the call's "
            "options (or pass no cache): its results would not be this call's"
        ),
    }
    for name, text in cases.items():
        assert str(_raised(ERRORS[name][1])) == text, name


def test_some_errors_in_chinese() -> None:
    assert error_text(_raised(ERRORS["budget errors"][1]), "zh") == (
        "错误行（errors）：'stop'不是可用的坏行处理方式；应为'raise'（遇到坏行即报错）或'collect'（跳过坏行并列出）"
    )
    assert error_text(_raised(ERRORS["enrolment places"][1]), "zh") == ("enrolment：31名儿童超过该机构的托位数（30）")
    assert error_text(_raised(ERRORS["column row"][1]), "zh").startswith(
        "第0行不是有效的托育机构数据：在托人数（enrolled）：在托人数（40）超过托位数（30）"
    )


def test_a_tally_error_carries_the_code_of_its_row() -> None:
    """``tally`` names the bad row (``rows[index]``) and its problem; the code and parameters are the problem's."""
    exc = _raised(lambda: tr.tally([ROW, {**ROW, "enrolled": 40}], on=ON))
    assert isinstance(exc, TallyError)
    assert str(exc).startswith("rows[1]: enrolled: enrolled (40) is more than places (30)")
    assert exc.code == "error.limit.enrolled_places"
    assert dict(exc.params) == {"value": "40", "limit": "30"}
    assert error_text(exc, "zh") == "rows[1]：在托人数（40）超过托位数（30）；在托人数不得超过托位数"
    assert error_text(exc, "en") == "rows[1]: enrolled (40) is more than places (30); enrolled must be <= places"
    back = pickle.loads(pickle.dumps(exc))
    assert (back.index, back.code, dict(back.params), str(back)) == (1, exc.code, dict(exc.params), str(exc))
    uncoded = TallyError(3, "places: bad")
    assert (uncoded.code, error_text(uncoded, "en")) == (None, "rows[3]: places: bad")


def test_a_tally_error_of_a_bad_line_carries_the_line_s_code(tmp_path: Path) -> None:
    """A file's bad line is told in Chinese from its reader's code (error.io.row.cells), named by its line."""
    path = tmp_path / "p.csv"
    path.write_text("jurisdiction,mode,places,enrolled\nxiamen,self_run\n", encoding="utf-8")
    exc = _raised(lambda: tr.tally(path, on=ON))
    assert isinstance(exc, TallyError)
    assert str(exc) == "line 2: (row): 2 cells, the header has 4"
    assert exc.code == "error.io.row.cells"
    assert error_text(exc, "zh") == "第2行：本行有2个单元格，而表头有4列"
