"""Many facilities, one day: row streaming with exactly the results of :func:`tuoyu_rules.assess`.

Each row is validated as a :class:`~tuoyu_rules.Facility` and its result found in (or added to) a
:class:`~tuoyu_rules.batch.RuleCache`. Outputs, chosen with ``output=``:

``"assessment"`` (default)
    a :class:`~tuoyu_rules.Assessment` equal to ``tr.assess(facility, on=on, ...)``.
``"ndjson"``
    one line of JSON text, the same data as ``Assessment.model_dump_json()`` (streams to a file).
``"fen"``
    a tuple of :class:`~tuoyu_rules.batch.FenEntry`: each entitlement and obligation's payer, basis, status,
    bounds, children and total in integer fen, exact; :func:`~tuoyu_rules.batch.totals_fen` and
    :func:`~tuoyu_rules.batch.merge_totals` sum their totals by payer and basis, exactly, in any order
    (:mod:`tuoyu_rules.batch.fen`).

:func:`tally` sums the ``"fen"`` results without building one per row. Memory stays flat: rows stream through.
Tallies add totals, never rates: a per-child-month entry counts as its monthly sum (rate times the children its
rule counts) under ``per_month``, with the children in :attr:`~tuoyu_rules.batch.FenTotal.children`.

``cache=`` shares a :class:`~tuoyu_rules.batch.RuleCache` between calls; its options (day, jurisdiction,
rounding, reform, pins) must be the call's, or the call raises :class:`~tuoyu_rules.InvalidInput` naming the
option that differs.

``progress=`` (:data:`Progress`) is a function called with the number of rows done so far: every
:data:`PROGRESS_EVERY` rows (a count, never a clock: the library reads no time) and once more when the rows are
all read, with their number (:func:`with_progress`). It sees counts only and cannot change a result; a lazy
iterator calls it as it is consumed, and not at the end if it is left unfinished or stopped by an error.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import ValidationError

from ..core.error_text import error_explanations
from ..core.errors import InvalidData, InvalidInput, TuoyuError, WrongType
from ..core.jsonio import loads
from ..core.models import Facility, facility_key
from ..core.money import DEFAULT_ROUNDING, in_money_context
from ..io.portfolio import Source, is_portfolio_source, portfolio_rows
from ..io.readers import Row as ReaderRow
from .cache import RowInput, RuleCache, _cache_for
from .fen import RowError, Totals, _counted_totals

if TYPE_CHECKING:
    from .trie import _Leaf

Output = Literal["assessment", "ndjson", "fen"]
OnError = Literal["raise", "yield"]

Progress = Callable[[int], object]
"""A progress callback: called with the number of rows (or other items) done so far; what it returns is ignored."""

PROGRESS_EVERY = 1000
"""A ``progress=`` callback is called every this many rows, and once when the rows are all read."""

_T = TypeVar("_T")


def with_progress(items: Iterable[_T], progress: Progress | None, every: int = PROGRESS_EVERY) -> Iterable[_T]:
    """``items``, calling ``progress(done)`` after every ``every`` items are done (the consumer asked for the next
    one) and once more at the end with their number (0 for none), unless that number was just reported;
    ``items`` itself when ``progress`` is None."""
    if progress is None:
        return items
    if not callable(progress):
        raise WrongType.coded(
            "progress",
            "error.batch.progress",
            "a function of the number of rows done, not a {type}",
            type=type(progress).__name__,
        )
    return _reporting(items, progress, every)


def _reporting(items: Iterable[_T], progress: Progress, every: int) -> Iterator[_T]:
    done = 0
    for item in items:
        yield item
        done += 1
        if done % every == 0:
            progress(done)
    if done == 0 or done % every:
        progress(done)


class TallyError(InvalidInput):
    """A row :func:`tally` could not validate or assess: ``index`` is its position in the rows given (from 0,
    as ``rows[index]``), ``problem`` what is wrong; the original error is its ``__cause__``. A row of a file is
    named by its line instead (``line``: the line its record starts on, the CSV header being line 1).

    ``code`` and ``params`` are those of the original error's (first) problem, so
    :func:`~tuoyu_rules.core.error_text.error_text` says it in either language, after the row."""

    def __init__(
        self,
        index: int,
        problem: str,
        line: int | None = None,
        code: str | None = None,
        params: Mapping[str, str] | None = None,
    ) -> None:
        self.index = index
        self.line = line
        super().__init__(f"rows[{index}]" if line is None else f"line {line}", problem, code, params)

    def __reduce__(self) -> tuple[Any, ...]:  # pickles: (index, problem, line, ...), not InvalidInput's (field, ...)
        return type(self), (self.index, self.problem, self.line, self.code, dict(self.params))


def row_key(row: RowInput) -> str | None:
    """A row's own key (``Facility.id``, or the ``id`` of its data) when it has a valid one, for its error report."""
    if isinstance(row, Facility):
        return row.id
    data: Any = row
    if isinstance(row, str | bytes):
        try:
            data = loads(row, field="row")
        except TuoyuError:
            return None
    return facility_key(data.get("id")) if isinstance(data, Mapping) else None


