"""Many facilities, one day: streaming assessment with exactly the results of :func:`tuoyu_rules.assess`.

The rules are defined once, in the jurisdiction modules; this module never restates them. It makes a large
run fast by *remembering* what the engine did, keyed by exactly the facts the engine read:

* on a cache miss, a row is assessed by the real engine (:func:`tuoyu_rules.assess`) on a traced copy of its
  :class:`~tuoyu_rules.Facility` that records, in order, every field the engine and the rules read;
* the results (entitlements, obligations, notes) are stored at the end of that path in a decision trie: each
  node names the next field the engine read, each edge is one value of it;
* a later row walks the trie, reading only those fields. If it reaches a stored result, the engine would have
  read the same fields with the same values and, being pure (the contract of ``assess``: no clock, no I/O,
  the same input gives the same output), returned the same result; otherwise it is a miss and the trie grows.

So a Xiamen facility's result does not depend on its ``places`` (Xiamen's rules never read it) while a
Siming facility's does depend on ``staff_children`` (its allowance is counted per employee's child); nobody
has to declare which facts matter, and nothing is guessed. Every row is still validated as a ``Facility``.
Exceptions from the engine are never cached. Anything that reads a facility other than field by field
(``model_dump``, ``__dict__``) makes that result depend on every field.

Outputs, chosen with ``output=``:

``"assessment"`` (default)
    a :class:`~tuoyu_rules.Assessment` equal to ``tr.assess(facility, on=on, ...)``.
``"ndjson"``
    one line of JSON text, the same data as ``Assessment.model_dump_json()`` (streams to a file).
``"fen"``
    a tuple of :class:`FenEntry`: each entitlement and obligation's payer, basis, status and bounds in
    integer fen, exact; :func:`totals_fen` and :func:`merge_totals` sum them by payer and basis, exactly,
    in any order (a partition's totals merge with another's: Dask's ``map_partitions`` and ``reduction``).

Memory stays flat: rows stream through, and the trie is cleared when it holds ``max_leaves`` results.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from ..core.engine import assess
from ..core.errors import TuoyuError
from ..core.models import Designation, Facility
from ..core.money import DEFAULT_ROUNDING
from ..core.results import Assessment

Output = Literal["assessment", "ndjson", "fen"]
OnError = Literal["raise", "yield"]

_FIELDS: frozenset[str] = frozenset(Facility.model_fields)
_WHOLE = "*"
"""Pseudo-field: the run read the facility as a whole, so its result depends on every field."""
_WHOLE_READERS = frozenset(
    {
        "__dict__",
        "model_dump",
        "model_dump_json",
        "__iter__",
        "__getstate__",
        "__copy__",
        "__deepcopy__",
        "model_copy",
        "model_fields_set",
        "__pydantic_fields_set__",
    }
)
_TRACE: contextvars.ContextVar[list[tuple[str, Any]] | None] = contextvars.ContextVar("tuoyu_batch_trace", default=None)


class _TracedFacility(Facility):
    """A Facility that records each field the engine reads (first read of each field, in order)."""

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if name in _FIELDS or name in _WHOLE_READERS:
            log = _TRACE.get()
            if log is not None:
                log.append((name, value) if name in _FIELDS else (_WHOLE, None))
        return value


def _traced(facility: Facility) -> _TracedFacility:
    return _TracedFacility.model_construct(
        _fields_set=facility.model_fields_set, **{name: getattr(facility, name) for name in _FIELDS}
    )


@dataclass(frozen=True, slots=True)
class FenEntry:
    """One entitlement or obligation of a row, in integer fen (1 yuan = 100 fen), exact."""

    program: str
    kind: Literal["entitlement", "obligation"]
    payer: str
    basis: str
    status: str
    low: int
    high: int | None
    """``None``: no upper bound."""


@dataclass(frozen=True, slots=True)
class FenTotal:
    """Eligible amounts of one payer and basis summed in fen; undetermined entries counted apart, never as 0."""

    low: int
    high: int | None
    eligible: int
    undetermined: int


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be assessed (``on_error="yield"``): its index and the problem."""

    index: int
    error: str


def _fen(value: Decimal) -> int:
    fen = value.scaleb(2)
    if fen != fen.to_integral_value():  # pragma: no cover - amounts are always whole fen
        raise ValueError(f"{value} is not a whole number of fen")
    return int(fen)


