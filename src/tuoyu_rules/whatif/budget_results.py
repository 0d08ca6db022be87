"""The results of a portfolio budget (:func:`tuoyu_rules.whatif.budget`): one :class:`ScenarioBudget` per
scenario, with its totals by payer and basis and by programme (:class:`ProgramTotal`, and why entries are
open: :class:`OpenReason`), gathered in a :class:`Budget` with the rows left out. Each is frozen data; a
:class:`Budget` also lays itself out as tables for the exports (:meth:`Budget.export_tables`).

Every form of a budget says how many facilities it summed and how many rows it left out, so a total never
hides what was dropped: the JSON dump (``scenarios[].facilities``, ``error_count`` and the ``errors`` kept),
the ``tuoyu budget`` table, and the ``summary`` table of the exports (CSV, DataFrame, Excel:
``facilities``, ``row_errors``, ``row_errors_listed``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from ..core.amounts import ZERO, AmountRange
from ..core.errors import NotFound
from ..core.messages import Lang
from ..core.money import Money
from ..core.policy import Basis
from ..core.results import FrozenModel, OwedSum, PayerTotal
from ..io.export import (
    NAMED_PROGRAM_COLUMNS,
    OWED_COLUMNS,
    Table,
    bounds,
    named_program_cells,
    owed_cells,
    payer_names,
)
from ..io.readers import RowProblem
from .charts import budget_html, plot_budget  # matplotlib is imported when a chart is drawn, not here

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["Budget", "OpenReason", "ProgramTotal", "ScenarioBudget"]


class OpenReason(FrozenModel):
    """Why some entries of a programme are undetermined: the fact that would decide them, and how many."""

    reason: str
    """A missing fact (``designations[chengdu.demonstration_site].amount``), or the rule's reason when none."""
    count: int = Field(ge=0)


class ProgramTotal(OwedSum):
    """One programme (or obligation) over the portfolio: the eligible sum and the status counts, with what was
    received and what is still owed."""

    program: str
    kind: Literal["entitlement", "obligation"]
    payer: str
    basis: Basis
    """The basis of ``amount``: ``per_month`` for a programme paid per child and month (a monthly sum)."""
    amount: AmountRange
    """The sum of the eligible entries' totals (undetermined entries are not in it: see ``undetermined``); for a
    per-child-month programme, rate times children summed over the facilities, never the rates added."""
    children: int | None = Field(default=None, ge=0)
    """For a programme paid per child and month: the children ``amount`` is paid for, summed over the eligible
    facilities (each rule's own count: enrolled, full-day enrolled, employees' children); None for others."""
    eligible: int = Field(ge=0)
    ineligible: int = Field(ge=0)
    undetermined: int = Field(ge=0)
    """Facilities whose total is open: undetermined entries, and eligible per-child entries whose count the
    caller did not supply."""
    open_reasons: tuple[OpenReason, ...] = ()
    received: Money = ZERO
    """What the facilities received toward the programme in its basis periods (their receipts), whatever the
    status of their entries."""
    owed: AmountRange
    """The eligible entries' ``owed`` summed: the part of ``amount`` not yet received (a one-time grant paid once
    is owed 0); undetermined entries are in neither."""


class ScenarioBudget(FrozenModel):
    """The budget of one scenario: the baseline (``reform=None``) or one reform."""

    name: str
    reform: str | None
    facilities: int = Field(ge=0)
    by_payer: tuple[PayerTotal, ...]
    by_program: tuple[ProgramTotal, ...]

    def payer_total(self, payer: str, basis: str) -> PayerTotal | None:
        for t in self.by_payer:
            if t.payer == payer and t.basis == basis:
                return t
        return None

    def program_total(self, program: str, payer: str | None = None) -> ProgramTotal | None:
        """The total of ``program`` (of ``payer``, for a programme whose payer is the province above)."""
        for t in self.by_program:
            if t.program == program and (payer is None or t.payer == payer):
                return t
        return None

    @property
    def undetermined(self) -> int:
        """Undetermined entries in this scenario, over every programme."""
        return sum(t.undetermined for t in self.by_program)


