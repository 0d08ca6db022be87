"""Portfolio budgets: many facilities, totals by payer and by programme, baseline and reforms side by side.

:func:`budget` takes any iterable of facilities (a list, or a generator reading a file row by row) and
assesses each one once per *scenario*: the law as it stands (the baseline) and each
:class:`~tuoyu_rules.Reform` given. It keeps running sums only, so its memory is flat in the number of
facilities. For each scenario it reports:

* totals by payer and basis (:class:`~tuoyu_rules.PayerTotal`): eligible amounts summed as ranges (a
  bound with no upper limit keeps the total open above), undetermined entries counted apart, never as 0;
* totals by programme (:class:`ProgramTotal`): the sum, and how many facilities were eligible, ineligible
  or undetermined, with the facts that would decide the open ones (:class:`OpenReason`);
* the facilities counted.

Amounts are never mixed across bases: a one-time amount, a yearly amount and a monthly rate are different
things (see :mod:`tuoyu_rules.projection` to turn them into money over a period). With ``strategy=`` each
facility's ranges are pinned first (:func:`tuoyu_rules.whatif.pin`), giving point figures where the sources
allow and leaving the rest open.

Reading input (the I/O layer; the calculation above stays pure): :func:`read_jsonl` and :func:`read_csv`
take an open text stream and yield one :class:`Row` per record, lazily. CSV columns:

=====================  ==========================================================================
column                 value
=====================  ==========================================================================
``jurisdiction``       city or district id (required)
``mode``               one of the seven modes (required)
``places``             whole number (required)
``enrolled``           whole number (required)
``self_built``         ``true`` / ``false`` (empty: false)
``embedded``           ``true`` / ``false`` (empty: false)
``designations``       ``;``-separated ``program:year[:amount]``, e.g.
                       ``cn.caring_employer:2022;weifang.caring_employer:2023:40000``
``name``               free text
``full_day``,          ``true`` / ``false``; empty = not supplied
``staff_puhui_fees``,
``registered``,
``filed``,
``union_dues_paid``,
``alliance_member``
``first_intake``,      whole number; empty = not supplied
``full_day_enrolled``,
``staff_children``
``classes``            ``;``-separated class sizes, e.g. ``8;14``; empty = not supplied
=====================  ==========================================================================

Booleans are exactly ``true`` or ``false`` (any case); whole numbers are digits only (no sign, no
decimals, no spaces inside); amounts are read as text and parsed as exact ``Decimal`` (never float). An
unknown column is an error. JSON Lines rows are the same objects ``Facility.model_validate`` accepts, one
per line; numbers with a fraction are read as ``Decimal``.

Bad rows: by default (``errors="raise"``) the first bad row raises :class:`RowError`, naming the row
number (the CSV header is row 1; a JSON Lines file counts lines from 1) and the field. With
``errors="collect"`` bad rows are skipped and reported in :attr:`Budget.errors` (the first
:data:`MAX_KEPT_ERRORS`, and :attr:`Budget.error_count` in all), so a long file with a few bad rows still
gives a budget that says exactly what it left out.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, NoReturn

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..core.amounts import AmountRange
from ..core.errors import InvalidInput
from ..core.models import Facility
from ..core.money import DEFAULT_ROUNDING, check_rounding
from ..core.policy import Basis
from ..core.reforms import Reform
from ..core.results import Assessment, PayerTotal

MAX_KEPT_ERRORS = 100
"""With ``errors="collect"``, at most this many row errors are kept (all are counted)."""

ErrorPolicy = Literal["raise", "collect"]

__all__ = [
    "CSV_COLUMNS",
    "MAX_KEPT_ERRORS",
    "Budget",
    "OpenReason",
    "ProgramTotal",
    "Row",
    "RowError",
    "RowProblem",
    "ScenarioBudget",
    "budget",
    "portfolio_budget",
    "read_csv",
    "read_jsonl",
]


# -- results ---------------------------------------------------------------------------------------------


class OpenReason(BaseModel):
    """Why some entries of a programme are undetermined: the fact that would decide them, and how many."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reason: str
    """A missing fact (``designations[chengdu.demonstration_site].amount``), or the rule's reason when none."""
    count: int = Field(ge=0)


