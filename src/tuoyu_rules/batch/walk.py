"""The walk: a chunk's valid rows counted at their stored results in a :class:`~tuoyu_rules.batch.RuleCache`.

The rows of a chunk are grouped by the codes of every field the stored runs of the cache read, and each group
walks the cache's decision trie once (rows that agree on every field the trie reads reach the same result):
:func:`_walk_by_facts`. A group that reaches no stored result sends one of its rows, validated by ``Facility``
itself, to the engine; if that run read a field outside the grouping, the rest of the group is grouped again.
Where the grouping would give groups of a row or two, or a run read the facility whole, the rows walk the trie
node by node instead, grouped at each node: :func:`_walk`. :func:`_count` does both for one chunk.

A stored result whose counts were handed through (:attr:`~tuoyu_rules.batch.trie._Leaf.scaled`: it holds for every
whole number of those fields) is reached by rows whatever their numbers there: the rows are not grouped by such a
field (unless a value of it in the chunk is not a whole number, ``None`` say), and :class:`_Counts` keeps, with the
rows' count, the sum and the largest of their numbers (the totals are the rate times the sum, exactly).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from .backends import _Groups, _Summed
from .checker import _ORDER
from .trace import _SCALED, _WHOLE
from .trie import _child, _Flat, _Leaf, _Trie

if TYPE_CHECKING:
    from .cache import RuleCache
    from .checker import _Chunk

_BY_FACTS = True
"""Group rows by every field read first (:func:`_walk_by_facts`); False: node by node only (tests both)."""
_MANY_GROUPS = 1024
"""Grouping by every field read gives more groups than this, and more than one in 16 rows: walk node by node."""


class _Counts:
    """Rows counted at their stored results; for a result with counts handed through, also per such entry the sum
    and the largest of the rows' numbers."""

    __slots__ = ("rows", "sums")

    by_number: ClassVar[bool] = False
    """True in a subclass that keeps the rows of a result with counts handed through per distinct number (a budget
    adds each number's own result, :meth:`~tuoyu_rules.batch.trie._Leaf.at`): the walk then hands such rows over with
    :meth:`add_rows`, never as sums only (:meth:`add_numbers`)."""

    def __init__(self) -> None:
        self.rows: dict[_Leaf, int] = {}
        self.sums: dict[_Leaf, list[list[int]]] = {}

    def add(self, leaf: _Leaf, n: int) -> None:
        self.rows[leaf] = self.rows.get(leaf, 0) + n

    def add_rows(self, ch: _Chunk, leaf: _Leaf, members: Any) -> None:
        """Count ``members`` (rows of ``ch``) at ``leaf``, with their own numbers of its counts handed through."""
        size = ch.be.count(members)
        self.add_numbers(leaf, size, [ch.be.sum_max(members, ch.columns[name]) for _, name in leaf.scaled])

    def add_numbers(self, leaf: _Leaf, size: int, numbers: list[tuple[int, int]]) -> None:
        """Count ``size`` rows at ``leaf`` whose numbers of its counts handed through have these sums and maxima."""
        self.add(leaf, size)
        if leaf.scaled:
            acc = self.sums.setdefault(leaf, [[0, 0] for _ in leaf.scaled])
            for slot, (total, top) in zip(acc, numbers, strict=True):
                slot[0] += total
                slot[1] = max(slot[1], top)


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
                return node.table.get(node.key(tuple(map(values, node.fields))))  # type: ignore[union-attr]
            value = values(node.field)  # type: ignore[union-attr]
            child = node.children.get(value)  # type: ignore[union-attr]
            if child is None and type(value) is int:  # a count: a result that holds for every whole number
                child = node.children.get(_SCALED)  # type: ignore[union-attr]
            node = child
    except KeyError:
        raise _Ungrouped from None
    except TypeError:  # an unhashable value: never cached
        return None
    return None


def _values(
    where: dict[str, tuple[int, list[Any]]], codes: tuple[int, ...], free: frozenset[str]
) -> Callable[[str], Any]:
    """One group's validated value of each field it was grouped by (``where``: its position in ``codes`` and its
    column's values); :data:`_SCALED` for a count not grouped by (``free``: every value of it is a whole number);
    KeyError: not grouped by that field."""

    def value(name: str) -> Any:
        try:
            i, values = where[name]
        except KeyError:
            if name in free:
                return _SCALED
            raise
        return values[codes[i]]

    return value


def _whole_numbers(ch: _Chunk, name: str) -> bool:
    """Whether every valid value of column ``name`` of ``ch`` is a whole number (an int, never a bool)."""
    col = ch.columns[name]
    return all(type(v) is int for v, ok in zip(col.values, col.ok, strict=True) if ok)


def _one_group(rows: Any, size: int) -> _Groups:
    return _Groups([((), size)], lambda wanted: [rows for _ in wanted], [int(rows[0])], lambda wanted: rows)


