"""The decision trie: stored results keyed by the facts each run read, field by field.

Each :class:`_Branch` names the next field the engine read and has one child per value of it; a :class:`_Flat`
node stands for a chain of branches every stored run went down alike (one look-up of all their fields); a
:class:`_Leaf` holds one stored result. :func:`_grow` stores a result at the end of a run's path.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal

from .fen import FenEntry
from .trace import _WHOLE, _key

if TYPE_CHECKING:
    from ..core.models import Facility


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
                entries.append(FenEntry.of(kind, e))
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
