"""Results in integer fen and their exact sums: :class:`FenEntry`, :class:`FenTotal`, :func:`totals_fen`.

A ``"fen"`` result is a tuple of :class:`FenEntry`: each entitlement and obligation's payer, basis, status and
bounds in integer fen (1 yuan = 100 fen), exact. :func:`totals_fen` and :func:`merge_totals` sum them by payer
and basis, exactly, in any order (a partition's totals merge with another's: Dask's ``map_partitions`` and
``reduction``). A :class:`RowError` stands in a stream for a row that could not be assessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ..core.money import in_money_context


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
    """``None``: no upper bound."""


@dataclass(frozen=True, slots=True)
class FenTotal:
    """Eligible amounts of one payer and basis summed in fen; undetermined entries counted apart, never as 0."""

    low: int
    high: int | None
    eligible: int
    undetermined: int


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be assessed (``on_error="yield"``): its index and the problem."""

    index: int
    error: str


Totals = dict[tuple[str, str], FenTotal]


@in_money_context
def _fen(value: Decimal) -> int:
    fen = value.scaleb(2)
    if fen != fen.to_integral_value():  # pragma: no cover - amounts are always whole fen
        raise ValueError(f"{value} is not a whole number of fen")
    return int(fen)


def totals_fen(results: Iterable[tuple[FenEntry, ...] | RowError]) -> Totals:
    """Sum ``"fen"`` results by (payer, basis), exactly: eligible bounds summed, undetermined counted apart.

    The same rule as :meth:`Assessment.totals <tuoyu_rules.Assessment.totals>`, over many rows; a
    :class:`RowError` is skipped (count them yourself if you yield them).
    """
    low: dict[tuple[str, str], int] = {}
    high: dict[tuple[str, str], int | None] = {}
    eligible: dict[tuple[str, str], int] = {}
    undetermined: dict[tuple[str, str], int] = {}
    for entries in results:
        if isinstance(entries, RowError):
            continue
        for e in entries:
            key = (e.payer, e.basis)
            if key not in low:
                low[key] = 0
                high[key] = 0
                eligible[key] = 0
                undetermined[key] = 0
            if e.status == "eligible":
                low[key] += e.low
                h = high[key]
                high[key] = None if h is None or e.high is None else h + e.high
                eligible[key] += 1
            elif e.status == "undetermined":
                undetermined[key] += 1
    return {k: FenTotal(low[k], high[k], eligible[k], undetermined[k]) for k in sorted(low)}


def _scaled(totals: Totals, n: int) -> Totals:
    return {
        k: FenTotal(t.low * n, None if t.high is None else t.high * n, t.eligible * n, t.undetermined * n)
        for k, t in totals.items()
    }


def merge_totals(a: Totals, b: Totals) -> Totals:
    """Combine the totals of two partitions (associative and commutative, exact)."""
    out = dict(a)
    for key, t in b.items():
        s = out.get(key)
        if s is None:
            out[key] = t
            continue
        high = None if s.high is None or t.high is None else s.high + t.high
        out[key] = FenTotal(s.low + t.low, high, s.eligible + t.eligible, s.undetermined + t.undetermined)
    return dict(sorted(out.items()))


def _counted_totals(counts: Iterable[tuple[tuple[FenEntry, ...], int]]) -> Totals:
    """The :func:`totals_fen` of rows given as (a result, its row count): each distinct result's sums times its
    count (exact integers)."""
    by_entries: dict[tuple[FenEntry, ...], int] = {}
    for entries, n in counts:
        by_entries[entries] = by_entries.get(entries, 0) + n
    out: Totals = {}
    for entries, n in by_entries.items():
        out = merge_totals(out, _scaled(totals_fen([entries]), n))
    return out
