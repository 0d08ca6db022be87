"""Data in and out: portfolio readers (CSV, JSON Lines, a pandas DataFrame, a pyarrow Table), tables and their CSV,
pandas (typed columns, one table per frame) and Excel writers, and the JSON Schema of the public models.

What it may import: :mod:`tuoyu_rules.core`. A result of another package becomes tables through its own
``export_tables()`` method, so the writers need not know every result type.
"""

from __future__ import annotations

from .export import Exportable, Table, tables, to_csv, to_dataframe, to_excel, write_csv
from .readers import CSV_COLUMNS, Row, RowError, RowProblem, csv_row_data, read_csv, read_jsonl

__all__ = [
    "CSV_COLUMNS",
    "Exportable",
    "Row",
    "RowError",
    "RowProblem",
    "Table",
    "csv_row_data",
    "read_csv",
    "read_jsonl",
    "tables",
    "to_csv",
    "to_dataframe",
    "to_excel",
    "write_csv",
]
