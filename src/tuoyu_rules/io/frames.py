"""A pandas DataFrame of facilities read as a portfolio: one row per facility, the columns of the CSV format.

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
"""

from __future__ import annotations

import importlib
import numbers
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from ..core.errors import InvalidInput
from ..core.models import Facility, facility_key
from .readers import _REQUIRED, CSV_COLUMNS, Row, RowProblem, _CellError, _from_validation, csv_row_data

__all__ = ["frame_rows", "is_dataframe"]


def is_dataframe(source: object) -> bool:
    """True when ``source`` is a pandas DataFrame (told by its type, without importing pandas)."""
    cls = type(source)
    return cls.__name__ == "DataFrame" and cls.__module__.split(".")[0] == "pandas"


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")  # optional extra: imported here only, typed as Any
    except ImportError:
        message = "a DataFrame of facilities needs pandas, an optional extra: pip install 'tuoyu_rules[pandas]'"
        raise ImportError(message) from None


def frame_rows(frame: Any, validate: Callable[[Any], Facility], field: str = "facilities") -> Iterator[Row]:
    """The rows of the DataFrame ``frame``, lazily; unknown, repeated or missing required columns raise
    :class:`~tuoyu_rules.InvalidInput` (naming ``field``) at once."""
    pd = _pandas()
    columns = [str(c).strip() for c in frame.columns]
    unknown = [c for c in columns if c not in CSV_COLUMNS]
    if unknown:
        raise InvalidInput(f"{field}.columns", f"unknown columns {unknown}; known: {', '.join(CSV_COLUMNS)}")
    if len(set(columns)) != len(columns):
        raise InvalidInput(f"{field}.columns", "a column is given twice")
    absent = [c for c in _REQUIRED if c not in columns]
    if absent:
        raise InvalidInput(f"{field}.columns", f"required columns missing: {', '.join(absent)}")
    return _rows(frame, columns, validate, field, pd)


def _rows(frame: Any, columns: list[str], validate: Callable[[Any], Facility], field: str, pd: Any) -> Iterator[Row]:
    for position, (label, *cells) in enumerate(frame.itertuples(index=True, name=None)):
        where = f"{field}.loc[{_label(label)!r}]"
        record = {c: _text(v, pd) for c, v in zip(columns, cells, strict=True)}
        key = facility_key(record.get("facility_id"))
        try:
            yield Row(position, validate(csv_row_data(record)))
        except _CellError as exc:
            problem = RowProblem(row=position, field=f"{where}.{exc.field}", message=exc.message, facility_id=key)
            yield Row(position, None, problem)
        except ValidationError as exc:
            problem = _from_validation(position, exc, key)
            yield Row(position, None, problem.model_copy(update={"field": f"{where}.{problem.field}"}))


def _label(label: Any) -> Any:
    """An index label as the user wrote it (``7``, not ``np.int64(7)``)."""
    if isinstance(label, numbers.Integral) and not isinstance(label, bool):
        return int(label)
    return label if isinstance(label, str | tuple) else str(label)


def _text(value: Any, pd: Any) -> str | None:
    """A cell as the text a CSV file would hold (None: empty)."""
    if isinstance(value, str):
        return value
    if value is None:
        return None
    if pd.api.types.is_bool(value):
        return "true" if value else "false"
    if pd.api.types.is_integer(value):
        return str(int(value))
    if pd.api.types.is_float(value):
        if value != value:  # NaN: a missing cell
            return None
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, Decimal):
        return str(value)
    if pd.api.types.is_scalar(value) and pd.isna(value):  # pd.NA, NaT
        return None
    return str(value)
