"""Exports: CSV (always), a pandas DataFrame and an Excel workbook (optional extras).

Every result of the what-if tools turns into one or more *tables* (:func:`tables`): a
:class:`~tuoyu_rules.whatif.Budget` (``by_payer``, ``by_program``, ``row_errors``), a
:class:`~tuoyu_rules.whatif.Projection` (``by_year_payer``, ``lines``), a
:class:`~tuoyu_rules.whatif.Comparison` (``entries``), a :class:`~tuoyu_rules.whatif.Pinned` or an
:class:`~tuoyu_rules.Assessment` (``entries``, ``choices`` for a pinned one). An assessment is laid out
here (:func:`entries_table`); any other result lays itself out with its ``export_tables()`` method (see
:class:`Exportable`), so this module needs to know no result type of another package.

Amounts are ``low`` and ``high`` columns. ``high`` is empty (CSV) or missing (``None``: DataFrame, Excel)
when the amount has **no upper bound**; it is never 0 or a guess. Undetermined counts and reasons sit in
their own columns, so a total never hides what is still open.

* :func:`write_csv` / :func:`to_csv`: stdlib :mod:`csv`; amounts as text with two decimals
  (``"50000.00"``). Several tables go into one CSV with a leading ``table`` column (tables without rows
  are left out).
* :func:`to_dataframe`: needs ``pip install tuoyu_rules[pandas]``; amounts stay :class:`~decimal.Decimal`
  objects (``object`` columns), never floats. Several tables are concatenated with a ``table`` column, or
  pick one with ``table=``.
* :func:`to_excel`: needs ``pip install tuoyu_rules[excel]`` (openpyxl); one sheet per table, amounts
  written from their exact decimal text with the number format ``#,##0.00``.

The optional libraries are imported inside these functions only; the core never needs them.
"""

from __future__ import annotations

import csv
import importlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, TextIO, runtime_checkable

from ..core.amounts import AmountRange
from ..core.results import Assessment

__all__ = [
    "PROGRAM_COLUMNS",
    "Cell",
    "Exportable",
    "ProgramAmount",
    "Table",
    "bounds",
    "cell_text",
    "entries_table",
    "program_cells",
    "tables",
    "to_csv",
    "to_dataframe",
    "to_excel",
    "write_csv",
]

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Table:
    """A plain table: column names and rows of cells (``str``, ``int``, ``Decimal`` or ``None``)."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def bounds(amount: AmountRange) -> tuple[Decimal, Decimal | None]:
    """The ``low`` and ``high`` cells of an amount (``high`` is ``None`` when it has no upper bound)."""
    return amount.low, amount.high


PROGRAM_COLUMNS: tuple[str, ...] = ("program", "kind", "payer", "basis", "low", "high")
"""The columns of a programme's amount (:func:`program_cells`), in a total or a line of a what-if result."""


