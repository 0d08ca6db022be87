"""What the engine read: a traced :class:`~tuoyu_rules.Facility` that records each field a run reads.

:func:`_traced` copies a facility into a :class:`_TracedFacility`; while :data:`_TRACE` holds a :class:`_Trace`,
every field read of it is appended to the trace's log, in order. :func:`_path` turns that log into the run's path
through the decision trie (:mod:`tuoyu_rules.batch.trie`): the first read of each field, with its value. Anything
that reads the facility other than field by field (``model_dump``, ``__dict__``) is logged as :data:`_WHOLE`: that
result depends on every field (:func:`_key`).

**Counts handed through.** A count (a field whose value is an ``int``: ``enrolled``, ``staff_children``, ...) is
read as an opaque :class:`_Count` token instead of its value, and logged as :data:`_SCALED` ("some whole number"),
not as the number. The token can only be passed on: any use of it (a comparison, arithmetic, formatting, hashing,
``bool``, ``int``, an attribute) raises :class:`_Used`, which aborts the run; the run is then made again with the
number itself (and that field read as a number from then on, for that jurisdiction). A run that completes with a
token has read nothing of the number: the only place the token can end is an outcome's ``children``, where the
engine's :class:`~tuoyu_rules.core.engine.Watch` hook (:meth:`_Trace.outcome`) replaces it by the value and notes
the programme. Its result is then the same for every whole number, except that entry's ``children``, ``total``
(amount times children) and ``owed`` (no receipts: the total), which the cache computes per row with the engine's
own :func:`~tuoyu_rules.core.results.entry_total` (:meth:`tuoyu_rules.batch.trie._Leaf.at`). Where that could be
false, the count is *pinned* (logged again, as its number, at that point of the run, so the result is keyed on
it): when a later rule reads that entry from the grants (:meth:`_Trace.grants`: a matching duty could read its
total), and when the facility has receipts (the engine's receipt step reads the total).
"""

from __future__ import annotations

import contextvars
import dataclasses
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..core.context import WATCH
from ..core.models import Facility

_UNREAD = frozenset({"id"})
"""Fields no rule reads (the caller's key): never a fact of the trie, so one stored result serves every id (the
engine hides ``Facility.id`` from the rules; a result gets its own facility back, id included)."""
_FIELDS: frozenset[str] = frozenset(Facility.model_fields) - _UNREAD
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


