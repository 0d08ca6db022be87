"""A plugin's rule is checked at the engine's boundary; a broken plugin never stops a comparison of every city.

Issue 18, "Plugins and processes": a rule returning a float (or anything but the engine's amount type) is a
``PolicyDataError`` naming the plugin, raised by ``assess`` itself (it used to surface later as
``'float' object has no attribute 'quantize'`` in every command); ``tr.compare()`` and ``tuoyu whatif
--all-cities`` skip a broken plugin and report it, as ``tuoyu compare`` does.

The plugins are built here with ``tr.build_policy`` and handed to the registry through its seam
``registry._entry_points``, as ``test_plugins.py`` does; nothing is installed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
from plugin_policies import plugin_data, serve_plugins
from tuoyu_rules.core import boundary, registry

ON = dt.date(2024, 6, 1)


def _data(jid: str) -> dict[str, Any]:
    """A plugin city under Fujian with one yearly grant, ``<jid>.grant``."""
    grant = {"name_zh": "运营补助", "name_en": "Grant", "basis": "per_year"}
    return plugin_data(jid, code="359700" if jid == "floatville" else "359600", programs={f"{jid}.grant": grant})


def _eligible(amount: tr.AmountRange) -> Callable[[tr.RuleContext], object]:
    return lambda ctx: tr.Outcome("eligible", amount, ("a reason",))


def _raw(low: object, high: object = None) -> tr.AmountRange:
    """A range built around validation, as a careless plugin could (model_construct checks nothing)."""
    return tr.AmountRange.model_construct(low=low, high=low if high is None else high, allowed=None)  # type: ignore[arg-type]


GOOD = tr.AmountRange.of("1000", "2000")
BAD_RULES: dict[str, tuple[Callable[[tr.RuleContext], object], str]] = {
    "float-amount": (_eligible(_raw(1500.0)), r"amount whose low is a float \(1500\.0\), not a Decimal"),
    "str-amount": (_eligible(_raw("1500")), r"amount whose low is a str"),
    "negative": (_eligible(_raw(Decimal("-1.00"))), r"-1\.00 is not an amount in \[0, "),
    "nan": (_eligible(_raw(Decimal("NaN"))), r"NaN is not an amount"),
    "sub-fen": (_eligible(_raw(Decimal("1.005"))), r"1\.005 is not a whole number of fen"),
    "above-cap": (_eligible(_raw(Decimal("1000000000000.01"))), r"is not an amount in \[0, 1000000000000\]"),
    "low-above-high": (_eligible(_raw(Decimal("2.00"), Decimal("1.00"))), r"low 2\.00 is above its high 1\.00"),
    "float-allowed": (
        _eligible(
            tr.AmountRange.model_construct(
                low=Decimal("1.00"),
                high=Decimal("2.00"),
                allowed=(1.0, 2.0),  # type: ignore[arg-type]
            )
        ),
        r"amount whose allowed is a float",
    ),
    "amount-not-a-range": (lambda ctx: tr.Outcome("eligible", 1500.0, ("r",)), r"amount that is a float, not"),  # type: ignore[arg-type]
    "a-float": (lambda ctx: 1500.0, r"returned a float, not a tuoyu_rules\.Outcome"),
    "a-dict": (lambda ctx: {"status": "eligible"}, r"returned a dict, not a tuoyu_rules\.Outcome"),
    "none-for-a-grant": (lambda ctx: None, r"returned None, not a tuoyu_rules\.Outcome"),
    "unknown-status": (lambda ctx: tr.Outcome("maybe", GOOD, ("r",)), r"status 'maybe', not one of"),  # type: ignore[arg-type]
    "reasons-a-list": (
        lambda ctx: tr.Outcome("eligible", GOOD, ["r"]),  # type: ignore[arg-type]
        r"reasons that are not a tuple of messages \(or str\)",
    ),
    "reasons-not-str": (
        lambda ctx: tr.Outcome("eligible", GOOD, (1,)),  # type: ignore[arg-type]
        r"reasons that are not a tuple of messages \(or str\)",
    ),
    "unknown-basis": (
        lambda ctx: tr.Outcome("eligible", GOOD, ("r",), basis="weekly"),  # type: ignore[arg-type]
        r"basis 'weekly', not one of",
    ),
    "payer-not-str": (lambda ctx: tr.Outcome("eligible", GOOD, ("r",), payer=7), r"payer that is a int, not a str"),  # type: ignore[arg-type]
    "missing-not-str": (lambda ctx: tr.Outcome("undetermined", GOOD, ("r",), (None,)), r"missing that are not a tuple"),  # type: ignore[arg-type]
    "raises": (lambda ctx: 1 / 0, r"failed: ZeroDivisionError: division by zero"),
}


def _grant_rule(jid: str, rule: Callable[[tr.RuleContext], object]) -> Callable[[], tr.Policy]:
    return lambda: tr.build_policy(_data(jid), {f"{jid}.grant": rule}, origin=f"test:{jid}")  # type: ignore[dict-item]


def _raises() -> tr.Policy:
    raise RuntimeError("cannot build")


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """``serve(name=factory, ...)``: entry points the registry sees (see ``plugin_policies.serve_plugins``)."""
    yield lambda **factories: serve_plugins(monkeypatch, **factories)
    registry._reset()


def facility(jurisdiction: str = "xiamen") -> tr.Facility:
    return tr.Facility(jurisdiction=jurisdiction, mode="self_run", self_built=True, places=30, enrolled=20)


# -- the engine's boundary ---------------------------------------------------------------------------------------


def test_a_good_plugin_rule_passes_the_boundary(serve: Callable[..., None]) -> None:
    serve(goodville=_grant_rule("goodville", _eligible(GOOD)))
    e = tr.assess(facility("goodville"), on=ON).entitlement("goodville.grant")
    assert (e.status, e.amount) == ("eligible", GOOD)


@pytest.mark.parametrize("case", BAD_RULES, ids=list(BAD_RULES))
def test_a_bad_outcome_is_a_policy_data_error_naming_the_plugin(serve: Callable[..., None], case: str) -> None:
    rule, words = BAD_RULES[case]
    serve(floatville=_grant_rule("floatville", rule))
    with pytest.raises(tr.PolicyDataError, match=words) as info:
        tr.assess(facility("floatville"), on=ON)
    error = info.value
    assert isinstance(error, tr.PluginError)
    assert isinstance(error, tr.PluginRuleError)
    assert error.plugin == "floatville"
    assert str(error).startswith("rule floatville.grant of jurisdiction plugin 'floatville' ")


def test_the_float_never_reaches_a_command(serve: Callable[..., None], tmp_path: Path) -> None:
    """Every command says what is wrong in one line (it was a traceback ending in 'float'...quantize)."""
    serve(floatville=_grant_rule("floatville", BAD_RULES["float-amount"][0]))
    path = tmp_path / "f.json"
    path.write_text(facility("floatville").model_dump_json(), encoding="utf-8")
    err = io.StringIO()
    code = cli.main(["assess", str(path), "--on", ON.isoformat()], stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert err.getvalue().startswith("tuoyu: error: rule floatville.grant of jurisdiction plugin 'floatville'")
    assert err.getvalue().count("\n") == 1


def test_a_built_in_rule_is_blamed_on_the_built_in_not_on_a_plugin() -> None:
    xiamen = tr.get_policy("xiamen")
    program = xiamen.program("xiamen.operating_subsidy")
    error = boundary.rule_error(program, xiamen, "returned a float, not a tuoyu_rules.Outcome")
    assert type(error) is tr.PolicyDataError
    assert str(error) == "rule xiamen.operating_subsidy of 'xiamen' returned a float, not a tuoyu_rules.Outcome"


def test_a_matching_duty_may_still_not_arise() -> None:
    """None stays allowed for an obligation's rule (it does not arise), as the Rule type says."""
    xiamen = tr.get_policy("xiamen")
    duty = next(p for layer in tr.chain("xiamen") for p in layer.programs if p.kind == "obligation")
    grant = xiamen.program("xiamen.operating_subsidy")
    assert boundary.outcome_problem(None, duty) is None
    assert boundary.outcome_problem(None, grant) == "returned None, not a tuoyu_rules.Outcome"
    assert boundary.outcome_problem(dataclasses.replace(tr.Outcome("eligible", GOOD, ())), grant) is None


