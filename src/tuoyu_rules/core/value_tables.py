"""A parameter's value table, key by key: the checks :func:`~tuoyu_rules.core.parameters.parse_value` makes of
the data files' values and of a reform's, each problem a :class:`ValueProblem` with a code.

The codes are in ``core/errors_parameters.toml`` (``error.parameter.*``); a problem met in a check of another
area keeps that area's code (an amount's ``error.money.*``, a range's ``error.range.*``). A data file's bad value
is a :class:`~tuoyu_rules.core.errors.PolicyDataError` naming the entry (``parameters.<name>.values[0].ratio``);
a reform's is the caller's error, :meth:`ValueProblem.as_input`, told in Chinese and English.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Self, TypeGuard

from pydantic import ValidationError

from .amounts import AmountRange
from .errors import InvalidInput, MoneyError, PolicyDataError, fill
from .money import parse_money, plain_decimal

__all__ = ["ValueProblem", "one_line"]

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ROW = "{min, max, amount}"
"""A row of a bracket table, as the problems of one name it."""


class ValueProblem(PolicyDataError):
    """A parameter's value table that is not in the data files' form, or a ratio out of bounds: ``field`` names
    the entry at fault (``parameters.<name>.values[0].ratio``, ``reform.parameters[<name>][0].ratio``), ``problem``
    says the rule it broke (English), ``problem_code`` and ``problem_params`` say the same as data (a code of
    ``core/errors_parameters.toml``, or of the check it comes from; None when it has none). Its text is
    ``field: problem``, as every data error of a parameter names its entry.

    In a data file it is a :class:`PolicyDataError` like any other; a reform raises :meth:`as_input` instead: the
    caller's error, an :class:`InvalidInput` of the same field with the code, told in Chinese and English."""

    def __init__(
        self, field: str, problem: str, code: str | None = None, params: Mapping[str, str] | None = None
    ) -> None:
        self.field = field
        self.problem = problem
        self.problem_code = code
        self.problem_params: Mapping[str, str] = MappingProxyType(dict(params or {}))
        super().__init__(f"{field}: {problem}")

    @classmethod
    def coded(cls, field: str, code: str, template: str, /, **params: object) -> Self:
        """The problem ``code`` of ``field``: ``template`` (the code's ``en`` text) filled with ``params``."""
        texts = {name: str(value) for name, value in params.items()}
        return cls(field, fill(template, texts), code, texts)

    def as_input(self) -> InvalidInput:
        """The same problem as the caller's error (a reform's value): an :class:`InvalidInput` naming ``field``."""
        return InvalidInput(self.field, self.problem, self.problem_code, self.problem_params)

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.field, self.problem, self.problem_code, dict(self.problem_params))


def one_line(exc: ValidationError) -> str:
    """A pydantic ValidationError as one short line: ``field: message; field: message``."""
    parts = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def whole(raw: object) -> TypeGuard[int]:
    """Whether ``raw`` is a whole number, 0 or more (an ``int``, never a ``bool``)."""
    return isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0


def money(raw: object, where: str) -> Decimal:
    """An amount of a value table (``where`` names it): exact yuan, never a TOML float."""
    if isinstance(raw, float):
        problem = "amount {value} is a {format} float; write amounts as strings or ints"
        raise ValueProblem.coded(where, "error.parameter.float", problem, value=repr(raw), format="TOML")
    try:
        return parse_money(raw, where)
    except MoneyError as exc:  # its field is `where`; its code and parameters are kept
        raise ValueProblem(exc.field, exc.problem, exc.code, exc.params) from None


