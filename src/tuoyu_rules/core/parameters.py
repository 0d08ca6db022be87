"""Dated, cited parameters: a programme's figures are data, kept apart from the rules that read them.

A parameter has one or more *values*. Each value is in force over ``[start, end]`` (either may be ``None``,
meaning the sources state no date) or belongs to a *batch* year (the national caring-employer award differs
by the year of the designation list), and each value names the citations it rests on.

Value kinds:

``range``
    ``[low, high]`` yuan, ``high`` absent for "at least"; optional ``allowed`` discrete values.
``ratio``
    a matching ratio, with ``exact = true`` for "按1:1" and ``false`` for "不低于1:1": a non-negative number
    of plain ASCII digits, at most :data:`MAX_RATIO` with at most :data:`MAX_RATIO_DECIMALS` decimals.
``count``
    a whole number (a threshold such as a minimum intake).
``brackets``
    a table of ``{min, max, amount}`` rows (children per class -> yuan); ``min`` and ``max`` are whole
    numbers, 0 or more (``true`` is not a number).
``choice``
    one of a fixed set of readings (``choice`` and ``options``): a documented assumption, such as whether a
    monthly amount is per child or per facility, that a reform can change, but only to one of ``options``.
``not_stated``
    the sources say a payment exists but state no amount: the rule reports it as undetermined.

Reading a parameter through a :class:`~tuoyu_rules.core.context.RuleContext` records which value was used, so
every result can show it (see :class:`ParameterUse`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .amounts import AmountRange
from .errors import PolicyDataError
from .value_tables import ValueProblem as ValueProblem
from .value_tables import amount_range, bracket_rows, choice_of, date, exact, ratio_number, whole
from .value_tables import one_line as one_line

ValueKind = Literal["range", "ratio", "count", "brackets", "choice", "not_stated"]


def in_period(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether ``day`` lies in ``[start, end]``; a missing start or end (the sources state none) bounds nothing."""
    return (start is None or day >= start) and (end is None or day <= end)


def period_text(start: dt.date | None, end: dt.date | None, no_start: str, no_end: str) -> str | None:
    """``'<start> to <end>'``, with ``no_start``/``no_end`` for an end the sources leave unstated; None if both are."""
    if start is None and end is None:
        return None
    return f"{start or no_start} to {end or no_end}"


@dataclass(frozen=True, slots=True)
class Bracket:
    """One row of a bracket table: ``min <= n <= max`` (``max`` None: no upper end) gives ``amount``."""

    min: int
    max: int | None
    amount: Decimal

    def covers(self, n: int) -> bool:
        return n >= self.min and (self.max is None or n <= self.max)


@dataclass(frozen=True, slots=True)
class Ratio:
    """A matching ratio: ``value`` times the matched amount, exactly or at least."""

    value: Decimal
    exact: bool


@dataclass(frozen=True, slots=True)
class Choice:
    """A documented reading among fixed options (an assumption the caller can change with a reform)."""

    value: str
    options: tuple[str, ...]


ParamValue = AmountRange | Ratio | int | tuple[Bracket, ...] | Choice | None

MAX_RATIO = Decimal(100)
"""The largest matching ratio accepted, in data or in a reform. The sources state 1:1 (按1:1, 不低于1:1);
a ratio is the matching payer's multiple of a grant, a small non-negative number, and a hundredfold match
already leaves any what-if a reader could mean. Together with :data:`MAX_RATIO_DECIMALS` it keeps the product
of a ratio and any amount (at most 13 integer digits and 2 decimals) within 3 + 10 + 15 = 28 significant
digits: exact in a 28-digit decimal context, so it is rounded once, to the fen, and nowhere else. A product
above the money cap is still an error (see ``AmountRange.scale``), never a clamped value."""

MAX_RATIO_DECIMALS = 10
"""The most decimals a ratio may have (see :data:`MAX_RATIO`); no stated ratio has more than two."""


def ratio_error(ratio: object, field: str = "ratio") -> ValueProblem | None:
    """What is wrong with ``ratio`` as a matching ratio (a ``Decimal`` in ``[0, MAX_RATIO]``, at most
    ``MAX_RATIO_DECIMALS`` decimals), as the problem of ``field``; None when nothing is."""
    if not isinstance(ratio, Decimal) or not ratio.is_finite():
        problem = "{value} is not a finite decimal number"
        return ValueProblem.coded(field, "error.parameter.ratio.not_finite", problem, value=repr(ratio)[:40])
    _, digits, exponent = ratio.as_tuple()
    shown = str(ratio) if len(digits) <= 40 else f"a number of {len(digits)} digits"
    if ratio < 0 or ratio > MAX_RATIO:
        problem = "{value} is outside [0, {most}]: a matching ratio is a small non-negative multiple of the grant"
        return ValueProblem.coded(field, "error.parameter.ratio.outside", problem, value=shown, most=MAX_RATIO)
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))  # exact: no context rounding
    if isinstance(exponent, int) and -(exponent + zeros) > MAX_RATIO_DECIMALS and any(digits):
        problem = "{value} has more than {most} decimals"
        most = MAX_RATIO_DECIMALS
        return ValueProblem.coded(field, "error.parameter.ratio.decimals", problem, value=shown, most=most)
    return None


