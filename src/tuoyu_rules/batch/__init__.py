"""Many facilities fast, with exactly the results of :func:`tuoyu_rules.assess`.

* :mod:`~tuoyu_rules.batch.stream`: row streaming (:func:`assess_many`, :func:`assess_partition`, :func:`tally`,
  whose bad row raises :class:`TallyError`);
* :mod:`~tuoyu_rules.batch.cache`: the fact-keyed cache (:class:`RuleCache`), over
  :mod:`~tuoyu_rules.batch.trace` (which fields a run read) and :mod:`~tuoyu_rules.batch.trie` (the results
  stored by those fields);
* :mod:`~tuoyu_rules.batch.fen`: results in integer fen and their exact sums (:class:`FenEntry`,
  :func:`totals_fen`, :func:`merge_totals`);
* :mod:`~tuoyu_rules.batch.columns`: the column path (:func:`tally_columns`, :func:`check_columns`), over
  :mod:`~tuoyu_rules.batch.checker` (Facility's validation over columns), :mod:`~tuoyu_rules.batch.backends`
  (columns as codes, in pure Python or numpy) and :mod:`~tuoyu_rules.batch.walk` (rows counted at their
  stored results).

What it may import: :mod:`tuoyu_rules.core` only. It never restates a rule: every amount comes from the engine.
"""

from __future__ import annotations

from .cache import RuleCache
from .columns import Coded, ColumnRowError, RowProblem, check_columns, coded, problems_of, rows_of, tally_columns
from .fen import FenEntry, FenTotal, RowError, Totals, merge_totals, totals_fen
from .stream import TallyError, assess_many, assess_partition, tally

__all__ = [
    "Coded",
    "ColumnRowError",
    "FenEntry",
    "FenTotal",
    "RowError",
    "RowProblem",
    "RuleCache",
    "TallyError",
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
