"""One JSON policy, everywhere JSON enters the library (issue 18, "Entry points parse the same JSON differently").

Before: ``tuoyu assess`` refused a key given twice but ``tuoyu budget`` and ``RuleCache.assess_json`` let the
last one win (``self_built`` true then false silently dropped a grant); ``40000.50`` was an amount for the
JSON Lines reader and a refused binary float for ``RuleCache.assess_json``; a JSON line nested deeply ended
``tuoyu budget`` with a ``RecursionError`` even with ``--errors collect``. Now every entry point reads JSON
with :func:`tuoyu_rules.core.jsonio.loads`: the same hostile document gets the same outcome from each (accepted
with the same amount, or refused with an error naming what is wrong), and only the library's own errors
escape.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import pydantic
import pytest

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
from tuoyu_rules.batch import RowError as BatchRowError
from tuoyu_rules.batch import RuleCache, assess_many, tally
from tuoyu_rules.core.jsonio import MAX_CHARS, MAX_DEPTH, JsonError, loads
from tuoyu_rules.io import RowError, read_jsonl

ON = dt.date(2025, 6, 1)
AWARD = "weifang.caring_employer_award"
"""Weifang's award: its amount is pinned by the designation's ``amount``, so an accepted row shows it."""
PAYER = ("weifang.union", "one_time")


class Outcome(NamedTuple):
    accepted: bool
    detail: str
    """Accepted: the award's amount in yuan ("40000.50"); refused: the error text."""


def doc(amount: str = '"40000"', *, head: str = "", tail: str = "", places: str = "40") -> str:
    """A Weifang facility as one line of JSON text, with ``amount`` written as given (raw JSON)."""
    return (
        '{"jurisdiction": "weifang", "mode": "self_run", ' + head + '"self_built": true, "places": ' + places + ", "
        '"enrolled": 28, "designations": [{"program": "weifang.caring_employer", "year": 2023, "amount": '
        + amount
        + "}]"
        + tail
        + "}"
    )


def _award(a: tr.Assessment) -> str:
    (entry,) = [e for e in a.entitlements if e.program == AWARD]
    return format(entry.amount.low, "f")