class _Scaled:
    """The type of :data:`_SCALED`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "_SCALED"


_SCALED = _Scaled()
"""The key of a count read as a token: the result holds for every whole number (``None`` stays its own key)."""


class _Used(BaseException):  # not an Exception: a rule's `except Exception` must not swallow it
    """A rule used a count it was handed as a token: the run is made again with the number."""


class _Count:
    """An opaque count: it may be passed on, and nothing else (see the module's docs).

    ``isinstance(token, int)`` is True, as for the number it stands for; every operation raises :class:`_Used`.
    """

    __slots__ = ("_field", "_trace", "_value")

    def __init__(self, field: str, value: int, trace: _Trace) -> None:
        object.__setattr__(self, "_field", field)
        object.__setattr__(self, "_value", value)
        object.__setattr__(self, "_trace", trace)

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # isinstance(token, int), as for its number
        return int

    def __getattribute__(self, name: str) -> Any:
        _use(self)

    def _use(self, *args: Any, **kwargs: Any) -> Any:
        _use(self)


def _use(token: _Count) -> Any:
    trace = object.__getattribute__(token, "_trace")
    trace.used.add(object.__getattribute__(token, "_field"))
    raise _Used


_DUNDERS = (  # noqa: SIM905 - a word list
    "eq ne lt le gt ge hash bool int index float complex str repr format bytes len iter contains getitem "
    "setattr delattr add radd sub rsub mul rmul truediv rtruediv floordiv rfloordiv mod rmod divmod "
    "rdivmod pow rpow neg pos abs invert round trunc floor ceil lshift rlshift rshift rrshift and rand "
    "or ror xor rxor reduce reduce_ex sizeof dir copy deepcopy getstate call"
).split()
"""Every operation on a :class:`_Count` (each raises :class:`_Used`)."""
for _name in _DUNDERS:
    setattr(_Count, f"__{_name}__", _Count._use)
del _name


class _Trace:
    """One traced run: its log of reads, the counts read as tokens, and the engine's :class:`Watch` hook."""

    __slots__ = ("facility", "handed", "log", "tokens", "used")

    def __init__(self, facility: Facility, tokens: frozenset[str]) -> None:
        self.facility = facility
        self.log: list[tuple[str, Any]] = []
        self.tokens = tokens
        """The fields read as tokens in this run (when their value is an int)."""
        self.used: set[str] = set()
        """Token fields a rule used (the run is then made again with their numbers)."""
        self.handed: dict[str, str] = {}
        """Programme id -> the field whose token its outcome's ``children`` passed through (not pinned since)."""

    def read(self, name: str, value: Any) -> Any:
        if name in self.tokens and type(value) is int:
            self.log.append((name, _SCALED))
            return _Count(name, value, self)
        self.log.append((name, value))
        return value

    def outcome(self, program: str, outcome: Any) -> Any:
        """The engine's hook: a token in ``children`` replaced by its number, the programme noted (or pinned)."""
        token = getattr(outcome, "children", None)
        if type(token) is not _Count:
            return outcome
        field = object.__getattribute__(token, "_field")
        if object.__getattribute__(token, "_trace") is not self or object.__getattribute__(self.facility, "received"):
            self.pin(field)  # receipts: the engine's receipt step reads the total (its reasons name what is owed)
        else:
            self.handed[program] = field
        return dataclasses.replace(outcome, children=object.__getattribute__(token, "_value"))

    def grants(self, entitlements: Mapping[str, Any]) -> Mapping[str, Any]:
        """The engine's hook: the grants a rule sees, reading one whose count was handed through pins the count."""
        return _Grants(entitlements, self)

    def pin(self, field: str) -> None:
        """Log ``field`` read again, as its number: from here on the result is keyed on it."""
        self.log.append((field, object.__getattribute__(self.facility, field)))

    def touch(self, program: str) -> None:
        field = self.handed.pop(program, None)
        if field is not None:
            self.pin(field)


class _Grants(Mapping[str, Any]):
    """The grants as a rule sees them in a traced run: reading one (its value) is noted by the trace."""

    __slots__ = ("_of", "_trace")

    def __init__(self, of: Mapping[str, Any], trace: _Trace) -> None:
        self._of = of
        self._trace = trace

    def __getitem__(self, key: str) -> Any:
        value = self._of[key]
        self._trace.touch(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._of)

    def __len__(self) -> int:
        return len(self._of)

    def __contains__(self, key: object) -> bool:
        return key in self._of


_TRACE: contextvars.ContextVar[_Trace | None] = contextvars.ContextVar("tuoyu_batch_trace", default=None)


class _TracedFacility(Facility):
    """A Facility that records each field the engine reads (first read of each field, in order)."""

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if name in _FIELDS or name in _WHOLE_READERS:
            trace = _TRACE.get()
            if trace is not None:
                if name in _FIELDS:
                    return trace.read(name, value)
                trace.log.append((_WHOLE, None))
        return value


def _traced(facility: Facility) -> _TracedFacility:
    return _TracedFacility.model_construct(
        _fields_set=facility.model_fields_set - _UNREAD, **{name: getattr(facility, name) for name in _FIELDS}
    )


def _key(facility: Facility) -> Any:
    """Every field's value and which fields were given: what a whole-facility read can depend on (the caller's
    key aside: the traced copy the engine reads has none)."""
    values = tuple(getattr(facility, name) for name in sorted(_FIELDS))
    return (values, frozenset(facility.model_fields_set - _UNREAD))


def _path(log: list[tuple[str, Any]], facility: Facility) -> list[tuple[str, Any]]:
    """The first read of each field, in order; a whole-facility read becomes one step on every field. A count read
    as a token and later pinned has two steps: :data:`_SCALED` where it was read, its number where it was pinned."""
    seen: set[tuple[str, bool]] = set()
    path: list[tuple[str, Any]] = []
    for name, value in log:
        mark = (name, value is _SCALED)
        if mark in seen:
            continue
        seen.add(mark)
        path.append((name, _key(facility) if name == _WHOLE else value))
    return path


def _run(facility: Facility, tokens: frozenset[str], assess: Callable[[Facility], Any]) -> tuple[Any, _Trace]:
    """``assess`` of a traced copy of ``facility``, its counts in ``tokens`` read as tokens; the result and the trace.

    A run in which a rule used a token (or that failed while holding one) is made again with those counts read as
    numbers (:attr:`_Trace.tokens` of the trace returned says which were tokens in the run kept). An exception of
    a run without tokens is the engine's own, raised as it is.
    """
    traced = _traced(facility)
    while True:
        trace = _Trace(traced, tokens)
        token = _TRACE.set(trace)
        watching = WATCH.set(trace) if tokens else None
        try:
            result = assess(traced)
        except _Used:
            result = None
        except Exception:
            read = {name for name, value in trace.log if value is _SCALED}
            if not read:
                raise
            trace.used |= read  # a failure while holding a token: made again with the numbers (the same error, or none)
        finally:
            if watching is not None:
                WATCH.reset(watching)
            _TRACE.reset(token)
        if not trace.used and result is not None:
            return result, trace
        tokens = tokens - trace.used
