"""The results of a projection over a period (:func:`tuoyu_rules.whatif.project`): a :class:`Projection`
holds one :class:`ProjectionLine` per calendar year, payer and programme, and sums them by year and payer
(:class:`YearPayerTotal`). Each is frozen data; a :class:`Projection` also lays itself out as tables for the
exports (:meth:`Projection.export_tables`).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from ..core.amounts import AmountRange
from ..core.policy import Basis
from ..core.results import FrozenModel
from ..io.export import PROGRAM_COLUMNS, Table, bounds, program_cells

__all__ = ["Projection", "ProjectionLine", "YearPayerTotal"]


class ProjectionLine(FrozenModel):
    """Money of one programme, paid by one payer, in one calendar year of the period."""

    year: int
    program: str
    kind: Literal["entitlement", "obligation"]
    payer: str
    basis: Basis
    amount: AmountRange
    """The eligible money of this year: exact sum, rounded once to the fen."""
    paid_units: str
    """What was counted: ``1 payment``, ``12 months``, ``240 child-months``, ``181/365 of a year`` ..."""
    undetermined: int = Field(ge=0)
    """Payments (one-time, years, months) whose amount is open: not in ``amount``."""
    open_reasons: tuple[str, ...] = ()
    rounded: bool = False


class YearPayerTotal(FrozenModel):
    """One payer's money in one year, over every programme (undetermined payments counted apart)."""

    year: int
    payer: str
    amount: AmountRange
    undetermined: int = Field(ge=0)


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

    def totals(self) -> tuple[YearPayerTotal, ...]:
        """Sum of the lines by (year, payer)."""
        sums: dict[tuple[int, str], tuple[AmountRange, int]] = {}
        for line in self.lines:
            amount, n = sums.get((line.year, line.payer), (AmountRange.zero(), 0))
            sums[(line.year, line.payer)] = (amount + line.amount, n + line.undetermined)
        return tuple(
            YearPayerTotal(year=y, payer=p, amount=a, undetermined=n) for (y, p), (a, n) in sorted(sums.items())
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
        raise KeyError(f"no line for {program!r} in {year}")

    def export_tables(self) -> tuple[Table, ...]:
        """The tables :func:`tuoyu_rules.io.export.tables` writes: ``by_year_payer`` and ``lines``."""
        totals = Table(
            "by_year_payer",
            ("year", "payer", "low", "high", "undetermined"),
            tuple((t.year, t.payer, *bounds(t.amount), t.undetermined) for t in self.totals()),
        )
        lines = Table(
            "lines",
            ("year", *PROGRAM_COLUMNS, "paid", "undetermined", "open_reasons", "rounded"),
            tuple(
                (
                    ln.year,
                    *program_cells(ln),
                    ln.paid_units,
                    ln.undetermined,
                    "; ".join(ln.open_reasons),
                    "yes" if ln.rounded else "no",
                )
                for ln in self.lines
            ),
        )
        return (totals, lines)
