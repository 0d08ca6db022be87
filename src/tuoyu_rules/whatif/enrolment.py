"""Children by month for a projection: the children enrolled each month, and the facility with that enrolment.

``enrolment`` is a constant, or a mapping of every month of the period (``"YYYY-MM"`` or the month's first
day as a ``date``) to children; by default the facility's ``enrolled``. Each count is a whole number, 0 or
more and not above the facility's places; a month given twice or left out is an error naming it.

A month's enrolment is the facility's ``enrolled`` that month (:func:`enrolled_facility`): the facility is
assessed with it, so a programme whose rule counts the enrolled children (Hangzhou's 普惠 subsidy, under its
default reading) is paid for them. A programme that counts other children (Sichuan's full-day enrolled,
Siming's employees' children) keeps the facility's own count: the projection never guesses how that count moves
with enrolment, and a month whose enrolment is below it is an error naming the month (give the count per
programme with ``enrolment_by_program``, or a facility whose counts fit every month).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pydantic import ValidationError

from ..core.error_text import error_explanations
from ..core.errors import InvalidInput
from ..core.models import MAX_PLACES, Facility

__all__ = ["Enrolment", "children_by_month", "enrolled_facility"]

Enrolment = int | Mapping[str, int] | Mapping[dt.date, int] | Mapping[str | dt.date, int]
"""Children: a constant, or a mapping of every month of the period to children."""


def children_by_month(
    enrolment: Enrolment | None,
    facility: Facility,
    pieces: list[tuple[dt.date, dt.date]],
    where: str = "enrolment",
) -> dict[dt.date, int]:
    """Month (its first day) -> children, for every month of ``pieces``; raise naming ``where`` if wrong."""
    firsts = [first.replace(day=1) for first, _ in pieces]
    if enrolment is None:
        return dict.fromkeys(firsts, facility.enrolled)
    kind = "a whole number of children, or a mapping of month to children"
    if isinstance(enrolment, bool):
        raise InvalidInput.coded(where, "error.enrolment.kind", kind)
    if isinstance(enrolment, int):
        _check_children(enrolment, where, facility)
        return dict.fromkeys(firsts, enrolment)
    if not isinstance(enrolment, Mapping):
        raise InvalidInput.coded(where, "error.enrolment.kind", kind)
    given: dict[dt.date, int] = {}
    for key, value in enrolment.items():
        month = _month_key(key, where)
        if month in given:
            raise InvalidInput.coded(f"{where}[{key}]", "error.enrolment.twice", "this month is given twice")
        _check_children(value, f"{where}[{key}]", facility)
        given[month] = value
    missing = [f"{m:%Y-%m}" for m in firsts if m not in given]
    if missing:
        problem = "no children given for {months}; give every month of the period"
        raise InvalidInput.coded(where, "error.enrolment.missing", problem, months=", ".join(missing))
    return given


def _month_key(key: object, where: str) -> dt.date:
    if isinstance(key, dt.date) and not isinstance(key, dt.datetime):
        if key.day != 1:
            problem = "a month is its first day (or {pattern})"
            raise InvalidInput.coded(f"{where}[{key}]", "error.enrolment.first_day", problem, pattern="'YYYY-MM'")
        return key
    if isinstance(key, str) and len(key) == 7 and key[4] == "-":
        try:
            return dt.date(int(key[:4]), int(key[5:]), 1)
        except ValueError:
            pass
    problem = "a month as {pattern} or its first day as a date"
    raise InvalidInput.coded(f"{where}[{key!r}]", "error.enrolment.month", problem, pattern="'YYYY-MM'")


def _check_children(value: object, where: str, facility: Facility) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > MAX_PLACES:
        problem = "{value} is not a whole number of children, 0 or more"
        raise InvalidInput.coded(where, "error.enrolment.children", problem, value=repr(value))
    if value > facility.places:
        problem = "{value} children is more than the facility's places ({places})"
        raise InvalidInput.coded(where, "error.enrolment.places", problem, value=value, places=facility.places)


def enrolled_facility(facility: Facility, enrolled: int, where: str) -> Facility:
    """``facility`` with ``enrolled`` children (itself when that is its count), validated as any Facility.

    :raises InvalidInput: naming ``where`` when the facility's other counts do not fit (``full_day_enrolled``,
        ``staff_children`` or the children in ``classes`` above ``enrolled``): none of them is changed or guessed.
    """
    if enrolled == facility.enrolled:
        return facility
    try:
        return Facility.model_validate({**facility.model_dump(exclude_unset=True), "enrolled": enrolled})
    except ValidationError as exc:
        problems = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors(include_url=False))
        problem = (
            "{enrolled} children enrolled does not fit the facility ({problems}); a projection never guesses how "
            "the facility's other counts change with enrolment: give a facility whose counts fit every month, "
            "or a programme's own count with {option}"
        )
        error = InvalidInput.coded(
            where,
            "error.enrolment.not_fit",
            problem,
            enrolled=enrolled,
            problems=problems,
            option="enrolment_by_program",
        )
        error.param_problems = {"problems": error_explanations(exc)}  # told in Chinese from their own codes
        raise error from exc
