"""Exports: CSV (always), a pandas DataFrame and an Excel workbook (optional extras).

Every result of the what-if tools turns into one or more *tables* (:func:`tables`): a
:class:`~tuoyu_rules.whatif.Budget` (``by_payer``, ``by_program``, ``row_errors``, ``summary``), a
:class:`~tuoyu_rules.whatif.Projection` (``by_year_payer``, ``lines``), a
:class:`~tuoyu_rules.whatif.Comparison` (``entries``), a :class:`~tuoyu_rules.whatif.Pinned` or an
:class:`~tuoyu_rules.Assessment` (``entries``, ``choices`` for a pinned one). An assessment is laid out
here (:func:`entries_table`); any other result lays itself out with its ``export_tables()`` method (see
:class:`Exportable`), so this module needs to know no result type of another package.

Programmes and payers have their Chinese and English names beside their ids (``name_zh``, ``name_en``,
``payer_zh``, ``payer_en``: :mod:`tuoyu_rules.io.names`). The writers take ``lang="en"`` (the default: headers
are the column ids) or ``lang="zh"`` (Chinese headers from ``io/messages.toml``); the cells are the same.

Amounts are ``low`` and ``high`` columns (an assessment's entries also give the count a per-child amount is
paid for, ``children``, and the entry's total, ``total_low`` and ``total_high``). ``high`` is empty (CSV, Excel) or
missing (``<NA>``: DataFrame) when the amount has **no upper bound**; it is never 0 or a guess.
Undetermined counts and reasons sit in their own columns, so a total never hides what is still open.

* :func:`write_csv` / :func:`to_csv`: stdlib :mod:`csv`; amounts as text with two decimals
  (``"50000.00"``). Several tables go into one CSV with a leading ``table`` column (tables without rows
  are left out): filter on it before summing a column, as ``by_payer`` and ``by_program`` hold the same money (or
  write one table with ``table=``).
* :func:`to_dataframe`: needs ``pip install tuoyu_rules[pandas]``; **one table per call**, with typed columns
  (:mod:`tuoyu_rules.io.dtypes`): counts ``int64`` (``Int64`` where a count may be missing), flags ``boolean``, ids
  and text ``string``, amounts exact, ``decimal128(20, 2)`` through ``pd.ArrowDtype`` when pyarrow is installed
  (the ``pandas`` extra installs it), else their text with two decimals (``string``), never floats. Without
  ``table=`` the frame is the result's **main table**, the first of its tables: a
  :class:`~tuoyu_rules.whatif.Budget`'s ``by_payer``, a :class:`~tuoyu_rules.whatif.Projection`'s
  ``by_year_payer``, the ``entries`` of a :class:`~tuoyu_rules.whatif.Comparison`, a
  :class:`~tuoyu_rules.whatif.Pinned` or an :class:`~tuoyu_rules.Assessment`; name another with ``table=``. Tables
  are never stacked in one frame: summing a column never adds two tables' rows.
* :func:`to_excel`: needs ``pip install tuoyu_rules[excel]`` (openpyxl); one sheet per table, amounts
  written from their exact decimal text with the number format ``#,##0.00``.

**Spreadsheet formula injection.** A text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab, a
carriage return, a line feed, a NUL, or the full-width ``＝ ＋ － ＠``) is a live formula to Excel, LibreOffice
and Google Sheets. Every *text* cell :func:`write_csv`, :func:`to_csv` and :func:`to_excel` write (headers
included) goes through :func:`formula_safe`, which prefixes such a cell with a single quote, as OWASP's
CSV-injection guidance says: ``=HYPERLINK(...)`` is written ``'=HYPERLINK(...)``. Numbers (``Decimal`` and
``int`` cells) are written as numbers: ``-5.00`` is a negative amount, not text, and is never quoted. A
DataFrame (:func:`to_dataframe`) is data, not a spreadsheet: its cells are the values as they are; a caller
who writes one to CSV or Excel with pandas should apply :func:`formula_safe` to its text cells (or use
:func:`to_csv` / :func:`to_excel`). In a workbook, the characters XML cannot hold (C0 controls other than tab,
line feed and carriage return) are written as visible escapes (``\\x1b``) instead of failing.

**Deterministic workbooks.** :func:`to_excel` gives the same bytes for the same result: the workbook's
created and modified dates and the time stamp of every member of the ZIP archive are fixed at
:data:`WORKBOOK_TIME` (1980-01-01 00:00, the earliest time a ZIP archive can hold), never the clock.

The optional libraries are imported inside these functions only; the core never needs them.
"""

