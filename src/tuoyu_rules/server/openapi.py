"""The OpenAPI document: every model the service reads or writes, by the library's own pydantic models.

The service reads its bodies with the library's JSON reader (not FastAPI's), so the request bodies are described
here (:class:`Components`) and referenced from each route's ``openapi_extra``; :func:`document` merges the models
into the document FastAPI builds from the routes.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import JsonSchemaMode, models_json_schema

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


def document(app: FastAPI, components: Components, description: str) -> dict[str, Any]:
    """The OpenAPI document of ``app``: its routes, with every model of :data:`MODELS` among the components."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=description, routes=app.routes)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(components.schemas)
        app.openapi_schema = schema
    return app.openapi_schema
