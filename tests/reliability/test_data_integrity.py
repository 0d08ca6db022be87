"""Every bundled jurisdiction's data holds together, and ``build_policy`` refuses malformed data by name.

The checks run over whatever ``tr.list_jurisdictions()`` returns, so a jurisdiction added later is checked
without touching this file.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.core import registry
from tuoyu_rules.core.context import RuleContext
from tuoyu_rules.core.loading import builtin_sources
from tuoyu_rules.core.parameters import Bracket, DatedValue
from tuoyu_rules.core.policy import LEVELS, Outcome

BUILTIN = registry.builtin_jurisdictions()
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEED_FILE_OF = {src["document"]: src["file"] for src in builtin_sources().values() if "file" in src}
"""A seed document's name (as citations name it) -> its file beside the repository (``file`` in sources.toml)."""
PLACEHOLDER = re.compile(r"\{(province|city|district)\}\.[a-z0-9_]+\Z")


def policies() -> list[tr.Policy]:
    return [tr.get_policy(jid) for jid in tr.list_jurisdictions()]


def loaded(jid: str) -> tr.Policy:
    try:
        return tr.get_policy(jid)
    except tr.TuoyuError as exc:
        pytest.fail(f"{jid} does not load: {exc}")


def all_values(policy: tr.Policy) -> list[tuple[str, int, DatedValue]]:
    return [(name, i, v) for name, p in policy.parameters.items() for i, v in enumerate(p.values)]


def fen(value: Decimal) -> bool:
    return isinstance(value, Decimal) and value.is_finite() and value.as_tuple().exponent == -2 and value >= 0


# -- the bundled data ------------------------------------------------------------------------------------


def test_the_contract_ids_are_registered() -> None:
    required = {"cn", "xiamen", "weifang", "hangzhou", "qianan", "chengdu", "nanning"}
    required |= {"fujian", "shandong", "zhejiang", "hebei", "sichuan", "guangxi"}
    assert required <= set(tr.list_jurisdictions())
    assert list(tr.list_jurisdictions()) == sorted(set(tr.list_jurisdictions()))


@pytest.mark.parametrize("jid", BUILTIN)
def test_every_bundled_jurisdiction_loads(jid: str) -> None:
    """A data file loads with its module's rules, or alone (a data-only layer: no programme that bears money)."""
    module = resources.files("tuoyu_rules.jurisdictions").joinpath(f"{jid}.py")
    policy = loaded(jid)
    assert policy.id == jid
    if not module.is_file():
        assert all(p.rule is None for p in policy.programs), f"{jid} has rules but no module jurisdictions/{jid}.py"


def test_loading_again_from_cold_caches_gives_equal_policies() -> None:
    """Loading is deterministic (same data, same policy); it also runs every ``load()`` afresh, which a
    mutation run needs, since policies are otherwise cached for the life of the process."""
    first = {jid: loaded(jid) for jid in BUILTIN}
    registry._reset()
    try:
        again = {jid: loaded(jid) for jid in BUILTIN}
    finally:
        registry._reset()
    for jid in BUILTIN:
        assert again[jid] is not first[jid]
        assert again[jid] == first[jid], f"{jid} loads differently the second time"
        assert [p.rule for p in again[jid].programs] == [p.rule for p in first[jid].programs]


def test_every_module_has_its_data_file() -> None:
    modules = {
        entry.name.removesuffix(".py")
        for entry in resources.files("tuoyu_rules.jurisdictions").iterdir()
        if entry.name.endswith(".py") and entry.name != "__init__.py"
    }
    assert modules <= set(BUILTIN), f"modules without data/<id>.toml: {sorted(modules - set(BUILTIN))}"


@pytest.mark.parametrize("jid", BUILTIN)
def test_identity_and_layers(jid: str) -> None:
    policy = loaded(jid)
    assert re.fullmatch(r"[a-z][a-z0-9_]*", policy.id)
    assert policy.name_zh
    assert policy.name_en
    assert re.fullmatch(r"\d{6}", policy.division_code)
    layers = tr.chain(jid)
    assert layers[-1].id == "cn"
    assert [LEVELS.index(p.level) for p in layers] == sorted((LEVELS.index(p.level) for p in layers), reverse=True)


def test_division_codes_are_unique() -> None:
    codes: dict[str, str] = {}
    for jid in BUILTIN:
        policy = loaded(jid)
        assert policy.division_code not in codes, f"{jid} and {codes.get(policy.division_code)} share a code"
        codes[policy.division_code] = jid


