"""``tuoyu compare`` skips a plugin whose rule fails, as ``tr.compare()`` does (issue 18, "Plugins and processes").

Before, ``tuoyu compare`` skipped only a plugin that failed to load; a plugin whose RULE failed (a float amount,
a rule that raises) made the whole command exit 2, although ``tr.compare()`` and ``tuoyu whatif --all-cities``
skipped it. Now the command is ``tr.compare()`` with one ``tuoyu: warning:`` line per skipped plugin, and its
output is otherwise that of a comparison without the broken plugins.

The plugins are built with ``tr.build_policy`` and served through the registry's seam (``plugin_policies``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
import tuoyu_rules.cli.assess as assess_cli
import tuoyu_rules.cli.common as common
import tuoyu_rules.cli.whatif as whatif_cli
import tuoyu_rules.whatif as whatif
from plugin_policies import plugin_data, serve_plugins
from tuoyu_rules.batch import TallyError
from tuoyu_rules.core import registry
from tuoyu_rules.core.jsonio import JsonError

ON = "2024-06-01"


def _policy(jid: str, code: str, rule: Callable[[tr.RuleContext], object]) -> Callable[[], tr.Policy]:
    grant = {"name_zh": "运营补助", "name_en": "Grant", "basis": "per_year"}
    data = plugin_data(jid, code=code, programs={f"{jid}.grant": grant})
    return lambda: tr.build_policy(data, {f"{jid}.grant": rule}, origin=f"test:{jid}")  # type: ignore[dict-item]


def _float_amount(ctx: tr.RuleContext) -> object:
    amount = tr.AmountRange.model_construct(low=1500.0, high=1500.0, allowed=None)  # type: ignore[arg-type]
    return tr.Outcome("eligible", amount, ("a reason",))


def _raises(ctx: tr.RuleContext) -> object:
    raise ZeroDivisionError("division by zero")


def _good(ctx: tr.RuleContext) -> object:
    return tr.Outcome("eligible", tr.AmountRange.of(Decimal("1000"), Decimal("2000")), ("a reason",))


def _unloadable() -> tr.Policy:
    raise RuntimeError("cannot build")


@pytest.fixture
def facility_file(tmp_path: Path) -> Path:
    path = tmp_path / "f.json"
    facility = tr.Facility(jurisdiction="xiamen", mode="self_run", self_built=True, places=30, enrolled=20)
    path.write_text(facility.model_dump_json(), encoding="utf-8")
    return path


@pytest.fixture
def clean() -> Iterator[None]:
    yield
    registry._reset()


def _run(*argv: str) -> tuple[int, str, list[str]]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue().splitlines()


@pytest.mark.usefixtures("clean")
@pytest.mark.parametrize("fmt", ["json", "table"])
def test_compare_skips_a_plugin_whose_rule_fails(
    monkeypatch: pytest.MonkeyPatch, facility_file: Path, fmt: str
) -> None:
    """Before: exit 2, ``tuoyu: error: rule floatville.grant of jurisdiction plugin 'floatville' ...``."""
    baseline = _run("compare", str(facility_file), "--on", ON, "--format", fmt)
    serve_plugins(
        monkeypatch,
        floatville=_policy("floatville", "359700", _float_amount),
        raiseville=_policy("raiseville", "359500", _raises),
        brokenville=_unloadable,
    )
    code, out, warnings = _run("compare", str(facility_file), "--on", ON, "--format", fmt)
    assert code == 0
    assert out == baseline[1]  # the built-in cities, exactly as without the plugins
    assert len(warnings) == 3
    assert all(w.startswith("tuoyu: warning: ") for w in warnings)
    for plugin in ("floatville", "raiseville", "brokenville"):
        assert sum(plugin in w for w in warnings) == 1
        assert plugin not in out
    assert any("returned an amount whose low is a float" in w for w in warnings)


@pytest.mark.usefixtures("clean")
def test_compare_keeps_a_good_plugin_beside_a_broken_one(monkeypatch: pytest.MonkeyPatch, facility_file: Path) -> None:
    serve_plugins(
        monkeypatch,
        goodville=_policy("goodville", "359600", _good),
        raiseville=_policy("raiseville", "359500", _raises),
    )
    code, out, warnings = _run("compare", str(facility_file), "--on", ON, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert "goodville" in data
    assert "raiseville" not in data
    expected = tr.compare(tr.Facility.model_validate_json(facility_file.read_text()), on=dt.date.fromisoformat(ON))
    assert data == expected.to_json_data()
    assert warnings == [f"tuoyu: warning: {expected.skipped['raiseville']}"]


def test_the_warning_helper_lives_in_common() -> None:
    """``tuoyu whatif`` no longer imports a private helper of ``cli.assess``; both use ``cli.common.warn``."""
    assert vars(assess_cli)["warn"] is common.warn
    assert vars(whatif_cli)["warn"] is common.warn
    assert not hasattr(assess_cli, "_warn")


def test_the_leftover_names_are_public() -> None:
    assert tr.TallyError is TallyError
    assert tr.JsonError is JsonError
    assert {"TallyError", "JsonError"} <= set(tr.__all__)
    assert whatif.usable_cities is whatif.comparison.usable_cities
    assert "usable_cities" in whatif.__all__
