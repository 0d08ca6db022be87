"""Chinese output reads as Chinese, English output as English (issue 14): every ``tuoyu`` command that prints text,
run with ``--lang zh`` on the bundled examples and small inputs, prints no run of Latin letters but what the output
is about; the same commands with ``--lang en`` print English.

What may stay in Latin letters in Chinese output (the allow-list), and why:

* **ids and codes the output names**, as the JSON form of the same command gives them (``--format json``): the
  values of its id-bearing keys (:data:`ID_KEYS`: jurisdiction, programme, payer, rule, citation and parameter
  ids, the facts an entry misses such as ``designations[cn.caring_employer].amount``, the fields a finding
  concerns such as ``items[1].category``). A reader looks an id up; it is the same in either language;
* **the ids of every jurisdiction** (its programmes, payers, designations, parameters and citations), for the
  commands with no JSON form (``tuoyu examples``) and the parts a JSON form leaves out;
* **field names and coded values** of the public models, from their JSON Schema (``places``, ``staff_children``,
  ``by_year``; ``one_time``, ``ROUND_HALF_UP``): Chinese text names a field as ``托位数（places）``;
* **argument names** of the public functions: an error names the argument at fault as its field
  (``enrolment[2025-01]``), as it names a model's field;
* **the command line**: ``tuoyu``, its commands, options, their choices and metavariables, the bundled examples'
  names, and the invocation's own arguments (file names, a parameter name and its values);
* **English names in their own columns**: a CSV's ``name_en`` and ``payer_en`` columns (headed in Chinese
  ``项目英文名称``...) hold the English names by design; those columns alone are left out;
* **input data**: the strings of the input the command was given (a facility's name, a reform's name, a plan's
  category): the library shows what it was given, as it was given. The bundled examples' files are input too, but
  for one thing: the bundled reform's English ``description`` is not allowed, since it has a Chinese one
  (``description_zh``) that Chinese output must use.

Anything else (a word of an English sentence, an untranslated term, a unit) fails, with the words found.

English output is checked the other way round: it holds none of the Chinese of the command line's own sentences
(the literal text of the ``zh`` templates of ``cli/messages.toml`` and ``whatif/messages.toml``), and it differs
from the Chinese output. (English output keeps Chinese where the data is Chinese: names, quotes of the sources, a
Chinese source term beside its English.)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import inspect
import io
import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
from tuoyu_rules.cli.common import FACILITY, PORTFOLIO, REFORM, examples
from tuoyu_rules.core.registry import get_policy, list_jurisdictions
from tuoyu_rules.io import schema

SRC = Path(tr.__file__).parent
EXAMPLES = SRC / "examples"
ON = "2024-06-01"

FILES: dict[str, Any] = {
    "plan.json": {
        "items": [
            {
                "category": "childcare_service",
                "amount": "12000",
                "payee": "childcare_provider",
                "settlement": "invoice",
            },
            {"category": "bonus", "amount": "500.5", "payee": "worker", "settlement": "cash"},
        ],
        "budget": "10000",
        "work_plan": True,
        "collective_decision": False,
    },
    "standards.json": {
        "jurisdiction": "hangzhou",
        "classes": [{"kind": "infant", "children": 10, "carers": 3, "youngest_months": 6, "oldest_months": 11}],
        "places": 10,
        "building_area_m2": "120",
        "min_area_per_place_m2": 12,
    },
    "targets.json": {"city_demonstration_sites": 8, "sites_by_district": {"武侯区": 1, "锦江区": 0}},
    "siming.json": {
        "jurisdiction": "siming",
        "mode": "self_run",
        "places": 20,
        "enrolled": 10,
        "staff_children": 4,
        "filed": True,
        "union_dues_paid": True,
    },
    "siming_open.json": {"jurisdiction": "siming", "mode": "self_run", "places": 30, "enrolled": 20},
    "ratio.reform.json": {
        "name": "ratio-ten",
        "parameters": {
            "cn.caring_employer_provincial_match.ratio": [
                {"kind": "ratio", "ratio": "1000", "exact": True, "batch": 2022}
            ]
        },
    },
}
"""Small inputs, written into a folder of their own (``{dir}`` in an invocation)."""

BAD_CSV = "jurisdiction,mode,places,enrolled\nxiamen,self_run,10,20\nxiamen,joint_run,x,3\nxiamen,self_run,10,5\n"
"""A portfolio with two bad rows (enrolled above places; places not a number) and a good one."""

RUNS: dict[str, list[str]] = {
    "jurisdictions": ["jurisdictions"],
    "examples": ["examples"],
    "assess": ["assess", "--example", "xiamen", "--on", ON],
    "assess classes": ["assess", "--example", "xiamen_classes", "--on", ON],
    "assess siming": ["assess", "{dir}/siming_open.json", "--on", "2025-06-01"],
    "assess elsewhere": ["assess", "--example", "xiamen", "--on", "2025-09-01", "--jurisdiction", "chengdu"],
    "compare": ["compare", "--example", "xiamen", "--on", ON],
    "assess-many": ["assess-many", "--example", "portfolio_xiamen", "--on", ON, "--format", "csv"],
    "assess-many bad rows": ["assess-many", "{dir}/bad.csv", "--on", ON, "--format", "csv"],
    "fee": ["fee", "1000", "--share", "0.85", "--allowance", "200", "--cap", "900"],
    "fee flat": ["fee", "2500", "--flat", "800", "--cite", "qianan.seed_merchant_children"],
    "allowance": ["allowance", "2024-01-01"],
    "allowance not national": ["allowance", "2025-06-01", "--not-prc-national"],
    "family-cost": [
        "family-cost",
        "2400",
        "--share",
        "0.5",
        "--employer-allowance",
        "200",
        "--district-allowance",
        "100",
        "--birth",
        "2024-03-10",
    ],
    "family-cost siming": [
        "family-cost",
        "1000",
        "--facility",
        "{dir}/siming.json",
        "--on",
        "2025-06-01",
        "--pass-on",
        "xiamen.siming_allowance",
    ],
    "check-spending": ["check-spending", "{dir}/plan.json"],
    "check-standards": ["check-standards", "{dir}/standards.json", "--on", ON],
    "guidance-gaps": ["guidance-gaps", "--start", "2023-12-31", "--end", "2024-06-30", "2024-03-01", "2024-04-15"],
    "targets": ["targets", "{dir}/targets.json", "--on", "2026-01-01"],
    "budget": ["budget", "--example", "portfolio_xiamen", "--on", ON, "--reform", "xiamen_operating_up"],
    "budget pinned": ["budget", "--example", "portfolio_xiamen", "--on", ON, "--strategy", "mid"],
    "budget bad rows": ["budget", "{dir}/bad.csv", "--on", ON, "--errors", "collect"],
    "project": ["project", "--example", "xiamen_classes", "--start", "2024-01-01", "--end", "2025-12-31"],
    "project prorated": ["project", "--example", "xiamen", "--start", "2024-03-15", "--end", "2025-06-30", "--prorate"],
    "project open": ["project", "{dir}/siming_open.json", "--start", "2025-01-01", "--end", "2025-03-31"],
    "project district": ["project", "{dir}/siming.json", "--start", "2025-01-01", "--end", "2025-03-31"],
    "whatif": ["whatif", "--example", "xiamen", "--on", ON, "--reform", "xiamen_operating_up"],
    "sweep": [
        "sweep",
        "--example",
        "xiamen",
        "--on",
        ON,
        "--parameter",
        "xiamen.operating_subsidy.amount",
        "--values",
        "20000-30000",
        "25000",
    ],
    "sweep portfolio": [
        "sweep",
        "--example",
        "portfolio_xiamen",
        "--on",
        ON,
        "--parameter",
        "xiamen.operating_subsidy.amount",
        "--values",
        "20000-30000",
        "--strategy",
        "mid",
    ],
    "schema": ["schema", "--out", "{dir}/schemas", "--model", "Facility"],
}
"""Each command that prints text, in its table or text format: name -> arguments (``{dir}``: the inputs' folder)."""

FAILS: dict[str, list[str]] = {
    "a bad date": ["assess", "--example", "xiamen", "--on", "2024-13-01"],
    "an unknown example": ["assess", "--example", "nope", "--on", ON],
    "a reform's bad ratio": ["whatif", "--example", "xiamen", "--on", ON, "--reform", "{dir}/ratio.reform.json"],
    "enrolment that does not fit": [
        "project",
        "{dir}/siming.json",
        "--start",
        "2025-01-01",
        "--end",
        "2025-03-31",
        "--enrolment",
        "2",
    ],
    "a missing argument": ["project", "--example", "xiamen", "--start", "2024-01-01"],
}
"""Invocations that fail (exit status 2): their error line is said in the language asked too."""

NOT_RUN = {
    "serve": "serves HTTP until stopped; what the service says is the server's (tests/test_openapi_i18n.py)",
}
"""Commands not run here, and why."""

NO_WORDS = {"schema": "prints the paths of the files it wrote, the same in either language"}
"""Invocations whose output has no sentence to say in a language."""

ID_KEYS = frozenset(
    {"id", "program", "payer", "jurisdiction", "layers", "rule", "check", "concerns", "missing", "matches", "name"}
    | {"citations", "cites", "reform", "field", "parameter", "programs", "facility_id", "city", "scenario"}
)
"""The keys of a command's JSON form whose values are ids, codes or input (a ``name`` is a facility's or a
reform's, or a parameter's id; ``citations`` under a parameter its citation ids)."""

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
HAN = re.compile(r"[\u4e00-\u9fff]")


# -- the allow-list ----------------------------------------------------------------------------------------------------
def _strings(data: Any, keys: frozenset[str] | None = None, key: str | None = None) -> Iterator[str]:
    """The strings in ``data`` (under one of ``keys``, when given; a dict's keys count as ids)."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield str(k)
            yield from _strings(v, keys, str(k))
    elif isinstance(data, list | tuple):
        for v in data:
            yield from _strings(v, keys, key)
    elif isinstance(data, str) and (keys is None or key in keys):
        yield data


def _registry_ids() -> set[str]:
    found: set[str] = set()
    for jid in list_jurisdictions():
        policy = get_policy(jid)
        found |= {jid, *(p.id for p in policy.programs), *policy.payers, *policy.parameters, *policy.citations}
        found |= {d.id for d in policy.designations}
    return found


def _schema_words() -> set[str]:
    """Field names and coded values of the public models (their JSON Schema)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            found.update(node.get("properties", {}))
            found.update(v for v in node.get("enum", ()) if isinstance(v, str))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema.schemas())
    return found