def ratio_problem(ratio: object) -> str | None:
    """What is wrong with ``ratio`` as a matching ratio, in English (:func:`ratio_error`), or None."""
    wrong = ratio_error(ratio)
    return None if wrong is None else wrong.problem


@dataclass(frozen=True, slots=True)
class DatedValue:
    """One value of a parameter, with its dates (or batch year) and the citation ids it rests on."""

    kind: ValueKind
    value: ParamValue
    start: dt.date | None
    end: dt.date | None
    batch: int | None
    cites: tuple[str, ...]
    note: str | None
    _use: ParameterUse | None = None
    note_zh: str | None = None  # the note in Chinese (the data's note_zh); None when none is given

    @property
    def use(self) -> ParameterUse:
        """The record a result keeps of reading this value (built when the data loads)."""
        if self._use is None:  # pragma: no cover - parse_parameter always sets it
            raise AttributeError("a DatedValue outside a Parameter has no use record")
        return self._use

    def applies_on(self, day: dt.date) -> bool:
        return in_period(day, self.start, self.end)

    def render(self) -> str:
        """The value as text for explanations: ``'50000.00-100000.00 (50000.00/80000.00/100000.00)'``."""
        v = self.value
        if isinstance(v, AmountRange):
            text = f"{v.low}-{'' if v.high is None else v.high}" if not v.is_exact else str(v.low)
            if v.high is None:
                text = f">= {v.low}"
            if v.allowed is not None:
                text += " (" + "/".join(str(a) for a in v.allowed) + ")"
            return text
        if isinstance(v, Ratio):
            return f"{'exactly' if v.exact else 'at least'} {v.value}:1"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, Choice):
            return f"{v.value} (of {', '.join(v.options)})"
        if isinstance(v, tuple):
            return "; ".join(f"{b.min}-{'' if b.max is None else b.max}: {b.amount}" for b in v)
        return "not stated in the sources"

    def period(self) -> str:
        if self.batch is not None:
            return f"batch {self.batch}"
        return period_text(self.start, self.end, "…", "open") or "dates not stated"


@dataclass(frozen=True, slots=True)
class Parameter:
    """A named parameter with its values, sorted by start date or batch year."""

    name: str
    description: str
    values: tuple[DatedValue, ...]
    description_zh: str | None = None  # the description in Chinese (the data's description_zh), if given

    def __post_init__(self) -> None:
        check_order(f"parameters.{self.name}", self.values)

    @property
    def by_batch(self) -> bool:
        return bool(self.values) and self.values[0].batch is not None

    def value_on(self, day: dt.date) -> DatedValue | None:
        """The value in force on ``day``, or None when no value covers it."""
        for value in self.values:
            if value.batch is None and value.applies_on(day):
                return value
        return None

    def value_for_batch(self, batch: int) -> DatedValue | None:
        """The value of batch year ``batch``, or None when the sources have none for it."""
        return next((v for v in self.values if v.batch == batch), None)

    @property
    def batches(self) -> tuple[int, ...]:
        return tuple(v.batch for v in self.values if v.batch is not None)


