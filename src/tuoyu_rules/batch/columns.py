"""Facilities as columns, one day: totals exactly those of :func:`tuoyu_rules.assess`, at column speed.

A *chunk* is a mapping of :class:`~tuoyu_rules.Facility` field names to equal-length columns; row ``i`` of a
chunk stands for the JSON data ``{name: column[i] for name in chunk}`` (:func:`rows_of` spells it out). A
column is a list (or any sequence) of JSON values, a numpy array (integers and booleans are read without a
Python loop), or a :class:`Coded` column (dictionary-encoded: codes into a list of distinct values, as an
Arrow dictionary array or an OpenFisca enum array holds them; :func:`coded` builds one).

Nothing here restates a rule or a validation:

* **validation** is ``Facility``'s own, per distinct value of a column (:mod:`~tuoyu_rules.batch.checker`):
  each field's values go through a ``TypeAdapter`` of that field's own annotation and metadata
  (``Facility.model_fields``: its type, bounds and own validators), one call per column; the cross-field
  relations are read from :data:`tuoyu_rules.core.models.CROSS_FIELD_LIMITS`, the table ``Facility``'s
  validator itself reads, and checked over whole columns. A row the checker refuses is reported with the errors
  ``Facility.model_validate`` gives that row (row number, field, message);
* **amounts** come only from :func:`tuoyu_rules.assess`: the rows of a chunk are grouped by the codes of
  every field the stored runs of a :class:`~tuoyu_rules.batch.RuleCache` read, and each group walks the
  cache's decision trie once (rows that agree on every field the trie reads reach the same result). A group
  that reaches no stored result sends one of its rows, validated by ``Facility`` itself, to the engine; if
  that run read a field outside the grouping, the rest of the group is grouped again. (Where the grouping
  would give groups of a row or two, or a run read the facility whole, the rows walk the trie node by node
  instead, grouped at each node.) Each stored result's integer fen is multiplied by its row count
  (:mod:`~tuoyu_rules.batch.walk`); the sums are the entries' totals, as :func:`~tuoyu_rules.batch.totals_fen`
  adds them (a per-child-month entry's monthly sum, never its rate).

numpy is optional: ``backend="numpy"`` needs it (``pip install numpy``), ``backend="python"`` is the same
algorithm over lists, ``"auto"`` uses numpy when it is installed (:mod:`~tuoyu_rules.batch.backends`). No float
touches an amount. This module is the public entry: :func:`tally_columns`, :func:`check_columns`,
:func:`problems_of`, :func:`rows_of`, :func:`coded`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from pydantic import ValidationError

from ..core.error_text import error_explanations
from ..core.errors import InvalidInput, TuoyuError, WrongType, fill
from ..core.messages import Explanation
from ..core.money import DEFAULT_ROUNDING, in_money_context
from .backends import Backend, Coded, _backend, _Python, coded
from .cache import RuleCache, _cache_for
from .checker import _Chunk, _length
from .fen import Totals, _counted_totals
from .walk import _count, _Counts

__all__ = [
    "Backend",
    "Coded",
    "ColumnRowError",
    "OnError",
    "RowProblem",
    "check_columns",
    "coded",
    "problems_of",
    "rows_of",
    "tally_columns",
]

OnError = Literal["raise", "skip"]


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One error of a refused row, as ``Facility.model_validate`` reports it for that row."""

    row: int
    field: str
    message: str
    explanation: Explanation | None = dataclasses.field(default=None, compare=False, repr=False)
    """The problem as data (code, params, ``zh`` and ``en``), when it came from a validation."""


class ColumnRowError(TuoyuError, ValueError):
    """A row of the columns is not a valid Facility (``on_error="raise"``): the first one, with its errors (a
    :class:`~tuoyu_rules.TuoyuError`, and a ``ValueError`` as before). Its code, ``error.batch.column_row``, has
    the row and the problems (as ``Facility.model_validate`` words them) as parameters; in Chinese each problem is
    told from its own code."""

    def __init__(self, row: int, problems: list[RowProblem]) -> None:
        self.row = row
        self.problems = problems
        self.code = "error.batch.column_row"
        self.params = MappingProxyType(
            {"row": str(row), "problems": "; ".join(f"{p.field}: {p.message}" for p in problems)}
        )
        told = tuple(p.explanation for p in problems if p.explanation is not None)
        if len(told) == len(problems):
            self.param_problems = MappingProxyType({"problems": told})
        super().__init__(fill("row {row} is not a valid Facility: {problems}", self.params))

    def __reduce__(self) -> tuple[Any, ...]:  # pickles (a process pool sends it back): (row, problems), not args
        return type(self), (self.row, list(self.problems))


