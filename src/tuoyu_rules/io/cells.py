"""Tables: the plain :class:`Table` every export writes, and the cells of the columns several tables share (a
programme's amount, what was received and what is owed). :mod:`tuoyu_rules.io.export` re-exports every name.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from ..core.amounts import AmountRange

__all__ = [
    "OWED_COLUMNS",
    "PROGRAM_COLUMNS",
    "Cell",
    "OwedAmount",
    "ProgramAmount",
    "Table",
    "bounds",
    "owed_cells",
    "program_cells",
]

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Table:
    """A plain table: column names and rows of cells (``str``, ``int``, ``Decimal`` or ``None``)."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def bounds(amount: AmountRange) -> tuple[Decimal, Decimal | None]:
    """The ``low`` and ``high`` cells of an amount (``high`` is ``None`` when it has no upper bound)."""
    return amount.low, amount.high


OWED_COLUMNS: tuple[str, ...] = ("received", "owed_low", "owed_high")
"""What was paid and what is still owed (:func:`owed_cells`): ``received``, and the bounds of ``owed`` (``owed_high``
empty when it has no upper bound), beside an amount in every table of entries and sums."""


class OwedAmount(Protocol):
    """Anything that says what was received and what is owed: an entry, a payer's or a programme's total, a line."""

    @property
    def received(self) -> Decimal: ...
    @property
    def owed(self) -> AmountRange: ...


def owed_cells(item: OwedAmount) -> tuple[Cell, ...]:
    """The cells of :data:`OWED_COLUMNS`: received, owed low and owed high."""
    return (item.received, *bounds(item.owed))


PROGRAM_COLUMNS: tuple[str, ...] = ("program", "kind", "payer", "basis", "low", "high")
"""The columns of a programme's amount (:func:`program_cells`), in a total or a line of a what-if result."""


class ProgramAmount(Protocol):
    """A programme's amount of one payer and basis: a budget's programme total, a projection's line."""

    @property
    def program(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def payer(self) -> str: ...
    @property
    def basis(self) -> str: ...
    @property
    def amount(self) -> AmountRange: ...


def program_cells(item: ProgramAmount) -> tuple[Cell, ...]:
    """The cells of :data:`PROGRAM_COLUMNS`: programme, kind, payer, basis, low and high."""
    return (item.program, item.kind, item.payer, item.basis, *bounds(item.amount))