class ParameterUse(BaseModel):
    """A record, in a result, of one parameter value a rule read."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    value: str
    period: str
    citations: tuple[str, ...]
    """Ids of the citations (``<source>.<clause>``) the value rests on; the full citations are on the entry."""
    what_if: bool = False
    """True when the value comes from a reform overlay, not from the law."""


# -- parsing from TOML data -----------------------------------------------------------------------------


_VALUE_KEYS = frozenset(
    {"kind", "start", "end", "batch", "cite", "note", "low", "high", "allowed", "ratio", "exact", "count"}
    | {"brackets", "choice", "options"}
)
_KINDS = "range, ratio, count, brackets, choice, not_stated"


def parse_value(raw: Mapping[str, object], where: str, known_cites: frozenset[str] | None) -> DatedValue:
    """Parse one value table of a parameter; raise :class:`ValueProblem` (a :class:`PolicyDataError`) naming
    ``where`` or the key at fault below it.

    ``known_cites`` is the set of citation ids a value may cite; ``None`` (a reform's what-if value) makes
    ``cite`` optional, since a what-if rests on no clause.
    """
    unknown = set(raw) - _VALUE_KEYS
    if unknown:
        raise ValueProblem.coded(where, "error.parameter.keys", "unknown keys {keys}", keys=sorted(unknown))
    kind = raw.get("kind")
    cites_raw = raw.get("cite", [] if known_cites is None else None)
    if not isinstance(cites_raw, list) or not all(isinstance(c, str) for c in cites_raw):
        problem = "{key} must be a list of citation ids"
        raise ValueProblem.coded(where, "error.parameter.cite", problem, key="cite")
    if known_cites is not None and not cites_raw:
        problem = "every value needs {key} = [citation ids]"
        raise ValueProblem.coded(where, "error.parameter.cite_needed", problem, key="cite")
    cites = tuple(str(c) for c in cites_raw)
    for c in cites:
        if known_cites is not None and c not in known_cites:
            raise ValueProblem.coded(where, "error.parameter.cite_unknown", "cites unknown citation {id}", id=repr(c))
    value: ParamValue
    if kind == "range":
        value = amount_range(raw, where)
    elif kind == "ratio":
        ratio = ratio_number(raw, where)
        wrong = ratio_error(ratio, f"{where}.ratio")
        if wrong is not None:
            raise wrong
        value = Ratio(ratio, exact(raw, where))
    elif kind == "count":
        count = raw.get("count")
        if not whole(count):
            raise ValueProblem.coded(f"{where}.count", "error.parameter.count", "a whole number, 0 or more")
        value = count
    elif kind == "brackets":
        value = tuple(Bracket(*row) for row in bracket_rows(raw, where))
    elif kind == "choice":
        value = Choice(*choice_of(raw, where))
    elif kind == "not_stated":
        value = None
    else:
        problem = "{value} is not one of {kinds}"
        raise ValueProblem.coded(f"{where}.kind", "error.parameter.kind", problem, value=repr(kind), kinds=_KINDS)
    start = date(raw.get("start"), f"{where}.start")
    end = date(raw.get("end"), f"{where}.end")
    if start is not None and end is not None and end < start:
        problem = "end {end} is before start {start}"
        raise ValueProblem.coded(where, "error.parameter.end_before_start", problem, end=end, start=start)
    batch = raw.get("batch")
    if batch is not None and (not isinstance(batch, int) or isinstance(batch, bool)):
        raise ValueProblem.coded(f"{where}.batch", "error.parameter.batch", "a year")
    if batch is not None and (start is not None or end is not None):
        problem = "a value is keyed by batch or by dates, not both"
        raise ValueProblem.coded(where, "error.parameter.batch_or_dates", problem)
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        raise ValueProblem.coded(f"{where}.note", "error.parameter.note", "text")
    return DatedValue(kind, value, start, end, batch, cites, note)


def parse_parameter(name: str, raw: Mapping[str, object], known_cites: frozenset[str]) -> Parameter:
    """Parse a parameter table; check its values are all batch-keyed or all dated, ordered, not overlapping."""
    description = raw.get("description")
    if not isinstance(description, str) or not description:
        raise PolicyDataError(f"parameters.{name}: needs a description")
    raw_values = raw.get("values")
    if not isinstance(raw_values, list) or not raw_values:
        raise PolicyDataError(f"parameters.{name}: needs at least one [[...values]] entry")
    values = [
        parse_value(v, f"parameters.{name}.values[{i}]", known_cites)
        for i, v in enumerate(raw_values)
        if isinstance(v, dict)
    ]
    if len(values) != len(raw_values):
        raise PolicyDataError(f"parameters.{name}.values: every entry is a table")
    with_uses = tuple(
        dataclasses.replace(v, _use=ParameterUse(name=name, value=v.render(), period=v.period(), citations=v.cites))
        for v in values
    )
    return Parameter(name, description, with_uses)


def check_order(where: str, values: tuple[DatedValue, ...] | list[DatedValue]) -> None:
    """Check a parameter's values are all batch-keyed or all dated, in order, without overlap (one value per
    day or batch: otherwise the first would silently win); raise :class:`PolicyDataError` naming ``where``."""
    if len({v.batch is not None for v in values}) > 1:
        raise PolicyDataError(f"{where}: mixes batch-keyed and dated values")
    if values and values[0].batch is not None:
        years = [v.batch for v in values]
        if years != sorted({y for y in years if y is not None}):
            raise PolicyDataError(f"{where}: batch years must be increasing and unique")
        return
    for before, after in itertools.pairwise(values):
        if before.end is None or after.start is None or after.start <= before.end:
            raise PolicyDataError(
                f"{where}: values must be in date order without overlap ({before.period()} then {after.period()})"
            )