from __future__ import annotations

import csv
import importlib
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, TextIO, runtime_checkable

from ..core.errors import NotFound, WrongType
from ..core.messages import DEFAULT_LANG, Lang, check_lang
from ..core.money import fen_text
from ..core.results import Assessment
from .cells import (
    OWED_COLUMNS,
    PROGRAM_COLUMNS,
    Cell,
    OwedAmount,
    ProgramAmount,
    Table,
    bounds,
    owed_cells,
    program_cells,
)
from .dtypes import typed_frame
from .names import NAMED_PROGRAM_COLUMNS, headers, named_program_cells, payer_names, program_names
from .workbook import WORKBOOK_TIME, StampedZip

__all__ = [
    "ENTRY_COLUMNS",
    "NAMED_PROGRAM_COLUMNS",
    "OWED_COLUMNS",
    "PROGRAM_COLUMNS",
    "WORKBOOK_TIME",
    "Cell",
    "CsvRows",
    "Exportable",
    "OwedAmount",
    "ProgramAmount",
    "Table",
    "bounds",
    "cell_text",
    "csv_cell",
    "csv_writer",
    "entries_table",
    "formula_safe",
    "headers",
    "named_program_cells",
    "owed_cells",
    "payer_names",
    "program_cells",
    "program_names",
    "tables",
    "to_csv",
    "to_dataframe",
    "to_excel",
    "write_csv",
]


@runtime_checkable
class Exportable(Protocol):
    """A result that lays itself out as tables (a budget, a projection, a comparison, a pinned assessment). The
    first table is the result's main table, the frame :func:`to_dataframe` gives without ``table=``."""

    def export_tables(self) -> tuple[Table, ...]: ...


def tables(result: Any) -> tuple[Table, ...]:
    """The tables of a result (see the module docs); TypeError for anything else."""
    if isinstance(result, Assessment):
        return (entries_table("entries", [(result.jurisdiction, result)]),)
    if isinstance(result, Exportable) and not isinstance(result, type):
        return result.export_tables()
    problem = "cannot export a {type}; export a Budget, Projection, Comparison, Pinned or Assessment"
    raise WrongType.coded("result", "error.io.export.result", problem, type=type(result).__name__)


ENTRY_COLUMNS: tuple[str, ...] = (
    "facility_id",
    "jurisdiction",
    "kind",
    "program",
    "name_zh",
    "name_en",
    "payer",
    "payer_zh",
    "payer_en",
    "basis",
    "status",
    "low",
    "high",
    "children",
    "total_low",
    "total_high",
    "missing",
    *OWED_COLUMNS,
)
"""The columns of :func:`entries_table`: ``facility_id`` is the caller's key (``Facility.id``; empty when none was
given); ``name_zh``, ``name_en``, ``payer_zh`` and ``payer_en`` are the entry's names beside its ids; ``low`` and
``high`` are the amount per ``basis`` (a rate per child and
month for ``per_child_month``); ``children`` is the count a per-child amount is paid for (empty otherwise, or when
not supplied); ``total_low`` and ``total_high`` are the entry's total (rate times children, a monthly sum, for
``per_child_month``; the amount itself otherwise); ``received``, ``owed_low`` and ``owed_high`` (:data:`OWED_COLUMNS`)
what was paid toward the entry in its basis period and what of its total is still owed."""


def entries_table(name: str, assessments: Sequence[tuple[str, Assessment]]) -> Table:
    """One row per entry of each assessment (entitlements, then obligations), headed by the facility's key and
    its jurisdiction."""
    rows: list[tuple[Cell, ...]] = []
    for city, a in assessments:
        for kind, entries in (("entitlement", a.entitlements), ("obligation", a.obligations)):
            for e in entries:
                rows.append(
                    (
                        a.facility.id,
                        city,
                        kind,
                        e.program,
                        e.name_zh,
                        e.name_en,
                        e.payer,
                        e.payer_zh,
                        e.payer_en,
                        e.basis,
                        e.status,
                        *bounds(e.amount),
                        e.children,
                        *bounds(e.total),
                        ";".join(e.missing),
                        *owed_cells(e),
                    )
                )
    return Table(name, ENTRY_COLUMNS, tuple(rows))