def rows_of(chunk: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The JSON rows a chunk stands for: row ``i`` is ``{name: column[i]}`` (numpy scalars as Python values)."""
    be = _Python()
    n = _length(chunk, be)
    cols = {name: be.encode(col) for name, col in chunk.items()}
    for i in range(n):
        yield {name: col.raw[col.codes[i]] for name, col in cols.items()}


def check_columns(chunk: Mapping[str, Any], *, backend: Backend = "auto") -> dict[int, frozenset[str]]:
    """The column checker's verdict: each refused row (index in the chunk) and the fields it is refused on.

    Equal, row by row, to the fields of the errors ``Facility.model_validate`` raises on :func:`rows_of`.
    """
    return _Chunk(_mapping(chunk, "chunk"), _backend(backend)).verdict()


def _mapping(chunk: object, where: str) -> Mapping[str, Any]:
    """``chunk`` if it is a mapping of column name to column (:class:`~tuoyu_rules.core.errors.WrongType` if not)."""
    if not isinstance(chunk, Mapping):
        problem = "a mapping of column name to column, not a {type}"
        raise WrongType.coded(where, "error.batch.chunk", problem, type=type(chunk).__name__)
    return chunk


def problems_of(chunk: Mapping[str, Any], row: int, offset: int = 0) -> list[RowProblem]:
    """``Facility.model_validate``'s errors for row ``row`` of ``chunk`` (empty if the row is valid)."""
    return _problems(_Chunk(chunk, _Python()), row, offset)


def _problems(ch: _Chunk, row: int, offset: int) -> list[RowProblem]:
    try:
        ch.facility(row)
    except ValidationError as exc:
        told = error_explanations(exc)
        return [
            RowProblem(offset + row, ".".join(str(p) for p in e["loc"]), e["msg"], told[i] if i < len(told) else None)
            for i, e in enumerate(exc.errors())
        ]
    return []


@in_money_context
def tally_columns(
    chunks: Mapping[str, Any] | Iterable[Mapping[str, Any]],
    *,
    on: dt.date,
    jurisdiction: str | None = None,
    rounding: str = DEFAULT_ROUNDING,
    cache: RuleCache | None = None,
    on_error: OnError = "raise",
    problems: list[RowProblem] | None = None,
    backend: Backend = "auto",
    max_leaves: int = 100_000,
    **assess_options: Any,
) -> Totals:
    """Totals by (payer, basis) in integer fen of every row of ``chunks`` (one chunk, or an iterable of them).

    Equal to :func:`tuoyu_rules.batch.tally` of the same rows (and so to summing ``tr.assess`` over them).
    A refused row raises :class:`ColumnRowError` (``on_error="raise"``: the first one, row numbers counted
    across chunks, with ``Facility.model_validate``'s errors) or is skipped and its errors appended to
    ``problems`` (``on_error="skip"``). Chunks stream: memory is one chunk's columns plus the cache.
    """
    if on_error not in ("raise", "skip"):
        problem = "on_error must be {first} or {second}, not {value}"
        raise InvalidInput.coded(
            "on_error", "error.batch.on_error", problem, first="'raise'", second="'skip'", value=repr(on_error)
        )
    be = _backend(backend)
    rc = _cache_for(
        cache, on=on, jurisdiction=jurisdiction, rounding=rounding, max_leaves=max_leaves, assess_options=assess_options
    )
    if isinstance(chunks, Mapping):
        chunks = [chunks]
    elif not isinstance(chunks, Iterable) or isinstance(chunks, str | bytes):
        problem = "a mapping of columns or an iterable of them, not a {type}"
        raise WrongType.coded("chunks", "error.batch.chunks", problem, type=type(chunks).__name__)
    counts = _Counts()
    offset = 0
    for index, chunk in enumerate(chunks):
        ch = _Chunk(_mapping(chunk, f"chunks[{index}]"), be)
        if ch.refused:
            for i in ch.verdict():
                found = _problems(ch, i, offset)
                if not found:  # pragma: no cover - the checker and Facility disagree: a bug, never hidden
                    raise RuntimeError(f"row {offset + i}: the column checker refused a row Facility accepts")
                if on_error == "raise":
                    raise ColumnRowError(offset + i, found)
                if problems is not None:
                    problems.extend(found)
        _count(ch, rc, counts)
        offset += ch.n
    return _totals(counts)


def _totals(counts: _Counts) -> Totals:
    """The totals of the rows counted: a result with counts handed through is checked at the rows' largest numbers
    (where the engine's own total would raise, so does this) and summed with the sums of their numbers."""
    per_child = []
    for leaf, sums in counts.sums.items():
        leaf.at(tuple(top for _, top in sums))
        summed = {index: total for (index, _), (total, _) in zip(leaf.scaled, sums, strict=True)}
        per_child.append((leaf.fen, counts.rows[leaf], summed))
    plain = ((leaf.fen, n) for leaf, n in counts.rows.items() if leaf not in counts.sums)
    return _counted_totals(plain, per_child)
