"""Explanations of Hangzhou (杭州市), Weifang (潍坊市), Qian'an (迁安市) and Chengdu (成都市) in Chinese and English.

Every reason of these four jurisdictions' rules is a coded message (``<jurisdiction>.<topic>.<what>``) with a zh
and an en template in the jurisdiction's ``[messages]`` table. Facilities are assessed through every branch of the
rules, in both languages, and each explanation is checked: its code is the jurisdiction's or the core's, the same
codes come in both languages, the Chinese text has no Latin letter outside the parameters' values, the English
text is not empty. The catalogs are checked whole too: every code a rule uses is in its catalog, and every code of
the catalog is used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.core.messages import LANGS, Explanation, Lang, Message, core_catalog, template_params

ON = dt.date(2024, 6, 1)
JURISDICTIONS = ("hangzhou", "weifang", "qianan", "chengdu")
LATIN = re.compile(r"[A-Za-z]")
Entry = tr.Entitlement | tr.Obligation


def latin_outside_params(explanation: Explanation) -> list[str]:
    """The Latin letters of the zh text once every parameter value (and each comma-separated part) is removed."""
    values = set(explanation.params.values())
    values |= {part for value in explanation.params.values() for part in value.split(",")}
    text = explanation.zh
    for value in sorted(values, key=len, reverse=True):
        if value:
            text = text.replace(value, "")
    return LATIN.findall(text)


def check(explanations: tuple[Explanation, ...], texts: tuple[str, ...], lang: Lang, prefixes: tuple[str, ...]) -> None:
    """Each explanation: a code of ``prefixes``, both texts, no Latin letter in Chinese outside the parameters;
    ``texts`` (reasons or notes) are the explanations' texts in ``lang``."""
    assert texts == tuple(x.text(lang) for x in explanations)
    for e in explanations:
        assert e.code.startswith(prefixes), f"{e.code} is not a code of {prefixes}"
        assert e.en.strip(), f"{e.code}: empty English text"
        assert e.zh.strip(), f"{e.code}: empty Chinese text"
        assert not latin_outside_params(e), f"{e.code}: Latin letters in the Chinese text: {e.zh!r}"


def assessed(f: tr.Facility, program: str, on: dt.date = ON, **options: Any) -> tuple[list[str], Entry, Entry]:
    """The entry of ``program`` assessed in zh and in en, checked; its codes (the same in both languages)."""
    jid = program.split(".", 1)[0]
    entries: list[Entry] = []
    for lang in LANGS:
        a = tr.assess(f, on=on, lang=lang, **options)
        found: list[Entry] = [e for e in a.entitlements if e.program == program]
        found += [o for o in a.obligations if o.program == program]
        assert len(found) == 1, f"{program} not assessed"
        entry = found[0]
        assert entry.explanation, "an entry always says why"
        check(entry.explanation, entry.reasons, lang, (f"{jid}.", "core."))
        check(a.explanation, a.notes, lang, ("core.",))
        entries.append(entry)
    zh, en = entries
    codes = [x.code for x in zh.explanation]
    assert codes == [x.code for x in en.explanation]
    assert [x.params for x in zh.explanation] == [x.params for x in en.explanation]
    return codes, zh, en


def reform(parameter: str, **value: Any) -> tr.Reform:
    return tr.Reform.of("what-if").set(parameter, **value).build()


# -- Hangzhou ----------------------------------------------------------------------------------------------------
PUHUI = "hangzhou.puhui_subsidy"
DEMO = "hangzhou.demonstration_award"
PER_FACILITY = {"kind": "choice", "choice": "per_month", "options": ["per_child_month", "per_month"]}


def hangzhou(*designations: tr.Designation, **extra: Any) -> tr.Facility:
    data: dict[str, Any] = {"jurisdiction": "hangzhou", "mode": "third_party", "embedded": True, "places": 60}
    return tr.Facility(**{**data, "enrolled": 20, **extra}, designations=designations)


def hz_puhui(year: int = 2023, amount: str | None = None) -> tr.Designation:
    return tr.Designation("hangzhou.puhui", year, amount)


def hz_demo(year: int = 2023, amount: str | None = None) -> tr.Designation:
    return tr.Designation("hangzhou.demonstration", year, amount)