def _run(*argv: str, stdin: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


# -- the entry points: each turns one JSON text into an Outcome; any other exception fails the test ----------


def via_loads(text: str) -> Outcome:
    try:
        return Outcome(True, _award(tr.assess(tr.Facility.model_validate(loads(text)), on=ON)))
    except (JsonError, pydantic.ValidationError) as exc:
        return Outcome(False, str(exc))


def via_read_jsonl(text: str) -> Outcome:
    (row,) = read_jsonl([text + "\n"])
    if row.problem is not None:
        return Outcome(False, str(row.problem))
    assert row.facility is not None
    return Outcome(True, _award(tr.assess(row.facility, on=ON)))


def via_budget_collect(text: str) -> Outcome:
    result = tr.budget(read_jsonl(["\n", text + "\n"]), on=ON, errors="collect")
    if result.error_count:
        (problem,) = result.errors
        assert problem.row == 2  # its line
        return Outcome(False, problem.message)
    total = result.scenarios[0].program_total(AWARD)
    assert total is not None
    return Outcome(True, format(total.amount.low, "f"))


def via_budget_raise(text: str) -> Outcome:
    try:
        result = tr.budget(read_jsonl([text]), on=ON)
    except RowError as exc:
        return Outcome(False, str(exc))
    total = result.scenarios[0].program_total(AWARD)
    assert total is not None
    return Outcome(True, format(total.amount.low, "f"))


def via_cli_assess(text: str) -> Outcome:
    status, out, err = _run("assess", "-", "--on", ON.isoformat(), "--format", "json", stdin=text)
    if status == 2:
        assert err.count("\n") == 1
        assert err.startswith("tuoyu: error: ")
        return Outcome(False, err)
    assert status == 0, err
    (entry,) = [e for e in json.loads(out)["entitlements"] if e["program"] == AWARD]
    return Outcome(True, entry["amount"]["low"])


def via_cli_budget(text: str) -> Outcome:
    argv = ("budget", "-", "--input", "jsonl", "--on", ON.isoformat(), "--errors", "collect", "--format", "json")
    status, out, err = _run(*argv, stdin=text + "\n")
    assert status == 0, err
    data = json.loads(out)
    if data["error_count"]:
        return Outcome(False, data["errors"][0]["message"])
    (total,) = [t for t in data["scenarios"][0]["by_program"] if t["program"] == AWARD]
    return Outcome(True, total["amount"]["low"])


def via_cli_budget_raise(text: str) -> Outcome:
    status, out, err = _run("budget", "-", "--input", "jsonl", "--on", ON.isoformat(), "--format", "json", stdin=text)
    if status == 2:
        assert err.count("\n") == 1
        assert err.startswith("tuoyu: error: row 1: ")
        return Outcome(False, err)
    assert status == 0, err
    (total,) = [t for t in json.loads(out)["scenarios"][0]["by_program"] if t["program"] == AWARD]
    return Outcome(True, total["amount"]["low"])


def via_assess_json(text: str) -> Outcome:
    try:
        data = json.loads(RuleCache(on=ON).assess_json(text))
    except (tr.TuoyuError, pydantic.ValidationError) as exc:
        return Outcome(False, str(exc))
    (entry,) = [e for e in data["entitlements"] if e["program"] == AWARD]
    return Outcome(True, entry["amount"]["low"])


def via_assess_json_bytes(text: str) -> Outcome:
    return via_assess_json(text.encode())  # type: ignore[arg-type]


def via_assess_many(text: str) -> Outcome:
    try:
        (a,) = assess_many([text], on=ON)
    except (tr.TuoyuError, pydantic.ValidationError) as exc:
        return Outcome(False, str(exc))
    return Outcome(True, _award(a))


def via_assess_many_yield(text: str) -> Outcome:
    (a,) = assess_many([text], on=ON, on_error="yield")
    if isinstance(a, BatchRowError):
        return Outcome(False, a.error)
    return Outcome(True, _award(a))


def via_tally(text: str) -> Outcome:
    try:
        totals = tally([text], on=ON)
    except tr.TuoyuError as exc:
        return Outcome(False, str(exc))
    return Outcome(True, format(Decimal(totals[PAYER].low).scaleb(-2), "f"))


ENTRY_POINTS: dict[str, Callable[[str], Outcome]] = {
    "jsonio.loads": via_loads,
    "read_jsonl": via_read_jsonl,
    "budget(errors=collect)": via_budget_collect,
    "budget(errors=raise)": via_budget_raise,
    "tuoyu assess": via_cli_assess,
    "tuoyu budget --errors collect": via_cli_budget,
    "tuoyu budget": via_cli_budget_raise,
    "RuleCache.assess_json(str)": via_assess_json,
    "RuleCache.assess_json(bytes)": via_assess_json_bytes,
    "assess_many": via_assess_many,
    "assess_many(on_error=yield)": via_assess_many_yield,
    "tally": via_tally,
}


def outcomes(text: str) -> dict[str, Outcome]:
    return {name: via(text) for name, via in ENTRY_POINTS.items()}


# -- the hostile documents ----------------------------------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000
"""Far past Python's recursion limit: a RecursionError before."""
JUST_TOO_DEEP = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
"""Past the policy's bound, well inside Python's: refused by the bound, not by luck."""

ACCEPTED = {
    "a plain amount": (doc('"40000.50"'), "40000.50"),
    "an amount with a fraction, as a JSON number": (doc("40000.50"), "40000.50"),
    "an int amount": (doc("40000"), "40000.00"),
    "an exponent": (doc("4.00005E4"), "40000.50"),
    "brackets inside a string": (doc(tail=', "name": "' + "[{" * 90 + '"'), "40000.00"),
}

REFUSED = {
    # name: (document, a word every refusal must contain, case-insensitive; None: any refusal)
    "self_built true then false": (doc(head='"self_built": false, '), "self_built"),
    "a designation key twice": (doc('"40000", "amount": "50000"'), "amount"),
    "three decimals as a JSON number": (doc("40000.505"), "two decimals"),
    "NaN": (doc("NaN"), "nan"),
    "Infinity": (doc("Infinity"), "infinity"),
    "-Infinity": (doc("-Infinity"), "infinity"),
    "a binary-float-looking huge exponent": (doc("1e999999999"), "largest"),
    "deep nesting far past the recursion limit": (doc(tail=', "name": ' + DEEP), "deep"),
    "nesting one past the bound": (doc(tail=', "name": ' + JUST_TOO_DEEP), "deep"),
    "an integer of 5,000 digits": (doc(places="9" * 5000), "number"),
    "an integer of 101 digits": (doc(places="1" + "0" * 100), "number"),
    "an integer of 50 digits": (doc(places="1" + "0" * 49), None),
    "an amount of 150 digits": (doc("1" + "0" * 149), "number"),
    "not JSON": (doc()[:-1], "json"),
    "a document over the size bound": (doc(tail=', "name": "' + "x" * MAX_CHARS + '"'), "characters"),
}


@pytest.mark.parametrize(("text", "amount"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_every_entry_point_accepts_the_same_documents_with_the_same_amount(text: str, amount: str) -> None:
    got = outcomes(text)
    assert got == {name: Outcome(True, amount) for name in ENTRY_POINTS}


@pytest.mark.parametrize(("text", "word"), REFUSED.values(), ids=REFUSED.keys())
def test_every_entry_point_refuses_the_same_documents(text: str, word: str | None) -> None:
    got = outcomes(text)
    accepted = [name for name, outcome in got.items() if outcome.accepted]
    assert accepted == [], f"accepted by {accepted}: {got}"
    if word is not None:
        silent = {name: o.detail[:200] for name, o in got.items() if word not in o.detail.lower()}
        assert silent == {}, f"the error does not say {word!r}"


def test_the_duplicate_key_error_names_the_key() -> None:
    for name, outcome in outcomes(doc(head='"self_built": false, ')).items():
        assert "'self_built' appears twice" in outcome.detail, name


def test_a_duplicated_key_never_silently_drops_a_grant() -> None:
    """The finding's own case: self_built true then false. Before, budget and assess_json took the last."""
    text = '{"jurisdiction": "xiamen", "mode": "self_run", "self_built": true, "places": 40, "enrolled": 28, '
    text += '"self_built": false}'
    for name, outcome in outcomes(text).items():
        assert not outcome.accepted, name


# -- reform files: the same reader --------------------------------------------------------------------------

REFORM: dict[str, Any] = {
    "name": "up",
    "description": "What-if",
    "parameters": {"xiamen.operating_subsidy.amount": [{"kind": "range", "low": "20000", "high": "30000"}]},
}


def _reform_text(**raw: str) -> str:
    text = json.dumps(REFORM)
    for key, value in raw.items():
        text = text.replace(json.dumps(REFORM["parameters"]["xiamen.operating_subsidy.amount"][0][key]), value)
    return text


def _reform_outcomes(text: str, tmp_path: Path) -> dict[str, bool]:
    """Accepted (True) or refused (False) by ``Reform.loads``, ``Reform.load`` and ``tuoyu budget --reform``."""
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    got: dict[str, bool] = {}
    readers: dict[str, Callable[[], tr.Reform]] = {
        "Reform.loads": lambda: tr.Reform.loads(text),
        "Reform.load": lambda: tr.Reform.load(path),
    }
    for name, read in readers.items():
        try:
            read()
            got[name] = True
        except tr.InvalidInput:
            got[name] = False
    status, _, err = _run(
        "budget", "--example", "portfolio_xiamen", "--on", "2024-06-01", "--reform", str(path), stdin=""
    )
    assert status in (0, 2), err
    got["tuoyu budget --reform"] = status == 0
    return got


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        (json.dumps(REFORM), True),
        (_reform_text(low="20000.50"), True),  # a JSON number with a fraction: exact Decimal, two decimals
        (_reform_text(low="20000.505"), False),
        (_reform_text(low="NaN"), False),
        (_reform_text(low="9" * 5000), False),
        (json.dumps(REFORM)[:-1] + ', "name": "other"}', False),  # a key given twice
        (json.dumps({**REFORM, "description": "x"})[:-1].replace('"x"', "[" * 5000 + "]" * 5000) + "}", False),
    ],
    ids=["plain", "fraction", "three decimals", "NaN", "5,000 digits", "duplicate name", "deep"],
)
def test_reform_files_follow_the_same_policy(text: str, accepted: bool, tmp_path: Path) -> None:
    assert _reform_outcomes(text, tmp_path) == dict.fromkeys(
        ("Reform.loads", "Reform.load", "tuoyu budget --reform"), accepted
    )


def test_the_bounds_are_exact() -> None:
    at = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert loads(at) is not None
    with pytest.raises(JsonError, match=f"nested more than {MAX_DEPTH} deep"):
        loads("[" + at + "]")
    assert loads('{"a": [' + "{}," * 5000 + "{}]}") is not None  # many brackets, shallow: fine
    assert loads("1" * 100) == int("1" * 100)
    with pytest.raises(JsonError, match="a number of 101 characters"):
        loads("1" * 101)
    assert loads('"' + "x" * (MAX_CHARS - 2) + '"') is not None
    with pytest.raises(JsonError, match="characters"):
        loads('"' + "x" * (MAX_CHARS - 1) + '"')


def test_loads_only_raises_its_own_error() -> None:
    for text in ("", "{", "[1,]", '{"a": 1', "-", "1e", "0x10", "[" * 10**6, "[1] [2]"):
        with pytest.raises(JsonError) as info:
            loads(text)
        assert isinstance(info.value, tr.InvalidInput)
    assert loads('"\\ud800"') == "\ud800"  # a lone surrogate is a str; the model refuses it where it matters
    assert loads(b'{"a": 1.10}') == {"a": Decimal("1.10")}
    with pytest.raises(JsonError, match="UTF-8"):
        loads(b"\xff")
