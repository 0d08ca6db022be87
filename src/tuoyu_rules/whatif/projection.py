"""Projection over a period: turn one-time, yearly and monthly amounts into money by year and payer.

:func:`project` takes a facility (or an assessment) and a period ``[start, end]`` (both days included) and
returns, for each calendar year, payer and programme, the money as an exact range. The rules:

* **one-time** amounts fall in one year: the year of the day they are assessed on, ``one_time_on``,
  which is ``start`` unless told otherwise (it must lie inside the period). They are never repeated.
* **per year** amounts are paid once for each calendar year of the period, by the rules in force on the
  year's *reference day* (its first day inside the period). A year the period covers only in part counts
  in full unless ``prorate=True``.
* **per month** amounts are paid for each calendar month of the period, by the rules in force on the
  month's reference day (its first day inside the period); a **per child-month** amount is paid as the
  entry's ``total``: its rate times the entry's own ``children``, the count its rule reads (Hangzhou's 普惠
  subsidy: the enrolled children; Sichuan's: the full-day enrolled; Siming's allowance: the employees'
  children). An entry whose count the caller did not supply is open that month (counted as undetermined,
  with the missing count), never paid for a guessed number. ``enrolment`` (a constant, or a mapping of
  every month of the period, ``"YYYY-MM"`` or the month's first day as a ``date``, to children) is the
  facility's ``enrolled`` each month: the facility is re-assessed with it, so a programme that counts the
  enrolled children follows it, and a programme that counts other children keeps the facility's own count
  (a month whose enrolment is below that count is an error naming the month: see
  :mod:`tuoyu_rules.whatif.enrolment`). ``enrolment_by_program`` (programme id -> a constant or a mapping by
  month) gives a programme's count each month in place of its entries' ``children``. A month the period
  covers only in part counts in full unless ``prorate=True``.
* ``prorate=True`` pays a partial month or year by days: ``amount × days paid / days in that month (or
  year)``. With proration the period is also cut wherever a programme or a dated parameter value of the
  jurisdiction's layers (or the reform) starts or ends, and each piece is assessed on its own first day;
  so a programme that starts mid-month (Sichuan's 普惠 subsidy, 2025-08-30) pays for its days.
  Without proration a programme pays for a month only if it is in force on that month's reference day.

Which rules apply, and how much that costs:

* given a **facility**, it is re-assessed on each reference day (one assessment per month of the period,
  plus one per cut with proration): value changes inside the period (Hangzhou's 2026 successor measure,
  a reform with dates) are applied where they take effect. ``pins``, ``reform``, ``rounding`` and
  ``jurisdiction`` are passed to each assessment.
* given an **assessment**, its amounts (pins included) and counts are held for the whole period and only
  each programme's own start and end dates decide the days it is paid (no re-assessment, so no
  ``enrolment``: pass the facility to project another enrolment). This is cheaper, and
  right when the rules do not change inside the period; the projection says which was done.
* a month or year in which no money-bearing programme of the layers is in force pays nothing, and is
  skipped without an assessment; the months in which one is in force are at most
  :data:`~tuoyu_rules.whatif.periods.MAX_PROJECTION_MONTHS` (1,200: 100 years), else ``InvalidInput``
  naming ``end`` (a century out is more than the data can say; 0001 to 9999 took a minute of CPU).

What has been paid: each line says what the facility received toward its programme (``received``, from
``Facility.received``) in the basis periods it covers (the line's months, its calendar year, or, for a one-time
grant, every receipt up to ``end``) and what is still ``owed``: each period's money less its receipts, floored at
0. A one-time grant falls in one year and, once paid, is owed 0: never owed twice across the period.

The calendar arithmetic (months, cuts, the share of a piece paid) is in :mod:`tuoyu_rules.whatif.periods`,
the children counted each month in :mod:`tuoyu_rules.whatif.enrolment`, the result types in
:mod:`tuoyu_rules.whatif.projection_results`.

Exactness: each cell (year, payer, programme) is summed exactly as a fraction and rounded **once** to the
fen with the rounding mode (``rounded=True`` marks the cells rounding changed). Undetermined entries are
never counted as 0: each cell counts the months (or one-time payments) whose amount is open, and lists
why. A bound with no upper limit keeps the cell open above.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Literal

from ..batch.stream import Progress, with_progress
from ..core.amounts import ZERO, AmountRange
from ..core.engine import assess
from ..core.errors import InvalidInput
from ..core.messages import DEFAULT_LANG, Catalog, Explanation, Lang, check_lang, msg, package_catalog, pick
from ..core.models import Facility
from ..core.money import CENT, DEFAULT_ROUNDING, check_rounding, in_money_context
from ..core.policy import Basis
from ..core.receipts import Receipt, less_received, paid_toward
from ..core.reforms import Reform
from ..core.results import Assessment, _Entry
from .enrolment import Enrolment, children_by_month, enrolled_facility
from .periods import (
    MAX_PROJECTION_MONTHS,
    any_in_force,
    cut_days,
    days_in_month,
    held_entries,
    layers_of,
    months,
    months_in_force,
    program_spans,
    share_in_force,
    split_at,
)
from .projection_results import Projection, ProjectionLine, YearPayerTotal

__all__ = ["Projection", "ProjectionLine", "YearPayerTotal", "months", "project"]


@dataclass
class _Exact:
    """An exact sum of ranges (fractions: rounded once, at the end)."""

    low: Fraction = Fraction(0)
    high: Fraction | None = Fraction(0)

    def add(self, low: Fraction, high: Fraction | None) -> None:
        self.low += low
        self.high = None if self.high is None or high is None else self.high + high


Period = tuple[dt.date | None, dt.date]
"""A basis period of a cell: the first (None for a one-time grant: ever) and last day of the receipts that count."""


@dataclass
class _Cell(_Exact):
    kind: Literal["entitlement", "obligation"] = "entitlement"
    basis: Basis = "one_time"
    units: Fraction = Fraction(0)
    undetermined: int = 0
    reasons: dict[tuple[str, str], Explanation] = field(default_factory=dict)
    """Why payments are open, by code and English text: each missing fact, or the entry's first reason."""
    periods: dict[Period, _Exact] = field(default_factory=dict)
    """The eligible money of each basis period the cell covers, before receipts (see :func:`_owed`)."""

    def add_share(self, amount: AmountRange, factor: Fraction, units: Fraction, period: Period) -> None:
        low = Fraction(amount.low) * factor
        high = None if amount.high is None else Fraction(amount.high) * factor
        self.add(low, high)
        self.periods[period].add(low, high)
        self.units += units