HANGZHOU_PUHUI: list[tuple[tr.Facility, dt.date, dict[str, Any], list[str]]] = [
    (hangzhou(embedded=False), ON, {}, ["hangzhou.puhui.not_recognised", "hangzhou.puhui.not_embedded"]),
    (hangzhou(hz_puhui(2025)), ON, {}, ["hangzhou.puhui.recognised_after_day"]),
    (hangzhou(hz_puhui(), embedded=False), ON, {}, ["hangzhou.puhui.not_embedded"]),
    (hangzhou(hz_puhui(), filed=False), ON, {}, ["hangzhou.puhui.not_filed"]),
    (
        hangzhou(hz_puhui(), filed=True),
        ON,
        {},
        [
            "hangzhou.puhui.eligible_per_child",
            "hangzhou.puhui.rate_until",
            "hangzhou.puhui.reading_per_child",
            "hangzhou.puhui.filed",
        ],
    ),
    (
        hangzhou(hz_puhui()),
        ON,
        {"reform": reform(f"{PUHUI}.basis", **PER_FACILITY)},
        [
            "hangzhou.puhui.eligible_per_facility",
            "hangzhou.puhui.rate_until",
            "hangzhou.puhui.reading_per_facility",
            "hangzhou.puhui.filed_missing",
            "core.what_if",
        ],
    ),
    (
        hangzhou(hz_puhui(), filed=True),
        ON,
        {"reform": reform(f"{PUHUI}.amount", kind="range", low="400", high="800")},
        [
            "hangzhou.puhui.eligible_per_child",
            "hangzhou.puhui.reading_per_child",
            "hangzhou.puhui.filed",
            "core.what_if",
        ],
    ),
    (
        hangzhou(hz_puhui(), filed=True),
        dt.date(2026, 6, 1),
        {},
        [
            "hangzhou.puhui.successor",
            "hangzhou.puhui.settle",
            "hangzhou.puhui.reading_per_child",
            "hangzhou.puhui.filed",
        ],
    ),
    (
        hangzhou(hz_puhui()),
        ON,
        {"reform": reform(f"{PUHUI}.amount", kind="not_stated")},
        [
            "hangzhou.puhui.amount_not_stated",
            "hangzhou.puhui.settle",
            "hangzhou.puhui.reading_per_child",
            "hangzhou.puhui.filed_missing",
            "core.what_if",
        ],
    ),
    (
        hangzhou(hz_puhui(2026, "1000"), filed=True),
        dt.date(2026, 6, 1),
        {},
        [
            "hangzhou.puhui.successor",
            "hangzhou.puhui.settle",
            "hangzhou.puhui.reading_per_child",
            "hangzhou.puhui.filed",
            "core.pin.supplied",
            "core.pin.set",
        ],
    ),
    (
        hangzhou(hz_puhui(2022), filed=True),
        dt.date(2022, 6, 1),
        {},
        [
            "core.reported_since",
            "hangzhou.puhui.eligible_per_child",
            "hangzhou.puhui.rate_until",
            "hangzhou.puhui.reading_per_child",
            "hangzhou.puhui.filed",
        ],
    ),
]


@pytest.mark.parametrize(("f", "on", "options", "expected"), HANGZHOU_PUHUI)
def test_hangzhou_puhui_in_both_languages(
    f: tr.Facility, on: dt.date, options: dict[str, Any], expected: list[str]
) -> None:
    codes, zh, _ = assessed(f, PUHUI, on, **options)
    assert codes == expected
    assert "普惠" in "".join(zh.reasons)


@pytest.mark.parametrize(
    ("f", "options", "expected"),
    [
        (hangzhou(), {}, ["hangzhou.demonstration.not_selected"]),
        (hangzhou(hz_demo(2025)), {}, ["core.designation.after_day"]),
        (
            hangzhou(hz_demo()),
            {"reform": reform(f"{DEMO}.amount", kind="not_stated")},
            ["hangzhou.demonstration.no_amount", "core.what_if"],
        ),
        (hangzhou(hz_demo()), {}, ["hangzhou.demonstration.selected"]),
        (
            hangzhou(hz_demo(2023, "80000"), embedded=False),
            {},
            ["hangzhou.demonstration.selected", "hangzhou.demonstration.not_embedded_note", "core.pin.applied"],
        ),
    ],
)
def test_hangzhou_demonstration_in_both_languages(f: tr.Facility, options: dict[str, Any], expected: list[str]) -> None:
    codes, _, _ = assessed(f, DEMO, **options)
    assert codes == expected