@pytest.mark.parametrize("jid", BUILTIN)
def test_every_programme_is_cited_and_owned(jid: str) -> None:
    policy = loaded(jid)
    ids = [p.id for p in policy.programs]
    assert len(ids) == len(set(ids))
    for program in policy.programs:
        owners = (f"{jid}.", f"{policy.parent}.") if policy.level == "district" else (f"{jid}.",)
        assert program.id.startswith(owners), program.id  # a district may use its city's prefix
        assert program.citations, f"{program.id} has no citation"
        assert program.base_cites, f"{program.id} has no seed clause"
        assert program.name_zh, program.id
        assert program.name_en, program.id
        if program.start is not None and program.end is not None:
            assert program.start <= program.end, program.id
        if program.kind in ("entitlement", "obligation"):
            assert program.rule is not None, program.id
            assert program.basis is not None, program.id
        if program.kind == "obligation":
            matched = {p.id for layer in policies() for p in layer.programs if p.kind == "entitlement"}
            assert program.matches in matched, f"{program.id} matches {program.matches!r}, no entitlement"


@pytest.mark.parametrize("jid", BUILTIN)
def test_every_citation_has_its_words(jid: str) -> None:
    policy = loaded(jid)
    for cid, citation in policy.citations.items():
        assert cid == citation.id
        assert cid.startswith(f"{jid}."), cid
        assert citation.clause.strip(), cid
        if citation.source in SEED_FILE_OF:  # a seed document: the exact words, never a summary
            assert citation.quote, f"{cid}: a seed citation needs its quote"
            assert citation.quote.strip() == citation.quote, f"{cid}: quote has stray whitespace"
        else:
            assert citation.quote or citation.summary, cid


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the seed documents are not beside the repository ({SEEDS})")
@pytest.mark.parametrize("jid", BUILTIN)
def test_seed_quotes_are_verbatim(jid: str) -> None:
    for cid, citation in loaded(jid).citations.items():
        if citation.source in SEED_FILE_OF and citation.quote:
            text = (SEEDS / SEED_FILE_OF[citation.source]).read_text("utf-8")
            assert citation.quote in text, f"{cid}: quote not found verbatim in {SEED_FILE_OF[citation.source]}"


@pytest.mark.parametrize("jid", BUILTIN)
def test_every_parameter_value_is_cited_dated_and_exact(jid: str) -> None:
    policy = loaded(jid)
    for name, i, value in all_values(policy):
        where = f"{jid}: {name}[{i}]"
        assert value.cites, f"{where}: no citation"
        for c in value.cites:
            assert c in policy.citations, f"{where}: cites unknown {c!r}"
        if value.start is not None and value.end is not None:
            assert value.start <= value.end, where
        v = value.value
        if isinstance(v, tr.AmountRange):
            assert fen(v.low), f"{where}: low {v.low!r}"
            assert v.high is None or fen(v.high), f"{where}: high {v.high!r}"
            assert v.high is None or v.low <= v.high, where
            for a in v.allowed or ():
                assert fen(a), f"{where}: allowed {a!r}"
        elif isinstance(v, tuple):
            for row in v:
                assert isinstance(row, Bracket)
                assert fen(row.amount), f"{where}: bracket amount {row.amount!r}"
    for name, parameter in policy.parameters.items():
        dated = [v for v in parameter.values if v.batch is None]
        for before, after in itertools.pairwise(dated):
            assert before.end is not None, f"{jid}: {name}: an open-ended value is followed by another"
            assert after.start is not None, f"{jid}: {name}"
            assert before.end < after.start, f"{jid}: {name}: values overlap"
        batches = [v.batch for v in parameter.values if v.batch is not None]
        assert batches == sorted(set(batches)), f"{jid}: {name}: batches out of order"


@pytest.mark.parametrize("jid", BUILTIN)
def test_payers_belong_to_a_jurisdiction(jid: str) -> None:
    policy = loaded(jid)
    ids = set(tr.list_jurisdictions())
    for pid in policy.payers:
        assert pid.startswith(f"{jid}."), pid
    for program in policy.programs:
        if program.kind not in ("entitlement", "obligation"):
            continue
        for payer in (program.payer or "").split("+"):  # each part of a joint payer (issue 13)
            if PLACEHOLDER.match(payer):
                continue
            assert payer.split(".", 1)[0] in ids, f"{program.id}: payer {payer!r} of no registered jurisdiction"
            owner = tr.get_policy(payer.split(".", 1)[0])
            assert payer in owner.payers, f"{program.id}: payer {payer!r} is not declared in data/{owner.id}.toml"


