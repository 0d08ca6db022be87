"""Issue 18, what a reform (and a data file) may say: choices, ratios, overlaps, brackets, digits, pickling, plugins.

Each test cites the finding it guards ("A reform can change a choice to a value the law never offered", ...)
and fails on the code before the fix: a choice outside the law's options, a ratio of 10^12 or 1e30, an
overlapping dated value, a bracket ``min`` of ``True`` or -1 and a full-width digit were all accepted, a
``Reform`` did not pickle, and checking a reform's parameter names loaded every registered plugin.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import pickle
import sys
import types
from collections.abc import Iterator
from decimal import Decimal
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest

import tuoyu_rules as tr
import tuoyu_rules.cli.app as cli
import tuoyu_rules.cli.families as cli_families
from tuoyu_rules.core import registry
from tuoyu_rules.core.money import as_decimal, plain_decimal
from tuoyu_rules.core.parameters import MAX_RATIO, Choice, DatedValue, Parameter, Ratio, parse_value
from tuoyu_rules.families.fees import parse_share

ON = dt.date(2024, 6, 1)
BASIS = "hangzhou.puhui_subsidy.basis"
MATCH = "weifang.county_match.ratio"
PROVINCIAL = "cn.caring_employer_provincial_match.ratio"  # keyed by batch year
OPERATING = "xiamen.operating_subsidy.amount"  # dated
PER_CLASS = "xiamen.operating_subsidy.per_class"  # brackets
PLUGINS = Path(__file__).resolve().parents[1] / "plugins"


def reform(parameter: str, *values: dict[str, Any]) -> tr.Reform:
    return tr.Reform.from_dict({"name": "what-if", "parameters": {parameter: list(values)}})


def hangzhou(reform_: tr.Reform | None = None) -> tr.Entitlement:
    f = tr.Facility(
        jurisdiction="hangzhou",
        mode="third_party",
        embedded=True,
        filed=True,
        places=60,
        enrolled=20,
        designations=[tr.Designation("hangzhou.puhui", 2023)],
    )
    return tr.assess(f, on=ON, reform=reform_).entitlement("hangzhou.puhui_subsidy")


# -- a choice: only the law's options ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "options"),
    [
        ("one_time", ["one_time"]),  # the finding: options of the reform's own making
        ("weekly", ["per_child_month", "per_month", "weekly"]),  # reported as a facility error before
        ("weekly", None),
        ("", None),
    ],
)
def test_a_reform_choice_the_law_never_offered_is_refused_when_built(choice: str, options: list[str] | None) -> None:
    """Finding: "A reform can change a choice to a value the law never offered" (``basis = one_time`` moved a
    monthly per-child rate into one-time totals; "weekly" failed later as a facility error)."""
    value: dict[str, Any] = {"kind": "choice", "choice": choice}
    if options is not None:
        value["options"] = options
    with pytest.raises(tr.InvalidInput) as info:
        reform(BASIS, value)
    message = str(info.value)
    assert info.value.field.startswith(f"reform.parameters[{BASIS}][0]")
    assert repr(choice) in message or info.value.field.endswith(".options")
    assert "per_child_month" in message
    assert "per_month" in message


def test_a_choice_is_refused_by_loads_and_by_the_constructor_too() -> None:
    """The same check whatever the way in: JSON text, and a Reform built by hand from a DatedValue."""
    with pytest.raises(tr.InvalidInput, match=r"'one_time' is not an option of hangzhou\.puhui_subsidy\.basis"):
        tr.Reform.loads(json.dumps({"name": "x", "parameters": {BASIS: {"kind": "choice", "choice": "one_time"}}}))
    forged = DatedValue("choice", Choice("one_time", ("one_time",)), None, None, None, (), None)
    with pytest.raises(tr.InvalidInput, match=r"one_time.*offers only per_child_month, per_month"):
        tr.Reform(name="x", description="", overrides={BASIS: (forged,)}, data={})


def test_a_choice_among_the_laws_options_applies_with_or_without_options() -> None:
    """``options`` may be left out (they are the law's); given, in any order, they must be the law's."""
    short = reform(BASIS, {"kind": "choice", "choice": "per_month"})
    full = reform(BASIS, {"kind": "choice", "choice": "per_month", "options": ["per_month", "per_child_month"]})
    assert hangzhou(short).basis == hangzhou(full).basis == "per_month"
    assert hangzhou().basis == "per_child_month"
    with pytest.raises(tr.InvalidInput, match=r"\[0\]\.options: the options of hangzhou\.puhui_subsidy\.basis"):
        reform(BASIS, {"kind": "choice", "choice": "per_month", "options": ["per_month", "one_time"]})


# -- ratios: bounded, and no obligation above the money cap -------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "says"),
    [
        ("1000000000000", r"outside \[0, 100\]"),  # the finding: an obligation above the money cap
        (10**12, r"outside \[0, 100\]"),
        ("100.01", r"outside \[0, 100\]"),
        ("1e30", "not a number in plain decimal digits"),  # the finding: failed later as a rule error
        ("-1", r"outside \[0, 100\]"),
        ("１", "not a number in plain decimal digits"),  # full-width, refused in money
        ("0.5_0", "not a number in plain decimal digits"),
        ("NaN", "not a number in plain decimal digits"),
        ("0.00000000001", "more than 10 decimals"),
    ],
)
def test_a_ratio_outside_the_sane_range_is_refused_in_a_reform(ratio: object, says: str) -> None:
    """Finding: "ratios are unbounded (10^12 gives an obligation above the library's own money cap; 1e30 fails
    as a rule error)". A ratio is plain ASCII digits in [0, 100], at most 10 decimals."""
    with pytest.raises(tr.InvalidInput, match=says) as info:
        reform(MATCH, {"kind": "ratio", "ratio": ratio, "exact": True})
    assert info.value.field == f"reform.parameters[{MATCH}][0].ratio"