def date(raw: object, where: str) -> dt.date | None:
    """A day of a value table (``start``, ``end``), or None when it gives none."""
    if raw is None:
        return None
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str) and _ISO_DAY.fullmatch(raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    problem = "{value} is not a {format} date ({form})"
    raise ValueProblem.coded(where, "error.parameter.date", problem, value=repr(raw), format="TOML", form="YYYY-MM-DD")


def amount_range(raw: Mapping[str, object], where: str) -> AmountRange:
    """The range of a ``range`` value: ``low``, ``high`` (absent: no upper bound) and ``allowed``."""
    low = money(raw.get("low"), f"{where}.low")
    high = None if raw.get("high") is None else money(raw.get("high"), f"{where}.high")
    allowed_raw = raw.get("allowed")
    allowed = None
    if allowed_raw is not None:
        if not isinstance(allowed_raw, list):
            raise ValueProblem.coded(f"{where}.allowed", "error.parameter.allowed", "must be a list")
        allowed = tuple(money(a, f"{where}.allowed") for a in allowed_raw)
    try:
        return AmountRange(low=low, high=high, allowed=allowed)
    except ValidationError as exc:  # a range's own rule (error.range.*): its code and parameters are kept
        errors = exc.errors(include_url=False)
        kind, ctx = str(errors[0]["type"]), errors[0].get("ctx") or {}
        code = kind if len(errors) == 1 and kind.startswith("error.") else None
        params = {name: str(value) for name, value in ctx.items()} if code else {}
        raise ValueProblem(where, one_line(exc), code, params) from None


def ratio_number(raw: Mapping[str, object], where: str) -> Decimal:
    """The number of a ``ratio`` value, as written (a string of plain digits, or an int); its bounds are
    :func:`~tuoyu_rules.core.parameters.ratio_error`'s to check."""
    ratio_raw = raw.get("ratio")
    if not isinstance(ratio_raw, str | int) or isinstance(ratio_raw, bool):
        raise ValueProblem.coded(f"{where}.ratio", "error.parameter.ratio.type", "write the ratio as a string or int")
    ratio = Decimal(ratio_raw) if isinstance(ratio_raw, int) else plain_decimal(ratio_raw)
    if ratio is None:
        problem = "{value} is not a number in plain decimal digits (ASCII 0-9, point)"
        shown = repr(str(ratio_raw)[:40])
        raise ValueProblem.coded(f"{where}.ratio", "error.parameter.ratio.digits", problem, value=shown)
    return ratio


def exact(raw: Mapping[str, object], where: str) -> bool:
    """Whether a ``ratio`` value is exact (按1:1) or a floor (不低于)."""
    found = raw.get("exact")
    if not isinstance(found, bool):
        problem = "{yes} (按1:1) or {no} (不低于)"
        raise ValueProblem.coded(f"{where}.exact", "error.parameter.exact", problem, yes="true", no="false")
    return found


def bracket_rows(raw: Mapping[str, object], where: str) -> list[tuple[int, int | None, Decimal]]:
    """The rows of a ``brackets`` value, ``(min, max, amount)``: whole numbers, increasing, not overlapping."""
    rows = raw.get("brackets")
    if not isinstance(rows, list) or not rows:
        raise ValueProblem.coded(f"{where}.brackets", "error.parameter.brackets", "a non-empty list of {row}", row=_ROW)
    found: list[tuple[int, int | None, Decimal]] = []
    for i, row in enumerate(rows):
        at = f"{where}.brackets[{i}]"
        if not isinstance(row, dict):
            raise ValueProblem.coded(at, "error.parameter.bracket.table", "a table {row}", row=_ROW)
        lo, hi = row.get("min"), row.get("max")
        if not whole(lo) or (hi is not None and not whole(hi)):
            problem = "{low} and {high} are whole numbers, 0 or more (no bool)"
            raise ValueProblem.coded(at, "error.parameter.bracket.whole", problem, low="min", high="max")
        if hi is not None and hi < lo:
            raise ValueProblem.coded(at, "error.parameter.bracket.below", "{high} below {low}", low="min", high="max")
        if found and (found[-1][1] is None or lo <= found[-1][1]):
            raise ValueProblem.coded(at, "error.parameter.bracket.order", "rows must be increasing and not overlap")
        found.append((lo, hi, money(row.get("amount"), f"{at}.amount")))
    return found


def choice_of(raw: Mapping[str, object], where: str) -> tuple[str, tuple[str, ...]]:
    """The reading of a ``choice`` value and its options: the reading one of them, none given twice."""
    choice, options = raw.get("choice"), raw.get("options")
    if not isinstance(options, list) or not options or not all(isinstance(o, str) and o for o in options):
        problem = "a non-empty list of the readings allowed"
        raise ValueProblem.coded(f"{where}.options", "error.parameter.options", problem)
    if len(set(options)) != len(options):
        problem = "{options} lists a reading twice"
        raise ValueProblem.coded(f"{where}.options", "error.parameter.options_twice", problem, options=options)
    if not isinstance(choice, str) or choice not in options:
        problem = "{value} is not one of {options}"
        raise ValueProblem.coded(
            f"{where}.choice", "error.parameter.choice", problem, value=repr(choice), options=options
        )
    return choice, tuple(options)
