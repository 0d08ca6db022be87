"""One result per row of a portfolio: :func:`assess_rows`, the iterator behind ``tuoyu assess-many``.

:func:`assess_rows` reads facilities from a CSV or JSON Lines file, an open text stream, or an iterable of
facility data (mappings) or :class:`~tuoyu_rules.Facility` objects, and yields one :class:`AssessedRow` per
row, in input order: the row's line number, the facility's ``id``, and either its assessment (equal to
``tr.assess(facility, on=on, ...)``) or the problem with the row (its field and message). A bad row never stops
the run: the rows after it are still assessed. Every row goes through one fact-keyed cache
(:class:`~tuoyu_rules.batch.RuleCache`), so the engine runs once per distinct combination of the facts the
rules read, not once per row; rows stream in and results stream out, so memory stays flat in the number of rows.

Line numbers are those of the readers (:mod:`tuoyu_rules.io.readers`): the line of the file a record starts on,
the CSV header being line 1; for an iterable of mappings or facilities, the position from 1.

What it reads: the file the caller names, and nothing else; the calculation stays pure.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

from pydantic import ValidationError

from ..batch.cache import RuleCache, _cache_for
from ..core.errors import InvalidInput, TuoyuError, WrongType
from ..core.models import Facility, facility_key, locate
from ..core.money import DEFAULT_ROUNDING, check_rounding, in_money_context
from ..core.results import Assessment
from ..io.export import ENTRY_COLUMNS, Cell, entries_table
from ..io.readers import Row, RowProblem, _from_validation, read_csv, read_jsonl
from .frames import frame_rows, is_dataframe

__all__ = [
    "INPUT_FORMATS",
    "ROW_COLUMNS",
    "AssessedRow",
    "InputFormat",
    "RowOutput",
    "assess_rows",
    "input_format_of",
    "portfolio_rows",
]

InputFormat = Literal["csv", "jsonl"]
RowOutput = Literal["assessment", "json"]

INPUT_FORMATS: Mapping[str, InputFormat] = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
"""A portfolio file's suffix (any case) -> its format."""

ROW_COLUMNS: tuple[str, ...] = ("line", *ENTRY_COLUMNS, "error_field", "error")
"""The columns of :meth:`AssessedRow.table_rows`: the row's line, the entries table's columns
(:data:`tuoyu_rules.io.export.ENTRY_COLUMNS`, ``facility_id`` first), and, for a bad row, the field at fault
and the problem."""

_COMPACT: dict[str, Any] = {"ensure_ascii": False, "separators": (",", ":")}
"""JSON as pydantic writes it: compact, Chinese characters as they are."""

Source = str | os.PathLike[str] | TextIO | Iterable[Any]
"""What :func:`assess_rows` reads: a path, an open text stream, or an iterable of rows."""


