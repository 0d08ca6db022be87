"""Amounts as ranges: a source often says "5万~10万元", and the granting body decides inside it.

:class:`AmountRange` is ``[low, high]`` in exact yuan, ``high=None`` meaning no upper bound ("不低于",
at least). A range may also list the discrete values the body can choose from (Xiamen's construction tiers
50,000 / 80,000 / 100,000). Pinning a value checks it lies inside. Sums and ratios of ranges are ranges.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Self

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from .errors import AmountOutsideRange, InvalidInput, MoneyError, reports_invalid_data
from .money import (
    DEFAULT_ROUNDING,
    MAX_MONEY,
    Money,
    format_wan,
    format_yuan,
    in_money_context,
    parse_money,
    round_money,
)

ZERO = Decimal("0.00")


class AmountRange(BaseModel):
    """An exact amount range ``[low, high]`` in yuan; ``high=None`` is unbounded above.

    >>> r = AmountRange.of("50000", "100000", allowed=("50000", "80000", "100000"))
    >>> r.pin("80000").low
    Decimal('80000.00')
    >>> (r + AmountRange.of("15000", "25000")).high
    Decimal('125000.00')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    low: Money
    high: Money | None
    allowed: tuple[Money, ...] | None = None
    """The discrete values the granting body chooses from, when the source lists them; ``None`` otherwise."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.high is not None and self.low > self.high:
            bounds = {"low": str(self.low), "high": str(self.high)}
            raise PydanticCustomError("error.range.low_above_high", "low {low} is above high {high}", bounds)
        if self.allowed is not None:
            if not self.allowed:
                raise PydanticCustomError("error.range.allowed_empty", "allowed values, when given, must not be empty")
            if list(self.allowed) != sorted(set(self.allowed)):
                raise PydanticCustomError("error.range.allowed_order", "allowed values must be strictly increasing")
            if self.allowed[0] != self.low or self.allowed[-1] != self.high:
                problem = "allowed values must start at low and end at high"
                raise PydanticCustomError("error.range.allowed_ends", problem)
        return self

    # -- construction --------------------------------------------------------------------------------
    @classmethod
    @reports_invalid_data  # issue 15: low above high is a TuoyuError too (and still a ValidationError)
    def of(
        cls,
        low: int | str | Decimal,
        high: int | str | Decimal | None,
        *,
        allowed: tuple[int | str | Decimal, ...] | None = None,
    ) -> AmountRange:
        """Build a range from exact inputs (floats are refused)."""
        return cls(
            low=parse_money(low, "low"),
            high=None if high is None else parse_money(high, "high"),
            allowed=None if allowed is None else tuple(parse_money(v, "allowed") for v in allowed),
        )

    @classmethod
    def exactly(cls, value: int | str | Decimal) -> AmountRange:
        """A single known amount: ``low == high``."""
        amount = parse_money(value, "amount")
        return cls.model_construct(low=amount, high=amount, allowed=None)

    @classmethod
    def zero(cls) -> AmountRange:
        """The amount of an ineligible entry: exactly 0 (one shared immutable instance)."""
        return _ZERO_RANGE

    @classmethod
    def unknown(cls) -> AmountRange:
        """Nothing known: ``[0, unbounded)`` (one shared immutable instance)."""
        return _UNKNOWN_RANGE

    # -- questions -----------------------------------------------------------------------------------
    @property
    def is_exact(self) -> bool:
        """True when the range is a single amount (``low == high``)."""
        return self.high is not None and self.low == self.high

    @property
    def is_bounded(self) -> bool:
        return self.high is not None

    def contains(self, value: Decimal) -> bool:
        """Whether ``value`` lies inside the range (and is an allowed value, when the range lists them)."""
        if self.allowed is not None:
            return value in self.allowed
        return value >= self.low and (self.high is None or value <= self.high)

    # -- operations ----------------------------------------------------------------------------------
    def pin(self, value: int | str | Decimal, *, field: str = "amount") -> AmountRange:
        """Fix the amount at ``value``; raise :class:`AmountOutsideRange` naming ``field`` if it is not allowed."""
        amount = parse_money(value, field)
        if not self.contains(amount):
            raise self._outside(field, amount)
        return AmountRange.model_construct(low=amount, high=amount, allowed=None)

    def _outside(self, field: str, amount: Decimal) -> AmountOutsideRange:
        """The error of pinning ``amount``, which the range does not contain: ``'<amount> is not '`` and
        :meth:`describe_allowed`, coded by the range's shape."""
        if self.allowed is not None:
            values = ", ".join(str(v) for v in self.allowed)
            problem = "{value} is not one of {values}"
            return AmountOutsideRange.coded(field, "error.range.not_one_of", problem, value=amount, values=values)
        if self.high is None:
            problem = "{value} is not at least {low}"
            return AmountOutsideRange.coded(field, "error.range.below", problem, value=amount, low=self.low)
        problem = "{value} is not inside [{low}, {high}]"
        bounds = {"low": self.low, "high": self.high}
        return AmountOutsideRange.coded(field, "error.range.not_inside", problem, value=amount, **bounds)

    def describe_allowed(self) -> str:
        """``'inside [50000.00, 100000.00]'`` or ``'one of 50000.00, 80000.00, 100000.00'``."""
        if self.allowed is not None:
            return "one of " + ", ".join(str(v) for v in self.allowed)
        if self.high is None:
            return f"at least {self.low}"
        return f"inside [{self.low}, {self.high}]"

    @in_money_context
    def __add__(self, other: AmountRange) -> AmountRange:
        if not isinstance(other, AmountRange):
            return NotImplemented
        high = None if self.high is None or other.high is None else self.high + other.high
        return AmountRange.model_construct(low=self.low + other.low, high=high, allowed=None)

    @in_money_context
    def scale(self, factor: Decimal | int, *, rounding: str = DEFAULT_ROUNDING) -> tuple[AmountRange, bool]:
        """Multiply both bounds by a non-negative exact ``factor`` (a ratio, a count of months or children).

        Returns the new range and whether rounding to the fen changed either bound, so the caller can say
        so in its explanation. Allowed values are scaled too. A bound that would exceed ``MAX_MONEY`` raises
        :class:`MoneyError`: the library's amounts never leave ``[0, MAX_MONEY]``, and none is clamped.
        """
        if isinstance(factor, bool) or not isinstance(factor, (int, Decimal)):
            problem = "{value} must be an int or a Decimal, not {type}"
            kind = type(factor).__name__
            raise InvalidInput.coded("factor", "error.range.factor_type", problem, value=repr(factor), type=kind)
        if not Decimal(factor).is_finite() or factor < 0:
            problem = "{value} must be a finite number, 0 or more"
            raise InvalidInput.coded("factor", "error.range.factor", problem, value=repr(factor))
        top = self.low if self.high is None else self.high
        if top * factor > MAX_MONEY:  # never a result above the money cap, never a clamped one
            problem = "{amount} times {factor} is above the largest accepted amount, {max} yuan"
            shown = {"amount": format_yuan(top), "factor": factor, "max": f"{MAX_MONEY:,}"}
            raise MoneyError.coded("amount", "error.range.scaled_too_large", problem, **shown)
        low, r1 = round_money(self.low * factor, rounding)
        high: Decimal | None = None
        r2 = False
        if self.high is not None:
            high, r2 = round_money(self.high * factor, rounding)
        allowed = None
        r3 = False
        if self.allowed is not None and factor != 0:
            scaled = [round_money(v * factor, rounding) for v in self.allowed]
            allowed = tuple(v for v, _ in scaled)
            r3 = any(r for _, r in scaled)
        return AmountRange.model_construct(low=low, high=high, allowed=allowed), r1 or r2 or r3

    # -- display -------------------------------------------------------------------------------------
    def format(self, style: str = "yuan") -> str:
        """``'50,000.00 – 100,000.00'`` (yuan) or ``'5万元 – 10万元'`` (wan)."""
        fmt = format_yuan if style == "yuan" else format_wan
        if self.is_exact:
            return fmt(self.low)
        if self.high is None:
            return f"≥ {fmt(self.low)}"
        text = f"{fmt(self.low)} – {fmt(self.high)}"
        if self.allowed is not None:
            text += " (" + " / ".join(fmt(v) for v in self.allowed) + ")"
        return text


# Frozen, so one instance of each serves every entry (building one costs microseconds on the hot path).
_ZERO_RANGE = AmountRange.model_construct(low=ZERO, high=ZERO, allowed=None)
_UNKNOWN_RANGE = AmountRange.model_construct(low=ZERO, high=None, allowed=None)


def total(ranges: list[AmountRange] | tuple[AmountRange, ...]) -> AmountRange:
    """The sum of several ranges (an empty sum is exactly 0)."""
    result = AmountRange.zero()
    for r in ranges:
        result = result + r
    return result