def _walk_by_facts(ch: _Chunk, rc: RuleCache, rows: Any, counts: _Counts) -> list[Any]:
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
        free = frozenset(name for name in rc._scaled - read if _whole_numbers(ch, name))
        names = sorted(read | (rc._scaled - free), key=_ORDER.__getitem__)
        cols = [ch.columns[name] for name in names]
        where = {name: (i, col.values) for i, (name, col) in enumerate(zip(names, cols, strict=True))}
        if cols:
            grouping = be.groups(members, cols, everything)
            if len(grouping.items) > _MANY_GROUPS and len(grouping.items) * 16 > size_all:
                left.append(members)
                continue
        else:  # nothing stored yet: one group
            grouping = _one_group(members, size_all)
        items, samples = grouping.items, grouping.samples
        again: list[int] = []
        """Groups to group again by the grown set of fields (their positions), less the rows in ``done``."""
        done: list[int] = []
        scaled: list[tuple[int, _Leaf]] = []
        """Groups at a stored result with counts handed through: counted with their rows' own numbers."""
        for position, ((codes, size), sample) in enumerate(zip(items, samples, strict=True)):
            values = _values(where, codes, free)
            hits = size
            ran: _Leaf | None = None
            try:
                leaf = _lookup(rc._root, values)
                if leaf is None:
                    ran = rc.leaf(ch.facility(sample))  # a miss: the engine itself, on the row validated by Facility
                    hits -= 1  # the sample is counted with its group below, as a miss
                    leaf = _lookup(rc._root, values)
                    if leaf is None:  # not stored (an unhashable value): row by row
                        counts.add(ran, 1)
                        if size > 1:
                            left.append(be.without(grouping.members([position])[0], [sample]))
                        continue
            except _Ungrouped:  # this run (or an earlier one of this round) read a field outside the grouping
                again.append(position)
                if ran is not None:  # the row just assessed is counted at its own result, not grouped again
                    counts.add(ran, 1)
                    done.append(sample)
                continue
            rc.hits += hits
            if leaf.scaled:
                scaled.append((position, leaf))
            else:
                counts.add(leaf, size)
        if scaled and isinstance(grouping, _Summed) and not counts.by_number:
            # the numbers of each count, summed per group, no sort
            by_field: dict[str, list[tuple[int, int]]] = {}
            for name in {name for _, leaf in scaled for _, name in leaf.scaled}:
                by_field[name] = grouping.sums([p for p, _ in scaled], ch.columns[name])
            for i, (position, leaf) in enumerate(scaled):
                numbers = [by_field[name][i] for _, name in leaf.scaled]
                counts.add_numbers(leaf, items[position][1], numbers)
        elif scaled:
            for (_, leaf), group in zip(scaled, grouping.members([p for p, _ in scaled]), strict=True):
                counts.add_rows(ch, leaf, group)
        if again:
            pending.append((be.without(grouping.union(again), done), False))
    return left


def _walk(ch: _Chunk, rc: RuleCache, rows: Any, counts: _Counts) -> None:
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
                counts.add_rows(ch, node, members)
                rc.hits += be.count(members)
                continue
            fields = node.fields if kind is _Flat else (node.field,)
            if _WHOLE in fields:  # a run read the facility whole: row by row
                pending.append(members)
                representatives.extend(int(i) for i in (members.tolist() if hasattr(members, "tolist") else members))
                continue
            cols = [ch.columns[name] for name in fields]
            grouped = be.groups(members, cols)
            items, rows_of_groups = grouped.items, grouped.members
            missing: list[int] = []
            deeper: list[tuple[int, Any]] = []
            for position, (codes, size) in enumerate(items):
                values = tuple(col.values[c] for col, c in zip(cols, codes, strict=True))
                try:
                    found = node.table.get(node.key(values)) if kind is _Flat else _child(node, values[0])
                except TypeError:  # an unhashable value: never cached
                    found = None
                if found is None:
                    missing.append(position)
                elif found.__class__ is _Leaf and not found.scaled:
                    counts.add(found, size)
                    rc.hits += size
                else:  # deeper, or a stored result counted with its rows' own numbers (as a node below)
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
            counts.add(leaf, 1)  # a result with counts handed through comes back as this row's own
        rows = be.without(be.concat(pending), representatives)


def _count(ch: _Chunk, rc: RuleCache, counts: _Counts) -> None:
    """Count every valid row of ``ch`` at its stored result (in ``counts``), by facts first (see :data:`_BY_FACTS`)."""
    left = _walk_by_facts(ch, rc, ch.valid_rows(), counts) if _BY_FACTS else [ch.valid_rows()]
    if left:
        _walk(ch, rc, ch.be.concat(left), counts)
