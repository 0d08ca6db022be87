"""Third-party jurisdiction plugins: a good one works end to end; a broken one is a PluginError naming it.

Nothing is pip-installed (the virtualenv is shared): the plugin packages under ``tests/plugins/`` are put on
``sys.path``, and the entry points are either handed to the registry through its private seam
``registry._entry_points`` or written as a throw-away ``*.dist-info`` folder that ``importlib.metadata``
discovers for real.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from importlib.metadata import EntryPoint
from pathlib import Path

import pydantic
import pytest

import tuoyu_rules as tr
from tuoyu_rules.core import registry

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
GROUP = tr.ENTRY_POINT_GROUP
ON = dt.date(2024, 6, 1)

BAD = {
    "brokenimport": "tuoyu_bad_plugin.broken_import:load",
    "missingattr": "tuoyu_bad_plugin:no_such_attribute",
    "notapolicy": "tuoyu_bad_plugin:NOT_A_POLICY",
    "returnsnone": "tuoyu_bad_plugin:returns_none",
    "raises": "tuoyu_bad_plugin:raises",
    "exits": "tuoyu_bad_plugin:exits",
    "wrongid": "tuoyu_bad_plugin:wrong_id",
    "orphan": "tuoyu_bad_plugin:orphan",
    "foreignids": "tuoyu_bad_plugin:foreign_ids",
    "norule": "tuoyu_bad_plugin:no_rule",
}
"""Entry points that pass the listing checks but fail when loaded."""

GOOD = {"testville": "tuoyu_good_plugin:load"}


def ep(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=GROUP)


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[EntryPoint]]:
    """A list of fake entry points the registry sees (append to it before the first registry call)."""
    monkeypatch.syspath_prepend(str(PLUGINS / "good_plugin"))
    monkeypatch.syspath_prepend(str(PLUGINS / "bad_plugin"))
    fake: list[EntryPoint] = []
    monkeypatch.setattr(registry, "_entry_points", lambda: list(fake))
    registry._reset()
    yield fake
    registry._reset()


@pytest.fixture
def builtins_alone() -> tuple[str, ...]:
    """The built-in ids, with the installed entry points (normally none), before any fake one is added."""
    registry._reset()
    ids = tr.list_jurisdictions()
    registry._reset()
    return ids


def facility(jurisdiction: str, **extra: object) -> tr.Facility:
    data: dict[str, object] = {
        "jurisdiction": jurisdiction,
        "mode": "self_run",
        "self_built": True,
        "places": 30,
        "enrolled": 20,
    }
    data.update(extra)
    return tr.Facility.model_validate(data)


# -- a good plugin -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["tuoyu_good_plugin:load", "tuoyu_good_plugin:POLICY"])
def test_good_plugin_is_listed_and_assessed_with_its_parents(plugins: list[EntryPoint], value: str) -> None:
    plugins.append(ep("testville", value))
    assert "testville" in tr.list_jurisdictions()
    policy = tr.get_policy("testville")
    assert (policy.id, policy.level, policy.parent) == ("testville", "city", "fujian")
    assert [p.id for p in tr.chain("testville")] == ["testville", "fujian", "cn"]

    a = tr.assess(facility("testville"), on=ON)
    assert a.layers == ("testville", "fujian", "cn")
    e = a.entitlement("testville.operating")
    assert (e.status, e.payer, e.basis) == ("eligible", "testville.union", "per_year")
    assert (e.amount.low, e.amount.high) == (Decimal("1000.00"), Decimal("2000.00"))
    assert e.citations[0].quote == "对用人单位托育机构每年给予1000元至2000元运营补助"
    assert a.entitlement("cn.caring_employer_award").status == "ineligible"
    # the programme's start date applies
    before = tr.assess(facility("testville"), on=dt.date(2023, 12, 31)).entitlement("testville.operating")
    assert before.status == "ineligible"
    assert "2024-01-01" in before.reasons[0]


def test_good_plugin_designations_validate_against_its_ranges(plugins: list[EntryPoint]) -> None:
    plugins.append(ep("testville", "tuoyu_good_plugin:load"))
    f = facility("testville", designations=[{"program": "testville.star", "year": 2024, "amount": "500"}])
    e = tr.assess(f, on=ON).entitlement("testville.star_award")
    assert (e.status, e.amount.low, e.amount.high) == ("eligible", Decimal("500.00"), Decimal("500.00"))
    with pytest.raises(pydantic.ValidationError, match="designations"):
        facility("testville", designations=[{"program": "testville.star", "year": 2024, "amount": "501"}])


def test_a_what_if_move_into_a_plugin_city(plugins: list[EntryPoint]) -> None:
    plugins.append(ep("testville", "tuoyu_good_plugin:load"))
    a = tr.assess(facility("xiamen"), jurisdiction="testville", on=ON)
    assert a.jurisdiction == "testville"
    assert "xiamen.construction_subsidy" not in {e.program for e in a.entitlements}


def test_real_metadata_discovery_without_installing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A ``*.dist-info`` folder on sys.path is what pip leaves behind; importlib.metadata finds it for real."""
    dist = tmp_path / "tuoyu_good_plugin-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: tuoyu-good-plugin\nVersion: 0.1.0\n")
    (dist / "entry_points.txt").write_text(f"[{GROUP}]\ntestville = tuoyu_good_plugin:load\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(PLUGINS / "good_plugin"))
    registry._reset()
    try:
        assert "testville" in tr.list_jurisdictions()
        assert tr.get_policy("testville").name_en == "Testville"
        assert registry.plugin_problems() == ()
    finally:
        registry._reset()


# -- broken plugins --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "value"), sorted(BAD.items()))
def test_broken_plugin_is_a_plugin_error_naming_it(
    plugins: list[EntryPoint], builtins_alone: tuple[str, ...], name: str, value: str
) -> None:
    plugins.extend(ep(n, v) for n, v in BAD.items())
    plugins.append(ep("testville", GOOD["testville"]))
    assert set(tr.list_jurisdictions()) == {*builtins_alone, *BAD, "testville"}

    with pytest.raises(tr.PluginError) as info:
        tr.get_policy(name)
    message = str(info.value)
    assert name in message
    assert value in message
    assert (info.value.plugin, info.value.value) == (name, value)
    assert isinstance(info.value, tr.TuoyuError)
    # asked again: the same error (nothing half-loaded is cached)
    with pytest.raises(tr.PluginError):
        tr.get_policy(name)
    # the built-ins and the good plugin are unaffected
    assert tr.get_policy("xiamen").id == "xiamen"
    assert tr.get_policy("testville").id == "testville"
    assert tr.assess(facility("xiamen"), on=ON).entitlement("xiamen.construction_subsidy").status == "eligible"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("brokenimport", "ModuleNotFoundError: No module named 'tuoyu_no_such_dependency'"),
        ("missingattr", "failed to import"),
        ("notapolicy", "is a int, not a Policy or a zero-argument callable"),
        ("returnsnone", "gave a NoneType, not a tuoyu_rules.Policy"),
        ("raises", "RuntimeError: database of subsidies unreachable"),
        ("exits", "SystemExit: 3"),
        ("wrongid", "declares the id 'otherville'"),
        ("orphan", "names the parent 'atlantis', which is not a registered jurisdiction"),
        ("foreignids", "declares the programme id 'xiamen.construction_subsidy'; its ids must start with"),
        ("norule", "money-bearing programme 'norule.operating' without a rule"),
    ],
)
def test_each_failure_says_what_is_wrong(plugins: list[EntryPoint], name: str, expected: str) -> None:
    plugins.append(ep(name, BAD[name]))
    with pytest.raises(tr.PluginError, match="jurisdiction plugin") as info:
        tr.get_policy(name)
    assert expected in str(info.value)


