"""What the engine read: a traced :class:`~tuoyu_rules.Facility` that records each field a run reads.

:func:`_traced` copies a facility into a :class:`_TracedFacility`; while :data:`_TRACE` holds a list, every
field read of it is appended there, in order. :func:`_path` turns that log into the run's path through the
decision trie (:mod:`tuoyu_rules.batch.trie`): the first read of each field, with its value. Anything that reads
the facility other than field by field (``model_dump``, ``__dict__``) is logged as :data:`_WHOLE`: that result
depends on every field (:func:`_key`).
"""

from __future__ import annotations

import contextvars
from typing import Any

from ..core.models import Facility

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
