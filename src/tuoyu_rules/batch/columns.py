"""Facilities as columns, one day: totals exactly those of :func:`tuoyu_rules.assess`, at column speed.

A *chunk* is a mapping of :class:`~tuoyu_rules.Facility` field names to equal-length columns; row ``i`` of a
chunk stands for the JSON data ``{name: column[i] for name in chunk}`` (:func:`rows_of` spells it out). A
column is a list (or any sequence) of JSON values, a numpy array (integers and booleans are read without a
Python loop), or a :class:`Coded` column (dictionary-encoded: codes into a list of distinct values, as an
Arrow dictionary array or an OpenFisca enum array holds them; :func:`coded` builds one).

Nothing here restates a rule or a validation:

* **validation** is ``Facility``'s own, per distinct value of a column: each field's values go through a
  ``TypeAdapter`` of that field's own annotation and metadata (``Facility.model_fields``), one call per
  column, then through the field's own info-free validators (``Facility.__pydantic_decorators__``); the
  cross-field relations are read from :data:`tuoyu_rules.models.CROSS_FIELD_LIMITS`, the table ``Facility``'s
  validator itself reads, and checked over whole columns. A row the checker refuses is reported with the
  errors ``Facility.model_validate`` gives that row (row number, field, message);
* **amounts** come only from :func:`tuoyu_rules.assess`: the rows of a chunk are grouped by the codes of
  every field the stored runs of a :class:`~tuoyu_rules.batch.RuleCache` read, and each group walks the
  cache's decision trie once (rows that agree on every field the trie reads reach the same result). A group
  that reaches no stored result sends one of its rows, validated by ``Facility`` itself, to the engine; if
  that run read a field outside the grouping, the rest of the group is grouped again. (Where the grouping
  would give groups of a row or two, or a run read the facility whole, the rows walk the trie node by node
  instead, grouped at each node.) Each stored result's integer fen is multiplied by its row count.

numpy is optional: ``backend="numpy"`` needs it (``pip install numpy``), ``backend="python"`` is the same
algorithm over lists, ``"auto"`` uses numpy when it is installed. No float touches an amount.
"""

from __future__ import annotations

import datetime as dt
import inspect
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import ConfigDict, TypeAdapter, ValidationError

from ..core.models import CROSS_FIELD_LIMITS, Facility, limited_amount
from ..core.money import DEFAULT_ROUNDING
from .cache import _WHOLE, FenEntry, RuleCache, Totals, _Flat, _Leaf, _scaled, _Trie, merge_totals, totals_fen

Backend = Literal["auto", "numpy", "python"]
OnError = Literal["raise", "skip"]


class _Groups(NamedTuple):
    """Rows grouped by their codes in some columns."""

    items: list[tuple[tuple[int, ...], int]]
    """Per group: its codes, its row count."""
    members: Callable[[list[int]], list[Any]]
    """The rows of each group at the positions asked."""
    samples: list[int]
    """One row of each group."""
    union: Callable[[list[int]], Any]
    """The rows of the groups at the positions asked, together."""


