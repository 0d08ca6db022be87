"""The data's own texts in Chinese as well as English (issue 14): limitations, references, assumptions, notes,
parameter descriptions and notes, citation clauses and summaries, and the sources' names.

Each English text of the bundled data has its Chinese beside it, under the same key with ``_zh``: a list text by
text, of the same length and order, or a string. A Chinese text has Chinese in it and no Latin letter outside ids
(``facility.filed``, ``cn.acftu+<province>.union``, ``per_child_month``, ``pins=``, ``GB/T 2260``). The loader
checks both (:mod:`tuoyu_rules.core.zh_texts`) and refuses data that breaks them; a plugin's data may leave the
Chinese out. Translations add no fact and no figure: every number of a Chinese text is a number of its English.
"""

from __future__ import annotations

import io
import re
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

import tuoyu_rules as tr
from tuoyu_rules.cli import app as cli
from tuoyu_rules.core.errors import PolicyDataError
from tuoyu_rules.core.loading import build_policy, builtin_sources
from tuoyu_rules.core.zh_texts import latin_outside_ids

CJK = re.compile(r"[\u4e00-\u9fff]")
DATA = resources.files("tuoyu_rules.jurisdictions")
FILES = sorted(p.name for p in DATA.iterdir() if p.name.endswith(".toml") and p.name != "sources.toml")
LISTS = ("references", "limitations", "assumptions", "notes")
TEXTS = ("description", "note", "clause", "summary", "document", "title", "issuer", "where")


def data(name: str) -> dict[str, Any]:
    return tomllib.loads(DATA.joinpath(name).read_text(encoding="utf-8"))