_LAST_DAY = dt.date(9999, 11, 30)  # the month after it would fall outside datetime's range


@in_money_context
def project(
    subject: Facility | Assessment,
    *,
    start: dt.date,
    end: dt.date,
    enrolment: Enrolment | None = None,
    enrolment_by_program: Mapping[str, Enrolment] | None = None,
    prorate: bool = False,
    one_time_on: dt.date | None = None,
    jurisdiction: str | None = None,
    rounding: str | None = None,
    pins: Mapping[str, int | str | Decimal] | None = None,
    reform: Reform | None = None,
    lang: Lang = DEFAULT_LANG,
    progress: Progress | None = None,
) -> Projection:
    """Project a facility's (or an assessment's) money over ``[start, end]``; see the module docs.

    ``lang`` (``"zh"`` or ``"en"``) is the language of the notes and of the open reasons taken from the
    assessments (an assessment given is projected with its reasons as they are). ``progress``: a function called
    with the number of months of the period done, after each month (it is told counts only, and changes nothing).

    >>> import datetime as dt
    >>> f = Facility(jurisdiction="xiamen", mode="joint_run", places=30, enrolled=20)
    >>> p = project(f, start=dt.date(2024, 1, 1), end=dt.date(2025, 12, 31))
    >>> [(t.year, t.payer, t.amount.format()) for t in p.totals() if t.amount.high]
    [(2024, 'xiamen.union', '15,000.00 – 25,000.00'), (2025, 'xiamen.union', '15,000.00 – 25,000.00')]
    """
    for name, day in (("start", start), ("end", end)):
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise InvalidInput.coded(
                name, "error.projection.day", "expected a datetime.date, got {value}", value=repr(day)
            )
    if end < start:
        raise InvalidInput.coded(
            "end", "error.projection.end_before_start", "{end} is before start {start}", end=end, start=start
        )
    if end > _LAST_DAY:
        problem = "{end} is after {last}, the last day a month-by-month projection can reach"
        raise InvalidInput.coded("end", "error.projection.end_too_late", problem, end=end, last=_LAST_DAY)
    if not isinstance(prorate, bool):
        raise InvalidInput.coded("prorate", "error.projection.prorate", "True or False")
    lang = check_lang(lang)
    paid_on = start if one_time_on is None else one_time_on
    if not isinstance(paid_on, dt.date) or isinstance(paid_on, dt.datetime) or not start <= paid_on <= end:
        problem = "{value} must be a date inside the period {start} to {end}"
        raise InvalidInput.coded(
            "one_time_on", "error.projection.one_time_on", problem, value=repr(paid_on), start=start, end=end
        )

    held: Assessment | None = None
    if isinstance(subject, Assessment):
        held = subject
        if pins is not None or reform is not None or jurisdiction is not None or enrolment is not None:
            problem = "an assessment is projected as it is: pass a Facility to use {options} or {last}"
            raise InvalidInput.coded(
                "subject", "error.projection.held", problem, options="pins, reform, jurisdiction", last="enrolment"
            )
        facility = subject.facility
        target = subject.jurisdiction
        mode = check_rounding(subject.rounding if rounding is None else rounding)
    elif isinstance(subject, Facility):
        facility = subject
        target = facility.jurisdiction if jurisdiction is None else jurisdiction
        mode = check_rounding(DEFAULT_ROUNDING if rounding is None else rounding)
    else:
        problem = "expected a Facility or an Assessment, got {type}"
        raise InvalidInput.coded("subject", "error.projection.subject", problem, type=type(subject).__name__)

    spans = program_spans(layers_of(target, held))
    counted = months_in_force(spans, start, end)
    if counted > MAX_PROJECTION_MONTHS:
        problem = (
            "the period {start} to {end} has {months} months in which a programme of {target} is in force; "
            "a projection covers at most {most} ({years} years): shorten the period"
        )
        most, years = f"{MAX_PROJECTION_MONTHS:,}", MAX_PROJECTION_MONTHS // 12
        limits = {"months": f"{counted:,}", "target": repr(target), "most": most, "years": years}
        raise InvalidInput.coded("end", "error.projection.too_long", problem, start=start, end=end, **limits)
    pieces = months(start, end)
    children = children_by_month(enrolment, facility, pieces)
    if enrolment_by_program is not None and not isinstance(enrolment_by_program, Mapping):
        problem = "a mapping of programme id to children (a constant or by month)"
        raise InvalidInput.coded("enrolment_by_program", "error.projection.enrolment_by_program", problem)
    children_of = {
        pid: children_by_month(value, facility, pieces, f"enrolment_by_program[{pid}]")
        for pid, value in (enrolment_by_program or {}).items()
    }
    cuts = cut_days(target, reform, held) if prorate else set()

    cache: dict[tuple[dt.date, int], Assessment] = {}

    def entries_on(day: dt.date) -> tuple[_Entry, ...]:
        if held is not None:
            return held_entries(held, day)
        n = children[day.replace(day=1)]  # the month's enrolment: the facility's enrolled that month
        a = cache.get((day, n))
        if a is None:
            month = enrolled_facility(facility, n, f"enrolment[{day:%Y-%m}]")
            a = cache[(day, n)] = assess(
                month, jurisdiction=target, on=day, rounding=mode, pins=pins, reform=reform, lang=lang
            )
        return (*a.entitlements, *a.obligations)

    cells: dict[tuple[int, str, str], _Cell] = {}
    catalog = package_catalog("tuoyu_rules.whatif")

    def put(year: int, e: _Entry, share: Fraction, period: Period, count: int | None = None) -> None:
        """Add ``share`` of the entry's total (of its rate times ``count``, when a programme's count is given),
        paid in the basis ``period`` (whose receipts count toward it)."""
        status = e.total_status if count is None else e.status
        if status == "ineligible":
            return  # nothing paid, nothing open: no line
        key = (year, e.program, e.payer)
        cell = cells.get(key)
        if cell is None:
            kind: Literal["entitlement", "obligation"] = "obligation" if hasattr(e, "matches") else "entitlement"
            cell = cells[key] = _Cell(kind=kind, basis=e.basis)
        cell.periods.setdefault(period, _Exact())
        if status == "eligible":
            per_child = e.basis == "per_child_month"
            n = e.children if count is None else count
            units = share * n if per_child and n is not None else share
            if count is None:
                cell.add_share(e.total, share, units, period)  # totals, never rates: rate times the entry's children
            else:
                cell.add_share(e.amount, share * count, units, period)
        elif status == "undetermined":
            cell.undetermined += 1
            missing = [catalog.explain(msg("whatif.projection.missing", field=f)) for f in e.missing]
            for reason in missing or e.explanation[:1]:
                cell.reasons[(reason.code, reason.en)] = reason

    # One-time amounts: once, in the year of `paid_on`.
    for e in entries_on(paid_on):
        if e.basis == "one_time":
            put(paid_on.year, e, Fraction(1), (None, end))  # paid once: every receipt up to the end counts

    # Monthly and per-child-monthly amounts: month by month.
    for first, last in with_progress(pieces, progress, every=1):
        if not any_in_force(spans, first, last):
            continue  # no programme in force: every entry is ineligible, nothing to assess
        month_key = first.replace(day=1)
        for sub_start, sub_end in split_at(first, last, cuts) if prorate else [(first, last)]:
            entries = entries_on(sub_start)
            month_days = days_in_month(first)
            for e in entries:
                if e.basis not in ("per_month", "per_child_month"):
                    continue
                share = share_in_force(e, sub_start, sub_end, month_days) if prorate else Fraction(1)
                if share == 0:
                    continue
                given = children_of.get(e.program) if e.basis == "per_child_month" else None
                put(first.year, e, share, (month_key, last), None if given is None else given[month_key])

    # Yearly amounts: year by year.
    for year in range(start.year, end.year + 1):
        y_first = max(dt.date(year, 1, 1), start)
        y_last = min(dt.date(year, 12, 31), end)
        if not any_in_force(spans, y_first, y_last):
            continue
        year_days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
        for sub_start, sub_end in split_at(y_first, y_last, cuts) if prorate else [(y_first, y_last)]:
            for e in entries_on(sub_start):
                if e.basis != "per_year":
                    continue
                share = share_in_force(e, sub_start, sub_end, year_days) if prorate else Fraction(1)
                if share == 0:
                    continue
                put(year, e, share, (dt.date(year, 1, 1), y_last))

    lines = []
    for (year, program, payer), cell in sorted(cells.items()):
        low, r1 = _round(cell.low, mode)
        high, r2 = (None, False) if cell.high is None else _round(cell.high, mode)
        received, owed = _owed(cell, program, facility.received, mode)
        paid, why = _paid(catalog, cell.basis, cell.units), tuple(cell.reasons.values())
        lines.append(
            ProjectionLine(
                year=year,
                program=program,
                kind=cell.kind,
                payer=payer,
                basis=cell.basis,
                amount=AmountRange.model_construct(low=low, high=high, allowed=None),
                paid_units=paid.text(lang),
                paid=paid,
                undetermined=cell.undetermined,
                open_reasons=pick(why, lang),
                open_explanation=why,
                rounded=r1 or r2,
                received=received,
                owed=owed,
            )
        )
    notes = [
        msg("whatif.projection.one_time_day", day=paid_on, year=paid_on.year),
        msg("whatif.projection.prorated" if prorate else "whatif.projection.not_prorated"),
    ]
    if held is not None:
        notes.append(msg("whatif.projection.held", day=held.on))
    explained = tuple(catalog.explain(n) for n in notes)
    return Projection(
        start=start,
        end=end,
        prorate=prorate,
        rounding=mode,
        method="held" if held is not None else "reassessed",
        one_time_on=paid_on,
        jurisdiction=target,
        reform=(held.reform if held is not None else (None if reform is None else reform.name)),
        lines=tuple(lines),
        notes=pick(explained, lang),
        explanation=explained,
    )