@dataclass(frozen=True, slots=True)
class AssessedRow:
    """The result of one input row: its ``line``, the facility's ``id``, and its assessment or its problem.

    Exactly one of ``assessment`` / ``assessment_json`` (as :func:`assess_rows`' ``output`` chose) and ``error``
    is set. ``facility_id`` is the facility's ``id`` (for a bad row, its key when the row has a readable one:
    ``facility_id`` in CSV, ``id`` in JSON Lines or a mapping); None without one.
    """

    line: int
    facility_id: str | None
    assessment: Assessment | None = None
    """The assessment (``output="assessment"``), equal to ``tr.assess(facility, on=on, ...)``."""
    assessment_json: str | None = None
    """The assessment as JSON text (``output="json"``): the same data as ``Assessment.model_dump(mode="json")``."""
    error: RowProblem | None = None
    """Why the row was not assessed: its ``field`` and ``message`` (``row`` is :attr:`line`)."""

    @property
    def ok(self) -> bool:
        """True when the row was assessed."""
        return self.error is None

    def to_json(self) -> str:
        """The row as one line of JSON (no newline): ``{"line", "facility_id", "assessment"}`` with the
        assessment's ``model_dump(mode="json")`` data, or ``{"line", "facility_id", "error": {"field",
        "message"}}``."""
        head = json.dumps({"line": self.line, "facility_id": self.facility_id}, **_COMPACT)[:-1]
        if self.error is not None:
            problem = json.dumps({"field": self.error.field, "message": self.error.message}, **_COMPACT)
            return f'{head},"error":{problem}}}'
        text = self.assessment_json
        if text is None:
            text = self.assessment.model_dump_json() if self.assessment is not None else "null"
        return f'{head},"assessment":{text}}}'

    def table_rows(self) -> list[tuple[Cell, ...]]:
        """The row as rows of :data:`ROW_COLUMNS`: one per entitlement and obligation (its line, then the cells of
        :func:`tuoyu_rules.io.export.entries_table`), or one naming the problem; an assessment with no entry at
        all gives one row with its jurisdiction only. Needs ``output="assessment"``."""
        if self.error is not None:
            return [self._alone(error_field=self.error.field, error=self.error.message)]
        a = self.assessment
        if a is None:
            raise InvalidInput("output", "table rows need the assessment: assess with output='assessment'")
        rows = entries_table("entries", [(a.jurisdiction, a)]).rows
        if not rows:
            return [self._alone(jurisdiction=a.jurisdiction)]
        return [(self.line, *row, None, None) for row in rows]

    def _alone(self, **cells: Cell) -> tuple[Cell, ...]:
        """A row of :data:`ROW_COLUMNS` with the line, the facility id and ``cells``, the rest empty."""
        row: dict[str, Cell] = dict.fromkeys(ROW_COLUMNS)
        row.update(line=self.line, facility_id=self.facility_id, **cells)
        return tuple(row.values())


def input_format_of(path: str | os.PathLike[str]) -> InputFormat | None:
    """The format a portfolio file's name says (:data:`INPUT_FORMATS`), or None."""
    return INPUT_FORMATS.get(Path(path).suffix.lower())


def assess_rows(
    source: Source,
    *,
    on: dt.date,
    jurisdiction: str | None = None,
    rounding: str = DEFAULT_ROUNDING,
    input_format: InputFormat | None = None,
    output: RowOutput = "assessment",
    cache: RuleCache | None = None,
    max_leaves: int = 100_000,
    **assess_options: Any,
) -> Iterator[AssessedRow]:
    """Assess every row of ``source`` on ``on``, lazily, in input order: one :class:`AssessedRow` per row.

    :param source: a path to a ``.csv``, ``.jsonl`` or ``.ndjson`` file (read as UTF-8, a byte-order mark
        allowed; the columns and JSON policy of :mod:`tuoyu_rules.io.readers`); an open text stream (its name's
        suffix or ``input_format`` says the format; a file for CSV opened with ``newline=""``); or an iterable
        of facility data (mappings, validated as ``Facility.model_validate`` does), :class:`~tuoyu_rules.Facility`
        objects or :class:`~tuoyu_rules.io.Row` objects of a reader.
    :param on: the day whose rules apply, as in :func:`~tuoyu_rules.assess`; ``jurisdiction`` (a what-if move),
        ``rounding`` and further keyword arguments of ``assess`` (``reform``, ``pins``) apply to every row.
    :param input_format: ``"csv"`` or ``"jsonl"``; needed for a stream or a path whose suffix says neither.
    :param output: ``"assessment"`` (default): :attr:`AssessedRow.assessment`; ``"json"``:
        :attr:`AssessedRow.assessment_json`, the same data as JSON text built from the cache's stored JSON
        (the fast way to write JSON Lines).
    :param cache: a :class:`~tuoyu_rules.batch.RuleCache` to share between calls, made with the same options
        (else :class:`~tuoyu_rules.InvalidInput` names the one that differs); None: a fresh one, holding at
        most ``max_leaves`` results.

    A row that cannot be read or validated, or whose assessment raises a :class:`~tuoyu_rules.TuoyuError`,
    gives an :class:`AssessedRow` with ``error`` (its field and message); the next rows are still assessed.
    Bad arguments raise :class:`~tuoyu_rules.InvalidInput` at once, before any row is read. Problems with the
    file as a whole (it cannot be opened, a CSV header is wrong, it is not UTF-8 text) raise
    :class:`~tuoyu_rules.InvalidInput` when reached (a CSV header's: :class:`~tuoyu_rules.RowError`, row 1).

    >>> rows = [{"jurisdiction": "xiamen", "mode": "self_run", "places": 30, "enrolled": 20},
    ...         {"jurisdiction": "xiamen", "mode": "self_run", "places": 30, "enrolled": 40}]
    >>> [(r.line, r.ok, r.error and r.error.field) for r in assess_rows(rows, on=dt.date(2024, 6, 1))]
    [(1, True, None), (2, False, 'enrolled')]
    """
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InvalidInput("on", f"expected a datetime.date (the day whose rules apply), got {on!r}")
    check_rounding(rounding)
    if jurisdiction is not None:
        locate(jurisdiction)  # an unknown id, a province or a bad code: refused once, not once per row
    if input_format is not None and input_format not in ("csv", "jsonl"):
        raise InvalidInput("input_format", f"{input_format!r}; use 'csv' or 'jsonl'")
    if output not in ("assessment", "json"):
        raise InvalidInput("output", f"{output!r}; use 'assessment' or 'json'")
    rc = _cache_for(
        cache, on=on, jurisdiction=jurisdiction, rounding=rounding, max_leaves=max_leaves, assess_options=assess_options
    )
    return _results(_rows_of(source, input_format, rc.facility), rc, output)