def test_hangzhou_chinese_names_the_sources_terms() -> None:
    """The zh texts use the sources' words: 普惠机构, 嵌入式, 备案, 杭卫发〔2022〕68号, 5万~15万元."""
    _, no, _ = assessed(hangzhou(hz_puhui(), filed=False), PUHUI)
    assert "备案" in no.reasons[0]
    assert "杭卫发〔2022〕68号" in no.reasons[0]
    _, demo, en = assessed(hangzhou(hz_demo()), DEMO)
    assert "5万~15万元" in demo.reasons[0]
    assert "市示范用人单位嵌入式托育机构" in demo.reasons[0]
    assert "50,000 to 150,000 yuan" in en.reasons[0]


# -- Weifang -----------------------------------------------------------------------------------------------------
AWARD = "weifang.caring_employer_award"


def weifang(mode: str = "self_run", year: int | None = 2023, amount: str | None = None) -> tr.Facility:
    designations = () if year is None else (tr.Designation("weifang.caring_employer", year, amount),)
    return tr.Facility(jurisdiction="weifang", mode=mode, places=30, enrolled=20, designations=designations)


@pytest.mark.parametrize(
    ("f", "options", "expected"),
    [
        (weifang(year=None), {}, ["weifang.award.not_selected"]),
        (weifang(year=2025), {}, ["core.designation.after_day"]),
        (
            weifang(),
            {"reform": reform(f"{AWARD}.amount", kind="not_stated")},
            ["weifang.award.no_amount", "core.what_if"],
        ),
        (weifang("self_run"), {}, ["weifang.award.selected", "weifang.award.mode_self_run"]),
        (weifang("third_party"), {}, ["weifang.award.selected", "weifang.award.mode_third_party"]),
        (weifang("park_shared"), {}, ["weifang.award.selected", "weifang.award.mode_park_shared"]),
        (weifang("union_venue"), {}, ["weifang.award.selected", "weifang.award.mode_union_venue"]),
        (weifang("joint_run"), {}, ["weifang.award.selected", "weifang.award.mode_other_note"]),
    ],
)
def test_weifang_award_in_both_languages(f: tr.Facility, options: dict[str, Any], expected: list[str]) -> None:
    codes, zh, _ = assessed(f, AWARD, **options)
    assert codes == expected
    if "weifang.award.selected" in codes:
        assert "3万~5万元" in zh.reasons[0]
        assert "爱心托育用人单位" in zh.reasons[0]
        assert "三办一托" in zh.reasons[1]


@pytest.mark.parametrize("amount", [None, "40000"])
def test_weifang_county_match_in_both_languages(amount: str | None) -> None:
    codes, zh, _ = assessed(weifang(amount=amount), "weifang.county_match")
    assert codes[-1] == "weifang.match.pinned_award"
    assert "按1:1" in zh.reasons[-1]


# -- Qian'an -----------------------------------------------------------------------------------------------------
CARING_UNIT = "qianan.caring_unit_subsidy"


def qianan(year: int | None = 2023, amount: str | None = None) -> tr.Facility:
    designations = () if year is None else (tr.Designation("qianan.caring_unit", year, amount),)
    return tr.Facility(jurisdiction="qianan", mode="self_run", places=30, enrolled=20, designations=designations)


@pytest.mark.parametrize(
    ("f", "on", "options", "expected"),
    [
        (qianan(None), ON, {}, ["qianan.caring_unit.not_designated"]),
        (qianan(2025), ON, {}, ["core.designation.after_day"]),
        (
            qianan(),
            ON,
            {"reform": reform(f"{CARING_UNIT}.amount", kind="not_stated")},
            ["qianan.caring_unit.no_amount", "core.what_if"],
        ),
        (qianan(), ON, {}, ["qianan.caring_unit.up_to"]),
        (qianan(amount="50000"), ON, {}, ["qianan.caring_unit.up_to", "core.pin.applied"]),
        (
            qianan(),
            ON,
            {"reform": reform(f"{CARING_UNIT}.amount", kind="range", low="10000", high="70000")},
            ["qianan.caring_unit.designated", "core.what_if"],
        ),
        (qianan(2023), dt.date(2023, 6, 1), {}, ["core.reported_since", "qianan.caring_unit.up_to"]),
    ],
)
def test_qianan_caring_unit_in_both_languages(
    f: tr.Facility, on: dt.date, options: dict[str, Any], expected: list[str]
) -> None:
    codes, zh, _ = assessed(f, CARING_UNIT, on, **options)
    assert codes == expected
    if codes == ["qianan.caring_unit.up_to"]:
        assert "最高不超过7万元/家" in zh.reasons[0]


# -- Chengdu -----------------------------------------------------------------------------------------------------
SITE = "chengdu.demonstration_subsidy"