class ProgramTotal(BaseModel):
    """One programme (or obligation) over the portfolio: the eligible sum and the status counts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    program: str
    kind: Literal["entitlement", "obligation"]
    payer: str
    basis: Basis
    amount: AmountRange
    """The sum of the eligible amounts (undetermined entries are not in it: see ``undetermined``)."""
    eligible: int = Field(ge=0)
    ineligible: int = Field(ge=0)
    undetermined: int = Field(ge=0)
    open_reasons: tuple[OpenReason, ...] = ()


class ScenarioBudget(BaseModel):
    """The budget of one scenario: the baseline (``reform=None``) or one reform."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    reform: str | None
    facilities: int = Field(ge=0)
    by_payer: tuple[PayerTotal, ...]
    by_program: tuple[ProgramTotal, ...]

    def payer_total(self, payer: str, basis: str) -> PayerTotal | None:
        for t in self.by_payer:
            if t.payer == payer and t.basis == basis:
                return t
        return None

    def program_total(self, program: str, payer: str | None = None) -> ProgramTotal | None:
        """The total of ``program`` (of ``payer``, for a programme whose payer is the province above)."""
        for t in self.by_program:
            if t.program == program and (payer is None or t.payer == payer):
                return t
        return None

    @property
    def undetermined(self) -> int:
        """Undetermined entries in this scenario, over every programme."""
        return sum(t.undetermined for t in self.by_program)


class RowProblem(BaseModel):
    """A bad input row: its number, the field at fault and the problem."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.message}"


class RowError(InvalidInput):
    """A bad input row (raised with ``errors="raise"``); ``row`` is its number, ``field`` the field at fault."""

    def __init__(self, row: int, field: str, problem: str) -> None:
        self.row = row
        super().__init__(f"row {row}: {field}", problem)
        self.field = field

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.row, self.field, self.problem)


class Budget(BaseModel):
    """A portfolio budget: one :class:`ScenarioBudget` per scenario (baseline first), and the rows left out."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    on: dt.date
    rounding: str
    strategy: str | None
    """The pinning strategy applied to each facility, or None (ranges kept as ranges)."""
    scenarios: tuple[ScenarioBudget, ...]
    errors: tuple[RowProblem, ...] = ()
    error_count: int = 0

    @property
    def baseline(self) -> ScenarioBudget | None:
        for s in self.scenarios:
            if s.reform is None:
                return s
        return None

    def scenario(self, name: str) -> ScenarioBudget:
        for s in self.scenarios:
            if s.name == name:
                return s
        raise KeyError(f"no scenario {name!r}; present: {', '.join(s.name for s in self.scenarios)}")

    def side_by_side(self) -> list[dict[str, Any]]:
        """Rows ``payer, basis`` with each scenario's total and open count beside the others (for tables)."""
        keys: dict[tuple[str, str], None] = {}
        for s in self.scenarios:
            for pt in s.by_payer:
                keys[(pt.payer, pt.basis)] = None
        rows: list[dict[str, Any]] = []
        for payer, basis in sorted(keys):
            row: dict[str, Any] = {"payer": payer, "basis": basis}
            for s in self.scenarios:
                t = s.payer_total(payer, basis)
                row[s.name] = (AmountRange.zero(), 0) if t is None else (t.amount, t.undetermined)
            rows.append(row)
        return rows


# -- calculation (pure) ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Sum:
    low: Decimal = Decimal("0.00")
    high: Decimal | None = Decimal("0.00")
    undetermined: int = 0

    def add(self, amount: AmountRange) -> None:
        self.low += amount.low
        self.high = None if self.high is None or amount.high is None else self.high + amount.high

    def range(self) -> AmountRange:
        return AmountRange.model_construct(low=self.low, high=self.high, allowed=None)


