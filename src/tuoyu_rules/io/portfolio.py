"""A portfolio in any form, read as rows: Facility objects, dicts, reader rows, a CSV or JSON Lines path or stream,
a pandas DataFrame or a pyarrow Table.

:func:`portfolio_rows` is the one input vocabulary of the portfolio functions (:func:`tuoyu_rules.budget`,
:func:`tuoyu_rules.sweep`, :func:`tuoyu_rules.assess_rows`, and the batch path's :func:`~tuoyu_rules.batch.tally`
and :func:`~tuoyu_rules.batch.assess_many`): the same facilities in any of these forms give the same results. Rows
are named as the user counts them: a file's by the line a record starts on (the CSV header is line 1); a list's by
its index from 0; a DataFrame's by its position from 0 and its index label; a pyarrow Table's by its index from 0.
A bad row is a
:class:`~tuoyu_rules.io.Row` with its problem, never an exception.

What it reads: the file the caller names, and nothing else.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, TextIO

from pydantic import ValidationError

from ..core.errors import InvalidInput, WrongType
from ..core.models import Facility, facility_key
from .frames import arrow_rows, frame_rows, is_arrow_table, is_dataframe
from .problems import _from_validation, _problem
from .readers import Row, read_csv, read_jsonl

__all__ = [
    "INPUT_FORMATS",
    "InputFormat",
    "Source",
    "input_format_of",
    "is_portfolio_source",
    "portfolio_rows",
    "rows_of",
]

InputFormat = Literal["csv", "jsonl"]

INPUT_FORMATS: Mapping[str, InputFormat] = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
"""A portfolio file's suffix (any case) -> its format."""

Source = str | os.PathLike[str] | TextIO | Iterable[Any]
"""What :func:`assess_rows` reads: a path, an open text stream, or an iterable of rows."""


def input_format_of(path: str | os.PathLike[str]) -> InputFormat | None:
    """The format a portfolio file's name says (:data:`INPUT_FORMATS`), or None."""
    return INPUT_FORMATS.get(Path(path).suffix.lower())


def portfolio_rows(
    facilities: Any,
    *,
    input_format: InputFormat | None = None,
    validate: Callable[[Any], Facility] = Facility.model_validate,
) -> Iterable[Row]:
    """The rows of a portfolio in any input form of :func:`tuoyu_rules.budget`, lazily, as :class:`Row` objects.

    ``facilities`` may be :class:`~tuoyu_rules.Facility` objects, plain dicts (validated as
    ``Facility.model_validate`` does), the :class:`Row` objects of :func:`~tuoyu_rules.io.read_csv` /
    :func:`~tuoyu_rules.io.read_jsonl`, a path (``str`` or :class:`pathlib.Path`) to a ``.csv``, ``.jsonl`` or
    ``.ndjson`` file, an open text stream, a pandas DataFrame or a pyarrow Table (one row per facility, the columns
    those of the CSV format, :data:`tuoyu_rules.io.CSV_COLUMNS`: :mod:`tuoyu_rules.io.frames`); one Facility alone
    is a portfolio of one. Rows are named as the user counts them: a file's by the line a record starts on (the CSV
    header is line 1); a list's by its index as Python counts it, from 0 (row ``1``, field
    ``facilities[1].enrolled``, is the second item); a DataFrame's by its position from 0, the field naming its
    index label (``facilities.loc['a'].enrolled``); a pyarrow Table's by its index from 0, as a list's
    (``facilities[1].enrolled``).
    ``validate`` makes each facility from its data (``Facility.model_validate``, or a validator giving the same
    answers, such as a :class:`~tuoyu_rules.batch.RuleCache`'s ``facility``, which validates a list of
    designations once). A bad row is a :class:`Row` with its problem, never an exception; bad arguments raise
    :class:`~tuoyu_rules.InvalidInput` at once.
    """
    if isinstance(facilities, Facility):
        return (Row(0, facilities),)
    if isinstance(facilities, Mapping):
        problem = "a list of facilities, not one mapping: put it in a list"
        raise WrongType.coded("facilities", "error.io.portfolio.one_mapping", problem)
    if input_format is not None and input_format not in ("csv", "jsonl"):
        problem = "{value}; use {csv} or {jsonl}"
        value = repr(input_format)
        raise InvalidInput.coded(
            "input_format", "error.io.portfolio.format", problem, value=value, csv="'csv'", jsonl="'jsonl'"
        )
    return rows_of(facilities, input_format, validate, field="facilities", indexed=True)


