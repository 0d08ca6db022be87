"""What-if analysis: pinning the ranges the sources leave to the granting body, comparing cities, sweeping a
parameter, budgets over a portfolio and projections over a period.

Modules: :mod:`~tuoyu_rules.whatif.pinning` (pin, choose), :mod:`~tuoyu_rules.whatif.comparison` (compare,
city_ids, usable_cities), :mod:`~tuoyu_rules.whatif.sweeps` (sweep, sweep_reforms),
:mod:`~tuoyu_rules.whatif.budgets` (budget) and its results :mod:`~tuoyu_rules.whatif.budget_results`,
:mod:`~tuoyu_rules.whatif.projection` (project) with :mod:`~tuoyu_rules.whatif.periods`,
:mod:`~tuoyu_rules.whatif.enrolment` and its results :mod:`~tuoyu_rules.whatif.projection_results`,
:mod:`~tuoyu_rules.whatif.rows` (assess_rows: one result per row of a portfolio, through the fact-keyed cache),
:mod:`~tuoyu_rules.whatif.charts` (what ``Budget.plot()`` and ``Projection.plot()`` draw; the extra ``charts``). The
portfolio readers (read_csv, read_jsonl, Row, RowError, RowProblem, CSV_COLUMNS) live in
:mod:`tuoyu_rules.io.readers` and are re-exported here.

What it may import: :mod:`tuoyu_rules.core`, :mod:`tuoyu_rules.batch` and :mod:`tuoyu_rules.io`.
"""

from __future__ import annotations

from ..io.readers import CSV_COLUMNS, Row, RowError, RowProblem, read_csv, read_jsonl
from .budget_results import Budget, OpenReason, ProgramTotal, ScenarioBudget
from .budgets import MAX_KEPT_ERRORS, budget, portfolio_budget
from .comparison import Comparison, city_ids, compare, usable_cities
from .pinning import STRATEGIES, PinChoice, Pinned, Strategy, choose, pin
from .projection import months, project
from .projection_results import Projection, ProjectionLine, YearPayerTotal
from .rows import AssessedRow, assess_rows
from .sweeps import sweep, sweep_reforms

__all__ = [
    "CSV_COLUMNS",
    "MAX_KEPT_ERRORS",
    "STRATEGIES",
    "AssessedRow",
    "Budget",
    "Comparison",
    "OpenReason",
    "PinChoice",
    "Pinned",
    "ProgramTotal",
    "Projection",
    "ProjectionLine",
    "Row",
    "RowError",
    "RowProblem",
    "ScenarioBudget",
    "Strategy",
    "YearPayerTotal",
    "assess_rows",
    "budget",
    "choose",
    "city_ids",
    "compare",
    "months",
    "pin",
    "portfolio_budget",
    "project",
    "read_csv",
    "read_jsonl",
    "sweep",
    "sweep_reforms",
    "usable_cities",
]
