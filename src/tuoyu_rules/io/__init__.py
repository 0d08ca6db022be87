"""Data in and out: tables and their CSV, pandas and Excel writers, and the JSON Schema of the public models.

What it may import: :mod:`tuoyu_rules.core`. A result of another package becomes tables through its own
``export_tables()`` method, so the writers need not know every result type.
"""

from __future__ import annotations

from .export import Table, tables, to_csv, to_dataframe, to_excel, write_csv

__all__ = ["Table", "tables", "to_csv", "to_dataframe", "to_excel", "write_csv"]
