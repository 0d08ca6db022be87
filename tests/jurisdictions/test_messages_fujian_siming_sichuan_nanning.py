"""The coded reasons of Fujian (福建省), Siming (思明区), Sichuan (四川省) and Nanning (南宁市), in both languages.

Each rule of these layers says why through a code and its parameters, rendered from the ``[messages]`` table
of the layer's data file. Every branch of every rule is assessed here in Chinese and in English, and each
reason is checked: its code is the layer's own (or the core's), the same codes in both languages, the
English text non-empty, and the Chinese text free of Latin letters except inside the parameters it renders
(an id, a field name). The catalogs themselves are checked too: every code a rule uses is there, every code
there is used, and no Chinese template carries a Latin letter of its own.

Sources (quoted in each data file): Fuzhou Daily 2024-01-11 and People's Daily 2022-04-26 (Fujian), Xiamen
Daily 2022-04-14 (Siming), 四川省普惠托育服务机构认定及补助管理办法（试行） as reported by 雅安日报 and China
Daily 2025-08-22 (Sichuan), seed 000 (Nanning: no rule of its own).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from importlib import resources
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.core.messages import Lang, core_catalog, parse_catalog
from tuoyu_rules.jurisdictions import sichuan

DAY = dt.date(2024, 6, 1)
ON = dt.date(2026, 1, 1)  # inside the Sichuan measure's term (2025-08-30 to 2027-08-29)
PURCHASED = "fujian.purchased_places_subsidy"
CARING = "fujian.caring_employer_award"
SIMING = "xiamen.siming_allowance"
PUHUI = "sichuan.puhui_subsidy"
CITY_COUNTY = "sichuan.puhui_subsidy_city_county"
LAYERS = ("fujian", "siming", "sichuan", "nanning")
LATIN = re.compile(r"[A-Za-z]")


def reform(name: str, *changes: tuple[str, dict[str, str]]) -> tr.Reform:
    builder = tr.Reform.of(name, "a what-if of the parameters")
    for parameter, value in changes:
        builder.set(parameter, **value)
    return builder.build()


NOT_STATED = {"kind": "not_stated"}


def facility(jurisdiction: str, **facts: Any) -> tr.Facility:
    data: dict[str, Any] = {"jurisdiction": jurisdiction, "mode": "self_run", "places": 30, "enrolled": 20}
    return tr.Facility.model_validate({**data, **facts})


def puhui(year: int = 2025, amount: str | None = None, **facts: Any) -> tr.Facility:
    designation: dict[str, Any] = {"program": "sichuan.puhui", "year": year}
    if amount is not None:
        designation["amount"] = amount
    return facility("chengdu", designations=[designation], **facts)


KINDERGARTEN: dict[str, Any] = {"mixed_with_preschool": False, "preschool_subsidy": False}
SIMING_MET: dict[str, Any] = {"filed": True, "union_dues_paid": True, "staff_children": 7}

# (case id, facility, day, programme, assess keywords, the code the entry must say)
CASES: list[tuple[str, tr.Facility, dt.date, str, dict[str, Any], str]] = [
    # Fujian: purchased places
    ("mode", facility("xiamen", staff_children=7), DAY, PURCHASED, {}, "fujian.purchased.not_purchased_places"),
    (
        "no-tiers",
        facility("xiamen", mode="purchased_places", staff_children=7),
        DAY,
        PURCHASED,
        {"reform": reform("gap", (f"{PURCHASED}.lower_tier", NOT_STATED))},
        "fujian.purchased.no_amount",
    ),
    (
        "children-missing",
        facility("xiamen", mode="purchased_places"),
        DAY,
        PURCHASED,
        {},
        "fujian.purchased.children_missing",
    ),
    (
        "too-few",
        facility("xiamen", mode="purchased_places", staff_children=4),
        DAY,
        PURCHASED,
        {},
        "fujian.purchased.too_few",
    ),
    (
        "lower",
        facility("xiamen", mode="purchased_places", staff_children=5),
        DAY,
        PURCHASED,
        {},
        "fujian.purchased.lower_tier",
    ),
    (
        "upper",
        facility("xiamen", mode="purchased_places", staff_children=10),
        DAY,
        PURCHASED,
        {},
        "fujian.purchased.upper_tier",
    ),
    (
        "open-ceiling",  # a what-if tier with no ceiling: "at most" an amount not stated, never "None"
        facility("xiamen", mode="purchased_places", staff_children=6),
        DAY,
        PURCHASED,
        {"reform": reform("open", (f"{PURCHASED}.lower_tier", {"kind": "range", "low": "0"}))},
        "fujian.purchased.lower_tier",
    ),
    (
        "open-ceiling-missing",
        facility("xiamen", mode="purchased_places"),
        DAY,
        PURCHASED,
        {"reform": reform("open", (f"{PURCHASED}.upper_tier", {"kind": "range", "low": "0"}))},
        "fujian.purchased.children_missing",
    ),
    (
        "pinned",
        facility("xiamen", mode="purchased_places", staff_children=7),
        DAY,
        PURCHASED,
        {"pins": {PURCHASED: "12000"}},
        "fujian.purchased.lower_tier",
    ),
    # Fujian: provincial caring employers
    ("not-designated", facility("siming"), DAY, CARING, {}, "fujian.caring.not_designated"),
    (
        "designated-later",
        facility("xiamen", designations=[{"program": "fujian.caring_employer", "year": 2025}]),
        DAY,
        CARING,
        {},
        "core.designation.after_day",
    ),
    (
        "no-award",
        facility("xiamen", designations=[{"program": "fujian.caring_employer", "year": 2023}]),
        DAY,
        CARING,
        {"reform": reform("no-award", (f"{CARING}.amount", NOT_STATED))},
        "fujian.caring.no_amount",
    ),
    (
        "caring",
        facility("xiamen", designations=[{"program": "fujian.caring_employer", "year": 2023, "amount": "80000"}]),
        DAY,
        CARING,
        {},
        "fujian.caring.eligible",
    ),
    # Siming: the district allowance
    (
        "siming-no-amount",
        facility("siming", **SIMING_MET),
        DAY,
        SIMING,
        {"reform": reform("none", (f"{SIMING}.amount", NOT_STATED))},
        "siming.allowance.no_amount",
    ),
    (
        "siming-not-filed",
        facility("siming", **{**SIMING_MET, "filed": False}),
        DAY,
        SIMING,
        {},
        "siming.allowance.not_filed",
    ),
    (
        "siming-no-union",
        facility("siming", **{**SIMING_MET, "union_dues_paid": False}),
        DAY,
        SIMING,
        {},
        "siming.allowance.no_union_dues",
    ),
    (
        "siming-none-unmet",
        facility("siming", filed=False, union_dues_paid=False, staff_children=0),
        DAY,
        SIMING,
        {},
        "siming.allowance.no_staff_children",
    ),
    ("siming-met", facility("siming", **SIMING_MET), DAY, SIMING, {}, "siming.allowance.totals"),
    (
        "siming-one",
        facility("siming", **{**SIMING_MET, "staff_children": 1}),
        DAY,
        SIMING,
        {},
        "siming.allowance.totals",
    ),
    ("siming-missing", facility("siming"), DAY, SIMING, {}, "siming.allowance.conditions_missing"),
    (
        "siming-children-missing",
        facility("siming", filed=True, union_dues_paid=True),
        DAY,
        SIMING,
        {},
        "siming.allowance.children_missing",
    ),
    # Sichuan: the 普惠 subsidy, its two shares
    ("not-recognised", facility("chengdu", filed=True), ON, PUHUI, {}, "sichuan.puhui.not_recognised"),
    ("recognised-later", puhui(2026, filed=True), dt.date(2025, 10, 1), PUHUI, {}, "core.designation.after_day"),
    (
        "puhui-no-amount",
        puhui(filed=True, full_day_enrolled=5),
        ON,
        PUHUI,
        {"reform": reform("none", (f"{PUHUI}.amount", NOT_STATED))},
        "sichuan.puhui.no_amount",
    ),
    ("not-filed", puhui(filed=False, full_day_enrolled=5), ON, PUHUI, {}, "sichuan.puhui.not_filed"),
    ("mixed", puhui(filed=True, mixed_with_preschool=True), ON, PUHUI, {}, "sichuan.puhui.mixed_with_preschool"),
    ("preschool", puhui(filed=True, preschool_subsidy=True), ON, CITY_COUNTY, {}, "sichuan.puhui.preschool_subsidy"),
    ("no-full-day", puhui(filed=True, full_day_enrolled=0, **KINDERGARTEN), ON, PUHUI, {}, "sichuan.puhui.no_full_day"),
    (
        "provincial",
        puhui(filed=True, full_day_enrolled=7, **KINDERGARTEN),
        ON,
        PUHUI,
        {},
        "sichuan.puhui.provincial_share",
    ),
    (
        "city-county",
        puhui(filed=True, full_day_enrolled=7, **KINDERGARTEN),
        ON,
        CITY_COUNTY,
        {},
        "sichuan.puhui.city_county_share",
    ),
    ("puhui-missing", puhui(), ON, PUHUI, {}, "sichuan.puhui.exclusion_missing"),
    ("puhui-missing-city", puhui(), ON, CITY_COUNTY, {}, "sichuan.puhui.filed_missing"),
    ("full-day-missing", puhui(filed=True, **KINDERGARTEN), ON, PUHUI, {}, "sichuan.puhui.full_day_missing"),
    (
        "whole-pinned",
        puhui(amount="200", filed=True, full_day_enrolled=3),
        ON,
        CITY_COUNTY,
        {},
        "sichuan.puhui.whole_pinned",
    ),
    (
        "pin-outside",  # a what-if rate of 300: the designation's 200 is not within it
        puhui(amount="200", filed=True, full_day_enrolled=3),
        ON,
        PUHUI,
        {"reform": reform("rate", (f"{PUHUI}.amount", {"kind": "range", "low": "300", "high": "300"}))},
        "sichuan.puhui.pin_outside",
    ),
    (
        "shares-not-stated",
        puhui(filed=True, full_day_enrolled=3),
        ON,
        CITY_COUNTY,
        {"reform": reform("split", (f"{PUHUI}.provincial_share", NOT_STATED))},
        "sichuan.puhui.shares_not_stated",
    ),
    (
        "share-rounded",  # a what-if rate of 33.33: its half is rounded to the fen, and a reason says so
        puhui(filed=True, full_day_enrolled=3, **KINDERGARTEN),
        ON,
        PUHUI,
        {"reform": reform("odd", (f"{PUHUI}.amount", {"kind": "range", "low": "33.33", "high": "33.33"}))},
        "core.rounded",
    ),
    (
        "mianyang",
        puhui(filed=True, full_day_enrolled=2).model_copy(update={"jurisdiction": "510700"}),
        ON,
        CITY_COUNTY,
        {},
        "sichuan.puhui.city_county_share",
    ),
]


def assess(f: tr.Facility, on: dt.date, lang: Lang, kwargs: dict[str, Any]) -> tr.Assessment:
    return tr.assess(f, on=on, lang=lang, **kwargs)


def latin_outside_params(x: tr.Explanation) -> str:
    """The Latin letters left in ``x.zh`` once the parameters' own values (and their comma-separated parts) are
    taken out: none, for a sound message."""
    text = x.zh
    pieces = {piece for value in x.params.values() for piece in (value, *value.split(","), *value.split("+"))}
    for piece in sorted(pieces, key=len, reverse=True):
        if piece:
            text = text.replace(piece, "")
    return "".join(LATIN.findall(text))


def check(explanation: tuple[tr.Explanation, ...], owner: str) -> None:
    for x in explanation:
        assert x.code.startswith((f"{owner}.", "core.")), x.code
        assert x.en.strip(), x.code
        assert x.zh.strip(), x.code
        assert "None" not in x.en, x
        assert latin_outside_params(x) == "", (x.code, x.zh)


def owner(program: str) -> str:
    return "siming" if program == SIMING else program.split(".")[0]


@pytest.mark.parametrize(
    ("f", "on", "program", "kwargs", "code"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_every_branch_speaks_both_languages(
    f: tr.Facility, on: dt.date, program: str, kwargs: dict[str, Any], code: str
) -> None:
    zh = assess(f, on, "zh", kwargs).entitlement(program)
    en = assess(f, on, "en", kwargs).entitlement(program)
    assert [x.code for x in zh.explanation] == [x.code for x in en.explanation]
    assert zh.explanation == en.explanation  # the explanation holds both texts, whatever the language asked
    assert code in [x.code for x in en.explanation]
    assert en.reasons == tuple(x.en for x in en.explanation)
    assert zh.reasons == tuple(x.zh for x in zh.explanation)
    check(en.explanation, owner(program))


def test_every_code_of_the_layers_is_reached() -> None:
    """The cases above reach every code of the catalogs but one, which the next test reaches."""
    seen: set[str] = set()
    for _, f, on, program, kwargs, _ in CASES:
        seen |= {x.code for x in assess(f, on, "en", kwargs).entitlement(program).explanation}
    catalog = {code for layer in LAYERS for code in tr.get_policy(layer).messages}
    assert catalog - seen == {"sichuan.puhui.recognised_undated"}


def test_a_programme_without_its_dates_says_so() -> None:
    """The measure's term (2025-08-30, two years) is data; were it absent, the reason would not invent dates."""
    policy = tr.get_policy("sichuan")
    program = dataclasses.replace(policy.program(PUHUI), end=None)
    ctx = tr.RuleContext(
        facility=puhui(filed=True, full_day_enrolled=2, **KINDERGARTEN),
        on=ON,
        program=program,
        policy=policy,
        chain=(tr.get_policy("cn"),),
    )
    outcome = sichuan.puhui_subsidy(ctx)
    assert outcome.status == "eligible"
    catalog = core_catalog().with_layers([policy.messages], [policy.terms])
    explained = tuple(catalog.explain(m) for m in outcome.reasons if not isinstance(m, str))
    assert len(explained) == len(outcome.reasons)
    assert "sichuan.puhui.recognised_undated" in [x.code for x in explained]
    check(explained, "sichuan")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_nanning_has_no_reason_of_its_own(lang: Lang) -> None:
    """Seed 000 states no per-unit formula for Nanning: its catalog is empty and its facilities hear only the
    national layer (and the core), in either language."""
    assert dict(tr.get_policy("nanning").messages) == {}
    a = tr.assess(
        facility("nanning", designations=[{"program": "cn.caring_employer", "year": 2022}]), on=DAY, lang=lang
    )
    codes = [x.code for e in a.entitlements for x in e.explanation]
    assert codes
    assert all(code.startswith(("cn.", "core.")) for code in codes)
    other: Lang = "en" if lang == "zh" else "zh"
    again = tr.assess(
        facility("nanning", designations=[{"program": "cn.caring_employer", "year": 2022}]), on=DAY, lang=other
    )
    assert codes == [x.code for e in again.entitlements for x in e.explanation]


# -- the catalogs ------------------------------------------------------------------------------------------------


def data(layer: str) -> dict[str, Any]:
    text = resources.files("tuoyu_rules.jurisdictions").joinpath(f"{layer}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def used_codes(layer: str) -> set[str]:
    source = resources.files("tuoyu_rules.jurisdictions").joinpath(f"{layer}.py").read_text(encoding="utf-8")
    return set(re.findall(r"""msg\(\s*"([a-z_.]+)\"""", source))


@pytest.mark.parametrize("layer", LAYERS)
def test_the_catalog_holds_exactly_the_codes_the_rules_use(layer: str) -> None:
    raw = data(layer)
    assert "messages" in raw  # appended at the end of the data file, empty for a layer with no rule
    catalog = parse_catalog(raw["messages"], f"{layer}.toml")
    assert set(catalog) == used_codes(layer)
    assert all(code.startswith(f"{layer}.") for code in catalog)


@pytest.mark.parametrize("layer", LAYERS)
def test_no_chinese_template_carries_a_latin_letter(layer: str) -> None:
    for code, entry in parse_catalog(data(layer)["messages"], f"{layer}.toml").items():
        literal = "".join(text for text, _, _ in entry.zh)
        assert not LATIN.search(literal), (code, literal)