class ProgramAmount(Protocol):
    """A programme's amount of one payer and basis: a budget's programme total, a projection's line."""

    @property
    def program(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def payer(self) -> str: ...
    @property
    def basis(self) -> str: ...
    @property
    def amount(self) -> AmountRange: ...


def program_cells(item: ProgramAmount) -> tuple[Cell, ...]:
    """The cells of :data:`PROGRAM_COLUMNS`: programme, kind, payer, basis, low and high."""
    return (item.program, item.kind, item.payer, item.basis, *bounds(item.amount))


@runtime_checkable
class Exportable(Protocol):
    """A result that lays itself out as tables (a budget, a projection, a comparison, a pinned assessment)."""

    def export_tables(self) -> tuple[Table, ...]: ...


def tables(result: Any) -> tuple[Table, ...]:
    """The tables of a result (see the module docs); TypeError for anything else."""
    if isinstance(result, Assessment):
        return (entries_table("entries", [(result.jurisdiction, result)]),)
    if isinstance(result, Exportable) and not isinstance(result, type):
        return result.export_tables()
    raise TypeError(
        f"cannot export a {type(result).__name__}; export a Budget, Projection, Comparison, Pinned or Assessment"
    )


def entries_table(name: str, assessments: Sequence[tuple[str, Assessment]]) -> Table:
    """One row per entry of each assessment (entitlements, then obligations), headed by its jurisdiction."""
    rows: list[tuple[Cell, ...]] = []
    for city, a in assessments:
        for kind, entries in (("entitlement", a.entitlements), ("obligation", a.obligations)):
            for e in entries:
                rows.append((city, kind, e.program, e.payer, e.basis, e.status, *bounds(e.amount), ";".join(e.missing)))
    return Table(
        name, ("jurisdiction", "kind", "program", "payer", "basis", "status", "low", "high", "missing"), tuple(rows)
    )


def _pick(result: Any, table: str | None) -> tuple[Table, ...]:
    found = tables(result)
    if table is None:
        return found
    for t in found:
        if t.name == table:
            return (t,)
    raise KeyError(f"no table {table!r}; present: {', '.join(t.name for t in found)}")


def cell_text(cell: Cell) -> str:
    """A cell as CSV text: an amount with two decimals (``"50000.00"``), ``None`` as empty."""
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format(cell.quantize(Decimal("0.01")), "f")
    return str(cell)


def write_csv(result: Any, stream: TextIO, *, table: str | None = None) -> None:
    """Write a result as CSV to an open text stream (``newline=""`` recommended for files).

    With one table (or ``table=`` naming one) the columns are that table's; with several, a leading
    ``table`` column names each row's table and the columns are the union, in order of appearance.
    """
    chosen = _pick(result, table)
    writer = csv.writer(stream, lineterminator="\n")
    if len(chosen) == 1:
        writer.writerow(chosen[0].columns)
        for row in chosen[0].rows:
            writer.writerow([cell_text(c) for c in row])
        return
    chosen = tuple(t for t in chosen if t.rows) or chosen[:1]  # an empty table adds no columns
    columns = _union(t.columns for t in chosen)
    writer.writerow(("table", *columns))
    for t in chosen:
        index = {c: i for i, c in enumerate(t.columns)}
        for row in t.rows:
            writer.writerow([t.name, *(cell_text(row[index[c]]) if c in index else "" for c in columns)])


def to_csv(result: Any, *, table: str | None = None) -> str:
    """The CSV text of :func:`write_csv`."""
    buffer = io.StringIO()
    write_csv(result, buffer, table=table)
    return buffer.getvalue()


def _union(column_lists: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for cols in column_lists:
        for c in cols:
            seen[c] = None
    return tuple(seen)


def to_dataframe(result: Any, *, table: str | None = None) -> Any:
    """A pandas DataFrame of the result (amounts as ``Decimal`` objects); needs ``tuoyu_rules[pandas]``."""
    try:
        pd = importlib.import_module("pandas")  # optional extra: imported here only, typed as Any
    except ImportError:
        raise ImportError("to_dataframe needs pandas, an optional extra: pip install 'tuoyu_rules[pandas]'") from None
    chosen = _pick(result, table)
    if len(chosen) == 1:
        t = chosen[0]
        return pd.DataFrame([list(r) for r in t.rows], columns=list(t.columns), dtype=object)
    chosen = tuple(t for t in chosen if t.rows) or chosen[:1]  # an empty table adds no columns
    columns = _union(t.columns for t in chosen)
    records: list[list[Cell]] = []
    for t in chosen:
        index = {c: i for i, c in enumerate(t.columns)}
        for row in t.rows:
            records.append([t.name, *(row[index[c]] if c in index else None for c in columns)])
    return pd.DataFrame(records, columns=["table", *columns], dtype=object)


def to_excel(result: Any, path: str | Path) -> Path:
    """Write an Excel workbook, one sheet per table; needs ``tuoyu_rules[excel]`` (openpyxl). Returns the path."""
    try:
        openpyxl = importlib.import_module("openpyxl")  # optional extra: imported here only
    except ImportError:
        raise ImportError("to_excel needs openpyxl, an optional extra: pip install 'tuoyu_rules[excel]'") from None
    wb = openpyxl.Workbook()
    first = True
    for t in tables(result):
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = t.name[:31]
        ws.append(list(t.columns))
        for row in t.rows:
            ws.append(list(row))
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
    target = Path(path)
    wb.save(target)
    return target