@dataclass(frozen=True, slots=True)
class Coded:
    """A dictionary-encoded column: row ``i`` holds ``values[codes[i]]`` (codes: ints, a list or numpy array)."""

    codes: Sequence[int] | Any
    values: Sequence[Any]


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One error of a refused row, as ``Facility.model_validate`` reports it for that row."""

    row: int
    field: str
    message: str


class ColumnRowError(ValueError):
    """A row of the columns is not a valid Facility (``on_error="raise"``): the first one, with its errors."""

    def __init__(self, row: int, problems: list[RowProblem]) -> None:
        self.row = row
        self.problems = problems
        text = "; ".join(f"{p.field}: {p.message}" for p in problems)
        super().__init__(f"row {row} is not a valid Facility: {text}")


# -- Facility's own validation, per field ---------------------------------------------------------------


@dataclass(slots=True)
class _FieldCheck:
    adapter: TypeAdapter[list[Any]]
    validators: tuple[Callable[[Any], Any], ...]
    required: bool
    default: Any


def _takes_info(func: Callable[..., Any]) -> bool:
    return len(inspect.signature(func).parameters) >= 2


_CHECKS: dict[str, _FieldCheck] | None = None
_LIMITED = frozenset(limit.field for limit in CROSS_FIELD_LIMITS)
_ORDER = {name: i for i, name in enumerate(Facility.model_fields)}
_MODEL_ONLY = frozenset({"frozen", "extra", "title"})


def _checks() -> dict[str, _FieldCheck]:
    """Per field: a TypeAdapter of its annotation and metadata, and its validators that read no other field."""
    global _CHECKS
    if _CHECKS is not None:
        return _CHECKS
    decorators = Facility.__pydantic_decorators__
    if decorators.model_validators or decorators.root_validators or decorators.validators:
        raise RuntimeError("Facility has model validators: the column checker cannot apply them per column")
    plain: dict[str, list[Callable[[Any], Any]]] = {}
    for dec in decorators.field_validators.values():
        if dec.info.mode != "after":
            raise RuntimeError(f"Facility.{dec.cls_var_name} is a {dec.info.mode} validator: not supported here")
        if _takes_info(dec.func):
            # Reading another field is what CROSS_FIELD_LIMITS states; any other such validator is unknown here.
            if not set(dec.info.fields) <= _LIMITED:
                raise RuntimeError(f"Facility.{dec.cls_var_name} reads other fields outside CROSS_FIELD_LIMITS")
            continue
        for name in dec.info.fields:
            plain.setdefault(name, []).append(dec.func)
    # The model's own settings that bear on a field's validation (Facility sets none today: frozen and
    # extra are the model's, checked apart), so that a column is validated under the same config.
    config = ConfigDict(**{k: v for k, v in Facility.model_config.items() if k not in _MODEL_ONLY})  # type: ignore[typeddict-item]
    checks: dict[str, _FieldCheck] = {}
    for name, info in Facility.model_fields.items():
        item: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        checks[name] = _FieldCheck(
            adapter=TypeAdapter(list[item], config=config or None),
            validators=tuple(plain.get(name, ())),
            required=info.is_required(),
            default=None if info.is_required() else info.get_default(call_default_factory=True),
        )
    _CHECKS = checks
    return checks


def _validate_values(name: str, raw: list[Any]) -> tuple[list[bool], list[Any]]:
    """Each distinct raw value of field ``name`` validated as Facility validates that field: (ok, value)."""
    check = _checks().get(name)
    if check is None:  # not a field: extra="forbid" refuses it
        return [False] * len(raw), [None] * len(raw)
    ok = [True] * len(raw)
    try:
        values = check.adapter.validate_python(raw)
    except ValidationError as exc:
        for error in exc.errors():
            ok[error["loc"][0]] = False  # type: ignore[index]
        good = [i for i in range(len(raw)) if ok[i]]
        values = [None] * len(raw)
        for i, v in zip(good, check.adapter.validate_python([raw[i] for i in good]), strict=True):
            values[i] = v
    for i in range(len(raw)):
        if not ok[i]:
            continue
        for func in check.validators:
            try:
                values[i] = func(values[i])
            except (ValueError, AssertionError):
                ok[i] = False
                values[i] = None
                break
    return ok, values


# -- encoding columns -------------------------------------------------------------------------------------


def _exact(value: Any) -> Any:
    """A hashable key equal only for the same data with the same types (1, True and 1.0 kept apart)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return (kind, value)
    if kind is Decimal:
        return (kind, str(value))
    if kind is list or kind is tuple:
        return (kind, tuple(_exact(v) for v in value))
    if kind is dict:
        return (kind, tuple((_exact(k), _exact(v)) for k, v in value.items()))
    return ("object", id(value))