@dataclass(slots=True)
class _ProgramSum:
    kind: Literal["entitlement", "obligation"]
    payer: str
    basis: Basis
    total: _Sum = field(default_factory=_Sum)
    eligible: int = 0
    ineligible: int = 0
    undetermined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class _Accumulator:
    """Running sums for one scenario: bounded by the number of payers and programmes, not of rows."""

    name: str
    reform: Reform | None
    facilities: int = 0
    payers: dict[tuple[str, str], _Sum] = field(default_factory=dict)
    programs: dict[tuple[str, str], _ProgramSum] = field(default_factory=dict)

    def add(self, a: Assessment) -> None:
        self.facilities += 1
        for kind, entries in (("entitlement", a.entitlements), ("obligation", a.obligations)):
            for e in entries:
                key = (e.payer, e.basis)
                psum = self.payers.setdefault(key, _Sum())
                pkey = (e.program, e.payer)  # a programme paid by "the province above" has one payer per province
                prog = self.programs.get(pkey)
                if prog is None:
                    prog = self.programs[pkey] = _ProgramSum(kind, e.payer, e.basis)  # type: ignore[arg-type]
                if e.status == "eligible":
                    psum.add(e.amount)
                    prog.total.add(e.amount)
                    prog.eligible += 1
                elif e.status == "undetermined":
                    psum.undetermined += 1
                    prog.undetermined += 1
                    for reason in e.missing or e.reasons[:1] or ("no reason given",):
                        prog.reasons[reason] = prog.reasons.get(reason, 0) + 1
                else:
                    prog.ineligible += 1

    def result(self) -> ScenarioBudget:
        by_payer = tuple(
            PayerTotal(payer=payer, basis=basis, amount=s.range(), undetermined=s.undetermined)
            for (payer, basis), s in sorted(self.payers.items())
        )
        by_program = tuple(
            ProgramTotal(
                program=pid,
                kind=p.kind,
                payer=p.payer,
                basis=p.basis,
                amount=p.total.range(),
                eligible=p.eligible,
                ineligible=p.ineligible,
                undetermined=p.undetermined,
                open_reasons=tuple(OpenReason(reason=r, count=n) for r, n in sorted(p.reasons.items())),
            )
            for (pid, _), p in sorted(self.programs.items())
        )
        return ScenarioBudget(
            name=self.name,
            reform=None if self.reform is None else self.reform.name,
            facilities=self.facilities,
            by_payer=by_payer,
            by_program=by_program,
        )


@dataclass(frozen=True, slots=True)
class Row:
    """One record read from a portfolio file: its number, and the facility or the problem with it."""

    number: int
    facility: Facility | None
    problem: RowProblem | None = None


