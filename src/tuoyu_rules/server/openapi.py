"""The OpenAPI document: every model the service reads or writes, by the library's own pydantic models.

The service reads its bodies with the library's JSON reader (not FastAPI's), so the request bodies are described
here (:class:`Components`) and referenced from each route's ``openapi_extra``; :func:`document` merges the models
into the document FastAPI builds from the routes.

Every property of the models, and every query parameter, is described in both languages when the document is
made (:func:`bilingual`): ``description`` is ``"<中文标签> — <English>"`` and the extension ``x-label-zh`` holds the
Chinese label alone. The label is the field's glossary term (``core/glossary.toml``, ``[field]``); the English is
the field's own description, else the docstring under the field in its model, else ``openapi.toml``'s text.
"""

from __future__ import annotations

import ast
import copy
import functools
import inspect
import itertools
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import Any, Final, Literal, get_args

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from ..core.messages import glossary
from ..core.models import Facility
from ..core.results import Assessment
from ..families import Allowance, FeeQuote
from ..whatif import Budget
from .bodies import AssessRequest, BudgetRequest, CompareRequest, FeeRequest
from .errors import ErrorBody
from .policies import JurisdictionDetail, JurisdictionSummary

JSON = "application/json"
NDJSON = "application/x-ndjson"


class Health(BaseModel):
    """``GET /healthz``: the service is up."""

    model_config = ConfigDict(frozen=True)

    status: Literal["ok"] = Field(description="Always `ok` when the service answers.")


class VersionInfo(BaseModel):
    """``GET /version``: what produces the answers."""

    model_config = ConfigDict(frozen=True)

    tuoyu_rules: str = Field(description="The package version.")
    rules_versions: dict[str, str] = Field(
        description="Jurisdiction id -> the rules version of its chain (the package version and a digest of the "
        "rules data of every layer, built-in or plugin), as every assessment there records it in `rules_version`."
    )
    languages: tuple[str, ...] = Field(description="The languages whose texts (reasons, errors) the service has.")


MODELS: tuple[tuple[type[BaseModel], JsonSchemaMode], ...] = (
    (Facility, "validation"),
    (AssessRequest, "validation"),
    (CompareRequest, "validation"),
    (BudgetRequest, "validation"),
    (FeeRequest, "validation"),
    (Assessment, "serialization"),
    (Budget, "serialization"),
    (Allowance, "serialization"),
    (FeeQuote, "serialization"),
    (JurisdictionSummary, "serialization"),
    (JurisdictionDetail, "serialization"),
    (ErrorBody, "serialization"),
    (Health, "serialization"),
    (VersionInfo, "serialization"),
)
"""Every model of the service's requests and answers, and the mode it is described in."""


class Components:
    """The JSON Schemas of :data:`MODELS`, as OpenAPI components, and references to them."""

    def __init__(self) -> None:
        refs, defs = models_json_schema(MODELS, ref_template="#/components/schemas/{model}")
        self._refs = refs
        self.schemas: dict[str, Any] = defs.get("$defs", {})

    def ref(self, model: type[BaseModel], mode: JsonSchemaMode = "serialization") -> dict[str, Any]:
        """``{"$ref": ...}`` to ``model``'s schema in ``mode``."""
        return dict(self._refs[(model, mode)])

    def body(self, *models: type[BaseModel], description: str) -> dict[str, Any]:
        """An ``openapi_extra`` with a JSON request body of one of ``models`` (validation mode)."""
        refs = [self.ref(m, "validation") for m in models]
        schema = refs[0] if len(refs) == 1 else {"oneOf": refs}
        return {"requestBody": {"required": True, "description": description, "content": {JSON: {"schema": schema}}}}

    def answer(self, schema: dict[str, Any], description: str, media: str = JSON) -> dict[str, Any]:
        """A ``responses`` entry: ``schema`` under ``media``."""
        return {"description": description, "content": {media: {"schema": schema}}}

    def errors(self, *statuses: int) -> dict[int | str, dict[str, Any]]:
        """``responses`` entries for these error statuses, each an :class:`ErrorBody`."""
        texts = {
            400: "The body is not JSON, or breaks the JSON policy (a key given twice, NaN, too deep).",
            401: "A bearer token is required and was missing or wrong.",
            413: "The body, or the batch, is over its limit.",
            422: "A field or parameter broke a rule: the answer names the field and the rule.",
            503: "The rules of a jurisdiction (a plugin) are broken: not the request's fault.",
        }
        return {s: self.answer(self.ref(ErrorBody), texts[s]) for s in statuses}