def _iterable(rows: Iterable[RowInput] | Source) -> Iterable[RowInput]:
    """``rows`` if it is an iterable of rows; the rows of a portfolio given whole (a CSV or JSON Lines path or
    stream, a pandas DataFrame: :func:`tuoyu_rules.io.portfolio.portfolio_rows`, each a reader's row numbered as
    the user counts it); else :class:`~tuoyu_rules.core.errors.WrongType` naming ``rows``."""
    if is_portfolio_source(rows):
        return portfolio_rows(rows)
    if not isinstance(rows, Iterable) or isinstance(rows, str | bytes | Mapping):
        problem = (
            "an iterable of rows (mappings, JSON texts, Facilities), a CSV or JSON Lines path, or a DataFrame, "
            "not {type}"
        )
        raise WrongType.coded("rows", "error.batch.rows", problem, type=type(rows).__name__)
    return rows


def _problem(exc: Exception) -> str:
    """An error as one short line: a validation error's fields and messages, else its text."""
    if isinstance(exc, ValidationError):
        parts = [
            f"{'.'.join(str(p) for p in e['loc']) or 'facility'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors(include_url=False)
        ]
        return "; ".join(parts)
    return str(exc).replace("\r", " ").replace("\n", " ")


_UNCODED = frozenset({"error.invalid", "error.other", "error.policy_data", "error.plugin", "error.not_found"})
"""The codes of an error with no code of its own (its English text their one parameter)."""


def _coded(exc: Exception) -> tuple[str | None, dict[str, str]]:
    """The code and parameters of ``exc``'s first problem (the field at fault aside: the row is named instead);
    none when it has no code of its own (the row's error is then told by its whole English text)."""
    first = error_explanations(exc)[0]
    if first.code in _UNCODED:
        return None, {}
    return first.code, {name: value for name, value in first.params.items() if name != "field"}