def _argument_names() -> set[str]:
    """The names of the public functions' arguments: an error names the argument at fault as its field
    (``enrolment[2025-01]``), and may name another to use (``enrolment_by_program``)."""
    found: set[str] = set()
    for name in tr.__all__:
        value = getattr(tr, name)
        if inspect.isfunction(value):
            found.update(inspect.signature(value).parameters)
    return found


def _commands() -> dict[str, argparse.ArgumentParser]:
    """The commands of ``tuoyu``, by name, as :func:`tuoyu_rules.cli.app._parser` builds them."""
    parser = cli._parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _command_words() -> set[str]:
    """``tuoyu``, its commands, options, their choices and metavariables, and the bundled examples' names."""
    found = {"tuoyu"}
    for command, sub in _commands().items():
        found.add(command)
        for action in sub._actions:
            found.update(action.option_strings)
            found.update(str(c) for c in action.choices or ())
            if isinstance(action.metavar, str):
                found.add(action.metavar)
    for suffix in (FACILITY, PORTFOLIO, REFORM):
        found.update(examples(suffix))
    return found


def _example_input() -> set[str]:
    """The strings of the bundled examples' files (the reform's English description left out: it has a Chinese one)."""
    found: set[str] = set()
    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            if path.name.endswith(REFORM):
                data = {k: v for k, v in data.items() if k != "description"}
            found.update(_strings(data))
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                found.update(_strings(json.loads(line)))
    return found


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("inputs")
    for name, data in FILES.items():
        (path / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (path / "bad.csv").write_text(BAD_CSV, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def common_allowed() -> set[str]:
    inputs = {s for data in FILES.values() for s in _strings(data)} | set(BAD_CSV.replace("\n", ",").split(","))
    return _registry_ids() | _schema_words() | _argument_names() | _command_words() | _example_input() | inputs


def run(argv: list[str], lang: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main([*argv, "--lang", lang], stdout=out, stderr=err, stdin=io.StringIO(""))
    return status, out.getvalue(), err.getvalue()


def _args(argv: list[str], folder: Path) -> list[str]:
    return [a.replace("{dir}", str(folder)) for a in argv]


def _json_twin(argv: list[str]) -> set[str]:
    """The ids, codes and input the JSON form of the same command names (empty for a command without one)."""
    command = _commands()[argv[0]]
    formats = next((a.choices for a in command._actions if "--format" in a.option_strings), None) or ()
    fmt = "json" if "json" in formats else "ndjson" if "ndjson" in formats else None
    if fmt is None:
        return set()
    plain = [a for i, a in enumerate(argv) if a != "--format" and (i == 0 or argv[i - 1] != "--format")]
    status, out, _ = run([*plain, "--format", fmt], "en")
    assert status == 0
    lines = [out] if fmt == "json" else out.splitlines()
    return {s for line in lines for s in _strings(json.loads(line), ID_KEYS)}


def _without_english_columns(argv: list[str], text: str) -> str:
    """A CSV in Chinese without its columns of English names (those whose English header ends in ``_en``)."""
    english = next(csv.reader(io.StringIO(run(argv, "en")[1])))
    keep = [i for i, column in enumerate(english) if not column.endswith("_en")]
    rows = list(csv.reader(io.StringIO(text)))
    return "\n".join(",".join(row[i] for i in keep) for row in rows)


def latin_left(text: str, allowed: set[str]) -> list[str]:
    """The Latin words of ``text`` that are not allowed: allowed strings (longest first) and words taken out."""
    words = {a for a in allowed if LATIN_WORD.fullmatch(a)}
    for item in sorted(allowed - words, key=len, reverse=True):
        if item and LATIN_WORD.search(item):
            text = text.replace(item, " ")
    return sorted({m[0] for m in LATIN_WORD.finditer(text) if m[0] not in words})


def _cli_chinese() -> set[str]:
    """The Chinese of the command line's own sentences: the literal text between the placeholders of the ``zh``
    templates of ``cli/messages.toml`` and ``whatif/messages.toml``, each piece with three Chinese characters or
    more (``：托育机构“``, ``按年度和支付方``). A template that is one bare term (a header ``项目``, a level
    ``国家``, a check's name) is left out, as are shorter pieces (``个月``): the data may say them too."""
    found: set[str] = set()
    for name in ("cli/messages.toml", "whatif/messages.toml"):
        for entry in tomllib.loads((SRC / name).read_text(encoding="utf-8"))["messages"].values():
            if HAN.sub("", entry["zh"]) == "":
                continue
            for piece in re.split(r"\{[^}]*\}", entry["zh"]):
                if len(HAN.findall(piece)) >= 3:
                    found.add(piece.strip())
    return found


# -- the commands ------------------------------------------------------------------------------------------------------
def test_every_command_that_prints_text_is_run_here() -> None:
    commands = set(_commands())
    run_here = {argv[0] for argv in RUNS.values()}
    assert commands - run_here == set(NOT_RUN)
    assert run_here <= commands


@pytest.mark.parametrize("name", sorted(RUNS))
def test_chinese_output_has_no_latin_words_but_ids_codes_fields_and_input(
    name: str, folder: Path, common_allowed: set[str]
) -> None:
    argv = _args(RUNS[name], folder)
    status, out, err = run(argv, "zh")
    assert status == 0, err
    assert out
    allowed = common_allowed | _json_twin(argv) | set(argv) | {str(folder)}
    if "csv" in argv:
        out = _without_english_columns(argv, out)
    for stream, text in (("stdout", out), ("stderr", err)):
        assert latin_left(text, allowed) == [], f"{name} ({stream}):\n{text}"


@pytest.mark.parametrize("name", sorted(RUNS))
def test_english_output_is_english(name: str, folder: Path, common_allowed: set[str]) -> None:
    argv = _args(RUNS[name], folder)
    status, out, err = run(argv, "en")
    assert status == 0, err
    text = out + err
    found = sorted(chinese for chinese in _cli_chinese() if chinese in text)
    assert found == [], f"{name}: the command line's Chinese in English output: {found}"
    if name not in NO_WORDS:
        assert text != "".join(run(argv, "zh")[1:])
        assert latin_left(text, common_allowed | set(argv)) != []  # English words: what the Chinese check refuses


@pytest.mark.parametrize("name", sorted(FAILS))
def test_an_error_line_is_said_in_the_language_asked(name: str, folder: Path, common_allowed: set[str]) -> None:
    argv = _args(FAILS[name], folder)
    status, out, err = run(argv, "zh")
    assert (status, out) == (2, "")
    assert err.startswith("tuoyu：错误：")
    assert latin_left(err, common_allowed | set(argv)) == [], err
    status, out, en = run(argv, "en")
    assert (status, out) == (2, "")
    assert en.startswith("tuoyu: error: ")
    assert not any(chinese in en for chinese in _cli_chinese()), en


# -- the fixes this sweep found ----------------------------------------------------------------------------------------
def test_a_projection_says_what_it_counted_and_what_is_open_in_either_language() -> None:
    """``ProjectionLine.paid_units`` and ``open_reasons`` are texts in the language asked, with codes beside them."""
    facility = tr.Facility.model_validate(FILES["siming_open.json"])
    zh = tr.project(facility, start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31), lang="zh")
    en = tr.project(facility, start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31), lang="en")
    for z, e in zip(zh.lines, en.lines, strict=True):
        assert z.paid is not None
        assert z.paid == e.paid
        assert (z.paid_units, e.paid_units) == (z.paid.zh, z.paid.en)
        assert z.open_explanation == e.open_explanation
        assert z.open_reasons == tuple(x.zh for x in z.open_explanation)
        assert e.open_reasons == tuple(x.en for x in e.open_explanation)
    allowance = en.line(2025, "xiamen.siming_allowance")
    assert allowance.paid_units == "0 child-months paid"
    assert "missing staff_children" in allowance.open_reasons
    assert "缺少职工子女人数（staff_children）" in zh.line(2025, "xiamen.siming_allowance").open_reasons
    assert [x.code for x in allowance.open_explanation] == ["whatif.projection.missing"] * 3


def test_a_skipped_plugin_s_reason_has_a_code() -> None:
    """A comparison of every city with no broken plugin skips nothing; the reasons, when any, are coded."""
    facility = tr.Facility.model_validate({"jurisdiction": "xiamen", "mode": "self_run", "places": 30, "enrolled": 20})
    result = tr.compare(facility, on=dt.date(2024, 6, 1))
    assert result.skipped == {}
    assert result.skipped_explanation == {}


def test_the_bundled_reform_has_a_chinese_description() -> None:
    reform = tr.Reform.load(EXAMPLES / "xiamen_operating_up.reform.json")
    assert reform.description_zh is not None
    assert not LATIN_WORD.search(reform.description_zh)
    assert reform.description.startswith("What-if: ")
    assert tr.Reform.from_dict({"name": "r", "parameters": dict(reform.data["parameters"])}).description_zh is None
