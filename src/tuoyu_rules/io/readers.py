"""Reading portfolio files: :func:`read_jsonl` and :func:`read_csv` take an open text stream and yield one
:class:`Row` per record, lazily (a file of a million rows is read row by row; the calculation that sums
the rows, :func:`tuoyu_rules.whatif.budget`, stays pure). CSV columns:

===========================  ==========================================================================
column                       value
===========================  ==========================================================================
``jurisdiction``             city or district id (required)
``mode``                     one of the seven modes (required)
``places``                   whole number (required)
``enrolled``                 whole number (required)
``self_built``               ``true`` / ``false`` (empty: false)
``embedded``                 ``true`` / ``false`` (empty: false)
``designations``             ``;``-separated ``program:year[:amount]``, e.g.
                             ``cn.caring_employer:2022;weifang.caring_employer:2023:40000``
``name``                     free text
``facility_id``              the caller's key for the facility, read into ``Facility.id`` (JSON Lines: ``id``);
                             1 to 200 characters, no control characters; empty = none
``full_day``,                ``true`` / ``false``; empty = not supplied
``staff_puhui_fees``,
``registered``,
``filed``,
``union_dues_paid``,
``alliance_member``,
``accepted``,
``mixed_with_preschool``,
``preschool_subsidy``
``first_intake``,            whole number; empty = not supplied
``full_day_enrolled``,
``staff_children``
``classes``                  ``;``-separated class sizes, e.g. ``8;14``; empty = not supplied
``received``                 ``;``-separated receipts ``program:YYYY-MM-DD:amount``, e.g.
                             ``xiamen.construction_subsidy:2023-07-01:50000``; empty = none
===========================  ==========================================================================

Booleans are exactly ``true`` or ``false`` (any case); whole numbers are digits only (no sign, no
decimals, no spaces inside, at most :data:`~tuoyu_rules.core.jsonio.MAX_NUMBER_CHARS` digits); amounts are
read as text and parsed as exact ``Decimal`` (never float). An unknown column is an error. JSON Lines rows
are the same objects ``Facility.model_validate`` accepts, one per line, each read by
:func:`tuoyu_rules.core.jsonio.loads`, the library's one JSON policy: numbers with a fraction are exact
``Decimal`` (then the field's own rules apply: ``40000.50`` is an amount, ``40000.505`` is not), a key
given twice, NaN and Infinity are refused, and depth, length and number size are bounded.

A bad row is not raised here: its :class:`Row` carries a :class:`RowProblem` (the row number, the field at
fault and the problem), and the reader goes on; any row, however hostile (a 5,000-digit number, JSON
nested 100,000 deep), is one row problem, never an exception that ends the file. **Row numbers are line
numbers**, as an editor counts the lines of the file from 1: the CSV header is row 1 and a record is
numbered by the line it starts on (a quoted cell holding a line break makes a record span several lines,
so the next record's number skips them); a JSON Lines row is numbered by its line. The consumer decides:
:func:`tuoyu_rules.whatif.budget` raises :class:`RowError` for the first bad row (``errors="raise"``) or
skips and reports bad rows (``errors="collect"``). A header that is wrong (an unknown, duplicate or missing
required column) raises :class:`RowError` at once: no row can be read right without it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..core.errors import WrongType, fill
from ..core.jsonio import MAX_NUMBER_CHARS, JsonError, loads
from ..core.models import Facility, facility_key
from .problems import RowError, RowProblem, _CellError, _from_validation, _problem

__all__ = ["CSV_COLUMNS", "Row", "RowError", "RowProblem", "csv_row_data", "read_csv", "read_jsonl"]


def _header_error(code: str, template: str, /, **params: str) -> RowError:
    """The error ``code`` of the header (row 1): ``template`` (the code's ``en`` text) filled with ``params``."""
    return RowError(1, "header", fill(template, params), code=code, params=params)


@dataclass(frozen=True, slots=True)
class Row:
    """One record read from a portfolio file: its number, and the facility or the problem with it."""

    number: int
    facility: Facility | None
    problem: RowProblem | None = None


_BOOL_COLUMNS = (
    "self_built",
    "embedded",
    "full_day",
    "staff_puhui_fees",
    "registered",
    "filed",
    "union_dues_paid",
    "alliance_member",
    "accepted",
    "mixed_with_preschool",
    "preschool_subsidy",
)
_INT_COLUMNS = ("places", "enrolled", "first_intake", "full_day_enrolled", "staff_children")
_TEXT_COLUMNS = ("jurisdiction", "mode", "name")
_ID_COLUMN = "facility_id"
"""The CSV column of ``Facility.id`` (the caller's key), kept exactly as given."""
CSV_COLUMNS: tuple[str, ...] = (
    _ID_COLUMN,
    "jurisdiction",
    "mode",
    "self_built",
    "places",
    "enrolled",
    "embedded",
    "designations",
    "name",
    "full_day",
    "first_intake",
    "staff_puhui_fees",
    "classes",
    "registered",
    "filed",
    "full_day_enrolled",
    "staff_children",
    "union_dues_paid",
    "alliance_member",
    "accepted",
    "mixed_with_preschool",
    "preschool_subsidy",
    "received",
)
_REQUIRED = ("jurisdiction", "mode", "places", "enrolled")
_DIGITS = re.compile(r"[0-9]+\Z")


def _bool(text: str, column: str) -> bool:
    low = text.strip().lower()
    if low == "true":
        return True
    if low == "false":
        return False
    raise _CellError(
        column, "error.io.cell.not_bool", "{value} is not {yes} or {no}", value=_shown(text), yes="true", no="false"
    )


def _int(text: str, column: str) -> int:
    t = text.strip()
    if not _DIGITS.match(t):
        raise _CellError(
            column, "error.io.cell.not_whole", "{value} is not a whole number (digits only)", value=_shown(text)
        )
    if len(t) > MAX_NUMBER_CHARS:  # Python refuses to convert 4,300 digits and more; no count comes near this
        problem = "a whole number of {digits} digits; at most {max} are read"
        raise _CellError(column, "error.io.cell.too_many_digits", problem, digits=f"{len(t):,}", max=MAX_NUMBER_CHARS)
    return int(t)


def _shown(text: str) -> str:
    """A cell as a short text for a message (a hostile cell of a megabyte is not echoed whole)."""
    return repr(text) if len(text) <= 40 else repr(text[:37]) + "..."


def _designations(text: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for i, part in enumerate(p.strip() for p in text.split(";")):
        if not part:
            continue
        bits = part.split(":")
        where = f"designations[{i}]"
        if len(bits) not in (2, 3) or not bits[0].strip():
            problem = "{value} is not program:year or program:year:amount"
            raise _CellError(where, "error.io.cell.designation", problem, value=_shown(part))
        d: dict[str, Any] = {"program": bits[0].strip(), "year": _int(bits[1], f"{where}.year")}
        if len(bits) == 3:
            d["amount"] = bits[2].strip()  # text: parsed as an exact Decimal by the model, never a float
        result.append(d)
    return result


def _receipts(text: str) -> list[dict[str, str]]:
    """``program:YYYY-MM-DD:amount;...`` as receipt data (the day and amount as text, parsed by ``Receipt``)."""
    result: list[dict[str, str]] = []
    for i, part in enumerate(p.strip() for p in text.split(";")):
        bits = [b.strip() for b in part.split(":")]
        if part and (len(bits) != 3 or not all(bits)):
            problem = "{value} is not program:YYYY-MM-DD:amount"
            raise _CellError(f"received[{i}]", "error.io.cell.receipt", problem, value=_shown(part))
        if part:
            result.append({"program": bits[0], "paid_on": bits[1], "amount": bits[2]})
    return result


def csv_row_data(record: dict[str, str | None]) -> dict[str, Any]:
    """Turn one CSV record (column -> text) into plain facility data; raise naming the column at fault."""
    data: dict[str, Any] = {}
    for column, raw in record.items():
        text = "" if raw is None else raw
        if column in _REQUIRED and not text.strip():
            raise _CellError(column, "error.io.cell.required", "required, and empty")
        if not text.strip():
            continue
        if column in _BOOL_COLUMNS:
            data[column] = _bool(text, column)
        elif column in _INT_COLUMNS:
            data[column] = _int(text, column)
        elif column in _TEXT_COLUMNS:
            data[column] = text.strip() if column != "name" else text
        elif column == _ID_COLUMN:
            data["id"] = text
        elif column == "designations":
            data[column] = _designations(text)
        elif column == "received":
            data[column] = _receipts(text)
        elif column == "classes":
            data[column] = [_int(c, f"classes[{i}]") for i, c in enumerate(text.split(";")) if c.strip()]
    return data


def read_csv(stream: Iterable[str], *, validate: Callable[[Any], Facility] = Facility.model_validate) -> Iterator[Row]:
    """Yield one :class:`Row` per CSV record, numbered by the line it starts on (the header is line 1); see the
    module docs. ``stream`` yields lines (a file opened with ``newline=""``, or a list of lines). ``validate`` makes
    each record's facility (``Facility.model_validate``, or a validator that gives the same answers faster, such as
    a :class:`~tuoyu_rules.batch.RuleCache`'s ``facility``).

    A header with an unknown, duplicate or missing required column raises :class:`RowError` at once (row 1):
    no row can be read right without it. A record with a different number of cells is a row problem.
    """
    reader = csv.reader(_lines(stream))
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise _header_error("error.csv.not_csv", "not CSV: {detail}", detail=str(exc)) from None
    header = [h.strip() for h in header]
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0].removeprefix("\ufeff")
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        known = ", ".join(CSV_COLUMNS)
        problem = "unknown columns {unknown}; known: {known}"
        raise _header_error("error.csv.unknown_columns", problem, unknown=str(unknown), known=known)
    if len(set(header)) != len(header):
        raise _header_error("error.csv.duplicate_column", "a column is given twice")
    absent = [c for c in _REQUIRED if c not in header]
    if absent:
        problem = "required columns missing: {columns}"
        raise _header_error("error.csv.required_missing", problem, columns=", ".join(absent))
    while True:
        number = reader.line_num + 1  # the line this record starts on: the lines read so far, and one
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Row(number, None, _problem(number, "(row)", "error.csv.not_csv", "not CSV: {detail}", detail=exc))
            continue
        if not any(c.strip() for c in cells):
            continue  # a blank line
        if len(cells) != len(header):
            problem = "{cells} cells, the header has {header}"
            yield Row(
                number,
                None,
                _problem(number, "(row)", "error.io.row.cells", problem, cells=len(cells), header=len(header)),
            )
            continue
        record: dict[str, str | None] = dict(zip(header, cells, strict=True))
        key = facility_key(record.get(_ID_COLUMN))
        try:
            data = csv_row_data(record)
            yield Row(number, validate(data))
        except _CellError as exc:
            yield Row(number, None, exc.problem(number, key))
        except ValidationError as exc:
            yield Row(number, None, _from_validation(number, exc, key))


def read_jsonl(
    stream: Iterable[str], *, validate: Callable[[Any], Facility] = Facility.model_validate
) -> Iterator[Row]:
    """Yield one :class:`Row` per non-blank line of JSON Lines (line numbers from 1), each line read by
    :func:`tuoyu_rules.core.jsonio.loads` (decimals as ``Decimal``; duplicate keys, NaN, deep nesting refused) and
    its facility made by ``validate`` (as in :func:`read_csv`)."""
    for number, line in enumerate(_lines(stream), start=1):
        if not isinstance(line, str):
            yield Row(
                number,
                None,
                _problem(number, "(line)", "error.io.row.not_text", "a {type}, not text", type=type(line).__name__),
            )
            continue
        if not line.strip():
            continue
        try:
            data = loads(line, field="(line)")
        except JsonError as exc:
            code, params = exc.code, dict(exc.params)
            yield Row(
                number, None, RowProblem(row=number, field=exc.field, message=exc.problem, code=code, params=params)
            )
            continue
        try:
            yield Row(number, validate(data))
        except ValidationError as exc:
            key = facility_key(data.get("id")) if isinstance(data, dict) else None
            yield Row(number, None, _from_validation(number, exc, key))


def _lines(stream: Iterable[str]) -> Iterable[str]:
    """``stream`` if it yields lines (:class:`~tuoyu_rules.core.errors.WrongType` naming ``stream`` if not)."""
    if not isinstance(stream, Iterable) or isinstance(stream, str | bytes):
        problem = "an open text file or an iterable of lines, not a {type}"
        raise WrongType.coded("stream", "error.arg.stream", problem, type=type(stream).__name__)
    return stream
