"""Many facilities fast, with exactly the results of :func:`tuoyu_rules.assess`.

* :mod:`~tuoyu_rules.batch.cache`: the fact-keyed cache (:class:`RuleCache`) and row streaming
  (:func:`assess_many`, :func:`tally`, :func:`merge_totals`);
* :mod:`~tuoyu_rules.batch.columns`: the column path (:func:`tally_columns`, :func:`check_columns`).

What it may import: :mod:`tuoyu_rules.core` only. It never restates a rule: every amount comes from the engine.
"""

from __future__ import annotations

from .cache import (
    FenEntry,
    FenTotal,
    RowError,
    RuleCache,
    Totals,
    assess_many,
    assess_partition,
    merge_totals,
    tally,
    totals_fen,
)
from .columns import Coded, ColumnRowError, RowProblem, check_columns, coded, problems_of, rows_of, tally_columns

__all__ = [
    "Coded",
    "ColumnRowError",
    "FenEntry",
    "FenTotal",
    "RowError",
    "RowProblem",
    "RuleCache",
    "Totals",
    "assess_many",
    "assess_partition",
    "check_columns",
    "coded",
    "merge_totals",
    "problems_of",
    "rows_of",
    "tally",
    "tally_columns",
    "totals_fen",
]