@pytest.mark.parametrize("jid", BUILTIN)
def test_designations_point_at_their_programme(jid: str) -> None:
    policy = loaded(jid)
    programs = {p.id: p for p in policy.programs}
    for d in policy.designations:
        assert d.id.startswith(f"{jid}."), d.id
        assert d.program in programs, f"{d.id} feeds unknown {d.program!r}"
        assert programs[d.program].designation == d.id, f"{d.program} does not read {d.id}"
        if d.amount_parameter is not None:
            assert d.amount_parameter in policy.parameters


def test_every_placeholder_payer_resolves_to_a_declared_payer() -> None:
    """``{province}.union`` is paid by the province of each city: that province must declare the payer."""
    f = {"mode": "self_run", "self_built": True, "places": 30, "enrolled": 20}
    on = dt.date(2024, 6, 1)
    for jid in tr.list_jurisdictions():
        if loaded(jid).level not in ("city", "district"):
            continue
        designations = [
            {"program": d.id, "year": 2023}
            for layer in tr.chain(jid)
            for d in layer.designations
            if tr.get_policy(d.id.split(".", 1)[0]) is layer
        ]
        facility = tr.Facility.model_validate({**f, "jurisdiction": jid, "designations": designations})
        a = tr.assess(facility, on=on)
        for entry in (*a.entitlements, *a.obligations):
            assert "{" not in entry.payer, f"{jid}: {entry.program}: unresolved payer {entry.payer!r}"
            assert entry.payer_zh, f"{jid}: {entry.program}: payer {entry.payer!r} is not declared anywhere"


# -- build_policy refuses malformed data -----------------------------------------------------------------


def _rule(ctx: RuleContext) -> Outcome:
    amount = ctx.range("demo.grant.amount")
    assert amount is not None
    return ctx.eligible(amount, "demo")


GOOD: dict[str, Any] = {
    "jurisdiction": {
        "id": "demo",
        "name_zh": "示例市",
        "name_en": "Demo",
        "level": "city",
        "parent": "fujian",
        "division_code": "350999",
    },
    "sources": {"demo_src": {"document": "demo.txt", "title": "示例通知", "confidence": "official"}},
    "payers": {"demo.union": {"name_zh": "示例市总工会", "name_en": "Demo union"}},
    "citations": {"demo.c1": {"source": "demo_src", "clause": "第一条", "quote": "给予补助"}},
    "programs": {
        "demo.grant": {
            "kind": "entitlement",
            "name_zh": "补助",
            "name_en": "Grant",
            "payer": "demo.union",
            "basis": "one_time",
            "cite": ["demo.c1"],
        }
    },
    "parameters": {
        "demo.grant.amount": {
            "description": "Grant",
            "values": [
                {"kind": "range", "low": "100", "high": "200", "end": dt.date(2022, 12, 31), "cite": ["demo.c1"]},
                {"kind": "range", "low": "150", "high": "250", "start": dt.date(2023, 1, 1), "cite": ["demo.c1"]},
            ],
        }
    },
}
RULES = {"demo.grant": _rule}


def build(data: dict[str, Any], rules: dict[str, Any] | None = None) -> tr.Policy:
    return tr.build_policy(data, RULES if rules is None else rules, origin="demo.toml")


DELETE = object()


def test_the_good_data_builds() -> None:
    policy = build(GOOD)
    assert policy.id == "demo"
    assert policy.parameters["demo.grant.amount"].value_on(dt.date(2023, 5, 1)) is not None


