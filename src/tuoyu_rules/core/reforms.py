"""Reforms: what-if overlays on the dated parameters, never edits of the law.

A :class:`Reform` replaces the values of named parameters (Xiamen's operating range, a provincial match
ratio, a national batch amount) for an assessment, without touching the bundled data. Every value a reform
supplies is flagged ``what_if=True`` in the result's parameter list, and the entry's reasons say that it
rests on a what-if, not on law.

A reform is plain data, in the same shape as a jurisdiction file's parameter values (``cite`` optional)::

    {
      "name": "xiamen-operating-up",
      "description": "Xiamen raises its operating subsidy to 20,000-30,000 a year",
      "description_zh": "厦门市将运营补助提高到每年2万~3万元",
      "parameters": {
        "xiamen.operating_subsidy.amount": [{"kind": "range", "low": "20000", "high": "30000"}]
      }
    }

An override value with neither dates nor a batch applies on every day and to every batch; one with
``start``/``end`` applies on those days; one with ``batch`` to that batch year. Elsewhere the law applies.

What a reform may say is checked when it is built (:meth:`Reform.from_dict`, :meth:`Reform.load`, or the
constructor itself), each problem an :class:`~tuoyu_rules.core.errors.InvalidInput` naming the entry:

* a parameter the law has, with a value of its kind (or ``not_stated``);
* for a ``choice``, one of the options the law (or its documented reading) offers; ``options`` may be left
  out (they are the law's) and, when given, must be the law's;
* for a ``ratio``, plain ASCII digits in ``[0, MAX_RATIO]`` (see :mod:`~tuoyu_rules.core.parameters`);
* values that never overlap, so none silently wins over another: a value with neither dates nor a batch is
  the parameter's only value; dated values do not share a day; batch years are unique; a batch-keyed
  parameter takes batch values, a dated one dated values.

Checking loads only the jurisdictions the parameter names start with (a parameter id starts with its
jurisdiction's id; a district's may start with its city's, so a name not found there is looked up in the
bundled jurisdictions), never an unrelated plugin. A reform pickles to an equal reform (for a worker).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import itertools
import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .digest import canonical_json
from .errors import InvalidInput, UnknownProgram
from .jsonio import loads as loads_json
from .parameters import Choice, DatedValue, Parameter, Ratio, ValueProblem, parse_value, ratio_error
from .registry import builtin_jurisdictions, get_policy, list_jurisdictions

_NAMED = "a non-empty name, shown in every result it changes"
"""The problem of a reform without a name (``error.reform.name``)."""


@dataclass(frozen=True)
class Reform:
    """A named set of parameter overrides. Build with :meth:`from_dict`, :meth:`load` or :meth:`of`."""

    name: str
    description: str
    overrides: Mapping[str, tuple[DatedValue, ...]]
    data: Mapping[str, Any] = field(repr=False, compare=False)
    """The plain data the reform was built from (what :meth:`dumps` writes)."""

    def __post_init__(self) -> None:
        """Check every override against the law's parameter (see the module's list); freeze the overrides."""
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidInput.coded("reform.name", "error.reform.name", _NAMED)
        if not isinstance(self.overrides, Mapping) or not self.overrides:
            problem = "a mapping of parameter name to a tuple of values"
            raise InvalidInput.coded("reform.parameters", "error.reform.overrides", problem)
        known = _baseline(self.overrides)
        for pname, values in self.overrides.items():
            param = known.get(pname)
            if param is None:
                raise UnknownProgram("parameter in reform", pname, known)
            _check_values(f"reform.parameters[{pname}]", values, param)
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))
        object.__setattr__(self, "data", copy.deepcopy(dict(self.data)))  # the builder's later calls leave it be

    @property
    def description_zh(self) -> str | None:
        """The description in Chinese (the data's optional ``description_zh``), or None when it gives none."""
        found = self.data.get("description_zh")
        return found if isinstance(found, str) and found else None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as plain state (a mappingproxy does not pickle); unpickling gives an equal reform."""
        return _restore, (self.name, self.description, dict(self.overrides), dict(self.data))

    @functools.cached_property
    def canonical(self) -> bytes:
        """The name and overrides as canonical JSON bytes: what a rules version folds in (made once per reform,
        not once per facility assessed under it)."""
        return canonical_json({"name": self.name, "overrides": dict(self.overrides)})

    # -- construction --------------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reform:
        """Validate plain data (JSON or TOML) into a reform; errors name the entry at fault."""
        if not isinstance(data, Mapping):
            raise InvalidInput.coded(
                "reform", "error.reform.not_mapping", "a mapping with name, description and parameters"
            )
        unknown = set(data) - {"name", "description", "description_zh", "parameters"}
        if unknown:  # sorted as text: keys of a Python mapping need not be comparable
            shown, keys = sorted(unknown, key=str), "name, description, description_zh, parameters"
            raise InvalidInput.coded(
                "reform", "error.reform.keys", "unknown keys {unknown}; use {known}", unknown=shown, known=keys
            )
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput.coded("reform.name", "error.reform.name", _NAMED)
        description = data.get("description", "")
        if not isinstance(description, str):
            raise InvalidInput.coded("reform.description", "error.reform.description", "text")
        if not isinstance(data.get("description_zh", ""), str):
            raise InvalidInput.coded("reform.description_zh", "error.reform.description", "text")
        params = data.get("parameters")
        if not isinstance(params, Mapping) or not params:
            problem = "a mapping of parameter name to a list of values"
            raise InvalidInput.coded("reform.parameters", "error.reform.parameters", problem)
        known = _baseline(params)
        overrides: dict[str, tuple[DatedValue, ...]] = {}
        for pname, raw_values in params.items():
            where = f"reform.parameters[{pname}]"
            param = known.get(pname)
            if param is None:
                raise UnknownProgram("parameter in reform", pname, known)
            if isinstance(raw_values, Mapping):
                raw_values = [raw_values]
            if not isinstance(raw_values, list) or not raw_values:
                raise InvalidInput.coded(where, "error.reform.values", "a list of values (or one value)")
            values = []
            for i, raw in enumerate(raw_values):
                if not isinstance(raw, Mapping):
                    problem = "a table of kind, low, high, ... as in the data files"
                    raise InvalidInput.coded(f"{where}[{i}]", "error.reform.value_table", problem)
                if raw.get("kind") == "choice" and _options(param):  # the law's options, which may be left out
                    _check_choice(f"{where}[{i}]", param, raw.get("choice"), raw.get("options", _options(param)))
                    raw = {**raw, "options": list(_options(param))}
                try:
                    value = parse_value(raw, f"{where}[{i}]", None)
                except ValueProblem as exc:  # the entry it names, its code (core/errors_parameters.toml) and params
                    raise exc.as_input() from None
                values.append(value)
            overrides[pname] = tuple(values)
        return cls(name=name, description=description, overrides=MappingProxyType(overrides), data=dict(data))

    @classmethod
    def of(cls, name: str, description: str = "") -> _ReformBuilder:
        """Start a reform in code: ``Reform.of("x").set("xiamen.operating_subsidy.amount", low=..., ...)``."""
        return _ReformBuilder(name, description)

    @classmethod
    def loads(cls, text: str, *, format: str = "json") -> Reform:
        """Parse a reform from JSON (default; read by :func:`tuoyu_rules.core.jsonio.loads`, the library's one
        JSON policy) or TOML text."""
        if format not in ("json", "toml"):  # issue 15: one error family (None was an AttributeError)
            problem = "{value} is not a reform format; use {json} or {toml}"
            shown = f"{format!r:.40}"
            raise InvalidInput.coded(
                "format", "error.reform.format", problem, value=shown, json="'json'", toml="'toml'"
            )
        if format == "json":
            return cls.from_dict(loads_json(text, field="reform"))
        if not isinstance(text, str):
            problem = "{format} text, not a {type}"
            raise InvalidInput.coded(
                "reform", "error.reform.text_type", problem, format="TOML", type=type(text).__name__
            )
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            problem = "not valid {format}: {detail}"
            raise InvalidInput.coded("reform", "error.reform.syntax", problem, format="TOML", detail=exc) from None
        except RecursionError:
            problem = "{format} nested too deeply"
            raise InvalidInput.coded("reform", "error.reform.too_deep", problem, format="TOML") from None
        except ValueError as exc:  # an integer of more digits than Python converts
            problem = "unreadable number: {detail}"
            raise InvalidInput.coded("reform", "error.reform.number", problem, detail=str(exc)[:80]) from None
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> Reform:
        """Read a reform file: ``.toml`` as TOML, anything else as JSON."""
        if not isinstance(path, str | Path):  # issue 15: one error family (was a TypeError)
            problem = "a file path, not a {type}"
            raise InvalidInput.coded("reform", "error.reform.path_type", problem, type=type(path).__name__)
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            problem = "cannot read {path}: {detail}"
            raise InvalidInput.coded(
                "reform", "error.reform.unreadable", problem, path=p, detail=exc.strerror or exc
            ) from None
        except (ValueError, UnicodeDecodeError) as exc:  # a NUL in the path; a file that is not UTF-8
            problem = "cannot read {path}: {detail}"
            shown = f"{str(p)!r:.80}"
            raise InvalidInput.coded("reform", "error.reform.unreadable", problem, path=shown, detail=exc) from None
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


def _restore(name: str, description: str, overrides: dict[str, tuple[DatedValue, ...]], data: dict[str, Any]) -> Reform:
    """Unpickle a reform: its values were checked when it was built, so the registry is not asked again."""
    reform = object.__new__(Reform)
    for key, value in (("name", name), ("description", description), ("data", data)):
        object.__setattr__(reform, key, value)
    object.__setattr__(reform, "overrides", MappingProxyType(overrides))
    return reform


def _baseline(names: Iterable[object]) -> dict[str, Parameter]:
    """The law's parameters a reform may name, loading only the jurisdictions its names start with.

    A parameter id starts with its jurisdiction's id (``weifang.county_match.ratio``), or, for a district, with
    its city's (``xiamen.siming_allowance.amount``): a name not found in the jurisdiction it names is looked up
    in the bundled jurisdictions. No other plugin is loaded; a named plugin that is broken raises its error.
    """
    wanted: list[str] = []
    for name in names:
        if not isinstance(name, str):
            problem = "parameter names are text, not {type}"
            raise InvalidInput.coded(
                "reform.parameters", "error.reform.parameter_name", problem, type=type(name).__name__
            )
        wanted.append(name)
    registered = set(list_jurisdictions())
    known: dict[str, Parameter] = {}
    for jid in sorted({name.split(".", 1)[0] for name in wanted} & registered):
        known.update(get_policy(jid).parameters)
    if any(name not in known for name in wanted):
        for jid in builtin_jurisdictions():
            for pname, param in get_policy(jid).parameters.items():
                known.setdefault(pname, param)
    return known


def _options(param: Parameter) -> tuple[str, ...]:
    """The readings a ``choice`` parameter offers, over all its values, in the data's order."""
    found: dict[str, None] = {}
    for v in param.values:
        if isinstance(v.value, Choice):
            found.update(dict.fromkeys(v.value.options))
    return tuple(found)


def _check_choice(where: str, param: Parameter, choice: object, options: object) -> None:
    """A reform's ``choice`` must be one the law offers, and its ``options`` (when given) the law's."""
    offered = _options(param)
    if not isinstance(choice, str) or choice not in offered:
        problem = "{value} is not an option of {parameter}: the law (or its documented reading) offers only {options}"
        shown = repr(choice)
        raise InvalidInput.coded(
            f"{where}.choice",
            "error.reform.choice",
            problem,
            value=shown,
            parameter=param.name,
            options=", ".join(offered),
        )
    if not isinstance(options, list | tuple) or not all(isinstance(o, str) for o in options):
        problem = "a list of the options of {parameter} ({options})"
        raise InvalidInput.coded(
            f"{where}.options", "error.reform.options_type", problem, parameter=param.name, options=", ".join(offered)
        )
    if set(options) != set(offered):
        problem = "the options of {parameter} are the law's ({options})"
        raise InvalidInput.coded(
            f"{where}.options", "error.reform.options_law", problem, parameter=param.name, options=", ".join(offered)
        )


def _check_values(where: str, values: object, param: Parameter) -> None:
    """Check a reform's values of ``param``: kinds, choices, ratios, then the periods (see the module)."""
    if not isinstance(values, tuple) or not values or not all(isinstance(v, DatedValue) for v in values):
        problem = "a non-empty tuple of DatedValue (build reforms with Reform.from_dict or .of)"
        raise InvalidInput.coded(where, "error.reform.values_type", problem)
    kinds = [v.kind for v in param.values if v.kind != "not_stated"]
    baseline_kind = kinds[0] if kinds else "not_stated"
    for i, value in enumerate(values):
        if value.kind not in (baseline_kind, "not_stated"):
            kind, baseline = repr(value.kind), repr(baseline_kind)
            problem = "{kind} cannot override a {baseline} parameter"
            raise InvalidInput.coded(f"{where}[{i}].kind", "error.reform.kind", problem, kind=kind, baseline=baseline)
        if isinstance(value.value, Choice):
            _check_choice(f"{where}[{i}]", param, value.value.value, value.value.options)
        if isinstance(value.value, Ratio):
            wrong = ratio_error(value.value.value, f"{where}[{i}].ratio")
            if wrong is not None:
                raise wrong.as_input()
    _check_periods(where, values, param)


def _check_periods(where: str, values: tuple[DatedValue, ...], param: Parameter) -> None:
    """Values that never overlap: one everywhere alone; dated ones on no shared day; unique batch years."""
    everywhere = [i for i, v in enumerate(values) if v.batch is None and v.start is None and v.end is None]
    if everywhere and len(values) > 1:
        problem = (
            "a value with neither dates nor a batch applies on every day and to every batch: it must be the only one"
        )
        raise InvalidInput.coded(f"{where}[{everywhere[0]}]", "error.reform.everywhere_alone", problem)
    batches = [v.batch for v in values if v.batch is not None]
    if len(set(batches)) != len(batches):
        problem = "batch years {years} repeat: one value per batch year"
        raise InvalidInput.coded(where, "error.reform.batch_twice", problem, years=str(batches))
    if batches and not param.by_batch:
        problem = "{parameter} is dated, not keyed by batch: give start/end, not batch"
        raise InvalidInput.coded(where, "error.reform.dated", problem, parameter=param.name)
    dated = sorted((v for v in values if v.start is not None or v.end is not None), key=_first_day)
    if dated and param.by_batch:
        problem = "{parameter} is keyed by batch year: give batch, not start/end"
        raise InvalidInput.coded(where, "error.reform.by_batch", problem, parameter=param.name)
    for before, after in itertools.pairwise(dated):
        if before.end is None or _first_day(after) <= before.end:
            problem = "values overlap ({first} and {second}): one value per day, none silently wins"
            first, second = before.period(), after.period()
            raise InvalidInput.coded(where, "error.reform.overlap", problem, first=first, second=second)


def _first_day(value: DatedValue) -> dt.date:
    return dt.date.min if value.start is None else value.start