class Budget(FrozenModel):
    """A portfolio budget: one :class:`ScenarioBudget` per scenario (baseline first), and the rows left out."""

    on: dt.date
    rounding: str
    strategy: str | None
    """The pinning strategy applied to each facility, or None (ranges kept as ranges)."""
    scenarios: tuple[ScenarioBudget, ...]
    errors: tuple[RowProblem, ...] = ()
    """The first row errors (at most ``MAX_KEPT_ERRORS`` of :mod:`tuoyu_rules.whatif.budgets`)."""
    error_count: int = 0
    """Every row left out, kept in ``errors`` or not."""

    @property
    def facilities(self) -> int:
        """The facilities summed (every scenario sums the same facilities; 0 with no scenario)."""
        return self.scenarios[0].facilities if self.scenarios else 0

    @property
    def baseline(self) -> ScenarioBudget | None:
        for s in self.scenarios:
            if s.reform is None:
                return s
        return None

    def scenario(self, name: str) -> ScenarioBudget:
        for s in self.scenarios:
            if s.name == name:
                return s
        raise NotFound(f"no scenario {name!r}; present: {', '.join(s.name for s in self.scenarios)}")

    def plot(self, *, lang: Lang = "en", font: str | None = None, ax: Axes | None = None) -> Figure:
        """The budget (or sweep) as a chart: a matplotlib Figure, drawn on ``ax`` when one is given. One group of
        bars per payer and basis, one bar per scenario (the baseline beside each reform); a range is drawn from its
        low to its high bound, an unbounded high marked, never drawn as a number. Payers are named in ``lang``;
        Chinese needs a CJK font, found among the installed ones or named by ``font`` (a family name or a file).
        Needs the extra ``charts`` (``pip install 'tuoyu_rules[charts]'``); see :mod:`tuoyu_rules.whatif.charts`."""
        return plot_budget(self, lang=lang, font=font, ax=ax)

    def _repr_html_(self) -> str:
        """A notebook shows the budget as a compact table: payer lines by scenario (no matplotlib needed)."""
        return budget_html(self)

    def side_by_side(self) -> list[dict[str, Any]]:
        """Rows ``payer, basis`` with each scenario's total and open count beside the others (for tables)."""
        keys: dict[tuple[str, str], None] = {}
        for s in self.scenarios:
            for pt in s.by_payer:
                keys[(pt.payer, pt.basis)] = None
        rows: list[dict[str, Any]] = []
        for payer, basis in sorted(keys):
            row: dict[str, Any] = {"payer": payer, "basis": basis}
            for s in self.scenarios:
                t = s.payer_total(payer, basis)
                row[s.name] = (AmountRange.zero(), 0) if t is None else (t.amount, t.undetermined)
            rows.append(row)
        return rows

    def export_tables(self) -> tuple[Table, ...]:
        """The tables :func:`tuoyu_rules.io.export.tables` writes: ``by_payer``, ``by_program`` (with the
        ``children`` a per-child-month programme's monthly sum is paid for), ``row_errors`` and ``summary`` (one
        row: the facilities summed, the rows left out, and how many of them ``row_errors`` lists). ``by_payer`` and
        ``by_program`` end with :data:`~tuoyu_rules.io.export.OWED_COLUMNS`: what was received, what is owed; they
        give the payer's and the programme's names beside their ids (``payer_zh``, ``name_zh``, ...)."""
        by_payer = Table(
            "by_payer",
            (
                *("scenario", "reform", "payer", "payer_zh", "payer_en", "basis", "low", "high", "undetermined"),
                *OWED_COLUMNS,
            ),
            tuple(
                (
                    *(s.name, s.reform or "", t.payer, *payer_names(t.payer), t.basis, *bounds(t.amount)),
                    *(t.undetermined, *owed_cells(t)),
                )
                for s in self.scenarios
                for t in s.by_payer
            ),
        )
        by_program = Table(
            "by_program",
            (
                "scenario",
                "reform",
                *NAMED_PROGRAM_COLUMNS,
                "children",
                "eligible",
                "ineligible",
                "undetermined",
                "open_reasons",
                *OWED_COLUMNS,
            ),
            tuple(
                (
                    s.name,
                    s.reform or "",
                    *named_program_cells(t),
                    t.children,
                    t.eligible,
                    t.ineligible,
                    t.undetermined,
                    "; ".join(f"{r.reason} ({r.count})" for r in t.open_reasons),
                    *owed_cells(t),
                )
                for s in self.scenarios
                for t in s.by_program
            ),
        )
        errors = Table(
            "row_errors",
            ("row", "facility_id", "field", "message"),
            tuple((e.row, e.facility_id, e.field, e.message) for e in self.errors),
        )
        summary = Table(
            "summary",
            ("facilities", "row_errors", "row_errors_listed"),
            ((self.facilities, self.error_count, len(self.errors)),),
        )
        return (by_payer, by_program, errors, summary)