_PLAIN = frozenset({str, int, bool})
"""Types whose values are equal only when their data is: a column of one of them needs no typed key."""


def coded(values: Iterable[Any]) -> Coded:
    """``values`` dictionary-encoded (each distinct value, by data and type, stored once)."""
    values = values if isinstance(values, list) else list(values)
    kinds = set(map(type, values))
    if len(kinds) == 1 and kinds <= _PLAIN:  # one plain type: 1 and True never meet, the values are their keys
        plain: dict[Any, int] = {}
        setdefault = plain.setdefault
        return Coded([setdefault(v, len(plain)) for v in values], list(plain))
    index: dict[Any, int] = {}
    distinct: list[Any] = []
    codes: list[int] = []
    for v in values:
        k = _exact(v)
        c = index.get(k)
        if c is None:
            c = index[k] = len(distinct)
            distinct.append(v)
        codes.append(c)
    return Coded(codes, distinct)


@dataclass(slots=True)
class _Column:
    codes: Any
    """Per row, an index into ``raw`` (a list, or a numpy integer array)."""
    raw: list[Any]
    ok: list[bool] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)
    """Validated values (None where not ok)."""
    array: Any = None
    """A numpy integer column as given (row ``i``'s value is ``array[i]``), when it is one."""


def _numpy() -> Any:
    try:
        import numpy  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise ImportError(
            "the numpy column backend needs numpy: pip install numpy (or pass backend='python')"
        ) from None
    return numpy


class _Python:
    """The algorithm over lists of codes."""

    def length(self, column: Any) -> int:
        return len(column.codes) if isinstance(column, Coded) else len(column)

    def encode(self, column: Any) -> _Column:
        if isinstance(column, Coded):
            raw = list(column.values)
            try:
                codes = [operator.index(c) for c in column.codes]  # ints, numpy's too; never a float
            except TypeError:
                codes = [-1]
            if any(not 0 <= c < len(raw) for c in codes):
                raise ValueError("a Coded column's codes must be ints indexing its values")
            return _Column(codes, raw)
        if hasattr(column, "tolist") and not isinstance(column, list):
            column = column.tolist()
        c = coded(column)
        return _Column(list(c.codes), list(c.values))

    def constant(self, n: int, value: Any) -> _Column:
        return _Column([0] * n, [value])

    def rows(self, n: int) -> list[int]:
        return list(range(n))

    def bad(self, col: _Column) -> list[int]:
        ok = col.ok
        if all(ok):
            return []
        return [i for i, c in enumerate(col.codes) if not ok[c]]

    def exceeding(self, amount: list[int | None], of: _Column, bound: list[int | None], lim: _Column) -> list[int]:
        a_codes, b_codes = of.codes, lim.codes
        out = []
        for i in range(len(a_codes)):
            a, b = amount[a_codes[i]], bound[b_codes[i]]
            if a is not None and b is not None and a > b:
                out.append(i)
        return out

    def without(self, rows: list[int], drop: Iterable[int]) -> list[int]:
        gone = set(drop)
        return [i for i in rows if i not in gone]

    def count(self, rows: list[int]) -> int:
        return len(rows)

    def groups(self, rows: list[int], cols: list[_Column], everything: bool = False) -> _Groups:
        """Per distinct combination of codes among ``rows``: (its codes, its row count); a function giving the
        rows of the groups at the positions asked; and one row of each group."""
        code_lists = [c.codes for c in cols]
        found: dict[tuple[int, ...], list[int]] = {}
        for i in rows:
            key = tuple(codes[i] for codes in code_lists)
            members = found.get(key)
            if members is None:
                found[key] = [i]
            else:
                members.append(i)
        lists = list(found.values())
        return _Groups(
            [(key, len(members)) for key, members in found.items()],
            lambda wanted: [lists[w] for w in wanted],
            [members[0] for members in lists],
            lambda wanted: [i for w in wanted for i in lists[w]],
        )

    def concat(self, parts: list[list[int]]) -> list[int]:
        return [i for part in parts for i in part]