class _Leaf:
    __slots__ = ("fen", "json_tail", "rest")

    def __init__(self, rest: dict[str, Any]) -> None:
        self.rest = rest
        """Every Assessment field except ``facility``."""
        self.json_tail: str | None = None
        entries: list[FenEntry] = []
        kinds: tuple[tuple[Literal["entitlement", "obligation"], Any], ...] = (
            ("entitlement", rest["entitlements"]),
            ("obligation", rest["obligations"]),
        )
        for kind, items in kinds:
            for e in items:
                high = None if e.amount.high is None else _fen(e.amount.high)
                entries.append(FenEntry(e.program, kind, e.payer, e.basis, e.status, _fen(e.amount.low), high))
        self.fen: tuple[FenEntry, ...] = tuple(entries)


class _Branch:
    """A trie node: the next field every run through here read, and one child per value it had."""

    __slots__ = ("children", "field")

    def __init__(self, field: str) -> None:
        self.field = field
        self.children: dict[Any, _Trie] = {}


class _Flat:
    """A trie node whose every run read the same further fields, in the same order: one look-up of all of them.

    Equivalent to a chain of :class:`_Branch` nodes on ``fields``; it becomes one (:func:`_explode`) when a run
    through it reads other fields (possible only after a value no stored run had).
    """

    __slots__ = ("fields", "get", "table")

    def __init__(self, fields: tuple[str, ...]) -> None:
        self.fields = fields
        self.get: Callable[[Facility], tuple[Any, ...]] = _getter(fields)
        self.table: dict[tuple[Any, ...], _Leaf] = {}


_Trie = _Branch | _Flat | _Leaf


def _getter(fields: tuple[str, ...]) -> Callable[[Facility], tuple[Any, ...]]:
    if _WHOLE not in fields and len(fields) > 1:
        return attrgetter(*fields)  # a tuple for two fields or more
    return lambda facility: tuple(_key(facility) if name == _WHOLE else getattr(facility, name) for name in fields)


def _grow(node: _Trie | None, path: list[tuple[str, Any]], leaf: _Leaf) -> _Trie:
    """``node`` with ``leaf`` stored at the end of ``path`` (the (field, value) reads still to come)."""
    if not path:
        return leaf  # a run that read nothing further here (the same facts as a stored run: the same leaf)
    if node is None or node.__class__ is _Leaf:
        if len(path) == 1:
            (name, value), branch = path[0], _Branch(path[0][0])
            branch.children[value] = leaf
            return branch
        flat = _Flat(tuple(name for name, _ in path))
        flat.table[tuple(value for _, value in path)] = leaf
        return flat
    if isinstance(node, _Flat):
        if tuple(name for name, _ in path) == node.fields:
            node.table[tuple(value for _, value in path)] = leaf
            return node
        return _grow(_explode(node), path, leaf)
    assert isinstance(node, _Branch)
    name, value = path[0]
    if node.field != name:  # pragma: no cover - only an impure rule can cause this
        raise RuntimeError(
            f"the engine read {name!r} where an earlier run with the same facts read {node.field!r}: "
            "a rule is not a pure function of the facility and the day"
        )
    node.children[value] = _grow(node.children.get(value), path[1:], leaf)
    return node


def _explode(flat: _Flat) -> _Branch:
    """The same entries as a branch on the first field (its children flat again where they can be)."""
    branch = _Branch(flat.fields[0])
    for values, leaf in flat.table.items():
        _grow(branch, list(zip(flat.fields, values, strict=True)), leaf)
    return branch


