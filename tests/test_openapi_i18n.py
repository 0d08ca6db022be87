"""The service's OpenAPI document in both languages (issue 16): every property of every model, and every query
parameter, is described ``"<中文标签> — <English>"``, with the Chinese label alone under ``x-label-zh``.

The label is the field's glossary term (``core/glossary.toml``, ``[field]``); the English is the field's own
description, else its docstring, else ``server/openapi.toml``. Built in process (``create_app().openapi()``);
skipped without the extra ``server``.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
from importlib import resources
from typing import Any

import pytest

from tuoyu_rules.core.messages import glossary

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("fastapi") is None, reason="the extra 'server' (FastAPI, uvicorn) is not installed"
)

RESULT_MODELS = ("Facility", "Assessment", "Entitlement", "Obligation", "Citation", "Explanation")
"""The models a client reads and writes most: every property of each is in both languages."""
THEIR_PARTS = ("Designation", "Receipt", "ParameterUse", "AmountRange")
"""The models those hold."""

LATIN = re.compile(r"[A-Za-z]")
DASH = " — "


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    from tuoyu_rules.server.app import create_app
    from tuoyu_rules.server.settings import Settings

    document: dict[str, Any] = create_app(Settings()).openapi()
    return document


def labels() -> dict[str, str]:
    return {key.split(".", 1)[1]: zh for key, (zh, _) in glossary().items() if key.startswith("field.")}


def unlabelled(schema: dict[str, Any]) -> list[str]:
    """The properties of a component schema not described in both languages, with why."""
    terms = labels()
    wrong = []
    for name, prop in schema.get("properties", {}).items():
        zh, text = prop.get("x-label-zh"), prop.get("description", "")
        label, _, english = text.partition(DASH)
        if name not in terms:
            wrong.append(f"{name}: no glossary term field.{name}")
        elif zh != terms[name] or label != zh:
            wrong.append(f"{name}: label {zh!r}, description {text[:40]!r}; the glossary says {terms[name]!r}")
        elif not LATIN.search(english):
            wrong.append(f"{name}: no English after the label: {text!r}")
    return wrong


@pytest.mark.parametrize("model", RESULT_MODELS + THEIR_PARTS)
def test_every_property_of_the_results_has_chinese_and_english(doc: dict[str, Any], model: str) -> None:
    schema = doc["components"]["schemas"][model]
    assert schema["properties"], model
    assert unlabelled(schema) == [], model


def test_every_property_of_every_model_has_chinese_and_english(doc: dict[str, Any]) -> None:
    """The requests, budgets, fees, the allowance, the jurisdictions, the errors: every component."""
    wrong = {name: bad for name, schema in doc["components"]["schemas"].items() if (bad := unlabelled(schema))}
    assert wrong == {}


def test_labels_are_chinese_and_the_english_is_the_fields_own(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    places = schemas["Facility"]["properties"]["places"]
    assert places["description"] == "托位数 — 托位: licensed capacity."  # the docstring under the field
    assert places["x-label-zh"] == "托位数"
    status = schemas["Entitlement"]["properties"]["status"]  # _Entry.status in openapi.toml: no docstring
    assert status["description"].startswith("状态 — `eligible`, `ineligible`, or `undetermined`")
    assert schemas["Obligation"]["properties"]["status"]["description"] == status["description"]
    received = schemas["Facility"]["properties"]["received"]["description"]
    assert "(`Receipt`: programme, day, amount)" in received  # reStructuredText roles as Markdown code
    assert "``" not in received
    assert ":class:" not in received
    error = schemas["ErrorBody"]["properties"]["line"]["description"]  # a Field(description=) is kept
    assert error == "行号 — `POST /assess/batch` only: the input line (from 1)."
    facility = schemas["Assessment"]["properties"]["facility"]  # a reference with its description beside it
    assert facility["$ref"] == "#/components/schemas/Facility"
    assert facility["description"].startswith("托育机构 — ")
    for schema in schemas.values():
        for prop in schema.get("properties", {}).values():
            assert not LATIN.search(prop.get("x-label-zh", "")), prop


def test_query_parameters_have_chinese_and_english(doc: dict[str, Any]) -> None:
    terms = labels()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", ()):
                name = parameter["name"]
                if name not in terms:
                    continue  # a path's own id (`jurisdiction_id`), described in English
                assert parameter["x-label-zh"] == terms[name], (path, method, name)
                assert parameter["description"].startswith(f"{terms[name]}{DASH}"), (path, method, name)
    on = {p["name"]: p for p in doc["paths"]["/assess"]["post"]["parameters"]}["on"]
    assert on["description"] == "评估日期 — The day whose rules apply, YYYY-MM-DD."


def test_the_english_file_names_only_fields_without_a_docstring() -> None:
    """Each ``<Class>.<field>`` of ``server/openapi.toml`` is a field of a model of the document that has no
    description or docstring of its own (the text there would never be read otherwise)."""
    from tuoyu_rules.server.openapi import MODELS, attribute_docs, reachable

    text = resources.files("tuoyu_rules.server").joinpath("openapi.toml").read_text(encoding="utf-8")
    descriptions: dict[str, str] = tomllib.loads(text)["descriptions"]
    models = list(reachable(model for model, _ in MODELS).values())
    for key, english in descriptions.items():
        owner, _, field = key.partition(".")
        holders = [m for m in models if any(cls.__name__ == owner for cls in m.__mro__)]
        assert holders, f"{key}: no model of the document is or derives from {owner}"
        for model in holders:
            assert field in model.model_fields, f"{key}: {model.__name__} has no field {field}"
            assert field not in attribute_docs(model), f"{key}: {model.__name__}.{field} has a docstring now"
            assert not model.model_fields[field].description, f"{key}: {model.__name__}.{field} has a description"
        assert english.endswith("."), key


def test_the_models_components_are_not_changed() -> None:
    """The labels go into the document, not into the shared components (a second app gets the same document)."""
    from tuoyu_rules.server.app import create_app
    from tuoyu_rules.server.openapi import Components
    from tuoyu_rules.server.settings import Settings

    components = Components()
    assert "x-label-zh" not in str(components.schemas)
    first, second = create_app(Settings()).openapi(), create_app(Settings()).openapi()
    assert first == second