class _Numpy:
    """The same algorithm with numpy arrays of codes (no Python loop over rows)."""

    def __init__(self) -> None:
        self.np = _numpy()

    def length(self, column: Any) -> int:
        return len(column.codes) if isinstance(column, Coded) else len(column)

    def encode(self, column: Any) -> _Column:
        np = self.np
        if isinstance(column, Coded):
            codes = np.asarray(column.codes)
            raw = list(column.values)
            if codes.size == 0:
                return _Column(np.zeros(0, dtype=np.intp), raw)
            if codes.dtype.kind not in "iu" or int(codes.min()) < 0 or int(codes.max()) >= len(raw):
                raise ValueError("a Coded column's codes must be ints indexing its values")
            return _Column(codes, raw)
        if isinstance(column, np.ndarray) and column.ndim == 1 and column.dtype.kind == "b":
            return _Column(column.view(np.uint8), [False, True])
        if isinstance(column, np.ndarray) and column.ndim == 1 and column.dtype.kind in "iu" and column.size:
            lo, hi = int(column.min()), int(column.max())
            if hi - lo <= max(4 * column.size, 1 << 16):
                return _Column(column - lo if lo else column, list(range(lo, hi + 1)), array=column)
            distinct, codes = np.unique(column, return_inverse=True)
            return _Column(codes, distinct.tolist(), array=column)
        if isinstance(column, np.ndarray):
            column = column.tolist()
        elif isinstance(column, list) and column and set(map(type, column)) == {int}:
            try:  # a list of Python ints (never bools: their type is bool) is an integer column
                return self.encode(np.array(column, dtype=np.int64))
            except OverflowError:  # beyond int64: dictionary-encoded below
                pass
        c = coded(column)
        return _Column(np.asarray(c.codes, dtype=np.intp), list(c.values))

    def constant(self, n: int, value: Any) -> _Column:
        return _Column(self.np.broadcast_to(self.np.zeros(1, dtype=self.np.uint8), (n,)), [value])

    def rows(self, n: int) -> Any:
        return self.np.arange(n, dtype=self.np.intp)

    def bad(self, col: _Column) -> Any:
        ok = self.np.asarray(col.ok, dtype=bool)
        if ok.all():
            return self.np.zeros(0, dtype=self.np.intp)
        return self.np.flatnonzero(~ok[col.codes])

    def exceeding(self, amount: list[int | None], of: _Column, bound: list[int | None], lim: _Column) -> Any:
        np = self.np
        has_a = np.array([a is not None for a in amount], dtype=bool)
        has_b = np.array([b is not None for b in bound], dtype=bool)
        a = np.array([0 if x is None else x for x in amount], dtype=np.int64)
        b = np.array([0 if x is None else x for x in bound], dtype=np.int64)
        if not has_a.any() or not has_b.any():
            return np.zeros(0, dtype=np.intp)
        # where every value is given and valid, an integer column's values are its own array (no gather)
        whole_a, whole_b = bool(has_a.all()), bool(has_b.all())
        left = of.array if whole_a and of.array is not None else a[of.codes]
        right = lim.array if whole_b and lim.array is not None else b[lim.codes]
        over = left > right
        if not whole_a:
            over &= has_a[of.codes]
        if not whole_b:
            over &= has_b[lim.codes]
        return np.flatnonzero(over)

    def without(self, rows: Any, drop: Any) -> Any:
        np = self.np
        drop = np.asarray(list(drop) if not isinstance(drop, np.ndarray) else drop, dtype=np.intp)
        if drop.size == 0 or rows.size == 0:
            return rows
        keep = np.ones(max(int(rows.max()), int(drop.max())) + 1, dtype=bool)  # rows are indices in a chunk
        keep[drop] = False
        return rows[keep[rows]]

    def count(self, rows: Any) -> int:
        return int(rows.size)

    def groups(self, rows: Any, cols: list[_Column], everything: bool = False) -> _Groups:
        """As :meth:`_Python.groups`; ``everything``: ``rows`` is every row of the chunk, in order."""
        np = self.np
        if rows.size == 0:
            return _Groups([], lambda wanted: [], [], lambda wanted: rows)
        key: Any = None
        card = 1
        product = 1
        for col in cols:
            product *= len(col.raw)
        small = product < 1 << 31  # int32 keys: half the memory traffic of int64
        for col in cols:
            width = len(col.raw)
            if width == 1 and key is not None:
                continue  # one value: every row's code is 0, the key is unchanged
            codes = col.codes if everything else col.codes[rows]
            if codes.dtype == np.uint64:  # uint64 with int64 would promote to float: never on a key
                codes = codes.astype(np.int64)
            if key is None:
                key, card = codes.astype(np.int32 if small else np.int64), width
                continue
            if card * width >= 1 << 62:  # re-number the combinations seen so far densely
                distinct, key = np.unique(key, return_inverse=True)
                card = int(distinct.size)
            key *= width  # in place: key is this method's own array (a copy, or a result of unique)
            key += codes
            card *= width
        dense = card <= 4 * rows.size + 4096
        if dense:
            counts = np.bincount(key, minlength=card)
            present = np.flatnonzero(counts)
            sizes = counts[present]
            some = np.empty(card, dtype=np.intp)
            some[key] = rows  # for each combination present, one of its rows
            sample = some[present]
        else:
            present, first, sizes = np.unique(key, return_index=True, return_counts=True)
            sample = rows[first]
        samples = sample.tolist()
        per_column = [col.codes[sample].tolist() for col in cols]
        items = list(zip(zip(*per_column, strict=True), sizes.tolist(), strict=True))

        def members(wanted: list[int]) -> list[Any]:
            if len(wanted) <= 2:  # a comparison per group beats a sort of the rows
                return [rows[key == present[w]] for w in wanted]
            # a stable sort of keys of 16 bits or less is a radix sort: linear in the rows
            order = np.argsort(key.astype(np.uint16) if card <= 1 << 16 else key, kind="stable")
            ends = np.cumsum(sizes)
            ordered = rows[order]
            return [ordered[ends[w] - sizes[w] : ends[w]] for w in wanted]

        def union(wanted: list[int]) -> Any:
            if not dense:
                return rows[np.isin(key, present[wanted])]
            chosen = np.zeros(card, dtype=bool)
            chosen[present[wanted]] = True
            return rows[chosen[key]]

        return _Groups(items, members, samples, union)

    def concat(self, parts: list[Any]) -> Any:
        np = self.np
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.intp)


