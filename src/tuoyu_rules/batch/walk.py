"""The walk: a chunk's valid rows counted at their stored results in a :class:`~tuoyu_rules.batch.RuleCache`.

The rows of a chunk are grouped by the codes of every field the stored runs of the cache read, and each group
walks the cache's decision trie once (rows that agree on every field the trie reads reach the same result):
:func:`_walk_by_facts`. A group that reaches no stored result sends one of its rows, validated by ``Facility``
itself, to the engine; if that run read a field outside the grouping, the rest of the group is grouped again.
Where the grouping would give groups of a row or two, or a run read the facility whole, the rows walk the trie
node by node instead, grouped at each node: :func:`_walk`. :func:`_count` does both for one chunk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .backends import _Groups
from .checker import _ORDER
from .trace import _WHOLE
from .trie import _Flat, _Leaf, _Trie

if TYPE_CHECKING:
    from .backends import _Column
    from .cache import RuleCache
    from .checker import _Chunk

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


def _count(ch: _Chunk, rc: RuleCache, counts: dict[_Leaf, int]) -> None:
    """Count every valid row of ``ch`` at its stored result (in ``counts``), by facts first (see :data:`_BY_FACTS`)."""
    left = _walk_by_facts(ch, rc, ch.valid_rows(), counts) if _BY_FACTS else [ch.valid_rows()]
    if left:
        _walk(ch, rc, ch.be.concat(left), counts)
