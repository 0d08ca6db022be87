"""Facility's own validation over columns: per field, per distinct value, then the cross-field limits.

Nothing here restates a validation. Each field's distinct values go through a ``TypeAdapter`` of that field's
own annotation and metadata (``Facility.model_fields``: its type, bounds and own validators), one call per
column; the cross-field relations are read from :data:`tuoyu_rules.core.models.CROSS_FIELD_LIMITS`, the table
``Facility``'s validator itself reads, and checked over whole columns. :class:`_Chunk` is one chunk encoded and
checked.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import ConfigDict, TypeAdapter, ValidationError

from ..core.errors import InvalidInput, WrongType
from ..core.models import CROSS_FIELD_LIMITS, Facility, limited_amount
from .backends import _Column, _Numpy, _Python


@dataclass(slots=True)
class _FieldCheck:
    adapter: TypeAdapter[list[Any]]
    required: bool
    default: Any


_ORDER = {name: i for i, name in enumerate(Facility.model_fields)}
"""Each field's place in Facility: fields are validated in this order."""
_MODEL_ONLY = frozenset({"frozen", "extra", "title"})


@functools.cache
def _checks() -> dict[str, _FieldCheck]:
    """Per field: a TypeAdapter of a list of its values (its annotation and metadata, its own validators with
    them), whether it is required, and its default."""
    # The model's own settings that bear on a field's validation (Facility sets none today: frozen and
    # extra are the model's, checked apart), so that a column is validated under the same config.
    config = ConfigDict(**{k: v for k, v in Facility.model_config.items() if k not in _MODEL_ONLY})  # type: ignore[typeddict-item]
    checks: dict[str, _FieldCheck] = {}
    for name, info in Facility.model_fields.items():
        item: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        checks[name] = _FieldCheck(
            adapter=TypeAdapter(list[item], config=config or None),
            required=info.is_required(),
            default=None if info.is_required() else info.get_default(call_default_factory=True),
        )
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
    return ok, values


def _length(chunk: Mapping[str, Any], be: _Python | _Numpy) -> int:
    lengths: set[int] = set()
    for name, col in chunk.items():
        try:
            if isinstance(col, str | bytes | Mapping):
                raise TypeError(type(col).__name__)
            lengths.add(be.length(col))
        except TypeError:
            problem = "a sequence or an array, not a {type}"
            raise WrongType.coded(f"chunk[{name!r}]", "error.batch.column", problem, type=type(col).__name__) from None
    if len(lengths) > 1:
        problem = "columns of one chunk must have one length, not {lengths}"
        raise InvalidInput.coded("chunk", "error.batch.lengths", problem, lengths=sorted(lengths))
    return lengths.pop() if lengths else 0


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