def test_a_ratio_at_the_bound_is_accepted_and_a_forged_one_is_not() -> None:
    at_bound = reform(MATCH, {"kind": "ratio", "ratio": "100", "exact": True})
    assert at_bound.overrides[MATCH][0].value == Ratio(MAX_RATIO, True)
    assert reform(MATCH, {"kind": "ratio", "ratio": "0.1234567891", "exact": True})
    forged = DatedValue("ratio", Ratio(Decimal("1E+30"), True), None, None, None, (), None)
    with pytest.raises(tr.InvalidInput, match=r"\[0\]\.ratio: 1E\+30 is outside"):
        tr.Reform(name="x", description="", overrides={MATCH: (forged,)}, data={})


def test_an_obligation_above_the_money_cap_is_an_error_naming_the_programme() -> None:
    """Finding: "10^12 gives an obligation above the library's own money cap". Even inside the ratio bound,
    100 times a what-if grant of 10^12 yuan is refused, never a silent 10^14 (nor a clamped 10^12)."""
    huge = (
        tr.Reform.of("huge")
        .set("weifang.caring_employer_award.amount", kind="range", low="1000000000000", high="1000000000000")
        .set(MATCH, kind="ratio", ratio="100", exact=True)
        .build()
    )
    f = tr.Facility(
        jurisdiction="weifang",
        mode="self_run",
        places=30,
        enrolled=20,
        designations=[tr.Designation("weifang.caring_employer", 2023)],
    )
    with pytest.raises(tr.MoneyError, match=r"^weifang\.county_match matching_amount: .* largest accepted amount"):
        tr.assess(f, on=ON, reform=huge)
    with pytest.raises(tr.MoneyError, match="largest accepted amount"):
        tr.AmountRange.exactly("1000000000000").scale(Decimal("1.01"))
    assert tr.AmountRange.exactly("10000000000").scale(100)[0] == tr.AmountRange.exactly("1000000000000")