class RuleCache:
    """The engine's results for one day and one set of options, keyed by the facts each run read.

    :param on: the day assessed (as in :func:`~tuoyu_rules.assess`).
    :param jurisdiction: a what-if move applied to every row (None: each row's own jurisdiction).
    :param max_leaves: results kept before the trie is cleared (memory stays bounded).
    :param max_designation_sets: distinct designation lists whose validation is kept (see
        :meth:`facility`) before that memo is cleared.
    :param assess_options: further keyword arguments of :func:`~tuoyu_rules.assess` (``rounding``,
        ``reform``, ``pins``), the same for every row.

    Not thread-safe: use one cache per thread (or per process, per partition).
    """

    def __init__(
        self,
        *,
        on: dt.date,
        jurisdiction: str | None = None,
        rounding: str = DEFAULT_ROUNDING,
        max_leaves: int = 100_000,
        max_designation_sets: int = 10_000,
        **assess_options: Any,
    ) -> None:
        if max_leaves < 1:
            raise ValueError("max_leaves must be at least 1")
        self.on = on
        self.jurisdiction = jurisdiction
        self.options: dict[str, Any] = {"rounding": rounding, **assess_options}
        self.max_leaves = max_leaves
        self.hits = 0
        self.misses = 0
        self.leaves = 0
        self.clears = 0
        self._root: _Trie | None = None
        self._read: set[str] = set()
        """Every field a stored run read (kept across clears: a superset of the trie's fields)."""
        self.max_designation_sets = max_designation_sets
        self._designations: dict[tuple[Any, ...], tuple[Designation, ...]] = {}
        """Validated designations by the exact data of their list (see :meth:`facility`)."""
        adapter = TypeAdapter(Facility)  # Facility's own validator, without model_validate's call overhead
        self._from_python: Callable[[Any], Facility] = adapter.validate_python
        self._from_json: Callable[[str | bytes], Facility] = adapter.validate_json

    def _find(self, facility: Facility) -> _Leaf | None:
        node = self._root
        try:
            while node is not None:
                kind = node.__class__
                if kind is _Flat:
                    return node.table.get(node.get(facility))  # type: ignore[union-attr]
                if kind is _Leaf:
                    return node  # type: ignore[return-value]
                name = node.field  # type: ignore[union-attr]
                node = node.children.get(  # type: ignore[union-attr]
                    _key(facility) if name == _WHOLE else getattr(facility, name)
                )
        except TypeError:  # an unhashable value: never cached
            return None
        return None

    def facility(self, row: Row) -> Facility:
        """``row`` validated as a :class:`~tuoyu_rules.Facility`, exactly as ``Facility.model_validate(row)``.

        A mapping's ``designations`` are validated once per distinct list: the first row with that exact
        list (same keys, values and value types) is validated whole and its validated designations are kept;
        a later row with the same list is validated by ``Facility`` with those designations in place of the
        list (every other field, and every cross-field check, validated as usual). A designation's
        validation reads nothing but its own data and the loaded policies, so the result is the same;
        an invalid row raises the error ``Facility.model_validate(row)`` raises. JSON text is validated
        as ``Facility.model_validate_json`` validates it. Both go through ``TypeAdapter(Facility)``: the
        same validator (the model's own core schema) without ``model_validate``'s per-call overhead.
        """
        if isinstance(row, Facility):
            return row
        if isinstance(row, str | bytes):
            return self._from_json(row)
        raw = row.get("designations") if type(row) is dict else None
        if not raw:
            return self._from_python(row)
        key = _designations_key(raw)
        if key is None:
            return self._from_python(row)
        known = self._designations.get(key)
        if known is None:
            validated = self._from_python(row)
            if len(self._designations) >= self.max_designation_sets:
                self._designations.clear()
            self._designations[key] = validated.designations
            return validated
        try:
            return self._from_python({**row, "designations": known})
        except ValidationError:
            return self._from_python(row)  # raises the row's own error, with the row's own input

    def leaf(self, facility: Facility) -> _Leaf:
        """The stored result for ``facility``, running the engine (and remembering its path) on a miss."""
        found = self._find(facility)
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        log: list[tuple[str, Any]] = []
        token = _TRACE.set(log)
        try:
            result = assess(_traced(facility), jurisdiction=self.jurisdiction, on=self.on, **self.options)
        finally:
            _TRACE.reset(token)
        rest = {name: getattr(result, name) for name in Assessment.model_fields if name != "facility"}
        leaf = _Leaf(rest)
        self._insert(_path(log, facility), leaf)
        return leaf

    def _insert(self, path: list[tuple[str, Any]], leaf: _Leaf) -> None:
        if not path:
            return  # the engine read no field at all: not cached (assess always reads the jurisdiction)
        try:
            hash(tuple(value for _, value in path))
        except TypeError:
            return  # an unhashable value: this result is not cached
        if self.leaves >= self.max_leaves:
            self._root = None
            self.leaves = 0
            self.clears += 1
        self._root = _grow(self._root, path, leaf)
        self._read.update(name for name, _ in path)
        self.leaves += 1

    def assessment(self, facility: Facility) -> Assessment:
        """The :class:`~tuoyu_rules.Assessment` of ``facility``, equal to ``tr.assess(facility, on=...)``."""
        return Assessment(facility=facility, **self.leaf(facility).rest)

    def ndjson(self, facility: Facility) -> str:
        """``Assessment.model_dump_json()`` of ``facility``, built from the stored result's JSON."""
        leaf = self.leaf(facility)
        tail = leaf.json_tail
        if tail is None:
            full = Assessment(facility=facility, **leaf.rest).model_dump_json()
            prefix = '{"facility":' + facility.model_dump_json() + ","
            if not full.startswith(prefix):  # pragma: no cover - a change of field order in Assessment
                return full
            tail = leaf.json_tail = full[len(prefix) :]
        return '{"facility":' + facility.model_dump_json() + "," + tail

    def assess_json(self, row: Row) -> str:
        """Validate ``row`` (:meth:`facility`) and return its assessment as JSON text.

        The same text as ``tr.assess(Facility.model_validate(row), on=..., ...).model_dump_json()``: the
        facility's own JSON followed by the stored result's.
        """
        return self.ndjson(self.facility(row))

    def fen(self, facility: Facility) -> tuple[FenEntry, ...]:
        """Each entry of ``facility``'s assessment in integer fen."""
        return self.leaf(facility).fen


