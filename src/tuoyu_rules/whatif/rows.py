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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from ..batch.cache import RuleCache, _cache_for
from ..batch.stream import Progress, with_progress
from ..core.errors import InvalidInput, TuoyuError
from ..core.models import locate
from ..core.money import DEFAULT_ROUNDING, check_rounding, in_money_context
from ..core.results import Assessment
from ..io.export import ENTRY_COLUMNS, Cell, entries_table
from ..io.portfolio import INPUT_FORMATS, InputFormat, Source, input_format_of, portfolio_rows, rows_of
from ..io.readers import Row, RowProblem

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

RowOutput = Literal["assessment", "json"]

ROW_COLUMNS: tuple[str, ...] = ("line", *ENTRY_COLUMNS, "error_field", "error")
"""The columns of :meth:`AssessedRow.table_rows`: the row's line, the entries table's columns
(:data:`tuoyu_rules.io.export.ENTRY_COLUMNS`, ``facility_id`` first), and, for a bad row, the field at fault
and the problem."""

_COMPACT: dict[str, Any] = {"ensure_ascii": False, "separators": (",", ":")}
"""JSON as pydantic writes it: compact, Chinese characters as they are."""


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
            problem = "table rows need the assessment: assess with {option}"
            raise InvalidInput.coded("output", "error.rows.table_rows", problem, option="output='assessment'")
        rows = entries_table("entries", [(a.jurisdiction, a)]).rows
        if not rows:
            return [self._alone(jurisdiction=a.jurisdiction)]
        return [(self.line, *row, None, None) for row in rows]

    def _alone(self, **cells: Cell) -> tuple[Cell, ...]:
        """A row of :data:`ROW_COLUMNS` with the line, the facility id and ``cells``, the rest empty."""
        row: dict[str, Cell] = dict.fromkeys(ROW_COLUMNS)
        row.update(line=self.line, facility_id=self.facility_id, **cells)
        return tuple(row.values())


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
    progress: Progress | None = None,
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
    :param progress: a function called with the number of rows done so far (their results consumed, a bad row
        included): every :data:`~tuoyu_rules.batch.stream.PROGRESS_EVERY` (1,000) rows, and once when the last
        row is done. It is told counts only and changes no result.

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
        problem = "expected a datetime.date (the day whose rules apply), got {value}"
        raise InvalidInput.coded("on", "error.arg.on", problem, value=repr(on))
    check_rounding(rounding)
    if jurisdiction is not None:
        locate(jurisdiction)  # an unknown id, a province or a bad code: refused once, not once per row
    if input_format is not None and input_format not in ("csv", "jsonl"):
        problem = "{value}; use {first} or {second}"
        choices = {"first": "'csv'", "second": "'jsonl'"}
        raise InvalidInput.coded(
            "input_format", "error.rows.input_format", problem, value=repr(input_format), **choices
        )
    if output not in ("assessment", "json"):
        problem = "{value}; use {first} or {second}"
        choices = {"first": "'assessment'", "second": "'json'"}
        raise InvalidInput.coded("output", "error.rows.output", problem, value=repr(output), **choices)
    rc = _cache_for(
        cache, on=on, jurisdiction=jurisdiction, rounding=rounding, max_leaves=max_leaves, assess_options=assess_options
    )
    return _results(with_progress(rows_of(source, input_format, rc.facility), progress), rc, output)


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
