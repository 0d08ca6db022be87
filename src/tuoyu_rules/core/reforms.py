"""Reforms: what-if overlays on the dated parameters, never edits of the law.

A :class:`Reform` replaces the values of named parameters (Xiamen's operating range, a provincial match
ratio, a national batch amount) for an assessment, without touching the bundled data. Every value a reform
supplies is flagged ``what_if=True`` in the result's parameter list, and the entry's reasons say that it
rests on a what-if, not on law.

A reform is plain data, in the same shape as a jurisdiction file's parameter values (``cite`` optional)::

    {
      "name": "xiamen-operating-up",
      "description": "Xiamen raises its operating subsidy to 20,000-30,000 a year",
      "parameters": {
        "xiamen.operating_subsidy.amount": [{"kind": "range", "low": "20000", "high": "30000"}]
      }
    }

An override value with neither dates nor a batch applies on every day and to every batch; one with
``start``/``end`` applies on those days; one with ``batch`` to that batch year. Elsewhere the law applies.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import InvalidInput, PolicyDataError, UnknownProgram
from .parameters import DatedValue, parse_value
from .registry import get_policy, list_jurisdictions


@dataclass(frozen=True)
class Reform:
    """A named set of parameter overrides. Build with :meth:`from_dict`, :meth:`load` or :meth:`of`."""

    name: str
    description: str
    overrides: Mapping[str, tuple[DatedValue, ...]]
    data: Mapping[str, Any] = field(repr=False, compare=False)
    """The plain data the reform was built from (what :meth:`dumps` writes)."""

    # -- construction --------------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reform:
        """Validate plain data (JSON or TOML) into a reform; errors name the entry at fault."""
        if not isinstance(data, Mapping):
            raise InvalidInput("reform", "a mapping with name, description and parameters")
        unknown = set(data) - {"name", "description", "parameters"}
        if unknown:
            raise InvalidInput("reform", f"unknown keys {sorted(unknown)}; use name, description, parameters")
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput("reform.name", "a non-empty name, shown in every result it changes")
        description = data.get("description", "")
        if not isinstance(description, str):
            raise InvalidInput("reform.description", "text")
        params = data.get("parameters")
        if not isinstance(params, Mapping) or not params:
            raise InvalidInput("reform.parameters", "a mapping of parameter name to a list of values")
        known = _known_parameters()
        overrides: dict[str, tuple[DatedValue, ...]] = {}
        for pname, raw_values in params.items():
            where = f"reform.parameters[{pname}]"
            baseline_kind = known.get(pname)
            if baseline_kind is None:
                raise UnknownProgram("parameter in reform", pname, known)
            if isinstance(raw_values, Mapping):
                raw_values = [raw_values]
            if not isinstance(raw_values, list) or not raw_values:
                raise InvalidInput(where, "a list of values (or one value)")
            values = []
            for i, raw in enumerate(raw_values):
                if not isinstance(raw, Mapping):
                    raise InvalidInput(f"{where}[{i}]", "a table of kind, low, high, ... as in the data files")
                try:
                    value = parse_value(raw, f"{where}[{i}]", None)
                except PolicyDataError as exc:
                    raise InvalidInput(f"{where}[{i}]", str(exc)) from None
                if value.kind not in (baseline_kind, "not_stated"):
                    raise InvalidInput(
                        f"{where}[{i}].kind", f"{value.kind!r} cannot override a {baseline_kind!r} parameter"
                    )
                values.append(value)
            overrides[pname] = tuple(values)
        return cls(name=name, description=description, overrides=MappingProxyType(overrides), data=dict(data))

    @classmethod
    def of(cls, name: str, description: str = "") -> _ReformBuilder:
        """Start a reform in code: ``Reform.of("x").set("xiamen.operating_subsidy.amount", low=..., ...)``."""
        return _ReformBuilder(name, description)

    @classmethod
    def loads(cls, text: str, *, format: str = "json") -> Reform:
        """Parse a reform from JSON (default) or TOML text."""
        try:
            data = json.loads(text) if format == "json" else tomllib.loads(text)
        except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InvalidInput("reform", f"not valid {format.upper()}: {exc}") from None
        except RecursionError:
            raise InvalidInput("reform", f"{format.upper()} nested too deeply") from None
        except ValueError as exc:  # an integer of more digits than Python converts
            raise InvalidInput("reform", f"unreadable number: {str(exc)[:80]}") from None
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> Reform:
        """Read a reform file: ``.toml`` as TOML, anything else as JSON."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput("reform", f"cannot read {p}: {exc.strerror or exc}") from None
        return cls.loads(text, format="toml" if p.suffix == ".toml" else "json")

    def dumps(self) -> str:
        """The reform as JSON text (loads back with :meth:`loads`)."""
        return json.dumps(self.data, ensure_ascii=False, indent=2, sort_keys=True, default=str)

    def save(self, path: str | Path) -> None:
        """Write the reform as JSON."""
        Path(path).write_text(self.dumps() + "\n", encoding="utf-8")

    # -- lookup --------------------------------------------------------------------------------------
    def value(self, name: str, on: dt.date, batch: int | None = None) -> DatedValue | None:
        """The overriding value of ``name`` for this day (or batch), or None where the law applies."""
        for value in self.overrides.get(name, ()):
            if value.batch is not None:
                if batch is not None and value.batch == batch:
                    return value
            elif (value.start is None and value.end is None) or (batch is None and value.applies_on(on)):
                return value
        return None


class _ReformBuilder:
    """Fluent construction of a reform in code; ``.build()`` validates like :meth:`Reform.from_dict`."""

    def __init__(self, name: str, description: str) -> None:
        self._data: dict[str, Any] = {"name": name, "description": description, "parameters": {}}

    def set(self, parameter: str, **value: Any) -> _ReformBuilder:
        """Add an override value: ``set("xiamen.operating_subsidy.amount", kind="range", low="20000", ...)``."""
        self._data["parameters"].setdefault(parameter, []).append(dict(value))
        return self

    def build(self) -> Reform:
        return Reform.from_dict(self._data)


def _known_parameters() -> dict[str, str]:
    """Every bundled or plugin parameter name -> the kind of its first value (loads every jurisdiction)."""
    known: dict[str, str] = {}
    for jid in list_jurisdictions():
        try:
            policy = get_policy(jid)
        except Exception:  # a broken plugin must not block a reform of the built-in rules
            continue
        for pname, param in policy.parameters.items():
            kinds = [v.kind for v in param.values if v.kind != "not_stated"]
            known[pname] = kinds[0] if kinds else "not_stated"
    return known
