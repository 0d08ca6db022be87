"""Exact money: ``Decimal`` yuan with two decimals (fen).

Rules, written once:

* Money is always :class:`decimal.Decimal` yuan. Inputs may be ``int``, ``str`` or ``Decimal``; ``float``
  (binary, cannot hold 0.01 exactly), ``bool``, NaN and infinities are refused, as is anything with more
  than two decimals: the library never rounds an input for you.
* Results are rounded once, to the fen, with a named mode (``ROUND_HALF_UP`` by default; 会计基础工作规范
  art. 52 fixes two decimals but no mode, GB/T 8170 uses half-even). Where a calculation rounds, the result
  says so in its explanation (see :func:`round_money`).
* Every money value lies in ``[0, 1_000_000_000_000]`` yuan.
* Money arithmetic runs in the library's own decimal context (:func:`money_context`), never the caller's:
  ``decimal.getcontext()`` (its precision, traps, rounding) changes no result. Every public entry point that
  computes is wrapped in :func:`in_money_context`; a rule runs in a fresh copy of it, so a rule that changes
  the context changes nothing else.
"""

from __future__ import annotations

import decimal
import functools
import inspect
import re
from collections.abc import Callable, Generator, Iterator
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Annotated, Any, Final, Literal, ParamSpec, TypeVar, cast, get_args

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from .errors import MoneyError, pydantic_error

CENT: Final = Decimal("0.01")
MAX_MONEY: Final = Decimal("1000000000000")
DEFAULT_ROUNDING: Final = decimal.ROUND_HALF_UP

RoundingMode = Literal[
    "ROUND_HALF_UP",
    "ROUND_HALF_EVEN",
    "ROUND_HALF_DOWN",
    "ROUND_UP",
    "ROUND_DOWN",
    "ROUND_CEILING",
    "ROUND_FLOOR",
]
ROUNDING_MODES: Final[tuple[str, ...]] = get_args(RoundingMode)

MONEY_PRECISION: Final = 60
"""Significant digits of the library's decimal context. An amount has at most 15 (13 integer digits up to
:data:`MAX_MONEY`, 2 decimals); a ratio or share times an amount at most 15 + 28 (a share has at most 28
decimals, a ratio fewer), and a sum of amounts stays exact until it passes 10^45 yuan. Every product and sum
the library forms is therefore exact, and is rounded once, to the fen, where the result says so."""

