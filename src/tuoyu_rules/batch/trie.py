"""The decision trie: stored results keyed by the facts each run read, field by field.

Each :class:`_Branch` names the next field the engine read and has one child per value of it; a :class:`_Flat`
node stands for a chain of branches every stored run went down alike (one look-up of all their fields); a
:class:`_Leaf` holds one stored result. :func:`_grow` stores a result at the end of a run's path.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal

from ..core.money import money_context
from ..core.results import entry_total
from .fen import FenEntry
from .trace import _SCALED, _WHOLE, _key, _Trace

if TYPE_CHECKING:
    from ..core.models import Facility

_MAX_AT = 4096
"""Results kept per stored result with counts handed through, one per distinct count (then cleared)."""


class _Leaf:
    __slots__ = ("_at", "fen", "json_tail", "rest", "scaled")

    def __init__(self, rest: dict[str, Any], scaled: tuple[tuple[int, str], ...] = ()) -> None:
        self.rest = rest
        """Every Assessment field except ``facility``."""
        self.scaled = scaled
        """Entries whose count was handed through (:mod:`~tuoyu_rules.batch.trace`): (index in :attr:`fen`, the
        count's field). Empty for a result that holds as it is; else the result holds for every whole number of
        each such field, with that entry's ``children``, ``total`` and ``owed`` the row's own (:meth:`at`)."""
        self._at: dict[tuple[int, ...], _Leaf] = {}
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

    def at(self, counts: tuple[int, ...]) -> _Leaf:
        """The result for these numbers of the :attr:`scaled` fields (in order): as the engine builds it, each such
        entry with ``children`` the number, ``total`` :func:`~tuoyu_rules.core.results.entry_total` of it (exact;
        the engine's own function, raising where the engine raises) and ``owed`` the total (no receipts)."""
        found = self._at.get(counts)
        if found is not None:
            return found
        n_ent = len(self.rest["entitlements"])
        lists = {"entitlements": list(self.rest["entitlements"]), "obligations": list(self.rest["obligations"])}
        with money_context():  # the library's decimal context, whatever the caller's (as in the engine)
            for (index, _), count in zip(self.scaled, counts, strict=True):
                kind, at = ("entitlements", index) if index < n_ent else ("obligations", index - n_ent)
                entry = lists[kind][at]
                total = entry_total(entry.amount, entry.basis, count)
                lists[kind][at] = entry.model_copy(update={"children": count, "total": total, "owed": total})
        found = _Leaf({**self.rest, **{kind: tuple(items) for kind, items in lists.items()}})
        if len(self._at) >= _MAX_AT:
            self._at.clear()
        self._at[counts] = found
        return found


class _Branch:
    """A trie node: the next field every run through here read, and one child per value it had."""

    __slots__ = ("children", "field")

    def __init__(self, field: str) -> None:
        self.field = field
        self.children: dict[Any, _Trie] = {}


class _Flat:
    """A trie node whose every run read the same further fields, in the same order: one look-up of all of them.

    Equivalent to a chain of :class:`_Branch` nodes on ``fields``; it becomes one (:func:`_explode`) when a run
    through it reads other fields (possible only after a value no stored run had), or reads as a token a count
    that its runs read as a number, or the other way round (:attr:`scaled_at`).
    """

    __slots__ = ("fields", "get", "scaled_at", "table")

    def __init__(self, fields: tuple[str, ...], scaled_at: tuple[int, ...] = ()) -> None:
        self.fields = fields
        self.get: Callable[[Facility], tuple[Any, ...]] = _getter(fields)
        self.scaled_at = scaled_at
        """The positions of the counts every run here read as a token (keyed :data:`_SCALED`, see :meth:`key`)."""
        self.table: dict[tuple[Any, ...], _Leaf] = {}

    def key(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        """The key of these values of :attr:`fields`: a whole number at a token's position is :data:`_SCALED`."""
        if not self.scaled_at:
            return values
        key = list(values)
        for i in self.scaled_at:
            if type(key[i]) is int:
                key[i] = _SCALED
        return tuple(key)


_Trie = _Branch | _Flat | _Leaf


def _stored(rest: dict[str, Any], trace: _Trace) -> _Leaf:
    """The leaf of a traced run's result (every Assessment field but ``facility``): its entries whose count was handed
    through are :attr:`_Leaf.scaled`, where the engine built them as :meth:`_Leaf.at` does (else the count is pinned
    in the trace, so the result is keyed on it)."""
    scaled: list[tuple[int, str]] = []
    if trace.handed:
        entries = (*rest["entitlements"], *rest["obligations"])
        facility = trace.facility
        for index, entry in enumerate(entries):
            field = trace.handed.pop(entry.program, None)
            if field is None:
                continue
            count = object.__getattribute__(facility, field)
            if entry.children == count and not entry.received and entry.owed == entry.total:
                scaled.append((index, field))
            else:  # pragma: no cover - receipts pin the count first; a guard should the receipt step change
                trace.pin(field)
        for field in trace.handed.values():  # pragma: no cover - a programme with no entry: nothing to scale
            trace.pin(field)
    return _Leaf(rest, tuple(scaled))


def _child(branch: _Branch, value: Any) -> _Trie | None:
    """The child of ``branch`` for ``value``: its own, else (a whole number) the child of counts handed through."""
    child = branch.children.get(value)
    if child is None and type(value) is int:
        return branch.children.get(_SCALED)
    return child


def _getter(fields: tuple[str, ...]) -> Callable[[Facility], tuple[Any, ...]]:
    if _WHOLE not in fields and len(fields) > 1:
        return attrgetter(*fields)  # a tuple for two fields or more
    return lambda facility: tuple(_key(facility) if name == _WHOLE else getattr(facility, name) for name in fields)


def _grow(node: _Trie | None, path: list[tuple[str, Any]], leaf: _Leaf) -> _Trie:
    """``node`` with ``leaf`` stored at the end of ``path`` (the (field, value) reads still to come)."""
    if not path:
        return leaf  # a run that read nothing further here (the same facts as a stored run: the same leaf)
    scaled_at = tuple(i for i, (_, value) in enumerate(path) if value is _SCALED)
    if node is None or node.__class__ is _Leaf:
        if len(path) == 1:
            (name, value), branch = path[0], _Branch(path[0][0])
            branch.children[value] = leaf
            return branch
        flat = _Flat(tuple(name for name, _ in path), scaled_at)
        flat.table[tuple(value for _, value in path)] = leaf
        return flat
    if isinstance(node, _Flat):
        if tuple(name for name, _ in path) == node.fields and scaled_at == node.scaled_at:
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