def _designations_key(raw: Any) -> tuple[Any, ...] | None:
    """The exact data of a list of designation mappings (keys, values and value types); None: not memoised."""
    if type(raw) is not list and type(raw) is not tuple:
        return None
    key: list[tuple[Any, ...]] = []
    for item in raw:
        if type(item) is not dict:
            return None
        parts: list[tuple[str, type, Any]] = []
        for name, value in item.items():
            kind = type(value)
            if type(name) is not str:
                return None
            if kind is str or kind is int or kind is bool or value is None:
                parts.append((name, kind, value))
            elif kind is Decimal:
                parts.append((name, kind, str(value)))  # str keeps the exponent: equal is not identical
            else:
                return None
        key.append(tuple(parts))
    return tuple(key)


def _key(facility: Facility) -> Any:
    """Every field's value and which fields were given: what a whole-facility read can depend on."""
    values = tuple(getattr(facility, name) for name in sorted(_FIELDS))
    return (values, frozenset(facility.model_fields_set))


def _path(log: list[tuple[str, Any]], facility: Facility) -> list[tuple[str, Any]]:
    """The first read of each field, in order; a whole-facility read becomes one step on every field."""
    seen: set[str] = set()
    path: list[tuple[str, Any]] = []
    for name, value in log:
        if name in seen:
            continue
        seen.add(name)
        path.append((name, _key(facility) if name == _WHOLE else value))
    return path


Row = Mapping[str, Any] | Facility | str | bytes
"""A row: JSON data (a mapping), JSON text (one line of NDJSON, say) or an already validated Facility."""


def assess_many(
    rows: Iterable[Row],
    *,
    on: dt.date,
    jurisdiction: str | None = None,
    rounding: str = DEFAULT_ROUNDING,
    output: Output = "assessment",
    on_error: OnError = "raise",
    cache: RuleCache | None = None,
    max_leaves: int = 100_000,
    **assess_options: Any,
) -> Iterator[Any]:
    """Assess each row (JSON data or text, or a :class:`~tuoyu_rules.Facility`) on ``on``, lazily, in order.

    Each result equals what :func:`~tuoyu_rules.assess` gives the same facility with the same options
    (``output`` chooses its form: ``"assessment"``, ``"ndjson"`` or ``"fen"``). A row that fails validation
    or assessment raises (``on_error="raise"``) or yields a :class:`RowError` in its place
    (``on_error="yield"``). Pass ``cache`` to share remembered results between calls with the same options.

    >>> import datetime as dt
    >>> rows = [{"jurisdiction": "xiamen", "mode": "self_run", "self_built": True, "places": n, "enrolled": 0}
    ...         for n in (10, 20)]
    >>> [e.low for r in assess_many(rows, on=dt.date(2024, 1, 1), output="fen") for e in r][:2]
    [5000000, 1500000]
    """
    if output not in ("assessment", "ndjson", "fen"):
        raise ValueError(f"output must be 'assessment', 'ndjson' or 'fen', not {output!r}")
    if on_error not in ("raise", "yield"):
        raise ValueError(f"on_error must be 'raise' or 'yield', not {on_error!r}")
    rc = cache or RuleCache(
        on=on, jurisdiction=jurisdiction, rounding=rounding, max_leaves=max_leaves, **assess_options
    )
    if cache is not None and (cache.on != on or cache.jurisdiction != jurisdiction):
        raise ValueError("the cache was made for another day or jurisdiction")
    produce: Callable[[Facility], Any] = {"assessment": rc.assessment, "ndjson": rc.ndjson, "fen": rc.fen}[output]
    validate = rc.facility
    for index, row in enumerate(rows):
        if on_error == "raise":
            yield produce(validate(row))
            continue
        try:
            yield produce(validate(row))
        except (ValidationError, TuoyuError, ValueError) as exc:
            yield RowError(index, f"{type(exc).__name__}: {exc}")