def _backend(backend: Backend) -> _Python | _Numpy:
    if backend == "python":
        return _Python()
    if backend == "numpy":
        return _Numpy()
    if backend != "auto":
        raise ValueError(f"backend must be 'auto', 'numpy' or 'python', not {backend!r}")
    try:
        return _Numpy()
    except ImportError:
        return _Python()


# -- a chunk --------------------------------------------------------------------------------------------


def _length(chunk: Mapping[str, Any], be: _Python | _Numpy) -> int:
    lengths = {be.length(col) for col in chunk.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns of one chunk must have one length, not {sorted(lengths)}")
    return lengths.pop() if lengths else 0


def rows_of(chunk: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The JSON rows a chunk stands for: row ``i`` is ``{name: column[i]}`` (numpy scalars as Python values)."""
    be = _Python()
    n = _length(chunk, be)
    cols = {name: be.encode(col) for name, col in chunk.items()}
    for i in range(n):
        yield {name: col.raw[col.codes[i]] for name, col in cols.items()}


class _Chunk:
    """One chunk encoded and checked: its columns per field, and the rows each check refused."""

    def __init__(self, chunk: Mapping[str, Any], be: _Python | _Numpy) -> None:
        self.be = be
        self.n = n = _length(chunk, be)
        self.given = list(chunk)
        self.columns: dict[str, _Column] = {}
        self.refused: dict[str, Any] = {}
        """Per field (or extra column), the rows whose value Facility refuses."""
        for name, column in chunk.items():
            col = be.encode(column)
            col.ok, col.values = _validate_values(name, col.raw)
            self.columns[name] = col
            if name not in Facility.model_fields:
                self.refused[name] = be.rows(n)  # extra="forbid"
                continue
            bad = be.bad(col)
            if be.count(bad):
                self.refused[name] = bad
        for name, check in _checks().items():
            if name in self.columns:
                continue
            if check.required:
                self.refused[name] = be.rows(n)  # a missing field
                self.columns[name] = _Column(be.constant(n, None).codes, [None], [False], [None])
            else:
                col = be.constant(n, check.default)
                col.ok, col.values = [True], [check.default]
                self.columns[name] = col
        # Fields are validated in their order; a relation sees the limiting field only if it passed whole.
        crossed: dict[str, Any] = {}
        for limit in sorted(CROSS_FIELD_LIMITS, key=lambda limit: _ORDER[limit.field]):
            of, lim = self.columns[limit.field], self.columns[limit.limit]
            amount = [
                limited_amount(v) if ok and v is not None else None for ok, v in zip(of.ok, of.values, strict=True)
            ]
            bound = [v if ok and isinstance(v, int) else None for ok, v in zip(lim.ok, lim.values, strict=True)]
            over = be.exceeding(amount, of, bound, lim)
            if limit.limit in crossed:
                over = be.without(over, crossed[limit.limit])
            if be.count(over):
                earlier_crossed = crossed.get(limit.field)
                crossed[limit.field] = over if earlier_crossed is None else be.concat([earlier_crossed, over])
                earlier = self.refused.get(limit.field)
                self.refused[limit.field] = over if earlier is None else be.concat([earlier, over])

    def verdict(self) -> dict[int, frozenset[str]]:
        out: dict[int, set[str]] = {}
        for name, rows in self.refused.items():
            for i in rows.tolist() if hasattr(rows, "tolist") else rows:
                out.setdefault(int(i), set()).add(name)
        return {i: frozenset(names) for i, names in sorted(out.items())}

    def valid_rows(self) -> Any:
        if not self.refused:
            return self.be.rows(self.n)
        return self.be.without(self.be.rows(self.n), self.be.concat(list(self.refused.values())))

    def row(self, i: int) -> dict[str, Any]:
        return {name: self.columns[name].raw[int(self.columns[name].codes[i])] for name in self.given}

    def facility(self, i: int) -> Facility:
        return Facility.model_validate(self.row(i))


def check_columns(chunk: Mapping[str, Any], *, backend: Backend = "auto") -> dict[int, frozenset[str]]:
    """The column checker's verdict: each refused row (index in the chunk) and the fields it is refused on.

    Equal, row by row, to the fields of the errors ``Facility.model_validate`` raises on :func:`rows_of`.
    """
    return _Chunk(chunk, _backend(backend)).verdict()


def problems_of(chunk: Mapping[str, Any], row: int, offset: int = 0) -> list[RowProblem]:
    """``Facility.model_validate``'s errors for row ``row`` of ``chunk`` (empty if the row is valid)."""
    return _problems(_Chunk(chunk, _Python()), row, offset)


def _problems(ch: _Chunk, row: int, offset: int) -> list[RowProblem]:
    try:
        ch.facility(row)
    except ValidationError as exc:
        return [RowProblem(offset + row, ".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()]
    return []


# -- the walk -----------------------------------------------------------------------------------------

_BY_FACTS = True
"""Group rows by every field read first (:func:`_walk_by_facts`); False: node by node only (tests both)."""
_MANY_GROUPS = 1024
"""Grouping by every field read gives more groups than this, and more than one in 16 rows: walk node by node."""


class _Ungrouped(Exception):
    """The trie reads a field the rows were not grouped by (a run since the grouping read it)."""


def _lookup(node: _Trie | None, values: Callable[[str], Any]) -> _Leaf | None:
    """The stored result rows with these validated field values (``values(name)``) reach; None: a miss (or an
    unhashable value). Raises :class:`_Ungrouped` when the trie reads a field ``values`` does not know."""
    try:
        while node is not None:
            kind = node.__class__
            if kind is _Leaf:
                return node  # type: ignore[return-value]
            if kind is _Flat:
                return node.table.get(tuple(map(values, node.fields)))  # type: ignore[union-attr]
            node = node.children.get(values(node.field))  # type: ignore[union-attr]
    except KeyError:
        raise _Ungrouped from None
    except TypeError:  # an unhashable value: never cached
        return None
    return None


def _values(where: dict[str, int], cols: list[_Column], codes: tuple[int, ...]) -> Callable[[str], Any]:
    """One group's validated value of each field it was grouped by (KeyError: not grouped by that field)."""

    def value(name: str) -> Any:
        i = where[name]
        return cols[i].values[codes[i]]

    return value


def _one_group(rows: Any, size: int) -> _Groups:
    return _Groups([((), size)], lambda wanted: [rows for _ in wanted], [int(rows[0])], lambda wanted: rows)


def _walk_by_facts(ch: _Chunk, rc: RuleCache, rows: Any, counts: dict[_Leaf, int]) -> list[Any]:
    """Count rows grouped by every field any stored run read: one trie look-up per group, not per row.

    Rows of one group agree on every field the trie reads, so they reach the same stored result. A group
    that reaches none sends one row to the engine; if that run read no field outside the grouping, the
    whole group reaches the new result, otherwise the rest is grouped again (by the grown set of fields).
    Returns the rows left for :func:`_walk` (a whole-facility read, or too many groups to look up one by one).
    """
    be = ch.be
    pending: list[tuple[Any, bool]] = [(rows, not ch.refused)]
    left: list[Any] = []
    while pending:
        members, everything = pending.pop()
        size_all = be.count(members)
        if size_all == 0:
            continue
        read = frozenset(rc._read)
        if _WHOLE in read:
            left.append(members)
            continue
        names = sorted(read, key=_ORDER.__getitem__)
        cols = [ch.columns[name] for name in names]
        where = {name: i for i, name in enumerate(names)}
        if cols:
            grouping = be.groups(members, cols, everything)
            if len(grouping.items) > _MANY_GROUPS and len(grouping.items) * 16 > size_all:
                left.append(members)
                continue
        else:  # nothing stored yet: one group
            grouping = _one_group(members, size_all)
        items, samples = grouping.items, grouping.samples
        again: list[tuple[int, int | None]] = []
        """Groups to group again by the grown set of fields: position, and the row already counted (if any)."""
        for position, ((codes, size), sample) in enumerate(zip(items, samples, strict=True)):
            values = _values(where, cols, codes)
            counted: int | None = None
            try:
                leaf = _lookup(rc._root, values)
                if leaf is None:
                    leaf = rc.leaf(ch.facility(sample))  # a miss: the engine itself, on the row validated by Facility
                    counts[leaf] = counts.get(leaf, 0) + 1
                    counted, size = sample, size - 1
                    if not size:
                        continue
                    if _lookup(rc._root, values) is not leaf:  # not stored (an unhashable value): row by row
                        left.append(be.without(grouping.members([position])[0], [sample]))
                        continue
            except _Ungrouped:  # this run (or an earlier one of this round) read a field outside the grouping
                again.append((position, counted))
                continue
            counts[leaf] = counts.get(leaf, 0) + size
            rc.hits += size
        if again:
            rest = grouping.union([position for position, _ in again])
            pending.append((be.without(rest, [done for _, done in again if done is not None]), False))
    return left


def _walk(ch: _Chunk, rc: RuleCache, rows: Any, counts: dict[_Leaf, int]) -> None:
    """Count every row of ``rows`` at its stored result, running the engine for one row per missing group."""
    be = ch.be
    while be.count(rows):
        pending: list[Any] = []
        representatives: list[int] = []
        stack: list[tuple[Any, Any]] = [(rc._root, rows)]
        while stack:
            node, members = stack.pop()
            if node is None:
                pending.append(members)
                representatives.append(int(members[0]))
                continue
            kind = node.__class__
            if kind is _Leaf:
                counts[node] = counts.get(node, 0) + be.count(members)
                rc.hits += be.count(members)
                continue
            fields = node.fields if kind is _Flat else (node.field,)
            if _WHOLE in fields:  # a run read the facility whole: row by row
                pending.append(members)
                representatives.extend(int(i) for i in (members.tolist() if hasattr(members, "tolist") else members))
                continue
            cols = [ch.columns[name] for name in fields]
            items, rows_of_groups, _, _ = be.groups(members, cols)
            missing: list[int] = []
            deeper: list[tuple[int, Any]] = []
            for position, (codes, size) in enumerate(items):
                values = tuple(col.values[c] for col, c in zip(cols, codes, strict=True))
                try:
                    found = node.table.get(values) if kind is _Flat else node.children.get(values[0])
                except TypeError:  # an unhashable value: never cached
                    found = None
                if found is None:
                    missing.append(position)
                elif found.__class__ is _Leaf:
                    counts[found] = counts.get(found, 0) + size
                    rc.hits += size
                else:
                    deeper.append((position, found))
            if missing or deeper:
                groups = rows_of_groups(missing + [position for position, _ in deeper])
                for group in groups[: len(missing)]:
                    pending.append(group)
                    representatives.append(int(group[0]))
                for (_, child), group in zip(deeper, groups[len(missing) :], strict=True):
                    stack.append((child, group))
        if not representatives:
            return
        for i in representatives:
            leaf = rc.leaf(ch.facility(i))  # a miss: the engine itself, on the row validated by Facility
            counts[leaf] = counts.get(leaf, 0) + 1
        rows = be.without(be.concat(pending), representatives)


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
        raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
    be = _backend(backend)
    rc = cache or RuleCache(
        on=on, jurisdiction=jurisdiction, rounding=rounding, max_leaves=max_leaves, **assess_options
    )
    if cache is not None and (cache.on != on or cache.jurisdiction != jurisdiction):
        raise ValueError("the cache was made for another day or jurisdiction")
    if isinstance(chunks, Mapping):
        chunks = [chunks]
    counts: dict[_Leaf, int] = {}
    offset = 0
    for chunk in chunks:
        ch = _Chunk(chunk, be)
        if ch.refused:
            for i in ch.verdict():
                found = _problems(ch, i, offset)
                if not found:  # pragma: no cover - the checker and Facility disagree: a bug, never hidden
                    raise RuntimeError(f"row {offset + i}: the column checker refused a row Facility accepts")
                if on_error == "raise":
                    raise ColumnRowError(offset + i, found)
                if problems is not None:
                    problems.extend(found)
        left = _walk_by_facts(ch, rc, ch.valid_rows(), counts) if _BY_FACTS else [ch.valid_rows()]
        if left:
            _walk(ch, rc, be.concat(left), counts)
        offset += ch.n
    by_entries: dict[tuple[FenEntry, ...], int] = {}
    for leaf, n in counts.items():
        by_entries[leaf.fen] = by_entries.get(leaf.fen, 0) + n
    out: Totals = {}
    for entries, n in by_entries.items():
        out = merge_totals(out, _scaled(totals_fen([entries]), n))
    return out