def portfolio_rows(facilities: Any, *, input_format: InputFormat | None = None) -> Iterable[Row]:
    """The rows of a portfolio in any input form of :func:`tuoyu_rules.budget`, lazily, as :class:`Row` objects.

    ``facilities`` may be :class:`~tuoyu_rules.Facility` objects, plain dicts (validated as
    ``Facility.model_validate`` does), the :class:`Row` objects of :func:`~tuoyu_rules.io.read_csv` /
    :func:`~tuoyu_rules.io.read_jsonl`, a path (``str`` or :class:`pathlib.Path`) to a ``.csv``, ``.jsonl`` or
    ``.ndjson`` file, an open text stream, or a pandas DataFrame (one row per facility, the columns those of the
    CSV format, :data:`tuoyu_rules.io.CSV_COLUMNS`); one Facility alone is a portfolio of one. Rows are named as
    the user counts them: a file's by the line a record starts on (the CSV header is line 1); a list's by its
    index as Python counts it, from 0 (row ``1``, field ``facilities[1].enrolled``, is the second item); a
    DataFrame's by its position from 0, the field naming its index label (``facilities.loc['a'].enrolled``).
    A bad row is a :class:`Row` with its problem, never an exception; bad arguments raise
    :class:`~tuoyu_rules.InvalidInput` at once.
    """
    if isinstance(facilities, Facility):
        return (Row(0, facilities),)
    if isinstance(facilities, Mapping):
        raise WrongType("facilities", "a list of facilities, not one mapping: put it in a list")
    if input_format is not None and input_format not in ("csv", "jsonl"):
        raise InvalidInput("input_format", f"{input_format!r}; use 'csv' or 'jsonl'")
    return _rows_of(facilities, input_format, Facility.model_validate, field="facilities", indexed=True)