def _broken(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    # paths address keys that themselves contain dots, so walk them by hand
    parts = path.split("|")
    node: Any = data
    for key in parts[:-1]:
        node = node[int(key)] if key.isdigit() else node[key]
    last: Any = int(parts[-1]) if parts[-1].isdigit() else parts[-1]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return data


AMOUNT = "parameters|demo.grant.amount|values|0"


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (f"{AMOUNT}|low", 100.0, r"demo\.toml: parameters\.demo\.grant\.amount\.values\[0\]\.low.*TOML float"),
        (f"{AMOUNT}|high", 1e3, r"values\[0\]\.high.*float"),
        (f"{AMOUNT}|low", "100.005", r"values\[0\]\.low.*more than two decimals"),
        (f"{AMOUNT}|low", "-1", r"values\[0\]\.low.*negative"),
        (f"{AMOUNT}|low", "NaN", r"values\[0\]\.low.*not a finite amount"),
        (f"{AMOUNT}|low", "300", r"(?s)values\[0\]: .*low 300\.00 is above high 200\.00"),
        (f"{AMOUNT}|cite", DELETE, r"values\[0\]: .*cite"),
        (f"{AMOUNT}|cite", [], r"values\[0\]: every value needs cite"),
        (f"{AMOUNT}|cite", ["demo.nowhere"], r"values\[0\]: cites unknown citation 'demo\.nowhere'"),
        (f"{AMOUNT}|end", dt.date(2023, 6, 30), r"demo\.grant\.amount: values must be in date order without overlap"),
        (f"{AMOUNT}|start", dt.date(2023, 1, 1), r"values\[0\]: end 2022-12-31 is before start 2023-01-01"),
        (f"{AMOUNT}|end", "31/12/2022", r"values\[0\]\.end: '31/12/2022' is not a TOML date"),
        (f"{AMOUNT}|end", "2022-02-30", r"values\[0\]\.end: '2022-02-30' is not a TOML date"),
        (f"{AMOUNT}|kind", "percent", r"values\[0\]\.kind: 'percent' is not one of"),
        (f"{AMOUNT}|typo", 1, r"values\[0\]: unknown keys \['typo'\]"),
        ("parameters|demo.grant.amount|values", [], r"demo\.grant\.amount: needs at least one"),
        ("programs|demo.grant|cite", [], r"programs\.demo\.grant\.cite: every programme cites"),
        ("programs|demo.grant|cite", DELETE, r"programs\.demo\.grant\.cite: every programme cites"),
        ("programs|demo.grant|cite", ["demo.nowhere"], r"programs\.demo\.grant: cites unknown citation"),
        ("programs|demo.grant|start", dt.date(2024, 1, 1), None),  # alone: fine
        ("programs|demo.grant|basis", "weekly", r"programs\.demo\.grant\.basis: 'weekly' is not one of"),
        ("programs|demo.grant|kind", "gift", r"programs\.demo\.grant\.kind: 'gift' is not one of"),
        ("programs|demo.grant|payer", DELETE, r"programs\.demo\.grant\.payer: required text"),
        ("citations|demo.c1|source", "nowhere", r"citations\.demo\.c1\.source: unknown source 'nowhere'"),
        ("citations|demo.c1|quote", DELETE, r"citations\.demo\.c1"),
        ("jurisdiction|level", "county", r"jurisdiction\.level: 'county' is not one of"),
        ("jurisdiction|division_code", "35099", r"jurisdiction\.division_code: six digits"),
        ("jurisdiction|parent", DELETE, r"jurisdiction\.parent: every level but national has a parent"),
    ],
)
def test_build_policy_names_the_file_and_the_entry(path: str, value: Any, expected: str | None) -> None:
    data = _broken(path, value)
    if expected is None:
        build(data)
        return
    with pytest.raises(tr.PolicyDataError, match=expected) as info:
        build(data)
    assert str(info.value).startswith("demo.toml: ")
    assert "errors.pydantic.dev" not in str(info.value), "a pydantic dump, not a one-line message"


def test_programme_end_before_start() -> None:
    data = _broken("programs|demo.grant|start", dt.date(2024, 1, 1))
    data["programs"]["demo.grant"]["end"] = dt.date(2023, 12, 31)
    with pytest.raises(tr.PolicyDataError, match=r"demo\.toml: programs\.demo\.grant: end before start"):
        build(data)


def test_a_money_programme_without_a_rule_and_a_rule_without_a_programme() -> None:
    with pytest.raises(tr.PolicyDataError, match=r"demo\.toml: programs\.demo\.grant: no rule function"):
        build(GOOD, {})
    with pytest.raises(tr.PolicyDataError, match=r"demo\.toml: rules for programmes the data does not declare"):
        build(GOOD, {**RULES, "demo.other": _rule})


def test_ids_of_another_jurisdiction_are_refused() -> None:
    data = copy.deepcopy(GOOD)
    data["programs"]["xiamen.grant"] = data["programs"].pop("demo.grant")
    with pytest.raises(tr.PolicyDataError, match=r"demo\.toml: programs\.xiamen\.grant: programme ids start with"):
        build(data, {"xiamen.grant": _rule})


@pytest.mark.parametrize("junk", [None, [], "text", 3, {"jurisdiction": []}, {"jurisdiction": {"id": 5}}])
def test_junk_data_is_a_policy_data_error(junk: Any) -> None:
    with pytest.raises(tr.PolicyDataError, match=r"^demo\.toml: "):
        tr.build_policy(junk, {}, origin="demo.toml")