def test_a_facility_in_a_broken_plugin_city_is_a_validation_error(plugins: list[EntryPoint]) -> None:
    plugins.append(ep("raises", BAD["raises"]))
    with pytest.raises(pydantic.ValidationError, match="jurisdiction") as info:
        facility("raises")
    assert "database of subsidies unreachable" in str(info.value)
    with pytest.raises(tr.PluginError):
        tr.assess(facility("xiamen"), jurisdiction="raises", on=ON)


def test_a_designation_of_a_broken_plugin_is_a_validation_error(plugins: list[EntryPoint]) -> None:
    plugins.append(ep("raises", BAD["raises"]))
    with pytest.raises(pydantic.ValidationError, match="program"):
        tr.Designation("raises.star", 2024)


def test_layers_upside_down_are_refused(plugins: list[EntryPoint]) -> None:
    plugins.append(ep("upsidedown", "tuoyu_bad_plugin:upside_down"))
    assert tr.get_policy("upsidedown").level == "province"  # loads: its parent exists
    with pytest.raises(tr.PluginError, match=r"upsidedown.*a province cannot sit under 'xiamen', a city"):
        tr.chain("upsidedown")


def test_a_plugin_never_shadows_a_builtin(plugins: list[EntryPoint], builtins_alone: tuple[str, ...]) -> None:
    plugins.append(ep("xiamen", "tuoyu_bad_plugin:shadow_xiamen"))
    assert tr.list_jurisdictions() == builtins_alone
    assert tr.get_policy("xiamen").name_en == "Xiamen"
    (problem,) = registry.plugin_problems()
    assert problem.plugin == "xiamen"
    assert "xiamen = tuoyu_bad_plugin:shadow_xiamen" in str(problem)
    assert "built-in" in str(problem)


