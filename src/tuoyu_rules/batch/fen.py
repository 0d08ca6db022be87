"""Results in integer fen and their exact sums: :class:`FenEntry`, :class:`FenTotal`, :func:`totals_fen`.

A ``"fen"`` result is a tuple of :class:`FenEntry`: each entitlement and obligation's payer, basis, status,
bounds, children and total in integer fen (1 yuan = 100 fen), exact. :func:`totals_fen` and :func:`merge_totals`
sum their totals (never rates: a per-child-month entry is a monthly sum, under ``per_month``) by payer and
basis, exactly, in any order (a partition's totals merge with another's: Dask's ``map_partitions`` and
``reduction``). A :class:`RowError` stands in a stream for a row that could not be assessed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from ..core.errors import WrongType
from ..core.money import in_money_context
from ..core.results import total_basis, total_status

if TYPE_CHECKING:
    from ..core.results import _Entry


@dataclass(frozen=True, slots=True)
class FenEntry:
    """One entitlement or obligation of a row, in integer fen (1 yuan = 100 fen), exact."""

    program: str
    kind: Literal["entitlement", "obligation"]
    payer: str
    basis: str
    status: str
    low: int
    high: int | None
    """``None``: no upper bound. ``low`` and ``high`` are the amount per ``basis`` (a rate, for per-child-month)."""
    children: int | None
    """The count a per-child-month amount is paid for (the entry's ``children``); None otherwise."""
    total_low: int
    total_high: int | None
    """The entry's ``total`` in fen: rate times children for per-child-month (a monthly sum), else the amount."""

    @classmethod
    def of(cls, kind: Literal["entitlement", "obligation"], entry: _Entry) -> FenEntry:
        """An entitlement or obligation of an assessment in integer fen."""
        amount, total = entry.amount, entry.total
        return cls(
            entry.program,
            kind,
            entry.payer,
            entry.basis,
            entry.status,
            _fen(amount.low),
            None if amount.high is None else _fen(amount.high),
            entry.children,
            _fen(total.low),
            None if total.high is None else _fen(total.high),
        )


@dataclass(frozen=True, slots=True)
class FenTotal:
    """Eligible totals of one payer and basis summed in fen; undetermined entries counted apart, never as 0."""

    low: int
    high: int | None
    eligible: int
    undetermined: int
    children: int = 0
    """The children the per-child-month totals in this sum are paid for (0 when none is per child)."""


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be assessed (``on_error="yield"``): its index, the problem, and the row's own key
    (``Facility.id``, the ``id`` of its data) when it has a valid one."""

    index: int
    error: str
    facility_id: str | None = None


Totals = dict[tuple[str, str], FenTotal]


@in_money_context
def _fen(value: Decimal) -> int:
    fen = value.scaleb(2)
    if fen != fen.to_integral_value():  # pragma: no cover - amounts are always whole fen
        raise ValueError(f"{value} is not a whole number of fen")
    return int(fen)


def totals_fen(results: Iterable[tuple[FenEntry, ...] | RowError]) -> Totals:
    """Sum ``"fen"`` results by (payer, basis), exactly: eligible totals summed, undetermined counted apart.

    The same rule as :meth:`Assessment.totals <tuoyu_rules.Assessment.totals>`, over many rows: totals, never
    rates (a per-child-month entry adds rate times children under ``per_month``, and one with no count is
    undetermined); a :class:`RowError` is skipped (count them yourself if you yield them).
    """
    low: dict[tuple[str, str], int] = {}
    high: dict[tuple[str, str], int | None] = {}
    eligible: dict[tuple[str, str], int] = {}
    undetermined: dict[tuple[str, str], int] = {}
    children: dict[tuple[str, str], int] = {}
    for entries in results:
        if isinstance(entries, RowError):
            continue
        for e in entries:
            key = (e.payer, total_basis(e.basis))
            if key not in low:
                low[key] = 0
                high[key] = 0
                eligible[key] = 0
                undetermined[key] = 0
                children[key] = 0
            status = total_status(e.status, e.basis, e.children)
            if status == "eligible":
                low[key] += e.total_low
                h = high[key]
                high[key] = None if h is None or e.total_high is None else h + e.total_high
                eligible[key] += 1
                children[key] += e.children or 0
            elif status == "undetermined":
                undetermined[key] += 1
    return {k: FenTotal(low[k], high[k], eligible[k], undetermined[k], children[k]) for k in sorted(low)}


def _scaled(totals: Totals, n: int) -> Totals:
    return {
        k: FenTotal(
            t.low * n, None if t.high is None else t.high * n, t.eligible * n, t.undetermined * n, t.children * n
        )
        for k, t in totals.items()
    }


def merge_totals(a: Totals, b: Totals) -> Totals:
    """Combine the totals of two partitions (associative and commutative, exact)."""
    for name, totals in (("a", a), ("b", b)):
        if not isinstance(totals, Mapping) or not all(isinstance(t, FenTotal) for t in totals.values()):
            problem = "totals (a mapping of (payer, basis) to FenTotal), not {type}"
            raise WrongType.coded(name, "error.batch.totals", problem, type=type(totals).__name__)
    out = dict(a)
    for key, t in b.items():
        s = out.get(key)
        if s is None:
            out[key] = t
            continue
        high = None if s.high is None or t.high is None else s.high + t.high
        out[key] = FenTotal(
            s.low + t.low, high, s.eligible + t.eligible, s.undetermined + t.undetermined, s.children + t.children
        )
    return dict(sorted(out.items()))


def _counted_totals(
    counts: Iterable[tuple[tuple[FenEntry, ...], int]],
    per_child: Iterable[tuple[tuple[FenEntry, ...], int, dict[int, int]]] = (),
) -> Totals:
    """The :func:`totals_fen` of rows given as (a result, its row count): each distinct result's sums times its
    count (exact integers).

    ``per_child``: results some of whose entries hold for every number of children (a count handed through,
    :mod:`~tuoyu_rules.batch.trace`), as (the result, its row count, {entry index: the sum of the rows' numbers}).
    Such an entry's total in a row is its rate times the row's number (exact), so over the rows it is the rate
    times their sum, and so are its children; the entries are counted once per row.
    """
    by_entries: dict[tuple[FenEntry, ...], int] = {}
    for entries, n in counts:
        by_entries[entries] = by_entries.get(entries, 0) + n
    out: Totals = {}
    for entries, n, sums in per_child:
        for index, entry in enumerate(entries):
            count = sums.get(index)
            if count is None:
                by_entries[(entry,)] = by_entries.get((entry,), 0) + n
                continue
            high = None if entry.high is None else entry.high * count
            summed = dataclasses.replace(entry, children=count, total_low=entry.low * count, total_high=high)
            once = totals_fen([(summed,)])  # its sums over the rows; the entry itself counted once per row:
            out = merge_totals(
                out,
                {
                    k: dataclasses.replace(t, eligible=t.eligible * n, undetermined=t.undetermined * n)
                    for k, t in once.items()
                },
            )
    for entries, n in by_entries.items():
        out = merge_totals(out, _scaled(totals_fen([entries]), n))
    return out