def rows_of(
    source: Any,
    input_format: InputFormat | None,
    validate: Callable[[Any], Facility],
    *,
    field: str = "source",
    indexed: bool = False,
) -> Iterable[Row]:
    """The rows of ``source`` (lazily); a format that cannot be told raises at once. ``indexed``: an iterable's
    rows are numbered from 0 and their fields named ``field[i]`` (:func:`portfolio_rows`); else from 1."""
    reader: dict[str, Callable[[Iterable[str]], Iterator[Row]]] = {
        "csv": functools.partial(read_csv, validate=validate),
        "jsonl": functools.partial(read_jsonl, validate=validate),
    }
    if isinstance(source, str | os.PathLike):
        kind = input_format or input_format_of(source)
        if kind is None:
            problem = "cannot tell the format of {path} from its name; give {csv} or {jsonl}"
            path = repr(str(source))
            raise InvalidInput.coded(
                "input_format", "error.io.portfolio.format_of_path", problem, path=path, csv="csv", jsonl="jsonl"
            )
        return _read_path(source, reader[kind], field)
    if hasattr(source, "read"):
        kind = input_format or input_format_of(str(getattr(source, "name", "")))
        if kind is None:
            problem = "a stream needs {option}={csv} or {jsonl}"
            option = "input_format"
            raise InvalidInput.coded(
                "input_format", "error.io.portfolio.stream_format", problem, option=option, csv="'csv'", jsonl="'jsonl'"
            )
        return reader[kind](source)
    if input_format is not None:  # lines of text, as a reader takes them
        return reader[input_format](source)
    if is_dataframe(source):
        return frame_rows(source, validate, field)
    if is_arrow_table(source):
        return arrow_rows(source, validate, field)
    if not isinstance(source, Iterable) or isinstance(source, bytes):
        problem = "a path, a text stream, a DataFrame, a pyarrow Table or rows, not a {type}"
        raise WrongType.coded(field, "error.io.portfolio.source", problem, type=type(source).__name__)
    return _items(source, validate, field if indexed else None)


def _read_path(
    path: str | os.PathLike[str], reader: Callable[[Iterable[str]], Iterator[Row]], field: str = "source"
) -> Iterator[Row]:
    """The rows of the file ``path``, opened when the first is asked for and closed after the last."""
    try:
        stream = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        problem = "cannot read {path}: {reason}"
        reason = exc.strerror or exc
        raise InvalidInput.coded(
            field, "error.io.portfolio.unreadable", problem, path=repr(str(path)), reason=reason
        ) from None
    with stream:
        try:
            yield from reader(stream)
        except UnicodeDecodeError:
            problem = "{path} is not {encoding} text"
            raise InvalidInput.coded(
                field, "error.io.portfolio.not_utf8", problem, path=repr(str(path)), encoding="UTF-8"
            ) from None


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
            wrong = "expected facility data (a mapping) or a tuoyu_rules.Facility, got {type}"
            kind = type(item).__name__
            yield Row(number, None, _problem(number, where or "(row)", "error.io.row.not_facility", wrong, type=kind))
            continue
        try:
            yield Row(number, validate(item))
        except ValidationError as exc:
            key = facility_key(item.get("id")) if isinstance(item, Mapping) else None
            problem = _from_validation(number, exc, key)
            if where:
                problem = problem.model_copy(update={"field": f"{where}.{problem.field}"})
            yield Row(number, None, problem)


def is_portfolio_source(source: object) -> bool:
    """True when ``source`` is read as a whole portfolio (a path, a text stream, a DataFrame or a pyarrow Table),
    not as rows."""
    return (
        isinstance(source, str | os.PathLike)
        or hasattr(source, "read")
        or is_dataframe(source)
        or is_arrow_table(source)
    )