def budget(
    facilities: Iterable[Facility | Row],
    *,
    on: dt.date,
    reforms: Sequence[Reform] = (),
    baseline: bool = True,
    rounding: str = DEFAULT_ROUNDING,
    strategy: str | None = None,
    errors: ErrorPolicy = "raise",
) -> Budget:
    """Sum the assessments of many facilities, under the law and each of ``reforms``, side by side.

    :param facilities: facilities, or :class:`Row` objects from :func:`read_csv` / :func:`read_jsonl`; read
        once, lazily (memory stays flat in the number of rows).
    :param reforms: what-if overlays; each gives one more scenario, named after the reform.
    :param baseline: include the law as it stands as the first scenario (named ``baseline``).
    :param strategy: pin each facility's ranges with ``low``/``mid``/``high`` first (see
        :func:`tuoyu_rules.whatif.pin`); ``None`` keeps ranges.
    :param errors: ``raise`` (default): a bad row raises :class:`RowError`; ``collect``: skip and report it.

    The totals of each scenario equal the sums of the individual assessments (a tested property).
    """
    check_rounding(rounding)
    if errors not in ("raise", "collect"):
        raise InvalidInput("errors", f"{errors!r}; use 'raise' or 'collect'")
    if isinstance(reforms, Reform):
        reforms = (reforms,)
    for i, r in enumerate(reforms):
        if not isinstance(r, Reform):
            raise InvalidInput(f"reforms[{i}]", f"expected a tuoyu_rules.Reform, got {type(r).__name__}")
    names = [r.name for r in reforms]
    if len(set(names)) != len(names) or "baseline" in names:
        raise InvalidInput("reforms", "each reform needs a distinct name, other than 'baseline'")
    if strategy is not None:
        from .pinning import check_strategy

        check_strategy(strategy)
    scenarios: list[_Accumulator] = []
    if baseline:
        scenarios.append(_Accumulator("baseline", None))
    scenarios += [_Accumulator(r.name, r) for r in reforms]
    if not scenarios:
        raise InvalidInput("reforms", "nothing to budget: baseline=False and no reform")
    kept: list[RowProblem] = []
    error_count = 0
    for n, item in enumerate(facilities, start=1):
        if isinstance(item, Row):
            if item.problem is not None:
                if errors == "raise":
                    raise RowError(item.problem.row, item.problem.field, item.problem.message)
                error_count += 1
                if len(kept) < MAX_KEPT_ERRORS:
                    kept.append(item.problem)
                continue
            facility = item.facility
            number = item.number
        else:
            facility = item
            number = n
        if not isinstance(facility, Facility):
            raise InvalidInput(f"facilities[{number}]", f"expected a tuoyu_rules.Facility, got {type(item).__name__}")
        for acc in scenarios:
            acc.add(_assess_one(facility, on, rounding, acc.reform, strategy))
    return Budget(
        on=on,
        rounding=rounding,
        strategy=strategy,
        scenarios=tuple(acc.result() for acc in scenarios),
        errors=tuple(kept),
        error_count=error_count,
    )


portfolio_budget = budget
"""The same function under a name that can be exported from the package: ``tuoyu_rules.budget`` is this
module, so a top-level function called ``budget`` would be shadowed by it once the module is imported."""


def _assess_one(
    facility: Facility, on: dt.date, rounding: str, reform: Reform | None, strategy: str | None
) -> Assessment:
    if strategy is None:
        from ..core.engine import assess

        return assess(facility, on=on, rounding=rounding, reform=reform)
    from .pinning import pin

    return pin(facility, on=on, strategy=strategy, rounding=rounding, reform=reform).assessment


# -- reading (I/O layer: takes open streams, yields rows lazily) ------------------------------------------

_BOOL_COLUMNS = (
    "self_built",
    "embedded",
    "full_day",
    "staff_puhui_fees",
    "registered",
    "filed",
    "union_dues_paid",
    "alliance_member",
)
_INT_COLUMNS = ("places", "enrolled", "first_intake", "full_day_enrolled", "staff_children")
_TEXT_COLUMNS = ("jurisdiction", "mode", "name")
CSV_COLUMNS: tuple[str, ...] = (
    "jurisdiction",
    "mode",
    "self_built",
    "places",
    "enrolled",
    "embedded",
    "designations",
    "name",
    "full_day",
    "first_intake",
    "staff_puhui_fees",
    "classes",
    "registered",
    "filed",
    "full_day_enrolled",
    "staff_children",
    "union_dues_paid",
    "alliance_member",
)
_REQUIRED = ("jurisdiction", "mode", "places", "enrolled")
_DIGITS = re.compile(r"[0-9]+\Z")


class _CellError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _bool(text: str, column: str) -> bool:
    low = text.strip().lower()
    if low == "true":
        return True
    if low == "false":
        return False
    raise _CellError(column, f"{text!r} is not true or false")


def _int(text: str, column: str) -> int:
    t = text.strip()
    if not _DIGITS.match(t):
        raise _CellError(column, f"{text!r} is not a whole number (digits only)")
    return int(t)