def test_two_distributions_claiming_one_id_are_refused(
    plugins: list[EntryPoint], builtins_alone: tuple[str, ...]
) -> None:
    plugins.extend([ep("testville", "tuoyu_good_plugin:load"), ep("testville", "tuoyu_good_plugin:POLICY")])
    assert "testville" not in tr.list_jurisdictions()
    with pytest.raises(tr.PluginError, match="claimed by 2 entry points") as info:
        tr.get_policy("testville")
    assert "tuoyu_good_plugin:load" in str(info.value)
    assert "tuoyu_good_plugin:POLICY" in str(info.value)
    assert tr.list_jurisdictions() == builtins_alone


def test_the_same_entry_point_seen_twice_is_one_plugin(plugins: list[EntryPoint]) -> None:
    plugins.extend([ep("testville", "tuoyu_good_plugin:load"), ep("testville", "tuoyu_good_plugin:load")])
    assert tr.get_policy("testville").id == "testville"
    assert registry.plugin_problems() == ()


@pytest.mark.parametrize("name", ["Testville", "test.ville", "", "9lives", "tést", "a b"])
def test_an_entry_point_name_that_is_no_valid_id_is_refused(
    plugins: list[EntryPoint], builtins_alone: tuple[str, ...], name: str
) -> None:
    plugins.append(ep(name, "tuoyu_good_plugin:load"))
    assert tr.list_jurisdictions() == builtins_alone
    with pytest.raises(tr.PluginError, match="not a valid jurisdiction id"):
        tr.get_policy(name)
    assert len(registry.plugin_problems()) == 1


def test_unlistable_entry_points_leave_the_builtins_working(
    monkeypatch: pytest.MonkeyPatch, builtins_alone: tuple[str, ...]
) -> None:
    def broken() -> Iterable[EntryPoint]:
        raise ValueError("malformed entry_points.txt")

    monkeypatch.setattr(registry, "_entry_points", broken)
    registry._reset()
    try:
        assert tr.list_jurisdictions() == builtins_alone
        assert tr.get_policy("xiamen").id == "xiamen"
        (problem,) = registry.plugin_problems()
        assert "malformed entry_points.txt" in str(problem)
    finally:
        registry._reset()


def test_unknown_id_lists_the_plugins_too(plugins: list[EntryPoint]) -> None:
    plugins.append(ep("testville", GOOD["testville"]))
    with pytest.raises(tr.UnknownJurisdiction, match="testville") as info:
        tr.get_policy("atlantis")
    assert isinstance(info.value, LookupError)
    assert "xiamen" in info.value.known


def test_no_installed_plugin_problems_in_this_environment() -> None:
    """The shared environment has no broken plugin installed (a guard for the other tests' assumptions)."""
    registry._reset()
    assert registry.plugin_problems() == ()