# -- data files: the same rules, as PolicyDataError naming the file and the parameter ---------------------


def demo(value: dict[str, Any]) -> dict[str, Any]:
    """A minimal jurisdiction whose one parameter has ``value`` (plus its citation)."""
    return {
        "jurisdiction": {
            "id": "demo",
            "name_zh": "示例市",
            "name_en": "Demo",
            "level": "city",
            "parent": "fujian",
            "division_code": "350299",
        },
        "sources": {"src": {"document": "示例", "title": "示例", "confidence": "official"}},
        "citations": {"demo.c": {"source": "src", "clause": "第一条", "quote": "给予补助"}},
        "parameters": {"demo.p": {"description": "p", "values": [{**value, "cite": ["demo.c"]}]}},
    }


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ({"kind": "ratio", "ratio": "1000000000000", "exact": True}, r"\.ratio: 1000000000000 is outside \[0, 100\]"),
        ({"kind": "ratio", "ratio": "1e30", "exact": True}, r"\.ratio: '1e30' is not a number in plain"),
        ({"kind": "ratio", "ratio": "０.５", "exact": True}, r"\.ratio: '０.５' is not a number in plain"),
        ({"kind": "brackets", "brackets": [{"min": True, "max": 4, "amount": "0"}]}, r"brackets\[0\]: min and max"),
        ({"kind": "brackets", "brackets": [{"min": -1, "max": 4, "amount": "0"}]}, r"brackets\[0\]: min and max"),
        ({"kind": "brackets", "brackets": [{"min": 0, "max": True, "amount": "0"}]}, r"brackets\[0\]: min and max"),
        ({"kind": "choice", "choice": "a", "options": ["a", "a"]}, r"\.options: .* lists a reading twice"),
        ({"kind": "range", "low": "1", "high": "2", "start": "2024-W01-1"}, r"\.start: '2024-W01-1' is not a TOML"),
    ],
)
def test_a_data_file_breaking_a_rule_names_the_file_and_the_parameter(value: dict[str, Any], says: str) -> None:
    """Findings: "a bracket's min accepts True and negatives", unbounded ratios and full-width digits, in data."""
    with pytest.raises(tr.PolicyDataError, match=r"^demo\.toml: parameters\.demo\.p\.values\[0\]" + ".*" + says):
        tr.build_policy(demo(value), {}, origin="demo.toml")


def test_the_minimal_data_builds() -> None:
    """The fixture itself is good data: each case above breaks exactly one rule."""
    policy = tr.build_policy(demo({"kind": "ratio", "ratio": "1", "exact": True}), {}, origin="demo.toml")
    assert policy.parameters["demo.p"].values[0].value == Ratio(Decimal(1), True)


@pytest.mark.parametrize("bad", [{"min": True, "max": 4}, {"min": -1, "max": 4}, {"min": 1, "max": False}])
def test_a_reform_bracket_min_is_a_whole_number_not_a_bool(bad: dict[str, Any]) -> None:
    """Finding: "A bracket's min accepts True and negatives" (a reform goes through the same parser)."""
    with pytest.raises(tr.InvalidInput, match=r"brackets\[0\]: min and max are whole numbers, 0 or more"):
        reform(PER_CLASS, {"kind": "brackets", "brackets": [{**bad, "amount": "0"}]})


# -- overlapping values: none silently wins -------------------------------------------------------------


def rng(low: str, **dates: Any) -> dict[str, Any]:
    return {"kind": "range", "low": low, "high": low, **dates}