def _designations(text: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for i, part in enumerate(p.strip() for p in text.split(";")):
        if not part:
            continue
        bits = part.split(":")
        where = f"designations[{i}]"
        if len(bits) not in (2, 3) or not bits[0].strip():
            raise _CellError(where, f"{part!r} is not program:year or program:year:amount")
        d: dict[str, Any] = {"program": bits[0].strip(), "year": _int(bits[1], f"{where}.year")}
        if len(bits) == 3:
            d["amount"] = bits[2].strip()  # text: parsed as an exact Decimal by the model, never a float
        result.append(d)
    return result


def csv_row_data(record: dict[str, str | None]) -> dict[str, Any]:
    """Turn one CSV record (column -> text) into plain facility data; raise naming the column at fault."""
    data: dict[str, Any] = {}
    for column, raw in record.items():
        text = "" if raw is None else raw
        if column in _REQUIRED and not text.strip():
            raise _CellError(column, "required, and empty")
        if not text.strip():
            continue
        if column in _BOOL_COLUMNS:
            data[column] = _bool(text, column)
        elif column in _INT_COLUMNS:
            data[column] = _int(text, column)
        elif column in _TEXT_COLUMNS:
            data[column] = text.strip() if column != "name" else text
        elif column == "designations":
            data[column] = _designations(text)
        elif column == "classes":
            data[column] = [_int(c, f"classes[{i}]") for i, c in enumerate(text.split(";")) if c.strip()]
    return data


def read_csv(stream: Iterable[str]) -> Iterator[Row]:
    """Yield one :class:`Row` per CSV record (header row 1, first record row 2); see the module docs.

    A header with an unknown, duplicate or missing required column raises :class:`RowError` at once (row 1):
    no row can be read right without it. A record with a different number of cells is a row problem.
    """
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise RowError(1, "header", f"not CSV: {exc}") from None
    header = [h.strip() for h in header]
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0].removeprefix("\ufeff")
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        raise RowError(1, "header", f"unknown columns {unknown}; known: {', '.join(CSV_COLUMNS)}")
    if len(set(header)) != len(header):
        raise RowError(1, "header", "a column is given twice")
    absent = [c for c in _REQUIRED if c not in header]
    if absent:
        raise RowError(1, "header", f"required columns missing: {', '.join(absent)}")
    number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            number += 1
            yield Row(number, None, RowProblem(row=number, field="(row)", message=f"not CSV: {exc}"))
            continue
        number += 1
        if not any(c.strip() for c in cells):
            continue  # a blank line
        if len(cells) != len(header):
            yield Row(
                number,
                None,
                RowProblem(row=number, field="(row)", message=f"{len(cells)} cells, the header has {len(header)}"),
            )
            continue
        try:
            data = csv_row_data(dict(zip(header, cells, strict=True)))
            yield Row(number, Facility.model_validate(data))
        except _CellError as exc:
            yield Row(number, None, RowProblem(row=number, field=exc.field, message=exc.message))
        except ValidationError as exc:
            yield Row(number, None, _from_validation(number, exc))


def read_jsonl(stream: Iterable[str]) -> Iterator[Row]:
    """Yield one :class:`Row` per non-blank line of JSON Lines (line numbers from 1); decimals as ``Decimal``."""
    decoder = json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constant)  # one decoder for the file
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            data = decoder.decode(line)
        except json.JSONDecodeError as exc:
            yield Row(number, None, RowProblem(row=number, field="(line)", message=f"invalid JSON: {exc.msg}"))
            continue
        except ValueError as exc:
            yield Row(number, None, RowProblem(row=number, field="(line)", message=str(exc)))
            continue
        try:
            yield Row(number, Facility.model_validate(data))
        except ValidationError as exc:
            yield Row(number, None, _from_validation(number, exc))


def _no_constant(text: str) -> NoReturn:
    raise ValueError(f"JSON constant {text} is not allowed (amounts are exact numbers)")


def _from_validation(number: int, exc: ValidationError) -> RowProblem:
    errs = exc.errors(include_url=False)
    first = errs[0] if errs else {"loc": (), "msg": str(exc)}
    loc = ".".join(str(p) for p in first["loc"]) or "facility"
    message = str(first["msg"]).removeprefix("Value error, ")
    if len(errs) > 1:
        message += f" (and {len(errs) - 1} more problem{'s' if len(errs) > 2 else ''})"
    return RowProblem(row=number, field=loc, message=message)