def _pick(result: Any, table: str | None) -> tuple[Table, ...]:
    """The table named ``table`` of ``result`` (alone), or every table of it (``table=None``)."""
    found = tables(result)
    if table is None:
        return found
    for t in found:
        if t.name == table:
            return (t,)
    raise NotFound(f"no table {table!r}; present: {', '.join(t.name for t in found)}")


def cell_text(cell: Cell) -> str:
    """A cell as CSV text: an amount with two decimals (``"50000.00"``), ``None`` as empty."""
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return fen_text(cell)  # the same text whatever the caller's decimal context
    return str(cell)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""First characters that make a spreadsheet read a text cell as a formula (OWASP's list, NUL as in the ASVS,
the line feed, and the full-width forms a Chinese input method types)."""


def formula_safe(text: str) -> str:
    """``text`` as an inert spreadsheet cell: prefixed with a single quote when it starts like a formula.

    OWASP's rule for CSV injection: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return (here also NUL, a line feed and the full-width ``＝ ＋ － ＠``) gets a leading ``'``, which a
    spreadsheet reads as "this is text"; any other text is unchanged. For text cells only: a number is written
    as a number (see the module docs).
    """
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_cell(cell: Cell) -> str:
    """A cell as it is written to CSV: :func:`cell_text`, with a text cell made inert by :func:`formula_safe`
    (an amount or a count is a number and stays as it is, ``-5.00`` included)."""
    text = cell_text(cell)
    return formula_safe(text) if isinstance(cell, str) else text


class CsvRows(Protocol):
    """What :func:`csv_writer` returns: rows of text cells in, CSV lines out."""

    def writerow(self, row: Iterable[str], /) -> Any: ...


class _CsvRows:
    """A CSV writer that also quotes a cell holding a carriage return (Python 3.11's quotes only the line
    terminator's characters: ``a\rb`` would be written bare, and a reader or spreadsheet would start a new
    row at the ``\r``, whose first cell could be a formula)."""

    def __init__(self, stream: TextIO) -> None:
        self._minimal = csv.writer(stream, lineterminator="\n")
        self._all = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable[str], /) -> Any:
        cells = list(row)
        return (self._all if any("\r" in c for c in cells) else self._minimal).writerow(cells)


def csv_writer(stream: TextIO) -> CsvRows:
    """The CSV writer of every export (``\n`` line ends, minimal quoting, and a cell holding a carriage return
    quoted); give it cells made by :func:`csv_cell`."""
    return _CsvRows(stream)


def write_csv(result: Any, stream: TextIO, *, table: str | None = None, lang: Lang = DEFAULT_LANG) -> None:
    """Write a result as CSV to an open text stream (``newline=""`` recommended for files).

    With one table (or ``table=`` naming one) the columns are that table's; with several, a leading
    ``table`` column names each row's table and the columns are the union, in order of appearance. Every
    text cell, headers included, is made inert for spreadsheets (:func:`csv_cell`); amounts and counts are
    written as numbers. ``lang``: the language of the headers (``"en"``: the column ids; ``"zh"``: Chinese).
    """
    lang = check_lang(lang)
    chosen = _pick(result, table)
    if not callable(getattr(stream, "write", None)):
        problem = "an open text stream (with a write method), not a {type}"
        raise WrongType.coded("stream", "error.io.export.stream", problem, type=type(stream).__name__)
    writer = csv_writer(stream)
    if len(chosen) == 1:
        writer.writerow([csv_cell(c) for c in headers(chosen[0].columns, lang)])
        for row in chosen[0].rows:
            writer.writerow([csv_cell(c) for c in row])
        return
    chosen = tuple(t for t in chosen if t.rows) or chosen[:1]  # an empty table adds no columns
    columns = _union(t.columns for t in chosen)
    writer.writerow([csv_cell(c) for c in headers(("table", *columns), lang)])
    for t in chosen:
        index = {c: i for i, c in enumerate(t.columns)}
        for row in t.rows:
            writer.writerow([csv_cell(t.name), *(csv_cell(row[index[c]]) if c in index else "" for c in columns)])


def to_csv(result: Any, *, table: str | None = None, lang: Lang = DEFAULT_LANG) -> str:
    """The CSV text of :func:`write_csv` (headers in ``lang``)."""
    buffer = io.StringIO()
    write_csv(result, buffer, table=table, lang=lang)
    return buffer.getvalue()


def _union(column_lists: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for cols in column_lists:
        for c in cols:
            seen[c] = None
    return tuple(seen)


def to_dataframe(result: Any, *, table: str | None = None, lang: Lang = DEFAULT_LANG) -> Any:
    """One table of the result as a pandas DataFrame with typed columns, its column names in ``lang`` (``"en"``:
    the column ids); needs ``tuoyu_rules[pandas]``.

    ``table``: the table's id (``"by_program"``); None gives the result's main table, the first of its tables
    (see the module docs: a budget's ``by_payer``). One call gives one table, never several stacked, so
    ``frame.groupby("payer")["low"].sum()`` adds each amount once. The types are those of
    :mod:`tuoyu_rules.io.dtypes`: amounts exact (``decimal128(20, 2)`` with pyarrow, else text with two decimals),
    counts integers, flags booleans, text ``string``; the table's id is in ``frame.attrs["table"]``.

    The cells are the values as they are (a DataFrame is data, not a spreadsheet): text is not made inert
    for spreadsheets. Before writing one to CSV or Excel yourself, apply :func:`formula_safe` to its text
    cells, or use :func:`to_csv` / :func:`to_excel`, which do.
    """
    try:
        pd = importlib.import_module("pandas")  # optional extra: imported here only, typed as Any
    except ImportError:
        raise ImportError("to_dataframe needs pandas, an optional extra: pip install 'tuoyu_rules[pandas]'") from None
    lang = check_lang(lang)
    chosen = _pick(result, table)[0]  # table=None: every table, the main one first
    return typed_frame(pd, chosen, headers(chosen.columns, lang))


def _excel_cell(cell: Cell, illegal: re.Pattern[str]) -> Cell:
    """A cell as written to a workbook: text made inert (:func:`formula_safe`) with the characters XML cannot
    hold as visible escapes; a number stays a number."""
    if not isinstance(cell, str):
        return cell
    return formula_safe(illegal.sub(lambda m: f"\\x{ord(m[0]):02x}", cell))


def to_excel(result: Any, path: str | Path, *, lang: Lang = DEFAULT_LANG) -> Path:
    """Write an Excel workbook, one sheet per table (named by the table's id), headers in ``lang``; needs
    ``tuoyu_rules[excel]`` (openpyxl). Returns the path.

    Text cells, headers included, are made inert for spreadsheets (:func:`formula_safe`); amounts and counts are
    numbers. The same result gives the same bytes (dates fixed at :data:`WORKBOOK_TIME`).
    """
    lang = check_lang(lang)
    try:
        openpyxl = importlib.import_module("openpyxl")  # optional extra: imported here only
    except ImportError:
        raise ImportError("to_excel needs openpyxl, an optional extra: pip install 'tuoyu_rules[excel]'") from None
    illegal: re.Pattern[str] = importlib.import_module("openpyxl.cell.cell").ILLEGAL_CHARACTERS_RE
    wb = openpyxl.Workbook()
    first = True
    for t in tables(result):
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = t.name[:31]
        ws.append([_excel_cell(c, illegal) for c in headers(t.columns, lang)])
        for row in t.rows:
            ws.append([_excel_cell(c, illegal) for c in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
    wb.properties.created = wb.properties.modified = WORKBOOK_TIME
    target = Path(path)
    # openpyxl's Workbook.save stamps "modified" and every ZIP member with the clock; its writer, given an
    # archive that stamps WORKBOOK_TIME, does not.
    writer = importlib.import_module("openpyxl.writer.excel")
    with StampedZip(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        writer.ExcelWriter(wb, archive).save()
    return target