def _rows_of(
    source: Any,
    input_format: InputFormat | None,
    validate: Callable[[Any], Facility],
    *,
    field: str = "source",
    indexed: bool = False,
) -> Iterable[Row]:
    """The rows of ``source`` (lazily); a format that cannot be told raises at once. ``indexed``: an iterable's
    rows are numbered from 0 and their fields named ``field[i]`` (:func:`portfolio_rows`); else from 1."""
    reader = {"csv": read_csv, "jsonl": read_jsonl}
    if isinstance(source, str | os.PathLike):
        kind = input_format or input_format_of(source)
        if kind is None:
            raise InvalidInput(
                "input_format", f"cannot tell the format of {str(source)!r} from its name; give csv or jsonl"
            )
        return _read_path(source, reader[kind], field)
    if hasattr(source, "read"):
        kind = input_format or input_format_of(str(getattr(source, "name", "")))
        if kind is None:
            raise InvalidInput("input_format", "a stream needs input_format='csv' or 'jsonl'")
        return reader[kind](source)
    if input_format is not None:  # lines of text, as a reader takes them
        return reader[input_format](source)
    if is_dataframe(source):
        return frame_rows(source, validate, field)
    if not isinstance(source, Iterable) or isinstance(source, bytes):
        raise WrongType(field, f"a path, a text stream, a DataFrame or rows, not a {type(source).__name__}")
    return _items(source, validate, field if indexed else None)


def _read_path(
    path: str | os.PathLike[str], reader: Callable[[Iterable[str]], Iterator[Row]], field: str = "source"
) -> Iterator[Row]:
    """The rows of the file ``path``, opened when the first is asked for and closed after the last."""
    try:
        stream = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise InvalidInput(field, f"cannot read {str(path)!r}: {exc.strerror or exc}") from None
    with stream:
        try:
            yield from reader(stream)
        except UnicodeDecodeError:
            raise InvalidInput(field, f"{str(path)!r} is not UTF-8 text") from None


def _items(rows: Iterable[Any], validate: Callable[[Any], Facility], field: str | None = None) -> Iterator[Row]:
    """Rows of an iterable: a reader's :class:`Row` as it is, anything else validated. Numbered from 1; with a
    ``field`` (``facilities``), by the index from 0, each problem's field naming it (``facilities[1].enrolled``)."""
    for index, item in enumerate(rows):
        number = index if field is not None else index + 1
        where = "" if field is None else f"{field}[{index}]"
        if isinstance(item, Row):
            yield item
            continue
        if not isinstance(item, Mapping | Facility):
            message = f"expected facility data (a mapping) or a tuoyu_rules.Facility, got {type(item).__name__}"
            yield Row(number, None, RowProblem(row=number, field=where or "(row)", message=message))
            continue
        try:
            yield Row(number, validate(item))
        except ValidationError as exc:
            key = facility_key(item.get("id")) if isinstance(item, Mapping) else None
            problem = _from_validation(number, exc, key)
            if where:
                problem = problem.model_copy(update={"field": f"{where}.{problem.field}"})
            yield Row(number, None, problem)


@in_money_context
def _results(rows: Iterable[Row], rc: RuleCache, output: RowOutput) -> Iterator[AssessedRow]:
    produce = rc.assessment if output == "assessment" else rc.ndjson
    for row in rows:
        facility = row.facility
        if facility is None:
            problem = row.problem or RowProblem(row=row.number, field="(row)", message="no facility")
            yield AssessedRow(row.number, problem.facility_id, error=problem)
            continue
        facility_id = facility.id
        try:
            result = produce(facility)
        except (TuoyuError, ValidationError) as exc:
            field = exc.field if isinstance(exc, InvalidInput) else "(assessment)"
            message = exc.problem if isinstance(exc, InvalidInput) else str(exc).replace("\n", " ")
            problem = RowProblem(row=row.number, field=field, message=message, facility_id=facility_id)
            yield AssessedRow(row.number, facility_id, error=problem)
            continue
        if isinstance(result, str):
            yield AssessedRow(row.number, facility_id, assessment_json=result)
        else:
            yield AssessedRow(row.number, facility_id, assessment=result)
