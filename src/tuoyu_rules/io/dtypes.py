"""The types of a table's columns in a pandas DataFrame (:func:`tuoyu_rules.io.to_dataframe`).

Each column id of the exports has a kind (:data:`COLUMN_KINDS`), whatever the result and the language of the
headers, so a frame's types never depend on the values it happens to hold:

==================  ===============================================================================================
kind                dtype
==================  ===============================================================================================
``count``           ``int64`` (``undetermined``, ``eligible``, ``year``, ``row``, ``facilities``...)
``optional_count``  ``Int64``, pandas' nullable integer: ``children``, missing (``<NA>``) when not supplied
``money``           exact: ``decimal128(20, 2)[pyarrow]`` (:func:`money_dtype`, a ``pd.ArrowDtype``) when pyarrow
                    is installed; without it ``string``, the amount's text with two decimals (``"50000.00"``). Never
                    a float. ``high`` (and every upper bound) is ``<NA>`` when the amount has no upper bound
``flag``            ``boolean``, pandas' nullable boolean (``rounded``: ``"yes"``/``"no"`` in CSV)
``text``            ``string`` (ids, names, reasons), ``<NA>`` when empty
==================  ===============================================================================================

A column of another package's table that :data:`COLUMN_KINDS` does not know gets the kind its cells show (every
cell an ``int``, a ``Decimal``, a ``bool`` or a ``str``); a column whose cells do not fit its kind stays an
``object`` column of the values as they are. With pyarrow, ``frame["low"].sum()`` is an exact ``Decimal``.
"""

from __future__ import annotations

import decimal
import importlib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal

from ..core.money import fen_text
from .cells import Cell, Table

__all__ = ["COLUMN_KINDS", "MONEY_PRECISION", "ColumnKind", "column_kind", "money_dtype", "typed_frame"]

ColumnKind = Literal["count", "optional_count", "money", "flag", "text"]

MONEY_PRECISION = 20
"""Digits of a money column with pyarrow (``decimal128(20, 2)``): 18 before the point, far above any sum of the
largest amount the library accepts over millions of rows."""

_KINDS: dict[ColumnKind, tuple[str, ...]] = {
    "count": (
        *("undetermined", "eligible", "ineligible", "year", "row", "line"),
        *("facilities", "row_errors", "row_errors_listed"),
    ),
    "optional_count": ("children",),
    "money": (
        *("low", "high", "total_low", "total_high", "received", "owed_low", "owed_high"),
        *("range_low", "range_high", "value"),
    ),
    "flag": ("rounded",),
    "text": (
        *("table", "facility_id", "jurisdiction", "city", "kind", "program", "name_zh", "name_en", "payer"),
        *("payer_zh", "payer_en", "basis", "status", "missing", "scenario", "reform", "open_reasons", "field"),
        *("message", "paid", "how", "note", "error_field", "error"),
    ),
}

COLUMN_KINDS: Mapping[str, ColumnKind] = MappingProxyType(
    {column: kind for kind, columns in _KINDS.items() for column in columns}
)
"""Every column id of the exports' tables (those of ``io/messages.toml``) -> its kind (see the module docs)."""

_CENT = Decimal("0.01")
_EXACT = decimal.Context(prec=MONEY_PRECISION + 8)
"""The context money is checked in, whatever the caller's (a quantize under it never rounds or fails)."""
_MONEY_LIMIT = Decimal(10) ** (MONEY_PRECISION - 2)
_FLAGS: Mapping[object, bool] = MappingProxyType({"yes": True, "no": False, True: True, False: False})


def column_kind(column: str, cells: Sequence[Cell]) -> ColumnKind | None:
    """The kind of ``column``: :data:`COLUMN_KINDS`' for a known id, else the one every cell shows; None when the
    cells show none (no cells, or cells of several types)."""
    known = COLUMN_KINDS.get(column)
    if known is not None:
        return known
    types = {type(c) for c in cells if c is not None}
    shown: dict[type, ColumnKind] = {int: "optional_count", Decimal: "money", bool: "flag", str: "text"}
    return shown.get(types.pop()) if len(types) == 1 else None


def _pyarrow() -> Any:
    """pyarrow when it is installed (an optional extra, imported here only), else None."""
    try:
        return importlib.import_module("pyarrow")
    except ImportError:
        return None


def money_dtype() -> Any:
    """The dtype of a money column: ``pd.ArrowDtype(pa.decimal128(20, 2))`` with pyarrow, else ``"string"``."""
    pa = _pyarrow()
    if pa is None:
        return "string"
    return importlib.import_module("pandas").ArrowDtype(pa.decimal128(MONEY_PRECISION, 2))


def _counts(cells: Sequence[Cell]) -> list[int | None] | None:
    ok = all(c is None or (isinstance(c, int) and not isinstance(c, bool)) for c in cells)
    return [c if isinstance(c, int) else None for c in cells] if ok else None


def _amounts(cells: Sequence[Cell]) -> list[Decimal | None] | None:
    amounts = [Decimal(c) if isinstance(c, int) and not isinstance(c, bool) else c for c in cells]
    ok = all(a is None or (isinstance(a, Decimal) and _exact(a)) for a in amounts)
    return [a if isinstance(a, Decimal) else None for a in amounts] if ok else None


def _exact(amount: Decimal) -> bool:
    """True when ``amount`` fits a money column exactly: finite, at most two decimals, under 10**18."""
    return amount.is_finite() and amount.copy_abs() < _MONEY_LIMIT and _EXACT.quantize(amount, _CENT) == amount


def _series(pd: Any, kind: ColumnKind | None, cells: Sequence[Cell]) -> Any:
    """One column as a Series of its kind's dtype; ``object`` when a cell does not fit it."""
    if kind in ("count", "optional_count"):
        counts = _counts(cells)
        if counts is not None:
            return pd.Series(counts, dtype="int64" if kind == "count" and None not in counts else "Int64")
    elif kind == "money":
        amounts = _amounts(cells)
        if amounts is not None:
            pa = _pyarrow()
            if pa is None:
                return pd.Series([None if a is None else fen_text(a) for a in amounts], dtype="string")
            return pd.Series(amounts, dtype=pd.ArrowDtype(pa.decimal128(MONEY_PRECISION, 2)))
    elif kind == "flag":
        if all(c is None or (isinstance(c, str | bool) and c in _FLAGS) for c in cells):
            return pd.Series([None if c is None else _FLAGS[c] for c in cells], dtype="boolean")
    elif kind == "text" and all(c is None or isinstance(c, str) for c in cells):
        return pd.Series(cells, dtype="string")
    return pd.Series(cells, dtype=object)


def typed_frame(pd: Any, table: Table, headers: Sequence[str]) -> Any:
    """``table`` as a DataFrame of typed columns (see the module docs), named by ``headers``; the table's id is in
    the frame's ``attrs["table"]``."""
    series = []
    for i, column in enumerate(table.columns):
        cells = [row[i] for row in table.rows]
        series.append(_series(pd, column_kind(column, cells), cells))
    frame = pd.DataFrame(dict(enumerate(series)), index=pd.RangeIndex(len(table.rows)))
    frame.columns = list(headers)
    frame.attrs["table"] = table.name
    return frame
