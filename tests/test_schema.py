"""JSON Schema export: valid JSON, strict inputs, money as patterned strings, dumps that fit the schema."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import io
import json
import re
from pathlib import Path
from typing import Any

import pydantic
import pytest

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
import tuoyu_rules.cli.schema as cli_schema
from tuoyu_rules.io import schema

MONEY_PATTERN = r"^\d{1,13}(\.\d{1,2})?$"


def _facility() -> tr.Facility:
    return tr.Facility.model_validate(
        {
            "jurisdiction": "xiamen",
            "mode": "self_run",
            "self_built": True,
            "places": 40,
            "enrolled": 28,
            "classes": [12, 8],
            "designations": [{"program": "cn.caring_employer", "year": 2022}],
        }
    )


def _assessment() -> tr.Assessment:
    return tr.assess(_facility(), on=dt.date(2024, 6, 1), pins={"xiamen.construction_subsidy": "80000"})


def _walk(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        found.append((path, node))
        for key, value in node.items():
            found += _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _walk(value, f"{path}/{i}")
    return found


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node
    assert ref.startswith("#/$defs/"), ref
    target = root["$defs"][ref.removeprefix("#/$defs/")]
    assert isinstance(target, dict)
    return target


# -- the schemas --------------------------------------------------------------------------------------------


def test_the_public_models_have_schemas() -> None:
    names = schema.model_names()
    for name in ("Facility", "Designation", "Assessment", "Entitlement", "Obligation", "AmountRange", "Citation"):
        assert name in names
    for name in names:
        assert isinstance(getattr(tr, name), type)
        assert issubclass(getattr(tr, name), pydantic.BaseModel)


def test_every_public_pydantic_model_is_covered() -> None:
    public = {
        n for n in tr.__all__ if isinstance(getattr(tr, n), type) and issubclass(getattr(tr, n), pydantic.BaseModel)
    }
    assert set(schema.model_names()) == public


def test_input_models_are_public_models() -> None:
    assert set(schema.model_names()) >= schema.INPUT_MODELS


@pytest.mark.parametrize("name", schema.model_names())
def test_schema_is_valid_json_of_draft_2020_12(name: str) -> None:
    text = schema.dumps(schema.schema(name))
    data = json.loads(text)
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert data["title"] == name
    assert data["type"] == "object"
    assert data["x-tuoyu-mode"] == schema.mode_of(name)
    for where, node in _walk(data):
        ref = node.get("$ref")
        if isinstance(ref, str):
            assert ref.removeprefix("#/$defs/") in data.get("$defs", {}), f"{name}{where}: dangling {ref}"
    if importlib.util.find_spec("jsonschema") is not None:
        jsonschema = importlib.import_module("jsonschema")
        jsonschema.Draft202012Validator.check_schema(data)


def test_facility_schema_rejects_unknown_properties() -> None:
    facility = schema.schema("Facility")
    assert facility["additionalProperties"] is False
    assert facility["$defs"]["Designation"]["additionalProperties"] is False
    assert schema.mode_of("Facility") == "validation"
    assert set(facility["required"]) == {"jurisdiction", "mode", "places", "enrolled"}
    assert facility["properties"]["mode"]["enum"] == list(tr.MODES)


@pytest.mark.parametrize("name", sorted(schema.INPUT_MODELS))
def test_every_input_schema_is_closed(name: str) -> None:
    data = schema.schema(name)
    for where, node in _walk(data):
        if node.get("type") == "object" and "properties" in node:
            assert node.get("additionalProperties") is False, f"{name}{where}"


def test_money_fields_are_strings_with_a_pattern() -> None:
    amount = schema.schema("Assessment")["$defs"]["AmountRange"]["properties"]
    assert amount["low"]["type"] == "string"
    assert amount["low"]["pattern"] == MONEY_PATTERN
    assert {"type": "string", "pattern": MONEY_PATTERN, "examples": ["50000.00"]} in amount["high"]["anyOf"]
    designation = schema.schema("Designation")["properties"]["amount"]
    assert any(option.get("pattern") == MONEY_PATTERN for option in designation["anyOf"])
    for good in ("0", "50000", "50000.00", "0.5", "1000000000000"):
        assert re.match(MONEY_PATTERN, good)
    for bad in ("-1", "1e5", "0.001", "50,000", "NaN", ""):
        assert not re.match(MONEY_PATTERN, bad)


def test_no_money_is_a_json_number() -> None:
    for name in schema.model_names():
        for where, node in _walk(schema.schema(name)):
            if node.get("pattern") == MONEY_PATTERN:
                assert node["type"] == "string", f"{name}{where}"


def test_outputs_list_every_field_as_required() -> None:
    entitlement = schema.schema("Assessment")["$defs"]["Entitlement"]
    assert set(entitlement["required"]) == set(entitlement["properties"])
    assert schema.mode_of("Assessment") == "serialization"


def test_unknown_model_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(tr.InvalidInput, match="Facility"):
        schema.schema("Facilty")


def test_write_files(tmp_path: Path) -> None:
    paths = schema.write(tmp_path, ("Facility", "Assessment"))
    assert [p.name for p in paths] == ["Facility.schema.json", "Assessment.schema.json"]
    assert json.loads(paths[0].read_text(encoding="utf-8")) == schema.schema("Facility")


# -- the data fits the schema -------------------------------------------------------------------------------


def _check(root: dict[str, Any], node: dict[str, Any], value: Any, where: str) -> None:
    """A small validator for the subset of JSON Schema pydantic emits (runs without ``jsonschema``)."""
    node = _resolve(root, node)
    if "anyOf" in node:
        errors = []
        for option in node["anyOf"]:
            try:
                _check(root, option, value, where)
                return
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{where}: no option of anyOf fits: {errors}")
    if "const" in node:
        assert value == node["const"], where
    if "enum" in node:
        assert value in node["enum"], f"{where}: {value!r} not in {node['enum']}"
    kind = node.get("type")
    checks = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
    }
    if isinstance(kind, str):
        assert checks[kind](value), f"{where}: {value!r} is not {kind}"
    if isinstance(value, str) and "pattern" in node:
        assert re.search(node["pattern"], value), f"{where}: {value!r} does not match {node['pattern']}"
    if isinstance(value, dict):
        for key in node.get("required", []):
            assert key in value, f"{where}: missing {key}"
        props = node.get("properties", {})
        for key, item in value.items():
            if key in props:
                _check(root, props[key], item, f"{where}/{key}")
            else:
                assert node.get("additionalProperties", True) is not False, f"{where}: extra key {key}"
    if isinstance(value, list) and "items" in node:
        for i, item in enumerate(value):
            _check(root, node["items"], item, f"{where}/{i}")


def test_a_dumped_assessment_fits_the_assessment_schema_without_jsonschema() -> None:
    root = schema.schema("Assessment")
    _check(root, root, _assessment().model_dump(mode="json"), "Assessment")


def test_a_facility_fits_its_schema_and_a_typo_does_not() -> None:
    root = schema.schema("Facility")
    data = _facility().model_dump(mode="json")
    _check(root, root, data, "Facility")
    with pytest.raises(AssertionError, match="extra key place"):
        _check(root, root, {**data, "place": 3}, "Facility")


def test_a_dumped_assessment_is_an_instance_of_the_assessment_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    dumped = json.loads(json.dumps(_assessment().model_dump(mode="json")))
    jsonschema.validate(dumped, schema.schema("Assessment"), cls=jsonschema.Draft202012Validator)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {**dumped, "entitlements": [{**dumped["entitlements"][0], "amount": {"low": 1.5, "high": None}}]},
            schema.schema("Assessment"),
            cls=jsonschema.Draft202012Validator,
        )


def test_facility_schema_accepts_what_the_model_accepts_with_jsonschema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    facility_schema = schema.schema("Facility")
    good = _facility().model_dump(mode="json")
    jsonschema.validate(good, facility_schema, cls=jsonschema.Draft202012Validator)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**good, "place": 3}, facility_schema, cls=jsonschema.Draft202012Validator)


# -- tuoyu schema -------------------------------------------------------------------------------------------


def _run(argv: list[str]) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="tuoyu")
    sub = parser.add_subparsers(dest="command", required=True)
    cli_schema.add_commands(sub)
    args = parser.parse_args(argv)
    out = io.StringIO()
    status: int = args.func(args, out, io.StringIO(""))
    return status, out.getvalue()


def test_command_prints_every_schema() -> None:
    status, text = _run(["schema"])
    assert status == 0
    data = json.loads(text)
    assert sorted(data) == sorted(schema.model_names())
    assert data["Facility"] == schema.schema("Facility")


def test_command_prints_one_model() -> None:
    status, text = _run(["schema", "--model", "Assessment"])
    assert status == 0
    assert json.loads(text) == schema.schema("Assessment")


def test_command_writes_files(tmp_path: Path) -> None:
    status, text = _run(["schema", "--out", str(tmp_path / "out"), "--model", "Facility"])
    assert status == 0
    assert text.strip() == str(tmp_path / "out" / "Facility.schema.json")
    status, _ = _run(["schema", "--out", str(tmp_path / "all")])
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == sorted(
        schema.file_name(n) for n in schema.model_names()
    )


def test_command_refuses_an_unknown_model() -> None:
    with pytest.raises(cli.BadInput, match="unknown model 'Facilty'"):
        _run(["schema", "--model", "Facilty"])


def test_command_refuses_an_unwritable_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(cli.BadInput, match="--out"):
        _run(["schema", "--out", str(blocker / "sub")])


def test_wired_into_the_tuoyu_command() -> None:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(["schema", "--model", "Designation"], stdout=out, stderr=err)
    if "invalid choice" in err.getvalue():
        pytest.skip("cli_schema is not registered in tuoyu_rules.cli yet")
    assert status == 0, err.getvalue()
    assert json.loads(out.getvalue())["title"] == "Designation"
    err = io.StringIO()
    assert cli.main(["schema", "--model", "Nope"], stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue().startswith("tuoyu: error: --model: unknown model 'Nope'")