def assess_partition(
    rows: Iterable[Row],
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


Totals = dict[tuple[str, str], FenTotal]


def totals_fen(results: Iterable[tuple[FenEntry, ...] | RowError]) -> Totals:
    """Sum ``"fen"`` results by (payer, basis), exactly: eligible bounds summed, undetermined counted apart.

    The same rule as :meth:`Assessment.totals <tuoyu_rules.Assessment.totals>`, over many rows; a
    :class:`RowError` is skipped (count them yourself if you yield them).
    """
    low: dict[tuple[str, str], int] = {}
    high: dict[tuple[str, str], int | None] = {}
    eligible: dict[tuple[str, str], int] = {}
    undetermined: dict[tuple[str, str], int] = {}
    for entries in results:
        if isinstance(entries, RowError):
            continue
        for e in entries:
            key = (e.payer, e.basis)
            if key not in low:
                low[key] = 0
                high[key] = 0
                eligible[key] = 0
                undetermined[key] = 0
            if e.status == "eligible":
                low[key] += e.low
                h = high[key]
                high[key] = None if h is None or e.high is None else h + e.high
                eligible[key] += 1
            elif e.status == "undetermined":
                undetermined[key] += 1
    return {k: FenTotal(low[k], high[k], eligible[k], undetermined[k]) for k in sorted(low)}


def tally(
    rows: Iterable[Row],
    *,
    on: dt.date,
    jurisdiction: str | None = None,
    rounding: str = DEFAULT_ROUNDING,
    cache: RuleCache | None = None,
    max_leaves: int = 100_000,
    **assess_options: Any,
) -> Totals:
    """The :func:`totals_fen` of every row's ``"fen"`` result, without building a result per row.

    Each row is validated and walks the trie as in :func:`assess_many`; only a count per stored result is
    kept, and each distinct result's sums are multiplied by its count at the end (exact integers). Invalid
    rows raise. The fastest way to a budget over millions of facility-years.
    """
    rc = cache or RuleCache(
        on=on, jurisdiction=jurisdiction, rounding=rounding, max_leaves=max_leaves, **assess_options
    )
    if cache is not None and (cache.on != on or cache.jurisdiction != jurisdiction):
        raise ValueError("the cache was made for another day or jurisdiction")
    counts: dict[_Leaf, int] = {}
    leaf, validate = rc.leaf, rc.facility
    for row in rows:
        found = leaf(validate(row))
        counts[found] = counts.get(found, 0) + 1
    out: Totals = {}
    for found, n in counts.items():
        out = merge_totals(out, _scaled(totals_fen([found.fen]), n))
    return out


def _scaled(totals: Totals, n: int) -> Totals:
    return {
        k: FenTotal(t.low * n, None if t.high is None else t.high * n, t.eligible * n, t.undetermined * n)
        for k, t in totals.items()
    }


def merge_totals(a: Totals, b: Totals) -> Totals:
    """Combine the totals of two partitions (associative and commutative, exact)."""
    out = dict(a)
    for key, t in b.items():
        s = out.get(key)
        if s is None:
            out[key] = t
            continue
        high = None if s.high is None or t.high is None else s.high + t.high
        out[key] = FenTotal(s.low + t.low, high, s.eligible + t.eligible, s.undetermined + t.undetermined)
    return dict(sorted(out.items()))