def _owed(cell: _Cell, program: str, receipts: tuple[Receipt, ...], mode: str) -> tuple[Decimal, AmountRange]:
    """What was received toward a cell's programme in each basis period it covers, and what is owed: each period's
    money less its receipts (:func:`~tuoyu_rules.core.receipts.less_received`), summed exactly, rounded once."""
    received = ZERO
    owed = _Exact()
    for (first, last), money in cell.periods.items():
        paid = sum((r.amount for r in paid_toward(receipts, program, first, last)), ZERO)
        received += paid
        owed.add(*less_received(money.low, money.high, Fraction(paid), cell.basis, Fraction(0)))
    low = _round(owed.low, mode)[0]
    high = None if owed.high is None else _round(owed.high, mode)[0]
    return received, AmountRange.model_construct(low=low, high=high, allowed=None)


def _round(value: Fraction, mode: str) -> tuple[Decimal, bool]:
    """Round an exact fraction to the fen once (the division is exact to 60 digits, far past any tie)."""
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    rounded = exact.quantize(CENT, rounding=mode)
    return rounded, Fraction(rounded) != value


PAID_UNITS = {
    ("one_time", True): "whatif.projection.paid.one_time.one",
    ("one_time", False): "whatif.projection.paid.one_time",
    ("per_year", True): "whatif.projection.paid.per_year.one",
    ("per_year", False): "whatif.projection.paid.per_year",
    ("per_month", True): "whatif.projection.paid.per_month.one",
    ("per_month", False): "whatif.projection.paid.per_month",
    ("per_child_month", True): "whatif.projection.paid.per_child_month.one",
    ("per_child_month", False): "whatif.projection.paid.per_child_month",
}
"""What a line counted, by its basis and whether it is one unit -> its code (``whatif/messages.toml``)."""


def _paid(catalog: Catalog, basis: str, units: Fraction) -> Explanation:
    """What a line counted, as data: its count (a whole number or an exact fraction, ``181/365``) and unit."""
    count = str(units.numerator) if units.denominator == 1 else f"{units.numerator}/{units.denominator}"
    return catalog.explain(msg(PAID_UNITS[(basis, units == 1)], units=count))