_TEMPLATE: Final = decimal.Context(
    prec=MONEY_PRECISION,
    rounding=decimal.ROUND_HALF_UP,
    Emin=decimal.MIN_EMIN,
    Emax=decimal.MAX_EMAX,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
"""The library's decimal context, never made current itself (only copies are, so nothing ever changes it):
exact to :data:`MONEY_PRECISION` digits, ROUND_HALF_UP, and an invalid operation, a division by zero or an
overflow raises (never a NaN or an infinity in an amount). Inexact and Rounded are not trapped: a rounding
to the fen is always asked for explicitly, with its mode."""

_P = ParamSpec("_P")
_R = TypeVar("_R")


def money_context() -> AbstractContextManager[decimal.Context]:
    """A context manager making a fresh copy of the library's decimal context current for its block.

    Whatever the caller's ``decimal.getcontext()`` (precision, traps, rounding), arithmetic inside the block
    is the library's; the caller's context is restored, untouched, when the block ends.
    """
    return decimal.localcontext(_TEMPLATE)


def in_money_context(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a public entry point so that it runs in :func:`money_context`.

    A generator function gets a fresh copy of the context for each step (the caller's context is current
    between steps, as it must be: the caller's code runs there).
    """
    if inspect.isgeneratorfunction(func):

        @functools.wraps(func)
        def steps(*args: _P.args, **kwargs: _P.kwargs) -> Generator[Any, None, Any]:
            with money_context():
                inner = cast("Iterator[Any]", func(*args, **kwargs))
            try:
                while True:
                    with money_context():
                        try:
                            item = next(inner)
                        except StopIteration as stop:
                            return stop.value
                    yield item
            finally:
                close = getattr(inner, "close", None)
                if close is not None:
                    with money_context():
                        close()

        return cast("Callable[_P, _R]", steps)

    @functools.wraps(func)
    def call(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with money_context():
            return func(*args, **kwargs)

    return call


_PLAIN = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_GROUPED = re.compile(r"^\d{1,3}([,_]\d{3})+(\.\d+)?$")


def check_rounding(mode: object, field: str = "rounding") -> str:
    """Return ``mode`` if it names a decimal rounding mode, else raise naming ``field``."""
    if not isinstance(mode, str) or mode not in ROUNDING_MODES:
        raise MoneyError.coded(
            field,
            "error.rounding.unknown",
            "unknown rounding mode {value}; use one of {modes}",
            value=repr(mode),
            modes=", ".join(ROUNDING_MODES),
        )
    return mode


@in_money_context
def parse_money(value: object, field: str = "amount") -> Decimal:
    """Turn an input into exact yuan, or raise :class:`MoneyError` naming ``field``.

    >>> parse_money("50000")
    Decimal('50000.00')
    >>> parse_money(1.5)
    Traceback (most recent call last):
    ...
    tuoyu_rules.core.errors.MoneyError: amount: 1.5 is a binary float, which cannot hold fen exactly; pass an \
int, a str such as '50000.00', or a Decimal
    """
    shown = _show(value)
    if isinstance(value, bool):
        raise MoneyError.coded(
            field, "error.money.bool", "{value} is a bool, not an amount; pass an int, a str such as '50000.00', or a "
            "Decimal", value=shown
        )
    if isinstance(value, float):
        raise MoneyError.coded(
            field,
            "error.money.float",
            "{value} is a binary float, which cannot hold fen exactly; pass an int, a str such as '50000.00', or a "
            "Decimal",
            value=shown,
        )
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        text = value.strip()
        if "," in text or "_" in text:
            if not _GROUPED.match(text):
                raise MoneyError.coded(
                    field,
                    "error.money.separators",
                    "{value} has separators that are not thousands groups (1,234,567.89); pass an int, a str such "
                    "as '50000.00', or a Decimal",
                    value=shown,
                )
            text = text.replace(",", "").replace("_", "")
        if text.lower().lstrip("+-") in ("nan", "snan", "inf", "infinity"):
            raise _not_finite(field, shown)
        if not _PLAIN.match(text):
            raise MoneyError.coded(
                field,
                "error.money.not_plain",
                "{value} is not a number in plain decimal digits (ASCII 0-9, an optional point); pass an int, a "
                "str such as '50000.00', or a Decimal",
                value=shown,
            )
        amount = Decimal(text)
    else:
        raise MoneyError.coded(
            field, "error.money.type", "{type} is not an amount; pass an int, a str such as '50000.00', or a Decimal",
            type=type(value).__name__,
        )
    if not amount.is_finite():
        raise _not_finite(field, shown)
    if amount < 0:
        raise MoneyError.coded(field, "error.money.negative", "{value} is negative; amounts are 0 or more", value=shown)
    if amount > MAX_MONEY:
        raise MoneyError.coded(
            field,
            "error.money.too_large",
            "{value} is above the largest accepted amount, {max} yuan",
            value=shown,
            max=f"{MAX_MONEY:,}",
        )
    if _decimals(amount) > 2:
        raise MoneyError.coded(
            field,
            "error.money.decimals",
            "{value} has more than two decimals; amounts are yuan to the fen (0.01), not rounded for you",
            value=shown,
        )
    return amount.copy_abs().quantize(CENT) if amount == 0 else amount.quantize(CENT)


def _not_finite(field: str, shown: str) -> MoneyError:
    return MoneyError.coded(
        field, "error.money.not_finite", "{value} is not a finite amount; pass an int, a str such as '50000.00', or a "
        "Decimal", value=shown
    )


def _show(value: object) -> str:
    """The input as a short text for an error message (a huge int is not printed: Python refuses to)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"an int of about {int(value.bit_length() * 0.30103)} digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _decimals(amount: Decimal) -> int:
    """How many decimals ``amount`` really has (trailing zeros do not count); exact, no arithmetic."""
    _, digits, exponent = amount.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0 or not any(digits):
        return 0
    trailing = 0
    for digit in reversed(digits):
        if digit != 0 or trailing >= -exponent:
            break
        trailing += 1
    return -exponent - trailing


@in_money_context
def as_decimal(value: object) -> Decimal | None:
    """An ``int``, ``Decimal`` or ``str`` of a number as an exact ``Decimal`` (no rounding); None for anything else.

    A str may have surrounding spaces; one that is not a number, or has anything but ASCII characters (a
    full-width or other Unicode digit, as money refuses) or an ``_``, gives None, as do ``bool`` and ``float``
    (a binary float cannot hold a decimal exactly). The caller checks the range and says what was wrong.
    """
    if isinstance(value, bool | float):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text.isascii() or "_" in text:  # full-width or other Unicode digits, 1_000: one rule with money
            return None
        try:
            return Decimal(text)
        except decimal.InvalidOperation:
            return None
    return None


def plain_decimal(text: str) -> Decimal | None:
    """A str of plain decimal digits (ASCII 0-9, an optional point and leading minus, spaces around) as an exact
    ``Decimal``; None for anything else: exponents, separators, NaN, full-width or other Unicode digits.

    >>> plain_decimal(" 0.85 "), plain_decimal("１"), plain_decimal("1e3")
    (Decimal('0.85'), None, None)
    """
    stripped = text.strip()
    return Decimal(stripped) if _PLAIN.match(stripped) else None


def round_money(value: Decimal, rounding: str = DEFAULT_ROUNDING) -> tuple[Decimal, bool]:
    """Round ``value`` to the fen once; return the rounded value and whether rounding changed it."""
    rounded = value.quantize(CENT, rounding=rounding)
    return rounded, rounded != value


@in_money_context
def format_yuan(value: Decimal) -> str:
    """``Decimal('50000')`` -> ``'50,000.00'``."""
    return f"{value.quantize(CENT):,.2f}"


@in_money_context
def format_wan(value: Decimal) -> str:
    """Chinese 万元 notation: ``50000`` -> ``'5万元'``, ``15000`` -> ``'1.5万元'``, ``300`` -> ``'300元'``."""
    if value >= 10000:
        wan = (value / Decimal(10000)).normalize()
        text = format(wan, "f")
        return f"{text}万元"
    return f"{format(value.quantize(CENT).normalize(), 'f')}元"


def fen_text(value: Decimal) -> str:
    """An amount as plain text with two decimals (``"50000.00"``), the same whatever the caller's decimal context.

    An amount already to the fen (every amount the library makes) is written as it is, with no arithmetic;
    any other is brought to two decimals in the library's context.
    """
    if value.as_tuple().exponent == -2:
        return format(value, "f")
    with money_context():
        return format(value.quantize(CENT), "f")


def _serialize(value: Decimal) -> str:
    return fen_text(value)


def _validate(value: Any) -> Decimal:
    try:
        return parse_money(value, "amount")
    except MoneyError as exc:
        raise pydantic_error(exc) from None


Money = Annotated[
    Decimal,
    BeforeValidator(_validate),
    PlainSerializer(_serialize, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,13}(\.\d{1,2})?$", "examples": ["50000.00"]}),
]
"""Pydantic field type for exact yuan: validated by :func:`parse_money`, dumped to JSON as ``"50000.00"``."""