def chengdu(year: int | None = 2023, amount: str | None = None, **facts: Any) -> tr.Facility:
    designations = () if year is None else (tr.Designation("chengdu.demonstration_site", year, amount),)
    return tr.Facility(
        jurisdiction="chengdu", mode="self_run", places=30, enrolled=20, designations=designations, **facts
    )


REQUIRED = "chengdu.demonstration.registration_required"
STATED = ["chengdu.demonstration.site", "chengdu.demonstration.amount_not_stated"]


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (chengdu(None), ["chengdu.demonstration.not_a_site"]),
        (chengdu(2025, registered=True, filed=True), ["core.designation.after_day"]),
        (chengdu(registered=False, filed=True), [REQUIRED, "chengdu.demonstration.not_registered"]),
        (chengdu(registered=True, filed=False), [REQUIRED, "chengdu.demonstration.not_filed"]),
        (
            chengdu(registered=False, filed=False),
            [REQUIRED, "chengdu.demonstration.not_registered", "chengdu.demonstration.not_filed"],
        ),
        (chengdu(registered=True, filed=True), STATED),
        (chengdu(), [*STATED, "chengdu.demonstration.registration_missing"]),
        (chengdu(registered=True), [*STATED, "chengdu.demonstration.registration_missing"]),
        (chengdu(amount="20000", registered=True, filed=True), [*STATED, "core.pin.supplied", "core.pin.set"]),
    ],
)
def test_chengdu_demonstration_in_both_languages(f: tr.Facility, expected: list[str]) -> None:
    codes, zh, _ = assessed(f, SITE)
    assert codes == expected
    if codes[0] == REQUIRED:
        assert "登记、备案" in zh.reasons[0]


def test_chengdu_unsupplied_facts_are_named_in_both_languages() -> None:
    """The unsupplied facts are a parameter: their field names in both languages, with the label in Chinese."""
    _, zh, en = assessed(chengdu(), SITE)
    assert zh.explanation[-1].params == {"fields": "registered,filed"}
    assert "已登记（registered）、已备案（filed）" in zh.reasons[-1]
    assert "registered, filed" in en.reasons[-1]


# -- the catalogs ------------------------------------------------------------------------------------------------
SAMPLE: dict[str, str] = {
    "money": "9600.00",
    "range": "300.00..900.00",
    "date": "2024-06-01",
    "count": "3",
    "plural": "3",
    "term": "self_run",
    "field": "filed",
    "fields": "registered,filed",
}


def catalog_codes(jid: str) -> Iterator[tuple[str, Message]]:
    """Each code of ``jid``'s catalog with a sample message (a value of the right kind for each parameter)."""
    for code, entry in tr.get_policy(jid).messages.items():
        kinds: dict[str, str] = {}
        for _, name, spec in (*entry.zh, *entry.en):  # the kind that needs a value of its shape (zh first)
            if name and not name.startswith("@") and not kinds.get(name):
                kinds[name] = spec.split(":")[0]
        params = {name: SAMPLE.get(kind, f"{jid}.sample") for name, kind in kinds.items()}
        assert set(params) == template_params(entry.zh)
        yield code, Message(code, tuple(sorted(params.items())))


@pytest.mark.parametrize("jid", JURISDICTIONS)
def test_every_code_renders_in_both_languages_without_latin_in_chinese(jid: str) -> None:
    policy = tr.get_policy(jid)
    catalog = core_catalog().with_layers([policy.messages], [policy.terms])
    assert policy.messages
    for code, message in catalog_codes(jid):
        explanation = catalog.explain(message)
        assert explanation.en.strip()
        assert explanation.zh.strip()
        assert not latin_outside_params(explanation), f"{code}: {explanation.zh!r}"


@pytest.mark.parametrize("jid", JURISDICTIONS)
def test_the_rules_use_exactly_the_codes_of_their_catalog(jid: str) -> None:
    """Every code the module names is in the catalog, and every code of the catalog is named by the module."""
    source = resources.files("tuoyu_rules.jurisdictions").joinpath(f"{jid}.py").read_text(encoding="utf-8")
    used = set(re.findall(rf'"({jid}\.[a-z_]+\.[a-z_.]+)"', source))
    programs = {p.id for p in tr.get_policy(jid).programs}
    used -= {u for u in used if u in programs or u.rsplit(".", 1)[0] in programs}  # parameter and programme ids
    assert used == set(tr.get_policy(jid).messages)
    assert all(code.count(".") >= 2 for code in used)
