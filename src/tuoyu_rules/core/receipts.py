"""What has been paid: :class:`Receipt`, a payment the facility's employer received, and the arithmetic that turns
receipts into each entry's ``received`` and ``owed``.

A receipt is a fact the caller gives (``Facility.received``); no rule reads it. After the rules, the engine's
receipt step (:func:`settle`) adds up, for each entry, the receipts for its programme paid in its *basis period*
(:func:`basis_period`): ever (up to the day assessed) for a ``one_time`` grant, the calendar year of the day for
``per_year``, its month for ``per_month`` and ``per_child_month``. ``owed`` is the entry's ``total`` less that sum
(:func:`owed_of`): each bound reduced and floored at 0, an unbounded high staying unbounded; for a per-child-month
entry the receipts are compared with the month's ``total`` (rate times children), not with the rate.

A one-time grant is paid once: a receipt of at least the low bound of its total settles it, and it is never owed
again (in a later assessment or year of a projection); a smaller receipt is taken as a part payment, the rest
owed. A receipt dated after the day assessed, or for a programme with no entry in the assessment (outside the
chain of layers, bearing no money, or a matching duty that does not arise), is not applied: the assessment's
``notes`` say so (:func:`unapplied`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from .amounts import ZERO, AmountRange
from .messages import Message, msg
from .money import Money, fen_text

if TYPE_CHECKING:
    from .policy import Policy

_PROGRAM_ID = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)+\Z")


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise PydanticCustomError(
            "error.receipt.amount_not_positive", "a receipt's amount is more than 0, not {value}", {"value": str(value)}
        )
    return value


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def _day(value: object) -> object:
    """A day as a ``date`` or ISO text ``YYYY-MM-DD``; a datetime, a number (a time stamp) or other text is refused."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
        raise PydanticCustomError(
            "error.day.type", "a day is a date or the text YYYY-MM-DD, not a {type}", {"type": type(value).__name__}
        )
    if isinstance(value, str) and not _DAY.match(value):
        raise PydanticCustomError(
            "error.day.format", "{value} is not a day written YYYY-MM-DD", {"value": repr(value[:40])}
        )
    return value


def _program_id(value: str) -> str:
    if not _PROGRAM_ID.match(value):
        raise PydanticCustomError(
            "error.receipt.program_id",
            "{value} is not a programme id such as 'xiamen.construction_subsidy'",
            {"value": repr(value[:60])},
        )
    return value


class Receipt(BaseModel):
    """A payment received toward one programme: a fact the caller gives, in ``Facility.received``.

    >>> r = Receipt(program="xiamen.construction_subsidy", paid_on=dt.date(2023, 7, 1), amount="50000")
    >>> r.amount
    Decimal('50000.00')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    program: Annotated[str, Field(max_length=100), AfterValidator(_program_id)]
    """The programme id paid toward (``xiamen.construction_subsidy``, ``cn.caring_employer_award``)."""
    paid_on: Annotated[dt.date, BeforeValidator(_day)]
    """The day it was paid."""
    amount: Annotated[Money, AfterValidator(_positive)]
    """The sum received: exact yuan, more than 0."""
    note: str | None = Field(default=None, max_length=200)
    """The caller's own reference (a voucher number, say); no rule reads it."""


def basis_period(basis: str, on: dt.date) -> tuple[dt.date | None, dt.date]:
    """The first day (None: no first day) and the last day of the receipts that count toward an entry of ``basis``
    assessed ``on``: ever for ``one_time``, the calendar year of ``on`` for ``per_year``, its month otherwise;
    never after ``on``."""
    if basis == "one_time":
        return None, on
    if basis == "per_year":
        return on.replace(month=1, day=1), on
    return on.replace(day=1), on


def paid_toward(receipts: Iterable[Receipt], program: str, first: dt.date | None, last: dt.date) -> tuple[Receipt, ...]:
    """The receipts for ``program`` paid from ``first`` (None: any day) to ``last``, both days included."""
    return tuple(
        r for r in receipts if r.program == program and r.paid_on <= last and (first is None or r.paid_on >= first)
    )


