"""The calendar of a projection period: its months, the days it is cut at, and the share of a piece paid.

* :func:`months`: the calendar-month pieces of a period (the first and last month may be partial);
* :func:`cut_days`: the days a programme or a dated parameter value of the layers (or a reform) begins or
  ends, where a prorated projection cuts the period; :func:`split_at` cuts one piece at them;
* :func:`share_in_force`: the days of a piece an entry's programme is in force, over the days of its month
  or year; :func:`held_entries`: an assessment's entries on a day, those whose programme is not in force
  that day made ineligible (a projection that holds one assessment's amounts);
* :func:`program_spans`, :func:`any_in_force` and :func:`months_in_force`: the days the layers' money-bearing
  programmes are in force. A piece of the period in which none is in force pays nothing (every entry is
  ineligible, by the engine's first rule), so a projection skips it without assessing; the months in which one
  is in force are what a projection must assess one by one, and there are at most :data:`MAX_PROJECTION_MONTHS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction
from typing import Final

from dateutil.relativedelta import relativedelta

from ..core.amounts import AmountRange
from ..core.policy import Policy
from ..core.reforms import Reform
from ..core.registry import chain, get_policy
from ..core.results import Assessment, _Entry

__all__ = [
    "MAX_PROJECTION_MONTHS",
    "any_in_force",
    "cut_days",
    "days_in_month",
    "held_entries",
    "layers_of",
    "months",
    "months_in_force",
    "program_spans",
    "share_in_force",
    "split_at",
]

MAX_PROJECTION_MONTHS: Final = 1200
"""The most months, in which some programme of the layers is in force, one projection covers: 100 years.

The data speak of 2019 to 2030; a programme with no stated end is read as in force for good, so a period
runs as far as the caller asks, but a month-by-month answer a century out says nothing the data can say (and
0001 to 9999 took a minute of CPU). Months in which no programme is in force are free (nothing is paid: they
are skipped, not assessed) and do not count."""

Span = tuple[dt.date | None, dt.date | None]
"""A programme's first and last day in force (None: the sources state none, so unbounded that way)."""


def months(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The calendar-month pieces of ``[start, end]``: ``(first day, last day)`` of each, inside the period."""
    result: list[tuple[dt.date, dt.date]] = []
    month = start.replace(day=1)
    while month <= end:
        nxt = month + relativedelta(months=1)
        result.append((max(month, start), min(nxt - dt.timedelta(days=1), end)))
        month = nxt
    return result


def days_in_month(day: dt.date) -> int:
    """The number of days of the month of ``day``."""
    first = day.replace(day=1)
    return ((first + relativedelta(months=1)) - first).days


def layers_of(target: str, held: Assessment | None) -> tuple[Policy, ...]:
    """The layers a projection applies: ``target``'s chain, or those of the assessment it holds."""
    return chain(target) if held is None else tuple(get_policy(j) for j in held.layers)


def program_spans(layers: Iterable[Policy]) -> tuple[Span, ...]:
    """The dates in force of every programme of ``layers`` that bears money (an entitlement or an obligation)."""
    return tuple(
        (p.start, p.end) for layer in layers for p in layer.programs if p.kind in ("entitlement", "obligation")
    )


def any_in_force(spans: Iterable[Span], first: dt.date, last: dt.date) -> bool:
    """Whether a programme of ``spans`` is in force on some day of ``[first, last]``."""
    return any((s is None or s <= last) and (e is None or e >= first) for s, e in spans)


def months_in_force(spans: Iterable[Span], start: dt.date, end: dt.date) -> int:
    """The calendar months of ``[start, end]`` with a day on which a programme of ``spans`` is in force.

    Counted from the spans alone (no month is built), so a period of any length costs as much as its spans.
    """
    index = [
        (_month_index(start if s is None else max(s, start)), _month_index(end if e is None else min(e, end)))
        for s, e in spans
        if (s is None or s <= end) and (e is None or e >= start)
    ]
    count, reached = 0, -1
    for lo, hi in sorted(index):
        lo = max(lo, reached + 1)
        if hi >= lo:
            count += hi - lo + 1
            reached = hi
    return count


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def cut_days(target: str, reform: Reform | None, held: Assessment | None) -> set[dt.date]:
    """Days on which a programme or a dated parameter value of the layers (or the reform) begins or ends."""
    cuts: set[dt.date] = set()
    for layer in layers_of(target, held):
        for program in layer.programs:
            _cut_around(cuts, program.start, program.end)
            _cut_around(cuts, program.reported_since, None)  # undetermined before it (an undated programme)
        if held is None:
            for param in layer.parameters.values():
                for v in param.values:
                    _cut_around(cuts, v.start, v.end)
    if reform is not None:
        for values in reform.overrides.values():
            for v in values:
                _cut_around(cuts, v.start, v.end)
    return cuts


def _cut_around(cuts: set[dt.date], start: dt.date | None, end: dt.date | None) -> None:
    """Add the first day of a span (``start``) and the day after its last (``end``), where they are set."""
    if start is not None:
        cuts.add(start)
    if end is not None:
        cuts.add(end + dt.timedelta(days=1))


def split_at(first: dt.date, last: dt.date, cuts: set[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """``[first, last]`` cut before each day of ``cuts`` inside it: ``(first day, last day)`` of each piece."""
    inner = sorted(c for c in cuts if first < c <= last)
    bounds = [first, *inner]
    return [(b, (bounds[i + 1] - dt.timedelta(days=1)) if i + 1 < len(bounds) else last) for i, b in enumerate(bounds)]


def _program_dates(e: _Entry) -> tuple[dt.date | None, dt.date | None]:
    program = get_policy(e.jurisdiction).program(e.program)
    return program.start, program.end


def share_in_force(e: _Entry, first: dt.date, last: dt.date, denominator: int) -> Fraction:
    """Days of ``[first, last]`` the entry's programme is in force, over ``denominator`` days."""
    p_start, p_end = _program_dates(e)
    lo = first if p_start is None else max(first, p_start)
    hi = last if p_end is None else min(last, p_end)
    days = (hi - lo).days + 1
    return Fraction(max(days, 0), denominator)


def held_entries(a: Assessment, day: dt.date) -> tuple[_Entry, ...]:
    """The assessment's entries, with those whose programme is not in force on ``day`` made ineligible."""
    result: list[_Entry] = []
    for e in (*a.entitlements, *a.obligations):
        p_start, p_end = _program_dates(e)
        if (p_start is not None and day < p_start) or (p_end is not None and day > p_end):
            zero = AmountRange.zero()
            result.append(e.model_copy(update={"status": "ineligible", "amount": zero, "total": zero, "owed": zero}))
        else:
            result.append(e)
    return tuple(result)