def tables(raw: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every table of a data file that may hold a text, with where it is (messages aside: they have their own
    tests)."""
    yield "jurisdiction", raw["jurisdiction"]
    for key in ("programs", "citations", "parameters", "sources"):
        for entry_id, entry in raw.get(key, {}).items():
            yield f"{key}.{entry_id}", entry
            for i, value in enumerate(entry.get("values", []) if key == "parameters" else []):
                yield f"{key}.{entry_id}.values[{i}]", value


def all_tables() -> Iterator[tuple[str, dict[str, Any]]]:
    for name in FILES:
        for where, table in tables(data(name)):
            yield f"{name}:{where}", table
    for sid, source in data("sources.toml")["sources"].items():
        yield f"sources.toml:{sid}", source


def chinese(text: str) -> bool:
    return bool(CJK.search(text)) and not latin_outside_ids(text)


@pytest.mark.parametrize("name", FILES)
def test_every_english_list_has_its_chinese_text_by_text(name: str) -> None:
    for where, table in tables(data(name)):
        for key in LISTS:
            english = table.get(key)
            if not english:
                continue
            zh = table.get(f"{key}_zh")
            assert isinstance(zh, list), f"{name}:{where}.{key}_zh"
            assert len(zh) == len(english), f"{name}:{where}.{key}_zh"
            for en, text in zip(english, zh, strict=True):
                assert chinese(text), (where, text)
                assert numbers(text) <= numbers(en), (where, en, text)


def test_every_english_text_has_its_chinese() -> None:
    """A description, a note, a summary always; a clause or a source's name when it is (partly) in English."""
    for where, table in all_tables():
        for key in TEXTS:
            english = table.get(key)
            if english is None:
                assert f"{key}_zh" not in table, where
                continue
            zh = table.get(f"{key}_zh")
            if key in ("description", "note", "summary") or latin_outside_ids(english):
                assert zh, f"{where}.{key}"
            if zh is not None:
                assert chinese(zh), (where, zh)
                assert numbers(zh) <= numbers(english) | dates_in(english), (where, english, zh)


SCALED = re.compile(r"(\d+(?:\.\d+)?) ?(万|million)")
WORDS = {"once": 1, "one": 1, "twice": 2, "two": 2, "three": 3}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October")


def numbers(text: str) -> set[Decimal]:
    """The figures of a text, as numbers: ``15,000`` and ``1.5万`` are both 15000, ``22.5 million`` and ``2250万``
    both 22500000; ``2025年3月28日``, ``March 2025`` and ``2025-03-28`` give the same numbers; ``once`` is 1."""
    text = text.replace(",", "")
    found = {Decimal(n) * (10000 if unit == "万" else 1000000) for n, unit in SCALED.findall(text)}
    rest = SCALED.sub(" ", text)
    found |= {Decimal(n) for n in re.findall(r"\d+(?:\.\d+)?", rest)}
    found |= {Decimal(n) for word, n in WORDS.items() if re.search(rf"\b{word}\b", text, re.IGNORECASE)}
    return found | {Decimal(i + 1) for i, month in enumerate(MONTHS) if month in text}


def dates_in(text: str) -> set[Decimal]:
    """The months and days of the ISO dates of ``text`` without their leading zero (2025-03-28: 3 and 28)."""
    return {Decimal(int(part)) for day in re.findall(r"\d{4}-\d\d-\d\d", text) for part in day.split("-")}


def test_figures_are_compared_as_numbers() -> None:
    """The tests above compare figures as numbers, whatever their form (a date either way, 万, million)."""
    assert numbers("每年1.5万至2.5万元") == numbers("15,000 to 25,000") == {Decimal(15000), Decimal(25000)}
    assert numbers("共2250万元") == numbers("22.5 million yuan") == {Decimal(22500000)}
    assert numbers("2025年3月28日") == numbers("2025-03-28") == numbers("28 March 2025")
    assert numbers("至少1次") == numbers("at least once")


def test_the_loaded_policies_carry_both_languages() -> None:
    for jid in tr.list_jurisdictions():
        policy = tr.get_policy(jid)
        assert len(policy.limitations_zh) == len(policy.limitations), jid
        assert len(policy.references_zh) == len(policy.references), jid
        for program in policy.programs:
            assert len(program.assumptions_zh) == len(program.assumptions), program.id
            assert len(program.notes_zh) == len(program.notes), program.id
        for param in policy.parameters.values():
            assert param.description_zh, param.name
            assert all((v.note is None) == (v.note_zh is None) for v in param.values), param.name
        for c in policy.citations.values():
            assert (c.summary is None) == (c.summary_zh is None), c.id


def test_the_provinces_say_their_limitations_in_one_template() -> None:
    """The provinces with no programme of their own share one English template, so one Chinese one."""
    english, chinese_ = set(), set()
    for name in FILES:
        j = data(name)["jurisdiction"]
        if j["level"] != "province" or "programs" in data(name) or len(j.get("limitations", [])) != 2:
            continue
        short = re.match(r"No provincial programme of (.+?)'s own", j["limitations"][0])
        if short is None:
            continue
        code = j["division_code"][:2]
        english.add(
            tuple(
                x.replace(short[1], "{name}").replace(j["id"], "{id}").replace(f"starting {code}", "starting {code}")
                for x in j["limitations"]
            )
        )
        chinese_.add(
            tuple(
                x.replace(j["name_zh"], "{name}").replace(j["id"], "{id}").replace(f"以{code}开头", "以{code}开头")
                for x in j["limitations_zh"]
            )
        )
    assert len(english) == 1  # 25 provinces, municipalities and regions
    assert len(chinese_) == 1
    (template,) = chinese_
    assert "{name}" in template[0] and "{id}.union" in template[0]  # noqa: PT018


# -- the loader's checks --------------------------------------------------------------------------------------

PLUGIN: dict[str, Any] = {
    "jurisdiction": {
        "id": "testville",
        "name_zh": "测试市",
        "name_en": "Testville",
        "level": "city",
        "parent": "fujian",
        "division_code": "359998",
        "limitations": ["Fictional.", "Data for tests only."],
    },
    "sources": {"notice": {"title": "A notice", "document": "A notice, 2024", "confidence": "official"}},
    "citations": {"testville.c": {"source": "notice", "clause": "article 1", "summary": "Pays 1,000 a year."}},
    "programs": {
        "testville.rule": {"kind": "condition", "name_zh": "条件", "name_en": "A condition", "cite": ["testville.c"]}
    },
    "parameters": {
        "testville.n": {
            "description": "A count",
            "values": [{"kind": "count", "count": 5, "cite": ["testville.c"], "note": "Five."}],
        }
    },
}


def value(**keys: str) -> dict[str, Any]:
    """A value table of the parameter ``testville.n``, with ``keys`` added."""
    return {"kind": "count", "count": 5, "cite": ["testville.c"], **keys}


def build(**changes: Any) -> tr.Policy:
    raw = {key: dict(value) if isinstance(value, dict) else value for key, value in PLUGIN.items()}
    for path, value in changes.items():
        table: dict[str, Any] = raw
        *heads, last = path.split("/")
        for head in heads:
            table[head] = dict(table[head])
            table = table[head]
        table[last] = value
    return build_policy(raw, {}, sources=builtin_sources(), origin="testville")


def test_data_without_chinese_still_loads() -> None:
    """A plugin may write its data in one language: the ``_zh`` twins are then empty or None."""
    policy = build()
    assert policy.limitations_zh == ()
    assert policy.citations["testville.c"].summary_zh is None
    assert policy.parameters["testville.n"].description_zh is None


def test_chinese_beside_the_english_is_read() -> None:
    policy = build(
        **{
            "jurisdiction/limitations_zh": ["虚构。", "仅供测试的数据。"],
            "citations/testville.c": {**PLUGIN["citations"]["testville.c"], "summary_zh": "每年支付1000元。"},
            "sources/notice": {
                **PLUGIN["sources"]["notice"],
                "title_zh": "一份通知",
                "document_zh": "一份通知，2024年",
            },
            "parameters/testville.n": {
                "description": "A count",
                "description_zh": "一个数量",
                "values": [value(note="Five.", note_zh="五。")],
            },
        }
    )
    assert policy.limitations_zh == ("虚构。", "仅供测试的数据。")
    c = policy.citations["testville.c"]
    assert (c.summary_zh, c.title_zh, c.source_zh) == ("每年支付1000元。", "一份通知", "一份通知，2024年")
    param = policy.parameters["testville.n"]
    assert (param.description_zh, param.values[0].note_zh) == ("一个数量", "五。")


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"jurisdiction/limitations_zh": ["只有一条。"]}, r"limitations_zh: 1 texts for the 2 of limitations"),
        ({"jurisdiction/limitations_zh": "虚构。"}, r"limitations_zh: a list of strings"),
        (
            {"jurisdiction/limitations_zh": ["虚构。", "Data for tests only."]},
            r"limitations_zh\[1\]: a text in Chinese",
        ),
        ({"jurisdiction/limitations_zh": ["虚构。", "测试 data。"]}, r"Latin letters outside ids .*: data"),
        ({"jurisdiction/references_zh": ["参考。"]}, r"references_zh: 1 texts for the 0 of references"),
        (
            {"citations/testville.c": {**PLUGIN["citations"]["testville.c"], "quote_zh": "引语"}},
            r"unknown keys \['quote_zh'\]",
        ),
        (
            {"citations/testville.c": {"source": "notice", "clause": "第一条", "quote": "q", "summary_zh": "摘要"}},
            r"summary_zh: the Chinese of a summary the entry does not have",
        ),
        (
            {"sources/notice": {**PLUGIN["sources"]["notice"], "where_zh": "某处"}},
            r"sources.notice.where_zh: the Chinese of a where",
        ),
        (
            {"parameters/testville.n": {"description": "A count", "values": [value(note_zh="五。")]}},
            r"values\[0\].note_zh: the Chinese of a note",
        ),
        (
            {"parameters/testville.n": {"description": "A count", "values": [value(kind_zh="数量")]}},
            r"values\[0\]: unknown keys \['kind_zh'\]",
        ),
    ],
)
def test_a_chinese_text_that_breaks_the_rules_is_refused(changes: dict[str, Any], problem: str) -> None:
    with pytest.raises(PolicyDataError, match=problem):
        build(**changes)


