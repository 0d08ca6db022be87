"""JSON Schema of the public input and output models, for systems written in other languages.

Every public pydantic model of the package (every name in ``tuoyu_rules.__all__`` that is a pydantic model)
has a schema:

* **inputs** (what a caller builds and sends: :data:`INPUT_MODELS`, such as ``Facility`` and
  ``UnionSpendingPlan``) in pydantic's ``validation`` mode: the JSON a caller may send. Unknown keys are
  refused (``additionalProperties: false``).
* **outputs** (everything else: an :class:`~tuoyu_rules.core.results.Assessment` and its parts) in
  ``serialization`` mode: the JSON that ``model_dump(mode="json")`` produces. Every field of an output is
  listed as required, since a dump always writes every field.

Money is a JSON string of yuan with at most two decimals (``"50000.00"``, pattern
``^\\d{1,13}(\\.\\d{1,2})?$``), never a JSON number: a binary float cannot hold a fen exactly.

>>> facility = schema("Facility")
>>> facility["additionalProperties"]
False
>>> "Assessment" in model_names()
True
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema

from ..core.errors import InvalidInput

SchemaMode = Literal["validation", "serialization"]

JSON_SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

INPUT_MODELS: Final[frozenset[str]] = frozenset(
    {
        "Facility",
        "Designation",
        "UnionSpendingPlan",
        "SpendingItem",
        "StandardsInput",
        "ChildcareClass",
    }
)
"""Public models a caller sends in (schema in ``validation`` mode). Every other public model is an output.
Add a new public input model here; a test checks each name is a public model."""


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, with every field required in ``serialization`` mode (a dump writes them all)."""

    def field_is_required(
        self,
        field: core_schema.ModelField | core_schema.DataclassField | core_schema.TypedDictField,
        total: bool,
    ) -> bool:
        if self.mode == "serialization":
            return True
        return super().field_is_required(field, total)


def _public_models() -> dict[str, type[BaseModel]]:
    package = importlib.import_module("tuoyu_rules")
    found: dict[str, type[BaseModel]] = {}
    for name in sorted(getattr(package, "__all__", ())):
        if name.startswith("_"):
            continue
        obj = getattr(package, name, None)
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            found[name] = obj
    return found


def model_names() -> tuple[str, ...]:
    """Names of every model with a schema: the inputs first, then the outputs, each sorted."""
    names = _public_models()
    return (*sorted(n for n in names if n in INPUT_MODELS), *sorted(n for n in names if n not in INPUT_MODELS))


def mode_of(name: str) -> SchemaMode:
    """``validation`` for an input model, ``serialization`` for an output."""
    return "validation" if name in INPUT_MODELS else "serialization"


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one public model, by class name (``"Facility"``).

    :raises InvalidInput: ``name`` is not a public model; the message lists the known names.
    """
    models = _public_models()
    model = models.get(name) if isinstance(name, str) else None
    if model is None:
        problem = "unknown model {name}; known: {known}"
        raise InvalidInput.coded(
            "model", "error.io.schema.unknown_model", problem, name=repr(name), known=", ".join(model_names())
        )
    mode = mode_of(name)
    generated = model.model_json_schema(mode=mode, schema_generator=_Generator)
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        **generated,
        "x-tuoyu-mode": mode,
    }


def schemas() -> dict[str, dict[str, Any]]:
    """Every public model's schema, by name (inputs first)."""
    return {name: schema(name) for name in model_names()}


def dumps(value: Mapping[str, Any]) -> str:
    """Stable JSON text of a schema (sorted keys, UTF-8 characters kept, two-space indent, final newline)."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def file_name(name: str) -> str:
    """``"Facility"`` -> ``"Facility.schema.json"``."""
    return f"{name}.schema.json"


def write(directory: str | Path, names: tuple[str, ...] | None = None) -> tuple[Path, ...]:
    """Write ``<Name>.schema.json`` for each model (all by default) into ``directory``; return the paths."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names if names is not None else model_names():
        path = out / file_name(name)
        path.write_text(dumps(schema(name)), encoding="utf-8")
        written.append(path)
    return tuple(written)