@pytest.mark.parametrize(
    ("parameter", "values", "says"),
    [
        (OPERATING, [rng("1", start="2024-01-01", end="2024-12-31"), rng("2", start="2024-06-01")], "values overlap"),
        (OPERATING, [rng("1", end="2024-12-31"), rng("2", end="2023-12-31")], "values overlap"),
        (OPERATING, [rng("1", start="2024-01-01"), rng("2", start="2025-01-01")], "values overlap"),
        (OPERATING, [rng("1"), rng("2", start="2025-01-01")], "must be the only one"),
        (OPERATING, [rng("1", batch=2023)], "is dated, not keyed by batch"),
        (PROVINCIAL, [{"kind": "not_stated", "batch": 2022}, {"kind": "not_stated", "batch": 2022}], "repeat"),
        (PROVINCIAL, [{"kind": "not_stated", "start": "2024-01-01"}], "keyed by batch year"),
    ],
)
def test_overlapping_reform_values_are_refused(parameter: str, values: list[dict[str, Any]], says: str) -> None:
    """Finding: "overlapping dated values are accepted and the first wins" (a what-if value that would never
    apply, a batch value on a dated parameter, is refused for the same reason)."""
    with pytest.raises(tr.InvalidInput, match=says) as info:
        reform(parameter, *values)
    assert info.value.field.startswith(f"reform.parameters[{parameter}]")


def test_adjacent_dated_reform_values_each_apply_on_their_days() -> None:
    r = reform(OPERATING, rng("2", start="2025-01-01"), rng("1", end="2024-12-31"))
    assert [r.value(OPERATING, day).value.low for day in (dt.date(2024, 12, 31), dt.date(2025, 1, 1))] == [  # type: ignore[union-attr]
        Decimal("1.00"),
        Decimal("2.00"),
    ]


def test_a_parameter_built_by_hand_with_overlapping_values_is_refused() -> None:
    """The data check holds for a Parameter a plugin builds itself: the first value would silently win."""
    first = parse_value(rng("1", start="2024-01-01", end="2024-12-31"), "v", None)
    second = parse_value(rng("2", start="2024-06-01"), "v", None)
    with pytest.raises(tr.PolicyDataError, match=r"^parameters\.demo\.p: values must be in date order without"):
        Parameter("demo.p", "p", (first, second))


# -- one rule for numbers: plain ASCII digits ------------------------------------------------------------


@pytest.mark.parametrize("text", ["０.５", "٠.٥", "۰.۵", "०.५"])
def test_unicode_digits_are_refused_in_shares_as_in_money(text: str) -> None:
    """Finding: "full-width digits are accepted in ratios and --share but refused in money"."""
    with pytest.raises(tr.MoneyError, match="plain decimal digits"):
        tr.parse_money(text)
    assert as_decimal(text) is None
    assert plain_decimal(text) is None
    with pytest.raises(tr.InvalidInput, match=r"^share: .* is not a number"):
        parse_share(text)
    with pytest.raises(tr.InvalidInput, match="share"):
        tr.parent_fee("2000", share=text)


def test_ascii_numbers_still_read_the_same() -> None:
    assert parse_share(" 0.85 ") == Decimal("0.85")
    assert as_decimal("1e-3") == Decimal("0.001")
    assert plain_decimal("12.50") == Decimal("12.50")
    assert plain_decimal("1e3") is None


def test_cli_share_with_full_width_digits_exits_2_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding: full-width digits were accepted by ``--share``; now one line on stderr, exit status 2."""
    monkeypatch.setattr(cli, "_EXTENSIONS", (cli_families,))
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["fee", "2000", "--share", "０.５"], stdout=out, stderr=err, stdin=io.StringIO(""))
    assert (code, out.getvalue()) == (2, "")
    assert err.getvalue().count("\n") == 1
    assert "share" in err.getvalue()


# -- pickling --------------------------------------------------------------------------------------------


def test_a_reform_pickles_to_an_equal_reform_that_assesses_the_same() -> None:
    """Finding: "Reform cannot be pickled (no reform can be sent to a worker)"."""
    original = (
        tr.Reform.of("mixed", "several kinds")
        .set(OPERATING, kind="range", low="20000", high="30000", start=dt.date(2024, 1, 1))
        .set(BASIS, kind="choice", choice="per_month")
        .set(MATCH, kind="ratio", ratio="0.5", exact=True)
        .set(PER_CLASS, kind="brackets", brackets=[{"min": 0, "max": None, "amount": "100"}])
        .build()
    )
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        copy_ = pickle.loads(pickle.dumps(original, protocol=protocol))
        assert copy_ == original
        assert copy_.dumps() == original.dumps()
        assert copy_.value(OPERATING, ON) == original.value(OPERATING, ON)
    assert copy.deepcopy(original) == original
    assert hangzhou(pickle.loads(pickle.dumps(original))) == hangzhou(original)


def test_the_builder_does_not_change_a_reform_already_built() -> None:
    """``data`` is the reform's own copy: a later ``set`` on the builder leaves ``dumps`` as it was."""
    builder = tr.Reform.of("x").set(OPERATING, kind="range", low="1", high="2")
    built = builder.build()
    before = built.dumps()
    builder.set(MATCH, kind="not_stated")
    assert built.dumps() == before