@pytest.mark.parametrize(
    ("text", "stray"),
    [
        ("由调用方提供 facility.accepted；为否的，不符合条件。", []),
        ("支付方为 cn.acftu+<province>.union。", []),
        ("已知时可用 pins= 指定档次；计发方式 per_child_month。", []),
        ("以境内某地的GB/T 2260代码（以34开头）给出。", []),
        ("当地普惠价格（tr.parent_fee(..., cap=...)）。", []),
        ("规则层 cn 之下", ["cn"]),
        ("列入 missing 事实", ["missing"]),
    ],
)
def test_ids_are_the_only_latin_letters_a_chinese_text_keeps(text: str, stray: list[str]) -> None:
    assert latin_outside_ids(text) == stray


# -- where the Chinese is shown -------------------------------------------------------------------------------


def test_the_chinese_command_line_shows_the_chinese_summary() -> None:
    """``tuoyu assess --lang zh`` cites a summarised source with its Chinese summary, never the English one."""
    out = io.StringIO()
    code = cli.main(
        ["assess", "--example", "xiamen", "--on", "2024-06-01", "--lang", "zh"],
        stdout=out,
        stderr=io.StringIO(),
        stdin=io.StringIO(""),
    )
    assert code == 0
    summary = tr.get_policy("xiamen").citations["xiamen.tiers_workers_daily"]
    assert summary.summary_zh is not None
    assert f"关于厦门市建设补助的报道（官方来源）：（摘要）{summary.summary_zh}" in out.getvalue()
    assert summary.summary is not None
    assert summary.summary not in out.getvalue()
