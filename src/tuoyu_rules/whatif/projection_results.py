"""The results of a projection over a period (:func:`tuoyu_rules.whatif.project`): a :class:`Projection`
holds one :class:`ProjectionLine` per calendar year, payer and programme, and sums them by year and payer
(:class:`YearPayerTotal`). Each is frozen data; a :class:`Projection` also lays itself out as tables for the
exports (:meth:`Projection.export_tables`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..core.amounts import ZERO, AmountRange
from ..core.errors import NotFound
from ..core.messages import Explanation, Lang
from ..core.money import Money
from ..core.policy import Basis
from ..core.results import FrozenModel, OwedSum
from ..io.export import (
    NAMED_PROGRAM_COLUMNS,
    OWED_COLUMNS,
    Table,
    bounds,
    named_program_cells,
    owed_cells,
    payer_names,
)
from .charts import plot_projection  # matplotlib is imported when a chart is drawn, not here

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["Projection", "ProjectionLine", "YearPayerTotal"]


class ProjectionLine(OwedSum):
    """Money of one programme, paid by one payer, in one calendar year of the period."""

    year: int
    program: str
    kind: Literal["entitlement", "obligation"]
    payer: str
    basis: Basis
    amount: AmountRange
    """The eligible money of this year: exact sum, rounded once to the fen."""
    paid_units: str
    """What was counted, in the language asked (``project(..., lang=)``): ``1 payment paid``, ``12 months paid``,
    ``240 child-months paid``, ``181/365 years paid`` (``1次``, ``12个月``, ``240个儿童月``, ``181/365年``)."""
    paid: Explanation | None = None
    """``paid_units`` as data: its code (``whatif.projection.paid.per_month``, by the basis; ``....one`` when one
    unit was counted), its count as the parameter ``units`` (a whole number, or an exact fraction ``181/365``), and
    both texts."""
    undetermined: int = Field(ge=0)
    """Payments (one-time, years, months) whose amount is open: not in ``amount``."""
    open_reasons: tuple[str, ...] = ()
    """Why payments are open, in the language asked: a missing fact (``missing staff_children``), or the rule's
    first reason."""
    open_explanation: tuple[Explanation, ...] = ()
    """``open_reasons`` as data, parallel to it: code, params, ``zh`` and ``en``."""
    rounded: bool = False
    received: Money = ZERO
    """The facility's receipts for the programme in the basis periods of this line: the year's months (monthly),
    the calendar year (yearly), or every receipt up to the end of the period (one-time); never after the end."""
    owed: AmountRange
    """Each basis period's eligible money less its receipts, floored at 0, summed and rounded once: a one-time
    grant paid (at least its low bound) is owed 0, so a grant paid once is never owed across the period."""


class YearPayerTotal(OwedSum):
    """One payer's money in one year, over every programme (undetermined payments counted apart), with what was
    received and what is owed."""

    year: int
    payer: str
    amount: AmountRange
    undetermined: int = Field(ge=0)
    received: Money = ZERO
    owed: AmountRange


class Projection(FrozenModel):
    """Money over a period, by year, payer and programme."""

    start: dt.date
    end: dt.date
    prorate: bool
    rounding: str
    method: Literal["reassessed", "held"]
    """``reassessed``: the facility was assessed on each reference day; ``held``: one assessment's amounts."""
    one_time_on: dt.date
    jurisdiction: str
    reform: str | None
    lines: tuple[ProjectionLine, ...]
    notes: tuple[str, ...] = ()
    """How the period was counted, in the language asked (``project(..., lang=)``)."""
    explanation: tuple[Explanation, ...] = ()
    """The notes as data, parallel to ``notes``: code, params, ``zh`` and ``en``."""

    def totals(self) -> tuple[YearPayerTotal, ...]:
        """Sum of the lines by (year, payer)."""
        zero = AmountRange.zero()
        sums: dict[tuple[int, str], tuple[AmountRange, int, Decimal, AmountRange]] = {}
        for ln in self.lines:
            amount, n, received, owed = sums.get((ln.year, ln.payer), (zero, 0, ZERO, zero))
            sums[(ln.year, ln.payer)] = (
                amount + ln.amount,
                n + ln.undetermined,
                received + ln.received,
                owed + ln.owed,
            )
        return tuple(
            YearPayerTotal(year=y, payer=p, amount=a, undetermined=n, received=r, owed=o)
            for (y, p), (a, n, r, o) in sorted(sums.items())
        )

    def total(self, payer: str | None = None) -> AmountRange:
        """The whole period's money (of ``payer``, or of every payer)."""
        result = AmountRange.zero()
        for line in self.lines:
            if payer is None or line.payer == payer:
                result = result + line.amount
        return result

    def line(self, year: int, program: str) -> ProjectionLine:
        for ln in self.lines:
            if ln.year == year and ln.program == program:
                return ln
        raise NotFound(f"no line for {program!r} in {year}")

    def plot(self, *, lang: Lang = "en", font: str | None = None, ax: Axes | None = None) -> Figure:
        """The projection as a chart: a matplotlib Figure, drawn on ``ax`` when one is given. One group of bars per
        year, one bar per payer; a range is drawn from its low to its high bound, an unbounded high marked. Payers
        are named in ``lang`` (Chinese needs a CJK font: installed, or named by ``font``). Needs the extra
        ``charts`` (``pip install 'tuoyu_rules[charts]'``); see :mod:`tuoyu_rules.whatif.charts`."""
        return plot_projection(self, lang=lang, font=font, ax=ax)

    def export_tables(self) -> tuple[Table, ...]:
        """The tables :func:`tuoyu_rules.io.export.tables` writes: ``by_year_payer`` and ``lines``, each ending with
        :data:`~tuoyu_rules.io.export.OWED_COLUMNS` (what was received, what is owed), with the payer's and the
        programme's names beside their ids."""
        totals = Table(
            "by_year_payer",
            ("year", "payer", "payer_zh", "payer_en", "low", "high", "undetermined", *OWED_COLUMNS),
            tuple(
                (t.year, t.payer, *payer_names(t.payer), *bounds(t.amount), t.undetermined, *owed_cells(t))
                for t in self.totals()
            ),
        )
        lines = Table(
            "lines",
            ("year", *NAMED_PROGRAM_COLUMNS, "paid", "undetermined", "open_reasons", "rounded", *OWED_COLUMNS),
            tuple(
                (
                    ln.year,
                    *named_program_cells(ln),
                    ln.paid_units,
                    ln.undetermined,
                    "; ".join(ln.open_reasons),
                    "yes" if ln.rounded else "no",
                    *owed_cells(ln),
                )
                for ln in self.lines
            ),
        )
        return (totals, lines)