# -- both languages ------------------------------------------------------------------------------------------
LABEL: Final = "x-label-zh"
"""The OpenAPI extension that holds the Chinese label of a property (or a parameter) alone."""

DASH: Final = " — "
"""What joins the Chinese label and the English in a ``description``: ``托位数 — 托位: licensed capacity.``"""

_ROLE = re.compile(r":[a-z]+:`(~?)([^`]+)`")
_PACKAGE = __name__.split(".")[0]


def _plain(doc: str) -> str:
    """A docstring as one line of Markdown: ````x```` and ``:role:`x``` as ```x``` (``~a.b.C`` as ```C```)."""
    text = _ROLE.sub(lambda m: f"`{m[2].rsplit('.', 1)[-1] if m[1] else m[2]}`", doc).replace("``", "`")
    return " ".join(text.split())


@functools.cache
def _classes(module: str) -> dict[str, ast.ClassDef]:
    """The classes of one of the package's modules, parsed from its source ({} without one)."""
    try:
        tree = ast.parse(inspect.getsource(sys.modules[module]))
    except (KeyError, OSError, TypeError, SyntaxError):
        return {}
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def attribute_docs(model: type[BaseModel]) -> dict[str, str]:
    """Each field's docstring (the string under its annotation) as one line; a subclass's before its bases'."""
    docs: dict[str, str] = {}
    for cls in model.__mro__:
        node = _classes(cls.__module__).get(cls.__name__) if cls.__module__.startswith(f"{_PACKAGE}.") else None
        body = [] if node is None else node.body
        for field, doc in itertools.pairwise(body):
            if (
                isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(doc, ast.Expr)
                and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)
            ):
                docs.setdefault(field.target.id, _plain(doc.value.value))
    return docs


@functools.cache
def _supplement() -> dict[str, str]:
    """``openapi.toml``: the English of the fields with no docstring, by ``<Class>.<field>``."""
    text = resources.files(__package__).joinpath("openapi.toml").read_text(encoding="utf-8")
    found: dict[str, str] = tomllib.loads(text)["descriptions"]
    return found


def english(model: type[BaseModel], name: str, given: str | None = None) -> str | None:
    """The English of ``model``'s field ``name``: its description (``given``), else its docstring, else
    ``openapi.toml``'s text for it (or for the field of a base class); None when nothing describes it."""
    if given:
        return given
    found = attribute_docs(model).get(name)
    for cls in model.__mro__:
        found = found or _supplement().get(f"{cls.__name__}.{name}")
    return found


def field_labels() -> dict[str, str]:
    """Field name -> its Chinese label: the glossary's ``field`` terms."""
    return {key.split(".", 1)[1]: zh for key, (zh, _) in glossary().items() if key.startswith("field.")}


def labelled(target: dict[str, Any], zh: str | None, en: str | None) -> None:
    """Describe ``target`` (a property or a parameter) as ``"<zh> — <en>"``, with ``zh`` alone under :data:`LABEL`;
    the English alone without a label; nothing changed without English."""
    if not en:
        return
    target["description"] = en if zh is None else f"{zh}{DASH}{en}"
    if zh is not None:
        target[LABEL] = zh


def models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The pydantic models an annotation names, at any depth (``tuple[Citation, ...] | None``: ``Citation``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from models_in(arg)


def reachable(models: Iterable[type[BaseModel]]) -> dict[str, type[BaseModel]]:
    """``models`` and every model their fields hold, at any depth, by name (a component schema's ``title``)."""
    found: dict[str, type[BaseModel]] = {}
    todo = list(models)
    while todo:
        model = todo.pop()
        if model.__name__ not in found:
            found[model.__name__] = model
            todo += [m for f in model.model_fields.values() for m in models_in(f.annotation)]
    return found


def bilingual(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (an OpenAPI document) with every property of its components, and every parameter of its
    operations, described in Chinese and English (:func:`labelled`)."""
    labels = field_labels()
    models = reachable(model for model, _ in MODELS)
    for component in schema.get("components", {}).get("schemas", {}).values():
        model = models.get(component.get("title", ""))
        for name, prop in component.get("properties", {}).items():
            given = prop.get("description")
            labelled(prop, labels.get(name), given if model is None else english(model, name, given))
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                labelled(parameter, labels.get(parameter["name"]), parameter.get("description"))
    return schema


def document(app: FastAPI, components: Components, description: str) -> dict[str, Any]:
    """The OpenAPI document of ``app``: its routes, with every model of :data:`MODELS` among the components, every
    property and parameter described in both languages (:func:`bilingual`)."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=description, routes=app.routes)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(copy.deepcopy(components.schemas))
        app.openapi_schema = bilingual(schema)
    return app.openapi_schema
