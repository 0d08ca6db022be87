"""What-if analysis: pinning the ranges the sources leave to the granting body, comparing cities, sweeping a
parameter, budgets over a portfolio and projections over a period.

What it may import: :mod:`tuoyu_rules.core`, :mod:`tuoyu_rules.batch` and :mod:`tuoyu_rules.io`.
"""

from __future__ import annotations

from .budgets import (
    CSV_COLUMNS,
    MAX_KEPT_ERRORS,
    Budget,
    OpenReason,
    ProgramTotal,
    Row,
    RowError,
    RowProblem,
    ScenarioBudget,
    budget,
    portfolio_budget,
    read_csv,
    read_jsonl,
)
from .pinning import (
    STRATEGIES,
    Comparison,
    PinChoice,
    Pinned,
    Strategy,
    choose,
    city_ids,
    compare,
    pin,
    sweep,
    sweep_reforms,
)
from .projection import Projection, ProjectionLine, YearPayerTotal, months, project

__all__ = [
    "CSV_COLUMNS",
    "MAX_KEPT_ERRORS",
    "STRATEGIES",
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
]