# -- loading a reform loads only the jurisdictions it names ---------------------------------------------


@pytest.fixture
def probe(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[list[EntryPoint], list[str]]]:
    """Fake entry points (the seam ``registry._entry_points``, as tests/reliability/test_plugins.py uses) and
    the names of the probe plugins loaded: ``slowville`` records its loading and fails."""
    monkeypatch.syspath_prepend(str(PLUGINS / "good_plugin"))
    monkeypatch.syspath_prepend(str(PLUGINS / "bad_plugin"))
    loaded: list[str] = []

    def load() -> tr.Policy:
        loaded.append("slowville")
        raise RuntimeError("a slow plugin: loading it took seconds")

    module = types.ModuleType("tuoyu_reform_probe")
    module.load = load  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tuoyu_reform_probe", module)
    fake = [EntryPoint(name="slowville", value="tuoyu_reform_probe:load", group=tr.ENTRY_POINT_GROUP)]
    monkeypatch.setattr(registry, "_entry_points", lambda: list(fake))
    registry._reset()
    yield fake, loaded
    registry._reset()


@pytest.mark.parametrize("parameter", [OPERATING, "xiamen.siming_allowance.amount", MATCH])
def test_a_reform_of_built_in_parameters_loads_no_plugin(
    probe: tuple[list[EntryPoint], list[str]], parameter: str
) -> None:
    """Finding: "loading a reform loads only the plugins it names (an unrelated slow plugin made budget --reform
    take 9.7 s)". A district's parameter carrying its city's id (Siming's) is still found."""
    _, loaded = probe
    assert "slowville" in tr.list_jurisdictions()
    assert list(reform(parameter, {"kind": "not_stated"}).overrides) == [parameter]
    with pytest.raises(tr.UnknownProgram, match=r"nowhere\.x"):
        reform("nowhere.x", {"kind": "not_stated"})
    assert loaded == []


def test_a_reform_of_a_plugin_parameter_loads_that_plugin_only(
    probe: tuple[list[EntryPoint], list[str]], tmp_path: Path
) -> None:
    fake, loaded = probe
    fake.append(EntryPoint(name="testville", value="tuoyu_good_plugin:load", group=tr.ENTRY_POINT_GROUP))
    registry._reset()
    path = tmp_path / "reform.json"
    reform("testville.operating.amount", rng("5000")).save(path)
    loaded_reform = tr.Reform.load(path)
    assert loaded_reform.overrides["testville.operating.amount"][0].value == tr.AmountRange.exactly("5000")
    assert loaded == []


def test_a_reform_naming_a_broken_plugin_says_so(probe: tuple[list[EntryPoint], list[str]]) -> None:
    """A named plugin is loaded, and its failure is its own PluginError, not "unknown parameter"."""
    _, loaded = probe
    with pytest.raises(tr.PluginError, match=r"jurisdiction plugin 'slowville' .*RuntimeError"):
        reform("slowville.grant.amount", {"kind": "not_stated"})
    assert loaded == ["slowville"]
