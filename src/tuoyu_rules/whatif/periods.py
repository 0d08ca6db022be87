"""The calendar of a projection period: its months, the days it is cut at, and the share of a piece paid.

* :func:`months`: the calendar-month pieces of a period (the first and last month may be partial);
* :func:`cut_days`: the days a programme or a dated parameter value of the layers (or a reform) begins or
  ends, where a prorated projection cuts the period; :func:`split_at` cuts one piece at them;
* :func:`share_in_force`: the days of a piece an entry's programme is in force, over the days of its month
  or year; :func:`held_entries`: an assessment's entries on a day, those whose programme is not in force
  that day made ineligible (a projection that holds one assessment's amounts).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from dateutil.relativedelta import relativedelta

from ..core.amounts import AmountRange
from ..core.reforms import Reform
from ..core.registry import chain, get_policy
from ..core.results import Assessment, _Entry

__all__ = ["cut_days", "days_in_month", "held_entries", "months", "share_in_force", "split_at"]


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


def cut_days(target: str, reform: Reform | None, held: Assessment | None) -> set[dt.date]:
    """Days on which a programme or a dated parameter value of the layers (or the reform) begins or ends."""
    cuts: set[dt.date] = set()
    layers = chain(target) if held is None else tuple(get_policy(j) for j in held.layers)
    for layer in layers:
        for program in layer.programs:
            _cut_around(cuts, program.start, program.end)
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
            result.append(e.model_copy(update={"status": "ineligible", "amount": AmountRange.zero()}))
        else:
            result.append(e)
    return tuple(result)