@in_money_context
def assess_many(
    rows: Iterable[RowInput] | Source,
    *,
    on: dt.date,
    jurisdiction: str | None = None,
    rounding: str = DEFAULT_ROUNDING,
    output: Output = "assessment",
    on_error: OnError = "raise",
    cache: RuleCache | None = None,
    max_leaves: int = 100_000,
    progress: Progress | None = None,
    **assess_options: Any,
) -> Iterator[Any]:
    """Assess each row (JSON data or text, or a :class:`~tuoyu_rules.Facility`) on ``on``, lazily, in order.

    Each result equals what :func:`~tuoyu_rules.assess` gives the same facility with the same options
    (``output`` chooses its form: ``"assessment"``, ``"ndjson"`` or ``"fen"``). A row that fails validation
    or assessment raises (``on_error="raise"``) or yields a :class:`~tuoyu_rules.batch.RowError` in its place
    (``on_error="yield"``). Pass ``cache`` to share remembered results between calls with the same options,
    and ``progress`` to be told the rows done as they are consumed (see the module docs).

    >>> import datetime as dt
    >>> rows = [{"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": n, "enrolled": 0}
    ...         for n in (10, 20)]
    >>> [e.low for r in assess_many(rows, on=dt.date(2024, 1, 1), output="fen") for e in r][:2]
    [5000000, 1500000]
    """
    if output not in ("assessment", "ndjson", "fen"):
        problem = "output must be {choices} or {last}, not {value}"
        raise InvalidInput.coded(
            "output", "error.batch.output", problem, choices="'assessment', 'ndjson'", last="'fen'", value=repr(output)
        )
    if on_error not in ("raise", "yield"):
        problem = "on_error must be {first} or {second}, not {value}"
        raise InvalidInput.coded(
            "on_error", "error.batch.on_error", problem, first="'raise'", second="'yield'", value=repr(on_error)
        )
    rc = _cache_for(
        cache, on=on, jurisdiction=jurisdiction, rounding=rounding, max_leaves=max_leaves, assess_options=assess_options
    )
    produce: Callable[[Facility], Any] = {"assessment": rc.assessment, "ndjson": rc.ndjson, "fen": rc.fen}[output]
    validate = rc.facility
    for index, row in enumerate(with_progress(_iterable(rows), progress)):
        if on_error == "raise":
            try:
                yield produce(validate(row))
            except ValidationError as exc:  # a TuoyuError too, and still a ValidationError
                raise InvalidData.of(exc) from exc
            continue
        try:
            yield produce(validate(row))
        except (ValidationError, TuoyuError, ValueError) as exc:
            yield RowError(index, f"{type(exc).__name__}: {exc}", row_key(row))


def assess_partition(
    rows: Iterable[RowInput] | Source,
    *,
    on: dt.date,
    jurisdiction: str | None = None,
    output: Output = "fen",
    **options: Any,
) -> list[Any]:
    """:func:`assess_many` of one partition, as a list: for ``dask.bag.Bag.map_partitions`` and process pools.

    Pure and picklable (module-level, plain arguments); each partition keeps its own cache.
    """
    return list(assess_many(rows, on=on, jurisdiction=jurisdiction, output=output, **options))


@in_money_context
def tally(
    rows: Iterable[RowInput] | Source,
    *,
    on: dt.date,
    jurisdiction: str | None = None,
    rounding: str = DEFAULT_ROUNDING,
    cache: RuleCache | None = None,
    max_leaves: int = 100_000,
    progress: Progress | None = None,
    **assess_options: Any,
) -> Totals:
    """The :func:`~tuoyu_rules.batch.totals_fen` of every row's ``"fen"`` result, without building a result per row.

    Each row is validated and walks the trie as in :func:`assess_many`; only a count per stored result is
    kept, and each distinct result's sums are multiplied by its count at the end (exact integers). The first
    row that cannot be validated or assessed raises :class:`TallyError` naming it (``rows[index]``, from 0)
    and its problem. The fastest way to a budget over millions of facility-years. ``progress``: a function
    called with the rows done so far, every :data:`PROGRESS_EVERY` rows and once at the end (the module docs).
    """
    rc = _cache_for(
        cache, on=on, jurisdiction=jurisdiction, rounding=rounding, max_leaves=max_leaves, assess_options=assess_options
    )
    counts: dict[_Leaf, int] = {}
    leaf, validate = rc.leaf, rc.facility
    from_file = isinstance(rows, str | os.PathLike) or hasattr(rows, "read")  # its rows are named by their line
    for index, row in enumerate(with_progress(_iterable(rows), progress)):
        try:
            found = leaf(validate(row))
        except (ValidationError, TuoyuError, ValueError) as exc:
            line = row.number if from_file and isinstance(row, ReaderRow) else None
            raise TallyError(index, _problem(exc), line, *_coded(exc)) from exc
        counts[found] = counts.get(found, 0) + 1
    return _counted_totals((found.fen, n) for found, n in counts.items())
