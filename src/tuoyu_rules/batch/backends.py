"""How columns are held and grouped: dictionary-encoded codes, over lists (pure Python) or numpy arrays.

A column of a chunk is encoded as codes into its distinct raw values (:class:`_Column`; :func:`coded` and
:class:`Coded` are the public form). A backend reads columns into codes and does the column work of the
checker and the walk over rows given by index: which rows a check refused, which rows break a cross-field
limit, and the rows grouped by their codes in some columns (:class:`_Groups`). :class:`_Python` does it over
lists; :class:`_Numpy` is the same algorithm with numpy arrays (no Python loop over rows). numpy is optional:
:func:`_backend` picks one (``"auto"``: numpy when it is installed).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from ..core.errors import InvalidInput

Backend = Literal["auto", "numpy", "python"]


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


class _Summed(_Groups):
    """:class:`_Groups` that also sum a column per group without sorting the rows (:attr:`sums`)."""

    sums: Callable[[list[int], _Column], list[tuple[int, int]]]
    """Per group at the positions asked, the sum and the largest of a column's validated whole numbers over its
    rows."""


@dataclass(frozen=True, slots=True)
class Coded:
    """A dictionary-encoded column: row ``i`` holds ``values[codes[i]]`` (codes: ints, a list or numpy array)."""

    codes: Sequence[int] | Any
    values: Sequence[Any]


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
                raise InvalidInput.coded(
                    "codes", "error.batch.codes", "a Coded column's codes must be ints indexing its values"
                )
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

    def sum_max(self, rows: list[int], col: _Column) -> tuple[int, int]:
        """The sum and the largest of the validated whole numbers of ``col`` at ``rows`` (0, 0 for no row)."""
        values, codes = col.values, col.codes
        numbers = [values[codes[i]] for i in rows]
        return sum(numbers), max(numbers, default=0)


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
                raise InvalidInput.coded(
                    "codes", "error.batch.codes", "a Coded column's codes must be ints indexing its values"
                )
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

        def sums(wanted: list[int], col: _Column) -> list[tuple[int, int]]:
            # how many rows of each group asked hold each value of the column (integer counts, no sort), then
            # each group's sum and largest value from those counts, in int64 (exact: counts of at most 10^9)
            width = len(col.raw)
            if not dense or len(wanted) * width > 1 << 22:
                return [self.sum_max(group, col) for group in members(wanted)]
            which = np.full(card, -1, dtype=np.intp)
            which[present[wanted]] = np.arange(len(wanted), dtype=np.intp)
            group = which[key]
            asked = group >= 0
            codes = (col.codes if everything else col.codes[rows])[asked]
            pairs = group[asked] * width + codes
            counts = np.bincount(pairs, minlength=len(wanted) * width).reshape(len(wanted), width)
            numbers = np.array([v if type(v) is int else 0 for v in col.values], dtype=np.int64)
            totals = counts @ numbers
            tops = np.where(counts > 0, numbers, 0).max(axis=1)
            return list(zip(totals.tolist(), tops.tolist(), strict=True))

        grouping = _Summed(items, members, samples, union)
        grouping.sums = sums
        return grouping

    def concat(self, parts: list[Any]) -> Any:
        np = self.np
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.intp)

    def sum_max(self, rows: Any, col: _Column) -> tuple[int, int]:
        """As :meth:`_Python.sum_max` (in int64: a count is at most 10^9, a chunk's sum far below 2^63)."""
        np = self.np
        if rows.size == 0:
            return 0, 0
        if col.array is not None:  # an integer column as given: its values are the numbers
            numbers = col.array[rows]
        else:
            table = np.array([v if type(v) is int else 0 for v in col.values], dtype=np.int64)
            numbers = table[col.codes[rows]]
        return int(numbers.sum(dtype=np.int64)), int(numbers.max())


def _backend(backend: Backend) -> _Python | _Numpy:
    if backend == "python":
        return _Python()
    if backend == "numpy":
        return _Numpy()
    if backend != "auto":
        problem = "backend must be {choices} or {last}, not {value}"
        choices = {"choices": "'auto', 'numpy'", "last": "'python'"}
        raise InvalidInput.coded("backend", "error.batch.backend", problem, **choices, value=repr(backend))
    try:
        return _Numpy()
    except ImportError:
        return _Python()
