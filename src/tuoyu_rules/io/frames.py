"""Tables of facilities read as a portfolio: a pandas DataFrame or a pyarrow Table, one row per facility, the
columns of the CSV format.

:func:`frame_rows` turns each row of a DataFrame into a :class:`~tuoyu_rules.io.Row`, exactly as
:func:`~tuoyu_rules.io.read_csv` reads the same cells from a file: the columns are those of
:data:`tuoyu_rules.io.CSV_COLUMNS` (``facility_id`` for ``Facility.id``; ``designations`` as
``program:year[:amount]`` separated by ``;``; ``received`` as ``program:YYYY-MM-DD:amount``), a missing cell
(``None``, ``NaN``, ``pd.NA``) is an empty one. A cell may hold its value typed rather than as text: a whole
number (``30``, or ``30.0`` in a column pandas made float to hold a missing cell), a bool, a ``Decimal``. A
count with a fraction is refused like the text ``30.5``; money is never read from a float (amounts are text
inside ``designations`` and ``received``). A row is named by its position from 0 and its index label
(``facilities.loc['a'].enrolled``). pandas is an optional extra (``pip install 'tuoyu_rules[pandas]'``),
imported only when a DataFrame is given.

:func:`arrow_rows` reads a pyarrow ``Table`` the same way (the same columns, a null cell an empty one, typed cells
as in a DataFrame), a batch of rows at a time; a row is named by its index from 0, as in a list
(``facilities[3].enrolled``). pyarrow need not be imported to read one: a Table given is read through its own
methods (``pip install 'tuoyu_rules[pyarrow]'`` installs it).
"""

from __future__ import annotations

import importlib
import numbers
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from ..core.errors import InvalidInput
from ..core.models import Facility, facility_key
from .problems import _CellError, _from_validation
from .readers import _REQUIRED, CSV_COLUMNS, Row, csv_row_data

__all__ = ["ARROW_BATCH_ROWS", "arrow_rows", "frame_rows", "is_arrow_table", "is_dataframe"]

ARROW_BATCH_ROWS = 4096
"""Rows of a pyarrow Table turned into Python values at a time (memory stays flat for a table of millions)."""


def is_dataframe(source: object) -> bool:
    """True when ``source`` is a pandas DataFrame (told by its type, without importing pandas)."""
    cls = type(source)
    return cls.__name__ == "DataFrame" and cls.__module__.split(".")[0] == "pandas"


def is_arrow_table(source: object) -> bool:
    """True when ``source`` is a pyarrow Table (told by its type, without importing pyarrow)."""
    cls = type(source)
    return cls.__name__ == "Table" and cls.__module__.split(".")[0] == "pyarrow"


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")  # optional extra: imported here only, typed as Any
    except ImportError:
        message = "a DataFrame of facilities needs pandas, an optional extra: pip install 'tuoyu_rules[pandas]'"
        raise ImportError(message) from None


def _columns(names: Sequence[Any], field: str) -> list[str]:
    """The column names of a table of facilities, checked: unknown, repeated or missing required columns raise
    :class:`~tuoyu_rules.InvalidInput` naming ``field.columns``."""
    columns = [str(c).strip() for c in names]
    unknown = [c for c in columns if c not in CSV_COLUMNS]
    if unknown:
        problem = "unknown columns {unknown}; known: {known}"
        known = ", ".join(CSV_COLUMNS)
        raise InvalidInput.coded(f"{field}.columns", "error.csv.unknown_columns", problem, unknown=unknown, known=known)
    if len(set(columns)) != len(columns):
        raise InvalidInput.coded(f"{field}.columns", "error.csv.duplicate_column", "a column is given twice")
    absent = [c for c in _REQUIRED if c not in columns]
    if absent:
        problem = "required columns missing: {columns}"
        raise InvalidInput.coded(f"{field}.columns", "error.csv.required_missing", problem, columns=", ".join(absent))
    return columns


def frame_rows(frame: Any, validate: Callable[[Any], Facility], field: str = "facilities") -> Iterator[Row]:
    """The rows of the DataFrame ``frame``, lazily; unknown, repeated or missing required columns raise
    :class:`~tuoyu_rules.InvalidInput` (naming ``field``) at once."""
    pd = _pandas()
    columns = _columns(list(frame.columns), field)
    return _rows(frame, columns, validate, field, pd)


def _rows(frame: Any, columns: list[str], validate: Callable[[Any], Facility], field: str, pd: Any) -> Iterator[Row]:
    for position, (label, *cells) in enumerate(frame.itertuples(index=True, name=None)):
        record = {c: _text(v, pd) for c, v in zip(columns, cells, strict=True)}
        yield _row(position, record, validate, f"{field}.loc[{_label(label)!r}]")


def arrow_rows(table: Any, validate: Callable[[Any], Facility], field: str = "facilities") -> Iterator[Row]:
    """The rows of the pyarrow Table ``table``, lazily, each named by its index from 0 (``facilities[3]``);
    unknown, repeated or missing required columns raise :class:`~tuoyu_rules.InvalidInput` (naming ``field``) at
    once."""
    columns = _columns(list(table.column_names), field)
    return _arrow_rows(table, columns, validate, field)


def _arrow_rows(table: Any, columns: list[str], validate: Callable[[Any], Facility], field: str) -> Iterator[Row]:
    position = 0
    for batch in table.to_batches(max_chunksize=ARROW_BATCH_ROWS):
        for cells in zip(*(batch.column(i).to_pylist() for i in range(len(columns))), strict=True):
            record = {c: _text(v) for c, v in zip(columns, cells, strict=True)}
            yield _row(position, record, validate, f"{field}[{position}]")
            position += 1


def _row(position: int, record: dict[str, str | None], validate: Callable[[Any], Facility], where: str) -> Row:
    """The row at ``position`` of a table, its cells as text; a problem's field starts with ``where``."""
    key = facility_key(record.get("facility_id"))
    try:
        return Row(position, validate(csv_row_data(record)))
    except _CellError as exc:
        return Row(position, None, exc.problem(position, key, where))
    except ValidationError as exc:
        problem = _from_validation(position, exc, key)
        return Row(position, None, problem.model_copy(update={"field": f"{where}.{problem.field}"}))


def _label(label: Any) -> Any:
    """An index label as the user wrote it (``7``, not ``np.int64(7)``)."""
    if isinstance(label, numbers.Integral) and not isinstance(label, bool):
        return int(label)
    return label if isinstance(label, str | tuple) else str(label)


def _text(value: Any, pd: Any = None) -> str | None:
    """A cell as the text a CSV file would hold (None: empty). ``pd``: pandas, for a DataFrame's own scalars
    (``np.int64``, ``pd.NA``); a pyarrow Table's cells are plain Python values."""
    if isinstance(value, str):
        return value
    if value is None:
        return None
    if isinstance(value, bool) or (pd is not None and pd.api.types.is_bool(value)):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral) or (pd is not None and pd.api.types.is_integer(value)):
        return str(int(value))
    if isinstance(value, float) or (pd is not None and pd.api.types.is_float(value)):
        if value != value:  # NaN: a missing cell
            return None
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, Decimal):
        return str(value)
    if pd is not None and pd.api.types.is_scalar(value) and pd.isna(value):  # pd.NA, NaT
        return None
    return str(value)