# -- compare and whatif skip a broken plugin ---------------------------------------------------------------------


@pytest.fixture
def broken_plugins(serve: Callable[..., None]) -> None:
    serve(
        floatville=_grant_rule("floatville", BAD_RULES["float-amount"][0]),
        brokenville=_raises,
        goodville=_grant_rule("goodville", _eligible(GOOD)),
    )


@pytest.mark.usefixtures("broken_plugins")
def test_compare_skips_a_broken_plugin_and_says_why() -> None:
    result = tr.compare(facility(), on=ON)
    builtin_cities = [j for j in registry.builtin_jurisdictions() if tr.get_policy(j).level == "city"]
    assert list(result.assessments) == sorted([*builtin_cities, "goodville"])
    assert set(result.skipped) == {"brokenville", "floatville"}
    assert "failed to build its policy: RuntimeError: cannot build" in result.skipped["brokenville"]
    assert "rule floatville.grant of jurisdiction plugin 'floatville'" in result.skipped["floatville"]
    assert result.assessments["xiamen"] == tr.assess(facility(), jurisdiction="xiamen", on=ON)
    assert json.loads(result.model_dump_json())["skipped"] == result.skipped


@pytest.mark.usefixtures("broken_plugins")
@pytest.mark.parametrize("city", ["floatville", "brokenville"])
def test_a_broken_plugin_the_caller_names_is_still_an_error(city: str) -> None:
    with pytest.raises(tr.PluginError, match=city):
        tr.compare(facility(), on=ON, cities=["xiamen", city])


def test_compare_without_plugins_skips_nothing() -> None:
    assert tr.compare(facility(), on=ON).skipped == {}


@pytest.mark.usefixtures("broken_plugins")
def test_whatif_all_cities_skips_a_broken_plugin_and_warns(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text(facility().model_dump_json(), encoding="utf-8")
    reform = Path(tr.__file__).parent / "examples" / "xiamen_operating_up.reform.json"
    out, err = io.StringIO(), io.StringIO()
    argv = ["whatif", str(path), "--on", ON.isoformat(), "--reform", str(reform), "--all-cities", "--format", "json"]
    code = cli.main(argv, stdout=out, stderr=err)
    warnings = err.getvalue().splitlines()
    assert code == 0
    data = json.loads(out.getvalue())
    assert "goodville" in data
    assert "xiamen" in data
    assert "floatville" not in data
    assert "brokenville" not in data
    assert len(warnings) == 2
    assert all(w.startswith("tuoyu: warning: ") for w in warnings)
    assert any("brokenville" in w for w in warnings)
    assert any("floatville" in w for w in warnings)