def owed_of(total: AmountRange, received: Decimal, basis: str) -> AmountRange:
    """What is still owed of ``total`` once ``received`` was paid toward it.

    Each bound less ``received``, floored at 0; an unbounded high stays unbounded. A ``one_time`` grant paid at
    least its low bound is settled: exactly 0 (it is paid once). Never negative, never more than ``total``.

    >>> owed_of(AmountRange.of("15000", "25000"), Decimal("20000.00"), "per_year").format()
    '0.00 – 5,000.00'
    >>> owed_of(AmountRange.of("50000", "100000"), Decimal("50000.00"), "one_time").format()
    '0.00'
    """
    if not received:
        return total
    low, high = less_received(total.low, total.high, received, basis, ZERO)
    return AmountRange.model_construct(low=low, high=high, allowed=None)


N = TypeVar("N", Decimal, Fraction)


def less_received(low: N, high: N | None, received: N, basis: str, zero: N) -> tuple[N, N | None]:
    """The bounds ``low`` and ``high`` (None: unbounded) less ``received``, as :func:`owed_of` takes them (exact
    decimals, or exact fractions for a projection's share of a period)."""
    if received and basis == "one_time" and received >= low:
        return zero, zero
    return max(low - received, zero), None if high is None else max(high - received, zero)


def settle(
    program: str, basis: str, status: str, total: AmountRange, receipts: tuple[Receipt, ...], on: dt.date
) -> tuple[Decimal, AmountRange, tuple[Message, ...]]:
    """An entry's ``received``, ``owed`` and the reasons that say what was paid (none when nothing was)."""
    if not receipts:
        return ZERO, total, ()
    paid = paid_toward(receipts, program, *basis_period(basis, on))
    if not paid:
        return ZERO, total, ()
    received = sum((r.amount for r in paid), ZERO)
    owed = owed_of(total, received, basis)
    when = ",".join(f"{r.paid_on.isoformat()}={fen_text(r.amount)}" for r in paid)
    period = {"one_time": "core.received.ever", "per_year": "core.received.year"}.get(basis, "core.received.month")
    reasons = [msg(period, amount=received, on=on, year=on.year, month=f"{on:%Y-%m}", payments=when)]
    if status == "ineligible":
        reasons.append(msg("core.received.ineligible"))
    elif basis == "one_time" and received < total.low:
        reasons.append(msg("core.received.part", low=total.low, owed=owed))
    elif basis == "one_time":
        reasons.append(msg("core.received.paid_once"))
    if status != "ineligible" and total.high is not None and received > total.high:
        reasons.append(msg("core.received.excess", excess=received - total.high, high=total.high))
    return received, owed, tuple(reasons)


def unapplied(
    receipts: Iterable[Receipt], on: dt.date, entries: Collection[str], layers: tuple[Policy, ...], target: str
) -> tuple[Message, ...]:
    """The notes on receipts the engine did not apply: dated after ``on``, or for a programme that has no entry
    (``entries``: the programme ids of the assessment's entries) among the layers of ``target``."""
    notes: list[Message] = []
    for r in receipts:
        head = {"amount": r.amount, "program": r.program, "paid_on": r.paid_on}
        if r.paid_on > on:
            notes.append(msg("core.receipt.after_day", **head, on=on))
            continue
        if r.program in entries:
            continue
        program = next((p for layer in layers for p in layer.programs if p.id == r.program), None)
        if program is None:
            notes.append(msg("core.receipt.unknown_program", **head, target=target, layers=[x.id for x in layers]))
        elif program.kind in ("entitlement", "obligation"):
            notes.append(msg("core.receipt.no_duty", **head))
        else:
            notes.append(msg("core.receipt.no_money", **head, kind=program.kind))
    return tuple(notes)
